"""Several processes on one Redis: Telegram pacing counted for the bot as a whole, and
the web chat told at once of what the business sends later (not every 2 s)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, AsyncIterator

import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetUpdates, SendMessage
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.server import make_web_app
from bot.telegram.pacing import Pacer, SharedPacer
from storage.notices import RedisNotices
from tests.conftest import REDIS_URL
from tests.test_web import Visitor, _app, _book, booked, client_of


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
async def prefix(redis: Redis) -> AsyncIterator[str]:
    name = f"test:multiproc:{uuid.uuid4().hex}:"
    yield name
    keys = [k async for k in redis.scan_iter(match=name + "*")]
    if keys:
        await redis.delete(*keys)


class FakeTime:
    """One wall clock for every "process": sleeping moves it on, nothing really waits."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


class FakeTelegram:
    """The request the pacer lets through: when it went, or a 429 when told to."""

    def __init__(self, time: FakeTime) -> None:
        self.time = time
        self.sent: list[tuple[str, Any, float]] = []
        self.flood: float | None = None

    async def __call__(self, bot: Any, method: Any) -> str:
        if self.flood is not None:
            retry, self.flood = self.flood, None
            raise TelegramRetryAfter(method, "Too Many Requests", int(retry))
        self.sent.append((bot, getattr(method, "chat_id", None), round(self.time() - 1_800_000_000.0, 3)))
        return "ok"


def _pacers(redis: Redis, prefix: str, time: FakeTime, n: int = 2, **limits: Any) -> list[SharedPacer]:
    """`n` processes' pacers for one bot (each its own object, one Redis)."""
    return [SharedPacer(redis, prefix=prefix, clock=time, sleep=time.sleep, **limits) for _ in range(n)]


# ---------------------------------------------------------------- Telegram pacing across processes
async def test_two_processes_share_one_chats_allowance(redis: Redis, prefix: str) -> None:
    """A private chat gets 3 at once, then one a second, however many processes send
    to it: serve and worker alternating are paced as one."""
    time = FakeTime()
    tg = FakeTelegram(time)
    serve, worker = _pacers(redis, prefix, time)
    for i in range(6):
        pacer, name = (serve, "serve") if i % 2 == 0 else (worker, "worker")
        await pacer(tg, name, SendMessage(chat_id=1001, text=f"m{i}"))
    assert [t for _, _, t in tg.sent] == [0, 0, 0, 1, 2, 3]
    assert [who for who, _, _ in tg.sent] == ["serve", "worker"] * 3


async def test_in_process_pacers_alone_would_each_send_a_burst() -> None:
    """What SharedPacer fixes: two in-process pacers each let a full burst through at once
    (6 messages to one chat in no time, twice what Telegram allows)."""
    sent: list[str] = []

    async def request(bot: Any, method: Any) -> None:
        sent.append(bot)

    serve, worker = Pacer(), Pacer()
    for i in range(3):
        await serve(request, "serve", SendMessage(chat_id=1001, text=f"s{i}"))
        await worker(request, "worker", SendMessage(chat_id=1001, text=f"w{i}"))
    assert len(sent) == 6


async def test_the_overall_limit_counts_every_chat_of_every_process(redis: Redis, prefix: str) -> None:
    time = FakeTime()
    tg = FakeTelegram(time)
    a, b = _pacers(redis, prefix, time, overall=(2, 1.0))
    for i, pacer in enumerate([a, b, a, b, a]):
        await pacer(tg, "p", SendMessage(chat_id=2000 + i, text="hi"))  # five different chats
    assert [t for _, _, t in tg.sent] == [0, 0, 0.5, 1.0, 1.5]


async def test_a_group_gets_twenty_a_minute_across_processes(redis: Redis, prefix: str) -> None:
    time = FakeTime()
    tg = FakeTelegram(time)
    a, b = _pacers(redis, prefix, time)
    for i in range(22):
        await (a if i % 2 else b)(tg, "p", SendMessage(chat_id=-100500, text=f"card {i}"))
    times = [t for _, _, t in tg.sent]
    assert times[:20] == [0] * 20 and times[20:] == [3, 6]  # then one each 60/20 s


async def test_a_429_holds_the_chat_back_in_every_process_and_still_reaches_the_caller(
        redis: Redis, prefix: str) -> None:
    time = FakeTime()
    tg = FakeTelegram(time)
    serve, worker = _pacers(redis, prefix, time)
    tg.flood = 7
    with pytest.raises(TelegramRetryAfter) as raised:
        await serve(tg, "serve", SendMessage(chat_id=1001, text="first"))
    assert raised.value.retry_after == 7  # the worker still turns it into RetryLater, a reply waits
    await worker(tg, "worker", SendMessage(chat_id=1001, text="second"))
    await worker(tg, "worker", SendMessage(chat_id=1002, text="another chat"))  # at once
    assert tg.sent == [("worker", 1001, 7.0), ("worker", 1002, 7.0)], \
        "the other process waited out Telegram's retry_after for that chat; another chat is not held"


async def test_a_webhook_answer_takes_from_the_shared_allowance(redis: Redis, prefix: str) -> None:
    time = FakeTime()
    tg = FakeTelegram(time)
    serve, worker = _pacers(redis, prefix, time, private=(2, 2.0))
    await worker(tg, "worker", SendMessage(chat_id=1001, text="reminder"))
    assert await serve.take_now(1001), "room for one more in the burst"
    assert not await serve.take_now(1001), "the chat's burst is used up: answer through the API instead"
    time.now += 1
    assert await worker.take_now(1001)


async def test_requests_that_name_no_chat_are_not_paced(redis: Redis, prefix: str) -> None:
    time = FakeTime()
    tg = FakeTelegram(time)
    (pacer,) = _pacers(redis, prefix, time, n=1, overall=(1, 60.0))
    for _ in range(3):
        await pacer(tg, "p", GetUpdates())
    assert [t for _, _, t in tg.sent] == [0, 0, 0]


async def test_without_redis_answering_the_pacer_paces_in_process_and_sends(prefix: str) -> None:
    """Redis down: messages still go out, counted by this process alone (not an error per send)."""
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    time = FakeTime()
    tg = FakeTelegram(time)
    (pacer,) = _pacers(dead, prefix, time, n=1)
    try:
        await pacer(tg, "p", SendMessage(chat_id=1001, text="hello"))
        assert await pacer.take_now(1001)
        await pacer(tg, "p", SendMessage(chat_id=1001, text="again"))
    finally:
        await dead.aclose()
    assert len(tg.sent) == 2


async def test_the_telegram_channel_paces_in_redis_when_redis_is_configured(make_app: Any, prefix: str) -> None:
    app = await make_app(redis_url=REDIS_URL, redis_prefix=prefix, telegram_token="42:TEST")
    assert isinstance(app.telegram.pacer, SharedPacer)
    assert app.telegram.pacer.prefix == prefix + "pace:"
    alone = await make_app(telegram_token="42:TEST")
    assert isinstance(alone.telegram.pacer, Pacer)


# ---------------------------------------------------------------- the web chat told at once
async def _staff_writes(app: Any, client: Any, csrf: str, customer_id: int, text: str, nonce: str) -> None:
    """A person answers the customer from the dashboard (queued for the worker)."""
    resp = await client.post(f"/admin/customers/{customer_id}/message",
                             data={"csrf": csrf, "nonce": nonce, "text": text}, allow_redirects=False)
    assert "result=message_sent&ok=1" in resp.headers["Location"]


def _long_poll(visitor: Any, wait: float = 20) -> asyncio.Task:
    return asyncio.create_task(visitor.client.get(
        f"/chat/messages?after={visitor.last}&wait={wait}", headers={"X-Chat-Token": visitor.token}))


async def _answer(visitor: Any, pending: asyncio.Task, within: float = 5.0) -> list[str]:
    """The long poll's answer, which must come long before its own wait runs out."""
    async with asyncio.timeout(within):
        resp = await pending
    assert resp.status == 200
    return [m["text"] for m in visitor._seen((await resp.json())["messages"])]


async def test_a_staff_reply_reaches_the_open_chat_page_without_waiting_for_a_poll(make_app: Any) -> None:
    async with booked(make_app) as (app, client, visitor, order, csrf, _li):
        pending = _long_poll(visitor)
        await asyncio.sleep(0.3)
        assert not pending.done(), "nothing new yet: the page's request waits"
        await _staff_writes(app, client, csrf, order.customer_id, "师傅明早九点到", "n1")
        assert not pending.done(), "queued is not sent: the page waits for the worker"
        await app.worker.run_once()
        assert await _answer(visitor, pending) == ["💬 客服：\n师傅明早九点到"]
        # Without ?wait (or with nonsense) the answer comes at once, as it always did.
        for query in ("", "&wait=abc", "&wait=0", "&wait=-5"):
            async with asyncio.timeout(2):
                resp = await client.get(f"/chat/messages?after={visitor.last}{query}",
                                        headers={"X-Chat-Token": visitor.token})
            assert resp.status == 200 and (await resp.json()) == {"messages": []}


async def test_a_reminder_sent_by_a_worker_process_reaches_a_page_served_by_another(
        make_app: Any, prefix: str, clock: Any) -> None:
    """serve (the page) and `jiedan worker` (the sending) are two processes on one Redis."""
    serve = await _app(make_app, redis_url=REDIS_URL, redis_prefix=prefix)
    worker = await make_app(redis_url=REDIS_URL, redis_prefix=prefix)
    async with client_of(serve) as client:
        visitor, number = await _book(client)
        await serve.worker.run_once()  # what the booking queued at once (staff cards…)
        pending = _long_poll(visitor)
        await asyncio.sleep(0.3)
        assert not pending.done()
        clock.advance(hours=18, minutes=30)  # the day of the visit, before it: the reminder is due
        assert await worker.worker.run_once() >= 1
        told = await _answer(visitor, pending)
        assert any("温馨提醒" in t and number in t for t in told), told


async def test_without_redis_a_page_is_told_in_process(make_app: Any, clock: Any) -> None:
    app = await _app(make_app)
    async with client_of(app) as client:
        visitor, number = await _book(client)
        await app.worker.run_once()
        pending = _long_poll(visitor)
        await asyncio.sleep(0.3)
        clock.advance(hours=18, minutes=30)  # the day of the visit, before it: the reminder is due
        await app.worker.run_once()
        told = await _answer(visitor, pending)
        assert any("温馨提醒" in t and number in t for t in told), told


async def test_a_message_from_another_tab_shows_in_this_one(make_app: Any) -> None:
    app = await _app(make_app)
    async with client_of(app) as client:
        tab1 = Visitor(client)
        await tab1.open()
        await tab1.say("你好")
        tab2 = Visitor(client)  # the same cookie: the same visitor
        await tab2.open()
        tab2.last = tab1.last
        pending = _long_poll(tab2)
        await asyncio.sleep(0.3)
        await tab1.say("价格多少")
        told = await _answer(tab2, pending)
        assert told[0] == "价格多少" and len(told) >= 2


async def test_shutting_down_answers_open_long_polls_at_once(make_app: Any) -> None:
    app = await _app(make_app)
    client = TestClient(TestServer(make_web_app(app), host="127.0.0.1"))
    await client.start_server()
    visitor = Visitor(client)
    await visitor.open()
    await visitor.say("你好")
    pending = _long_poll(visitor, wait=25)
    await asyncio.sleep(0.3)
    started = asyncio.get_running_loop().time()
    await client.server.close()  # the runner's cleanup: on_shutdown, then waits for handlers
    assert asyncio.get_running_loop().time() - started < 5, "the shutdown did not wait out the poll"
    assert (await _answer(visitor, pending)) == []
    await client.close()


async def test_notices_reach_another_process_only_for_their_key(redis: Redis, prefix: str) -> None:
    page, worker = RedisNotices(redis, prefix + "notices"), RedisNotices(redis, prefix + "notices")
    await page.start()
    try:
        with page.listen("web:alice") as alice, page.listen("web:bob") as bob:
            await worker.publish("web:alice")
            async with asyncio.timeout(5):
                await alice.wait()
            assert not bob.is_set()
    finally:
        await page.close()


async def test_with_redis_away_notices_still_reach_this_process() -> None:
    """serve starts while Redis is down: no error, and its own deliveries still wake its pages."""
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    notices = RedisNotices(dead, "x:notices")
    try:
        await notices.start(timeout=0.5)
        with notices.listen("web:alice") as alice:
            await notices.publish("web:alice")
            assert alice.is_set()
    finally:
        await notices.close()
        await dead.aclose()
