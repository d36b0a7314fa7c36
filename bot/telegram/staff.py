"""The staff group: order cards with Claim/Start/Done/Release, replies to
customers through the cards, /today, /order N and /help.

The decisions are `handlers.staff`'s; this module only turns Telegram
updates into calls to it and its results into cards, answers and messages.
Cards are posted and refreshed by the durable `staff_card` job, so a card is
never lost to a crash or a Telegram outage, only delayed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from aiogram import Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramMigrateToChat
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message, ReplyParameters, User
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from bot.telegram.errors import as_job_errors, not_modified
from bot.telegram.filters import FromPerson, InPrivateChat, InStaffChat, TextReplyTo
from bot.telegram.staff_chat import StaffChat
from bot.telegram.ui import StaffCb, card_keyboard, fit
from bot.telegram.unreachable import as_private_chat_errors, unreachable_reason
from handlers import staff as staff_logic
from handlers.outbox import Outgoing, StaffAddress, StaffUnreachable, Undeliverable, alert_unreached
from storage import customers as customer_repo
from storage import messages
from storage.messages import StaffPost
from storage import orders as order_repo
from storage import staff as staff_repo
from storage.models import Order, ScheduledJob, Staff, StaffCard
from storage.orders import WITH_CUSTOMER

if TYPE_CHECKING:
    from bot.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)
CHANNEL = "telegram"
# A card job's reading: the order with its assignee, and its card if posted, in one statement,
# then the customer's identities (whether the chat reaches them).
_ORDER_AND_CARD = (select(Order, StaffCard).outerjoin(StaffCard, StaffCard.order_id == Order.id)
                   .options(joinedload(Order.assignee), joinedload(Order.preferred_staff),
                            WITH_CUSTOMER)  # the card's 📵 line
                   .where(Order.id == bindparam("order_id")))


def staff_router(staff_chat: StaffChat, bot_id: int) -> Router:
    """Handlers for the one staff group (also once it became a supergroup); a fresh router per bot."""
    router = Router(name="staff")
    router.message.filter(InStaffChat(staff_chat), FromPerson())
    router.callback_query.filter(InStaffChat(staff_chat))

    @router.callback_query(StaffCb.filter())
    async def action(query: CallbackQuery, callback_data: StaffCb, channel: TelegramChannel) -> None:
        order_id, act = callback_data.order_id, callback_data.action
        async with channel.db.sessions.begin() as session:
            staff = await _staff(session, query.from_user, channel.clock())
            staff_id = staff.id
            outcome = await staff_logic.act(session, order_id, act, staff, channel.catalog, channel.clock(),
                                            channel.tz)
            taken_by = await staff_repo.assignee_name(session, outcome.order)
            # Start and Done tell the customer: the answer says so only when a chat reaches them.
            unreachable = (outcome.ok and act in ("start", "done") and outcome.order is not None
                           and customer_repo.out_of_reach(await customer_repo.identities_of(
                               session, outcome.order.customer_id)) is not None)
        channel.worker.wake()
        claimed = outcome.ok or outcome.reason == "already_yours"
        reason = act if claimed else outcome.reason
        number = outcome.order.number if outcome.order else None
        if claimed and act == "claim" and outcome.order is not None:
            failed = await channel.send_details(query.from_user.id, outcome.order)
            if failed is not None:
                reason = "dm_failed"
            if failed not in (None, "error"):  # refused for good: the order's thread should know too
                await _tell_group_unreached(channel, outcome.order, staff_id, taken_by)
        await query.answer(channel.staff_text("staff_answer", reason=reason, staff=taken_by, number=number,
                                              unreachable=unreachable, order=outcome.order,
                                              margin_hours=staff_logic.START_MARGIN.total_seconds() / 3600),
                           show_alert=reason in ("dm_failed", "not_yet", "too_early") or unreachable)

    @router.message(Command("today"))
    async def today(message: Message, channel: TelegramChannel) -> None:
        day = channel.clock().astimezone(channel.tz).date()
        async with channel.db.sessions() as session:
            orders = await order_repo.on_date(session, day, staff_logic.visible_statuses())
            text = channel.staff_text("staff_today", orders=orders, day=day)
        await message.reply(fit(text))

    @router.message(Command("help", "start"))
    async def help_(message: Message, channel: TelegramChannel) -> None:
        """What staff can do here: the buttons, replying to a card, the commands."""
        await message.reply(channel.staff_text("staff_help"))

    @router.message(Command("order"))
    async def order(message: Message, command: CommandObject, channel: TelegramChannel) -> None:
        number = (command.args or "").strip()
        async with channel.db.sessions() as session:
            found = await _order(session, number) if number else None
            text = (channel.card_text(found) if found is not None
                    else channel.staff_text("staff_answer", reason="not_found" if number else "order_usage",
                                            staff=None, number=number))
        await message.reply(text)  # no buttons: only the card itself is kept up to date

    @router.message(TextReplyTo(bot_id))
    async def reply_to_card(message: Message, channel: TelegramChannel) -> None:
        assert message.from_user is not None and message.reply_to_message is not None
        target = message.reply_to_message
        key = _message_key(message.chat.id, message.message_id)
        async with channel.db.sessions.begin() as session:
            card = await staff_repo.card_by_message(session, CHANNEL, str(target.chat.id), str(target.message_id))
            if card is not None:
                order = await order_repo.get(session, card.order_id)
                post = StaffPost(order.id, order.customer_id) if order is not None else None
            else:
                post = await messages.staff_post(session, CHANNEL, _message_key(target.chat.id, target.message_id))
            if post is None or post.customer_id is None:
                return  # staff talking among themselves (`StaffPost`)
            staff = await _staff(session, message.from_user, channel.clock())
            await staff_logic.answer_post(session, post, staff, message.text or "", key=key, now=channel.clock())
        channel.worker.wake()

    return router


def assignee_router() -> Router:
    """`/order N` in a staff member's private chat: the details of an order they hold."""
    router = Router(name="assignee")
    router.message.filter(InPrivateChat(), FromPerson())

    @router.message(Command("order"))
    async def my_order(message: Message, command: CommandObject, channel: TelegramChannel) -> None:
        assert message.from_user is not None
        async with channel.db.sessions() as session:
            found = await _order(session, (command.args or "").strip())
        if found is None or found.assignee is None or found.assignee.channel != CHANNEL \
                or found.assignee.external_id != str(message.from_user.id):
            raise SkipHandler  # not theirs: the customer dialogue answers as for anyone
        await channel.send_details(message.from_user.id, found)

    return router


Post = tuple[int, int]  # a message of ours in a chat: (chat id, message id)


def _under(post: Post | None, chat_id: int) -> ReplyParameters | None:
    """Under `post` (a card, our last post about a customer) when it is in the chat we
    write to (not when it stayed behind in the group before that became a supergroup:
    message ids differ there)."""
    if post is None or post[0] != chat_id:
        return None
    return ReplyParameters(message_id=post[1], allow_sending_without_reply=True)


def _card_post(card: StaffCard | None) -> Post | None:
    return None if card is None else (int(card.chat_id), int(card.message_id))


def _message_key(chat_id: int | str, message_id: int | str) -> str:
    """Telegram message ids are unique per chat only."""
    return f"{chat_id}:{message_id}"


def _post_of(key: str | None) -> Post | None:
    """The post a `_message_key` names."""
    if key is None:
        return None
    chat_id, _, message_id = key.rpartition(":")
    return int(chat_id), int(message_id)


async def _staff(session, user: User, now: dt.datetime) -> Staff:  # noqa: ANN001 - AsyncSession
    return await staff_repo.identify(session, CHANNEL, str(user.id), user.full_name, now)


async def _order(session, number: str) -> Order | None:  # noqa: ANN001 - AsyncSession
    order = await order_repo.by_number(session, staff_logic.typed_number(number))
    if order is not None:  # what its card shows (`handlers.staff.card_data`)
        await session.refresh(order, ["assignee", "preferred_staff", "customer"])
        await session.refresh(order.customer, ["identities"])
    return order


class StaffJobs:
    """The worker's handlers for posting/refreshing cards, relaying customer text and
    posting staff alerts (it is the worker's staff sender)."""

    channel_name = CHANNEL

    def __init__(self, channel: TelegramChannel, staff_chat: StaffChat) -> None:
        self.channel = channel
        self.chat = staff_chat

    async def card(self, job: ScheduledJob) -> None:
        ch = self.channel
        order_id = job.payload["order_id"]
        async with ch.db.sessions() as session:
            found = (await session.execute(_ORDER_AND_CARD, {"order_id": order_id})).first()
            if found is None:
                return  # deleted since: nothing to show
            order, card = found
            text = ch.card_text(order)
        markup = card_keyboard(order.id, order.status, ch.staff_label)
        async with as_job_errors(f"order card {order.number}"):
            if card is not None and not await self.chat.moved_away(int(card.chat_id)):
                try:
                    await ch.bot.edit_message_text(text=text, chat_id=int(card.chat_id),
                                                   message_id=int(card.message_id), reply_markup=markup)
                    return
                except TelegramMigrateToChat as e:  # the card stayed behind in the old group
                    await self.chat.learn(int(card.chat_id), e.migrate_to_chat_id, "an edit in it was refused")
                except TelegramBadRequest as e:
                    if not not_modified(e):
                        raise
                    return
            # A new card, or one posted again in the supergroup its group became (old cards
            # cannot be edited any more): the order's card from now on.
            sent = await self.chat.call(lambda chat: ch.bot.send_message(chat, text, reply_markup=markup))
            try:
                async with ch.db.sessions.begin() as session:
                    await staff_repo.remember_card(session, order.id, CHANNEL, str(sent.chat.id),
                                                   str(sent.message_id), ch.clock())
            except Exception:
                await self._take_back(sent.chat.id, sent.message_id, order.number)
                raise  # the job is tried again and posts the card once more

    async def _take_back(self, chat_id: int, message_id: int, number: str) -> None:
        """Delete a card whose saving failed: the retried job posts it again, and staff
        would otherwise see two cards, one of them with buttons that no longer update."""
        try:
            await self.channel.bot.delete_message(chat_id, message_id)
        except Exception:  # noqa: BLE001 - best effort; the save's failure is what gets reported
            log.warning("could not delete the unsaved card of order %s: staff may see it twice", number,
                        exc_info=True)

    async def relay(self, job: ScheduledJob) -> None:
        """A post in an order's card thread (`order_id`), or in the thread of a customer
        talking to a person about no order (`customer_id`: under our last post about them)."""
        ch = self.channel
        p = job.payload
        order_id = p.get("order_id")
        async with ch.db.sessions() as session:
            if order_id is not None:
                order = await order_repo.get(session, order_id)
                card = await staff_repo.card_of(session, order_id)
                if order is None or card is None:
                    return
                customer_id, number = order.customer_id, order.number
                anchor = _card_post(card)
            else:
                order, customer_id, number = None, int(p["customer_id"]), None
                anchor = _post_of(await messages.last_staff_post(session, CHANNEL, customer_id))
        text = fit(ch.staff_text(p["template"], number=number, order=order, **p["data"]))
        async with as_job_errors(f"relay for {number or f'customer {customer_id}'}"):
            sent = await self.chat.call(
                lambda to: ch.bot.send_message(to, text, reply_parameters=_under(anchor, to)),
                anchor[0] if anchor else None)
        async with ch.db.sessions.begin() as session:  # so a staff reply to it finds the customer
            await messages.record_outbound(session, [messages.outbound(
                channel=CHANNEL, customer_id=customer_id, order_id=order_id,
                channel_message_id=_message_key(sent.chat.id, sent.message_id),
                text=text, meta={"to": "staff", "job": job.id, "template": p["template"]}, at=ch.clock())])

    async def send_staff(self, to: StaffAddress, message: Outgoing) -> str | None:
        """The worker's staff sender: reminders, escalations and low-rating alerts.

        Group alerts go under the order's card, so the thread holds the order's
        whole story; a member's reminder goes to their private chat."""
        ch = self.channel
        text = fit(message.reply.text)
        if not to.is_group:
            if to.channel != CHANNEL or not to.external_id:
                raise Undeliverable(f"staff member {to.to} is not on Telegram")
            async with as_private_chat_errors(f"staff message to {to.external_id}", int(to.external_id),
                                          StaffUnreachable):
                sent = await ch.bot.send_message(int(to.external_id), text)
            return str(sent.message_id)
        card = None
        order_id = message.data.get("order_id")
        if order_id is not None:
            async with ch.db.sessions() as session:
                card = await staff_repo.card_of(session, int(order_id))
        async with as_job_errors("staff alert"):
            sent = await self.chat.call(
                lambda to: ch.bot.send_message(to, text, reply_parameters=_under(_card_post(card), to)))
        return _message_key(sent.chat.id, sent.message_id)


async def _tell_group_unreached(channel: TelegramChannel, order: Order, staff_id: int, name: str | None) -> None:
    """The claimer cannot be messaged privately: besides their popup, the order's thread
    hears it, as for any refused private message (`outbox.alert_unreached`), so the
    dispatcher knows they have no address or phone yet. Once per order and claimer."""
    async with channel.db.sessions.begin() as session:
        await alert_unreached(session, staff=name, what="staff_details", order_id=order.id, number=order.number,
                              due_at=channel.clock(), key=f"claim:{order.id}:{staff_id}")
    channel.worker.wake()


async def send_details(channel: TelegramChannel, user_id: int, order: Order) -> str | None:
    """The full address and phone, privately; None when sent, else why not: the
    `UnreachableReason` when Telegram refuses the person (they never started a private
    chat with the bot, or blocked it), "error" for anything else (the network)."""
    text = channel.staff_text("staff_details", order=order)
    try:
        await channel.bot.send_message(user_id, text)
    except TelegramAPIError as e:
        log.info("cannot message staff %s privately: %s", user_id, e.message)
        return unreachable_reason(e) or "error"
    return None

