"""Where a chat lives now: the moves a channel reported (a Telegram group upgraded to a supergroup).

The configured id stays the key, so the operator's setting keeps working after a
move; every process asks here rather than remembering the move for itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatMigration
from storage.types import utcnow
from storage.upsert import built_once

# A Telegram supergroup never migrates again, so a chain is one move long; the cap
# only guards against a cycle written by hand.
MAX_MOVES = 4
_NEXT = select(ChatMigration.new_chat_id).where(
    ChatMigration.channel == bindparam("channel"), ChatMigration.old_chat_id == bindparam("chat_id"))


def _record(insert: Any) -> Any:
    """Built once (`built_once`): a move, or the same move reported again (both
    service messages and a failed send all report it)."""
    stmt = insert(ChatMigration.__table__)
    return stmt.on_conflict_do_update(index_elements=["channel", "old_chat_id"], set_={
        "new_chat_id": stmt.excluded.new_chat_id})


async def record_move(session: AsyncSession, channel: str, old_chat_id: str, new_chat_id: str,
                      at: dt.datetime | None = None) -> None:
    await session.execute(built_once(session, "record_chat_move", _record), dict(
        channel=channel, old_chat_id=old_chat_id, new_chat_id=new_chat_id, migrated_at=at or utcnow()))


async def current_chat(session: AsyncSession, channel: str, chat_id: str) -> str:
    """`chat_id`, or the chat it moved to (one primary-key lookup when it never moved)."""
    for _ in range(MAX_MOVES):
        moved = (await session.execute(_NEXT, {"channel": channel, "chat_id": chat_id})).scalar_one_or_none()
        if moved is None or moved == chat_id:
            break
        chat_id = moved
    return chat_id
