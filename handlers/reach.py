"""Customers we can no longer write to: marking them, skipping them, noticing they are back.

A channel tells us in one of two ways that a customer is out of reach: an event
(WeChat's unsubscribe, which the adapter turns into an `Inbound` with
`event=UNSUBSCRIBED`) or a send refused for good (`outbox.Unreachable`, raised
by a customer `Sender`). Either marks the customer's channel identity. From then
on the worker settles the jobs bound for them as skipped instead of failing each
one against the channel's API, staff are told once, under each of the customer's
open orders, that only the phone is left, and the dashboard shows it. Nothing
happens to the orders themselves. Any new message from the customer clears the
mark (`storage.customers.reachable_again`, in the turn).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import outbox
from handlers.messages import Inbound
from handlers.reminders import order_view
from storage import customers, messages
from storage import orders as order_repo
from storage.db import Database
from storage.models import ChannelIdentity, UnreachableReason

log = logging.getLogger(__name__)

STAFF_TEMPLATE = "staff_customer_unreachable"


async def mark(session: AsyncSession, ident: ChannelIdentity, reason: str, now: dt.datetime) -> bool:
    """Mark `ident` unreachable for `reason`, in the caller's transaction; when that is
    news (True), queue a staff alert under each of the customer's open orders, so whoever
    handles them knows to phone rather than wait for a chat answer."""
    if not await customers.mark_unreachable(session, ident.id, reason, now):
        return False
    log.warning("customer %s can no longer be reached on %s (%s): their messages are skipped "
                "until they write again", ident.customer_id, ident.channel, reason)
    for order in await order_repo.active_for_customer(session, ident.customer_id):
        await outbox.alert_staff(
            session, template=STAFF_TEMPLATE, due_at=now, order_id=order.id,
            data={"order": order_view(order), "reason": reason, "channel": ident.channel},
            key=f"unreachable:{order.id}:{ident.id}:{int(now.timestamp())}")
    return True


async def unsubscribed(db: Database, inbound: Inbound, now: dt.datetime) -> None:
    """The customer left the channel (unfollowed the Official Account): logged once per
    channel message id, so a retried event cannot mark again after they came back, and
    marked. Nobody we do not know is created for it."""
    async with db.sessions.begin() as session:
        ident = await customers.find_identity(session, inbound.channel, inbound.user_id)
        if ident is None:
            log.info("a %s user we never heard from unsubscribed; nothing to mark", inbound.channel)
            return
        fresh = await messages.record_inbound(
            session, channel=inbound.channel, channel_message_id=inbound.message_id,
            customer_id=ident.customer_id, text="", meta={"event": inbound.event})
        if fresh:
            await mark(session, ident, UnreachableReason.UNSUBSCRIBED, now)


def skip_reason(ident: ChannelIdentity) -> str | None:
    """Why nothing may be sent to `ident` now (for the job's record), None when it can be."""
    if ident.unreachable_since is None:
        return None
    return (f"customer {ident.customer_id} cannot be reached on {ident.channel} "
            f"({ident.unreachable_reason}) since {ident.unreachable_since.isoformat(timespec='seconds')}")
