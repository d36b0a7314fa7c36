"""The console channel: `jiedan chat`, a customer on the terminal.

Each input line is one customer message through the full pipeline; replies
go to stdout. Piped input works the same as a terminal, and end of input ends it.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from handlers.conversation import Conversations
from handlers.messages import Inbound, Reply

CHANNEL = "console"


def render_reply(reply: Reply) -> str:
    """Quick replies become numbered options; answering with the digit picks one."""
    lines = [reply.text]
    if reply.choices:
        lines.append("  ".join(f"[{i}] {c.label}" for i, c in enumerate(reply.choices, 1)))
    return "\n".join(lines)


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
            stdout.write(render_reply(reply) + "\n\n")
        stdout.flush()
    return handled
