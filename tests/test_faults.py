"""Fault tests: real PostgreSQL and redis-server instances of the tests' own, real
`jiedan serve` processes, real crashes. Many processes must behave as one service:
nothing lost, nothing doubled.

Every server here is started on a free port by `tests/servers.py` and removed
afterwards; the shared services on 5432/6379 are never touched.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import AsyncIterator, Iterator

import aiohttp
import asyncpg
import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.settings import Settings
from handlers.messages import Inbound, Reply
from handlers.outbox import send_reply
from storage import customers
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Order, ScheduledJob
from tests.conftest import Clock, _dsn, _truncate
from tests.fake_wechat import ACCOUNT, APPID, SECRET, TOKEN, FakeWeChatAPI, _cdata, sign
from tests.servers import PostgresServer, RedisServer, postgres_bin

pytestmark = [pytest.mark.fault, pytest.mark.timeout(240)]

ROOT = Path(__file__).resolve().parent.parent
BOOKING = ["我想明天下午3点做个深度保洁", "朝阳区望京SOHO T1 1203", "13812345678", "确认"]
ONE_LINE = "明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678"


def _need(binary_found: bool, what: str) -> None:
    if not binary_found:
        pytest.skip(f"{what} is not installed here (CI has it)")


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[PostgresServer]:
    bindir = postgres_bin()
    _need(bindir is not None, "PostgreSQL (initdb, pg_ctl)")
    server = PostgresServer(bindir)

    async def migrate() -> None:
        db = Database(server.url)
        await upgrade(db)
        await db.dispose()

    try:  # closed even when the set-up fails half-way, so no cluster outlives the run
        server.init()
        asyncio.run(migrate())
        yield server
    finally:
        server.close()


@pytest.fixture
def pg(own_postgres: PostgresServer) -> str:
    asyncio.run(_truncate(own_postgres.url))
    return own_postgres.url


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    _need(server.binary is not None, "redis-server")
    server.start()
    try:
        yield server
    finally:
        server.close()


async def _orders(url: str) -> list[Order]:
    db = Database(url)
    try:
        async with db.sessions() as s:
            return list((await s.execute(select(Order).order_by(Order.id))).scalars())
    finally:
        await db.dispose()


# ---------------------------------------------------------------- serve processes
class Serve:
    """One `jiedan serve --no-worker` process with WeChat on, driven over HTTP."""

    def __init__(self, pg: str, redis: str, cwd: Path) -> None:
        env = {**os.environ, "JIEDAN_DATABASE_URL": pg, "JIEDAN_REDIS_URL": redis,
               "JIEDAN_WECHAT_TOKEN": TOKEN, "JIEDAN_WECHAT_REPLY_DEADLINE": "4.5",
               "PYTHONPATH": str(ROOT)}
        for var in ("JIEDAN_TELEGRAM_TOKEN", "JIEDAN_WECHAT_APPID", "JIEDAN_WECHAT_SECRET",
                    "JIEDAN_ADMIN_TOKEN", "JIEDAN_WECHAT_AES_KEY"):
            env.pop(var, None)
        self.log = cwd / f"serve-{id(self)}.log"
        with open(self.log, "w") as log:  # kept for the failure message
            self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", "0", "--no-worker"],
                                         cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("listening on http://"), line
        self.base = line.split()[-1]

    def problems(self) -> str:
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(line for line in lines if " ERROR " in line or " WARNING " in line)[-3000:]

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM, and the exit code: 0 when it drained in-flight messages and stopped by itself."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=90)  # shutdown waits up to 30 s for in-flight messages, then their answers
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture
def serves(tmp_path: Path) -> Iterator[list[Serve]]:
    started: list[Serve] = []
    yield started
    for s in started:
        s.stop()


_msg_ids = itertools.count(7_000_000_000_000_000_001)


class Follower:
    """A WeChat user whose messages WeChat delivers to whichever process it likes."""

    def __init__(self, http: aiohttp.ClientSession, openid: str) -> None:
        self.http, self.openid = http, openid
        self.created = 1_764_000_000

    def text(self, content: str) -> tuple[int, bytes]:
        self.created += 1
        msg_id = next(_msg_ids)
        return msg_id, _cdata({"ToUserName": ACCOUNT, "FromUserName": self.openid,
                               "CreateTime": self.created, "MsgType": "text", "Content": content,
                               "MsgId": msg_id}).encode()

    async def post(self, serve: Serve, body: bytes) -> tuple[int, str]:
        timestamp, nonce = str(int(time.time())), f"n{next(_msg_ids) % 10**8}"
        query = {"signature": sign(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "openid": self.openid}
        async with self.http.post(serve.base + "/wechat", params=query, data=body,
                                  headers={"Content-Type": "text/xml"},
                                  # the answer's wait, not the wait for one of the pool's connections
                                  timeout=aiohttp.ClientTimeout(total=None, sock_connect=10,
                                                                sock_read=30)) as resp:
            return resp.status, await resp.text()

    async def say(self, serve: Serve, content: str) -> tuple[int, str]:
        _, body = self.text(content)
        return await self.post(serve, body)


async def _late_answers(url: str) -> int:
    conn = await asyncpg.connect(_dsn(url))
    try:
        return await conn.fetchval("SELECT count(*) FROM scheduled_jobs WHERE dedupe_key LIKE 'wechat-late:%'")
    finally:
        await conn.close()


async def test_a_serve_process_killed_mid_conversation_the_customer_goes_on_elsewhere(
        pg: str, own_redis: RedisServer, serves: list[Serve], tmp_path: Path) -> None:
    a, b = Serve(pg, own_redis.url, tmp_path), Serve(pg, own_redis.url, tmp_path)
    serves += [a, b]
    async with aiohttp.ClientSession() as http:
        customer = Follower(http, "oFault0000000000000000000001")
        status, body = await customer.say(a, BOOKING[0])
        assert status == 200
        _, second = customer.text(BOOKING[1])
        status, body = await customer.post(a, second)
        assert status == 200
        a.kill9()  # mid-conversation: the draft lives in Redis, the log in PostgreSQL
        # WeChat did not see the answer and retries the same message; it lands on b
        status, body = await customer.post(b, second)
        assert (status, body) == (200, "success"), "the retry is recognised, not handled again"
        for text in BOOKING[2:]:
            status, body = await customer.say(b, text)
            assert status == 200 and "开小差" not in body
        assert "预约成功" in body or await _late_answers(pg) > 0
    [order] = await _orders(pg)
    assert (order.status, order.service_id, order.phone) == ("confirmed", "deep_cleaning", "13812345678")
    assert order.address == "朝阳区望京SOHO T1 1203"


async def test_200_customers_booking_at_once_across_3_processes(
        pg: str, own_redis: RedisServer, serves: list[Serve], tmp_path: Path) -> None:
    procs = [Serve(pg, own_redis.url, tmp_path) for _ in range(3)]
    serves += procs
    n = 200
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=60)) as http:
        customers = [Follower(http, f"oLoad{i:023d}") for i in range(n)]

        async def book(i: int, c: Follower) -> list[tuple[int, str]]:
            first = await c.say(procs[i % 3], ONE_LINE)
            second = await c.say(procs[(i + 1) % 3], "确认")  # the next message lands elsewhere
            return [first, second]

        answers = await asyncio.gather(*(book(i, c) for i, c in enumerate(customers)))
    for proc in procs:  # a graceful stop lets answers that missed the deadline reach the outbox
        assert proc.stop() == 0, proc.problems()
    statuses = [status for pair in answers for status, _ in pair]
    assert statuses == [200] * (2 * n)
    passive = sum(1 for pair in answers for _, body in pair if body.startswith("<xml>"))
    assert passive + await _late_answers(pg) == 2 * n, "\n".join(p.problems() for p in procs)
    assert not any("开小差" in body for pair in answers for _, body in pair)
    orders = await _orders(pg)
    assert len(orders) == n and {o.status for o in orders} == {"confirmed"}
    assert len({o.customer_id for o in orders}) == n and len({o.number for o in orders}) == n


# ---------------------------------------------------------------- restarts under an in-process app
@pytest.fixture
async def fault_app(pg: str, own_redis: RedisServer) -> AsyncIterator[App]:
    clock = Clock(dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    app = await build_app(Settings(_env_file=None, database_url=pg, redis_url=own_redis.url), clock=clock)
    yield app
    await app.close()


async def _say(app: App, text: str, n: int) -> str:
    [reply] = await app.conversations.handle(Inbound(channel="console", user_id="c1", text=text,
                                                     message_id=f"m{n}"))
    return reply.text


async def test_redis_restarted_mid_conversation(fault_app: App, own_redis: RedisServer, pg: str) -> None:
    assert "地址" in await _say(fault_app, BOOKING[0], 1)
    own_redis.kill()
    started = time.monotonic()
    assert "开小差" in await _say(fault_app, BOOKING[1], 2), "a polite answer while Redis is down"
    assert time.monotonic() - started < 5, "within WeChat's five seconds (one round of client retries)"
    own_redis.start()
    assert "电话" in await _say(fault_app, BOOKING[1], 3), "the draft survived, the client reconnected"
    assert "确认" in await _say(fault_app, BOOKING[2], 4)
    assert "预约成功" in await _say(fault_app, BOOKING[3], 5)
    [order] = await _orders(pg)
    assert order.status == "confirmed" and order.address == "朝阳区望京SOHO T1 1203"


async def test_postgres_restarted_mid_conversation(fault_app: App, own_postgres: PostgresServer, pg: str) -> None:
    assert "地址" in await _say(fault_app, BOOKING[0], 1)
    own_postgres.stop()
    try:
        assert "开小差" in await _say(fault_app, BOOKING[1], 2), "a polite answer while the database is down"
    finally:
        own_postgres.start()
    assert "电话" in await _say(fault_app, BOOKING[1], 3), "the pool reconnects by itself"
    assert "确认" in await _say(fault_app, BOOKING[2], 4)
    assert "预约成功" in await _say(fault_app, BOOKING[3], 5)
    assert "预约成功" not in await _say(fault_app, BOOKING[3], 6), "confirming again makes no second order"
    [order] = await _orders(pg)
    assert order.status == "confirmed"


# ---------------------------------------------------------------- concurrent claims
async def test_50_concurrent_claims_from_5_processes_exactly_one_wins(fault_app: App, pg: str) -> None:
    for n, text in enumerate(BOOKING, 1):
        await _say(fault_app, text, n)
    [order] = await _orders(pg)
    assert order.status == "confirmed"
    procs = [subprocess.Popen([sys.executable, "-m", "tests.fault_claims", pg, str(order.id), f"p{i}", "10"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(5)]
    wins = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        wins.append(int(out.strip()))
    assert sum(wins) == 1
    [order] = await _orders(pg)
    assert order.status == "assigned" and order.assignee_id is not None
    db = Database(pg)
    try:
        async with db.sessions() as s:
            notices = await s.scalar(select(func.count()).select_from(ScheduledJob).where(
                ScheduledJob.order_id == order.id, ScheduledJob.kind == "deliver"))
    finally:
        await db.dispose()
    assert notices == 1, "the customer is told once"


# ---------------------------------------------------------------- many worker processes
async def test_3_worker_processes_send_every_queued_message_exactly_once(pg: str, tmp_path: Path) -> None:
    api = await FakeWeChatAPI().start()
    n = 150
    db = Database(pg)
    try:
        async with db.sessions.begin() as s:
            now = dt.datetime.now(dt.timezone.utc)
            for i in range(n):  # customers who wrote a moment ago: customer-service messages
                customer, _ = await customers.identify(s, "wechat", f"oWorker{i:021d}", now=now)
                await send_reply(s, customer_id=customer.id, reply=Reply(f"answer {i}"), due_at=now,
                                 key=f"fault-worker:{i}")
        env = {**os.environ, "JIEDAN_DATABASE_URL": pg, "JIEDAN_WECHAT_TOKEN": TOKEN,
               "JIEDAN_WECHAT_APPID": APPID, "JIEDAN_WECHAT_SECRET": SECRET,
               "JIEDAN_WECHAT_API_BASE": api.base, "PYTHONPATH": str(ROOT)}
        for var in ("JIEDAN_REDIS_URL", "JIEDAN_TELEGRAM_TOKEN"):
            env.pop(var, None)
        workers = [subprocess.Popen([sys.executable, "-m", "bot", "worker"], cwd=tmp_path, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(3)]
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:  # the workers run on their own: wait for them to finish
                async with db.sessions() as s:
                    left = await s.scalar(select(func.count()).select_from(ScheduledJob).where(
                        ScheduledJob.status != "done"))
                if left == 0:
                    break
                await asyncio.sleep(0.2)
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)
            for w in workers:
                w.wait(timeout=30)
        assert left == 0
        texts = sorted(body["text"]["content"] for body in api.sent("message/custom/send"))
        assert texts == sorted(f"answer {i}" for i in range(n)), "each message once, none lost"
        assert all(w.returncode == 0 for w in workers)
    finally:
        await db.dispose()
        await api.close()
