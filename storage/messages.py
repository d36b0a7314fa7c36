"""The message log: what came in and what went out, per channel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MessageLog
from storage.types import utcnow
from storage.upsert import built_once


async def record_inbound(
    session: AsyncSession, *, channel: str, channel_message_id: str | None,
    customer_id: int | None, text: str, meta: dict[str, Any] | None = None, at: dt.datetime | None = None,
) -> bool:
    """Log an inbound message; False when the channel already delivered this id."""
    return await record_turn(session, inbound(channel=channel, channel_message_id=channel_message_id,
                                              customer_id=customer_id, text=text, meta=meta, at=at), [])


async def record_turn(session: AsyncSession, received: dict[str, Any], answers: list[dict[str, Any]]) -> bool:
    """Log an inbound message and what we answered in one INSERT; False when the channel
    already delivered the inbound one (then the caller rolls the turn back).

    A channel redelivers on timeouts (WeChat retries three times, Telegram
    repeats a webhook on any non-2xx), so this is the idempotency check too. It
    comes at the end of a turn, not first: one statement instead of two on every
    message, and a turn done in vain (and rolled back) only on the rare redelivery.
    """
    table = MessageLog.__table__
    stmt = built_once(session, "record_turn", lambda insert: (
        insert(table)
        .on_conflict_do_nothing(index_elements=["channel", "direction", "channel_message_id"])
        .returning(table.c.direction)))
    written = (await session.execute(stmt, [received, *answers])).scalars().all()
    return "in" in written


async def seen_inbound(session: AsyncSession, channel: str, channel_message_id: str) -> bool:
    row = await session.execute(select(MessageLog.id).where(
        MessageLog.channel == channel, MessageLog.direction == "in",
        MessageLog.channel_message_id == channel_message_id))
    return row.first() is not None


@dataclass(frozen=True, slots=True)
class StaffPost:
    """A message we posted in the staff chat (a card, an alert, a relay): what a staff
    member's reply to it is about. A post is logged with a customer only when it is
    part of a conversation with them (their words, their request for a person, their
    complaint); a reminder or an escalation is not, and a reply to it stays among staff."""

    order_id: int | None
    customer_id: int | None


async def staff_post(session: AsyncSession, channel: str, channel_message_id: str) -> StaffPost | None:
    """The staff-chat post with this channel id. Only posts to staff are logged with
    their channel's id (as "chat:message", unique across chats); messages to
    customers keep theirs in `meta`."""
    row = (await session.execute(select(MessageLog.order_id, MessageLog.customer_id).where(
        MessageLog.channel == channel, MessageLog.direction == "out",
        MessageLog.channel_message_id == channel_message_id))).first()
    return None if row is None else StaffPost(row.order_id, row.customer_id)


async def last_staff_post(session: AsyncSession, channel: str, customer_id: int) -> str | None:
    """The channel id of the newest staff-chat post about this customer: where their
    next words go, so the group reads one thread per conversation."""
    return (await session.execute(
        select(MessageLog.channel_message_id)
        .where(MessageLog.customer_id == customer_id, MessageLog.channel == channel,
               MessageLog.direction == "out", MessageLog.channel_message_id.is_not(None))
        .order_by(MessageLog.id.desc()).limit(1))).scalar_one_or_none()


def inbound(*, channel: str, channel_message_id: str | None, customer_id: int | None, text: str,
            meta: dict[str, Any] | None = None, at: dt.datetime | None = None) -> dict[str, Any]:
    """The log row of a message received, for `record_turn`. `at`: the service's clock
    (the turn's `now`), so the log agrees with the order history it sits beside and with
    a test's clock; the wall clock when not given."""
    return dict(direction="in", channel=channel, customer_id=customer_id, order_id=None,
                channel_message_id=channel_message_id, text=text, meta=meta or {}, created_at=at or utcnow())


def outbound(*, channel: str, customer_id: int | None, text: str, order_id: int | None = None,
             channel_message_id: str | None = None, meta: dict[str, Any] | None = None,
             at: dt.datetime | None = None) -> dict[str, Any]:
    """One row of the log of what went out, for `record_outbound` or `record_turn`
    (`at` as for `inbound`)."""
    return dict(direction="out", channel=channel, customer_id=customer_id, order_id=order_id,
                channel_message_id=channel_message_id, text=text, meta=meta or {}, created_at=at or utcnow())


async def record_outbound(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Log messages sent in one INSERT, built once (a worker batch's sends, a staff relay;
    a turn's answer goes with its inbound message, `record_turn`). Not an ORM add: its
    flush at commit cost twice the CPU."""
    if rows:
        stmt = built_once(session, "record_outbound", lambda insert: insert(MessageLog.__table__))
        await session.execute(stmt, rows)


async def history(session: AsyncSession, customer_id: int, limit: int = 50) -> list[MessageLog]:
    rows = await session.execute(select(MessageLog).where(MessageLog.customer_id == customer_id)
                                 .order_by(MessageLog.id.desc()).limit(limit))
    return list(reversed(list(rows.scalars())))


async def after(session: AsyncSession, customer_id: int, after_id: int = 0, limit: int = 200, *,
                channel: str | None = None) -> list[MessageLog]:
    """The customer's messages (both ways) newer than `after_id`, oldest first: what a
    polling chat page has not shown yet. Without `after_id`, the latest `limit`.
    `channel` keeps one channel's: a chat page must not show the staff chat's posts
    about the customer, nor their conversations elsewhere."""
    q = select(MessageLog).where(MessageLog.customer_id == customer_id)
    if channel is not None:
        q = q.where(MessageLog.channel == channel)
    if after_id:
        rows = await session.execute(q.where(MessageLog.id > after_id).order_by(MessageLog.id).limit(limit))
        return list(rows.scalars())
    rows = await session.execute(q.order_by(MessageLog.id.desc()).limit(limit))
    return list(reversed(list(rows.scalars())))
