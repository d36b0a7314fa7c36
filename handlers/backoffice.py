"""What the owner and dispatchers do to orders from a back office (the web dashboard).

Assign and complete are the staff actions of `handlers.staff.act`, done on
behalf of the assignee, so the customer is told on their channel exactly as
when staff press the button in the group chat. Reschedule and cancel have the
dialogue's consequences (`handlers.lifecycle.on_rescheduled` / `on_cancelled`)
plus a message to the customer, all queued in the caller's transaction.
Each function returns an `Outcome` and the domain events the caller must hand
to the conversation's event handlers (staff cards), so a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import amend as A
from handlers import availability, lifecycle
from handlers import slots as S
from handlers import staff as staff_logic
from handlers.outbox import notify
from handlers.reminders import order_view
from handlers.turn import DomainEvent
from storage import customers as customer_repo
from storage import orders as order_repo
from storage import staff as staff_repo
from storage.catalog import Catalog
from storage.models import CHANGEABLE_STATUSES, Customer, Order, OrderEvent, OrderStatus, Staff

MAX_MESSAGE = 1000  # a message to a customer, typed on the dashboard
# An order's fields that are money: only a role that sees money reads them, in its
# details and in its history alike.
MONEY_FIELDS: frozenset[str] = frozenset({"price", "total"})


@dataclass(frozen=True, slots=True)
class Result:
    """`ok`, or why not (`reason` names a message in the dashboard's templates)."""

    ok: bool
    reason: str
    order: Order | None = None
    events: list[DomainEvent] = field(default_factory=list)
    warning: str | None = None  # done, but against a rule staff may overrule: "closed", "closed_day", "full"


async def assign(session: AsyncSession, order_id: int, to: Staff, catalog: Catalog, now: dt.datetime,
                 tz: ZoneInfo | None = None, *, actor: str = "admin") -> Result:
    """Give the order to `to`: their claim, so the customer hears who is coming, and
    `to`, the one it was taken from and the card's thread are told (`lifecycle.tell_assigned`).

    An order someone else holds is first taken back from them: recorded as the office's
    reassignment (`actor`), not as their release, and the customer is not told "released"
    since a new technician follows at once.
    """
    order = await order_repo.get(session, order_id)
    if order is None:
        return Result(False, "not_found")
    if order.assignee_id == to.id:
        return Result(False, "already_theirs", order)
    current = None
    if order.status == OrderStatus.ASSIGNED and order.assignee_id is not None:
        current = await session.get(Staff, order.assignee_id)
        if current is None or not await staff_repo.transition(session, order_id, "release", current,
                                                              now, reassigned_by=actor):
            return Result(False, "not_allowed", order)
        await session.refresh(order)
    outcome = await staff_logic.act(session, order_id, "claim", to, catalog, now, tz)
    if outcome.ok and outcome.order is not None:
        await lifecycle.tell_assigned(session, outcome.order, to, current, now, actor=actor)
    return Result(outcome.ok, outcome.reason, outcome.order)


async def complete(session: AsyncSession, order_id: int, catalog: Catalog, now: dt.datetime,
                   tz: ZoneInfo | None = None, *, by: Staff | None = None, early: bool = False) -> Result:
    """Mark the order done for its assignee (`by`, when given, must be the assignee).

    A visit that has neither started (no Start press) nor reached its booked time is
    refused as "not_yet" unless `early` (the page's "Mark completed anyway"): done
    two days ahead is nearly always the wrong order, and once done the customer is
    asked to rate it and it counts as revenue and as on time."""
    order = await order_repo.get(session, order_id)
    if order is None:
        return Result(False, "not_found")
    if order.assignee_id is None:
        return Result(False, "assign_first", order)
    if by is not None and by.id != order.assignee_id:
        return Result(False, "not_yours", order)
    assignee = await session.get(Staff, order.assignee_id)
    assert assignee is not None
    outcome = await staff_logic.act(session, order_id, "done", assignee, catalog, now, tz, early=early)
    return Result(outcome.ok, outcome.reason, outcome.order)


async def cancel(session: AsyncSession, order_id: int, catalog: Catalog, now: dt.datetime,
                 tz: ZoneInfo | None = None, *, actor: str) -> Result:
    """Cancel on the business's side: no more reminders, and the customer is told."""
    order = await order_repo.get(session, order_id, lock=True)
    if order is None:
        return Result(False, "not_found")
    if order.status not in CHANGEABLE_STATUSES:
        return Result(False, "not_allowed", order)
    await lifecycle.cancel(session, order, catalog, now, tz, actor=actor)
    await notify(session, customer_id=order.customer_id, template="order_cancelled_by_us",
                 data={"order": order_view(order)}, order_id=order.id, due_at=now)
    return Result(True, "cancelled", order, [DomainEvent("order_cancelled", order.id, actor=actor)])


async def reschedule(session: AsyncSession, order_id: int, date: str, time: str | None, catalog: Catalog,
                     now: dt.datetime, tz: ZoneInfo, *, actor: str) -> Result:
    """Move the order to `date` (YYYY-MM-DD) at `time` (HH:MM, or None to keep its
    part of day): reminders follow the new start, and the customer is told."""
    order = await order_repo.get(session, order_id, lock=True)
    if order is None:
        return Result(False, "not_found")
    if order.status not in CHANGEABLE_STATUSES:
        return Result(False, "not_allowed", order)
    try:
        S.parse_date(date)
        S.parse_time(time)
    except ValueError:
        return Result(False, "bad_time", order)
    period = None if time else order.period
    proposal = {"date": date, "time": time, "period": period}
    problem = S.when_problem(proposal, now, tz)
    if problem:
        return Result(False, problem, order)
    if not await lifecycle.reschedule(session, order, date, time, period, catalog, now, tz, actor=actor):
        return Result(False, "unchanged", order)
    await notify(session, customer_id=order.customer_id, template="order_rescheduled_by_us",
                 data={"order": order_view(order)}, order_id=order.id, due_at=now)
    # Staff may agree a time the chat would refuse (on the phone, say): done, with a word.
    warning = availability.when_problem(catalog, proposal, order.service_id, now, tz)
    if warning is None and await availability.taken(session, catalog, proposal, order.service_id, now, tz,
                                                    moving=order) is not None:
        warning = "full"
    return Result(True, "rescheduled", order, [DomainEvent("order_rescheduled", order.id, actor=actor)], warning=warning)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of an order's history as the reader's role may see it."""

    at: dt.datetime
    kind: str
    by: str                # "customer" (the order's), "staff", "admin", "system", or the raw actor
    staff_name: str | None  # when `by` is "staff"
    changes: dict[str, Any]  # field -> [old, new] as typed values (`history_value`), or a note


def history_value(field: str, value: Any) -> Any:
    """A changed field's value as recorded (ISO text, decimal text) back as what it is,
    so the page shows every moment in the business's time zone and every time the
    same way ("2026-11-29 16:00", not "…T07:00:00+00:00" beside "…+08:00").
    A value that does not parse is shown as recorded."""
    if not isinstance(value, str):
        return value
    try:
        if field == "start_at":
            moment = dt.datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)  # stored as UTC
        if field == "date":
            return dt.date.fromisoformat(value)
        if field == "time":
            return dt.time.fromisoformat(value)
        if field in MONEY_FIELDS:
            return Decimal(value)
    except (ValueError, ArithmeticError):
        pass
    return value


def history(events: Iterable[OrderEvent], *, money: bool, customer_id: int,
            staff_names: Mapping[int, str]) -> list[HistoryEntry]:
    """An order's events for its page, in the order they happened (pure).

    Without `money` (dispatcher, staff) the price and total are left out: the
    history must not say what the details hide. Who did it is named, not
    numbered: the order's customer, a staff member by `staff_names`."""
    entries = []
    for e in events:
        kind, _, ref = e.actor.partition(":")
        by, name = e.actor, None
        if kind == "customer" and ref == str(customer_id):
            by = kind
        elif kind == "staff" and ref.isdigit() and int(ref) in staff_names:
            by, name = kind, staff_names[int(ref)]
        elif not ref:
            by = kind
        changes = {k: [_named(k, history_value(k, x), staff_names) for x in v] if isinstance(v, list) else v
                   for k, v in (e.changes or {}).items() if money or k not in MONEY_FIELDS}
        entries.append(HistoryEntry(e.at, e.kind, by, name, changes))
    return entries


def _named(field: str, value: Any, staff_names: Mapping[int, str]) -> Any:
    """The staff member asked for (`A.STAFF_FIELD`) by name, as the order page shows them, not
    by their id; any other value as it is."""
    return staff_names.get(value, value) if field == A.STAFF_FIELD and isinstance(value, int) else value


async def order_history(session: AsyncSession, order: Order, *, money: bool) -> list[HistoryEntry]:
    """`history` of an order whose events are loaded, with the names of the staff in it: who
    acted, and whom the customer asked for."""
    ids = {int(ref) for kind, _, ref in (e.actor.partition(":") for e in order.events)
           if kind == "staff" and ref.isdigit()}
    ids |= {i for e in order.events for i in A.staff_ids(e.changes or {})}
    return history(order.events, money=money, customer_id=order.customer_id,
                   staff_names=await staff_repo.names(session, ids))


async def board_stamp(session: AsyncSession) -> str:
    """A short fingerprint of what the board shows (orders, who waits for a person): an
    open board polls it and reloads when it differs from the one it was drawn with."""
    count, changed = await order_repo.change_stamp(session)
    asked, answered = await customer_repo.person_stamp(session)
    raw = "|".join(str(x) for x in (count, changed, asked, answered))
    return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


WAITING_SHOWN = dt.timedelta(days=1)  # requests older than this are yesterday's news


async def people_waiting(session: AsyncSession, now: dt.datetime) -> list[Customer]:
    """Customers who asked for a person in the last day and have had no answer yet,
    longest waiting first: the top of the dashboard's board."""
    return [c for c in await customer_repo.asked_for_person_since(session, now - WAITING_SHOWN)
            if waits_for_person(c, now)]


def waits_for_person(customer: Customer, now: dt.datetime) -> bool:
    """Asked for a person within WAITING_SHOWN and nobody has written to them since (pure)."""
    asked = customer.human_requested_at
    return asked is not None and asked >= now - WAITING_SHOWN \
        and staff_logic.unanswered(asked, customer.staff_replied_at)


async def message_customer(session: AsyncSession, customer_id: int, text: str, now: dt.datetime, *,
                           sender: str | None, key: str) -> Result:
    """A message typed on the dashboard, sent to the customer on their channel by the
    worker like any notification (durable, paced, logged).

    This is how a person answers a customer who asked for one, with or without
    an order (a card's thread needs an order). `key` is the form's own id, so a
    form sent twice sends once. A customer the chat cannot reach is refused
    here rather than skipped later: the page then says to phone them."""
    text = text.strip()
    if not text:
        return Result(False, "message_empty")
    if len(text) > MAX_MESSAGE:
        return Result(False, "message_too_long")
    if await session.get(Customer, customer_id) is None:
        return Result(False, "not_found")
    if customer_repo.out_of_reach(await customer_repo.identities_of(session, customer_id)) is not None:
        return Result(False, "message_unreachable")
    queued = await staff_logic.says_to_customer(session, customer_id, sender, text,
                                                key=f"dashboard_message:{key}", now=now)
    return Result(True, "message_sent" if queued else "message_already_sent")
