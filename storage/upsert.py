"""INSERT … ON CONFLICT for the dialect at hand (SQLite and PostgreSQL share the API)."""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

_BUILT: dict[tuple[str, str], Any] = {}


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def insert_for(session: AsyncSession, table: Any):  # noqa: ANN201 - dialect Insert
    return (postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert)(table)


def built_once(session: AsyncSession, name: str, build: Callable[[Any], Any]) -> Any:
    """The statement `build(insert)` for this session's dialect, built on first use and kept.

    For the statements every message runs (message log, jobs, state): building an
    INSERT … ON CONFLICT with `.values(...)` each time costs more CPU than
    running it (SQLAlchemy coerces every value and derives a cache key); a
    statement built once and executed with a parameter dict skips all that.
    Build it on the model's Table (`Model.__table__`) unless ORM objects are
    wanted back: on the mapped class, each execution also goes through the
    ORM's bulk-insert layer, which about doubles its CPU.
    """
    key = (_dialect(session), name)
    stmt = _BUILT.get(key)
    if stmt is None:
        stmt = _BUILT[key] = build(postgresql.insert if key[0] == "postgresql" else sqlite.insert)
    return stmt
