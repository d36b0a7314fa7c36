"""Customers and their per-channel identities."""

from __future__ import annotations

import datetime as dt
import json
from datetime import datetime

from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelIdentity, Customer, Order, OrderStatus
from storage.types import utcnow
from storage.upsert import insert_for


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
    """
    now = now or utcnow()
    # Identity and customer in one round trip: `session.get` below then finds the
    # customer in the identity map instead of asking the database again.
    row = (await session.execute(
        select(ChannelIdentity, Customer).join(Customer, Customer.id == ChannelIdentity.customer_id)
        .where(ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id)
    )).first()
    ident = row[0] if row is not None else None
    if ident is None:
        customer = Customer(display_name=display_name, lang=lang or "zh", created_at=now, last_seen_at=now)
        session.add(customer)
        await session.flush()
        stmt = insert_for(session, ChannelIdentity).values(
            customer_id=customer.id, channel=channel, external_id=external_id,
            thread_id=thread_id, last_inbound_at=now, created_at=now,
        ).on_conflict_do_nothing(index_elements=["channel", "external_id"])
        await session.execute(stmt)
        ident = await find_identity(session, channel, external_id)
        assert ident is not None
        if ident.customer_id != customer.id:  # lost the race: drop our orphan
            await session.delete(customer)
    else:
        ident.last_inbound_at = now
        if thread_id and ident.thread_id != thread_id:
            ident.thread_id = thread_id
    cust = await session.get(Customer, ident.customer_id)
    assert cust is not None
    cust.last_seen_at = now
    if display_name and not cust.display_name:
        cust.display_name = display_name
    return cust, ident


async def find_identity(session: AsyncSession, channel: str, external_id: str) -> ChannelIdentity | None:
    """The identity of a channel user, None before their first message."""
    return (await session.execute(
        select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id)
    )).scalar_one_or_none()


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
