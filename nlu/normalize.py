"""Text normalisation done once per message, before any rule looks at it.

Customers type full-width digits (１３８…), traditional characters (預約、後天),
curly apostrophes and emoji with variation selectors. Every rule downstream is
written for one canonical form, so the variants are folded here instead of in
each regex.

Two strings of *equal length* come out of `normalize`:

- `wide`: NFKC per character (full-width folded), curly quotes and dashes
  made ASCII, control characters blanked, zero-width characters dropped.
  Values that the contract wants "as written" (address, name) are cut from it,
  so a traditional-character address stays traditional.
- `norm`: `wide` with traditional characters mapped to simplified ones and
  Latin letters lower-cased. Every rule matches on it.

Because the mapping from `wide` to `norm` is strictly one character to one
character, a span found in `norm` indexes the same text in `wide`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nlu import guarded

# Traditional -> simplified, one character each (a full converter such as
# OpenCC is overkill for order-taking: this covers the words a customer uses
# to book a service, give a date, a time, an address and a name).
_T2S_PAIRS = (
    "預预 約约 報报 顆颗 後后 點点 週周 號号 電电 話话 訂订 單单 們们 個个 時时 間间 鐘钟 麼么 這这 "
    "來来 掃扫 潔洁 維维 馬马 調调 氣气 製制 機机 鎖锁 換换 鑰钥 門门 開开 傢家 裝装 殺杀 "
    "蟲虫 戶户 幫帮 給给 請请 問问 嗎吗 謝谢 對对 確确 認认 沒没 題题 錯错 誤误 陽阳 區区 "
    "樓楼 棟栋 園园 場场 廣广 東东 滬沪 廈厦 層层 際际 國国 華华 條条 衛卫 廁厕 廚厨 臥卧 "
    "臺台 淨净 乾干 幹干 髒脏 亂乱 專专 業业 務务 費费 價价 錢钱 貴贵 說说 讓让 還还 現现 "
    "見见 買买 賣卖 樣样 應应 該该 會会 與与 為为 於于 從从 邊边 過过 進进 運运 動动 種种 "
    "類类 詢询 師师 評评 滿满 極极 轉转 聯联 繫系 係系 絡络 稱称 碼码 寫写 幾几 兩两 萬万 "
    "億亿 禮礼 淩凌 遲迟 達达 狀状 態态 銷销 廢废 頭头 陳陈 張张 劉刘 楊杨 趙赵 黃黄 吳吴 "
    "鄭郑 孫孙 馮冯 許许 蕭萧 韓韩 羅罗 鄧邓 葉叶 蘇苏 盧卢 蔣蒋 歐欧 陸陆 賈贾 譚谭 鍾钟 "
    "龍龙 顧顾 龔龚 湯汤 賴赖 鄒邹 閆闫 閻阎 賀贺 嚴严 舊旧 熱热 爐炉 燈灯 壞坏 煙烟 視视 "
    "兒儿 麗丽 樂乐 愛爱 親亲 覺觉 聽听 體体 實实 寶宝 貝贝 隻只 雙双 塊块 發发 處处 積积 "
    "帶带 車车 貨货 輛辆 識识 記记 讀读 書书 櫃柜 組组 鑽钻 釘钉 牆墙 蟎螨 螞蚂 蟻蚁 蠅蝇 "
    "滅灭 斷断 關关 閉闭 囉啰 歡欢 妳你 辦办 網网 線线 紅红 綠绿 藍蓝 歲岁 級级 縣县 鄉乡 "
    "鎮镇 莊庄 灣湾 閣阁 館馆 廳厅 內内 裡里 裏里 側侧 離离 遠远 彎弯 漢汉 號号 驗验 "
    "護护 職职 員员 務务 錶表 鐵铁 鋼钢 鍋锅 碗碗 盤盘 擦擦 窗窗 簾帘 燒烧 熱热 暖暖 溫温 "
    "濕湿 乾干 潮潮 黴霉 異异 響响 聲声 漏漏 滲渗 堵堵 塞塞 疏疏 通通 戲戏 劇剧 "
    "準准 備备 須须 幣币 元元 額额 總总 計计 結结 帳账 賬账 單单 據据 號号 碼码 郵邮 "
    "遞递 寄寄 寵宠 貓猫 蝨虱 鬆松 緊紧 換换 補补 漆漆 磚砖 瓷瓷 鏡镜 櫥橱 餐餐 廳厅 "
    "臨临 節节 氣气 壓压 覽览 頁页 頓顿 顏颜 題题 願愿 顯显 風风 飛飞 養养 餘余 "
    "驅驱 騷骚 鬧闹 魚鱼 鳥鸟 鳳凤 麥麦 點点 齊齐 齒齿 龜龟 嗎吗 喲哟 嘆叹 噸吨 "
    "團团 圍围 圖图 圓圆 壽寿 奪夺 奮奋 婦妇 媽妈 孫孙 寧宁 將将 尋寻 導导 屆届 "
    "屬属 嶺岭 島岛 帥帅 師师 帳帐 幣币 廟庙 廠厂 廬庐 彈弹 徑径 復复 徹彻 恆恒 "
    "悅悦 惡恶 愛爱 慶庆 憂忧 懷怀 戰战 擇择 擊击 據据 擁拥 擔担 擬拟 擴扩 攝摄 "
    "敗败 數数 斂敛 暫暂 曆历 曉晓 書书 東东 極极 構构 標标 樣样 樸朴 橋桥 機机 "
    "檢检 權权 歐欧 歸归 殘残 氣气 決决 沒没 況况 淚泪 淺浅 測测 湧涌 滯滞 漸渐 "
    "潛潜 澤泽 濟济 灑洒 災灾 無无 煩烦 燈灯 爭争 爺爷 牽牵 猶犹 獎奖 獨独 現现 "
    "環环 產产 畝亩 畫画 當当 療疗 發发 盡尽 監监 矯矫 礎础 離离 穩稳 窮穷 竊窃 "
    "競竞 築筑 簡简 糧粮 紀纪 約约 紅红 紙纸 級级 細细 終终 組组 經经 綁绑 維维 "
    "網网 緒绪 線线 縮缩 績绩 繼继 續续 罰罚 聖圣 聞闻 聯联 聲声 腦脑 腳脚 臉脸 "
    "舉举 舊旧 艙舱 藝艺 蘭兰 處处 號号 補补 裝装 製制 複复 見见 規规 視视 親亲 "
    "覺觉 觀观 訊讯 託托 記记 設设 許许 診诊 試试 詳详 誌志 語语 說说 調调 請请 "
    "論论 諮咨 講讲 謎谜 證证 識识 議议 護护 讀读 變变 讓让 豐丰 負负 財财 貨货 "
    "質质 購购 費费 賠赔 贈赠 趕赶 趙赵 跡迹 躍跃 軟软 較较 載载 輕轻 輸输 辦办 "
    "農农 遊游 運运 過过 達达 違违 遙遥 適适 選选 遺遗 還还 邊边 郵邮 醫医 釋释 "
    "針针 鈕钮 鋁铝 鋪铺 錄录 錯错 鍵键 鐘钟 長长 門门 閃闪 閒闲 間间 閱阅 闆板 "
    "隊队 階阶 際际 隨随 險险 雜杂 雞鸡 難难 雲云 電电 靜静 頂顶 項项 順顺 須须 "
    "預预 領领 頻频 額额 顧顾 類类 飯饭 飲饮 館馆 驚惊 體体 髮发 鬥斗 麵面 "
    "‘' ’' ‚' ‛' “\" ”\" „\" ″\" ′' ～~ 〜~ －- ‐- ‑- ‒- –- —- ―- ﹣-"
)

_T2S: dict[str, str] = {}
for _pair in _T2S_PAIRS.split():
    if len(_pair) == 2 and _pair[0] != _pair[1]:
        _T2S[_pair[0]] = _pair[1]

# Characters dropped entirely: they change nothing a reader sees.
_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\ufe0e", "\ufe0f"}


@dataclass(frozen=True, slots=True)
class Normalized:
    """One message in its two aligned forms (see the module docstring)."""

    wide: str
    norm: str


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> tuple[str, str]:
    """(`wide` piece, `norm` piece) for one input character; both equally long."""
    if ch in _DROP:
        return "", ""
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs", "Co") and ch not in "\n\t":
        return " ", " "
    if ch in "\n\t\r":
        return " ", " "
    wide = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
    out_w: list[str] = []
    out_n: list[str] = []
    for c in wide:
        if c in _DROP:
            continue
        if unicodedata.category(c) in ("Cc", "Cs", "Co"):
            c = " "
        n = _T2S.get(c, c)
        low = n.lower()
        if len(low) == 1:
            n = low
        # Quotes and dashes fold in both forms; letters keep their script in `wide`.
        w = _T2S[c] if c in _T2S and not c.isalpha() else c
        out_w.append(w)
        out_n.append(n)
    return "".join(out_w), "".join(out_n)


# 下午/上午 mistyped as a same-sounding character (xiawu: 下五, 下舞, 下无), fixed in `norm`
# only where a clock time follows at once ("明天下五3点"), so that 上五楼 or 下五个 stay as
# they are. One character for one keeps `norm` aligned with `wide`.
_HALF_DAY_TYPO_RE = guarded.compile(r"(?<=[上下])[五舞无](?=\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:点|點|:|：|时|時))")


def normalize(text: str) -> Normalized:
    """Fold width, script and case; see the module docstring for the two outputs."""
    wide_parts: list[str] = []
    norm_parts: list[str] = []
    for ch in text:
        w, n = _fold_char(ch)
        wide_parts.append(w)
        norm_parts.append(n)
    norm = "".join(norm_parts)
    if "五" in norm or "舞" in norm or "无" in norm:
        norm = _HALF_DAY_TYPO_RE.sub("午", norm)
    return Normalized("".join(wide_parts), norm)


def has_cjk(text: str) -> bool:
    return any(_is_cjk(c) for c in text)


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


# English words that only a sentence in English has (not a brand or a place: "iPhone", "SOHO").
_EN_FUNCTION_WORDS = frozenset("""
    a an the at on in to for of from with by and or but is are am was be can could would will
    please my me i you your we our it this that tomorrow today tonight next need want like
    """.split())
_EN_WORD_RE = guarded.compile(r"[A-Za-z]{2,}|\b[aiAI]\b")


def is_mixed(text: str) -> bool:
    """Chinese and about as much English (a word for up to three characters): "deep clean
    明天 3pm", "明天 3pm deep clean". Such a message is as much either language; the dialogue
    answers it in the conversation's (`handlers.conversation.reply_lang`)."""
    cjk = sum(1 for c in text if _is_cjk(c))
    return cjk > 0 and len(_EN_WORD_RE.findall(text)) * 3 >= cjk


def has_english_word(text: str) -> bool:
    """Whether `text` holds a common English word ("is", "my", "please"): "asdfghjkl" or "qwer"
    holds none, and says nothing about the language it was typed in."""
    return any(w.lower() in _EN_FUNCTION_WORDS for w in _EN_WORD_RE.findall(text))


def detect_lang(text: str) -> str:
    """"zh" for Chinese, "en" for English, else "und" (the dialogue keeps its language).

    A message with Chinese characters is Chinese, unless it is an English sentence that
    carries a Chinese place ("Deep clean tomorrow at 10am, 朝阳区望京SOHO T1-1203", as a
    foreigner pastes their address): English function words in it, and about as much
    English as Chinese (a word for up to three characters). Brands and English service
    names in a Chinese sentence ("修我的iPhone", "明天 3pm deep clean") leave it Chinese."""
    if any(_is_cjk(c) for c in text):
        words = _EN_WORD_RE.findall(text)
        function = sum(1 for w in words if w.lower() in _EN_FUNCTION_WORDS)
        return "en" if function >= 2 and is_mixed(text) else "zh"
    if any(("a" <= c <= "z") or ("A" <= c <= "Z") for c in text):
        return "en"
    return "und"
