"""Per-customer rate limit: a flood of messages is answered politely, not processed.

A moving window (the `limits` library): at most `per` messages in any `seconds`
seconds per customer. In Redis when configured, so every process counts the
same customer together; in process memory otherwise.
"""

from __future__ import annotations

import logging
from typing import Protocol

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
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


def limits_redis_uri(redis_url: str) -> str:
    """`redis://h:6379/0` → `async+redis://h:6379/0` (limits' scheme for asyncio storage)."""
    return redis_url if redis_url.startswith("async+") else "async+" + redis_url


def make_rate_limiter(redis_url: str | None, *, per: int, seconds: int = DEFAULT_SECONDS,
                      prefix: str = "jiedan:rate") -> RateLimiter | None:
    """None when `per` is 0 (no limit)."""
    if per <= 0:
        return None
    storage: Storage = (RedisStorage(limits_redis_uri(redis_url), implementation="redispy", key_prefix=prefix)
                        if redis_url else MemoryStorage())
    return MovingWindow(storage, per, seconds)
