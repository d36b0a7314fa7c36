"""Where each customer's dialogue state lives between messages.

Without Redis the database keeps it, so a restarted process carries on the
conversation; with Redis (`JIEDAN_REDIS_URL`) every process shares it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable, Protocol

from redis.asyncio import Redis
from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import ConversationState
from storage.types import utcnow
from storage.upsert import built_once

STATE_TTL_SECONDS = 30 * 24 * 3600  # a customer back after a month starts afresh

# Read on every message without Redis: built once (with a bound key), so a turn does not
# build the SELECT and derive its cache key again (see `storage.upsert.built_once`).
_STATE_OF = select(ConversationState.data, ConversationState.updated_at).where(
    ConversationState.key == bindparam("key"))


class StateStore(Protocol):
    async def load(self, key: str) -> dict[str, Any] | None: ...
    async def save(self, key: str, data: dict[str, Any]) -> None: ...
    async def clear(self, key: str) -> None: ...


class SqlStateStore:
    """State in the `conversation_states` table.

    `load_in`/`save_in` run in a session the caller owns: the conversation
    reads and writes the state in its turn's transaction, so the state commits
    with the order it describes, and a message costs one transaction, not three.

    A state is stamped, and found expired, by the service's clock (`clock`; the
    turn's `now` for `load_in`/`save_in`), the one its orders and messages are
    stamped by: a month is a month of the same time line (a test's clock too).
    """

    def __init__(self, db: Database, clock: Callable[[], dt.datetime] | None = None) -> None:
        self._db = db
        self._clock = clock or utcnow

    @property
    def db(self) -> Database:
        return self._db

    async def load(self, key: str) -> dict[str, Any] | None:
        async with self._db.sessions() as s:
            return await self.load_in(s, key, self._clock())

    async def save(self, key: str, data: dict[str, Any]) -> None:
        async with self._db.sessions.begin() as s:
            await self.save_in(s, key, data, self._clock())

    @staticmethod
    async def load_in(session: AsyncSession, key: str, now: dt.datetime) -> dict[str, Any] | None:
        row = (await session.execute(_STATE_OF, {"key": key})).first()
        if row is None or (now - row.updated_at).total_seconds() > STATE_TTL_SECONDS:
            return None
        return dict(row.data)

    @staticmethod
    async def save_in(session: AsyncSession, key: str, data: dict[str, Any], now: dt.datetime) -> None:
        def build(insert: Any) -> Any:  # on the Table: no ORM bulk-insert layer (`built_once`)
            stmt = insert(ConversationState.__table__)
            return stmt.on_conflict_do_update(
                index_elements=["key"], set_={"data": stmt.excluded.data, "updated_at": stmt.excluded.updated_at})

        await session.execute(built_once(session, "save_state", build),
                              {"key": key, "data": data, "updated_at": now})

    async def clear(self, key: str) -> None:
        async with self._db.sessions.begin() as s:
            await s.execute(delete(ConversationState).where(ConversationState.key == key))


class RedisStateStore:
    """State as one JSON string per customer, expiring after STATE_TTL_SECONDS.

    The expiry is Redis's own (a real-time TTL, as a server-side expiry must be:
    it also frees the memory); nothing here is stamped, so no other clock is read.

    `load`/`save` are for use outside a turn; a turn's own read and write ride
    on its lock's round trips (storage/locks.py `RedisLocks`), which is why the
    key and the encoding are public here: one definition for both paths.
    """

    def __init__(self, redis: Redis, prefix: str = "jiedan:conv:") -> None:
        self._r = redis
        self._prefix = prefix

    @property
    def redis(self) -> Redis:
        return self._r

    def redis_key(self, key: str) -> str:
        return self._prefix + key

    @staticmethod
    def encode(data: dict[str, Any]) -> str:
        return json.dumps(data, ensure_ascii=False)

    @staticmethod
    def decode(raw: bytes | str | None) -> dict[str, Any] | None:
        return json.loads(raw) if raw else None

    async def load(self, key: str) -> dict[str, Any] | None:
        return self.decode(await self._r.get(self.redis_key(key)))

    async def save(self, key: str, data: dict[str, Any]) -> None:
        await self._r.set(self.redis_key(key), self.encode(data), ex=STATE_TTL_SECONDS)

    async def clear(self, key: str) -> None:
        await self._r.delete(self.redis_key(key))
