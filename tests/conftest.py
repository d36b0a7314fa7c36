"""Shared fixtures: a database on each backend, a controllable clock, the app."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import uuid
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from storage.db import Database
from storage.migrate import upgrade

if TYPE_CHECKING:
    from bot.app import App

PG_BASE = os.environ.get("JIEDAN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("JIEDAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A fresh, migrated PostgreSQL database for this test run, dropped at the end."""
    name = f"jiedan_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    base = make_url(PG_BASE)

    async def create() -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        db = Database(url)
        await upgrade(db)
        await db.dispose()

    async def drop() -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(create())
    except (OSError, asyncpg.PostgresError) as e:
        pytest.fail(f"PostgreSQL at {PG_BASE} is needed (run `make services`): {e}")
    yield url
    asyncio.run(drop())


async def _truncate(url: str) -> None:
    conn = await asyncpg.connect(_dsn(url))
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'")
        if tables:
            names = ", ".join(f'"{t["tablename"]}"' for t in tables)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file migrated to head once per test process: each test gets a copy, since
    running every migration again costs ~120 ms a test (a fresh file's upgrade is tested
    in test_storage, test_order_totals and test_cli)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "jiedan.db"

    async def create() -> None:
        db = Database(f"sqlite:///{path}")
        await upgrade(db)
        await db.dispose()

    asyncio.run(create())
    return str(path)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # noqa: ANN001
    """The same test on the embedded default and on PostgreSQL, each starting migrated and empty."""
    if request.param == "sqlite":
        path = tmp_path / "jiedan.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    asyncio.run(_truncate(url))
    return url


class Clock:
    """A clock the tests move by hand; aware datetimes."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    # Tuesday 2026-11-24 20:00 in Shanghai: the contract's reference moment.
    return Clock(dt.datetime(2026, 11, 24, 20, 0, tzinfo=SHANGHAI))


AppFactory = Callable[..., Awaitable[Any]]


@pytest.fixture
async def make_app(db_url: str, clock: Clock) -> AsyncIterator[AppFactory]:
    from bot.app import build_app
    from bot.settings import Settings

    apps: list[App] = []

    async def factory(**settings: object) -> App:
        app = await build_app(Settings(_env_file=None, database_url=db_url, **settings), clock=clock)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        await app.close()


@pytest.fixture
async def serve_http() -> AsyncIterator[Callable[[Any], Awaitable[Any]]]:
    """Serves an app's HTTP routes (`bot.server.make_web_app`) on 127.0.0.1 for the test:
    `client = await serve_http(app)`; every server started is closed after it (before
    `make_app` closes the apps, when the test asks for `make_app` first)."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.server import make_web_app

    clients: list[TestClient] = []

    async def serve(app: Any) -> TestClient:
        client = TestClient(TestServer(make_web_app(app), host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return client

    yield serve
    for client in clients:
        await client.close()
