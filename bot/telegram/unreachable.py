"""Which Telegram refusals mean a customer, not just one message, is out of reach.

A customer who blocked the bot or deleted their account makes every later
message fail the same way; saying so (`outbox.Unreachable`) lets the worker stop
trying until they write again. Only for customers' private chats: a staff group
or a staff member's chat failing says nothing about any customer.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError

from bot.telegram.errors import as_job_errors
from handlers.outbox import Undeliverable, Unreachable
from storage.models import UnreachableReason


def unreachable_reason(error: BaseException | None) -> str | None:
    """The `UnreachableReason` of a Bot API error about a private chat, None when the
    error is about the message (too long, bad markup…) rather than the person."""
    if not isinstance(error, TelegramAPIError):
        return None
    text = error.message.lower()
    if isinstance(error, TelegramForbiddenError):  # 403: blocked, deactivated, never started
        return UnreachableReason.GONE if "deactivated" in text else UnreachableReason.BLOCKED
    if isinstance(error, TelegramBadRequest) and "chat not found" in text:
        return UnreachableReason.GONE
    return None


@asynccontextmanager
async def as_private_chat_errors(what: str, chat_id: int,
                             refusal: type[Unreachable] = Unreachable) -> AsyncIterator[None]:
    """`as_job_errors` for a message to a person's private chat, raising `refusal` (a
    customer's `Unreachable`, or `StaffUnreachable` for a staff member's chat) when
    Telegram refuses the person rather than the message. A group's id is negative:
    never a private chat, so never marks anyone."""
    try:
        async with as_job_errors(what):
            yield
    except Undeliverable as e:
        reason = unreachable_reason(e.__cause__) if chat_id > 0 else None
        if reason is None:
            raise
        raise refusal(str(e), reason) from e.__cause__
