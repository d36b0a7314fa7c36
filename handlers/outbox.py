"""Messages the service starts: staff updates, reminders, review invitations.

They are not answers to an inbound message, so they cannot ride on a reply.
Each one is written as a `deliver` job in the same transaction as the change
that causes it, so a crash can never lose it; the worker renders it in the
customer's language at send time and hands it to the `Sender` of the channel
the customer booked from. Channels implement `Sender` in `bot/`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.messages import Choice, Reply
from storage import jobs

DELIVER = "deliver"
STAFF_ALERT = "staff_alert"
GROUP = "group"
REPLY = "reply"  # the template name of a pre-rendered answer (see `notify(reply=...)`)


@dataclass(frozen=True, slots=True)
class Address:
    """Where a customer is reached on one channel."""

    channel: str
    user_id: str                  # the channel's id for the customer (Telegram user id, openid)
    thread_id: str | None = None  # the chat to write in, when it differs from the user id
    last_inbound_at: dt.datetime | None = None  # WeChat's 48-hour customer-service window


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One rendered message on its way out, with what a channel may need to pick a form."""

    reply: Reply
    template: str                 # e.g. "staff_claimed", "reminder_24h": WeChat maps it to a template id
    data: dict[str, Any]          # the template's data, for channels that send structured messages
    lang: str
    key: str                      # the job's idempotency key, e.g. for WeChat's client_msg_id


class RetryLater(Exception):
    """The channel asked us to wait (Telegram 429 retry_after, WeChat 45009)."""

    def __init__(self, seconds: float, reason: str = "rate limited") -> None:
        super().__init__(f"{reason}; retry after {seconds:g}s")
        self.seconds = seconds


class Undeliverable(Exception):
    """Sending can never succeed (blocked by the user, unknown chat): do not retry."""


class Unreachable(Undeliverable):
    """The customer can no longer be written to on this channel at all (they blocked the
    bot, unfollowed, or the account is gone), not just this message: the worker marks
    their identity so that nothing more is tried until they write again.

    Raised by a customer `Sender` only; a staff chat's failure says nothing about a customer.
    `reason` is a `storage.models.UnreachableReason` value."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class StaffUnreachable(Unreachable):
    """The same refusal for a staff member's private chat (they never opened one with the
    bot, or blocked it): nothing private reaches them until they do. Raised by a
    `StaffSender` for a member's address only; the worker then tells the staff group,
    under the order's card, so someone gets them to open the chat. It marks no customer.
    """


class Skipped(Exception):
    """The job was not attempted on purpose and never will be (its customer is known to
    be unreachable; its order moved on, or a later reminder made it stale): settled as
    skipped, not failed, so it reads as expected, not broken; the reason is kept on it."""


class Sender(Protocol):
    """A channel's way to start a message to a customer; returns the channel's message id."""

    async def send(self, to: Address, message: Outgoing) -> str | None: ...


@dataclass(frozen=True, slots=True)
class StaffAddress:
    """Who on the staff side a message is for: the staff group, or one member.

    For one member, `channel`/`external_id` are their `Staff` row's (the chat
    they act from); for the group both are None and the channel uses its
    configured staff group chat.
    """

    to: str | int                    # "group" or a staff id
    channel: str | None = None
    external_id: str | None = None
    name: str | None = None

    @property
    def is_group(self) -> bool:
        return self.to == GROUP


class StaffSender(Protocol):
    """The staff channel's way to post an alert (reminder, escalation, low rating).

    One per process, set with `Worker.set_staff_sender`; `message.reply` is
    already rendered (in the business language), `message.data["order_id"]`
    names the order so the channel can thread the alert under the order card
    (`message.template` is one of staff_reminder, staff_escalation,
    staff_low_rating; `message.key` is stable across retries of the same job).
    Raise `RetryLater`/`Undeliverable` as a customer `Sender` does, and `StaffUnreachable`
    when a member's private chat refuses the person rather than the message. An optional
    `channel_name` attribute (e.g. "telegram") names group posts in the message log.
    Return the post's id, unique within the channel (not only within a chat): a
    staff reply to the post is matched to it by that id.
    """

    async def send_staff(self, to: StaffAddress, message: Outgoing) -> str | None: ...


async def alert_staff(session: AsyncSession, *, template: str, due_at: dt.datetime, to: str | int = GROUP,
                      data: dict[str, Any] | None = None, order_id: int | None = None,
                      key: str | None = None, customer_id: int | None = None) -> bool:
    """Queue a staff alert (`staff_alert` job): `to` is "group" or a staff id.

    Same guarantees as `notify`: written in the caller's transaction, once per `key`.
    """
    payload = {"template": template, "data": data or {}, "order_id": order_id, "to": to,
               "customer_id": customer_id}
    return await jobs.enqueue(session, STAFF_ALERT, payload, due_at=due_at, order_id=order_id,
                              dedupe_key=key)


STAFF_UNREACHED = "staff_unreached"  # the group's template: a member's private message was refused


async def alert_unreached(session: AsyncSession, *, staff: str | None, what: str, order_id: int | None,
                          number: str | None, due_at: dt.datetime, key: str) -> bool:
    """Tell the staff group, under the order's card, that `staff`'s private `what` (its
    template) was refused for good (they never opened a chat with the bot, or blocked it),
    and how to fix it; else the technician would miss reminders and details unawares and
    only they (or a log line) would know. Once per `key`."""
    return await alert_staff(session, template=STAFF_UNREACHED, due_at=due_at, order_id=order_id,
                             data={"staff": staff, "what": what, "number": number},
                             key=f"{STAFF_UNREACHED}:{key}")


async def notify(session: AsyncSession, *, customer_id: int, template: str, due_at: dt.datetime,
                 data: dict[str, Any] | None = None, order_id: int | None = None,
                 key: str | None = None, choices: list[dict[str, Any]] | None = None) -> bool:
    """Queue `template` for the customer, sent on their channel by the worker at `due_at`
    (the caller's clock, so tests and reminders agree on what "now" is).

    `key` makes it idempotent (one message per key, ever); False when it was
    already queued. `choices` are quick replies (`ChoiceSpec` fields).
    Runs in the caller's transaction: no commit, no message.
    """
    payload: dict[str, Any] = {"customer_id": customer_id, "template": template, "data": data or {}}
    if choices:  # quick replies: [{"label": labels.j2 name, "payload": "rate:5:42"}]
        payload["choices"] = choices
    return await jobs.enqueue(session, DELIVER, payload, due_at=due_at,
                              order_id=order_id, dedupe_key=key)


async def send_reply(session: AsyncSession, *, customer_id: int, reply: Reply, due_at: dt.datetime,
                     key: str) -> bool:
    """Queue an answer that is already rendered (and already in the message log), e.g. one
    that missed WeChat's 5-second window for a passive reply; same guarantees as `notify`."""
    payload = {"customer_id": customer_id, "template": REPLY, "data": {},
               "reply": {"text": reply.text, "choices": [[c.label, c.payload] for c in reply.choices]}}
    return await jobs.enqueue(session, DELIVER, payload, due_at=due_at, dedupe_key=key)


def stored_reply(payload: dict[str, Any]) -> Reply | None:
    """The pre-rendered reply of a `send_reply` job, None for a template job."""
    raw = payload.get("reply")
    if not raw:
        return None
    return Reply(text=raw["text"], choices=tuple(Choice(label, p) for label, p in raw["choices"]))
