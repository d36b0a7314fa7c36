"""Keeping under Telegram's sending limits, in one place for every request.

Telegram allows about one message a second per chat (short bursts are fine),
20 a minute per group and about 30 a second overall; beyond that it answers
429 with `retry_after`. This aiogram request middleware paces every request
that names a chat with leaky buckets (`aiolimiter`), so bursts are smoothed
rather than refused.

`Pacer` counts in this process. With Redis (several `serve` processes and a
`jiedan worker` sending for one bot), `SharedPacer` keeps the same buckets in
Redis (storage/buckets.py), so the limits hold for the bot as a whole; a 429's
`retry_after` is also written there, so every process holds that chat back,
and the error still reaches the caller (`RetryLater` in the worker, a short
wait in `TelegramChannel.reply`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiolimiter import AsyncLimiter
from redis.asyncio import Redis

from storage.buckets import Bucket, RedisBuckets

log = logging.getLogger(__name__)
REDIS_PAUSE = 10.0   # after Redis fails, pace in this process for this long before asking it again
MAX_NAP = 1.0        # a waiting send looks again at least this often (another may have freed room)


def is_group(chat_id: int | str) -> bool:
    """Group ids are negative (or @channel names)."""
    return isinstance(chat_id, str) or chat_id < 0


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
            limiter = AsyncLimiter(*(self.group if is_group(chat_id) else self.private))
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


class SharedPacer(BaseRequestMiddleware):
    """`Pacer`'s buckets kept in Redis, so every process sending for the bot counts
    in the same ones. `clock` is wall time (processes compare it); `clock` and
    `sleep` are injectable for tests.

    If Redis fails, this process paces alone (`local`) for `REDIS_PAUSE` and
    then asks Redis again: sending goes on, only less tightly counted."""

    def __init__(self, redis: Redis, *, prefix: str, private: tuple[float, float] = (3, 3.0),
                 group: tuple[float, float] = (20, 60.0), overall: tuple[float, float] = (30, 1.0),
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.private, self.group, self.overall = private, group, overall
        self.prefix, self.clock, self.sleep = prefix, clock, sleep
        self.buckets = RedisBuckets(redis)
        self.local = Pacer(private=private, group=group, overall=overall)
        self._redis_down_until = 0.0

    def _chat(self, chat_id: int | str) -> Bucket:
        rate, period = self.group if is_group(chat_id) else self.private
        return Bucket(f"{self.prefix}chat:{chat_id}", rate, period)

    def _both(self, chat_id: int | str) -> list[Bucket]:
        return [self._chat(chat_id), Bucket(f"{self.prefix}all", *self.overall)]

    def _redis_up(self) -> bool:
        return time.monotonic() >= self._redis_down_until

    def _redis_failed(self, e: Exception) -> None:
        log.warning("Telegram pacing: Redis failed (%s); pacing in this process for %ss", e, REDIS_PAUSE)
        self._redis_down_until = time.monotonic() + REDIS_PAUSE

    async def _wait(self, chat_id: int | str) -> float:
        """Seconds to wait before a message to `chat_id` fits (0: it was counted)."""
        return await self.buckets.take(self._both(chat_id), self.clock())

    async def take_now(self, chat_id: int | str) -> bool:
        """`Pacer.take_now`, counted in Redis."""
        if self._redis_up():
            try:
                return await self._wait(chat_id) <= 0
            except Exception as e:  # noqa: BLE001 - Redis down: see the class
                self._redis_failed(e)
        return await self.local.take_now(chat_id)

    async def __call__(self, make_request: NextRequestMiddlewareType[Any], bot: Any, method: Any) -> Any:
        chat_id = getattr(method, "chat_id", None)
        if chat_id is None:  # not a message to a chat
            return await make_request(bot, method)
        while self._redis_up():
            try:
                wait = await self._wait(chat_id)
            except Exception as e:  # noqa: BLE001 - Redis down: see the class
                self._redis_failed(e)
                break
            if wait <= 0:
                return await self._send(make_request, bot, method, chat_id)
            await self.sleep(min(wait, MAX_NAP))
        return await self.local(make_request, bot, method)

    async def _send(self, make_request: NextRequestMiddlewareType[Any], bot: Any, method: Any,
                    chat_id: int | str) -> Any:
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as e:
            try:  # every process holds this chat back as long as Telegram asked
                await self.buckets.hold(self._chat(chat_id), self.clock(), e.retry_after)
            except Exception as redis_error:  # noqa: BLE001 - the 429 itself still goes up
                self._redis_failed(redis_error)
            raise
