""""Something new for X": a wake-up call from whoever wrote it to whoever waits for it.

The web chat page waits on its visitor's key while the worker, maybe in
another process, delivers a staff reply or a reminder to them (bot/web/push.py).
A notice carries no data: the waiter reads what is new from the database, so
a lost notice only delays (the waiter's own timeout reads anyway) and a
duplicate costs one read.

`LocalNotices` reach waiters in this process. `RedisNotices` also publish on
one Redis channel that each listening process subscribes to once (one
connection per process, however many pages wait), and hand the notice to
this process's waiters directly too, so a publisher's own waiters never
depend on the round trip.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Iterator

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

log = logging.getLogger(__name__)
RESUBSCRIBE_AFTER = 1.0  # seconds between attempts while Redis is away


class LocalNotices:
    def __init__(self) -> None:
        self._waiting: dict[str, set[asyncio.Event]] = {}

    @contextlib.contextmanager
    def listen(self, key: str) -> Iterator[asyncio.Event]:
        """An event set by the next notice for `key`; listen before reading, so that a
        notice sent between the read and the wait is not missed."""
        event = asyncio.Event()
        self._waiting.setdefault(key, set()).add(event)
        try:
            yield event
        finally:
            events = self._waiting.get(key)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._waiting[key]

    def _wake(self, key: str) -> None:
        for event in self._waiting.get(key, ()):
            event.set()

    async def publish(self, key: str) -> None:
        self._wake(key)

    async def start(self) -> None:
        """Nothing to start in one process."""

    async def close(self) -> None:
        """Nothing to stop in one process."""


class RedisNotices(LocalNotices):
    """Notices for every process on `redis`, on the pub/sub channel `channel`.

    `start` subscribes (in processes that have waiters: `serve`); a process that
    only publishes (`jiedan worker`) holds no subscription. If Redis goes away the
    subscriber tries again every `RESUBSCRIBE_AFTER`; publishing logs and goes on:
    waiters then find the news when their wait runs out."""

    def __init__(self, redis: Redis, channel: str) -> None:
        super().__init__()
        self.redis, self.channel = redis, channel
        self._task: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def publish(self, key: str) -> None:
        self._wake(key)
        try:
            await self.redis.publish(self.channel, key)
        except Exception as e:  # noqa: BLE001 - see the class
            log.warning("could not publish a notice for %s: %s", key, e)

    async def start(self, timeout: float = 2.0) -> None:
        """Subscribe, waiting up to `timeout` for Redis to confirm (later, in the background)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="notices")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._subscribed.wait()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        lost = False
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                if lost:
                    log.info("notice subscription back")
                self._subscribed.set()
                lost = False
                await self._relay(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001 - Redis restarting: subscribe again
                if not lost:  # once per outage, not each second of it
                    log.warning("notice subscription lost (%s); pages are told when their wait "
                                "runs out until it is back", e)
                lost = True
                self._subscribed.clear()
                await asyncio.sleep(RESUBSCRIBE_AFTER)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def _relay(self, pubsub: PubSub) -> None:
        while True:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None and message.get("type") == "message":
                data = message["data"]
                self._wake(data.decode() if isinstance(data, bytes) else str(data))


def make_notices(redis: Redis | None, prefix: str) -> LocalNotices:
    return RedisNotices(redis, prefix + "notices") if redis is not None else LocalNotices()
