"""Whether the business can take a visit at a given time: its opening hours and days
off (catalog), and a free team (`capacity`, counted against the orders booked).

The one place these rules meet the database, shared by the chat (which refuses and
offers other times) and the dashboard (where staff may overrule them, and are warned).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import capacity as C
from handlers import slots as S
from storage import orders as order_repo
from storage.catalog import Catalog
from storage.models import Order

def when_problem(catalog: Catalog, when: Mapping[str, Any], service_id: str | None, now: dt.datetime,
                 tz: ZoneInfo) -> str | None:
    """Why a visit for `service_id` cannot be at `when` (`slots.when_problem`): in the past,
    on a day off or outside the hours the business (or that service) takes visits. The
    hours and days off apply once the service is known: a locksmith at 23:00 is fine
    where a cleaner is not."""
    if not service_id:
        return S.when_problem(when, now, tz)
    return S.when_problem(when, now, tz, catalog.hours_for(service_id), catalog.days_off_for(service_id))


FIRST_DAY_LOOKAHEAD = 14  # days searched for the first open one: a business shut longer says so itself


def first_start(catalog: Catalog, service_id: str | None, now: dt.datetime,
                tz: ZoneInfo) -> dict[str, str] | None:
    """The first start a visit for `service_id` can have from now (its own hours and days
    off): later today if any is left, else the opening of the first open day after, as
    draft slots. What "马上" out of hours or "今天" once today's hours are over is offered
    instead, one tap away. None when no day in `FIRST_DAY_LOOKAHEAD` is open."""
    hours = catalog.hours_for(service_id)
    today = now.astimezone(tz).date()
    later = S.next_start_today(now, tz, hours)
    soonest = S.soonest(now, tz)  # tomorrow's small hours when asked just before midnight
    candidates = [{"date": today.isoformat(), "time": f"{later:%H:%M}"}] if later is not None else []
    if soonest["date"] != today.isoformat():
        candidates.append(soonest)
    candidates += [{"date": (today + dt.timedelta(days=ahead)).isoformat(), "time": hours.opening if hours else "00:00"}
                   for ahead in range(1, FIRST_DAY_LOOKAHEAD + 1)]
    return next((when for when in candidates if when_problem(catalog, when, service_id, now, tz) is None), None)


async def taken(session: AsyncSession, catalog: Catalog, when: Mapping[str, Any], service_id: str | None,
                now: dt.datetime, tz: ZoneInfo, *, moving: Order | None = None,
                minutes: int | None = None) -> list[dt.datetime] | None:
    """None when a visit for `service_id` at `when` fits in the business's capacity and
    the service's own (or there is no limit, or the time is not known yet); else the
    free starts that day (`capacity.free_starts`, maybe none). `moving`: the order being
    moved, which does not compete with itself and keeps its own length; otherwise the
    visit is as long as `when`'s quantity makes it (a booking's draft: 4 hours of an
    hourly cleaning hold 4 hours), and every booked order as long as it was booked.
    `minutes`: the length instead, when it is what changes (a booked order's quantity)."""
    service = catalog.get(service_id)
    if service is None or not when.get("date") or not (when.get("time") or when.get("period")):
        return None
    business_cap, own_cap = catalog.business.capacity, service.capacity
    if business_cap is None and own_cap is None:
        return None
    hours = catalog.hours_for(service_id)
    start = S.appointment_start(when["date"], when.get("time"), when.get("period"), tz, hours)
    if minutes is None:
        minutes = moving.duration_minutes if moving is not None else \
            service.minutes_for(S.quantity_of(when.get("quantity")))
    duration = dt.timedelta(minutes=minutes)
    day_start = dt.datetime.combine(start.date(), dt.time(0, 0), tzinfo=tz)
    booked = await order_repo.visits_between(session, day_start, day_start + dt.timedelta(days=1) + duration,
                                             exclude=moving.id if moving else None)
    visits = [(C.Visit(begins, ends), sid) for begins, ends, sid in booked]
    limits = []
    if business_cap is not None:
        limits.append(C.Limit(tuple(v for v, _ in visits), business_cap))
    if own_cap is not None:
        limits.append(C.Limit(tuple(v for v, sid in visits if sid == service_id), own_cap))
    if C.fits(limits, start, duration):
        return None
    # Where the order being moved already is would be no move: not offered.
    period = None if when.get("time") else S.PERIODS.get(when.get("period") or "")
    # none sooner than anyone can get there (`S.soonest`): 20:30 offered at 20:10 is a promise broken
    reachable = now + S.ASAP_LEAD - dt.timedelta(seconds=1)
    return C.free_starts(limits, start.date(), duration, catalog.configured_hours(service_id), tz,
                         near=start, after=reachable, skip=moving.start_at if moving else None, within=period)
