"""Business figures: pure aggregation over orders (no database, no channel).

The dashboard's charts and `GET /api/reports` both call `build`, so a chart
and the API can never disagree. Conventions, chosen to match how owners talk:
- an order counts on the day of its appointment (`Order.date`) once confirmed
  (pending drafts never count; cancelled ones count only in `cancelled`);
- revenue is the total of completed orders (`Order.total`: what the customer was quoted
  for the quantity booked, not the unit price);
- the staff table has a row for everyone who claimed an order in the range, kept or not:
  how many orders they claimed, released (gave back), had reassigned to someone else by
  the office (the dashboard's assign: not their doing) and finished (`claimers`);
- time to claim is from confirmation to the technician's own claim (`_claimed_by`);
- on time means the visit was started (or, if nobody pressed Start, finished)
  no later than `ON_TIME_GRACE` after the appointment's start.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any, Iterable, Mapping, Protocol, Sequence
from zoneinfo import ZoneInfo

GROUPS: tuple[str, ...] = ("day", "week", "month")
ON_TIME_GRACE = dt.timedelta(minutes=15)
LIVE = ("confirmed", "assigned", "in_progress", "completed")


class _Event(Protocol):
    at: dt.datetime
    kind: str
    actor: str  # "staff:3", "customer:12", "system"
    changes: Mapping[str, Any] | None  # read of a "reassigned" event: whose order it was ("staff_id")


class _Staff(Protocol):
    id: int
    name: str


class _Order(Protocol):
    id: int
    number: str
    status: str
    service_id: str
    channel: str
    date: dt.date
    start_at: dt.datetime
    total: Any
    rating: int | None
    confirmed_at: dt.datetime | None
    completed_at: dt.datetime | None
    assignee: _Staff | None
    events: Sequence[_Event]


def period_key(day: dt.date, group: str) -> str:
    """The bucket a day falls in: `2026-11-24`, ISO week `2026-W48`, or `2026-11`."""
    if group == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if group == "month":
        return day.strftime("%Y-%m")
    return day.isoformat()


def _money(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _first(events: Iterable[_Event], *kinds: str) -> dt.datetime | None:
    times = [e.at for e in events if e.kind in kinds]
    return min(times) if times else None


def _row() -> dict[str, float]:
    return {"orders": 0, "completed": 0, "cancelled": 0, "revenue": 0.0}


def _count(bucket: dict[str, float], order: _Order) -> None:
    if order.status == "cancelled":
        bucket["cancelled"] += 1
        return
    bucket["orders"] += 1
    if order.status == "completed":
        bucket["completed"] += 1
        bucket["revenue"] += _money(order.total)


def build(orders: Iterable[_Order], *, tz: ZoneInfo, group: str = "day",
          money: bool = True, names: Mapping[int, str] | None = None) -> dict[str, Any]:
    """All the report's figures for `orders` (already limited to the date range).

    `money=False` leaves revenue out everywhere (what a dispatcher may see). `names`: staff
    id -> name for those who claimed an order they no longer hold (`claimers`); the holders'
    names come with the orders.
    """
    names = dict(names or {})
    if group not in GROUPS:
        raise ValueError(f"group must be one of {', '.join(GROUPS)}")
    by_period: dict[str, dict[str, float]] = defaultdict(_row)
    by_service: dict[str, dict[str, float]] = defaultdict(_row)
    by_channel: dict[str, dict[str, float]] = defaultdict(_row)
    by_hour = [0] * 24
    by_weekday = [0] * 7  # Monday first
    staff: dict[int, dict[str, Any]] = {}
    totals = _row()
    for o in orders:
        if o.status not in LIVE and o.status != "cancelled":
            continue
        for bucket in (by_period[period_key(o.date, group)], by_service[o.service_id],
                       by_channel[o.channel], totals):
            _count(bucket, o)
        if o.assignee is not None:
            names[o.assignee.id] = o.assignee.name
        for staff_id in _claimers_of(o):  # a claim and a release count on a cancelled order too
            _claims_of(staff.setdefault(staff_id, _staff_row()), o, staff_id)
        if o.status == "cancelled":
            continue
        local = o.start_at.astimezone(tz)
        by_hour[local.hour] += 1
        by_weekday[local.weekday()] += 1
        if o.assignee is not None:
            _staff_figures(staff.setdefault(o.assignee.id, _staff_row()), o)
    report: dict[str, Any] = {
        "group": group,
        "totals": totals,
        "by_period": [{"period": k, **v} for k, v in sorted(by_period.items())],
        "by_service": [{"service": k, **v} for k, v in sorted(by_service.items(), key=lambda kv: -kv[1]["orders"])],
        "by_channel": [{"channel": k, **v} for k, v in sorted(by_channel.items(), key=lambda kv: -kv[1]["orders"])],
        "by_hour": by_hour,
        "by_weekday": by_weekday,
        "staff": sorted((_staff_summary(sid, names.get(sid, f"#{sid}"), s) for sid, s in staff.items()),
                        key=lambda row: row["name"]),
    }
    if not money:
        for row in [report["totals"], *report["by_period"], *report["by_service"], *report["by_channel"]]:
            row.pop("revenue", None)
    return report


def _staff_id(actor: str) -> int | None:
    """The staff id of an event's actor ("staff:3" → 3), None for a customer or the system."""
    kind, _, ident = actor.partition(":")
    return int(ident) if kind == "staff" and ident.isdigit() else None


def _claimers_of(o: _Order) -> set[int]:
    """The staff who claimed `o` at some time (the holder, and anyone who gave it back)."""
    return {sid for e in o.events if e.kind == "claim" and (sid := _staff_id(e.actor)) is not None}


def claimers(orders: Iterable[_Order]) -> set[int]:
    """Everyone with a row in the staff table for `orders`: whose names `build` needs."""
    return set().union(*(_claimers_of(o) for o in orders))


def _staff_row() -> dict[str, Any]:
    return {"claimed": 0, "released": 0, "reassigned": 0, "done": 0, "claims": [], "on_time": [], "ratings": []}


def _claims_of(s: dict[str, Any], o: _Order, staff_id: int) -> None:
    """`staff_id`'s claim of `o` and whether they gave it back, or the office gave it to someone
    else (a "reassigned" event of the office's naming them, `storage.staff.transition`). The
    minutes to claim of one who released it are theirs; the holder's are counted by
    `_staff_figures`, and, as there, a cancelled order's are not (claimed, and released, it
    still was)."""
    theirs = [e for e in o.events if e.actor == f"staff:{staff_id}"]
    s["claimed"] += 1
    s["released"] += any(e.kind == "release" for e in theirs)
    s["reassigned"] += any(e.kind == "reassigned" and (e.changes or {}).get("staff_id") == staff_id
                           for e in o.events)
    claimed = _first(theirs, "claim")
    holder = o.assignee is not None and o.assignee.id == staff_id
    if not holder and o.status != "cancelled" and claimed is not None and o.confirmed_at is not None:
        s["claims"].append(_minutes(o.confirmed_at, claimed))


def _minutes(since: dt.datetime, until: dt.datetime) -> float:
    return max(0.0, (until - since).total_seconds() / 60)


def _claimed_by(o: _Order, staff_id: int) -> dt.datetime | None:
    """When technician `staff_id` (the order's) claimed it: their own claim, not an earlier one of
    someone who released it (that credited the holder with another's speed); else
    the first claim (an order given on the dashboard)."""
    theirs = [e for e in o.events if e.actor == f"staff:{staff_id}"]
    return _first(theirs, "claim") or _first(o.events, "claim")


def _staff_figures(s: dict[str, Any], o: _Order) -> None:
    claimed = _claimed_by(o, o.assignee.id) if o.assignee is not None else None
    if claimed is not None and o.confirmed_at is not None:
        s["claims"].append(_minutes(o.confirmed_at, claimed))
    if o.status == "completed":
        s["done"] += 1
        began = _first(o.events, "start") or _first(o.events, "done") or o.completed_at
        if began is not None:
            s["on_time"].append(began <= o.start_at + ON_TIME_GRACE)
        if o.rating is not None:
            s["ratings"].append(o.rating)


def _staff_summary(staff_id: int, name: str, s: dict[str, Any]) -> dict[str, Any]:
    return {
        "staff_id": staff_id,
        "name": name,
        "claimed": s["claimed"],
        "released": s["released"],
        "reassigned": s["reassigned"],
        "done": s["done"],
        "median_minutes_to_claim": round(statistics.median(s["claims"]), 1) if s["claims"] else None,
        "on_time_rate": round(sum(s["on_time"]) / len(s["on_time"]), 3) if s["on_time"] else None,
        "average_rating": round(statistics.fmean(s["ratings"]), 2) if s["ratings"] else None,
    }


def review_list(pairs: Iterable[tuple[Any, Any]], tz: ZoneInfo | None = None) -> list[dict[str, Any]]:
    """Reviews as the export's rows (times in `tz`), lowest rating first (the ones to act
    on), then newest."""
    from storage.export import review_row  # the one row shape; storage stays out of the pure part

    rows = [review_row(r, o, tz) for r, o in pairs]
    rows.sort(key=lambda r: r["created_at"], reverse=True)
    rows.sort(key=lambda r: r["rating"])
    return rows


def date_range(since: dt.date | None, until: dt.date | None, today: dt.date,
               default_days: int = 30) -> tuple[dt.date, dt.date]:
    """The inclusive range a report covers: given bounds, else the last `default_days`
    days and the next `default_days` (orders count on their appointment day, and
    what is already booked ahead is what an owner plans with)."""
    span = dt.timedelta(days=default_days)
    if since and not until:
        first, last = since, since + 2 * span
    else:
        last = until or (today + span)
        first = since or (last - 2 * span)
    if first > last:
        first, last = last, first
    return first, last
