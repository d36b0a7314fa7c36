"""Reminders: how fast the worker sends jobs that fall due, and how late, under a rate limit.

The queue is filled with `--jobs` deliver jobs (100,000 by default; `--jobs 1000000`
for the big run) for 1,000 customers: most fall due in 1–30 days, so the worker's
claim query works against a big table, and `--due` of them fall due evenly over
the next `--window` seconds. The real `Worker` sends them through a recording
fake channel sender that honours a token bucket (`--rate` messages/s; Telegram's
overall limit is about 30/s). Three phases, each on its own slice of jobs:

  1. not rate-limited: jobs due over the window; lag = send time − due time;
  2. rate-limited at --rate: same, with twice as many due per second as allowed, so the
     lag grows by design; the figure that matters is that no second exceeds the rate;
  3. backlog: --backlog jobs already due (e.g. after downtime), not rate-limited: jobs/s.

  python bench/reminder_bench.py                       # SQLite file, 100,000 jobs
  python bench/reminder_bench.py --jobs 1000000 --pg   # PostgreSQL (its own database)
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiolimiter import AsyncLimiter  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bench.machine import create_pg_database, drop_pg_database, facts  # noqa: E402
from handlers.outbox import DELIVER, Address, Outgoing  # noqa: E402
from handlers.render import Renderer  # noqa: E402
from handlers.worker import Worker  # noqa: E402
from storage.catalog import demo_catalog  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import ChannelIdentity, Customer, ScheduledJob  # noqa: E402

CHANNEL = "bench"
CUSTOMERS = 1000
UTC = dt.timezone.utc


class RecordingSender:
    """A channel that only records when each job was sent; with a token bucket when `rate` is set."""

    def __init__(self, rate: float | None) -> None:
        # One token at a time, refilled every 1/rate s: no second ever sees more than the rate
        # (a bucket holding `rate` tokens would allow a burst of twice that in one second).
        self.limiter = AsyncLimiter(1, 1.0 / rate) if rate else None
        self.sent: dict[str, float] = {}   # job key -> time.time() of the send

    async def send(self, to: Address, message: Outgoing) -> str | None:
        if self.limiter is not None:
            async with self.limiter:
                self.sent[message.key] = time.time()
        else:
            self.sent[message.key] = time.time()
        return None


async def fill(db: Database, jobs: int, batch: int = 10_000) -> None:
    """Customers with a bench identity, and `jobs` far-future deliver jobs."""
    now = dt.datetime.now(UTC)
    async with db.sessions.begin() as s:
        await s.execute(insert(Customer), [
            {"id": i, "display_name": f"c{i}", "lang": "zh", "tags": [], "created_at": now,
             "last_seen_at": now} for i in range(1, CUSTOMERS + 1)])
        await s.execute(insert(ChannelIdentity), [
            {"customer_id": i, "channel": CHANNEL, "external_id": f"x{i}", "created_at": now,
             "last_inbound_at": now} for i in range(1, CUSTOMERS + 1)])
    for start in range(0, jobs, batch):
        rows = [job_row(n, now + dt.timedelta(days=1 + (n % 30), seconds=n % 86400), "future")
                for n in range(start, min(jobs, start + batch))]
        async with db.sessions.begin() as s:
            await s.execute(insert(ScheduledJob), rows)


def job_row(n: int, due: dt.datetime, tag: str) -> dict:
    return {"kind": DELIVER, "dedupe_key": f"{tag}:{n}", "due_at": due, "status": "pending",
            "attempts": 0, "payload": {"customer_id": 1 + n % CUSTOMERS, "template": "help", "data": {}},
            "created_at": due}


async def phase(db: Database, name: str, *, count: int, window: float, rate: float | None) -> None:
    """`count` jobs due evenly over `window` seconds from a moment 2 s ahead; the worker sends them."""
    start = dt.datetime.now(UTC) + dt.timedelta(seconds=2)
    due = {f"{name}:{n}": start + dt.timedelta(seconds=window * n / max(1, count)) for n in range(count)}
    async with db.sessions.begin() as s:
        await s.execute(insert(ScheduledJob), [job_row(n, due[f"{name}:{n}"], name) for n in range(count)])
    sender = RecordingSender(rate)
    worker = Worker(db, Renderer(demo_catalog()))
    worker.add_sender(CHANNEL, sender)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    began = time.time()
    while len(sender.sent) < count and time.time() - began < window + 600:
        await asyncio.sleep(0.2)
    stop.set()
    await task
    sends = sorted(sender.sent.values())
    lags = sorted(sender.sent[k] - due[k].timestamp() for k in sender.sent)
    q = statistics.quantiles(lags, n=100) if len(lags) > 1 else [float("nan")] * 99
    first_due = start.timestamp()
    busiest = max((bisect.bisect_left(sends, t + 1.0) - i for i, t in enumerate(sends)), default=0)
    span = (sends[-1] - min(sends[0], first_due)) if sends else 0
    limit = f"rate limit {rate:g}/s" if rate else "no rate limit"
    print(f"{name:<12} {len(sends):,}/{count:,} sent ({limit}), due over {window:g} s; "
          f"{len(sends) / span if span else 0:,.0f} sent/s; busiest second {busiest}; "
          f"lag s p50 {q[49]:.3f} p99 {q[98]:.3f} max {lags[-1] if lags else float('nan'):.3f}")


async def run(a: argparse.Namespace, url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
        t = time.perf_counter()
        await fill(db, a.jobs)
        print(f"scheduled {a.jobs:,} future jobs for {CUSTOMERS:,} customers in {time.perf_counter() - t:.1f} s")
        await phase(db, "on-time", count=a.due, window=a.window, rate=None)
        await phase(db, "limited", count=int(a.rate * 2 * a.window / 2), window=a.window / 2, rate=a.rate)
        await phase(db, "backlog", count=a.backlog, window=0, rate=None)
    finally:
        await db.dispose()
    print(f"peak RSS of this process (filler + worker): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=100_000, help="future jobs in the queue (1000000 for the big run)")
    ap.add_argument("--due", type=int, default=1_000, help="jobs falling due during the on-time phase")
    ap.add_argument("--window", type=float, default=20.0, help="seconds they fall due over")
    ap.add_argument("--rate", type=float, default=30.0, help="the channel's messages/s in the limited phase")
    ap.add_argument("--backlog", type=int, default=2_000)
    ap.add_argument("--pg", action="store_true", help="PostgreSQL instead of a SQLite file")
    a = ap.parse_args()
    print(facts())
    name = f"jiedan_bench_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="jiedan-rem-") as tmp:
        url = asyncio.run(create_pg_database(name)) if a.pg else f"sqlite:///{tmp}/jiedan.db"
        print(f"database: {'PostgreSQL' if a.pg else 'SQLite file'}")
        try:
            asyncio.run(run(a, url))
        finally:
            if a.pg:
                asyncio.run(drop_pg_database(name))


if __name__ == "__main__":
    main()
