"""Per-customer rate limit: a flood of messages is answered politely, not processed.

At most `per` messages in `seconds` seconds per customer. With Redis, a moving
window (the `limits` library), so every process counts the same customer
together. In one process, a leaky bucket per customer (`aiolimiter`, already
the Telegram pacer): `limits`' in-memory store rescans every key on each hit
(with a thread hop per key), which cost a third of a message's CPU time.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Protocol

from aiolimiter import AsyncLimiter
from limits import RateLimitItemPerSecond
from limits.aio.storage import RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

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


class LocalBuckets:
    """One leaky bucket per customer, in this process; the least recently seen
    customers are forgotten beyond `max_customers`, so memory stays bounded."""

    def __init__(self, per: int = DEFAULT_PER, seconds: int = DEFAULT_SECONDS,
                 max_customers: int = 100_000) -> None:
        self._per, self._seconds, self._max = per, seconds, max_customers
        self._buckets: OrderedDict[str, AsyncLimiter] = OrderedDict()

    async def allow(self, key: str) -> bool:
        bucket = self._buckets.pop(key, None) or AsyncLimiter(self._per, self._seconds)
        self._buckets[key] = bucket
        if len(self._buckets) > self._max:
            self._buckets.popitem(last=False)
        if not bucket.has_capacity():
            return False
        await bucket.acquire()  # has capacity: returns at once
        return True


def limits_redis_uri(redis_url: str) -> str:
    """`redis://h:6379/0` → `async+redis://h:6379/0` (limits' scheme for asyncio storage)."""
    return redis_url if redis_url.startswith("async+") else "async+" + redis_url


def make_rate_limiter(redis_url: str | None, *, per: int, seconds: int = DEFAULT_SECONDS,
                      prefix: str = "jiedan:rate") -> RateLimiter | None:
    """None when `per` is 0 (no limit)."""
    if per <= 0:
        return None
    if not redis_url:
        return LocalBuckets(per, seconds)
    storage = RedisStorage(limits_redis_uri(redis_url), implementation="redispy", key_prefix=prefix)
    return MovingWindow(storage, per, seconds)
