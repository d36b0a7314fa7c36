"""The floor under a turn: CPU the database stack alone costs per transaction.

A message is one transaction of a few statements. This times trivial ones
(`SELECT 1`, so the server does next to nothing) through each layer the
service could use, in this process, with 32 running at once as under load:

  * SQLAlchemy's AsyncSession (what the handlers use),
  * SQLAlchemy Core on an AsyncConnection,
  * asyncpg alone (PostgreSQL only),

for 1, 4 and 8 statements between BEGIN and COMMIT, on PostgreSQL and on the
SQLite file. The difference between the rows is what a statement costs in
Python before any of our code runs; it is why fewer statements per message
matter more than faster SQL.

  python bench/db_floor.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Awaitable, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg  # noqa: E402
from sqlalchemy import literal, select  # noqa: E402
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine  # noqa: E402

from bench.machine import facts, pg_admin_dsn  # noqa: E402

TURNS, AT_ONCE = 2000, 32


async def cpu_per_turn(turn: Callable[[], Awaitable[None]]) -> float:
    """CPU milliseconds per call of `turn`, AT_ONCE running at a time, after a warm-up."""
    for _ in range(100):
        await turn()
    left = TURNS
    started = time.process_time()

    async def runner() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await turn()

    await asyncio.gather(*(runner() for _ in range(AT_ONCE)))
    return (time.process_time() - started) * 1000 / TURNS


async def sqlalchemy_rows(url: str, label: str, statements: tuple[int, ...]) -> None:
    engine = create_async_engine(url, pool_size=AT_ONCE)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    stmt = select(literal(1))
    try:
        for n in statements:
            async def session_turn(n: int = n) -> None:
                async with sessions.begin() as s:
                    for _ in range(n):
                        (await s.execute(stmt)).scalar()

            async def core_turn(n: int = n) -> None:
                async with engine.begin() as c:
                    for _ in range(n):
                        (await c.execute(stmt)).scalar()

            print(f"{label:<10} {n} statements   AsyncSession {await cpu_per_turn(session_turn):.2f} ms   "
                  f"Core {await cpu_per_turn(core_turn):.2f} ms", flush=True)
    finally:
        await engine.dispose()


async def asyncpg_rows(dsn: str, statements: tuple[int, ...]) -> None:
    pool = await asyncpg.create_pool(dsn, min_size=AT_ONCE, max_size=AT_ONCE)
    try:
        for n in statements:
            async def turn(n: int = n) -> None:
                async with pool.acquire() as con, con.transaction():
                    for _ in range(n):
                        await con.fetchval("SELECT 1")

            print(f"{'asyncpg':<10} {n} statements   {await cpu_per_turn(turn):.2f} ms", flush=True)
    finally:
        await pool.close()


async def main() -> None:
    print(facts())
    print(f"CPU ms per transaction (BEGIN, n × SELECT 1, COMMIT), {AT_ONCE} at once, {TURNS} each")
    counts = (1, 4, 8)
    dsn = pg_admin_dsn()
    await sqlalchemy_rows(dsn.replace("postgresql://", "postgresql+asyncpg://", 1), "PostgreSQL", counts)
    await asyncpg_rows(dsn, counts)
    with tempfile.TemporaryDirectory() as tmp:
        await sqlalchemy_rows(f"sqlite+aiosqlite:///{tmp}/floor.db", "SQLite", counts)


if __name__ == "__main__":
    asyncio.run(main())
