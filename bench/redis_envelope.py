"""The Redis part of a turn alone: rate limit, lock + state in, state out + release.

A whole turn costs ~8 ms of CPU, so on a shared 2-core VM the Redis part
(a few hundred microseconds) drowns in profile_turns.py's noise; this times
just that envelope, as `Conversations.handle` runs it, with no database.

  python bench/redis_envelope.py [--envelopes 6000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import facts, redis_url  # noqa: E402
from bot.app import connect_redis  # noqa: E402
from storage.locks import RedisLocks  # noqa: E402
from storage.ratelimit import make_rate_limiter  # noqa: E402
from storage.state import RedisStateStore  # noqa: E402

STATE = {"lang": "zh", "stage": "collecting", "awaiting": "phone", "choices": [],
         "draft": {"service": "deep_cleaning", "date": "2026-11-30", "address": "朝阳区望京SOHO T1 1203"}}


async def run(envelopes: int, concurrency: int) -> tuple[float, float]:
    url, prefix = redis_url(), f"jiedan-bench:{os.getpid()}:"
    redis = connect_redis(url)
    states = RedisStateStore(redis, prefix=prefix + "conv:")
    locks = RedisLocks(redis, prefix=prefix + "lock:")
    limiter = make_rate_limiter(redis, per=10**9, prefix=prefix + "rate")
    assert limiter is not None

    async def customer(n: int, turns: int) -> None:
        for i in range(turns):
            key = f"c{n}-{i % 5}"
            async with locks.hold(key, states, limiter) as held:
                held.keep = STATE

    try:
        await customer(-1, 50)  # connections and scripts loaded
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(customer(n, envelopes // concurrency) for n in range(concurrency)))
        return time.process_time() - cpu, time.perf_counter() - wall
    finally:
        keys = [k async for k in redis.scan_iter(match=prefix + "*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--envelopes", type=int, default=6000)
    ap.add_argument("--concurrency", type=int, default=32)
    a = ap.parse_args()
    print(facts())
    cpu, wall = asyncio.run(run(a.envelopes, a.concurrency))
    done = a.envelopes // a.concurrency * a.concurrency
    print(f"{done / wall:,.0f} envelopes/s, {cpu / done * 1e6:.0f} us CPU each ({a.concurrency} at once)")


if __name__ == "__main__":
    main()
