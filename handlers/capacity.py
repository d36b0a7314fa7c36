"""How many visits the business can run at once (catalog `capacity:`), and where a new
one still fits. Pure: the booked visits come in, a yes/no or free start times go out.

A small business has a few teams; promising a fourth visit at 15:00 to a business with
three means a phone call later to move someone, the very thing the bot is to spare.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable
from zoneinfo import ZoneInfo

from storage.catalog import Hours

STEP = dt.timedelta(minutes=30)       # free starts offered are on the half hour
DAY_WITHOUT_HOURS = Hours(open=8 * 60, close=20 * 60)  # where to look when the catalog names no hours
OFFERED = 3                           # free starts offered at a time


@dataclass(frozen=True, slots=True)
class Visit:
    """A booked visit's time on the calendar, [start, end)."""

    start: dt.datetime
    end: dt.datetime


def busiest(visits: Iterable[Visit], start: dt.datetime, end: dt.datetime) -> int:
    """The most visits under way at one moment within [start, end).

    Counting every visit that touches the window would refuse a visit beside two
    that follow each other (one team does both); the moments that matter are the
    window's start and each visit's start inside it."""
    inside = [v for v in visits if v.start < end and v.end > start]
    moments = [start, *(v.start for v in inside if v.start > start)]
    return max((sum(1 for v in inside if v.start <= m < v.end) for m in moments), default=0)


@dataclass(frozen=True, slots=True)
class Limit:
    """Teams and the visits that take them: every visit against the business's capacity,
    one service's visits against that service's own (one locksmith among three cleaners)."""

    visits: tuple[Visit, ...]
    capacity: int


def fits(limits: Iterable[Limit], start: dt.datetime, duration: dt.timedelta) -> bool:
    """Whether one more visit from `start` for `duration` stays within every limit."""
    end = start + duration
    return all(busiest(limit.visits, start, end) < limit.capacity for limit in limits)


def free_starts(limits: Iterable[Limit], day: dt.date, duration: dt.timedelta, hours: Hours | None,
                tz: ZoneInfo, *, near: dt.datetime, after: dt.datetime, skip: dt.datetime | None = None,
                within: tuple[dt.time, dt.time] | None = None, limit: int = OFFERED) -> list[dt.datetime]:
    """Up to `limit` starts on `day`, on the half hour, within the opening hours and after
    `after`, where the visit fits, `skip` aside: those nearest `near` (the time asked for),
    in time order. `within`: the part of the day asked for (下午 is 13:00-18:00), whose
    free starts come before nearer ones outside it."""
    limits = list(limits)
    window = hours or DAY_WITHOUT_HOURS
    first = dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)
    candidates = []
    for i in range(int(dt.timedelta(days=1) / STEP)):
        start = first + i * STEP
        if start > after and start != skip and window.admits(start.timetz()) and fits(limits, start, duration):
            candidates.append(start)
    def outside(s: dt.datetime) -> bool:
        return within is not None and not (within[0] <= s.time() and (s.time() < within[1] or within[1] == dt.time(0)))

    nearest = sorted(candidates, key=lambda s: (outside(s), abs(s - near), s))[:limit]
    return sorted(nearest)
