"""Per-key mutual exclusion: one customer's messages are handled one at a time.

In-process locks serve the single-process default; Redis locks make several
processes behave as one.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator, Protocol

from redis.asyncio import Redis


class Locks(Protocol):
    def hold(self, key: str) -> AsyncIterator[None]: ...


class LocalLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:  # forget idle keys so the dict does not grow forever
                del self._users[key]
                del self._locks[key]


class RedisLocks:
    """A Redis lock with a timeout, so a crashed holder cannot block a customer forever."""

    def __init__(self, redis: Redis, prefix: str = "jiedan:lock:", timeout: float = 30.0,
                 wait: float = 30.0) -> None:
        self._r = redis
        self._prefix = prefix
        self._timeout = timeout
        self._wait = wait

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._r.lock(self._prefix + key, timeout=self._timeout, blocking_timeout=self._wait,
                            sleep=0.01)
        async with lock:
            yield
