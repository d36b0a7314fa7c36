"""The console channel: `jiedan chat`, a customer on the terminal.

Each input line is one customer message through the full pipeline; replies
go to stdout. Piped input works the same as a terminal, and end of input ends it.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from handlers.conversation import Conversations
from handlers.messages import Inbound
from handlers.render import numbered_text

CHANNEL = "console"


async def run_chat(conversations: Conversations, *, user: str, lang: str | None,
                   stdin: TextIO, stdout: TextIO, interactive: bool) -> int:
    """Chat until end of input; returns how many messages were handled."""
    handled = 0
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        replies = await conversations.handle(Inbound(
            channel=CHANNEL, user_id=user, text=text, message_id=None, lang_hint=lang))
        handled += 1
        for reply in replies:
            stdout.write(numbered_text(reply) + "\n\n")
        stdout.flush()
    return handled
