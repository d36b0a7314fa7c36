"""The Telegram channel: one aiogram Bot and Dispatcher, in polling or webhook mode.

It is built with the app (so `jiedan worker` can send too), registers itself
as the worker's `telegram` Sender, and, when a staff group is configured, the
card and relay jobs and the hooks that post a card for every confirmed order
and pass customers' messages to staff threads.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Callable
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import Response
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter, TelegramUnauthorizedError
from aiogram.methods import AnswerCallbackQuery, EditMessageText, GetUpdates, SendMessage
from aiogram.types import ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot.telegram import staff as staff_ui
from bot.telegram.customers import customer_router
from bot.telegram.pacing import Pacer, SharedPacer
from bot.telegram.staff_chat import StaffChat, migration_router
from bot.telegram.ui import Markup, fit, reply_markup
from bot.telegram.unreachable import as_private_chat_errors
from handlers import staff as staff_logic
from handlers.messages import Reply
from handlers.outbox import Address, Outgoing
from storage.models import Order

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"
MAX_INLINE_WAIT = 5.0  # a reply hit by flood control waits this long at most, then is dropped
# aiogram parses every answer as `Response[method.__returning__]`, and pydantic keeps such
# generic classes only weakly: each garbage collection dropped them and the next answer
# built the class again (~30 ms of CPU, some 1.5 ms per message sent on average).
# Holding the ones our calls use keeps them built for the life of the process.
RESPONSE_TYPES = tuple(Response[m.__returning__]  # type: ignore[name-defined]
                       for m in (SendMessage, EditMessageText, AnswerCallbackQuery, GetUpdates))


class CheckedRequestHandler(SimpleRequestHandler):
    """aiogram's webhook handler, answering 400 to a body that is not a Telegram update
    (not JSON, or JSON of the wrong shape) instead of failing with a 500.

    Only a failure while handling a well-formed update still gives a 5xx, on
    purpose: Telegram then redelivers it, and the redelivery is recognised."""

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            raw = await request.json(loads=bot.session.json_loads)
            update = Update.model_validate(raw, context={"bot": bot})
        except (ValueError, UnicodeDecodeError, ValidationError) as e:  # JSONDecodeError is a ValueError
            log.warning("refused a webhook body that is not a Telegram update: %s", type(e).__name__)
            return web.Response(status=400, text="not a Telegram update")
        result = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


class TelegramChannel:
    def __init__(self, app: App) -> None:
        s = app.settings
        assert s.telegram_token
        self.settings = s
        self.db = app.db
        self.conversations = app.conversations
        self.worker = app.worker
        self.renderer = app.worker.renderer
        self.clock: Callable[[], dt.datetime] = app.conversations.clock
        self.tz = ZoneInfo(app.timezone)
        self.catalog = app.catalog
        session = AiohttpSession(api=TelegramAPIServer.from_base(s.telegram_api_base.rstrip("/")))
        overall = (s.telegram_send_rate, 1.0)
        self.pacer: Pacer | SharedPacer = (  # with Redis, counted with every other process's sends
            SharedPacer(app.redis, prefix=s.redis_prefix + "pace:", overall=overall)
            if app.redis is not None else Pacer(overall=overall))
        session.middleware(self.pacer)
        self.bot = Bot(s.telegram_token, session=session)
        self.dp = Dispatcher(channel=self)
        self.staff_chat: StaffChat | None = None
        if s.telegram_staff_chat_id is not None:
            self.staff_chat = StaffChat(app.db, s.telegram_staff_chat_id, self.clock, app.worker.wake)
            self.dp.include_router(migration_router(self.staff_chat))
            self.dp.include_router(staff_ui.staff_router(self.staff_chat, self.bot.id))
            self.dp.include_router(staff_ui.assignee_router())
            jobs = staff_ui.StaffJobs(self, self.staff_chat)
            app.worker.register(staff_logic.CARD, jobs.card)
            app.worker.register(staff_logic.RELAY, jobs.relay)
            app.worker.set_staff_sender(jobs)
            app.conversations.subscribe_in_transaction(staff_logic.on_order_event)
        else:
            log.warning("JIEDAN_TELEGRAM_STAFF_CHAT_ID is not set: orders are not posted to staff")
        self.dp.include_router(customer_router())
        app.worker.add_sender("telegram", self)
        app.conversations.subscribe(self._wake_worker)
        self._polling: asyncio.Task[None] | None = None
        # Private chats sent the share-my-phone keyboard and not yet its removal (`_markup`). In this
        # process only: after a restart a keyboard left up stays until the phone is asked again.
        self._phone_keyboards: set[int] = set()

    # ------------------------------------------------------------ running
    def mount(self, web_app: web.Application) -> None:
        """Webhook mode: `POST /telegram` on the service's aiohttp app.

        Updates are handled before the 200 goes back, so a crash makes Telegram
        redeliver (and the redelivery is recognised by its message id) rather
        than losing the update."""
        if not self.settings.telegram_webhook_secret:
            # The contract leaves the secret optional; without it anyone who finds the URL
            # can post updates as any customer or staff member, so say so loudly.
            log.warning("JIEDAN_TELEGRAM_WEBHOOK_SECRET is not set: POST %s accepts updates from anyone; "
                        "set it and pass the same secret to setWebhook", WEBHOOK_PATH)
        CheckedRequestHandler(dispatcher=self.dp, bot=self.bot, handle_in_background=False,
                             secret_token=self.settings.telegram_webhook_secret,
                             ).register(web_app, path=WEBHOOK_PATH)
        web_app.on_startup.append(self._set_webhook)

    async def _set_webhook(self, _web_app: web.Application) -> None:
        url = self.settings.telegram_webhook_url
        if url:
            await self.bot.set_webhook(url, secret_token=self.settings.telegram_webhook_secret,
                                       allowed_updates=self.dp.resolve_used_update_types())
            log.info("telegram webhook set to %s", url)

    async def start_polling(self) -> None:
        """Long polling in the background, until `stop`."""
        self._polling = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        try:
            await self.bot.delete_webhook()  # one left over would make getUpdates fail
        except TelegramAPIError as e:
            log.warning("could not remove a Telegram webhook: %s", e)
        try:
            await self.dp.start_polling(self.bot, handle_signals=False, close_bot_session=False,
                                        allowed_updates=self.dp.resolve_used_update_types())
        except TelegramUnauthorizedError:
            log.error("Telegram refused JIEDAN_TELEGRAM_TOKEN: Telegram polling stopped")
        except Exception:  # noqa: BLE001 - the rest of the service keeps running
            log.exception("Telegram polling stopped")

    async def stop(self) -> None:
        if self._polling is not None:
            try:
                await self.dp.stop_polling()
            except RuntimeError:  # the task has not started polling yet
                self._polling.cancel()
            with suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None

    async def close(self) -> None:
        await self.stop()
        await self.bot.session.close()

    async def _wake_worker(self, _event: Any) -> None:
        self.worker.wake()

    # ------------------------------------------------------------ sending
    async def reply(self, chat_id: int, replies: list[Reply]) -> None:
        """Answer a customer's message, waiting out a short flood-control pause.

        A reply that cannot be sent is logged, not raised: the message itself
        is handled and recorded, and a redelivery would not be answered anyway."""
        for r in replies:
            for attempt in range(2):
                try:
                    await self.bot.send_message(chat_id, fit(r.text), reply_markup=self._markup(chat_id, r))
                    break
                except TelegramRetryAfter as e:
                    if attempt or e.retry_after > MAX_INLINE_WAIT:
                        log.warning("reply to %s dropped: flood control (%ss)", chat_id, e.retry_after)
                        break
                    await asyncio.sleep(e.retry_after)
                except TelegramAPIError as e:
                    log.warning("reply to %s failed: %s", chat_id, e)
                    break

    async def answer(self, chat_id: int, replies: list[Reply]) -> SendMessage | None:
        """Answer a customer's update. With JIEDAN_TELEGRAM_WEBHOOK_ANSWERS in webhook mode the
        last reply rides back in the webhook's HTTP response (Telegram sends it; no request
        of ours, no answer to parse), when the pacing has room for it now; everything else,
        and everything by default, through `reply`.

        Telegram does not say whether an answer in the webhook response was delivered;
        a reply sent through the API that fails is only logged too, so nothing is lost
        that `reply` would have kept."""
        if not replies:
            return None
        last = replies[-1]
        if self.settings.telegram_mode != "webhook" or not self.settings.telegram_webhook_answers:
            await self.reply(chat_id, replies)
            return None
        await self.reply(chat_id, replies[:-1])
        if not await self.pacer.take_now(chat_id):
            await self.reply(chat_id, [last])
            return None
        return SendMessage(chat_id=chat_id, text=fit(last.text), reply_markup=self._markup(chat_id, last))

    async def send(self, to: Address, message: Outgoing) -> str | None:
        """The worker's Sender: a message the service starts (staff updates, reminders)."""
        reply = message.reply
        chat_id = int(to.thread_id or to.user_id)
        async with as_private_chat_errors(f"message to {to.user_id}", chat_id):
            sent = await self.bot.send_message(chat_id, fit(reply.text), reply_markup=self._markup(chat_id, reply))
        return str(sent.message_id)

    def _markup(self, chat_id: int, reply: Reply) -> Markup | None:
        """The reply's keyboard (`ui.reply_markup`), noting whether the chat's share-my-phone
        keyboard is up after it, so it is removed once, by the first reply that can."""
        markup = reply_markup(reply, chat_id in self._phone_keyboards)
        if isinstance(markup, ReplyKeyboardMarkup):
            self._phone_keyboards.add(chat_id)
        elif isinstance(markup, ReplyKeyboardRemove):
            self._phone_keyboards.discard(chat_id)
        return markup

    async def send_details(self, user_id: int, order: Order) -> str | None:
        return await staff_ui.send_details(self, user_id, order)

    # ------------------------------------------------------------ staff wording
    def staff_text(self, template: str, **ctx: Any) -> str:
        return self.renderer.text(template, self.settings.telegram_staff_lang, **ctx)

    def staff_label(self, name: str) -> str:
        return self.renderer.label(self.settings.telegram_staff_lang, name)

    def card_text(self, order: Order) -> str:
        """The card as the group sees it (`handlers.staff.card_data`): phone and address
        masked, and a 📵 line while the customer cannot be reached by chat."""
        return fit(self.staff_text("staff_card", **staff_logic.card_data(order, self.tz)))
