"""Two bookings in one message: where the second one starts.

"明天上午做个深度保洁，后天下午修空调" asks for two visits. Read as one message it
became one order with the first one's day and the longest service name (an
appliance repair tomorrow morning): a wrong order nobody asked for. Split at
the second request, the dialogue books the first and then the second.

A message is two requests when, cut into clauses at punctuation and joining
words (另外, 还有, "and"), it falls into groups that each start with a clause
naming a service (a clause without one belongs to the group before it, so
"…，地址望京SOHO，电话…" goes with the last request), a later group names a
different service than the first, and both say when (a day, a time or a part
of day). A second service with no when of its own ("明天下午保洁，顺便擦下玻璃")
is one visit, and so is a when shared by both ("深度保洁，顺便擦玻璃，明天下午3点"):
`one_visit` says which service the visit is for (the first named) and what else
the customer asked for then, in their words, for the order's note.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Callable

from nlu import guarded
from nlu.datetime_rules import extract_when
from nlu.spans import Span

# Said once for both requests, wherever in the message: the first one has them too.
CONTACT_SLOTS = ("address", "phone", "name")
# Where a clause ends: punctuation, or a word that joins a second thing on.
_JOINS_RE = guarded.compile(
    r"[,，;；。!！?？\n]+\s*(?:另外|还有|还要|然后|以及|再|and(?: also)?|also|plus)?\s*"
    r"|\s*(?:另外|还有|以及)\s*"
    r"|\s+(?:and(?: also)?|plus)\s+"
    # a space between Chinese words, as a comma is typed on a phone ("明天上午修冰箱 下午三点通马桶")
    r"|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", re.IGNORECASE)


# Where a second service for the same visit starts: as above, but not at a bare "and",
# which joins the words of one service as often ("oven and range hood clean"), nor at the
# words inside a clause that `_JOIN_IN_CLAUSE_RE` reads.
_VISIT_JOINS_RE = guarded.compile(
    r"[,，;；。!！?？\n]+\s*(?:另外|还有|还要|然后|以及|再|and(?: also)?|also|plus)?\s*"
    r"|\s*(?:另外|还有|以及)\s*", re.IGNORECASE)


# A service named only as what need not be done ("can you do it without moving the sofa?",
# "no need to move the sofa", "不用搬沙发", "不需要搬家具"): the way the visit is wanted, for its
# note, never another service for it (`not_wanted`).
_NOT_WANTED_RE = guarded.compile(
    r"(?:\bwithout|\bno need (?:to|for)|\b(?:do|does|will|would)(?: not|n'?t) (?:need|want|have)(?: (?:to|you to|any|a|the))?"
    r"|\bnot)\s+(?:any\s+|the\s+)?$"
    r"|(?:不用|不需要?|不要?|无需|不必|别|免)(?:再|帮忙|帮我|帮我们|您|你们?)?\s*$", re.IGNORECASE)


def not_wanted(text: str, found: Span) -> bool:
    """Whether the service mention `found` in `text` is said not to be wanted, right before it
    ("without moving", "不用搬") (pure)."""
    return _NOT_WANTED_RE.search(text[:found.start]) is not None


# Inside a clause, two kinds of word join a second service to the visit (`_and_splits`):
# - ``add``: "顺便", "再", "还要", "外加", "加上", "同时", "+", "plus", "and also" ("深度保洁顺便擦玻璃",
#   "deep clean plus window cleaning tomorrow 10am"): they add something, never join the words
#   of one service, so a service before them and one after them will do;
# - ``and``: "和", "跟", "、", "and" ("深度保洁和擦玻璃", "深度保洁、擦玻璃和家电清洗"): only where a whole
#   catalog name stands on either side, since these join the words of one service or an address
#   as often ("客厅和卧室的保洁", "kitchen and bathroom deep clean", "和平里3号楼").
_JOIN_IN_CLAUSE_RE = guarded.compile(
    r"(?P<add>\s*(?:顺便|顺带|再|还要|外加|加上|另加|同时|\+)\s*|\s+(?:and also|plus|as well as)\s+)"
    r"|(?P<and>\s*(?:和|跟|、)\s*|\s+and\s+)", re.IGNORECASE)
# What may stand between "和" and the second service: "和做个擦玻璃", "and a window cleaning".
_AND_LEAD_RE = guarded.compile(r"(?:做|来|约)?(?:个|一个|一次|一下)?\s*(?:(?:a|an|the|some)\s+)?", re.IGNORECASE)


# What ends a service's words without saying more: "洗一下", "看看吧".
_TAIL_RE = guarded.compile(r"(?:一下|下)?(?:吧|了|哈|呀|啊)?")


def clauses(norm: str, joins: re.Pattern[str] = _JOINS_RE) -> list[tuple[int, int]]:
    """The (start, end) of each clause of `norm`, joining words left out."""
    out, start = [], 0
    for m in joins.finditer(norm):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(norm):
        out.append((start, len(norm)))
    return out


def second_request(norm: str, today: date,
                   find_service: Callable[[str], Span | None]) -> tuple[int, int] | None:
    """Where the first booking request of `norm` ends and the second starts (the words
    joining them lie between), or None (pure, given `find_service`, the parser's
    service reader)."""
    parts = clauses(norm)
    if len(parts) < 2:
        return None
    services = [find_service(norm[start:end]) for start, end in parts]
    if len({found.value for found in services if found is not None}) < 2:
        return None  # most messages: one service, and no day or time needs reading again
    groups: list[tuple[str, bool, int, int]] = []  # each request: service, says when, (end before, start)
    before, end_before = False, 0  # a when in clauses before the first service ("明天上午，保洁")
    for (start, end), found in zip(parts, services, strict=True):
        text = norm[start:end]
        if found is not None:
            groups.append((found.value, _says_when(text, today) or (not groups and before), end_before, start))
        elif not groups:
            before = before or _says_when(text, today)
        elif not groups[-1][1] and _says_when(text, today):
            groups[-1] = (groups[-1][0], True, *groups[-1][2:])
        end_before = end
    if not groups[0][1]:
        return None
    for service, when, first_end, start in groups[1:]:
        if service != groups[0][0] and when:
            return first_end, start
    return None


# "再加个擦玻璃", "顺便擦下玻璃", "also clean the windows": something more for the visit under
# way, not a new service instead of it (the dialogue decides, knowing whether one is under way).
ADDS_RE = guarded.compile(r"再加|加个|加一个|加上|另加|另外加|顺便|再来个|再帮我|\balso\b|\badd(?:\s+(?:a|an|on))?\b",
                     re.IGNORECASE)


# The person who came, asked back ("再请她来", "请她再来", "can I book her again", "have him back"):
# a booking again (the pipeline's ``repeat``) with the same person (nlu.staff_questions.same_staff); "her" is the
# one just spoken of, at a review's comment or after "阿姨很好".
PERSON_AGAIN_RE = guarded.compile(r"再(?:请|让|叫|找|约|预约)(?:她|他|ta)(?:来|过来|上门)?|(?:请|让|叫|约)(?:她|他|ta)再(?:来|过来|上门)"
                             # "下次还找这个阿姨", "还请她来", "还要这位师傅"; not asked ("还要这个阿姨吗")
                             r"|(?:下次|下回|以后)?还(?:找|请|约|要|让|叫)(?:这个|这位|那个|那位)?(?:阿姨|师傅|她|他|ta)(?:来|过来|上门)?"
                             r"(?![^，,。]{0,6}[吗么嘛?？])"
                             r"|\b(?:book|have|get|schedule|request)\s+(?:her|him|them)\s+(?:again|back)\b",
                             re.IGNORECASE)

# "还是上次那个服务", "再约一次", "老样子", "same as last time", "book it again": the service of the
# customer's last order, booked again (the dialogue looks it up; nothing here names the service).
REPEAT_RE = guarded.compile(
    r"(?:上次|上回|之前|原来)(?:那个|那种|一样的|的)?(?:服务|项目|那样)|(?:跟|和|同|照)(?:上次|上回)一样"
    r"|再(?:约|订|预约|安排)(?:一次|一回|一下)|老样子|照旧"
    # "再来一次" alone, or said with a day ("这周六下午再来一次"), not asked: "窗户没擦干净，能再来一次吗"
    # is a complaint about the visit, not a booking (its complaint clause is gone by now)
    r"|^\s*(?:那就|那|就)?再(?:来|做)一次(?:吧|呗|啊|呀)?[\s。.!！~～]*$"
    r"|(?:[上中下]午|晚上|[今明后]天|周[一二三四五六日天末]|号|日)再(?:来|做)一次(?![^，,。!！]{0,6}[吗么嘛?？])"
    r"|\bsame\s+(?:as\s+(?:last\s+time|before|usual)|(?:service|thing)(?:\s+as\s+(?:last\s+time|before))?|again)\b"
    r"|\b(?:book|do|schedule)\s+(?:it\s+|that\s+|the\s+same\s+)?again\b|\bthe\s+usual\b"
    r"|\brepeat\s+(?:my\s+|the\s+)?(?:last\s+)?(?:order|booking|service)\b", re.IGNORECASE)


# The last order again a week on, at its hour: "下周同一时间再约一次", "下周这个时候再来一次", "同一时间下周",
# "same time next week", "next week at the same time". Not "下周" alone (a week to pick a day in),
# nor "同一时间" alone (two services at one visit: nlu.requests.one_visit).
_ZH_NEXT_WEEK = r"(?:下个?(?:周|星期|礼拜))"
_ZH_SAME_TIME = r"(?:同一|同样的?|相同的?|一样的?|这个)(?:个)?(?:时间|时候|时段|钟点)(?:点)?"
SAME_TIME_NEXT_WEEK_RE = guarded.compile(
    rf"{_ZH_NEXT_WEEK}(?:的|也|还是|还)?{_ZH_SAME_TIME}|{_ZH_SAME_TIME}(?:的)?{_ZH_NEXT_WEEK}"
    r"|\bsame\s+time\s+next\s+week\b|\bnext\s+week\b[\s,]*(?:at\s+|,\s*)?(?:the\s+)?same\s+time\b",
    re.IGNORECASE)


def one_visit(norm: str, wide: str, find_service: Callable[[str], Span | None],
              names: Callable[[str], list[Span]] = lambda _: []) -> tuple[str, str, list[str]] | None:
    """A visit asked for with several services and one when ("明天上午做2个小时保洁，再擦玻璃"):
    the first service named, the clauses naming the others as written (joining word
    included: "再擦玻璃") and those others' ids, in order, or None. The order has one service; without this the longest
    name won and the other was lost without a word (pure, given `find_service` and `names`,
    the catalog names in a text, which say where "和" joins two services: `_and_splits`)."""
    parts, joined = [], set()  # the clauses, and those starting at a "和" or "顺便" (`_and_splits`)
    for start, end in clauses(norm, _VISIT_JOINS_RE):
        pieces = _and_splits(norm, start, end, names, find_service) \
            if _JOIN_IN_CLAUSE_RE.search(norm, start, end) else []
        parts.extend(pieces or [(start, end)])
        joined.update(s for s, _ in pieces[1:])
    named = [(found, start, end) for start, end in parts if (found := find_service(norm[start:end]))]
    if len({found.value for found, _, _ in named}) < 2:
        return None
    first = named[0][0].value
    ends = [0, *(end for _, end in parts)]
    others, ids = [], []
    for found, start, end in named:
        if found.value == first:
            continue
        if found.value not in ids:
            ids.append(found.value)
        if start in joined:  # after "和" the service's own words ("window cleaning", not "… tomorrow 10am")
            tail = _TAIL_RE.match(norm, start + found.end, end)  # "把油烟机洗一下", not "把油烟机洗"
            others.append(wide[start:tail.end() if tail else start + found.end].strip())
        else:  # "再擦玻璃": with its joining word
            before = max(e for e in ends if e <= start)
            others.append(wide[before:end].strip(" ，,;；。.!！?？\n"))
    return first, "；".join(others), ids


def _and_splits(norm: str, start: int, end: int, names: Callable[[str], list[Span]],
                find_service: Callable[[str], Span | None]) -> list[tuple[int, int]]:
    """The clause norm[start:end] cut at each word of `_JOIN_IN_CLAUSE_RE` that joins two
    services, or [] when none does: a "和" / "and" with a catalog name ending right before it
    and another starting right after it ("深度保洁和擦玻璃"), a "顺便" / "plus" with a service
    (`find_service`) before it and another after it ("深度保洁顺便擦下玻璃"). "客厅和卧室的保洁" and
    "kitchen and bathroom deep clean" name no service before theirs, "和平里", "洗空调和冰箱" and
    "门锁坏了也顺便看看" none after."""
    out, at = [], start
    for m in _JOIN_IN_CLAUSE_RE.finditer(norm, start, end):
        if m.group("add"):
            joins = find_service(norm[at:m.start()]) is not None and find_service(norm[m.end():end]) is not None
        else:
            lead = _AND_LEAD_RE.match(norm, m.end(), end)
            after_at = lead.end() if lead else m.end()
            joins = any(at + s.end == m.start() for s in names(norm[at:m.start()])) \
                and any(s.start == 0 for s in names(norm[after_at:end]))
        if joins:
            out.append((at, m.start()))
            at = m.end()
    return [*out, (at, end)] if out else []


def _says_when(text: str, today: date) -> bool:
    when = extract_when(text, today)
    return bool(when.date or when.time or when.period)
