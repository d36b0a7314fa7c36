"""Customers and their per-channel identities."""

from __future__ import annotations

import datetime as dt
import json
from datetime import datetime
from typing import Iterable

from sqlalchemy import String, bindparam, case, cast, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import ChannelIdentity, Customer, Order, OrderStatus
from storage.types import utcnow
from storage.upsert import built_once


# The identity and its customer in one round trip; built once, like `built_once`'s inserts.
_IDENTITY_AND_CUSTOMER = (
    select(ChannelIdentity, Customer).join(Customer, Customer.id == ChannelIdentity.customer_id)
    .where(ChannelIdentity.channel == bindparam("channel"),
           ChannelIdentity.external_id == bindparam("external_id")))

# How stale "last seen" may get before a message writes it again (see `identify`).
TOUCH_EVERY = dt.timedelta(seconds=60)


async def identify(
    session: AsyncSession,
    channel: str,
    external_id: str,
    *,
    thread_id: str | None = None,
    display_name: str | None = None,
    lang: str | None = None,
    now: datetime | None = None,
) -> tuple[Customer, ChannelIdentity]:
    """The customer behind a channel user, created on first contact.

    Safe when two first messages race: the identity insert is ON CONFLICT DO
    NOTHING and the loser reads the winner's row.

    The customer's `last_seen_at` and the identity's `last_inbound_at` are
    written only when `needs_touch` says so, not on every message: two UPDATEs
    per message were a third of a turn's statements. What reads them tolerates
    a minute: the customer list sorts by it, and WeChat's 48-hour window
    (`bot.wechat_client.in_window`) closes up to a minute early, the safe way.
    The worker's "channel they wrote from last" stays exact (see `needs_touch`).
    """
    now = now or utcnow()
    row = (await session.execute(_IDENTITY_AND_CUSTOMER,
                                 {"channel": channel, "external_id": external_id})).first()
    if row is None:
        cust, ident = await _first_contact(session, channel, external_id, thread_id=thread_id,
                                           display_name=display_name, lang=lang, now=now)
    else:
        ident, cust = row
        if thread_id and ident.thread_id != thread_id:
            ident.thread_id = thread_id
    if needs_touch(ident.last_inbound_at, cust.last_seen_at, now):
        ident.last_inbound_at = cust.last_seen_at = now
    if display_name and not cust.display_name:
        cust.display_name = display_name
    return cust, ident


async def _first_contact(session: AsyncSession, channel: str, external_id: str, *, thread_id: str | None,
                         display_name: str | None, lang: str | None,
                         now: datetime) -> tuple[Customer, ChannelIdentity]:
    """Create the customer and their identity; when another first message won the
    race, drop ours and return the winner's customer and identity."""
    customer = Customer(display_name=display_name, lang=lang or "zh", created_at=now, last_seen_at=now)
    session.add(customer)
    await session.flush()
    stmt = built_once(session, "first_contact", lambda insert: (
        insert(ChannelIdentity).on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(ChannelIdentity)))
    ident = (await session.scalars(stmt, dict(
        customer_id=customer.id, channel=channel, external_id=external_id,
        thread_id=thread_id, last_inbound_at=now, created_at=now))).one_or_none()
    if ident is None:  # lost the race: drop our orphan
        ident = await find_identity(session, channel, external_id)
        assert ident is not None
        await session.delete(customer)
        winner = await session.get(Customer, ident.customer_id)
        assert winner is not None
        return winner, ident
    return customer, ident


def needs_touch(last_inbound_at: datetime | None, last_seen_at: datetime, now: datetime) -> bool:
    """Whether a message at `now` must write the "last seen" stamps.

    Both are written together, so the customer's `last_seen_at` is the newest of
    their identities' `last_inbound_at`. An identity older than it means the
    customer wrote from another channel since: written at once, so the worker's
    newest identity is always the channel they wrote from last. Otherwise only
    once `TOUCH_EVERY` has passed.
    """
    return last_inbound_at is None or last_inbound_at < last_seen_at or now - last_inbound_at >= TOUCH_EVERY


async def find_identity(session: AsyncSession, channel: str, external_id: str) -> ChannelIdentity | None:
    """The identity of a channel user, None before their first message."""
    return (await session.execute(
        select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id)
    )).scalar_one_or_none()


async def mark_unreachable(session: AsyncSession, identity_id: int, reason: str, now: datetime) -> bool:
    """Record that the identity can no longer be written to, and why; True when it was
    reachable until now. A second report keeps the first one's time and reason: when the
    customer went silent is what staff need to know."""
    stmt = (update(ChannelIdentity)
            .where(ChannelIdentity.id == identity_id, ChannelIdentity.unreachable_since.is_(None))
            .values(unreachable_since=now, unreachable_reason=reason))
    return (await session.execute(stmt)).rowcount == 1


def reachable_again(ident: ChannelIdentity) -> bool:
    """Clear the mark of a customer who has written to us again (a message, following the
    account again); True when there was one. Written with the caller's transaction."""
    if ident.unreachable_since is None:
        return False
    ident.unreachable_since = ident.unreachable_reason = None
    return True


def reached_on(identities: Iterable[ChannelIdentity]) -> ChannelIdentity | None:
    """The identity the service writes to: the channel the customer wrote from last (the
    worker picks it the same way in SQL, `handlers.worker._REACH`); None without any."""
    def newest(i: ChannelIdentity) -> tuple[datetime, int]:
        return (i.last_inbound_at or i.created_at, -i.id)
    return max(identities, key=newest, default=None)


def out_of_reach(identities: Iterable[ChannelIdentity]) -> ChannelIdentity | None:
    """The identity our messages would go to (`reached_on`) when it is marked unreachable,
    None when the customer can be written to. What staff see (the order page after an
    action, the staff card) asks this, so it says "told" only when the worker would send."""
    ident = reached_on(identities)
    return ident if ident is not None and ident.unreachable_since is not None else None


async def identities_of(session: AsyncSession, customer_id: int) -> list[ChannelIdentity]:
    rows = await session.execute(
        select(ChannelIdentity).where(ChannelIdentity.customer_id == customer_id).order_by(ChannelIdentity.id))
    return list(rows.scalars())


async def listing(session: AsyncSession, *, search: str | None = None, tag: str | None = None,
                  last_between: tuple[dt.date, dt.date] | None = None,
                  limit: int | None = 300) -> list[tuple[Customer, int, dt.date | None]]:
    """Customers with their visit count (orders not cancelled or pending) and the
    day of their latest such order, most recently seen first; every filter and
    the limit run in SQL. `last_between`: that latest order falls in the range."""
    live = Order.status.notin_([OrderStatus.CANCELLED, OrderStatus.PENDING])
    visits = func.count(Order.id).filter(live)
    last = func.max(case((live, Order.date)))
    q = (select(Customer, visits, last).outerjoin(Order, Order.customer_id == Customer.id)
         .options(selectinload(Customer.identities))  # for the "cannot be reached" marker
         .group_by(Customer.id).order_by(Customer.last_seen_at.desc(), Customer.id.desc()))
    if search and search.strip():
        like = f"%{search.strip()}%"
        q = q.where(or_(Customer.display_name.ilike(like), Customer.phone.ilike(like),
                        Customer.id.in_(select(Order.customer_id).where(
                            or_(Order.phone.ilike(like), Order.name.ilike(like))))))
    if tag:
        # The tags column is a JSON list on both backends; its text holds the tag as JSON
        # writes it, which matches the same way on SQLite and PostgreSQL.
        needle = json.dumps(tag).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        q = q.where(cast(Customer.tags, String).like(f"%{needle}%", escape="\\"))
    if last_between:
        q = q.having(last.between(*last_between))
    if limit is not None:
        q = q.limit(limit)
    return [(c, int(n or 0), _as_day(d)) for c, n, d in (await session.execute(q)).all()]


def _as_day(value: object) -> dt.date | None:
    """MAX over a date column comes back as a string on SQLite."""
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value))


def set_tags(customer: Customer, tags: list[str]) -> list[str]:
    """Replace the customer's tags: trimmed, de-duplicated, in the order given."""
    clean: list[str] = []
    for t in tags:
        t = t.strip()[:32]
        if t and t not in clean:
            clean.append(t)
    customer.tags = clean[:20]
    return customer.tags


async def mark_staff_reply(session: AsyncSession, customer_id: int, at: datetime) -> None:
    """A staff member wrote to the customer (`at` is the caller's clock, the one the
    thread's window is read with): their answers go to staff for a while."""
    await session.execute(update(Customer).where(Customer.id == customer_id).values(staff_replied_at=at))


async def asked_for_person_since(session: AsyncSession, since: datetime) -> list[Customer]:
    """Customers who asked for a person since `since`, longest waiting first; whether
    anyone has answered them is the caller's rule (`handlers.staff.unanswered`)."""
    q = (select(Customer).where(Customer.human_requested_at >= since)
         .options(selectinload(Customer.identities)).order_by(Customer.human_requested_at))
    return list((await session.execute(q)).scalars())


async def person_stamp(session: AsyncSession) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When a customer last asked for a person and when staff last wrote to one: a new
    request or an answer shows as a different pair (see `orders.change_stamp`)."""
    row = (await session.execute(select(func.max(Customer.human_requested_at),
                                        func.max(Customer.staff_replied_at)))).one()
    return row[0], row[1]
