"""Orders: numbering, creation, field changes and status moves, each with history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import case, func, literal, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from storage.catalog import Service
from storage.models import (
    ACTIVE_STATUSES, BOOKED_STATUSES, Customer, Order, OrderCounter, OrderEvent, OrderStatus,
)
from storage.types import utcnow
from storage.upsert import built_once

# An order's customer as the dashboard and the order rows (`storage.export.order_row`)
# show them: with their channels, whose reachability is marked beside the name.
WITH_CUSTOMER = selectinload(Order.customer).selectinload(Customer.identities)
# The technician, for a customer's own orders ("已派师傅（Bob）", "who is coming?"): joined into
# the one SELECT, as these run inside a customer's turn, where a second query is a round trip.
WITH_ASSIGNEE = joinedload(Order.assignee)
# What an order's row (`storage.export.order_row`) reads besides the order: its customer,
# the staff member asked for and the review (the assignee is loaded by every listing already)
FOR_ROWS = (WITH_CUSTOMER, selectinload(Order.preferred_staff), selectinload(Order.review))

# The first key of the advisory locks that serialize bookings per day (`hold_calendar`);
# a 32-bit int, apart from the migration lock's.
_CALENDAR_LOCK = 0x6A6C6361  # "jlca"

# Fields a customer or staff member may change on an order, and nothing else.
EDITABLE_FIELDS: tuple[str, ...] = (
    "service_id", "date", "time", "period", "start_at", "address", "phone", "name", "quantity",
    "notes", "price", "destination", "total", "duration_minutes", "preferred_staff_id",
    "at_shop",  # with the service (and its address): whether the visit is at our place
)
# What an order costs and how long it takes follow from these (`terms`): a change of any
# of them comes with the TERMS it leads to, so the total and length never lag behind.
PRICED_BY: frozenset[str] = frozenset({"service_id", "quantity", "price"})
TERMS: tuple[str, ...] = ("price", "total", "duration_minutes")
UNKNOWN_DURATION = 60  # minutes, for an order whose service has left the catalog
_STATUS_STAMPS = {
    OrderStatus.CONFIRMED: "confirmed_at",
    OrderStatus.COMPLETED: "completed_at",
    OrderStatus.CANCELLED: "cancelled_at",
}


@dataclass(frozen=True, slots=True)
class OrderDraft:
    """Everything an order needs at creation; the dialogue fills it."""

    service_id: str
    date: dt.date
    start_at: dt.datetime
    address: str
    phone: str
    duration_minutes: int  # with `price` and `total`, from `terms`
    time: dt.time | None = None
    period: str | None = None
    name: str | None = None
    quantity: int | None = None
    notes: str | None = None
    price: Decimal | None = None
    destination: str | None = None
    total: Decimal | None = None
    preferred_staff_id: int | None = None  # who the customer asked to come (`Order.preferred_staff_id`)
    at_shop: bool = False  # a visit at our place: `address` is ours (`Order.at_shop`)


def terms(service: Service | None, quantity: int | None, unit_price: Decimal | None) -> dict[str, Any]:
    """An order's `price` (the unit price, kept from booking time), `total` (what the
    customer is quoted: `Service.quote`, the same figure the summary shows) and
    `duration_minutes` (how long it holds a team: the hours booked, for an hourly
    service). Worked out here alone, so revenue, exports and the calendar agree with
    what the customer was told. A service gone from the catalog counts as one visit
    of `UNKNOWN_DURATION`."""
    if service is None:
        return {"price": unit_price, "total": unit_price, "duration_minutes": UNKNOWN_DURATION}
    quote = service.quote(quantity, unit_price) if unit_price is not None else None
    return {"price": unit_price, "total": quote.total if quote is not None else None,
            "duration_minutes": service.minutes_for(quantity)}


def _jsonable(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.time, dt.datetime)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


async def next_number(session: AsyncSession, day: dt.date) -> str:
    """`YYYYMMDD-NNNN`: the business-local day and its next sequence number.

    One upsert … RETURNING, atomic on PostgreSQL and under SQLite's single
    writer, so two processes never hand out the same number.
    """
    key = day.strftime("%Y%m%d")
    table = OrderCounter.__table__
    stmt = built_once(session, "next_number", lambda insert: (
        insert(table).on_conflict_do_update(index_elements=["day"], set_={"last": table.c.last + 1})
        .returning(table.c.last)))
    seq = (await session.execute(stmt, {"day": key, "last": 1})).scalar_one()
    return f"{key}-{seq:04d}"


async def create(
    session: AsyncSession, draft: OrderDraft, *, customer_id: int, channel: str, lang: str,
    actor: str, local_day: dt.date, status: str = OrderStatus.PENDING, now: dt.datetime | None = None,
) -> Order:
    """`now`: the service's clock (the handlers'), so `created_at`/`confirmed_at` agree with
    the rest of the order's history and with a test's clock; the wall clock when not given."""
    now = now or utcnow()
    order = Order(
        number=await next_number(session, local_day), status=status, customer_id=customer_id,
        channel=channel, lang=lang, created_at=now, updated_at=now,
        **{f: getattr(draft, f) for f in EDITABLE_FIELDS},
    )
    if status == OrderStatus.CONFIRMED:
        order.confirmed_at = now
    session.add(order)
    await session.flush()
    snapshot = {f: [None, _jsonable(getattr(draft, f))] for f in EDITABLE_FIELDS
                if getattr(draft, f) is not None}
    session.add(OrderEvent(order_id=order.id, actor=actor, kind="created", changes=snapshot, at=now))
    return order


def update_fields(session: AsyncSession, order: Order, changes: dict[str, Any], *, actor: str,
                  kind: str = "updated", now: dt.datetime | None = None) -> dict[str, list[Any]]:
    """Apply `changes` and record them at `now` (the service's clock; the wall clock when
    not given); returns field -> [old, new] of real changes."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if PRICED_BY & set(changes) and not set(TERMS) <= set(changes):
        raise ValueError("a change of service, quantity or price comes with its terms (`terms`)")
    diff: dict[str, list[Any]] = {}
    for field, new in changes.items():
        old = getattr(order, field)
        if old != new:
            diff[field] = [_jsonable(old), _jsonable(new)]
            setattr(order, field, new)
    if diff:
        now = now or utcnow()
        order.updated_at = now
        session.add(OrderEvent(order_id=order.id, actor=actor, kind=kind, changes=diff, at=now))
    return diff


def _moved_to(status: str, now: dt.datetime) -> dict[str, Any]:
    """The columns a move to `status` at `now` writes."""
    stamp = _STATUS_STAMPS.get(OrderStatus(status))
    return {"status": status, "updated_at": now, **({stamp: now} if stamp else {})}


def set_status(session: AsyncSession, order: Order, status: str, *, actor: str,
               extra: dict[str, Any] | None = None, now: dt.datetime | None = None) -> None:
    """Move `order` to `status` at `now` (the service's clock; the wall clock when not given)."""
    old = order.status
    now = now or utcnow()
    for column, value in _moved_to(status, now).items():
        setattr(order, column, value)
    session.add(OrderEvent(order_id=order.id, actor=actor, kind=status,
                           changes={"status": [old, status], **(extra or {})}, at=now))


async def set_status_if(session: AsyncSession, order_id: int, old: str, status: str, *,
                        customer_id: int, actor: str, now: dt.datetime | None = None) -> Order | None:
    """Move the customer's order `order_id` from `old` to `status`, as `set_status` does,
    in one conditional UPDATE … RETURNING instead of a read and then a write; None
    (and nothing written) when it is not theirs or not in `old` any more."""
    now = now or utcnow()
    stmt = (update(Order)
            .where(Order.id == order_id, Order.status == old, Order.customer_id == customer_id)
            .values(**_moved_to(status, now)).returning(Order)
            .execution_options(synchronize_session=False, populate_existing=True))
    order = (await session.execute(stmt)).scalar_one_or_none()
    if order is not None:
        session.add(OrderEvent(order_id=order.id, actor=actor, kind=status,
                               changes={"status": [old, status]}, at=now))
    return order


async def get(session: AsyncSession, order_id: int, *, lock: bool = False) -> Order | None:
    """`lock`: read it FOR UPDATE (fresh from the database) before changing it on a
    status checked in Python, so a staff action committing meanwhile (a conditional
    UPDATE) is waited for, not overwritten."""
    if lock:
        return await session.get(Order, order_id, with_for_update=True, populate_existing=True)
    return await session.get(Order, order_id)


async def by_number(session: AsyncSession, number: str) -> Order | None:
    q = select(Order).where(Order.number == number).options(WITH_ASSIGNEE)
    return (await session.execute(q)).scalar_one_or_none()


async def for_customer(session: AsyncSession, customer_id: int, *,
                       statuses: Iterable[str] | None = None, limit: int = 10,
                       excluding_services: Iterable[str] = ()) -> list[Order]:
    """The customer's latest orders, `statuses` only when given, none of `excluding_services`."""
    q = select(Order).where(Order.customer_id == customer_id).options(WITH_ASSIGNEE)
    if statuses is not None:
        q = q.where(Order.status.in_(list(statuses)))
    excluded = list(excluding_services)
    if excluded:
        q = q.where(Order.service_id.not_in(excluded))
    q = q.order_by(Order.start_at.desc(), Order.id.desc()).limit(limit)
    return list((await session.execute(q)).scalars())


async def last_served(session: AsyncSession, customer_id: int, service_id: str | None) -> Order | None:
    """The customer's latest completed order that someone did, with its assignee: of
    `service_id` if there is one ("还是上次那个阿姨" for a deep clean means the deep clean's),
    else of any service. What "the same person as last time" is looked up by."""
    first = case((Order.service_id == service_id, 0), else_=1) if service_id else literal(0)
    q = (select(Order).where(Order.customer_id == customer_id, Order.status == OrderStatus.COMPLETED,
                             Order.assignee_id.is_not(None))
         .options(WITH_ASSIGNEE)
         .order_by(first, Order.completed_at.desc(), Order.id.desc()).limit(1))
    return (await session.execute(q)).scalars().first()


async def active_for_customer(session: AsyncSession, customer_id: int) -> list[Order]:
    """Orders still to happen (confirmed, assigned, in progress), soonest first."""
    q = (select(Order).where(Order.customer_id == customer_id, Order.status.in_(ACTIVE_STATUSES))
         .options(WITH_ASSIGNEE)
         .order_by(Order.start_at, Order.id))
    return list((await session.execute(q)).scalars())


async def listing(session: AsyncSession, *, status: str | None = None,
                  since: dt.datetime | None = None, limit: int | None = None) -> list[Order]:
    """Orders for the admin API and exports, oldest first, with what they join."""
    q = select(Order).options(selectinload(Order.assignee), selectinload(Order.service), *FOR_ROWS)
    if status:
        q = q.where(Order.status == status)
    if since:
        q = q.where(Order.created_at >= since)
    q = q.order_by(Order.id)
    if limit:
        q = q.limit(limit)
    return list((await session.execute(q)).scalars())


async def events_of(session: AsyncSession, order_id: int) -> list[OrderEvent]:
    q = select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
    return list((await session.execute(q)).scalars())


async def count(session: AsyncSession, status: str | None = None) -> int:
    q = select(func.count(Order.id))
    if status:
        q = q.where(Order.status == status)
    return (await session.execute(q)).scalar_one()


async def hold_calendar(session: AsyncSession, day: dt.date) -> None:
    """Make this transaction the only one booking visits on `day` until it ends, so that
    two customers taking the last free team at once cannot both be told yes.

    PostgreSQL: a transaction-scoped advisory lock on the day. SQLite: any write takes
    the database's one write lock for the rest of the transaction, and from then on its
    reads see every commit before it; a no-op UPDATE is that write."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:ns, :day)"),
                              {"ns": _CALENDAR_LOCK, "day": day.toordinal()})
    else:
        await session.execute(text("UPDATE order_counters SET last = last WHERE 1 = 0"))


async def visits_between(session: AsyncSession, start: dt.datetime, end: dt.datetime, *,
                         exclude: int | None = None) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """(start, end, service id) of the orders still to be done (or under way) that overlap
    [start, end), each as long as its own `duration_minutes` (a 4-hour cleaning holds its
    team 4 hours). The longest such order bounds how far back to look, so the query
    stays on the day's index range."""
    live = [Order.status.in_(ACTIVE_STATUSES), *([Order.id != exclude] if exclude is not None else [])]
    longest = (await session.execute(select(func.max(Order.duration_minutes)).where(*live))).scalar()
    if longest is None:
        return []
    q = select(Order.start_at, Order.duration_minutes, Order.service_id).where(
        *live, Order.start_at < end, Order.start_at > start - dt.timedelta(minutes=longest))
    visits = [(row.start_at, row.start_at + dt.timedelta(minutes=row.duration_minutes), row.service_id)
              for row in await session.execute(q)]
    return [v for v in visits if v[1] > start]


async def change_stamp(session: AsyncSession) -> tuple[int, dt.datetime | None]:
    """How many booked orders there are and when one last changed: a new or changed order
    shows as a different pair, for a dashboard that asks whether to reload. Drafts the
    customer has not confirmed are not on the board, so they change nothing here."""
    row = (await session.execute(select(func.count(Order.id), func.max(Order.updated_at))
                                 .where(Order.status != OrderStatus.PENDING))).one()
    return row[0], row[1]


async def on_date(session: AsyncSession, day: dt.date, statuses: Iterable[str]) -> list[Order]:
    """Orders booked for `day` (the appointment's business-local date), by start time."""
    q = (select(Order).where(Order.date == day, Order.status.in_(list(statuses)))
         .options(selectinload(Order.assignee)).order_by(Order.start_at, Order.id))
    return list((await session.execute(q)).scalars())


# ---------------------------------------------------------------- the web dashboard
BOARD_VIEWS: tuple[str, ...] = ("today", "upcoming", "unassigned", "overdue", "all")


async def board(session: AsyncSession, view: str, *, today: dt.date, now: dt.datetime,
                search: str | None = None, assignee_id: int | None = None,
                limit: int = 200) -> list[Order]:
    """Orders for one tab of the dashboard board.

    today: booked for the business-local `today`; upcoming: still to start;
    unassigned: confirmed and nobody has it; overdue: should have started by
    `now` but nobody started it; all: everything confirmed or later. `search`
    matches the order number, phone or name; `assignee_id` limits to one
    staff member's orders (what a `staff` role may see).
    """
    q = select(Order).options(selectinload(Order.assignee), WITH_CUSTOMER)
    visible = list(BOOKED_STATUSES)
    if view == "today":
        q = q.where(Order.date == today, Order.status.in_(visible)).order_by(Order.start_at, Order.id)
    elif view == "upcoming":
        q = q.where(Order.start_at >= now, Order.status.in_(list(ACTIVE_STATUSES))).order_by(Order.start_at)
    elif view == "unassigned":
        q = q.where(Order.status == OrderStatus.CONFIRMED).order_by(Order.start_at, Order.id)
    elif view == "overdue":
        q = q.where(Order.start_at < now, Order.status.in_([OrderStatus.CONFIRMED, OrderStatus.ASSIGNED])
                    ).order_by(Order.start_at, Order.id)
    else:
        q = q.where(Order.status.in_(visible)).order_by(Order.start_at.desc(), Order.id.desc())
    if search and search.strip():
        like = f"%{search.strip()}%"
        q = q.where(or_(Order.number.ilike(like), Order.phone.ilike(like), Order.name.ilike(like)))
    if assignee_id is not None:
        q = q.where(Order.assignee_id == assignee_id)
    return list((await session.execute(q.limit(limit))).scalars())


async def detail(session: AsyncSession, order_id: int) -> Order | None:
    """One order with what its page shows (assignee, the staff member asked for, customer, history)."""
    q = (select(Order).where(Order.id == order_id)
         .options(selectinload(Order.assignee), selectinload(Order.preferred_staff), WITH_CUSTOMER,
                  selectinload(Order.events), selectinload(Order.service))
         .execution_options(populate_existing=True))
    return (await session.execute(q)).scalar_one_or_none()


async def between(session: AsyncSession, first: dt.date, last: dt.date, *,
                  assignee_id: int | None = None, with_customer: bool = False) -> list[Order]:
    """Orders whose appointment day is within [first, last], with their history
    (reports and exports work on the day the service happens); `with_customer` for
    rows that show the customer's reachability (exports)."""
    q = (select(Order).where(Order.date >= first, Order.date <= last)
         .options(selectinload(Order.assignee), selectinload(Order.events), selectinload(Order.service))
         .order_by(Order.date, Order.start_at, Order.id))
    if with_customer:
        q = q.options(*FOR_ROWS)
    if assignee_id is not None:
        q = q.where(Order.assignee_id == assignee_id)
    return list((await session.execute(q)).scalars())
