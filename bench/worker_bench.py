"""The worker's own CPU cost per job, as `jiedan worker` sends what bookings cause.

The e2e bench shows the worker's CPU per inbound message, but on a shared box that
figure moves with everything else running; this one isolates it. It builds the real
app (Telegram with a staff group, WeChat) against bench/fake_apis.py on PostgreSQL,
queues `--orders` confirmed orders' staff cards plus one customer notification each
(half the customers on Telegram, half on WeChat), runs the worker until the queue is
empty and prints the worker process's CPU ms per job and jobs/s; then the CPU an idle
worker burns per second. Telegram's pacing is lifted (20 cards a minute to the staff
group would make the run take hours and measure only waiting).

  python bench/worker_bench.py --orders 1000
  python bench/worker_bench.py --orders 1000 --profile /tmp/worker.prof   # cProfile, event loop CPU
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiolimiter import AsyncLimiter  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bench.e2e_bench import PY, STAFF_CHAT, start, stop  # noqa: E402
from bench.machine import ROOT, create_pg_database, drop_pg_database, facts  # noqa: E402

UTC = dt.timezone.utc
UNPACED = (10**6, 1.0)


def settings_for(url: str, fake_port: int):  # noqa: ANN201 - bot.settings.Settings
    from bot.settings import Settings

    return Settings(database_url=url, telegram_token="42:BENCH", telegram_mode="webhook",
                    telegram_api_base=f"http://127.0.0.1:{fake_port}", telegram_staff_chat_id=STAFF_CHAT,
                    wechat_token="bench", wechat_appid="wxbench", wechat_secret="bench",
                    wechat_api_base=f"http://127.0.0.1:{fake_port}/cgi-bin/")


async def fill(app, orders: int) -> None:  # noqa: ANN001 - bot.app.App
    """`orders` customers with one confirmed order each, its card job and one notification."""
    from handlers.outbox import DELIVER
    from handlers.staff import CARD
    from storage.models import ChannelIdentity, Customer, Order, ScheduledJob

    now = dt.datetime.now(UTC)
    service = app.catalog.services[0].id
    minutes = app.catalog.services[0].duration_minutes
    async with app.db.sessions.begin() as s:
        await s.execute(insert(Customer), [
            {"id": i, "display_name": f"c{i}", "lang": "zh" if i % 3 else "en", "tags": [], "created_at": now,
             "last_seen_at": now} for i in range(1, orders + 1)])
        await s.execute(insert(ChannelIdentity), [
            {"customer_id": i, "channel": "telegram" if i % 2 else "wechat",
             "external_id": str(10_000 + i) if i % 2 else f"oBench{i:020d}", "created_at": now,
             "last_inbound_at": now} for i in range(1, orders + 1)])
        await s.execute(insert(Order), [
            {"id": i, "number": f"B{i:08d}", "status": "confirmed", "customer_id": i, "service_id": service,
             "date": now.date(), "time": dt.time(15), "start_at": now + dt.timedelta(days=1),
             "address": "朝阳区望京SOHO T1 1203", "phone": "13812345678", "name": "王女士", "channel": "telegram",
             "lang": "zh", "created_at": now, "updated_at": now, "confirmed_at": now, "duration_minutes": minutes}
            for i in range(1, orders + 1)])
        rows = []
        for i in range(1, orders + 1):
            rows.append({"kind": CARD, "dedupe_key": f"card:{i}", "order_id": i, "due_at": now,
                         "status": "pending", "attempts": 0, "payload": {"order_id": i}, "created_at": now})
            rows.append({"kind": DELIVER, "dedupe_key": f"note:{i}", "order_id": i, "due_at": now,
                         "status": "pending", "attempts": 0, "created_at": now, "payload": {
                             "customer_id": i, "template": "order_claimed",
                             "data": {"number": f"B{i:08d}", "service": service, "staff": "李师傅"}}})
        await s.execute(insert(ScheduledJob), rows)


async def drain(app, total: int) -> tuple[float, float]:  # noqa: ANN001
    """Run the worker until every job is settled: (CPU seconds, wall seconds)."""
    from storage import jobs

    stop_ = asyncio.Event()
    cpu, wall = time.process_time(), time.perf_counter()
    task = asyncio.create_task(app.worker.run_forever(stop_))
    while True:
        await asyncio.sleep(0.2)
        c = await jobs.counts(app.db)
        if c.get("pending", 0) + c.get("sending", 0) == 0:
            break
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    stop_.set()
    await task
    settled = await jobs.counts(app.db)
    if settled.get("done", 0) != total:
        print(f"warning: not all jobs done: {settled}")
    return cpu, wall


async def idle(app, seconds: float) -> float:  # noqa: ANN001
    """CPU seconds the worker spends per second with nothing to do."""
    stop_ = asyncio.Event()
    task = asyncio.create_task(app.worker.run_forever(stop_))
    await asyncio.sleep(0.5)
    cpu = time.process_time()
    await asyncio.sleep(seconds)
    cpu = time.process_time() - cpu
    stop_.set()
    await task
    return cpu / seconds


async def run(a: argparse.Namespace, url: str, fake_port: int) -> None:
    from bot.app import build_app

    app = await build_app(settings_for(url, fake_port))
    assert app.telegram is not None
    app.telegram.pacer.private = app.telegram.pacer.group = UNPACED
    app.telegram.pacer.overall = AsyncLimiter(*UNPACED)
    try:
        await fill(app, a.orders)
        total = 2 * a.orders
        profiler = None
        if a.profile:
            import cProfile

            profiler = cProfile.Profile(time.thread_time)  # the event loop's CPU, not its waits
            profiler.enable()
        main_cpu = time.thread_time()
        cpu, wall = await drain(app, total)
        main_cpu = time.thread_time() - main_cpu
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(a.profile)
        print(f"worker: {total:,} jobs ({a.orders:,} staff cards + {a.orders:,} notifications) in {wall:.1f} s: "
              f"{total / wall:,.0f} jobs/s, CPU {cpu * 1000 / total:.2f} ms per job "
              f"({main_cpu * 1000 / total:.2f} of it in the event loop's thread)")
        print(f"idle worker: {await idle(app, a.idle) * 1000:.1f} ms CPU per second")
    finally:
        await app.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=1000)
    ap.add_argument("--idle", type=float, default=5.0, help="seconds of idle worker to measure")
    ap.add_argument("--profile", help="write a cProfile of the busy phase (event loop thread CPU) here")
    a = ap.parse_args()
    print(facts())
    fake, fake_port = start([PY, str(ROOT / "bench" / "fake_apis.py")])
    name = f"jiedan_wbench_{os.getpid()}"
    url = asyncio.run(create_pg_database(name))
    try:
        asyncio.run(run(a, url, fake_port))
    finally:
        stop(fake)
        asyncio.run(drop_pg_database(name))


if __name__ == "__main__":
    main()
