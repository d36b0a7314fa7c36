"""The staff group's chat id as it is now, which is not always the configured one.

Telegram upgrades a group to a supergroup on its own (an admin changes a
setting, the group grows), and the supergroup has a new id: from then on every
call to the old id fails with `TelegramMigrateToChat`, and staff press buttons
in a chat the configured id does not name. Without following the move, every
card would be dropped and every staff action ignored.

The move is learnt from either signal (the service message in the old or the
new chat, or the error on a send), recorded in the database, and read back by
every process: a cheap primary-key lookup at most every `REFRESH_SECONDS`, and
a failing send that retries on the new id when a process has not heard yet.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING, Awaitable, Callable, TypeVar

from aiogram import Router
from aiogram.exceptions import TelegramMigrateToChat
from aiogram.filters import Filter
from aiogram.types import Message

from handlers import staff as staff_logic
from storage import chats

if TYPE_CHECKING:
    from storage.db import Database

log = logging.getLogger(__name__)
CHANNEL = "telegram"
T = TypeVar("T")


class StaffChat:
    """The configured staff chat id and where it leads now."""

    refresh_seconds = 30.0  # how long a move another process learnt may go unseen (a send finds out anyway)
    recheck_seconds = 1.0   # at most this often, an unknown group's update makes us look again

    def __init__(self, db: Database, configured: int, clock: Callable[[], dt.datetime],
                 wake: Callable[[], None]) -> None:
        self.db = db
        self.configured = configured
        self.clock = clock  # the service's: when the moved cards' jobs fall due
        self.wake = wake    # the worker, to post them
        self._now = time.monotonic
        self._current = configured
        self._read_at: float | None = None
        self._warned: int | None = None

    async def current(self) -> int:
        """Where staff cards go: the configured id, or the supergroup it became."""
        if self._read_at is None or self._now() - self._read_at > self.refresh_seconds:
            await self._refresh()
        return self._current

    async def accepts(self, chat_id: int) -> bool:
        """Is `chat_id` the staff group (the configured id, or what it became)?

        A group we do not know is looked up again (at most every `recheck_seconds`),
        so a staff press in a supergroup another process heard about counts at once."""
        if chat_id in (self.configured, await self.current()):
            return True
        if chat_id > 0 or (self._read_at is not None and self._now() - self._read_at < self.recheck_seconds):
            return False  # a private chat, or we have just looked
        await self._refresh()
        return chat_id == self._current

    def is_staff(self, chat_id: int) -> bool:
        """The configured id or the current one, as last read (for service messages)."""
        return chat_id in (self.configured, self._current)

    async def moved_away(self, chat_id: int) -> bool:
        """A chat staff cards used to be in, before the group became a supergroup."""
        return chat_id == self.configured and chat_id != await self.current()

    async def learn(self, old: int, new: int, how: str) -> None:
        """Record that `old` became `new`, for every process, tell the owner, and have
        the open orders' cards posted again where staff now are."""
        staff_moved = self.is_staff(old)
        async with self.db.sessions.begin() as session:
            await chats.record_move(session, CHANNEL, str(old), str(new))
            cards = staff_moved and await staff_logic.cards_moved(session, CHANNEL, str(old), str(new),
                                                                 self.clock())
        if staff_moved:
            self._current = new
            self._read_at = self._now()
            self._warn(how)
        if cards:
            self.wake()

    async def call(self, send: Callable[[int], Awaitable[T]], chat_id: int | None = None) -> T:
        """`send(chat)` on `chat_id` (default, or when it is the group that moved: the staff
        group as it is now); if Telegram answers that the group became a supergroup,
        learn it and send once more there, so the message is not lost."""
        chat = await self.current() if chat_id is None or await self.moved_away(chat_id) else chat_id
        try:
            return await send(chat)
        except TelegramMigrateToChat as e:
            await self.learn(chat, e.migrate_to_chat_id, "a send to it was refused")
            return await send(e.migrate_to_chat_id)

    async def _refresh(self) -> None:
        async with self.db.sessions() as session:
            found = int(await chats.current_chat(session, CHANNEL, str(self.configured)))
        self._current = found
        self._read_at = self._now()
        if found != self.configured:
            self._warn("recorded earlier")

    def _warn(self, how: str) -> None:
        """Once per process and move: the setting should name the chat that works."""
        if self._warned == self._current:
            return
        self._warned = self._current
        log.warning("the Telegram staff group %s is now the supergroup %s (%s): staff cards go there; "
                    "set JIEDAN_TELEGRAM_STAFF_CHAT_ID=%s", self.configured, self._current, how, self._current)


class Migrates(Filter):
    """A service message saying a group became a supergroup (in either of the two chats)."""

    async def __call__(self, message: Message) -> bool:
        return bool(message.migrate_to_chat_id or message.migrate_from_chat_id)


def migration_router(staff: StaffChat) -> Router:
    """Learns the staff group's move from its service messages: `migrate_to_chat_id`
    in the old group, `migrate_from_chat_id` in the new supergroup. Either is enough;
    other groups' moves are none of ours."""
    router = Router(name="staff_chat_migration")

    @router.message(Migrates())
    async def migrated(message: Message) -> None:
        if message.migrate_to_chat_id:
            old, new = message.chat.id, message.migrate_to_chat_id
        else:
            old, new = int(message.migrate_from_chat_id or 0), message.chat.id
        await staff.current()  # as last recorded, so a process that is behind still knows its group
        if staff.is_staff(old):
            await staff.learn(old, new, "Telegram said so in the group")

    return router
