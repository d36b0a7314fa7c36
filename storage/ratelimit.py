"""Per-customer rate limit: a flood of messages is answered politely, not processed.

At most `per` messages in `seconds` seconds per customer. With Redis,
`RedisWindow`, a moving window every process counts the same customer in
(the `limits` library's algorithm and keys, in a Lua snippet of our own, so
that the lock script can count a message on the round trip that takes the
customer's lock: storage/locks.py). In one process, `Throttle`, a sliding
window per key (also what the web dashboard counts failed sign-ins with):
`limits`' in-memory store rescans every key on each hit (with a thread hop
per key), which cost a third of a message's CPU time.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from typing import Callable, Protocol

from redis.asyncio import Redis

log = logging.getLogger(__name__)

DEFAULT_PER = 10       # messages…
DEFAULT_SECONDS = 10   # …per this many seconds: far above anyone typing, far below a script


class RateLimiter(Protocol):
    async def allow(self, key: str) -> bool: ...


# `counted(key, now, per, seconds)`: count a hit at `now` in moving window `key` (a list of
# hit times, newest first) and return true, or return false when `per` hits already fall
# in the last `seconds`. `limits`' acquire_moving_window, so its keys and ours interoperate.
WINDOW_LUA = """
local function counted(key, now, per, seconds)
  local oldest = redis.call('lindex', key, per - 1)
  if oldest and tonumber(oldest) >= tonumber(now) - seconds then return false end
  redis.call('lpush', key, now)
  redis.call('ltrim', key, 0, per - 1)
  redis.call('expire', key, seconds)
  return true
end
"""
_COUNT = WINDOW_LUA + "return counted(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])) and 1 or 0"


class RedisWindow:
    """At most `per` messages per `seconds` per key, counted in Redis by every process.

    `RedisLocks` counts a message in the script that takes the customer's lock
    when the window lives on the lock's client (`redis_key` and `args` are
    public for that); `allow` counts it alone. If Redis fails, `allow` lets
    the message through: losing the limit for a moment is better than refusing
    every customer (the lock then decides whether the turn can run at all).
    """

    def __init__(self, redis: Redis, per: int = DEFAULT_PER, seconds: int = DEFAULT_SECONDS,
                 prefix: str = "jiedan:rate") -> None:
        self.redis = redis
        self.per, self.seconds = per, seconds
        # `limits`' key for RateLimitItemPerSecond(per, seconds) under `prefix`.
        self._prefix, self._suffix = f"{prefix}:LIMITER/", f"/{per}/{seconds}/second"
        self._count = redis.register_script(_COUNT)

    def redis_key(self, key: str) -> str:
        return self._prefix + key + self._suffix

    def args(self) -> list[float | int]:
        """The script's arguments for a hit now: time, per, seconds."""
        return [time.time(), self.per, self.seconds]

    async def allow(self, key: str) -> bool:
        """Count this message; False when the customer is over the limit."""
        try:
            return bool(await self._count([self.redis_key(key)], self.args()))
        except Exception as e:  # noqa: BLE001 - Redis down: see the class
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


def make_rate_limiter(redis: Redis | None, *, per: int, seconds: int = DEFAULT_SECONDS,
                      prefix: str = "jiedan:rate") -> RateLimiter | None:
    """None when `per` is 0 (no limit).

    With Redis the window lives on the lock's client (`redis`), so the lock
    counts each message on the round trip that takes it: one round trip, and
    one client's retries while Redis is down, not two."""
    if per <= 0:
        return None
    if redis is None:
        return Throttle(per, seconds, max_keys=100_000)
    return RedisWindow(redis, per, seconds, prefix=prefix)
