"""Engine and session factory for the configured database.

The contract's URLs are the plain SQLAlchemy ones (`sqlite:///jiedan.db`,
`postgresql://...`); the service is asynchronous, so they are mapped to the
async drivers here, in one place, and nowhere else needs to know.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


def async_url(url: str) -> str:
    """`sqlite:///x.db` → `sqlite+aiosqlite:///x.db`; URLs naming a driver are kept."""
    u = make_url(url)
    if "+" in u.drivername:
        return u.render_as_string(hide_password=False)
    driver = _ASYNC_DRIVERS.get(u.drivername)
    if driver is None:
        raise ValueError(f"unsupported database URL scheme {u.drivername!r}: use sqlite:// or postgresql://")
    return u.set(drivername=driver).render_as_string(hide_password=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def _tune_sqlite(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
    # WAL lets readers run beside the single writer; busy_timeout makes a second
    # process wait for the write lock instead of failing with "database is locked".
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _replace_if_closed(dbapi_conn, _record, _proxy) -> None:  # noqa: ANN001 - pool checkout event
    """A pooled connection the server has closed is replaced before use, at no cost.

    This stands in for `pool_pre_ping`, which asks the server on every checkout,
    i.e. every transaction: with asyncpg that is three round trips (BEGIN, `;`,
    ROLLBACK), as many as the rest of a typical turn. A server that restarts or
    drops an idle session closes the socket, and asyncpg notices by itself, so
    `is_closed()` catches what the ping caught; the pool then connects afresh.
    """
    if dbapi_conn.driver_connection.is_closed():
        raise DisconnectionError("the database server closed this pooled connection")


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    aurl = async_url(url)
    if aurl.startswith("sqlite"):
        engine = create_async_engine(aurl)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
    else:
        asyncpg = make_url(aurl).get_driver_name() == "asyncpg"  # another driver named in the URL: ping
        engine = create_async_engine(aurl, pool_size=pool_size, max_overflow=pool_size,
                                     pool_pre_ping=not asyncpg, pool_recycle=1800)
        if asyncpg:
            event.listen(engine.sync_engine, "checkout", _replace_if_closed)
    return engine


class Database:
    """One engine and its session factory; handed to whoever needs the database."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size=pool_size)
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - health check reports, never raises
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()
