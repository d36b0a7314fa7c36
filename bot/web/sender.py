"""Messages the service starts for a customer of the web chat page.

"Sending" is storing: the worker logs every delivered message in the message
log (`Worker._log_sent`), and the page fetches from `/chat/messages` what is
newer than what it shows. The page waits there (`?wait=`, a long poll) until
the worker, in any process, says it delivered something to that visitor
(`announce_to_pages`, a notice: storage/notices.py). This sender only accepts
the message and names it, so delivery succeeds on any process.
"""

from __future__ import annotations

from handlers.outbox import Address, Outgoing
from handlers.worker import DeliveredHook
from storage.notices import LocalNotices

CHANNEL = "web"


class WebSender:
    """The `Sender` of channel "web" (see `handlers.outbox.Sender`)."""

    async def send(self, to: Address, message: Outgoing) -> str | None:
        return f"web:{message.key}"


def page_key(visitor: str) -> str:
    """The notice a visitor's open chat page waits for."""
    return f"{CHANNEL}:{visitor}"


def announce_to_pages(notices: LocalNotices) -> DeliveredHook:
    """The worker's `on_delivered` hook: wake the pages of the web visitors just written to."""
    async def announce(delivered: list[Address]) -> None:
        for visitor in dict.fromkeys(a.user_id for a in delivered if a.channel == CHANNEL):
            await notices.publish(page_key(visitor))
    return announce
