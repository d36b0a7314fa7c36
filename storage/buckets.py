"""Leaky buckets in Redis, shared by every process that sends on one account.

A bucket lets `rate` events through per `period` seconds, `rate` of them at
once (the same shape as `aiolimiter.AsyncLimiter(rate, period)`, the
in-process pacer). It is kept as one number, the bucket's "theoretical
arrival time" (GCRA): an event fits while `tat + period/rate - now <= period`.

`take` checks several buckets in one script (a chat's and the account's) and
takes from all of them or from none, answering how long to wait otherwise, so
a message never uses up one bucket while waiting on another. The caller's
clock is the time (as `storage.ratelimit.RedisWindow` does): injectable in
tests; across hosts it needs clocks kept in step (NTP), as any shared limit does.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

# KEYS: the buckets. ARGV: now, then each bucket's interval (period/rate) and period.
# Returns "0" once every bucket took the event, else the seconds until all of them would.
_TAKE = """
local now = tonumber(ARGV[1])
local wait, tats = 0, {}
for i, key in ipairs(KEYS) do
  local interval, period = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('get', key) or now)
  if tat < now then tat = now end
  tats[i] = tat
  local w = tat + interval - period - now
  if w > wait then wait = w end
end
if wait > 0 then return tostring(wait) end
for i, key in ipairs(KEYS) do
  local new = tats[i] + tonumber(ARGV[2 * i])
  redis.call('set', key, tostring(new), 'PX', math.ceil((new - now) * 1000) + 1000)
end
return '0'
"""

# KEYS[1]: a bucket. ARGV: now, interval, period, seconds. Nothing fits before now + seconds.
_HOLD = """
local now, interval, period = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local until_tat = now + tonumber(ARGV[4]) + period - interval
local tat = tonumber(redis.call('get', KEYS[1]) or now)
if tat >= until_tat then return 0 end
redis.call('set', KEYS[1], tostring(until_tat), 'PX', math.ceil((until_tat - now) * 1000) + 1000)
return 1
"""


@dataclass(frozen=True)
class Bucket:
    key: str
    rate: float      # events…
    period: float    # …per this many seconds, all of them at once at most

    @property
    def interval(self) -> float:
        return self.period / self.rate


class RedisBuckets:
    """The scripts, on a client; keys are the caller's (with its prefix)."""

    def __init__(self, redis: Redis) -> None:
        self._take = redis.register_script(_TAKE)
        self._hold = redis.register_script(_HOLD)

    async def take(self, buckets: list[Bucket], now: float) -> float:
        """Take one event from every bucket and answer 0, or take none and answer the
        seconds to wait before all of them have room."""
        args: list[float] = [now]
        for b in buckets:
            args += [b.interval, b.period]
        return float(await self._take([b.key for b in buckets], args))

    async def hold(self, bucket: Bucket, now: float, seconds: float) -> None:
        """Nothing more through `bucket` for `seconds` (the other side asked us to wait)."""
        await self._hold([bucket.key], [now, bucket.interval, bucket.period, seconds])
