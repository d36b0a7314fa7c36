"""End-to-end throughput and latency through the real HTTP endpoints, beside a bare handler.

One run starts, all on 127.0.0.1:
  * bench/fake_apis.py — the Telegram Bot API and WeChat API the service sends to;
  * bench/bare_server.py — the yardstick: parse the request, answer a constant;
  * the service: `jiedan serve` on the embedded defaults (SQLite, no Redis, the
    worker in-process) and/or, with PostgreSQL + Redis, N `jiedan serve --no-worker`
    processes on their own ports (the load is split between them) plus one
    `jiedan worker` that posts the staff cards the bookings cause;
  * bench/load.py in its own process: simulated customers booking on Telegram
    (webhook, secret header) and WeChat (signed plaintext callbacks).
It prints messages/s, latency p50/p90/p99, errors, the ratio to the bare
handler, and each service process's peak RSS. It asserts nothing.

  python bench/e2e_bench.py                      # quick: 10 s per setup, both setups
  python bench/e2e_bench.py --duration 60 --concurrency 128
  python bench/e2e_bench.py --setup pg --servers 2 --profile /tmp/prof   # pyinstrument per server and worker
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import (  # noqa: E402
    ROOT, cpu_seconds, create_pg_database, drop_pg_database, facts, machine_busy_seconds, peak_rss_mb,
    pg_sessions_opened, redis_url,
)

PY = sys.executable
SECRET, TOKEN = "bench-secret", "bench-token"
USERS_PER_LEVEL = 100_000  # simulated customers' ids: each load level starts this far from the last
STAFF_CHAT = -1001234567


def start(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> tuple[subprocess.Popen, int]:
    """Start a process that prints "listening on …PORT" and return it with the port."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=env, cwd=cwd)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{cmd[:4]} exited with {proc.wait()} before listening")
        if line.startswith("listening on"):
            return proc, int(line.rstrip().rsplit(":", 1)[-1].split()[-1])
    proc.kill()
    raise RuntimeError(f"{cmd[:4]} did not start listening within 60 s")


def wait_started(proc: subprocess.Popen, log_path: Path) -> None:
    """Wait for the worker's "worker … started" log line, so its start-up (imports, the
    app) is not counted in its CPU per message."""
    deadline = time.monotonic() + 60
    while " started" not in log_path.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not start (exit code {proc.poll()})")
        time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_load(targets: list[str], a: argparse.Namespace, customers: int, user_base: int,
             watch: list[subprocess.Popen] = ()) -> dict:
    """Run the load generator; `watch`ed processes' CPU seconds per message go in "cpu_ms"."""
    before = [cpu_seconds(p.pid) for p in watch]
    busy_before = machine_busy_seconds()
    cmd = [PY, str(ROOT / "bench" / "load.py"), "--duration", str(a.duration), "--warmup", str(a.warmup),
           "--concurrency", str(customers), "--secret", SECRET, "--token", TOKEN,
           "--user-base", str(user_base), "--channels", a.channels, "--think", str(a.think)]
    for t in targets:
        cmd += ["--target", t]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # All messages sent (warm-up included) cost CPU, so divide by all of them.
    sent = result["messages"] * (a.duration + a.warmup) / a.duration
    result["cpu_ms"] = [round((cpu_seconds(p.pid) - b) * 1000 / max(1, sent), 2)
                        for p, b in zip(watch, before)]
    result["machine_cpu_ms"] = round((machine_busy_seconds() - busy_before) * 1000 / max(1, sent), 2)
    return result


def service_env(db_url: str, redis: str | None, fake_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIEDAN_")}
    env.update({
        "JIEDAN_DATABASE_URL": db_url,
        "JIEDAN_TELEGRAM_TOKEN": "42:BENCH",
        "JIEDAN_TELEGRAM_API_BASE": f"http://127.0.0.1:{fake_port}",
        "JIEDAN_TELEGRAM_MODE": "webhook",
        "JIEDAN_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "JIEDAN_TELEGRAM_STAFF_CHAT_ID": str(STAFF_CHAT),
        # The fake Bot API has no overall limit, and Telegram's 30/s for an ordinary bot would
        # measure Telegram rather than us: the ceiling of a bot with paid broadcasts. Each
        # chat's own pacing (about one message a second) stays as in production.
        "JIEDAN_TELEGRAM_SEND_RATE": "1000",
        "JIEDAN_TELEGRAM_WEBHOOK_ANSWERS": "1",  # answers in the webhook response (see README)
        "JIEDAN_WECHAT_TOKEN": TOKEN,
        "JIEDAN_WECHAT_APPID": "wxbench",
        "JIEDAN_WECHAT_SECRET": "bench",
        "JIEDAN_WECHAT_API_BASE": f"http://127.0.0.1:{fake_port}/cgi-bin/",
    })
    if redis:
        env["JIEDAN_REDIS_URL"] = redis
    return env


def jiedan(*args: str, profile: str | None = None) -> list[str]:
    if profile:
        return [PY, "-m", "pyinstrument", "-r", "text", "-o", profile, "-m", "bot", *args]
    return [PY, "-m", "bot", *args]


def report(name: str, r: dict, bare: dict | None, rss: dict[str, float | None]) -> None:
    ratio = f"  = {r['per_second'] / bare['per_second']:.0%} of bare" if bare else ""
    kinds = f" {r['error_kinds']}" if r["errors"] else ""
    print(name)
    print(f"{'':<34} {r['per_second']:8,.0f} msg/s{ratio}   latency ms p50 {r['p50_ms']:.1f} "
          f"p90 {r['p90_ms']:.1f} p99 {r['p99_ms']:.1f} max {r['max_ms']:.1f}   "
          f"errors {r['errors']}{kinds}   ({r['messages']:,} messages, {r['customers']:,} customers)")
    if rss:
        print(" " * 35 + "peak RSS MB: " + ", ".join(f"{k} {v:.0f}" for k, v in rss.items() if v))
    if r.get("cpu_ms"):
        # Each process's CPU over every message of the run (not only the ones it served),
        # so the figures add up: the whole machine's is everything, databases and load too.
        print(" " * 35 + "CPU ms per message (approx.): " + ", ".join(f"{k} {v}" for k, v in zip(rss, r["cpu_ms"]))
              + f"; whole machine {r['machine_cpu_ms']} (load generator, fake APIs, PostgreSQL, Redis too)")


async def _redis_cleanup(url: str, user_base: int, customers: int) -> None:
    """Delete the conversation state of our simulated customers (keys we made, one by one)."""
    from redis.asyncio import Redis

    r = Redis.from_url(url)
    try:
        keys = []
        for uid in range(user_base, user_base + customers):
            keys += [f"jiedan:conv:telegram:{uid}", f"jiedan:conv:wechat:oBench{uid:020d}"]
        keys.append("jiedan:wechatpy:wxbench_access_token")  # the bench app id's cached token
        for i in range(0, len(keys), 1000):
            await r.delete(*keys[i:i + 1000])
    finally:
        await r.aclose()


def levels(text: str) -> list[int]:
    """`64,512` → [64, 512]: the load levels to run, in order."""
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--setup", choices=["sqlite", "pg", "both"], default="both")
    ap.add_argument("--servers", type=int, default=2, help="serve processes on PostgreSQL + Redis")
    ap.add_argument("--no-worker-process", action="store_true",
                    help="PostgreSQL setup: no `jiedan worker` beside the servers (cards queue up)")
    ap.add_argument("--duration", type=float, default=10.0, help="measured seconds per setup")
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--concurrency", type=levels, default=[64],
                    help="simultaneous customers; several, comma-separated, run one after another "
                         "against the same processes (e.g. 64,512,1024 with --think 1)")
    ap.add_argument("--channels", default="telegram,wechat")
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds each customer waits before the next message (1.0 keeps Telegram's "
                         "per-chat pacing, ~1 message/s, out of the latency)")
    ap.add_argument("--profile", help="directory: write a pyinstrument text profile per server and for the worker")
    a = ap.parse_args()
    if a.profile:
        Path(a.profile).mkdir(parents=True, exist_ok=True)

    print(facts())
    print(f"load: {','.join(map(str, a.concurrency))} customers, think time {a.think:g} s, "
          f"{a.duration:g} s measured after "
          f"{a.warmup:g} s warm-up, channels {a.channels}; load generator, fakes and service share the machine")
    procs: list[subprocess.Popen] = []
    try:
        fake, fake_port = start([PY, str(ROOT / "bench" / "fake_apis.py")])
        procs.append(fake)
        bare, bare_port = start([PY, str(ROOT / "bench" / "bare_server.py"), "--secret", SECRET, "--token", TOKEN])
        procs.append(bare)
        base = random.randrange(10**9, 2 * 10**9, 10**7)
        bare_rs = {}
        for i, n in enumerate(a.concurrency):
            bare_rs[n] = run_load([f"http://127.0.0.1:{bare_port}"], a, n, base + i * USERS_PER_LEVEL, [bare])
            report(f"bare aiohttp handler, {n} customers", bare_rs[n], None, {"bare": peak_rss_mb(bare.pid)})
        stop(bare)
        if a.setup in ("sqlite", "both"):
            bench_sqlite(a, fake_port, bare_rs, base + 10**6)
        if a.setup in ("pg", "both"):
            bench_pg(a, fake_port, bare_rs, base + 2 * 10**6)
    finally:
        for p in procs:
            stop(p)
    print(f"load average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


def bench_sqlite(a: argparse.Namespace, fake_port: int, bare_rs: dict[int, dict], base: int) -> None:
    with tempfile.TemporaryDirectory(prefix="jiedan-bench-") as tmp:
        env = service_env(f"sqlite:///{tmp}/jiedan.db", None, fake_port)
        prof = str(Path(a.profile) / "sqlite-serve.txt") if a.profile else None
        proc, port = start(jiedan("serve", "--port", "0", profile=prof), env, cwd=tmp)
        try:
            for i, n in enumerate(a.concurrency):
                r = run_load([f"http://127.0.0.1:{port}"], a, n, base + i * USERS_PER_LEVEL, [proc])
                report(f"SQLite, 1 serve (+worker), {n} customers", r, bare_rs[n],
                       {"serve+worker": peak_rss_mb(proc.pid)})
        finally:
            stop(proc)


def bench_pg(a: argparse.Namespace, fake_port: int, bare_rs: dict[int, dict], base: int) -> None:
    name = f"jiedan_bench_{os.getpid()}"
    url = asyncio.run(create_pg_database(name))
    procs: list[subprocess.Popen] = []
    used: list[tuple[int, int]] = []  # (first user id, how many) of each level, for the Redis clean-up
    try:
        with tempfile.TemporaryDirectory(prefix="jiedan-bench-") as tmp:
            env = service_env(url, redis_url(), fake_port)
            subprocess.run([PY, "-m", "bot", "db", "upgrade"], env=env, cwd=tmp, check=True,
                           capture_output=True)
            targets = []
            for i in range(a.servers):
                prof = str(Path(a.profile) / f"pg-serve-{i}.txt") if a.profile else None
                proc, port = start(jiedan("serve", "--port", "0", "--no-worker", profile=prof), env, cwd=tmp)
                procs.append(proc)
                targets.append(f"http://127.0.0.1:{port}")
            worker = None
            if not a.no_worker_process:
                prof = str(Path(a.profile) / "pg-worker.txt") if a.profile else None
                log_path = Path(tmp) / "worker.log"
                with log_path.open("w") as log_file:
                    worker = subprocess.Popen(jiedan("worker", profile=prof), env=env, cwd=tmp,
                                              stdout=subprocess.DEVNULL, stderr=log_file)
                procs.append(worker)
                wait_started(worker, log_path)
            for i, n in enumerate(a.concurrency):
                level_base = base + i * USERS_PER_LEVEL
                r = run_load(targets, a, n, level_base, procs)
                used.append((level_base, r["customers"] + n))
                rss = {f"serve{i}": peak_rss_mb(p.pid) for i, p in enumerate(procs[:a.servers])}
                if worker is not None:
                    rss["worker"] = peak_rss_mb(worker.pid)
                report(f"PostgreSQL+Redis, {a.servers} serve --no-worker"
                       f"{' + worker' if worker else ''}, {n} customers", r, bare_rs[n], rss)
            for p in procs:
                stop(p)
        print(" " * 35 + f"PostgreSQL connections opened during the run: {asyncio.run(pg_sessions_opened(name))}")
    finally:
        for p in procs:
            stop(p)
        asyncio.run(drop_pg_database(name))
        for first, count in used:
            asyncio.run(_redis_cleanup(redis_url(), first, count))


if __name__ == "__main__":
    main()
