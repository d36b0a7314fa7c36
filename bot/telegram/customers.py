"""Customers in private chat: Telegram updates → `Inbound` → `Conversations.handle` → replies.

With JIEDAN_TELEGRAM_WEBHOOK_ANSWERS the answer can go back in the webhook's
HTTP response (see `TelegramChannel.answer`). Commands are quick replies by another name, so they go through the same
dialogue as every channel: /start greets, /help helps, /orders lists the
customer's orders, /cancel cancels. A pressed button is answered at once and
its message edited, so its buttons are gone and cannot be pressed twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, Message, User

from bot.telegram.filters import FromPerson, InPrivateChat
from bot.telegram.ui import ChoiceCb, fit, pressed
from handlers.messages import Inbound

if TYPE_CHECKING:
    from bot.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)
CHANNEL = "telegram"
COMMANDS = {"start": "greet", "help": "help", "orders": "status", "cancel": "cancel"}


def inbound(user: User, chat_id: int, message_id: str, *, text: str = "",
            payload: str | None = None, at=None) -> Inbound:  # noqa: ANN001 - aware datetime
    """The channel-neutral message; `message_id` must be unique per update, as
    Telegram's own message ids are unique per chat only."""
    return Inbound(channel=CHANNEL, user_id=str(user.id), text=text, payload=payload,
                   message_id=message_id, thread_id=str(chat_id), lang_hint=user.language_code,
                   display_name=user.full_name, received_at=at)


def customer_router() -> Router:
    """A fresh router per bot (an aiogram router joins one dispatcher only)."""
    router = Router(name="customers")
    router.message.filter(InPrivateChat(), FromPerson())
    router.callback_query.filter(InPrivateChat())

    @router.message(CommandStart())
    @router.message(Command(*(c for c in COMMANDS if c != "start")))
    async def command(message: Message, command: CommandObject, channel: TelegramChannel) -> SendMessage | None:
        return await _handle(message, channel, payload=COMMANDS.get(command.command.lower(), "help"))

    @router.message()
    async def text(message: Message, channel: TelegramChannel) -> SendMessage | None:
        return await _handle(message, channel, text=message.text or message.caption or "")

    @router.callback_query(ChoiceCb.filter())
    async def choice(query: CallbackQuery, callback_data: ChoiceCb, channel: TelegramChannel) -> SendMessage | None:
        await query.answer()
        message = query.message
        if not isinstance(message, Message):  # too old for Telegram to tell us what it said
            return None
        label = _label_of(message, query.data or "") or ""
        try:
            await message.edit_text(pressed(message.text or "", label), reply_markup=None)
        except TelegramAPIError:  # the choice still counts if the edit fails
            log.warning("could not remove the buttons of %s:%s", message.chat.id, message.message_id)
        # One answer per keyboard: a second press of the same message is a redelivery.
        replies = await channel.conversations.handle(inbound(
            query.from_user, message.chat.id, f"{message.chat.id}:{message.message_id}:pressed",
            text=label, payload=callback_data.payload))
        return await channel.answer(message.chat.id, replies)

    return router


async def _handle(message: Message, channel: TelegramChannel, *, text: str = "",
                  payload: str | None = None) -> SendMessage | None:
    assert message.from_user is not None
    replies = await channel.conversations.handle(inbound(
        message.from_user, message.chat.id, f"{message.chat.id}:{message.message_id}",
        text=fit(text), payload=payload, at=message.date))
    return await channel.answer(message.chat.id, replies)


def _label_of(message: Message, data: str) -> str | None:
    """The text of the button whose callback data was `data`."""
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
