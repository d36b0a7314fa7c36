"""The small numeric slots: order reference, rating, quantity.

They run after phone, date and time have been masked, because every one of
them is "a number next to a word" and would otherwise read 3点 as three of
something or a phone number as an order.
"""

from __future__ import annotations

import re
from typing import Callable

from nlu import guarded
from nlu.notes import HOME_SIZE_RE
from nlu.numerals import CN_DIGITS as _CN
from nlu.numerals import EN_NUMBER_ALT, SPOKEN_COUNT, SPOKEN_COUNTS, to_int
from nlu.spans import MASK, Span

# ---------------------------------------------------------------- order_ref
# Our own format YYYYMMDD-NNNN, anywhere; other shapes only after a label.
_OUR_REF_RE = guarded.compile(
    r"(?<![\d])(?P<d>20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))\s*[-_]\s*(?P<n>\d{4})(?!\d)"
)
_LABELLED_REF_RE = guarded.compile(
    r"(?:订单号|订单编号|单号|编号|订单|order\s*(?:number|no\.?|id)?|ref(?:erence)?(?:\s*(?:number|no\.?))?)"
    r"\s*(?:是|为|:|#|号|is)?\s*#?\s*(?P<ref>[a-z0-9][a-z0-9-]{3,24})(?![a-z0-9-])"
)


def find_order_refs(norm: str, wide: str) -> list[Span]:
    hits = [Span(m.start(), m.end(), f"{m['d']}-{m['n']}") for m in _OUR_REF_RE.finditer(norm)]
    for m in _LABELLED_REF_RE.finditer(norm):
        if any(h.start < m.end() and m.start() < h.end for h in hits):
            continue
        ref = m["ref"]
        if any(c.isdigit() for c in ref):
            hits.append(Span(m.start("ref"), m.end("ref"), wide[m.start("ref"):m.end("ref")].upper()))
    hits.sort(key=lambda s: s.start)
    return hits


# ---------------------------------------------------------------- rating
_RATING_ZH_RE = guarded.compile(
    rf"(?<![\d{_CN}.])(?P<n>\d{{1,3}}|[{_CN}]{{1,3}})\s*(?P<u>颗星|个星|星|分)"
)
_RATING_PREFIX = ("打", "给", "评", "得", "打了", "给了", "评了", "给个", "打个", "给你", "给你们", "评分", "评价")
_RATING_SUFFIX_OK = guarded.compile(r"(?:$|[\s,.!?，。！？~、:;：；)]|好评|差评|评价|吧|啊|了|哦|呀|满分|给)")
_RATING_EN_RE = guarded.compile(
    rf"(?<![\d.])(?P<n>\d{{1,2}}|{EN_NUMBER_ALT})\s*-?\s*(?:stars?|\*)(?![a-z])"
    r"|(?<![\d.])(?P<f>\d{1,3}(?:\.\d)?)\s*(?:/|out of)\s*(?P<den>5|10|100)(?!\d)"
    rf"|(?<![a-z])(?:rate|rating|rated|score|give (?:you|it|them|him|her|us)|giving (?:you|it|them))"
    rf"\s*(?:is|:|of|you|it|them|him|her|us|the service|a|an)?\s*(?:a\s+|an\s+)?(?P<n2>\d{{1,3}}|{EN_NUMBER_ALT})(?![\d:])(?!\s*(?:am|pm)\b)"
)
_STARS_RE = guarded.compile(r"[⭐★🌟]+")
# A score after a label, without a unit: 评分：4, 打分 8, 星级是5 (read on the contract's scale rule).
_RATING_LABEL_RE = guarded.compile(
    rf"(?:评分|打分|分数|评星|星级|给分)\s*(?:是|为|:|：)?\s*(?P<n>\d{{1,3}}|[{_CN}]{{1,3}})(?![\d.:{_CN}])"
    r"(?!\s*(?:颗星|个星|星|分|%|点|号|月|天|个|次|块|元))"
)
# 满分 alone is full marks; not when negated (不算满分, 差一点就满分) or naming the scale (满分10分, 满分是多少).
_FULL_MARKS_RE = guarded.compile(
    rf"满分(?!\s*(?:是|为|制|多少|几|\d|[{_CN}]))|(?<![a-z])full marks(?![a-z])"
)
_NOT_FULL_RE = guarded.compile(r"(?:[不没非差离距未](?:算|是|有|拿|到|得|给|打|一点|点)?(?:就|能)?|not\s+(?:quite\s+)?)$")


def _round_half_up(x: float) -> int:
    return int(x + 0.5)


def scale_rating(n: float, out_of: int | None) -> int | None:
    """1-5 from a score: stars as is; 10-point and 100-point scores scaled to 5."""
    if out_of is None:
        out_of = 5 if n <= 5 else 10 if n <= 10 else 100 if n <= 100 else 0
    if not out_of or n < 0 or n > out_of:
        return None
    value = _round_half_up(n * 5 / out_of)
    return min(5, max(1, value)) if n > 0 else None


def find_ratings(norm: str, context: str | None = None) -> list[Span]:
    """Ratings in (masked) `norm`; `context` is the unmasked text, for the words around a number."""
    context = norm if context is None else context
    hits: list[Span] = []
    for m in _RATING_ZH_RE.finditer(norm):
        n = to_int(m["n"])
        if n is None:
            continue
        before = context[max(0, m.start() - 3):m.start()].rstrip()
        after = context[m.end():m.end() + 2]
        if not (before.endswith(_RATING_PREFIX) or _RATING_SUFFIX_OK.match(after)):
            continue  # 十分满意 = "very", 三星冰箱 = Samsung, 5分钟 = minutes
        if after.startswith(("钟", "之", "期", "级", "座")):
            continue
        if m["u"] == "分":
            value = scale_rating(n, None)
        else:
            value = n if 1 <= n <= 5 else None
        if value:
            hits.append(Span(m.start(), m.end(), value))
    for m in _RATING_EN_RE.finditer(norm):
        if m["f"]:
            value = scale_rating(float(m["f"]), int(m["den"]))
        else:
            n = to_int(m["n"] or m["n2"])
            value = scale_rating(n, None) if n is not None else None
            if m["n"] and n is not None and n > 5:
                value = None  # "7 stars" is not a 1-5 rating
        if value:
            hits.append(Span(m.start(), m.end(), value))
    for m in _RATING_LABEL_RE.finditer(norm):
        n = to_int(m["n"])
        value = scale_rating(n, None) if n is not None else None
        if value:
            hits.append(Span(m.start(), m.end(), value))
    hits.extend(Span(m.start(), m.end(), 5) for m in _FULL_MARKS_RE.finditer(norm)
                if not _NOT_FULL_RE.search(context, max(0, m.start() - 12), m.start()))
    for m in _STARS_RE.finditer(norm):
        hits.append(Span(m.start(), m.end(), min(5, m.end() - m.start())))
    hits.sort(key=lambda s: s.start)
    return hits


def bare_rating(core: str) -> int | None:
    """"5" or "五" answered to "how many stars?"."""
    n = to_int(core)
    if n is None:
        return None
    return scale_rating(n, None)


# ---------------------------------------------------------------- quantity
# Counters that always count something the business sells by (rooms, units, hours, people).
_DIRECT_UNITS = ("个小时", "个钟头", "个钟", "小时", "钟头", "间", "台", "套", "位", "名", "扇")
# Counters that only count when followed by such a noun (一个问题 is not a quantity).
_NOUN_UNITS = ("个", "张", "把", "件", "组", "只", "处", "块")
_COUNTABLE = (
    "房间", "卧室", "房", "屋", "厕所", "卫生间", "洗手间", "浴室", "马桶", "空调", "窗户", "窗", "柜子", "衣柜",
    "柜", "床", "人", "师傅", "阿姨", "工人", "保洁", "水龙头", "灯", "门", "锁", "厅", "阳台", "厨房",
    "冰箱", "洗衣机", "热水器", "油烟机", "地漏", "水槽", "下水道", "桌子", "桌", "椅子", "椅", "书架",
    "沙发", "箱子", "家具", "电视", "小时", "钟头", "钥匙", "玻璃", "纱窗", "区域", "房子",
)
# 俩 and 仨 hold their counter: "俩空调", "仨小时" count as "两个空调", "三个小时" do.
_QTY_ZH_RE = guarded.compile(
    rf"(?<![\d.第几{_CN}])(?P<n>\d{{1,3}}|[{_CN}]{{1,4}}|{SPOKEN_COUNT})\s*"
    rf"(?P<u>{'|'.join(_DIRECT_UNITS)}|{'|'.join(_NOUN_UNITS)}"
    rf"|(?<=[{''.join(SPOKEN_COUNTS)}])(?=(?:{'|'.join(_COUNTABLE)})))"
)
# Up to two describing words between a count and the item (2 IKEA beds, 3 large double
# windows); a function word or a time/measure word in between means the number
# counts something else ("2 questions about beds", "3 days of cleaning").
_EN_ITEM_WORDS = (
    r"(?:(?!(?:of|about|and|or|to|for|in|at|on|by|with|from|than|the|a|an|my|your|our|their|his|her|its|"
    r"am|pm|days?|weeks?|months?|years?|minutes?|mins?|times?|pounds?|dollars?|yuan|quid|percent|stars?)(?![a-z]))"
    r"(?:a/c|[a-z][a-z'-]*)\s+){0,2}"
)
_QTY_EN_RE = guarded.compile(
    # "3 hours", "3-bedroom", and written together as chat runs them on ("3hrs", "2units")
    rf"(?<![\d.:a-z])(?P<n>\d{{1,3}}|{EN_NUMBER_ALT})(?:[\s-]+{_EN_ITEM_WORDS}|(?<=\d)(?=[a-z]))"
    r"(?P<u>rooms?|bedrooms?|bathrooms?|hours?|hrs?|people|persons?|guys|men|staff|technicians?|units?|appliances?|windows?|toilets?|beds?|"
    r"cleaners?|workers?|movers?|helpers?|air ?conditioners?|acs|a/cs?|aircons?|pieces?|items?|doors?|locks?|"
    r"wardrobes?|desks?|tables?|chairs?|sofas?|couches?|fridges?|machines?|kitchens?|sinks?|drains?|"
    r"apartments?|flats?|keys?|shelves|bookshelves|cabinets?|beds?)(?![a-z])"
)

# A count right before a word (a catalog name, `find_quantities` checks): "2 haircuts", "three facials".
_QTY_EN_NAMED_RE = guarded.compile(rf"(?<![\d.:a-z])(?P<n>\d{{1,3}}|{EN_NUMBER_ALT})\s+(?=[a-z])")

# A count that names no unit but says it counts what was just named: "there are 2 of them",
# "all three of them", "there are three", "we have 3", "x3" ("aircon cleaning x3"). A number
# then a word ("we have 2 kids") counts that word, which the unit readers above know or not;
# "one of them is broken" is a part of them, not how many.
_EN_CLAUSE_END = r"(?=\s*(?:$|[,.;!?，。；！？\x00]|(?:and|but|so|please|pls|thanks|in total|altogether|total)(?![a-z])))"
_QTY_EN_SAID_RE = guarded.compile(
    rf"(?<![\d.:a-z])(?P<n>\d{{1,3}}|{EN_NUMBER_ALT})\s+of\s+(?:them|those|these)(?![a-z]){_EN_CLAUSE_END}"
    rf"|(?<![a-z])all\s+(?P<n4>\d{{1,3}}|{EN_NUMBER_ALT})\s+of\s+(?:them|those|these)(?![a-z])"
    rf"|(?<![a-z])(?:there\s+(?:are|is|'re|will be)|there're|we(?:'ve| have| got|'ve got)|i(?:'ve| have| got|'ve got))"
    rf"\s+(?P<n2>\d{{1,3}}|{EN_NUMBER_ALT}){_EN_CLAUSE_END}"
    r"|(?<![a-z0-9])[x×]\s?(?P<n3>\d{1,2})(?![\d:.a-z])"
)

# A duration already spent is not what the customer orders: 等了快两个小时, 迟到了半小时,
# "waited 2 hours", "an hour late".
_SPENT_BEFORE_RE = guarded.compile(
    r"(?:等|等待|等候|过|晚|迟到|耽误|拖|干|弄|搞|修|用)了?\s*(?:快|差不多|将近|大概|足足|整整|都|有|近|好)*\s*$"
    r"|(?:waited|waiting|been waiting|late by|took(?: them| him| her)?|wasted)\s+(?:for\s+)?"
    r"(?:over|about|almost|nearly|around|like)?\s*$"
)
_SPENT_AFTER_RE = guarded.compile(r"\s*(?:late|ago)\b")
# What only a duration counts: "修2台洗衣机" is two machines to fix, "修了两个小时" time spent.
_TIME_UNIT_RE = guarded.compile(r"小时|钟|hours?|hrs?", re.IGNORECASE)


def _spent_duration(norm: str, start: int, end: int) -> bool:
    """Whether the count at norm[start:end] is time already spent (see _SPENT_BEFORE_RE): a
    count of hours only, since 修/弄/用 before a count of things is the job asked for."""
    if not _TIME_UNIT_RE.search(norm, start, end + 3):
        return False
    return bool(_SPENT_BEFORE_RE.search(norm[max(0, start - 16):start]) or _SPENT_AFTER_RE.match(norm, end))


def _ends_spaced_clause(norm: str, m: re.Match[str]) -> bool:
    """"装床 两张 周六": in WeChat style a space (or a slot already taken) ends the clause, and a counter there
    counts the item named right before it. Without that item ("有三个 问题") it does not."""
    after = norm[m.end():m.end() + 1]
    if not (after.isspace() or after == MASK):  # a slot taken before (周六) ends the clause too
        return False
    return norm[:m.start()].rstrip().endswith(_COUNTABLE)


# "两个柜子加一张床", "2 beds and 1 wardrobe": counts of different items added up give no one
# quantity (3 of what?), so neither count is taken; a count of rooms, then of hours, in a
# clause of its own ("两个房间，3小时") still is.
_ADDED_UP_RE = guarded.compile(
    r"[^，,。.!！?？;；\n\x00]{0,12}?(?:加上?|和|还有|跟|以及|外加|另加|再加|\+|&|\band\b|\bplus\b)\s*"
)


def _not_added_up(norm: str, hits: list[Span]) -> list[Span]:
    """`hits` (in text order) without the counts joined by 加/和/and (see _ADDED_UP_RE)."""
    joined = {i for i in range(len(hits) - 1)
              if _ADDED_UP_RE.fullmatch(norm, hits[i].end, hits[i + 1].start)}
    return [h for i, h in enumerate(hits) if i not in joined and i - 1 not in joined]


_CN_SINGLE = "一二三四五六七八九"


def _approximate(numeral: str) -> bool:
    """三四, 两三, 七八: "three or four", no stated count (the contract: quantity only when
    stated), though cn2an reads them as 34, 23, 78."""
    digits = numeral.replace("两", "二")
    return len(digits) == 2 and all(c in _CN_SINGLE for c in digits) \
        and _CN_SINGLE.index(digits[1]) == _CN_SINGLE.index(digits[0]) + 1


# A party of people said by who they are ("一家三口", "两个大人一个小孩", "me and my 2 kids", "2 adults
# and 1 child"): how many people, all told. Whether that is how many are served (a salon) or only
# who lives there (a home cleaned) the dialogue decides by the service (`counts_people`).
_ZH_N = rf"(?:\d{{1,2}}|[{_CN}]{{1,2}})"
_ADULTS_ZH = rf"(?P<a>{_ZH_N})\s*(?:个|位)?\s*(?:大人|成人|成年人)"
_KIDS_ZH = rf"(?P<k>{_ZH_N})\s*(?:个|位)?\s*(?:小孩子?|孩子|小朋友|儿童|宝宝|娃)"
_KIDS_EN = r"(?:kids?|children|child|daughters?|sons?|girls|boys)"
_PARTY_RE = guarded.compile(
    rf"一家(?P<fam>{_ZH_N})口"
    rf"|{_ADULTS_ZH}\s*[和跟加带,，、+]?\s*{_KIDS_ZH.replace('?P<k>', '?P<k2>')}"
    rf"|(?<![\d.a-z])(?P<ea>\d{{1,2}}|{EN_NUMBER_ALT})\s+adults?\s*(?:and|&|\+|,)?\s*(?P<ek>\d{{1,2}}|{EN_NUMBER_ALT})\s+{_KIDS_EN}(?![a-z])"
    rf"|(?<![a-z])(?:me|myself|i) (?:and|&|\+|with) (?:my )?(?P<with>\d{{1,2}}|{EN_NUMBER_ALT}) (?:{_KIDS_EN}|friends|sisters|brothers)(?![a-z])"
    rf"|(?<![\d.a-z])(?P<en_k>\d{{1,2}}|{EN_NUMBER_ALT})\s+(?:kids|children)(?![a-z])"
)


def party_counts(norm: str) -> list[Span]:
    """The parties of people in `norm` (`_PARTY_RE`), each the whole phrase with how many it is."""
    out: list[Span] = []
    for m in _PARTY_RE.finditer(norm):
        if m["fam"]:
            n = to_int(m["fam"])
        elif m["a"]:
            a, k = to_int(m["a"]), to_int(m["k2"])
            n = a + k if a and k else None
        elif m["ea"]:
            a, k = to_int(m["ea"]), to_int(m["ek"])
            n = a + k if a and k else None
        elif m["with"]:
            k = to_int(m["with"])
            n = k + 1 if k else None
        else:
            n = to_int(m["en_k"])
        if n is not None and 0 < n < 100:
            out.append(Span(m.start(), m.end(), n))
    return out


def find_quantities(norm: str, names: Callable[[str], list[Span]] | None = None) -> list[Span]:
    """The counts in `norm` (see the counters above). `names`: the catalog's service names
    found in a text, which a noun counter counts too, but for 一个, which is "a" ("3个深度保洁": the dialogue tells the
    customer a deep clean is priced by the visit, rather than booking one unsaid)."""
    hits: list[Span] = []
    for m in _QTY_ZH_RE.finditer(norm):
        if _approximate(m["n"]):
            continue
        unit = m["u"]
        if unit in _NOUN_UNITS:
            rest = norm[m.end():m.end() + 4].lstrip()
            # "就一张" / "两个": a counter that ends the clause counts what was just named.
            # "三个呢" after a price: 呢 ends it too
            ends_clause = not rest or rest[0] in "，,。.!！?？~～ 呢" or _ends_spaced_clause(norm, m)
            named = names is not None and m["n"] not in ("一", "1") and any(n.start == 0 for n in names(norm[m.end():m.end() + 12].lstrip()))
            if not (rest.startswith(_COUNTABLE) or ends_clause or named):
                continue
            if unit == "个" and rest.startswith("人") and m["n"] in ("一", "1"):
                continue  # 我一个人在家: "alone", not a head count
        n = to_int(m["n"])
        if n is not None and 0 < n < 1000 and not _spent_duration(norm, m.start(), m.end()):
            hits.append(Span(m.start(), m.end(), n))
    for m in _QTY_EN_RE.finditer(norm):
        n = to_int(m["n"])
        if HOME_SIZE_RE.match(norm, m.start()):
            continue  # "3 bed apt": the home's size, no count of anything to book (a note, nlu.notes.home_size)
        if n is not None and 0 < n < 1000 and not _spent_duration(norm, m.start(), m.end()):
            # Only the count is taken: the item ("2 IKEA beds") may still name the service.
            hits.append(Span(m.start(), m.end("n"), n))
    if names is not None:
        for m in _QTY_EN_NAMED_RE.finditer(norm):  # "2 haircuts", "two facials": the service's own name counted
            n = to_int(m["n"])
            if n is not None and 1 < n < 1000 and not any(h.start <= m.start() < h.end for h in hits) \
                    and any(s.start == 0 for s in names(norm[m.end():m.end() + 40])):
                hits.append(Span(m.start(), m.end("n"), n))
    for m in _QTY_EN_SAID_RE.finditer(norm):
        key = next(k for k in ("n", "n2", "n3", "n4") if m[k])
        n = to_int(m[key])
        if n is not None and 0 < n < 1000 and not any(h.start <= m.start(key) < h.end for h in hits):
            hits.append(Span(m.start(key), m.end(key), n))
    hits.sort(key=lambda s: s.start)
    hits = _not_added_up(norm, hits)
    parties = party_counts(norm)
    if parties:  # "两个大人一个小孩": three people, not the adults or the child alone
        hits = sorted([h for h in hits if not any(p.start <= h.start < p.end for p in parties)] + parties,
                      key=lambda s: s.start)
    return hits


_COUNTABLE_AFTER_RE = guarded.compile(rf"\s*(?:{'|'.join(sorted(_COUNTABLE, key=len, reverse=True))})")
_COUNTABLE_BEFORE_RE = guarded.compile(rf"(?:{'|'.join(sorted(_COUNTABLE, key=len, reverse=True))})(?:的)?\s*$")


def counted_thing(norm: str, count: Span) -> str | None:
    """The count at `count` with the thing it counts, when that is a thing in the home rather
    than the service itself: "2个马桶", "10扇窗户", "衣柜两个", "2 toilets"; None for "3个深度保洁",
    "3小时" or a bare "两个". A service priced by the visit notes it for the technician instead of
    booking so many visits."""
    said = norm[count.start:count.end]
    if _PARTY_RE.fullmatch(said):
        return said  # "一家三口", "me and my 2 kids": the people, as said
    if said.endswith(("小时", "钟头", "个钟")):
        return None  # a length, which an hourly service is priced by
    after = _COUNTABLE_AFTER_RE.match(norm, count.end)
    if after is not None and after.group().strip() not in ("小时", "钟头"):
        return norm[count.start:after.end()].strip()
    before = _COUNTABLE_BEFORE_RE.search(norm, 0, count.start)
    if before is not None and not norm[count.end:count.end + 1].strip(" ，,。.!！?？~～\x00"):
        return (norm[before.start():count.start].rstrip() + said).strip()
    m = _QTY_EN_RE.match(norm, count.start) if said.isascii() else None
    if m is not None and not m["u"].startswith(("hour", "hr")):
        return m.group()
    return None


# A count of people ("2 cleaners", "两个阿姨", "两个人"): no hours of a visit.
_HEADS_RE = guarded.compile(r"(?:cleaners?|workers?|helpers?|people|persons?|guys|men|staff|technicians?|ayis?"
                       r"|阿姨|师傅|人|保洁员|工人)$", re.IGNORECASE)
# A count of customers themselves, a party ("一家三口", "两个大人一个小孩", "2 kids"): who is served
# at a salon, who lives in a home cleaned; never the staff sent.
_PARTY_END_RE = guarded.compile(r"(?:口|小孩子?|孩子|小朋友|儿童|宝宝|娃|kids?|children|child|daughters?|sons?|girls|boys"
                           r"|friends|sisters|brothers)$", re.IGNORECASE)


def counts_people(counted: str) -> bool:
    """Whether a count as said (`counted_thing`: "两个人", "2 people") counts people: for a service
    priced by the hour, who comes or who is taught, not how many hours."""
    return bool(_HEADS_RE.search(counted) or _PARTY_END_RE.search(counted))


def names_a_party(counted: str) -> bool:
    """Whether a count as said names a party of customers by who they are ("一家三口", "两个大人一个
    小孩", "me and my 2 kids"): never the staff sent, as "两个人" may be."""
    return bool(_PARTY_END_RE.search(counted))


def counts_a_party(counted: str) -> bool:
    """Whether a count as said counts people who may be the customers themselves ("一家三口",
    "我和闺蜜两个人", "3位"): at our place, how many are served."""
    return names_a_party(counted) or bool(re.search(r"(?:个人|人|位|people|persons?)$", counted))


def hours_and_heads(norm: str, counts: list[Span]) -> tuple[Span, str] | None:
    """(the count of hours, the people counted as said) when a message counts both ("2 cleaners
    for 3 hours", "两个阿姨打扫3小时"): the hours are how long a visit priced by the hour is
    booked for, and the people a note for staff; the first count read, the people, booked 2 hours."""
    hours = next((c for c in counts if norm[c.start:c.end].endswith(("小时", "钟头", "个钟"))
                  or _TIME_UNIT_RE.match(norm[c.end:c.end + 8].lstrip(" -"))), None)
    heads = next((thing for c in counts if c is not hours and (thing := counted_thing(norm, c)) is not None
                  and _HEADS_RE.search(thing)), None)
    return (hours, heads) if hours is not None and heads is not None else None


_BARE_QTY_RE = guarded.compile(rf"^(?P<n>\d{{1,3}}|[{_CN}]{{1,4}}|{SPOKEN_COUNT}|{EN_NUMBER_ALT})\s*(?:个|间|台|位|套|人|只|张|把|件)?$")


# A whole message that is a number with the words of an answer around it: "3 please", "just
# 2", "only three then". A number alone ("3") is not one: at a summary it picks a button.
_FRAMED_QTY_RE = guarded.compile(
    rf"^(?:(?:ok(?:ay)?|so|just|only)\s+)+(?P<n>\d{{1,3}}|{EN_NUMBER_ALT})(?:\s+(?:please|pls|then|thanks))*$"
    rf"|^(?:(?:ok(?:ay)?|so|just|only)\s+)*(?P<n2>\d{{1,3}}|{EN_NUMBER_ALT})(?:\s+(?:please|pls|then|thanks))+$"
)


def framed_quantity(core: str) -> int | None:
    """"3 please", "just 2" said while nothing was asked (at the summary, say): how many of
    the service being booked; the dialogue tells a customer whose service is priced by the
    visit that it counts none."""
    m = _FRAMED_QTY_RE.match(core)
    n = to_int(m["n"] or m["n2"]) if m else None
    return n if n is not None and 0 < n < 1000 else None


def bare_quantity(core: str) -> int | None:
    """"两个" or "3" answered to "how many?"."""
    m = _BARE_QTY_RE.match(core)
    if not m:
        return None
    n = None if _approximate(m["n"]) else to_int(m["n"])
    return n if n is not None and 0 < n < 1000 else None
