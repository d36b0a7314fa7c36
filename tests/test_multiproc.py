"""Several processes on one Redis: Telegram pacing counted for the bot as a whole, and
the web chat told at once of what the business sends later (not every 2 s)."""

from __future__ import annotations

import uuid
from typing import Any, AsyncIterator

import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetUpdates, SendMessage
from redis.asyncio import Redis

from bot.telegram.pacing import Pacer, SharedPacer
from tests.conftest import REDIS_URL


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
