"""Staff members, their order actions, and the order cards in staff chats.

Every action is one conditional UPDATE: the database decides who wins, so two
staff pressing Claim at the same moment (in any number of processes) can never
both get the order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, Iterable

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Order, OrderEvent, OrderStatus, Staff, StaffCard
from storage.types import utcnow
from storage.upsert import built_once, insert_for

# action -> (statuses it may start from, status it leads to, must the actor be the assignee?)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "claim": ((OrderStatus.CONFIRMED,), OrderStatus.ASSIGNED, False),
    "start": ((OrderStatus.ASSIGNED,), OrderStatus.IN_PROGRESS, True),
    "done": ((OrderStatus.ASSIGNED, OrderStatus.IN_PROGRESS), OrderStatus.COMPLETED, True),
    "release": ((OrderStatus.ASSIGNED,), OrderStatus.CONFIRMED, True),
}


async def identify(session: AsyncSession, channel: str, external_id: str, name: str,
                   now: dt.datetime | None = None) -> Staff:
    """The staff member behind a chat user, registered on their first action (at `now`, the
    service's clock; the wall clock when not given)."""
    stmt = insert_for(session, Staff).values(
        channel=channel, external_id=external_id, name=name or external_id, role="staff", active=True,
        created_at=now or utcnow(),
    ).on_conflict_do_nothing(index_elements=["channel", "external_id"])
    await session.execute(stmt)
    staff = (await session.execute(select(Staff).where(
        Staff.channel == channel, Staff.external_id == external_id))).scalar_one()
    if name and staff.name != name:
        staff.name = name
    return staff


async def transition(session: AsyncSession, order_id: int, action: str, staff: Staff,
                     now: dt.datetime, *, reassigned_by: str | None = None) -> bool:
    """Apply a staff action if the order is in a state that allows it; True if it did.

    `now` is the caller's clock (the service's), not the wall clock: `completed_at` and
    the event's time must agree with everything else the same action stamps (the
    review invitation, reports), and with a test's controlled clock.

    `reassigned_by`: the office (an event actor) takes `staff`'s order back to give it to
    someone else: a release in the order's state, but recorded as a "reassigned" event of
    the office's, naming whose it was (`staff_id`), so the staff table does not count it
    as `staff` giving the order up (`handlers.reports`)."""
    sources, target, own = TRANSITIONS[action]
    values: dict[str, object] = {"status": target, "updated_at": now}
    if action == "claim":
        values["assignee_id"] = staff.id
    elif action == "release":
        values["assignee_id"] = None
    elif action == "done":
        values["completed_at"] = now
    cond = [Order.id == order_id, Order.status.in_(list(sources))]
    cond.append(Order.assignee_id == staff.id if own else Order.assignee_id.is_(None))
    result = await session.execute(update(Order).where(*cond).values(**values)
                                   .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    changes: dict[str, Any] = {"status": [None, str(target)], "staff": staff.name}
    if reassigned_by is not None:
        session.add(OrderEvent(order_id=order_id, actor=reassigned_by, kind="reassigned", at=now,
                               changes={**changes, "staff_id": staff.id}))
    else:
        session.add(OrderEvent(order_id=order_id, actor=f"staff:{staff.id}", kind=action, at=now,
                               changes=changes))
    return True


async def card_of(session: AsyncSession, order_id: int) -> StaffCard | None:
    return await session.get(StaffCard, order_id)


async def cards_in_chat(session: AsyncSession, channel: str, chat_id: str,
                        statuses: tuple[str, ...]) -> list[int]:
    """The orders in `statuses` whose card is in the chat `chat_id`."""
    q = (select(StaffCard.order_id).join(Order, Order.id == StaffCard.order_id)
         .where(StaffCard.channel == channel, StaffCard.chat_id == chat_id, Order.status.in_(statuses)))
    return list((await session.execute(q)).scalars())


async def cards_of_customer(session: AsyncSession, customer_id: int,
                            statuses: tuple[str, ...]) -> list[int]:
    """The customer's orders in `statuses` that have a card, in any staff chat."""
    q = (select(StaffCard.order_id).join(Order, Order.id == StaffCard.order_id)
         .where(Order.customer_id == customer_id, Order.status.in_(statuses))
         .order_by(StaffCard.order_id))
    return list((await session.execute(q)).scalars())


async def card_by_message(session: AsyncSession, channel: str, chat_id: str, message_id: str) -> StaffCard | None:
    return (await session.execute(select(StaffCard).where(
        StaffCard.channel == channel, StaffCard.chat_id == chat_id,
        StaffCard.message_id == message_id))).scalar_one_or_none()


def _remember_card(insert: Any) -> Any:
    """Built once (`built_once`): remember a posted card, or point it at the message that replaced it."""
    stmt = insert(StaffCard)
    return stmt.on_conflict_do_update(index_elements=["order_id"], set_={
        c: stmt.excluded[c] for c in ("channel", "chat_id", "message_id")})


async def remember_card(session: AsyncSession, order_id: int, channel: str, chat_id: str,
                        message_id: str, now: dt.datetime | None = None) -> None:
    """`now`: the service's clock (the wall clock when not given)."""
    stmt = built_once(session, "remember_card", _remember_card)
    await session.execute(stmt, dict(order_id=order_id, channel=channel, chat_id=chat_id,
                                     message_id=message_id, created_at=now or utcnow()))


async def open_thread_order(session: AsyncSession, customer_id: int, since: dt.datetime) -> Order | None:
    """The customer's active order whose card staff have written in since `since`."""
    q = (select(Order).join(StaffCard, StaffCard.order_id == Order.id)
         .where(Order.customer_id == customer_id,
                Order.status.in_([OrderStatus.ASSIGNED, OrderStatus.IN_PROGRESS]),
                StaffCard.last_staff_reply_at >= since)
         .order_by(StaffCard.last_staff_reply_at.desc()).limit(1))
    return (await session.execute(q)).scalar_one_or_none()


async def mark_staff_reply(session: AsyncSession, order_id: int, at: dt.datetime | None = None) -> None:
    """`at` is the caller's clock, the one `open_thread_order` is asked with."""
    await session.execute(update(StaffCard).where(StaffCard.order_id == order_id)
                          .values(last_staff_reply_at=at or utcnow()))


# ---------------------------------------------------------------- web dashboard accounts
WEB = "web"  # the channel of a dashboard account; its external_id is the SHA-256 of its token
ROLES: tuple[str, ...] = ("owner", "dispatcher", "staff")


def token_digest(token: str) -> str:
    """What is stored for a sign-in token: its SHA-256. A token is 256 random bits,
    so a fast hash is enough (no dictionary to guess from) and a database leak
    gives away no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


async def add_account(session: AsyncSession, name: str, role: str,
                      now: dt.datetime | None = None) -> tuple[Staff, str]:
    """A dashboard account and its sign-in token; the token is shown once and never stored.
    `now`: the service's clock (the wall clock when not given: `jiedan staff add` has no other)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    token = secrets.token_urlsafe(32)
    staff = Staff(name=name, channel=WEB, external_id=token_digest(token), role=role, active=True,
                  created_at=now or utcnow())
    session.add(staff)
    await session.flush()
    return staff, token


async def by_token(session: AsyncSession, token: str) -> Staff | None:
    """The active dashboard account a token signs in as."""
    return (await session.execute(select(Staff).where(
        Staff.channel == WEB, Staff.external_id == token_digest(token), Staff.active.is_(True),
    ))).scalar_one_or_none()


async def active_members(session: AsyncSession) -> list[Staff]:
    """Everyone an order can be assigned to, whichever channel they work in."""
    return list((await session.execute(
        select(Staff).where(Staff.active.is_(True)).order_by(Staff.name, Staff.id))).scalars())


async def names(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    """Staff id -> name, active or not (an order's history names whoever acted on it)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids)))
    return {staff_id: name for staff_id, name in rows}


async def assignee_name(session: AsyncSession, order: Order | None) -> str | None:
    """The name of the staff member who holds `order`, if anyone does: what staff alerts
    about it name, so the dispatcher knows whom to chase."""
    if order is None or order.assignee_id is None:
        return None
    return (await names(session, [order.assignee_id])).get(order.assignee_id)


async def set_active(session: AsyncSession, staff_id: int, active: bool) -> Staff | None:
    """Switch an account on or off; an inactive account's token and sessions stop working."""
    staff = await session.get(Staff, staff_id)
    if staff is not None:
        staff.active = active
    return staff


async def everyone(session: AsyncSession) -> list[Staff]:
    """All staff rows, for `jiedan staff list`."""
    return list((await session.execute(select(Staff).order_by(Staff.id))).scalars())
