"""The customer's name or form of address, as written.

Chinese customers mostly give a surname plus a title (王女士, 李先生) or a
surname alone (我姓王); recognising a surname from a list is what keeps
这位先生 or 我是来问一下 from becoming names. Values are cut from the `wide`
text so traditional characters and Latin capitals survive.
"""

from __future__ import annotations

import re

from nlu import guarded

from nlu.given_names import GIVEN_NAMES
from nlu.phone import find_phones
from nlu.spans import MASK, Span, segments

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚"
    "符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆"
    "农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋"
    "商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门")
TITLES = ("先生", "女士", "小姐", "老师", "师傅", "阿姨", "太太", "夫人", "大哥", "大姐", "姐姐", "哥哥",
          "叔叔", "奶奶", "爷爷", "大爷", "大妈", "同学", "医生", "老板", "经理", "总", "姐", "哥", "叔")

STAFF_TITLE = "师傅"  # what customers call the technician we send, seldom themselves
_SUR = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{SURNAMES}])"
_TITLE = "(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + ")"
_HAN = r"[\u4e00-\u9fff·]"

# Characters that end a Chinese name when it is read after 我叫 / 我是.
_STOP = set("的了吗呢吧啊呀哦哈想要在住来去是和跟打做帮给需预约地址，,。.!！?？ 、;；:：\x00")
_STOP_WORDS = ("明天", "后天", "今天", "明早", "明晚", "今晚", "电话", "手机", "预约", "地址", "想要", "需要", "师傅",
               # 叫我小林就行: "that will do" closes the name, it is not part of it
               "就行", "就好", "就成", "就可以", "就ok", "即可", "可以", "行了")

_TITLE_RE = guarded.compile(rf"(?<![\u4e00-\u9fff])(?P<n>(?:小|老)?{_SUR}{_TITLE})|(?P<n2>(?:小|老){_SUR})(?![\u4e00-\u9fff])")
_TITLE_IN_TEXT_RE = guarded.compile(rf"(?P<n>{_SUR}{_TITLE})")
_SURNAME_ONLY_RE = guarded.compile(rf"(?:我|免贵|本人)?姓\s*(?P<n>{_SUR})")
# After these the name follows directly (我叫张三); after a bare label (联系人, 名字), or a
# label and a word of change (联系人改成王先生, 名字换成张三), only a surname (or a Latin
# name) may start it, so 名字写错了 and 联系人改成我老婆的电话 are not names.
_CALLED_RE = guarded.compile(
    r"(?:(?P<direct>我的名字是|我的名字叫|我名字叫|我名叫|名字是|名字叫|我叫|叫我)"
    r"|(?P<label>本人|姓名|联系人|称呼|收件人|收货人|名字)\s*"
    r"(?:(?P<conn>是|叫|为|:|：)|(?:要|想|得)?(?:改成|改为|改叫|换成|换为|更正为|更改为|修改为|写成|应该是))?)\s*[:：]?\s*"
)
_SURNAME_START_RE = guarded.compile(rf"(?:小|老)?{_SUR}")
_I_AM_RE = guarded.compile(rf"我是\s*(?P<n>{_SUR}{_HAN}{{0,2}})")

_EN_INTRO_RE = guarded.compile(
    r"(?<![a-z])(?P<strong>my name is|my name's|name's|name is|name:|names?\s*:|call me(?! back)|you can call me"
    r"|contact(?:\s+(?:name|person))?\s*:)\s*"
    r"|(?<![a-z])(?P<weak>i am|i'm|im|this is|it's|its"
    # "…, 136…, ask for Tom": whom to ask for at the door, a clause of a booking's details
    # (alone, "can I ask for Li Na?" may be one of our staff asked for)
    r"|(?:(?<=[,;，；])|(?<=[,;，；] ))\s*ask for)\s+"
    # "…, name Alice Wong, phone …": a bare label opening a clause; read like a weak intro
    # (a capitalised word must follow), so "name of the street" or "name please" give none;
    # not "name is", which is the strong intro's ("…, name is Li Wei").
    r"|(?:^|(?<=[,;.!，；。])|(?<=[,;.!，；。] ))\s*(?P<label>name)\s*-?\s+(?!is\s)"
)
_EN_TITLE_RE = guarded.compile(r"(?<![a-z])(?:mr|mrs|ms|miss|dr)\.?\s+[a-z][a-z'-]+")
_EN_WORD_RE = guarded.compile(r"[A-Za-z][A-Za-z'.-]*")
_EN_STOP = {
    "and", "from", "at", "in", "on", "my", "phone", "number", "i", "tomorrow", "today", "please", "here",
    "calling", "the", "a", "an", "with", "to", "for", "but", "so", "tel", "mobile", "call", "address",
    "tonight", "next", "this", "can", "could", "would", "need", "want", "live", "looking",
    # "call me when you arrive", "My name is Sarah thanks": the name has ended
    "when", "once", "before", "after", "if", "as", "thanks", "thank", "cheers", "regards", "pls", "plz",
}
# A word that may end with a full stop inside a name: an initial (Alice J. Chen) or a title.
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof"}
_EN_NOT_NAMES = {
    "not", "looking", "free", "available", "busy", "interested", "done", "ok", "okay", "fine", "good", "great",
    "back", "here", "home", "sorry", "trying", "calling", "writing", "wondering", "going", "moving", "locked",
    "still", "just", "so", "very", "afraid", "sure", "happy", "glad", "new", "a", "an", "the", "in", "at",
    "out", "away", "also", "really", "only", "late", "early", "ready", "waiting", "confused", "asking",
    "thinking", "planning", "hoping", "having", "getting", "leaving", "staying", "available.", "tomorrow",
    "today", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "it", "that",
    "correct", "right", "wrong", "me", "cancel", "yes", "no",
}


# ---------------------------------------------------------------- names with no intro
# Alice, O'Brien, Mary-Jane, McDonald
_CAP_WORD_RE = guarded.compile(r"(?:[A-Z]'|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?")
_PHONE_NEAR_RE = guarded.compile(r"\s*[,，]?\s*\+?\d[\d\s-]{6,}")
_PHONE_BEFORE_RE = guarded.compile(r"\d[\d\s-]{6,}[\s,，]*$")
# "Hi, Bob" or "Dear Alice" speaks to someone; the customer's own name is not there.
# So does a message that is only thanks and a name ("Thanks, Sarah"); at the end of
# a request ("…? Thanks, Alice") the name signs it.
_ADDRESSED_RE = guarded.compile(
    r"(?:(?<![a-z])(?:hi|hello|hey|dear|morning|afternoon|evening)|^\s*(?:thanks|thank you|cheers|ta))\s*[,，!！]?\s*$"
)
_NOT_NAME_WORDS = {
    "hi", "hello", "hey", "dear", "thanks", "thank", "cheers", "regards", "best", "bye", "sorry", "ok", "okay",
    "yes", "no", "sure", "great", "perfect", "cool", "please", "urgent", "asap", "help", "morning", "afternoon",
    "evening", "night", "noon", "tomorrow", "today", "tonight", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "street", "road", "avenue", "lane", "drive", "court",
    "place", "square", "tower", "block", "building", "district", "city", "park", "garden", "gardens", "centre",
    "center", "plaza", "soho", "mall", "hotel", "apartment", "flat", "floor", "room", "unit", "suite", "house",
    "new", "old", "north", "south", "east", "west", "upper", "lower", "great", "little", "saint", "san", "los",
    "hong", "kong", "beijing", "shanghai", "china", "london", "deep", "clean", "cleaning", "cleaner", "moving",
    "movers", "plumber", "locksmith", "repair", "service", "services", "pest", "control", "window", "windows",
    "assembly", "ikea", "order", "booking", "team", "customer", "manager", "staff", "wechat", "whatsapp",
}


def _is_signoff_name(words: list[str], phone_near: bool) -> bool:
    """1-3 capitalised words that can only be a name: the first a known given name,
    or, right next to a phone number, two or three words none of which is a
    known other thing (a weekday, a greeting, a place or service word)."""
    if not 1 <= len(words) <= 3 or not all(_CAP_WORD_RE.fullmatch(w) for w in words):
        return False
    if any(w.lower() in _NOT_NAME_WORDS or w.lower() in _EN_STOP or w.lower() in _EN_NOT_NAMES for w in words):
        return False
    return words[0].lower() in GIVEN_NAMES or (len(words) >= 2 and phone_near)


def _signoff_name(norm: str, wide: str) -> Span | None:
    """A Latin name written as a segment of its own, with no intro phrase:
    "…for a deep clean? Alice Chen +447700900123", "tomorrow 10am, Bob"."""
    for s, e in segments(norm):
        words = wide[s:e].split()
        if not words:
            continue
        s = wide.index(words[0], s)
        e = wide.rindex(words[-1], s, e) + len(words[-1])
        phone_near = bool(_PHONE_NEAR_RE.match(wide, e) or _PHONE_BEFORE_RE.search(wide, 0, s))
        if _ADDRESSED_RE.search(norm, 0, s) or not _is_signoff_name(words, phone_near):
            continue
        return Span(s, e, wide[s:e])
    return None


# A Chinese name written as an item of its own beside the phone number, as people copy
# their contact details ("王小明，13812345678，北京市…", "13811110000 张"). Words that
# start with a surname character and stand beside a number as often are not names.
_LISTED_CN_NAME_RE = guarded.compile(rf"[小老阿]{_SUR}|{_SUR}{_HAN}{{0,2}}")  # "小周", "老李" too
_PHONE_DIGITS_RE = guarded.compile(r"\d[\d\s-]{6,}")
_NOT_LISTED_NAMES = frozenset({"谢谢", "多谢", "高兴", "方便", "白天", "周末", "单元", "车位", "房子", "安装", "管道",
                               "路上", "万一", "常规", "包括", "关门", "冷气", "金额", "价钱", "钱", "急", "急急急"})


def _listed_name(norm: str, wide: str) -> Span | None:
    """A surname and a given name (or, right after the number, a surname alone) as a
    segment of its own next to a phone number; not a title or a stop word."""
    if not _PHONE_DIGITS_RE.search(wide):
        return None  # most messages: no number beside which a name could be listed
    for s, e in segments(norm):
        text = wide[s:e].strip()
        if not text or text in _NOT_LISTED_NAMES or text in TITLES or _cut_cn(text, 4) != text:
            continue
        s = wide.index(text, s)
        e = s + len(text)
        before, after = _PHONE_BEFORE_RE.search(wide, 0, s), _PHONE_NEAR_RE.match(wide, e)
        phone_before = bool(before and find_phones(before[0]))  # not an order number (查订单2026…)
        if not _LISTED_CN_NAME_RE.fullmatch(text) or not (phone_before or after and find_phones(after[0])):
            continue
        if len(text) == 1 and not phone_before:
            continue
        return Span(s, e, text)
    return None


def may_be_a_name(text: str) -> bool:
    """Whether a clause of its own could be a bare Chinese name ("张三", "王"): a surname and
    at most two more characters. The caller would rather lose such a clause than file a
    customer's name as a note for the technician."""
    return bool(_LISTED_CN_NAME_RE.fullmatch(text)) and text not in _NOT_LISTED_NAMES


def _cut_cn(text: str, limit: int) -> str:
    """At most `limit` characters of `text`, up to the first stop character or word.

    The stop words are looked for in the whole of `text`, not only in the first
    `limit` characters, so a stop word straddling the limit (李明|就可以) still cuts.
    """
    out = []
    for i, ch in enumerate(text[:limit]):
        if ch in _STOP or text.startswith(_STOP_WORDS, i):
            break
        out.append(ch)
    return "".join(out)


# "name is" / "name's" labels the customer's own name only after nothing, a punctuation
# mark or one of these words: "the street name is Baker" names a street; after "and" or a
# number it joins the details given before ("my phone is 138 1234 5678 and name is Mike").
_OWN_NAME_BEFORE_RE = guarded.compile(r"(?:^|[^\w\s]|\d|\b(?:my|full|first|last|contact|customer|given|and))\s*$")


def _own_name_label(norm: str, m: re.Match[str]) -> bool:
    """Whether an intro that starts with "name" (name is, a bare name) is the customer's;
    a colon (name: Alice) labels a form field wherever it stands."""
    if not norm.startswith("name", m.start()) or ":" in m.group(0):
        return True
    return bool(_OWN_NAME_BEFORE_RE.search(norm[max(0, m.start() - 12):m.start()]))


def _ends_sentence(word: str) -> bool:
    """"Sarah." ends its sentence ("My name is Sarah. Thanks so much!"); "J." and "Dr." do not."""
    if not word.endswith("."):
        return False
    bare = word.rstrip(".")
    return len(bare) > 1 and bare.lower() not in _ABBREVIATIONS


def _en_name(wide: str, norm: str, start: int, strong: bool) -> Span | None:
    words = []
    pos = start
    for m in _EN_WORD_RE.finditer(wide, start):
        if wide[pos:m.start()].strip():  # punctuation or mask between words ends the name
            break
        w = m.group(0).rstrip(".")
        low = w.lower()
        if low in _EN_STOP or (not strong and low in _EN_NOT_NAMES):
            break
        if not strong and not w[:1].isupper():
            break
        if wide[m.end():m.end() + 1].isdigit():  # "it's T2 not T1": a tower's or flat's label, no name
            break
        words.append((m.start(), m.start() + len(w)))
        pos = m.end()
        if len(words) == 3 or _ends_sentence(m.group(0)):
            break
    if not words:
        return None
    s, e = words[0][0], words[-1][1]
    if MASK in norm[s:e]:
        return None
    return Span(s, e, wide[s:e])


def find_name(norm: str, wide: str) -> Span | None:
    """The first name-like mention, or None (see module docstring)."""
    m = _SURNAME_ONLY_RE.search(norm)
    if m:
        return Span(m.start("n"), m.end("n"), wide[m.start("n"):m.end("n")])
    for m in _CALLED_RE.finditer(norm):
        rest = norm[m.end():m.end() + 12]
        latin_name = wide[m.end():m.end() + 1].isupper() and wide[m.end()].isascii()
        if m["label"] and not m["conn"] and not (_SURNAME_START_RE.match(rest) or latin_name):
            continue
        t = _TITLE_RE.match(rest)
        if t:
            s = m.end() + t.start()
            e = m.end() + t.end()
            return Span(s, e, wide[s:e])
        cn = _cut_cn(rest, 4)
        if cn and all("\u4e00" <= c <= "\u9fff" or c == "·" for c in cn):
            s = m.end()
            return Span(s, s + len(cn), wide[s:s + len(cn)])
        if rest[:1].isascii() and rest[:1].isalpha():
            span = _en_name(wide, norm, m.end(), strong=True)
            if span:
                return span
    m = _I_AM_RE.search(norm)
    if m:
        cand = _cut_cn(norm[m.start("n"):m.start("n") + 8], len(m["n"]))
        if cand:
            s = m.start("n")
            return Span(s, s + len(cand), wide[s:s + len(cand)])
    for m in _TITLE_IN_TEXT_RE.finditer(norm):
        # "王师傅上次说的配件带了吗", "能让王师傅带梯子来吗": the technician we send, in a sentence
        # about him, not the customer ("张师傅" alone, or "…，联系张师傅", is); the question stays whole
        if not _plausible_title(norm, m) or m["n"].endswith(STAFF_TITLE) and _said_of_him(norm, m.end()):
            continue
        return Span(m.start("n"), m.end("n"), wide[m.start("n"):m.end("n")])
    m = _EN_TITLE_RE.search(norm)
    if m:
        return Span(m.start(), m.end(), wide[m.start():m.end()])
    for m in _EN_INTRO_RE.finditer(norm):
        if not _own_name_label(norm, m):
            continue
        span = _en_name(wide, norm, m.end(), strong=bool(m["strong"]))
        if span:
            return span
    return _signoff_name(norm, wide) or _listed_name(norm, wide)


def _said_of_him(norm: str, end: int) -> bool:
    """Whether a sentence goes on about the person named before `end` ("王师傅上次…")."""
    return "\u4e00" <= norm[end:end + 1] <= "\u9fff"


# 系 ends 联系 (到了联系孙先生), 由 and 等 name who will be there (由王女士开门, 等李先生).
_BEFORE_TITLE_OK = set("是找叫给跟和请问让谢位个我您约派称呼好嗨系由等")


# Pointing at someone met before: "上次那个王老师", "之前那位李师傅", "上回的张阿姨".
_SOMEONE_ELSE_RE = guarded.compile(r"(?:上次|上回|之前|以前|那个|那位)(?:的|那个|那位)?\s*$")


def _plausible_title(norm: str, m: re.Match[str]) -> bool:
    """王女士 yes; 修车师傅 no (车 is a surname, but here it ends a word); 马总好 yes."""
    if _SOMEONE_ELSE_RE.search(norm, max(0, m.start() - 6), m.start()):
        return False  # "约上次那个王老师": the person who served them, not their own name
    before = norm[m.start() - 1:m.start()] if m.start() else ""
    if before and "\u4e00" <= before <= "\u9fff" and before not in _BEFORE_TITLE_OK:
        return False
    name = m["n"]
    if name.endswith(("总", "姐", "哥", "叔")):
        after = norm[m.end():m.end() + 1]
        return not ("\u4e00" <= after <= "\u9fff") or after in "您你好在吗呢吧啊，"
    return True


def bare_name(core_wide: str) -> str | None:
    """A short answer to "how should we call you?" taken as the name itself."""
    text = core_wide.strip(" ，,。.!！?？~")
    if not text or len(text) > 30 or any(c.isdigit() for c in text):
        return None
    if not any(c.isalpha() for c in text):
        return None
    return text


_SURNAME_RE = guarded.compile(rf"{_SUR}")
_SURNAME_TITLE_RE = guarded.compile(rf"(?P<sur>{_SUR})(?P<title>{_TITLE})")


def with_title(surname: str, before: str | None) -> str:
    """`surname` said alone ("我姓汪") as the name in place of `before`: with `before`'s title
    when that is a surname and a title ("王先生" → "汪先生"; the surname was put right, not
    the customer's form of address), else as said."""
    title = _SURNAME_TITLE_RE.fullmatch(before or "")
    if title is None or not _SURNAME_RE.fullmatch(surname) or surname == title["sur"]:
        return surname
    return surname + title["title"]
