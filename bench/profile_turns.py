"""Profile the handlers' hot path in-process: `Conversations.handle` on whole bookings.

No HTTP and no channel, so what pyinstrument shows is our own cost per
message (state, identify, message log, NLU, dialogue, render) and the
database round trips; bench/e2e_bench.py --profile shows the whole process.

  python bench/profile_turns.py                  # SQLite file, 300 customers
  python bench/profile_turns.py --pg --redis     # PostgreSQL (own database) + Redis
  python bench/profile_turns.py --html /tmp/turns.html
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pyinstrument import Profiler  # noqa: E402

from bench.load import CONVERSATIONS  # noqa: E402
from bench.machine import create_pg_database, drop_pg_database, facts, redis_url  # noqa: E402
from bot.app import build_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.messages import Inbound  # noqa: E402


async def drive(settings: Settings, customers: int, concurrency: int, profiler: Profiler | None) -> tuple[int, float]:
    app = await build_app(settings)
    ids = itertools.count(1)
    queue = list(range(customers))
    count = 0

    async def customer() -> None:
        nonlocal count
        while queue:
            n = queue.pop()
            for text in CONVERSATIONS[n % len(CONVERSATIONS)]:
                await app.conversations.handle(Inbound(
                    channel="console", user_id=f"prof-{os.getpid()}-{n}", text=text,
                    message_id=f"m{next(ids)}"))
                count += 1

    try:
        if profiler:
            profiler.start()
        started = time.perf_counter()
        await asyncio.gather(*(customer() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
        if profiler:
            profiler.stop()
    finally:
        if app.redis is not None:  # our customers' state only, key by key
            await app.redis.delete(*(f"jiedan:conv:console:prof-{os.getpid()}-{n}" for n in range(customers)))
        await app.close()
    return count, seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--pg", action="store_true")
    ap.add_argument("--redis", action="store_true")
    ap.add_argument("--html", help="write an HTML profile here instead of printing text")
    ap.add_argument("--no-profile", action="store_true", help="just time it")
    a = ap.parse_args()
    print(facts())
    profiler = None if a.no_profile else Profiler(async_mode="disabled")
    name = f"jiedan_bench_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="jiedan-prof-") as tmp:
        url = asyncio.run(create_pg_database(name)) if a.pg else f"sqlite:///{tmp}/jiedan.db"
        try:
            settings = Settings(_env_file=None, database_url=url,
                                redis_url=redis_url() if a.redis else None)
            count, seconds = asyncio.run(drive(settings, a.customers, a.concurrency, profiler))
        finally:
            if a.pg:
                asyncio.run(drop_pg_database(name))
    print(f"{count} messages in {seconds:.2f} s = {count / seconds:,.0f} msg/s in one process "
          f"({'PostgreSQL' if a.pg else 'SQLite'}{' + Redis' if a.redis else ''}, {a.concurrency} at once)")
    if profiler:
        if a.html:
            Path(a.html).write_text(profiler.output_html())
            print(f"profile: {a.html}")
        else:
            print(profiler.output_text(unicode=True, show_all=False))


if __name__ == "__main__":
    main()
