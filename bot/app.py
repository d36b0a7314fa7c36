"""Builds the running service from settings: the one place that wires layers together."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from redis.asyncio import Redis

from bot.settings import Settings
from bot.web.sender import CHANNEL as WEB
from bot.web.sender import WebSender, announce_to_pages
from bot.wechat_client import CHANNEL as WECHAT
from bot.wechat_client import make_sender as wechat_sender
from handlers import scheduled
from handlers import staff as staff_logic
from handlers.conversation import Conversations
from handlers.render import Renderer
from handlers.worker import Worker
from nlu.backends import make_parser
from storage.catalog import Catalog, load_catalog
from storage.db import Database
from storage.locks import LocalLocks, RedisLocks
from storage.migrate import upgrade
from storage.notices import LocalNotices, make_notices
from storage.ratelimit import make_rate_limiter
from storage.redis_pool import redis_pool
from storage.services import sync_catalog
from storage.state import RedisStateStore, SqlStateStore

if TYPE_CHECKING:
    from bot.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    db: Database
    catalog: Catalog
    timezone: str
    conversations: Conversations
    worker: Worker
    redis: Redis | None = None
    # "Something new for X" across processes (Redis) or in this one: the web chat's push.
    notices: LocalNotices = field(default_factory=LocalNotices)
    telegram: TelegramChannel | None = None
    closers: list[Callable] = field(default_factory=list)

    async def close(self) -> None:
        for closer in reversed(self.closers):
            await closer()
        if self.redis is not None:
            await self.redis.aclose()
        await self.db.dispose()


def business_timezone(settings: Settings, catalog: Catalog) -> str:
    """JIEDAN_TIMEZONE when set, else the catalog's business time zone."""
    return settings.timezone if "timezone" in settings.model_fields_set else catalog.business.timezone


def connect_redis(url: str) -> Redis:
    """A client that rides out a Redis restart (storage/redis_pool.py)."""
    return Redis.from_pool(redis_pool(url))


def _add_channel_senders(settings: Settings, worker: Worker,
                         clock: Callable[[], dt.datetime] | None) -> None:
    """Every process that runs the worker (serve, `jiedan worker`) can send on each configured channel."""
    worker.add_sender(WEB, WebSender())  # the web chat page is always on
    sender = wechat_sender(settings, clock)
    if sender is not None:
        worker.add_sender(WECHAT, sender)


async def build_app(settings: Settings | None = None, *, migrate: bool = True,
                    clock: Callable[[], dt.datetime] | None = None) -> App:
    settings = settings or Settings()
    catalog = load_catalog(settings.catalog)
    tz = business_timezone(settings, catalog)
    db = Database(settings.database_url)
    if migrate:
        await upgrade(db, catalog=catalog)
    async with db.sessions.begin() as session:
        await sync_catalog(session, catalog)

    redis = connect_redis(settings.redis_url) if settings.redis_url else None
    prefix = settings.redis_prefix
    states = RedisStateStore(redis, prefix=prefix + "conv:") if redis else SqlStateStore(db, clock)
    locks = RedisLocks(redis, prefix=prefix + "lock:") if redis else LocalLocks()
    renderer = Renderer(catalog, clock=clock, timezone=tz)
    conversations = Conversations(
        db=db, catalog=catalog, renderer=renderer,
        nlu=make_parser(catalog, tz, settings.nlu_backend, settings.rasa_url),
        states=states, locks=locks, timezone=tz, clock=clock,
        limiter=make_rate_limiter(redis, per=settings.rate_limit, prefix=prefix + "rate"),
    )
    worker = Worker(db, renderer, clock=clock, staff_lang=settings.telegram_staff_lang)
    scheduled.install(worker)  # reminders, escalations, review invitations
    _add_channel_senders(settings, worker, clock)
    notices = make_notices(redis, prefix)
    worker.on_delivered(announce_to_pages(notices))
    app = App(settings=settings, db=db, catalog=catalog, timezone=tz,
              conversations=conversations, worker=worker, redis=redis, notices=notices)
    app.closers.append(notices.close)
    if settings.telegram_token:
        from bot.telegram.channel import TelegramChannel  # aiogram loads only when Telegram is on

        app.telegram = TelegramChannel(app)
        app.closers.append(app.telegram.close)
    # A customer talking to a person is answered by that person, not the bot; their
    # words are posted in the staff chat when there is one (the dashboard shows them).
    to_chat = app.telegram is not None and app.telegram.staff_chat is not None
    conversations.divert(functools.partial(staff_logic.relay_to_staff, to_chat=to_chat,
                                           window=dt.timedelta(minutes=settings.handoff_minutes)))
    return app
