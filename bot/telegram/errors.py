"""Telegram's errors in the worker's terms: wait and retry, or give up."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from aiogram.exceptions import (
    TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat, TelegramNotFound, TelegramRetryAfter,
)

from handlers.outbox import RetryLater, Undeliverable


@asynccontextmanager
async def as_job_errors(what: str) -> AsyncIterator[None]:
    """429 → `RetryLater(retry_after)`; blocked, unknown chat or any other 4xx →
    `Undeliverable` (asking again cannot help). Network and 5xx errors pass
    through, for the worker's back-off. A group that became a supergroup is
    followed where that can happen, the staff group (`StaffChat.call`); here it
    only arrives when even that failed."""
    try:
        yield
    except TelegramRetryAfter as e:
        raise RetryLater(e.retry_after, f"{what}: Telegram flood control") from e
    except (TelegramForbiddenError, TelegramBadRequest, TelegramNotFound, TelegramMigrateToChat) as e:
        raise Undeliverable(f"{what}: {e.message}") from e


def not_modified(e: TelegramBadRequest) -> bool:
    """An edit that changed nothing (e.g. a refresh already shown): not a failure."""
    return "message is not modified" in e.message
