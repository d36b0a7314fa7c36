"""Customers in private chat: Telegram updates → `Inbound` → `Conversations.handle` → replies.

With JIEDAN_TELEGRAM_WEBHOOK_ANSWERS the answer can go back in the webhook's
HTTP response (see `TelegramChannel.answer`). Commands are quick replies by another name, so they go through the same
dialogue as every channel: /start greets, /help helps, /orders lists the
customer's orders, /cancel cancels. A pressed button is answered at once and
its message edited, so its buttons are gone and cannot be pressed twice.

Blocking the bot and unblocking it come as `my_chat_member` updates about the
bot in the customer's private chat (its status becomes "kicked", then "member"
again): events, not messages (`membership_event`), so the customer is marked
unreachable at once instead of at the next refused send, and the mark is gone
when they unblock, with nothing sent (their next message is answered as usual).
The bot's membership of groups (the staff group) is no customer's business and
is not handled here.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram import F, Router
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, Update, User

from bot.telegram.filters import FromPerson, InPrivateChat
from bot.telegram.ui import ChoiceCb, fit, pressed
from handlers.messages import CAME_BACK, LEFT, Inbound
from handlers.reading import location_payload, venue_address
from nlu.phone import shared_number
from storage.models import UnreachableReason

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


def membership_event(update: ChatMemberUpdated, update_id: int) -> Inbound | None:
    """What the customer did to the bot in their private chat, as a channel-neutral event:
    blocked it (LEFT) or unblocked it (CAME_BACK); None for anything else. The id is the
    update's (with its time: Telegram may start update ids afresh after a quiet week), so
    a redelivered update is acted on once and two quick changes are two."""
    status = update.new_chat_member.status
    if status == ChatMemberStatus.KICKED:
        event, reason = LEFT, UnreachableReason.BLOCKED
    elif status == ChatMemberStatus.MEMBER:
        event, reason = CAME_BACK, None
    else:
        return None
    return Inbound(channel=CHANNEL, user_id=str(update.from_user.id), event=event, reason=reason,
                   message_id=f"{update.chat.id}:{event}:{int(update.date.timestamp())}:{update_id}",
                   received_at=update.date)


def customer_router() -> Router:
    """A fresh router per bot (an aiogram router joins one dispatcher only)."""
    router = Router(name="customers")
    router.message.filter(InPrivateChat(), FromPerson())
    router.callback_query.filter(InPrivateChat())
    router.my_chat_member.filter(InPrivateChat())  # groups: the bot's own membership, no customer's

    @router.message(CommandStart())
    @router.message(Command(*(c for c in COMMANDS if c != "start")))
    async def command(message: Message, command: CommandObject, channel: TelegramChannel) -> SendMessage | None:
        return await _handle(message, channel, payload=COMMANDS.get(command.command.lower(), "help"))

    @router.message(F.contact)
    async def contact(message: Message, channel: TelegramChannel) -> SendMessage | None:
        """A shared contact card: its number read as if typed. The customer's own (the
        share-my-number button's: its user id is theirs) or someone else's alike, as a
        relative's number typed is taken as the order's phone too; a Telegram account's
        number is international, an address book's as written (`nlu.phone.shared_number`)."""
        assert message.contact is not None
        number = shared_number(message.contact.phone_number, international=message.contact.user_id is not None)
        return await _handle(message, channel, text=number)

    @router.message(F.venue)  # before the location: a venue's message carries its location too
    async def venue(message: Message, channel: TelegramChannel) -> SendMessage | None:
        """A place picked on the map: its name and street address are the order's address."""
        assert message.venue is not None
        address = venue_address(message.venue.title, message.venue.address)
        return await _handle(message, channel, payload=f"address:{address}")

    @router.message(F.location)
    async def location(message: Message, channel: TelegramChannel) -> SendMessage | None:
        """A bare map pin: no street or flat, so it is kept for the technician and the
        address is still asked for in words (`handlers.reading.LOCATION`)."""
        assert message.location is not None
        return await _handle(message, channel, payload=location_payload(
            message.location.latitude, message.location.longitude))

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

    @router.my_chat_member()
    async def membership(update: ChatMemberUpdated, event_update: Update,
                         channel: TelegramChannel) -> None:
        event = membership_event(update, event_update.update_id)
        if event is not None:
            await channel.conversations.handle(event)  # answered with nothing, by design

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
