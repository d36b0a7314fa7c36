"""Messages the service starts for a customer of the web chat page.

The page has no connection to push to, so "sending" is storing: the worker
logs every delivered message in the message log (`Worker._log_sent`), and the
page polls `/chat/messages` for what is newer than what it shows. This sender
only accepts the message and names it, so delivery succeeds on any process.
"""

from __future__ import annotations

from handlers.outbox import Address, Outgoing

CHANNEL = "web"


class WebSender:
    """The `Sender` of channel "web" (see `handlers.outbox.Sender`)."""

    async def send(self, to: Address, message: Outgoing) -> str | None:
        return f"web:{message.key}"
