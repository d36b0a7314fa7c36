"""Per-customer rate limit: a flood of messages is answered politely, not processed.

At most `per` messages in `seconds` seconds per customer. With Redis, a moving
window (the `limits` library), so every process counts the same customer
together. In one process, `Throttle`, a sliding window per key (also what
the web dashboard counts failed sign-ins with): `limits`' in-memory store
rescans every key on each hit (with a thread hop per key), which cost a third
of a message's CPU time.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from typing import Callable, Protocol

from limits import RateLimitItemPerSecond
from limits.aio.storage import RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from storage.redis_pool import redis_pool

log = logging.getLogger(__name__)

DEFAULT_PER = 10       # messages…
DEFAULT_SECONDS = 10   # …per this many seconds: far above anyone typing, far below a script


class RateLimiter(Protocol):
    async def allow(self, key: str) -> bool: ...


class MovingWindow:
    def __init__(self, storage: Storage, per: int = DEFAULT_PER, seconds: int = DEFAULT_SECONDS) -> None:
        self._item = RateLimitItemPerSecond(per, seconds)
        self._limiter = MovingWindowRateLimiter(storage)

    async def allow(self, key: str) -> bool:
        """Count this message; False when the customer is over the limit.

        If the store fails (Redis restarting) the message is let through: losing
        the limit for a moment is better than refusing every customer."""
        try:
            return await self._limiter.hit(self._item, key)
        except Exception as e:  # noqa: BLE001 - limits wraps several drivers' errors
            log.warning("rate limit store failed, letting the message through: %s", e)
            return True


class Throttle:
    """At most `limit` events per key in any `window` seconds; remembers `max_keys` keys."""

    def __init__(self, limit: int, window: float, *, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.max_keys, self.clock = limit, window, max_keys, clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            return deque()
        cutoff = self.clock() - self.window
        while events and events[0] <= cutoff:
            events.popleft()
        return events

    def blocked(self, key: str) -> bool:
        """Whether `key` has used its allowance in the current window."""
        return len(self._recent(key)) >= self.limit

    def hit(self, key: str) -> None:
        """Count one event for `key` (the oldest keys are forgotten past `max_keys`)."""
        events = self._recent(key)
        events.append(self.clock())
        self._events[key] = events
        self._events.move_to_end(key)
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)

    async def allow(self, key: str) -> bool:
        """`RateLimiter`: count this message; False when `key` is over the limit."""
        if self.blocked(key):
            return False
        self.hit(key)
        return True


def limits_redis_uri(redis_url: str) -> str:
    """`redis://h:6379/0` → `async+redis://h:6379/0` (limits' scheme for asyncio storage)."""
    return redis_url if redis_url.startswith("async+") else "async+" + redis_url


def make_rate_limiter(redis_url: str | None, *, per: int, seconds: int = DEFAULT_SECONDS,
                      prefix: str = "jiedan:rate") -> RateLimiter | None:
    """None when `per` is 0 (no limit).

    With Redis the limiter has a client of its own that fails fast: riding out
    an outage is the lock's job, and a limiter that waited too would add its
    retries to every answer while Redis is down."""
    if per <= 0:
        return None
    if not redis_url:
        return Throttle(per, seconds, max_keys=100_000)
    storage = RedisStorage(limits_redis_uri(redis_url), implementation="redispy", key_prefix=prefix,
                           connection_pool=redis_pool(redis_url, fail_fast=True))
    return MovingWindow(storage, per, seconds)
