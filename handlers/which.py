"""Which of the customer's listed orders a message means ("保洁那个", "明天的", "第二个",
"0002", "the cleaning one"). Pure: the orders, their services' words and the NLU's
slots in, the orders that fit out.

Used for the answer to "which order?" and for a cancel or change that names its
order ("取消保洁"): the NLU reads "保洁" as 日常保洁, yet the customer means the deep
clean they booked, so an order is named by any word its service is known by.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Mapping, Protocol, Sequence

_CJK_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
_EN_WORD = re.compile(r"[a-z]{3,}")
# Words of service names that name no service on their own ("fix the fridge", "change the lock").
_EN_STOP = frozenset({"the", "and", "fix", "change", "lost", "out", "one", "house"})
_ZH_ORDINAL = re.compile(r"第\s*([一二三四五六七八九十]|\d{1,2})\s*(?:个|项|单|笔)?")
_ZH_ORDINALS = {c: n for n, c in enumerate("一二三四五六七八九十", 1)}
_EN_ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\b", re.IGNORECASE)
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
                "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1}
_NUMBER_TAIL = re.compile(r"(?<!\d)\d{3,}(?!\d)")


class Listed(Protocol):
    """What is read of an order: its number, service and day."""

    number: str
    service_id: str
    date: dt.date


def service_words(text: str, terms: Mapping[str, Iterable[str]]) -> set[str]:
    """The services (of `terms`: service id → its names and synonyms) that `text` names:
    by a whole name or synonym when it holds one ("日常保洁那个"), else by a word they
    share: two Chinese characters in a row ("保洁" of 深度保洁, "空调" of 修空调) or an
    English word other than the generic ones ("cleaning", "aircon")."""
    low = text.casefold()
    said = {service: [t.casefold() for t in ts] for service, ts in terms.items()}
    named = {service: {t for t in ts if len(t) > 1 and t in low} for service, ts in said.items()}
    found = set().union(*named.values())
    # "cancel the window cleaning" names window cleaning: the "cleaning" inside it (a synonym
    # of the regular one) is no second service, so a name held in a longer one said is dropped.
    whole = {service for service, ts in named.items()
             if any(not any(t != longer and t in longer for longer in found) for t in ts)}
    if whole:
        return whole
    pairs = set(_CJK_PAIR.findall(low))
    words = set(_EN_WORD.findall(low)) - _EN_STOP
    return {service for service, ts in said.items()
            if any(any(pair in t for pair in pairs) or words & set(_EN_WORD.findall(t)) for t in ts)}


def ordinal(text: str) -> int | None:
    """The place in a list a message points at ("第二个", "the second one": 2; "the last": -1)."""
    zh = _ZH_ORDINAL.search(text)
    if zh:
        n = zh.group(1)
        return int(n) if n.isdigit() else _ZH_ORDINALS[n]
    en = _EN_ORDINAL.search(text)
    return _EN_ORDINALS[en.group(1).lower()] if en else None


def number_tails(text: str) -> list[str]:
    """The runs of three or more digits in a message, each the tail of an order number it
    may name ("取消0001")."""
    return _NUMBER_TAIL.findall(text)


def meant(text: str, slots: Mapping[str, Any], orders: Sequence[Listed],
          terms: Mapping[str, Iterable[str]], *, by_day: bool = True) -> list[Listed] | None:
    """The orders of `orders` (as listed) that the message fits on everything it says of
    one: its place in the list, the tail of its number, its service (`service_words`, or
    the NLU's service), its day (the NLU's date, unless `by_day` is off because the
    date is the new one of a change). None when it says nothing that tells orders
    apart: it is then no answer to "which one?"."""
    place = ordinal(text)
    if place is not None:
        index = place - 1 if place > 0 else len(orders) + place
        return [orders[index]] if 0 <= index < len(orders) else []
    tails = number_tails(text)
    if tails:
        return [o for o in orders if any(o.number.endswith(t) for t in tails)]
    fits: list[set[int]] = []
    services = service_words(text, {o.service_id: terms.get(o.service_id, ()) for o in orders})
    if slots.get("service") and not services:  # one the NLU read that no listed order's words are in
        services.add(slots["service"])
    if services:
        fits.append({i for i, o in enumerate(orders) if o.service_id in services})
    if by_day and slots.get("date"):
        fits.append({i for i, o in enumerate(orders) if o.date.isoformat() == slots["date"]})
    if not fits:
        return None
    both = set.intersection(*fits)
    return [o for i, o in enumerate(orders) if i in both]
