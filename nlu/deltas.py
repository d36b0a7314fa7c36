"""An amount changed by so much rather than set: "再加一个小时", "多洗一台", "少一个小时",
"one more hour", "add 2 hours", "one less unit".

The contract's ``quantity`` slot is an amount as stated ("3小时", "4台"); "再加一个小时" states
no amount, only a change of the one booked, which a slot reader took for "1 hour" (and the
customer got one hour instead of three). So the pipeline gives such a change as the flag
``quantity_delta``, a signed count, and drops the slot; the dialogue adds it to the
draft's or the booked order's quantity. Moving a visit by an hour ("提前一个小时") is
`nlu.shifts`'s, not this.
"""

from __future__ import annotations

import re

from nlu import guarded

from nlu.numerals import EN_NUMBER_ALT, SPOKEN_COUNT, to_int

_ZH_N = rf"(?P<n>[0-9]{{1,2}}|[一二两三四五六七八九十]{{1,2}}|{SPOKEN_COUNT})"
# Hours may be followed by anything ("再加两小时吧", "多做一个小时，厨房再擦擦"); a counter of
# things only at the end of its clause: "再加一台" is one more of the same, "再加一台洗衣机"
# another thing, and "再加一个擦玻璃" another service.
_ZH_UNIT = r"(?:个)?\s*(?:小时|钟头|钟)|(?:台|个|间|套|扇|张|件|位|组)(?=\s*(?:吧|呢|啊|呀|哈|了|的)*\s*(?:$|[，,。.!！?？~～;；\s]))"
_ZH_MORE = r"(?:再|还|另外|额外)?(?:多加|加|增加|添|延长|多)(?:了)?|再|还要?再?"
_ZH_VERB = r"(?:做|洗|修|擦|干|装|清洗|保洁|打扫|服务|来)"
_ZH_MORE_RE = guarded.compile(
    rf"(?:(?:{_ZH_MORE})\s*{_ZH_VERB}?|多\s*{_ZH_VERB})\s*{_ZH_N}\s*(?:{_ZH_UNIT})")
_ZH_LESS_RE = guarded.compile(
    rf"(?:(?<![至最不多])少\s*{_ZH_VERB}?|减少?|缩短|去掉|减掉)\s*{_ZH_N}\s*(?:{_ZH_UNIT})")
_EN_N = rf"(?P<n>an?|another|{EN_NUMBER_ALT}|\d{{1,2}})"
_EN_UNIT = r"(?:hours?|hrs?|units?|machines?|rooms?|items?)\b"
# Each with one count (a pattern may name its group once), tried in turn.
_EN_MORE = (rf"\b{_EN_N}\s+(?:more|extra|additional)\s+{_EN_UNIT}",  # "one more hour", "2 extra units"
            rf"\b(?:add|extend(?:\s+it)?\s+by)\s+{_EN_N}\s+(?:more\s+|extra\s+)?{_EN_UNIT}")  # "add an hour"
_EN_LESS = (rf"\b{_EN_N}\s+(?:less|fewer)\s+{_EN_UNIT}",  # "one less hour"
            rf"\b{_EN_N}\s+{_EN_UNIT}\s+(?:less|shorter|fewer)\b",  # "an hour less"
            rf"\b(?:remove|take\s+off|cut)\s+{_EN_N}\s+{_EN_UNIT}")  # "take off an hour"
_READINGS: tuple[tuple[re.Pattern[str], int], ...] = (
    (_ZH_LESS_RE, -1), (_ZH_MORE_RE, 1),
    *((guarded.compile(p, re.IGNORECASE), -1) for p in _EN_LESS), *((guarded.compile(p, re.IGNORECASE), 1) for p in _EN_MORE))
_EN_ARTICLES = {"a": 1, "an": 1, "another": 1}


def _first(readings: tuple[tuple[re.Pattern[str], int], ...], text: str) -> tuple[re.Match[str], int] | None:
    """The first of `readings` the message says with a count, and that count signed."""
    for pattern, sign in readings:
        m = pattern.search(text)
        if m is None:
            continue
        n = m.group("n").lower()
        count = _EN_ARTICLES.get(n) or to_int(n)
        if count:
            return m, sign * count
    return None


def _change(text: str) -> tuple[re.Match[str], int] | None:
    """The first change by so much the message says, and its signed count."""
    return _first(_READINGS, text)


def quantity_delta(text: str) -> int | None:
    """The signed count a message changes an amount by ("再加一个小时" 1, "少一个小时" -1,
    "2 more hours" 2), else None. An amount set ("加到4台", "改成3小时") is no change by so much."""
    change = _change(text)
    return change[1] if change else None


# One more of a thing named ("再加一台空调", "多洗一台洗衣机", "one more aircon please", "add another
# aircon", "another AC"): its count and the thing as written, which the pipeline keeps only when it is
# a catalog object (`nlu.services.ServiceMatcher.object_named`): "再加一个擦玻璃", "another day" are
# no more of anything booked.
_ZH_THING_RE = guarded.compile(
    rf"(?:(?:{_ZH_MORE})\s*{_ZH_VERB}?|多\s*{_ZH_VERB})\s*{_ZH_N}\s*(?:台|个|套|扇|张|件|组|只|把)\s*"
    r"(?P<thing>[\u4e00-\u9fff]{1,5}?)(?=\s*(?:吧|呢|啊|呀|哈|了|的)*\s*(?:$|[，,。.!！?？~～;；\s]))")
# "还有一台空调也要洗", "另外一台洗衣机也修一下": one more, said as "also"
_ZH_ALSO_THING_RE = guarded.compile(
    rf"(?:还有|另外|另有|再有)\s*{_ZH_N}\s*(?:台|个|套|扇|张|件|组|只|把)\s*"
    rf"(?P<thing>[\u4e00-\u9fff]{{1,5}}?)\s*也(?:要|得|需要)?\s*{_ZH_VERB}")
_EN_THING = r"(?P<thing>[a-z][a-z/-]*(?:\s+[a-z][a-z/-]*)?)"
_EN_MORE_THING = (rf"\b{_EN_N}\s+(?:more|extra|additional)\s+{_EN_THING}",  # "one more aircon please"
                  rf"\badd\s+{_EN_N}\s+(?:more\s+|extra\s+)?{_EN_THING}",  # "add another aircon"
                  rf"\b(?P<n>another)\s+{_EN_THING}")  # "another aircon please"
_THING_READINGS: tuple[tuple[re.Pattern[str], int], ...] = (
    (_ZH_THING_RE, 1), (_ZH_ALSO_THING_RE, 1), *((guarded.compile(p, re.IGNORECASE), 1) for p in _EN_MORE_THING))


def thing_added(text: str) -> tuple[int, str] | None:
    """The count and the words after it when the message asks for so many more of a thing
    ("再加一台空调" (1, "空调"), "one more aircon please" (1, "aircon please")), else None: the
    pipeline keeps it as a change by so much (``quantity_delta``) when those words name a thing
    the catalog's services are done to."""
    found = _first(_THING_READINGS, text)
    return (found[1], found[0].group("thing")) if found else None


_HOURS_RE = guarded.compile(r"小时|钟头|钟|\b(?:hours?|hrs?)\b", re.IGNORECASE)


def delta_per(text: str) -> str | None:
    """What the change by so much counts, as a service's ``price_per`` does: "hour" ("再加一个小时")
    or "item" ("再加一台", "one more unit"), so that "再加一台" is not added to a clean's hours."""
    change = _change(text)
    if change is None:
        return None
    return "hour" if _HOURS_RE.search(change[0].group(0)) else "item"
