"""Which catalog service a message is about.

Three layers, strongest first, built once per catalog:

1. names and synonyms found verbatim (longest match wins, so 深度保洁 beats
   保洁 and "deep cleaning" beats "cleaning");
2. paraphrases: problem descriptions (马桶又堵了, 冰箱坏了, 有蟑螂) mapped to
   *concept terms* that are looked up among the catalog's own names and
   synonyms, so the rules work for any catalog that uses ordinary words;
3. fuzzy matching (rapidfuzz) of catalog terms against same-sized windows of
   the message, for typos (深度宝洁, deep cleen, locksmth).

Terms of two characters or fewer (保洁, 搬家) are weaker than a paraphrase: in
"装修后开荒打扫" the paraphrase for a post-renovation clean beats 打扫.

Between paraphrases and those short terms come the catalog's *objects* (what a
service is done to: 空调, 水龙头, toilet). An object is more specific than a
generic verb: in "新买的空调 明天来安装" the short term 安装 belongs to a service
whose own objects (家具, 衣柜) go unnamed while another service's object (空调) is
named, so the verb is set aside and the object decides. A short term whose
service lists no objects (保洁) is a service's own name and keeps its place.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from nlu import guarded
from nlu.normalize import has_cjk, normalize
from nlu.spans import MASK, Span
from nlu.types import CatalogLike

# Words that hold a thing an owner may list as an object but mean no such thing: a visit
# (上门, 出门), a shop (门店), a department (部门), "especially" (专门), holding a date (锁定).
_NO_THING_RE = guarded.compile(r"上门|出门|门店|部门|专门|热门|门票|门诊|锁定|封锁")

# An appliance's fault is its repair: one service to many businesses (家电维修), one per
# appliance to some (冰箱维修, 洗衣机维修), where the appliance named decides, and one no
# service's thing (热水器 to a fridge and washer shop) is none (`_paraphrase`).
_APPLIANCE_REPAIR = ("家电维修", "电器维修", "appliance repair", "空调维修", "修空调", "fridge repair", "ac repair",
                     "冰箱维修", "修冰箱", "洗衣机维修", "修洗衣机", "热水器维修", "修热水器",
                     "washing machine repair", "washer repair", "refrigerator repair", "aircon repair")

# (pattern on normalised text, concept terms looked up in the catalog, in order)
PARAPHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"(马桶|厕所|坐便器?|蹲坑|下水道?|水槽|地漏|管道|水管|水池|洗手池|洗菜池|洗脸池|洗手盆|浴缸|排水)"
     r"[^，。,.!?！？]{0,5}(堵|不通|不下水|下不去|冲不下|冲不走|排水慢|反水|冒水|溢出|漫出|返臭)"
     r"|\b(sink|toilet|drain|pipe)s?\b[^，。,.!?！？]{0,5}(堵|不通|不下水|下不去|冲不下|反水|冒水)"
     # 马桶clogged了 (code-switched), 通渠 / 渠塞 (Hong Kong for a blocked drain)
     r"|(马桶|厕所|下水道?|水槽|地漏|管道|水管|水池|洗手池|洗菜池|洗脸池|洗手盆|浴缸)[^，。,.!?！？]{0,3}(clog|block)|通渠|渠(塞|堵)|塞渠",
     ("管道疏通", "疏通", "马桶堵了", "下水道堵了", "unclog", "drain", "plumber")),
    (r"(toilet|drain|sink|pipe|shower|bathtub)s?\b.{0,20}\b(clog|block|backed up|won'?t drain|overflow)"
     r"|\b(clogged|blocked)\s+(toilet|drain|sink|pipe)",
     ("管道疏通", "疏通", "clogged drain", "drain", "plumber")),
    (r"(空调|冷气|冰箱|洗衣机|热水器|电视|油烟机|微波炉|燃气灶|烤箱|洗碗机|电器|家电|烘干机|净水器|电饭煲)"
     r"[^，。,.!?！？]{0,6}(坏|不制冷|不制热|不冷|不热|不转|不工作|不启动|不出热水|漏水|故障|维修|不能用|没反应|异响|"
     r"打不着|不亮|不通电|报错|显示e|出问题|罢工|打不开|开不了机|不开机|黑屏|(吹|出|都是)热风|不凉|不出冷风|不出水)"
     r"|(修|修理|维修)[^，。,.!?！？]{0,3}(空调|冰箱|洗衣机|热水器|电视|油烟机|微波炉|燃气灶|烤箱|洗碗机|电器|家电)"
     r"|\b(fridge|refrigerator|freezer|aircon|ac|washer|washing machine|dryer|heater|oven|dishwasher|tv)s?\b"
     r"[^，。,.!?！？]{0,5}(坏|不制冷|不冷|不工作|不转|漏水|故障|不能用)",
     _APPLIANCE_REPAIR),
    (r"\b(fridge|refrigerator|freezer|air ?con(ditioner)?|ac|a/c|washer|washing machine|dryer|heater|oven|"
     r"dishwasher|appliance|stove)s?\b.{0,25}\b(broke|broken|not working|isn'?t working|doesn'?t work|"
     r"stopped (working|cooling|heating|spinning)|won'?t (start|turn on|cool|spin|drain)|not (cooling|cold|heating)|leaking|repair)"
     r"|\b(fix|repair)\b.{0,15}\b(fridge|refrigerator|freezer|air ?con(ditioner)?|ac|washer|"
     r"washing machine|dryer|heater|oven|dishwasher|appliance|stove)s?\b"
     # "I need my oven fixed": the appliance first, then what should happen to it
     r"|\b(fridge|refrigerator|freezer|air ?con(ditioner)?|aircon|washer|washing machine|dryer|heater|oven|"
     r"dishwasher|stove)s? (fixed|repaired|looked at)\b",
     _APPLIANCE_REPAIR),
    (r"(洗|清洗|清洁)[^，。,.!?！？]{0,4}(空调|冷气|油烟机|洗衣机|冰箱|热水器|抽油烟机|"
     r"washing machine|air ?con(ditioner)?|aircon|fridge|range ?hood)"
     r"|(空调|冷气|油烟机|洗衣机|冰箱)[^，。,.!?！？]{0,6}(清洗|脏|有味|发臭|有异味|发霉|没洗|该洗|要洗|需要洗|油腻|洗(?![衣碗]机))",
     ("家电清洗", "appliance cleaning", "空调清洗")),
    (r"\b(range ?hood|cooker hood|extractor( fan)?|air ?con(ditioner)?|aircon|a/?c|washing machine|oven|microwave)s?\b.{0,25}"
     r"\b(greasy|dirty|smelly|mou?ldy|clean(ed|ing)?|wash(ed|ing)?)\b"
     r"|\b(range ?hood|cooker hood|aircon|air ?conditioner)s?\s*[^，。,.!?！？]{0,6}(清洗|洗|太油|油腻|脏)"
     # "clean 2 washing machines": cleaning, though a washing machine is also what a repair is done to
     r"|\b(clean|wash)(ing)?\b.{0,10}\b(range ?hood|cooker hood|air ?con(ditioner)?|aircon|a/?c|washing machine|washer"
     r"|fridge|refrigerator|oven|microwave)s?\b",
     ("appliance cleaning", "家电清洗", "range hood cleaning")),
    (r"(彻底|全面|从头到尾|里里外外|好好|仔细)[^，。,.!?！？]{0,4}(打扫|清洁|清理|收拾|保洁|扫除)"
     r"|(开荒|装修后|装修完|新房|入住前|退租)[^，。,.!?！？]{0,6}(打扫|清洁|保洁|清理)?"
     r"|(太脏|好脏|很脏|脏死|脏得)"
     # the cleaning around a move ("搬家后的保洁", "搬完家想做个保洁", "搬进新家之前打扫一下"): the head
     # noun is the cleaning, a move-in / move-out clean; 搬家 alone stays a move
     r"|搬(?:完|好)家?[^。.!?！？]{0,8}?(打扫|清洁|保洁|清理|卫生)"
     r"|搬(?:家|进新家|进新房|进来|进去|走|出去)(?:以|之)?[前后][^。.!?！？]{0,8}?(打扫|清洁|保洁|清理|卫生)",
     ("深度保洁", "深度清洁", "大扫除", "deep clean")),
    (r"\b(thorough(ly)?|deep|top[- ]to[- ]bottom|whole|entire|move-?out|move-?in|end of tenancy)\b.{0,15}\bclean"
     r"|\bclean(ed|ing)?\b.{0,12}\b(thoroughly|top to bottom|from top to bottom)\b"
     r"|\bclean(ed|ing)?\b.{0,30}\b(before|after) (we|i|they) move (out|in)\b",
     ("深度保洁", "deep clean", "deep cleaning")),
    # "clean my flat", "can you clean the apartment", "get my place cleaned", "tidy my room": the
    # home itself cleaned is a regular clean, as 打扫一下卫生 is; not where the words of a deep
    # clean follow ("get the flat cleaned thoroughly": that paraphrase starts later), nor a complaint
    # ("she did not clean my room")
    (r"(?!.*\b(thorough(ly)?|deep|top[- ]to[- ]bottom|end of tenancy|move-?(out|in)|(before|after) (we|i|they) move)\b)"
     r"((?<!not )(?<!n't )(?<!never )\b(clean|tidy)(ing)?( up)? (my|our|the|this|a|your) (\w+ )?(flat|apartment|house|home|place|room|rooms|"
     r"bedroom|condo|studio|unit|office|kitchen|bathroom|loft|villa)s?\b"
     r"|\b(flat|apartment|house|home|place|room|condo|studio|office)s? (cleaned|tidied)\b"
     r"|\b(flat|apartment|house|home|place|room|condo|studio|office)s? needs? (a )?(clean(ing)?|tidy(ing)?)\b"
     # "book a clean", "need a 2 hour clean", "another clean": the noun, with no word of what is cleaned
     r"|\b(a|an|another)( (\x00+|\d+|one|two|three|four|five|six)[- ]hours?| quick| regular| weekly| general| light| basic)? clean"
     r"(?=\s*($|[,.!?\x00])|\s+(on|at|for|this|next|tomorrow|today|tonight|please|of|in|every|once|twice)\b))",
     ("日常保洁", "regular cleaning", "house cleaning", "cleaning", "保洁")),
    # "帮我约个阿姨", "找个保洁阿姨", "叫个钟点阿姨": a housekeeper for the home is a regular clean; not a
    # nanny or a carer ("找个阿姨带孩子": nlu.unoffered), nor the person of an order ("让上次那个阿姨来")
    (r"(约|找|叫|请|订|要|派|来)(个|一个|一位|位)(保洁|打扫的?|做卫生的?|钟点工?|小时工?)?阿姨"
     r"(?![^，。,.!?！？]{0,8}(带孩子|看孩子|带娃|看娃|做饭|照顾|陪护|住家|育儿|月子))",
     ("日常保洁", "钟点工", "保洁", "regular cleaning")),
    # a lock changed or fixed, and a door opened: one service to many locksmiths, two to some
    # (换锁芯 and 开锁), so each looks up its own words first
    (r"(换|修|装)[^，。,.!?！？]{0,2}(锁芯|门锁|指纹锁|密码锁|智能锁|锁)",
     ("换锁", "换锁芯", "锁芯更换", "开锁换锁", "开锁", "locksmith")),
    (r"(锁|钥匙)[^，。,.!?！？]{0,4}(坏|丢|掉|打不开|忘|断|卡住|拧不动|反锁)"
     r"|(进不去|进不了|回不了)[^，。,.!?！？]{0,2}(家|门)|门[^，。,.!?！？]{0,3}(打不开|开不了|锁上了|反锁|锁住)"
     r"|开[^，。,.!?！？]{0,2}(锁芯|门锁|指纹锁|密码锁|智能锁|锁)"
     r"|钥匙[^，。,.!?！？]{0,2}(锁|落|忘)(在)?(家|屋|房|车)(里面|里|内)?|反锁在(家|屋|房)",
     ("开锁换锁", "开锁", "换锁", "locksmith")),
    (r"\b(fix|repair|change|replace)\b.{0,10}\blocks?\b",
     ("lock change", "change the lock", "换锁", "locksmith", "开锁", "开锁换锁")),
    (r"\blocked (myself )?out\b|\b(lost|forgot) (my |the )?keys?\b|\bcan'?t (get in|open (the|my) door)\b"
     r"|\bkeys? (locked|left) inside\b|\b(locked|left) (my |the )?keys? inside\b"
     r"|\b(broken|stuck) lock\b"
     r"|\blocks?\b.{0,10}\b(broken|stuck|jammed)\b",
     ("locksmith", "开锁", "开锁换锁")),
    (r"搬(到|去|新家|走|出去|进)|要搬|想搬|搬个家|搬[^，。,.!?！？]{0,3}(冰箱|沙发|钢琴|柜子|衣柜|床|家具|东西|行李|箱子)"
     r"|(拉|运|送)[^，。,.!?！？]{0,3}(新家|新房|新地方|新住处)",
     ("搬家服务", "搬家", "moving")),
    (r"\b(moving|move|relocat(e|ing)) (to|out|house|home|apartment|flat|office)\b|\bmovers?\b"
     r"|\bmove (some |my |our |the |a )?(furniture|boxes|stuff|things|sofa|piano|fridge)"
     r"|\b(do|need|book|help with|help me with|help us with) (a|my|the|our) move\b"
     # "I need to move from Wangjing to Shunyi", "move tomorrow from …", "help me move on sunday": the
     # verb alone, where it moves no booking ("move it to Friday", "move my cleaning to 3pm")
     r"|\b(move|relocate)\b[\s\x00]*from\b"
     r"|\b(need|want|have|going|plan(ning)?|about) to (move|relocate)\b(?!\s+(it|that|this|them|the|my|our|to)\b)"
     r"|\bhelp (me|us)( to)? (move|relocate)\b(?!\s+(it|that|this|them|the|my|our|to)\b)",
     ("moving", "搬家", "搬家服务")),
    (r"蟑螂|小强|老鼠|耗子|蚂蚁|白蚁|臭虫|跳蚤|螨虫|虫子|害虫|蚊子|虫害|鼠患|灭虫|除虫",
     ("除虫灭害", "杀虫", "pest control", "pest")),
    (r"\b(cockroach(es)?|roach(es)?|rats?|mouse|mice|ants|termites?|bed ?bugs?|fleas|pests?|infestation)\b",
     ("pest control", "除虫灭害", "pest")),
    (r"(玻璃|窗户|窗子|窗)[^，。,.!?！？]{0,3}(脏|擦|清洗|清洁|洗)|(擦|洗|清洗|清洁)[^，。,.!?！？]{0,3}(玻璃|窗户|窗子|窗)",
     ("擦玻璃", "window cleaning", "擦窗户")),
    (r"\b(clean|wash)(ing)? (the |my |all )?windows?\b",
     ("window cleaning", "擦玻璃")),
    (r"(装|组装|安装|拼装|拼)[^，。,.!?！？]{0,6}(柜|床|桌|椅|书架|沙发|家具|鞋架|置物架)"
     r"|(柜|床|桌|椅|书架|沙发|家具|鞋架|置物架)[^，。,.!?！？]{0,2}(要装|装一下|待装|要组装|要安装|需要安装|需要组装)",
     ("家具安装", "furniture assembly", "组装家具")),
    # a salon's customers' words for what its catalog names otherwise: lashes done again or
    # topped up ("补个睫毛", "再做个睫毛", "明天做睫毛"), nails topped up ("补个甲"; not 卸甲, a removal),
    # feet done ("做个脚"), a haircut however it is cut ("剪个短发", "理个发")
    (r"(做|补|接|种|嫁接|续|弄)[个一下次的]{0,2}睫毛|睫毛(补|续|嫁接)|补睫",
     ("美睫", "嫁接睫毛", "睫毛嫁接", "接睫毛", "lash extensions", "eyelash extensions")),
    (r"(补|修|做)[个一下次]{0,2}甲(?!醛)",
     ("美甲", "做指甲", "做美甲", "manicure", "nails")),
    (r"做[个一下次]{0,2}(脚|足)(?![底疗浴])|修[个一下次]{1,2}脚",
     ("足部护理", "美足", "修脚", "pedicure")),
    (r"(剪|理|修)[个一下次]{0,2}(短|长|齐)?(头发|发型|发|头)(?![疼痛])|洗剪吹",
     ("剪发", "理发", "剪头", "剪头发", "haircut", "hair cut")),
    (r"\b(assembl(e|ed|ing)|put together|build|built)\b.{0,20}\b(furniture|bed|wardrobe|desk|shelf|shelves|table|chair|ikea)"
     # the thing first: "I bought a sofa bed from IKEA, can you assemble it"
     r"|\b(furniture|bed|wardrobe|desk|shelf|shelves|table|chair|ikea|bookcase|cabinet|cot|crib)s?\b.{0,40}"
     r"\b(assembl(e|ed|ing)|put (it |them )?together)\b",
     ("furniture assembly", "家具安装")),
)

# ASCII word boundaries: with Unicode ones a CJK character counts as a word
# character, so \b never fires in "我家sink堵了" and English words inside Chinese
# text were invisible to the paraphrases. (Normalised text has ASCII digits and
# spaces only, so \d and \s lose nothing.)
_PARAPHRASE_FLAGS = re.ASCII

_LATIN_WORD_RE = guarded.compile(r"[a-z][a-z'-]*")

# Objects that name a kind, not a thing: "家电维修：空调和洗衣机" is two things (nlu.items), and
# "家电维修" notes no appliance (`ServiceMatcher.objects_of`).
KINDS = frozenset({"家电", "电器", "家具", "appliance", "appliances", "furniture"})

# What may follow a thing counted and still name only it: "aircons please", "ac unit too".
_AFTER_A_THING = guarded.compile(r"^(?:e?s)?(?:\s+(?:units?|please|pls|plz|too|as well|also|thanks|thx))*\s*$")

# What a customer puts between a term's verb and the rest of it: a measure word (剪个头, 做一个
#指甲, 拍张证件照), a "一下" / "一次", or a count already read and masked (补两个小时数学).
_FILLER = rf"(?:[一两]?[个张次下]|一下|{MASK}+)"
_FILLER_HINT = guarded.compile(rf"[个张次下{MASK}]")

# Paraphrases and long names beat these short, generic terms.
_SHORT_TERM = 2

# Characters a pinyin keyboard offers for the same syllable, which customers pick by mistake in
# the short words of a trade ("宝洁" for 保洁, "美夹" for 美甲, "捷毛" for 睫毛, "钟点公", "马捅"):
# too short for the fuzzy layer's one edit in four, so only a same-sounding character is allowed.
_SOUNDS_ALIKE = ("保宝", "洁结捷睫杰", "甲夹家佳", "工公功", "通桶捅筒", "调掉", "扫嫂", "璃离", "疏舒")
_SOUND_OF = {ch: group[0] for group in _SOUNDS_ALIKE for ch in group}
# Terms this long or shorter are read by their sound (`_sounds_like`); longer ones by the fuzzy layer.
_SOUND_MAX = 3


def _norm(s: str) -> str:
    return " ".join(normalize(s).norm.split())


class ServiceMatcher:
    """Finds one catalog service id in a normalised message (see module docstring)."""

    FUZZY_MAX_CHARS = 300

    def __init__(self, catalog: CatalogLike, synonyms: Mapping[str, Sequence[str]] | None = None) -> None:
        """`synonyms`: extra surface forms per service id (the training data's Rasa
        synonyms); ids the catalog does not have are ignored, catalog words win."""
        terms: dict[str, str] = {}
        ids = {svc.id for svc in catalog.services}
        extra = [(sid, forms) for sid, forms in (synonyms or {}).items() if sid in ids]
        for sid, forms in [*((svc.id, [*svc.names.values(), *svc.synonyms]) for svc in catalog.services), *extra]:
            for t in forms:
                t = _norm(t)
                if t and t not in terms:  # first service to claim a term keeps it
                    terms[t] = sid
        for t, sid in list(terms.items()):  # "lash" for "lashes": the owner writes one number
            one = _singular(t)
            if one and one not in terms:
                terms[one] = sid
        self._terms = terms
        objects: dict[str, str] = {}
        for svc in catalog.services:
            # getattr: a CatalogLike written before objects existed simply has none
            for t in getattr(svc, "objects", ()):
                t = _norm(t)
                if t and t not in objects:
                    objects[t] = svc.id
        self._objects = objects
        self._object_re = _alternation(objects)
        # Objects another service's own words name too (空调: 空调清洗 and 空调维修; aircon:
        # "aircon cleaning"): such a thing alone says which things, not which service.
        self._shared = _shared_objects(objects, terms)
        latin = sorted((t for t in terms if not has_cjk(t)), key=len, reverse=True)
        cjk = sorted((t for t in terms if has_cjk(t)), key=len, reverse=True)
        # a plural s allowed after a term ("2 haircuts", "facials"), the term alone looked up
        self._latin_re = (guarded.compile(r"(?<![a-z0-9])(?=((" + "|".join(map(re.escape, latin))
                                     + r")(?:e?s)?)(?![a-z0-9]))") if latin else None)
        self._cjk_re = guarded.compile("(?=((" + "|".join(map(re.escape, cjk)) + ")))") if cjk else None
        # Terms by their first character, for a term said with a measure word after its verb
        # (`_split`): 剪个头 is 剪头, 做个指甲 做指甲, 补两个小时数学 补数学.
        self._split_heads: dict[str, list[str]] = {}
        for t in cjk:
            if len(t) >= 2 and has_cjk(t[0]) and has_cjk(t[1]):
                self._split_heads.setdefault(t[0], []).append(t)
        self._split_re = (guarded.compile("([" + re.escape("".join(self._split_heads)) + "])" + _FILLER)
                          if self._split_heads else None)
        # each paraphrase with the service its concepts name, or, for a kind some catalogs split by
        # thing (冰箱维修, 洗衣机维修), the services of which the thing named decides (`_paraphrase`)
        self._paraphrases: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
        for pattern, concepts in PARAPHRASES:
            sids = tuple(dict.fromkeys(terms[_norm(c)] for c in concepts if _norm(c) in terms))
            if sids:  # the first is the one meant, but of a kind split by thing
                sids = sids if concepts is _APPLIANCE_REPAIR else sids[:1]
                self._paraphrases.append((guarded.compile(pattern, _PARAPHRASE_FLAGS), sids))
        self._fuzzy_cjk: dict[str, list[str]] = {}
        for t in cjk:
            if len(t) >= 4:
                self._fuzzy_cjk.setdefault(t[0], []).append(t)
        self._by_sound: dict[str, str] = {}  # a short CJK term said by its sound → the term
        for t in cjk:
            if len(t) <= _SOUND_MAX and any(ch in _SOUND_OF for ch in t):
                self._by_sound.setdefault(_sound(t), t)
        self._fuzzy_latin: dict[str, list[str]] = {}
        for t in latin:
            if len(t) >= 6:
                self._fuzzy_latin.setdefault(t[0], []).append(t)

        self._parts = _parts_that_tell_apart([n for svc in catalog.services for n in svc.names.values()], terms)

    def named_by_part(self, text: str) -> str | None:
        """The full name of the service a message names by the part of its name that tells
        it from another's, said alone: "深度的" after 保洁 was read as 日常保洁 is 深度保洁,
        "regular one" Regular cleaning. Only a whole message: inside a sentence "深度" or
        "regular" is any word."""
        if len(text) > _PART_ALONE_MAX_CHARS or not self._parts:  # most messages: no normalising them again
            return None
        m = _PART_ALONE.fullmatch(_norm(text))
        return self._parts.get(m.group("part") or m.group("part_en")) if m else None

    # ------------------------------------------------------------ layers
    def names(self, text: str) -> list[Span]:
        """Every catalog name or synonym in (normalised) text as written, none inferred: where
        a mention must be beyond doubt ("深度保洁和擦玻璃" is two services only because both
        sides of its 和 name one; "洗空调和冰箱" is one, 冰箱 alone names no service). A term
        with a measure word in it ("剪个头") is as written too (`_split`)."""
        return self._exact(text) + [s for s, _ in self._split(text)]

    def holds(self, word: str) -> bool:
        """Whether the catalog's own words name `word` or hold it (`_holder`): a tutor whose
        synonyms say 数学家教 does 家教, a salon naming 美甲 does nails (`nlu.unoffered`); a
        paraphrase of one of its services says it too (剪个短发, where 剪发 is listed)."""
        word = _norm(word)
        holds = _holder(word)
        return bool(word) and (bool(self.names(word)) or bool(self._paraphrase(word))
                               or any(holds(term) for term in self._terms))

    def _exact(self, text: str) -> list[Span]:
        out: list[Span] = []
        for rx in (self._cjk_re, self._latin_re):
            if rx is None:
                continue
            for m in rx.finditer(text):
                term = m.group(2)  # the term, without a plural s
                out.append(Span(m.start(1), m.end(1), self._terms[term]))
        return out

    def _split(self, text: str) -> list[tuple[Span, int]]:
        """Terms said with a measure word, a "一下" or a masked count after their first character
        (`_FILLER`): "剪个头", "做个指甲", "补两个小时数学" (its count masked), each as (the span
        from the verb to the term's end, the term's own length). An owner writes 剪头 and
        做指甲 once; customers put 个 in the middle of any of them, in any trade."""
        if self._split_re is None or not _FILLER_HINT.search(text):  # most messages: nothing split
            return []
        out: list[tuple[Span, int]] = []
        for m in self._split_re.finditer(text):
            rest = next((t for t in self._split_heads[m.group(1)] if text.startswith(t[1:], m.end())), None)
            if rest is not None:
                out.append((Span(m.start(), m.end() + len(rest) - 1, self._terms[rest]), len(rest)))
        return out

    def _paraphrase(self, text: str) -> list[Span]:
        out = []
        for rx, sids in self._paraphrases:
            m = rx.search(text)
            if not m:
                continue
            # a kind the catalog splits (冰箱维修, 洗衣机维修) is the one whose thing is named, if any
            sid = sids[0] if len(sids) == 1 else next(
                (owner for o in self.objects(m.group()) if (owner := self._objects[o.value]) in sids), None)
            if sid is not None:
                out.append(Span(m.start(), m.end(), sid))
        return out

    def _fuzzy(self, text: str) -> list[Span]:
        """Catalog terms within one edit (CJK) or a high ratio (Latin) of a window of the text.

        Typos rarely hit the first character, so only windows starting with a
        term's first character are compared: that keeps 电视打不开 from matching
        门打不开 and keeps the cost to a handful of comparisons per message.
        """
        text = text[: self.FUZZY_MAX_CHARS]
        out: list[Span] = []
        for i, ch in enumerate(text):
            for term in self._fuzzy_cjk.get(ch, ()):
                for size in (len(term), len(term) - 1, len(term) + 1):
                    w = text[i:i + size]
                    if size < 4 or len(w) < size or MASK in w:
                        continue
                    if Levenshtein.distance(term, w, score_cutoff=1) <= 1:
                        out.append(Span(i, i + size, self._terms[term]))
                        break
        words = list(_LATIN_WORD_RE.finditer(text))
        for i, word in enumerate(words):
            for term in self._fuzzy_latin.get(word.group(0)[0], ()):
                n = term.count(" ") + 1
                if i + n > len(words):
                    continue
                s, e = word.start(), words[i + n - 1].end()
                cutoff = 85 if len(term) >= 8 else 88
                if fuzz.ratio(term, text[s:e], score_cutoff=cutoff):
                    out.append(Span(s, e, self._terms[term]))
        return out

    def _sounds_like(self, text: str) -> list[Span]:
        """Short catalog terms written with one same-sounding character instead of theirs
        (`_SOUNDS_ALIKE`): "美夹" for 美甲, "宝洁" for 保洁."""
        out: list[Span] = []
        if not self._by_sound:
            return out
        for i in range(len(text)):
            for size in range(2, _SOUND_MAX + 1):
                w = text[i:i + size]
                term = self._by_sound.get(_sound(w)) if len(w) == size else None
                if term is not None and w != term and sum(a != b for a, b in zip(w, term)) == 1:
                    out.append(Span(i, i + size, self._terms[term]))
        return out

    def objects(self, text: str) -> list[Span]:
        """Every catalog object in (normalised) text, the object itself the value, in text
        order (overlapping ones too: 抽油烟机 and its 油烟机): the things a booking names
        (nlu.items). None inside a word that holds it but means no such thing (`_NO_THING_RE`:
        the 门 of 上门费 is no door)."""
        if self._object_re is None:
            return []
        words = [m.span() for m in _NO_THING_RE.finditer(text)]
        return [Span(m.start(1), m.end(1), m.group(1)) for m in self._object_re.finditer(text)
                if not any(a <= m.start(1) and m.end(1) <= b for a, b in words)]

    def object_named(self, words: str) -> str | None:
        """The catalog object `words` name and nothing else (a plural, "please", "unit", "too"
        may follow: "aircons please", "空调"), else None: "one more aircon" counts a thing a
        service is done to; "another day", "再加一个擦玻璃" count none (`nlu.deltas.thing_added`)."""
        words = _norm(words)
        first = next((o for o in self.objects(words) if o.start == 0), None)
        if first is None:
            return None
        rest = _AFTER_A_THING.sub("", words[first.end:])
        return str(first.value) if not rest.strip() else None

    def objects_of(self, text: str, service: str) -> list[Span]:
        """The objects `service` lists that (normalised) text names, in text order, none inside
        another (油烟机 inside 抽油烟机) and no kind (家电): what a repair is of ("冰箱不制冷" for
        家电维修), for its note."""
        out: list[Span] = []
        for s in self.objects(text):
            if self._objects.get(str(s.value)) == service and s.value not in KINDS \
                    and (not out or s.start >= out[-1].end):
                out.append(s)
        return out

    def _named_objects(self, text: str) -> list[Span]:
        return [Span(s.start, s.end, self._objects[s.value]) for s in self.objects(text)]

    def _specific(self, short: list[Span], objects: list[Span]) -> list[Span]:
        """The short terms that survive the objects named beside them: a term is set
        aside when its service has objects of its own, none of them named, and
        another service's object is (安装 beside 空调 is not a furniture job)."""
        named = {o.value for o in objects}
        owners = set(self._objects.values())
        return [s for s in short if not (s.value in owners and s.value not in named and named)]

    # ------------------------------------------------------------ public
    def find(self, text: str, counted: str | None = None) -> Span | None:
        """The best service mention in (masked, normalised) text, or None.

        `counted`: the thing the message counts, as written ("3 aircons", "3台空调"). An object
        that several services are done to, named only there, names none of them: "make it
        3 aircons" while an aircon cleaning is booked is how many, not a repair instead."""
        if not text.strip():
            return None
        exact = self._exact(text)
        strong = [s for s in exact if s.end - s.start > _SHORT_TERM]
        if not strong:
            split = self._split(text)
            strong = [s for s, size in split if size > _SHORT_TERM]
            exact += [s for s, size in split if size <= _SHORT_TERM]
        para = self._paraphrase(text)
        if strong:
            best = _best(strong)
            # "cleaning 3 air conditioners": the generic "cleaning" inside a paraphrase that
            # names what is cleaned is that paraphrase's service
            inside = [p for p in para if p.start <= best.start and best.end <= p.end and p.value != best.value
                      and p.end - p.start > best.end - best.start]  # "换个锁芯" itself: the owner's word
            return min(inside, key=lambda s: s.start) if inside else best
        if para:
            return min(para, key=lambda s: s.start)
        objects = self._named_objects(text)
        short = self._specific(exact, objects)
        if short:
            return _best(short)
        fuzzy = self._fuzzy(text)
        if objects:
            # "aircon cleanning": a name mistyped around the thing is that name's, not the thing's
            # own service (a repair)
            around = [f for f in fuzzy if any(f.start <= o.start and o.end < f.end for o in objects)]
            if around:
                return _best(around)
            own = [o for o in objects if not (counted and self._counted_shared(text, o, counted))]
            return _best(own) if own else None
        fuzzy = fuzzy or self._sounds_like(text)
        return _best(fuzzy) if fuzzy else None

    def _counted_shared(self, text: str, span: Span, counted: str) -> bool:
        """Whether the object at `span` is a shared one (`_shared`) and the thing `counted`."""
        word = text[span.start:span.end]
        return word in self._shared and word in counted

    def counts_shared(self, counted: str) -> bool:
        """Whether the thing a message counts ("3 aircons", "3 AC units") is one that several
        services are done to: the count names no service (`find`), not even a likely one."""
        return any(o.value in self._shared for o in self.objects(counted))


# Longer than this, a message is more than a part of a name and a filler word or two.
_PART_ALONE_MAX_CHARS = 24
# A part of a name said alone, as an answer: "深度的", "要日常那个", "the deep one", "regular please".
_PART_ALONE = guarded.compile(r"(?:我?要|选|就|那就|还是)?\s*(?P<part>[^\s的]+?)\s*(?:的|那个|那种|吧|呀|啊)*"
                         r"|(?:the\s+)?(?P<part_en>[a-z]+)(?:\s+(?:one|please))*", re.IGNORECASE)


def _parts_that_tell_apart(names: list[str], terms: Mapping[str, str]) -> dict[str, str]:
    """Each part of a service name that is left when the word it shares with another
    service's name is taken away (深度保洁 and 日常保洁 share 保洁: 深度, 日常; "Deep cleaning"
    and "Regular cleaning": "deep", "regular"), mapped to its name; a part two names leave, or
    one that is already a term (of whichever service), tells nothing apart."""
    normed = [_norm(n) for n in names]
    found: dict[str, set[str]] = {}
    for a in normed:
        for b in normed:
            if a == b:
                continue
            words_a, words_b = a.split(), b.split()
            if has_cjk(a) and has_cjk(b):  # a shared ending or beginning of two characters or more
                parts = ([a[:-2]] if len(a) > 2 and a[-2:] == b[-2:] else []) + \
                        ([a[2:]] if len(a) > 2 and a[:2] == b[:2] else [])
            elif not (has_cjk(a) or has_cjk(b)) and len(words_a) > 1 and len(words_b) > 1:  # a shared word
                parts = ([" ".join(words_a[:-1])] if words_a[-1] == words_b[-1] else []) + \
                        ([" ".join(words_a[1:])] if words_a[0] == words_b[0] else [])
            else:
                parts = []
            for part in parts:
                found.setdefault(part, set()).add(a)
    return {part: next(iter(owners)) for part, owners in found.items()
            if len(owners) == 1 and part not in terms and len(part) >= 2
            and not any(part in other for other in normed if other not in owners)}


_PLURAL_ES = ("ses", "shes", "ches", "xes", "zes")


def _singular(term: str) -> str | None:
    """A Latin term's last word in the singular ("lashes" → "lash", "nails" → "nail",
    "family photos" → "family photo"), else None (CJK, or no plural)."""
    if has_cjk(term) or not term.endswith("s") or term.endswith(("ss", "us", "is")) or len(term.split()[-1]) < 4:
        return None
    return term[:-2] if term.endswith(_PLURAL_ES) else term[:-1]


def _shared_objects(objects: Mapping[str, str], terms: Mapping[str, str]) -> frozenset[str]:
    """The objects (object → its service) that another service's terms (term → service) hold."""
    shared = set()
    for obj, owner in objects.items():
        holds = _holder(obj)
        if any(sid != owner and holds(term) for term, sid in terms.items()):
            shared.add(obj)
    return frozenset(shared)


def _holder(word: str) -> Callable[[str], bool]:
    """Whether a catalog term holds `word`: anywhere for CJK, as a whole word for Latin
    ("ac" is in "ac cleaning", not in "washing machine"). Made once a word: every app
    builds a parser, and asking each of its terms about each object is thousands of calls."""
    if has_cjk(word):
        return lambda term: word in term
    rx = re.compile(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])")
    return lambda term: rx.search(term) is not None


def _alternation(terms: Mapping[str, str]) -> re.Pattern[str] | None:
    """One pattern finding every term (longest first), Latin ones as whole words (a
    plural s allowed: toilets, taps), CJK ones anywhere."""
    if not terms:
        return None
    alts = [re.escape(t) if has_cjk(t) else r"(?<![a-z0-9])" + re.escape(t) + r"(?=(?:e?s)?(?![a-z0-9]))"
            for t in sorted(terms, key=len, reverse=True)]
    return guarded.compile("(?=(" + "|".join(alts) + "))")


def _sound(word: str) -> str:
    """`word` with each character that sounds like others (`_SOUNDS_ALIKE`) as its group's first."""
    return "".join(_SOUND_OF.get(ch, ch) for ch in word)


def _best(spans: list[Span]) -> Span:
    """Longest mention wins; among equals, the first one."""
    return max(spans, key=lambda s: (s.end - s.start, -s.start))
