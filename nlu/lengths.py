"""A length of work said other than as a whole count of hours: "两个半小时", "2.5 hours",
"half an hour", "半天", "half a day", "一整天", "all day", "90分钟", "90 minutes".

The contract's quantity is an integer said as such, so these give none (nlu.slots reads
"3小时"); the NLU's flag ``length`` carries the minutes and the words, and the dialogue
books a service priced by the hour for the whole hours that hold them (2.5 hours is
booked as 3, the words on the note), instead of its usual length with nothing said.
"""

from __future__ import annotations

import re

from nlu import guarded

from nlu.numerals import EN_NUMBER_ALT, NUM_CLASS, to_int

HALF_DAY_MINUTES = 4 * 60  # 半天, "half a day": a morning's or an afternoon's work
# 一整天, 全天, "all day": a working day, two halves (the dialogue books no more than the service
# allows, nor more than its hours of business hold, and says so)
WHOLE_DAY_MINUTES = 2 * HALF_DAY_MINUTES

_HOUR_ZH = r"(?:个)?\s*(?:小时|钟头)"
_HOUR_EN = r"(?:hours?|hrs?)(?![a-z])"
# Time already spent or a while waited is no length ordered (等了半天, "waited half an hour",
# 半天没人来), nor a change by so much (提前半小时, 再加半小时: nlu.shifts, the hours booked).
_SPENT_RE = guarded.compile(r"(?:了|等|找|弄|搞|忙|说|问|大|好|加|多|延长|提前|推迟|推后|晚|早|往后|往前"
                       r"|waited|waiting|late|ago|extra|more|another|earlier|later|by)\s*$")
_SPENT_AFTER_RE = guarded.compile(r"\s*(?:没|不|都|才|也|还|了|late|ago|earlier|later|more)")
_LENGTH_RE = guarded.compile(
    rf"(?<![\d.]|{NUM_CLASS})(?P<n>{NUM_CLASS}{{1,2}})\s*个\s*半\s*(?:小时|钟头|钟)"   # 两个半小时
    rf"|(?<![\d.])(?P<d>\d{{1,2}}\.5)\s*{_HOUR_ZH}"                                   # 2.5小时
    rf"|(?<![\d.])(?P<de>\d{{1,2}}\.5)\s*{_HOUR_EN}"                                  # 2.5 hours
    rf"|(?<![a-z\d])(?P<ne>\d{{1,2}}|{EN_NUMBER_ALT})\s+and\s+a\s+half\s+{_HOUR_EN}"  # two and a half hours
    rf"|(?<![a-z])an?\s+hour\s+and\s+a\s+half(?![a-z])(?P<one_half>)"                 # an hour and a half
    rf"|(?<![个{NUM_CLASS[1:-1]}])(?P<half>半)\s*{_HOUR_ZH}"                             # 半小时
    rf"|(?<![a-z])(?P<half_en>half\s+an?\s+hour)(?![a-z])"
    rf"|(?P<day>半天|half\s+a\s+day|half[\s-]day)(?![a-z])"
    # 一整天, 全天, "all day"; not the customer's own day ("我全天都在家", "home all day", "全天都可以")
    rf"|(?<!在家)(?<!有空)(?<!(?:home|free) )(?<!available )(?<!around )"
    rf"(?P<whole_day>一整天|整一天|(?<![一这那每])整天|全天|(?:the\s+)?(?:whole|entire|full)\s+day|all[\s-]day)"
    rf"(?![a-z])(?!\s*(?:都|在|有空|可以|方便|均|随时|home|free|available|long\b|is\s+fine|works|ok))"
    # 90分钟, "90 minutes": not a time that far off ("30分钟后", "in 90 minutes", "90 minutes from now")
    rf"|(?<![\d.])(?<!in )(?<!within )(?P<mins>\d{{2,3}})\s*(?:分钟|mins?(?![a-z])|minutes?(?![a-z]))"
    r"(?!\s*(?:后|以后|之后|内|之内|以内|能到|到|赶到|from now|later|ago|away))"
)


def length_said(norm: str) -> tuple[int, str] | None:
    """The first length of work in `norm` that is no whole count of hours, as (minutes,
    the words as written), else None; not one already spent ("等了半天")."""
    for m in _LENGTH_RE.finditer(norm):
        if _SPENT_RE.search(norm, max(0, m.start() - 8), m.start()) or _SPENT_AFTER_RE.match(norm, m.end()):
            continue
        minutes = _minutes(m)
        if minutes:
            return minutes, m.group().strip()
    return None


# The part of a day a service is booked for, when an owner lists one kind of work by it
# (婚礼跟拍半天 / 婚礼跟拍全天, "Wedding coverage (half day)" / "(full day)"): nlu.variants.
DAY_SPAN_RE = guarded.compile(r"(?P<half>半天|half[\s-]?(?:a\s+)?day)(?![a-z])"
                          r"|(?P<full>全天|一整天|整天|(?<![a-z])(?:full|whole|all)[\s-]?day)(?![a-z])")


def day_span_said(text: str) -> str | None:
    """"half" or "full": the part of a day `text` books ("半天", "全天", "half a day", "full day"),
    else None; not a while already spent ("等了半天", "waited all day")."""
    for m in DAY_SPAN_RE.finditer(text.lower()):
        if _SPENT_RE.search(text.lower(), max(0, m.start() - 8), m.start()) \
                or _SPENT_AFTER_RE.match(text.lower(), m.end()):
            continue
        return "half" if m["half"] else "full"
    return None


def _minutes(m: re.Match[str]) -> int | None:
    if m["n"] or m["ne"]:
        n = to_int(m["n"] or m["ne"])
        return n * 60 + 30 if n else None
    if m["d"] or m["de"]:
        return int(float(m["d"] or m["de"]) * 60)
    if m["one_half"] is not None:
        return 90
    if m["mins"]:
        return int(m["mins"]) or None
    if m["half"] or m["half_en"]:
        return 30
    if m["whole_day"]:
        return WHOLE_DAY_MINUTES
    return HALF_DAY_MINUTES
