"""The routers' filters, as coroutines.

aiogram runs a synchronous filter, a magic `F.…` expression included, in a
worker thread (`asyncio.to_thread`): one thread hop per filter per update. The
five an update met cost 0.5 ms of its 0.8 ms of dispatching (measured with a
constant answer). These check the same things on the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Chat, ChatMemberUpdated, Message

if TYPE_CHECKING:
    from bot.telegram.staff_chat import StaffChat


def _chat(event: Message | CallbackQuery | ChatMemberUpdated) -> Chat | None:
    """The chat a message (or a membership change) is in, or the chat of the message whose
    button was pressed."""
    if isinstance(event, CallbackQuery):
        return event.message.chat if event.message is not None else None
    return event.chat


class InStaffChat(Filter):
    """The message (or the pressed button's message) is in the staff group: under
    its configured id, or the supergroup Telegram turned it into."""

    def __init__(self, staff: StaffChat) -> None:
        self.staff = staff

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        chat = _chat(event)
        return chat is not None and await self.staff.accepts(chat.id)


class InPrivateChat(Filter):
    """A one-to-one chat with the bot."""

    async def __call__(self, event: Message | CallbackQuery | ChatMemberUpdated) -> bool:
        chat = _chat(event)
        return chat is not None and chat.type == ChatType.PRIVATE


class FromPerson(Filter):
    """Sent by a user (not on behalf of a channel or anonymously in a group)."""

    async def __call__(self, message: Message) -> bool:
        return message.from_user is not None


class TextReplyTo(Filter):
    """A text message answering one of the user `user_id`'s messages (the bot's cards)."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id

    async def __call__(self, message: Message) -> bool:
        target = message.reply_to_message
        return (bool(message.text) and target is not None and target.from_user is not None
                and target.from_user.id == self.user_id)
