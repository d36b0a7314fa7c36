"""Work customers of home-service businesses often ask for that is no usual catalog service:
"除甲醛", "装窗帘杆和挂画", "hang some pictures".

Said inside a booking ("明天灭蟑螂 顺便除甲醛") such words otherwise end up on the
technician's note, or are dropped, and the customer believes they were booked; said alone
("装窗帘杆和挂画") they match nothing and "which service?" is asked again and again. The
parser flags the words as written; the dialogue says kindly that we don't do them unless
the business's own catalog names them (`ServiceMatcher.names`).
"""

from __future__ import annotations

import re
from typing import Sequence

from nlu import guarded

_KINDS = guarded.compile(
    r"(?:去除|清除|除|去|测|检测|治理)?甲醛"
    r"|(?:安装|装|挂|换)窗帘(?:杆|轨道|导轨|盒)?|窗帘(?:杆|轨道|导轨|盒)"
    r"|(?:挂|装)(?:画|照片|相框|镜子)"
    r"|(?:墙面|墙壁)?(?:粉刷|刷(?:一下|下|一遍)?墙(?:面|壁)?|刷漆)"
    r"|贴(?:瓷砖|墙纸|壁纸)"
    r"|月嫂|育儿嫂|保姆|家教|美甲|护工|陪护|带孩子|看孩子|带娃"
    # a haircut, asked of a nail salon or a home-services business ("剪个短发", "理个发")
    r"|(?:剪|理|烫|染)(?:个|一下|下|一个|一次)?(?:短|长|齐)?(?:头发|发型|发|头)(?![疼痛])|洗剪吹"
    # brows, asked of a nail and lash salon that lists none ("顺便修个眉毛")
    r"|(?:修|纹|绣|做)(?:个|一下|下)?眉毛?"
    # pets, cars, computers and meals: asked of a home-services business, seldom its catalog's
    # ("厨房做饭的地方多擦擦" is where to clean, no cooking asked)
    r"|遛狗|(?:喂|照顾)(?:猫|狗|宠物)|宠物寄养|洗车|修(?:电脑|手机|笔记本)|(?:做(?:个|顿|一顿)?饭|烧饭|做菜)(?!的)"
    r"|\bformaldehyde(?: removal| testing| test)?\b"
    # curtains put up, not washed ("please also wash the curtains" is part of a cleaning)
    r"|\b(?:install(?:ing)? |put(?:ting)? up |hang(?:ing)? )(?:a |the |some |my |our )?curtains?(?: rods?| rails?)?\b"
    r"|\bcurtain (?:rods?|rails?)\b"
    r"|\b(?:hang(?:ing)?|put(?:ting)? up) (?:a |the |some |my |our )?(?:pictures?|paintings?|frames?|mirrors?)\b"
    r"|\b(?:paint(?:ing)? (?:the |my |our )?(?:[a-z]+ )?walls?|wall painting)\b"
    r"|\b(?:babysit(?:ting|ter)?|nanny|dog walk(?:ing|er)|pet sitt(?:ing|er)|car wash|caregiver|elderly care)\b"
    r"|\b(?:walk(?:ing)?|feed(?:ing)?) (?:my|the|our) (?:dogs?|cats?|pets?)\b"
    r"|\b(?:wash(?:ing)?|clean(?:ing)?) (?:my|the|our) car\b"
    r"|\b(?:fix(?:ing)?|repair(?:ing)?) (?:my|the|our) (?:computer|laptop|pc|phone|iphone|car)\b",
    re.IGNORECASE,
)

# Between two such kinds, words that join them into one phrase: "装窗帘杆和挂画".
_JOIN = guarded.compile(r"^\s*(?:和|跟|与|及|还有|、|,|，|and|&|\+)?\s*$", re.IGNORECASE)


# Words around such work that say what is done to it, not what it is: a catalog naming
# "removal" (moving) or "安装" (furniture assembly) does not do formaldehyde or curtains.
_DOING = guarded.compile(
    r"^(?:去除|清除|除|去|测|检测|治理|安装|装|挂|换|贴|install(?:ing)?\s|put(?:ting)? up\s|hang(?:ing)?\s)"
    r"|\s(?:removal|testing|test)$|\b(?:a|the|some|my|our)\s",
    re.IGNORECASE)


def what_it_is(phrase: str) -> str:
    """`phrase` without the words for doing it ("除甲醛" → "甲醛", "formaldehyde removal" →
    "formaldehyde"): what the catalog must name to offer it (pure)."""
    return _DOING.sub(" ", phrase).strip() or phrase


def owners_kinds(words: Sequence[str]) -> re.Pattern[str] | None:
    """The business's own words for work it does not do (catalog `not_offered:`), as one
    pattern found as `_KINDS` is; None when it lists none (pure)."""
    listed = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)  # longest first
    if not listed:
        return None
    return guarded.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in listed),
                      re.IGNORECASE)


def unoffered_kinds(text: str, owners: re.Pattern[str] | None = None) -> list[str]:
    """The phrases of such work in `text` (the usual kinds, and the business's own `owners`),
    as written; joined ones kept as one (pure)."""
    found: list[tuple[int, int]] = []
    said = sorted([*_KINDS.finditer(text), *(owners.finditer(text) if owners is not None else ())],
                  key=lambda m: m.start())
    for m in said:
        if found and m.start() < found[-1][1]:  # one phrase found by both: counted once
            found[-1] = (found[-1][0], max(found[-1][1], m.end()))
            continue
        if found and _JOIN.match(text[found[-1][1]:m.start()]):
            found[-1] = (found[-1][0], m.end())
        else:
            found.append(m.span())
    return [text[a:b].strip() for a, b in found]


# Why such work is wanted, said beside it: a new or newly done-up home ("我家刚装修完要除甲醛吗",
# "we just moved in, can you test for formaldehyde?"). Alone these words read as a deep clean or
# a move; beside work we don't do they are its reason, and book nothing.
_REASON = guarded.compile(
    r"(?:刚|才|新)?(?:装修|装潢|翻新)(?:好|完|过)?(?:后|的)?(?:房子|房间|家)?|新房|新家|新居|入住前|刚入住"
    r"|(?:刚|才)搬(?:进|到|过来|来)?(?:新家|新房|新居)?"
    r"|\b(?:just |newly |recently )?(?:renovated|redecorated|refurbished|done up)\b|\brenovations?\b"
    r"|\b(?:just |recently )?moved in(?:to)?\b|\bmove-?in\b|\bnew (?:flat|home|house|apartment|place)\b",
    re.IGNORECASE)


def without_reasons(text: str) -> str:
    """`text` with the words that only say why such work is wanted blanked, positions kept
    ("我家刚装修完要 吗" → "我家     要 吗"): what is left must name a service to book one (pure)."""
    return _REASON.sub(lambda m: " " * len(m.group()), text)


_CLAUSE = guarded.compile(r"[^，,。.;；!！?？\n]+")


def without_kinds(note: str, kinds: list[str]) -> str | None:
    """`note` without its clauses that name such work ("顺便除甲醛，家里有猫" → "家里有猫"), or
    None when nothing else is left: the note must not carry work nobody will do (pure)."""
    kept = [c.group().strip() for c in _CLAUSE.finditer(note) if not any(k in c.group() for k in kinds)]
    kept = [c for c in kept if c]
    return "，".join(kept) if kept else None
