"""Per-key mutual exclusion: one customer's messages are handled one at a time.

In-process locks serve the single-process default; Redis locks make several
processes behave as one.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager, suppress
from typing import AsyncIterator, Protocol

from redis.asyncio import Redis
from redis.exceptions import LockError, LockNotOwnedError, RedisError

log = logging.getLogger(__name__)


class LockUnavailable(Exception):
    """The lock could not be taken in time (another turn of the customer's is stuck)."""


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
    """A Redis lock with a lease, so a crashed holder cannot block a customer forever.

    The lease (`timeout`) is short so a killed process frees the customer quickly,
    and a live holder renews it every third of the lease, so a long turn (a slow
    database, the Rasa backend) keeps it. Only the owner can release it: redis-py
    stores a random token and deletes the key only if it still holds that token,
    so a holder whose lease ran out never frees a lock someone else has taken.
    """

    def __init__(self, redis: Redis, prefix: str = "jiedan:lock:", timeout: float = 10.0,
                 wait: float = 60.0) -> None:
        self._r = redis
        self._prefix = prefix
        self._timeout = timeout
        self._wait = wait

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._r.lock(self._prefix + key, timeout=self._timeout, blocking_timeout=self._wait,
                            sleep=0.02, thread_local=False)
        if not await lock.acquire():
            raise LockUnavailable(key)
        keeper = asyncio.create_task(self._renew(lock, key))
        try:
            yield
        finally:
            keeper.cancel()
            with suppress(asyncio.CancelledError):
                await keeper
            try:
                await lock.release()
            except LockNotOwnedError:
                log.warning("the lock on %s had run out before the turn ended", key)
            except (LockError, RedisError) as e:  # Redis gone: the lease frees it on its own
                log.warning("could not release the lock on %s: %s", key, e)

    async def _renew(self, lock: object, key: str) -> None:
        while True:
            await asyncio.sleep(self._timeout / 3)
            try:
                await lock.reacquire()  # type: ignore[attr-defined]
            except LockNotOwnedError:
                log.error("lost the lock on %s mid-turn", key)
                return
            except (LockError, RedisError) as e:
                log.warning("could not renew the lock on %s: %s", key, e)
