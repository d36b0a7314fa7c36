"""The two objects that cross the channel boundary.

A channel adapter turns its update into an `Inbound`; the handlers answer with
`Reply` objects that the adapter renders in its own way (inline keyboard,
numbered options, buttons). Nothing here knows any channel library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# `Inbound.event`: what a channel tells us about a customer that is no message. Neither is
# answered (after LEFT the channel could not deliver it; CAME_BACK needs none, their next
# message is answered as usual) and neither creates a customer we never heard from; both
# are acted on once per `message_id` (handlers/reach.py).
LEFT = "left"            # they unfollowed or blocked us; `reason` says which (an UnreachableReason)
CAME_BACK = "came_back"  # they unblocked us without writing (yet)


@dataclass(frozen=True, slots=True)
class Inbound:
    channel: str                      # "console", "telegram", "wechat", "web"
    user_id: str                      # the channel's id for the customer
    text: str = ""
    payload: str | None = None        # a quick-reply choice the customer pressed
    message_id: str | None = None     # the channel's id, for de-duplication
    thread_id: str | None = None      # where to answer, when not the user id
    lang_hint: str | None = None      # e.g. Telegram's language_code
    display_name: str | None = None
    received_at: datetime | None = None
    event: str | None = None          # a channel event that is no message: LEFT, CAME_BACK
    reason: str | None = None         # why they LEFT: "unsubscribed", "blocked"…


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class Ask:
    """The detail a reply waits for, when a channel can let the customer give it in one
    tap (Telegram's "share my phone number" button); channels without such a thing
    ignore it, and the customer types the detail as the reply's text asks."""

    detail: str   # "phone": the detail the dialogue awaits (`DialogueState.awaiting`)
    label: str    # the button's text, in the customer's language (labels.j2)


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    asks: Ask | None = None
