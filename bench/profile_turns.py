"""Profile the handlers' hot path in-process: `Conversations.handle` on whole bookings.

No HTTP and no channel, so what pyinstrument shows is our own cost per
message (state, identify, message log, NLU, dialogue, render) and the
database round trips; bench/e2e_bench.py --profile shows the whole process.

  python bench/profile_turns.py                  # SQLite file, 300 customers
  python bench/profile_turns.py --pg --redis     # PostgreSQL (own database) + Redis
  python bench/profile_turns.py --html /tmp/turns.html

It also counts the round trips a message costs: SQL statements (BEGIN and
COMMIT included) and Redis commands (a pipeline counts once), because on
PostgreSQL + Redis each is a network round trip and a few hundred
microseconds of driver CPU.
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
from redis.asyncio.client import Pipeline, Redis  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench.load import CONVERSATIONS  # noqa: E402
from bench.machine import create_pg_database, drop_pg_database, facts, redis_url  # noqa: E402
from bot.app import build_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.messages import Inbound  # noqa: E402


ROUND_TRIPS = {"sql": 0, "redis": 0}
CPU_SECONDS = [0.0]  # this process's CPU while the customers ran (steadier than msg/s on a busy box)


def count_round_trips(app: object) -> None:
    """Count SQL statements and Redis round trips from here on (see ROUND_TRIPS)."""
    def sql(*_: object) -> None:
        ROUND_TRIPS["sql"] += 1

    engine = app.db.engine.sync_engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", sql)
    for what in ("begin", "commit", "rollback"):
        event.listen(engine, what, sql)
    command, pipeline = Redis.execute_command, Pipeline.execute

    async def counted_command(self: Redis, *args: object, **kw: object) -> object:
        ROUND_TRIPS["redis"] += 1
        return await command(self, *args, **kw)

    async def counted_pipeline(self: Pipeline, *args: object, **kw: object) -> object:
        ROUND_TRIPS["redis"] += 1
        return await pipeline(self, *args, **kw)

    Redis.execute_command = counted_command  # type: ignore[method-assign]
    Pipeline.execute = counted_pipeline  # type: ignore[method-assign]


async def drive(settings: Settings, customers: int, concurrency: int, profiler: Profiler | None) -> tuple[int, float]:
    app = await build_app(settings)
    count_round_trips(app)
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
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(customer() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
        CPU_SECONDS[0] = time.process_time() - cpu
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
    print(f"CPU per message in this process: {CPU_SECONDS[0] * 1000 / count:.2f} ms "
          f"(the database and Redis servers' own CPU not included)")
    print(f"round trips per message: SQL {ROUND_TRIPS['sql'] / count:.1f}, Redis {ROUND_TRIPS['redis'] / count:.1f}")
    if profiler:
        if a.html:
            Path(a.html).write_text(profiler.output_html())
            print(f"profile: {a.html}")
        else:
            print(profiler.output_text(unicode=True, show_all=False))


if __name__ == "__main__":
    main()
