"""Keeping under Telegram's sending limits, in one place for every request.

Telegram allows about one message a second per chat (short bursts are fine),
20 a minute per group and about 30 a second overall; beyond that it answers
429 with `retry_after`. This aiogram request middleware paces every request
that names a chat with leaky buckets (`aiolimiter`), so bursts are smoothed
rather than refused. It is per process: the 429 path (`RetryLater` in the
worker) is still what makes several processes behave.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiolimiter import AsyncLimiter


class Pacer(BaseRequestMiddleware):
    def __init__(self, *, private: tuple[float, float] = (3, 3.0), group: tuple[float, float] = (20, 60.0),
                 overall: tuple[float, float] = (30, 1.0), max_chats: int = 10_000) -> None:
        self.private, self.group = private, group
        self.overall = AsyncLimiter(*overall)
        self.max_chats = max_chats
        self._chats: OrderedDict[int | str, AsyncLimiter] = OrderedDict()

    def limiter(self, chat_id: int | str) -> AsyncLimiter:
        """The chat's bucket; group ids are negative (or @names). Least recently used
        chats are forgotten so the table stays bounded."""
        limiter = self._chats.pop(chat_id, None)
        if limiter is None:
            is_group = isinstance(chat_id, str) or chat_id < 0
            limiter = AsyncLimiter(*(self.group if is_group else self.private))
        self._chats[chat_id] = limiter
        while len(self._chats) > self.max_chats:
            self._chats.popitem(last=False)
        return limiter

    async def take_now(self, chat_id: int | str) -> bool:
        """Count one message to `chat_id` that goes out another way (the answer to a
        webhook update), if both its chat's bucket and the overall one have room now.

        False means there is no room: send it through the API instead, where this
        middleware waits. So a webhook answer never breaks the pacing."""
        chat = self.limiter(chat_id)
        if not (chat.has_capacity() and self.overall.has_capacity()):
            return False
        await chat.acquire()  # returns at once: there is capacity and nothing awaits before it
        await self.overall.acquire()
        return True

    async def __call__(self, make_request: NextRequestMiddlewareType[Any], bot: Any, method: Any) -> Any:
        chat_id = getattr(method, "chat_id", None)
        if chat_id is None:  # getUpdates, answerCallbackQuery…: not a message to a chat
            return await make_request(bot, method)
        async with self.limiter(chat_id):
            async with self.overall:
                return await make_request(bot, method)
