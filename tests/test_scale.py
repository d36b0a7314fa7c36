"""Several processes as one service: Redis locks, rate limits, privacy in logs.

(Real crashes and restarts are in tests/test_faults.py.)"""

from __future__ import annotations

import asyncio
import logging
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.asyncio import Redis

from bot.app import connect_redis
from bot.logs import MaskPhones
from handlers.messages import Inbound
from handlers.privacy import mask_phones
from storage.locks import LockUnavailable, RateLimited, RedisLocks
from storage.ratelimit import RedisWindow
from storage.redis_pool import CONNECTIONS
from tests.conftest import REDIS_URL


def _msg(text: str, user: str = "u1", n: int | None = None) -> Inbound:
    return Inbound(channel="console", user_id=user, text=text,
                   message_id=None if n is None else f"m{n}")


@pytest.fixture
async def redis() -> Redis:
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
def prefix() -> str:
    return f"test:{uuid.uuid4().hex}:"


async def _cleanup(redis: Redis, prefix: str) -> None:
    keys = [k async for k in redis.scan_iter(match=prefix + "*")]
    if keys:
        await redis.delete(*keys)


# ---------------------------------------------------------------- Redis locks
async def test_a_redis_lock_survives_a_turn_longer_than_its_lease(redis: Redis, prefix: str) -> None:
    # renewed every 0.5 s: a loaded machine may stall the loop for up to a second
    locks = RedisLocks(redis, prefix=prefix, timeout=1.5, wait=0.2)
    try:
        async with locks.hold("c"):
            await asyncio.sleep(4.6)  # more than three leases
            with pytest.raises(LockUnavailable):
                async with locks.hold("c"):
                    pass
        async with locks.hold("c"):  # released at the end of the turn
            pass
    finally:
        await _cleanup(redis, prefix)


async def test_a_redis_lock_is_released_only_by_its_owner(redis: Redis, prefix: str) -> None:
    locks = RedisLocks(redis, prefix=prefix, timeout=5)
    try:
        async with locks.hold("c"):
            # the lease ran out and another process took the lock meanwhile
            await redis.set(prefix + "c", "someone-else", ex=5)
        assert await redis.get(prefix + "c") == b"someone-else"
    finally:
        await _cleanup(redis, prefix)


async def test_two_instances_on_redis_handle_one_customers_messages_one_after_the_other(
        make_app, prefix: str, redis: Redis) -> None:
    apps = [await make_app(redis_url=REDIS_URL, redis_prefix=prefix) for _ in range(2)]
    inside: list[str] = []
    active = 0
    peak = 0
    for i, app in enumerate(apps):
        parse = app.conversations.nlu.parse_async

        async def slow_parse(text: str, *, _parse=parse, _i=i, **kw):  # noqa: ANN003, ANN202
            nonlocal active, peak
            active += 1
            peak = max(peak, active)
            inside.append(f"{_i}:{text}")
            await asyncio.sleep(0.2)
            try:
                return await _parse(text, **kw)
            finally:
                active -= 1

        app.conversations.nlu.parse_async = slow_parse
    try:
        first, second = await asyncio.gather(
            apps[0].conversations.handle(_msg("我想明天下午3点做个深度保洁", n=1)),
            apps[1].conversations.handle(_msg("朝阳区望京SOHO T1 1203", n=2)))
        assert peak == 1, "the two turns never overlapped"
        assert len(inside) == 2
        state = await apps[0].conversations.states.load("console:u1")
        draft = state["draft"]
        assert draft.get("service") == "deep_cleaning" and "望京SOHO" in (draft.get("address") or "")
        assert first[0].text and second[0].text
    finally:
        await _cleanup(redis, prefix)


async def test_an_undecodable_state_fails_the_turn_politely_and_frees_the_lock(
        make_app, prefix: str, redis: Redis) -> None:
    app = await make_app(redis_url=REDIS_URL, redis_prefix=prefix)
    try:
        await redis.set(prefix + "conv:console:u1", "{not json")
        [reply] = await app.conversations.handle(_msg("你好", n=1))
        assert "开小差" in reply.text
        assert await redis.get(prefix + "lock:console:u1") is None, "the lock was let go"
    finally:
        await _cleanup(redis, prefix)


async def test_a_burst_of_redis_commands_waits_for_a_connection_instead_of_failing() -> None:
    client = connect_redis(REDIS_URL)
    try:
        assert all(await asyncio.gather(*(client.ping() for _ in range(5 * CONNECTIONS))))
    finally:
        await client.aclose()


# ---------------------------------------------------------------- rate limit
async def test_a_flood_is_answered_politely_and_not_processed(make_app) -> None:
    app = await make_app(rate_limit=3)
    texts = [(await app.conversations.handle(_msg("你好", n=i)))[0].text for i in range(5)]
    assert all("太快" not in t for t in texts[:3])
    assert all("太快" in t for t in texts[3:])
    other = await app.conversations.handle(_msg("你好", user="u2", n=99))
    assert "太快" not in other[0].text, "the limit is per customer"


async def test_a_message_waiting_for_the_redis_lock_is_counted_once(redis: Redis, prefix: str) -> None:
    locks = RedisLocks(redis, prefix=prefix + "lock:")
    window = RedisWindow(redis, per=2, seconds=10, prefix=prefix + "rate")

    async def second() -> None:
        async with locks.hold("c", limiter=window):
            pass

    try:
        async with locks.hold("c", limiter=window):
            waiting = asyncio.create_task(second())
            await asyncio.sleep(0.3)  # it tries the lock a dozen times meanwhile
        await waiting
        with pytest.raises(RateLimited):  # the third message in the window
            async with locks.hold("c", limiter=window):
                pass
        assert await redis.get(prefix + "lock:c") is None, "a refused message takes no lock"
        assert await redis.llen(window.redis_key("c")) == 2
    finally:
        await _cleanup(redis, prefix)


async def test_the_rate_limit_is_shared_by_instances_on_redis(make_app, prefix: str, redis: Redis) -> None:
    apps = [await make_app(redis_url=REDIS_URL, redis_prefix=prefix, rate_limit=2) for _ in range(2)]
    try:
        answers = [(await apps[i % 2].conversations.handle(_msg("hello", n=i)))[0].text for i in range(3)]
        assert "fast" not in answers[0] + answers[1] and "fast" in answers[2]
        assert [k async for k in redis.scan_iter(match=prefix + "rate*")], "counted under JIEDAN_REDIS_PREFIX"
    finally:
        await _cleanup(redis, prefix)  # the limiter's keys are under the prefix too


# ---------------------------------------------------------------- privacy
@pytest.mark.parametrize("text, masked", [
    ("电话13812345678", "电话138****5678"),
    ("call 138 1234 5678 or +447700900123", "call 138****5678 or +44******0123"),
    ("订单 20261125-0001, user 123456789012345", "订单 20261125-0001, user 123456789012345"),
])
def test_phone_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_phones(text) == masked


@given(st.text(alphabet="0123456789 -+", max_size=40), st.text(max_size=20))
def test_no_mainland_mobile_survives_masking(prefix_text: str, noise: str) -> None:
    text = f"{prefix_text}x13912345678x{noise}"
    assert "13912345678" not in mask_phones(text)


def test_the_cli_logging_setup_masks_phones_in_messages_args_and_tracebacks(caplog) -> None:  # noqa: ANN001
    from bot.logs import setup

    setup()
    root = logging.getLogger()
    assert root.handlers and all(any(isinstance(f, MaskPhones) for f in h.filters) for h in root.handlers)
    caplog.handler.addFilter(MaskPhones())
    log = logging.getLogger("jiedan.test")
    log.warning("customer %s booked", "13812345678")
    try:
        raise ValueError("bad phone 13812345678")
    except ValueError:
        log.exception("failed for 13812345678")
    text = caplog.text
    assert "13812345678" not in text
    assert "customer 138****5678 booked" in text and "bad phone 138****5678" in text
