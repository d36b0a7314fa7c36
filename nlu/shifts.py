"""A visit moved by an amount rather than to a time: "提前一个小时", "往后推半小时",
"推迟一天", "push it back an hour", "30 minutes earlier".

The contract has no slot for such an amount (to the slot readers "一个" is a quantity),
so the pipeline gives it as the flag ``moved_by``, in signed minutes, and the dialogue
moves the draft's or the booked order's time by it. Read on the message as typed,
before a note is cut off it, as the dialogue read it when this lived there.
"""

from __future__ import annotations

import re

from nlu import guarded

_ZH_EARLIER = r"提前|提早|早|往前[推挪提调]?"
_ZH_LATER = r"推迟|推后|延后|延迟|延期|(?<![来到])晚|往后[推挪延调]?"  # "阿姨来晚了半小时" is past lateness, no move
_ZH_AMOUNT = r"(?:(?P<n>[0-9]{1,2}|[一二两三四五六七八九十]{1,2})\s*个?\s*(?P<half>半)?|(?P<only_half>半)\s*个?)"
_ZH_SHIFT = guarded.compile(rf"(?:(?P<early>{_ZH_EARLIER})|(?P<late>{_ZH_LATER}))[了个点些]?\s*{_ZH_AMOUNT}\s*"
                       r"(?P<unit>小时|钟头|分钟|天)")
_EN_AMOUNT = r"(?P<n>an?|one|two|three|four|five|six|\d{1,2}|half\s+an?)\s*(?P<unit>hours?|hrs?|minutes?|mins?|days?)"
_EN_SHIFT = guarded.compile(  # "push it back an hour", "bring it forward by 30 minutes"
    r"(?:(?P<late>(?:push|move|put|set)\s+(?:it\s+|that\s+|this\s+)?back|postpone(?:\s+it|\s+that)?|delay(?:\s+it|\s+that)?)"
    rf"|(?P<early>(?:bring|move|put)\s+(?:it\s+|that\s+|this\s+)?forward))\s+(?:by\s+)?{_EN_AMOUNT}", re.IGNORECASE)
_EN_SHIFT_AFTER = guarded.compile(  # "an hour later", "30 minutes earlier"
    rf"\b{_EN_AMOUNT}\s+(?:(?P<late>later)|(?P<early>earlier|sooner))\b", re.IGNORECASE)
# Every reading above ends in one of these units: without one, none of them can match,
# so a message without is done with one cheap search (the reader runs on every message).
_ANY_UNIT = guarded.compile(r"小时|钟头|分钟|天|hr|hour|min|day", re.IGNORECASE)
_UNIT_MINUTES = {"小时": 60, "钟头": 60, "分钟": 1, "天": 24 * 60, "h": 60, "m": 1, "d": 24 * 60}
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_ZH_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def relative_move(text: str) -> int | None:
    """The minutes a message moves a visit by (negative: earlier), else None.

    Only an amount with a direction counts: "晚一点" or "push it back" alone says
    no new time, and the question what time follows as usual."""
    if not _ANY_UNIT.search(text):
        return None
    zh = _ZH_SHIFT.search(text)
    if zh:
        n = zh.group("n")
        count = 0.0 if n is None else float(int(n)) if n.isdigit() else float(_zh_small(n))
        count += 0.5 if zh.group("half") or zh.group("only_half") else 0.0
        minutes = round(count * _UNIT_MINUTES[zh.group("unit")])
        return (-minutes if zh.group("early") else minutes) or None
    en = _EN_SHIFT.search(text) or _EN_SHIFT_AFTER.search(text)
    if en:
        n = en.group("n").lower()
        count = 0.5 if n.startswith("half") else float(_EN_NUMBERS.get(n) or int(n))
        minutes = round(count * _UNIT_MINUTES[en.group("unit")[0].lower()])
        return (-minutes if en.group("early") else minutes) or None
    return None


def _zh_small(n: str) -> int:
    """一 … 九十九 written out (the amounts people move a visit by)."""
    if "十" not in n:
        return _ZH_NUMBERS.get(n, 0)
    tens, _, ones = n.partition("十")
    return _ZH_NUMBERS.get(tens, 1) * 10 + _ZH_NUMBERS.get(ones, 0)
