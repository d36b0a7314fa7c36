"""Customers we can no longer write to: marking them, skipping them, noticing they are back.

A channel tells us in one of two ways that a customer is out of reach: an event
(WeChat's unsubscribe, Telegram's "blocked by the user" membership update, which
the adapters turn into an `Inbound` with `event=LEFT` and a reason) or a send
refused for good (`outbox.Unreachable`, raised by a customer `Sender`). Either
marks the customer's channel identity. From then on the worker settles the jobs
bound for them as skipped instead of failing each one against the channel's API,
staff are told once, under each of the customer's open orders, that only the
phone is left, those orders' staff cards are refreshed (they carry a 📵 line while
it lasts), and the dashboard shows it. Nothing happens to the orders
themselves. Any new message from the customer clears the mark (in the turn), and
so does a channel's word that they are back without writing (`event=CAME_BACK`,
Telegram's unblock): both through `back`.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import outbox, staff
from handlers.messages import CAME_BACK, LEFT, Inbound
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
    await staff.refresh_customer_cards(session, ident.customer_id, now,
                                       _change("unreachable", ident, now))
    return True


async def back(session: AsyncSession, ident: ChannelIdentity, now: dt.datetime) -> bool:
    """Clear the mark of a customer who wrote or came back, in the caller's transaction;
    True when there was one, and then their open orders' cards are refreshed (they lose
    the 📵 line). Called on every customer message: without a mark it costs no statement."""
    if not customers.reachable_again(ident):
        return False
    log.info("customer %s is reachable on %s again", ident.customer_id, ident.channel)
    await staff.refresh_customer_cards(session, ident.customer_id, now,
                                       _change("reachable", ident, now))
    return True


def _change(kind: str, ident: ChannelIdentity, now: dt.datetime) -> str:
    """Names one change of reachability, so its card refreshes are queued once per order."""
    return f"{kind}:{ident.id}:{int(now.timestamp() * 1_000_000)}"


async def on_event(db: Database, inbound: Inbound, now: dt.datetime) -> None:
    """A channel event (`Inbound.event`): LEFT marks the customer for its reason, CAME_BACK
    clears the mark. Each is logged once per channel message id, so a late retry of an
    event cannot undo what came after it (a block retried after the unblock). Nobody we
    never heard from is created for either."""
    if inbound.event not in (LEFT, CAME_BACK):
        log.info("ignored the %s event %r", inbound.channel, inbound.event)
        return
    async with db.sessions.begin() as session:
        ident = await customers.find_identity(session, inbound.channel, inbound.user_id)
        if ident is None:
            log.info("a %s user we never heard from %s; nobody to mark", inbound.channel, inbound.event)
            return
        meta = {"event": inbound.event, **({"reason": inbound.reason} if inbound.reason else {})}
        if not await messages.record_inbound(
                session, channel=inbound.channel, channel_message_id=inbound.message_id,
                customer_id=ident.customer_id, text="", meta=meta, at=now):
            return  # a redelivered event: acted on the first time
        if inbound.event == LEFT:
            # A channel that does not say why: the account is out of reach as far as we can tell.
            await mark(session, ident, inbound.reason or UnreachableReason.GONE, now)
        else:
            await back(session, ident, now)


def skip_reason(ident: ChannelIdentity) -> str | None:
    """Why nothing may be sent to `ident` now (for the job's record), None when it can be."""
    if ident.unreachable_since is None:
        return None
    return (f"customer {ident.customer_id} cannot be reached on {ident.channel} "
            f"({ident.unreachable_reason}) since {ident.unreachable_since.isoformat(timespec='seconds')}")
