"""Telegram end to end: the real aiogram Bot and the real web app against a fake Bot API.

Customers book in private chat (webhook and polling), the order's card reaches
the staff group, staff claim (one winner), start and finish it, talk to the
customer through the card, and the customer hears about every step. Runs on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import itertools
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any, AsyncIterator, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.server import make_web_app
from bot.telegram.pacing import Pacer
from bot.telegram.ui import choices_keyboard
from handlers.messages import Choice
from storage import jobs
from storage.models import ChannelIdentity, Customer, MessageLog, Order, ScheduledJob
from tests.fake_telegram import TOKEN, FakeTelegram, buttons, group, user
from tests.reminder_helpers import local, run_until
from tests.test_web import ADMIN, _sign_in

STAFF = -100500
SECRET = "s3cret-token"
HOOK_URL = "https://jiedan.example/telegram"
ALICE = user(1001, "Alice")
BOB = user(2001, "Bob")
CAROL = user(2002, "Carol")
NUMBER = re.compile(r"\d{8}-\d{4}")
BOOKING = ["我想明天下午3点做个深度保洁", "朝阳区望京SOHO T1 1203", "13812345678"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    f = FakeTelegram()
    f.base = await f.start()  # type: ignore[attr-defined]
    yield f
    await f.close()


class Harness:
    """The service in webhook mode behind a test HTTP server, and people using it."""

    def __init__(self, app: Any, fake: FakeTelegram, client: TestClient) -> None:
        self.app, self.fake, self.client = app, fake, client
        self._message_ids = itertools.count(1)

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        resp = await self.client.post("/telegram", json=update, headers=headers)
        await self.fake.run_webhook_answer(resp)
        return resp.status

    def says(self, who: dict[str, Any], text: str, **kw: Any) -> dict[str, Any]:
        return self.fake.text_update(who, text, message_id=next(self._message_ids), **kw)

    async def say(self, who: dict[str, Any], text: str, **kw: Any) -> None:
        assert await self.post(self.says(who, text, **kw)) == 200

    async def press(self, who: dict[str, Any], message: dict[str, Any], label: str) -> int:
        return await self.post(self.fake.press_update(who, message, buttons(message)[label]))

    async def flush(self) -> int:
        return await self.app.worker.run_once()

    async def order(self) -> Order:
        async with self.app.db.sessions() as s:
            return (await s.execute(select(Order).options(selectinload(Order.assignee)))).scalar_one()

    async def book(self, who: dict[str, Any] = ALICE) -> Order:
        for line in BOOKING:
            await self.say(who, line)
        summary = self.fake.last(who["id"])
        assert await self.press(who, summary, "确认下单") == 200
        return await self.order()

    def card(self) -> dict[str, Any]:
        return self.fake.message(STAFF, 1)


@pytest.fixture
async def serve_telegram(make_app, fake: FakeTelegram, serve_http) -> Callable[..., Awaitable[Harness]]:
    """Starts the service in webhook mode; several share the database, as `serve` processes do."""
    async def start(**overrides: Any) -> Harness:
        settings: dict[str, Any] = dict(
            telegram_token=TOKEN, telegram_api_base=fake.base, telegram_mode="webhook",
            telegram_webhook_secret=SECRET, telegram_staff_chat_id=STAFF)
        app = await make_app(**(settings | overrides))
        _no_waiting(app)
        return Harness(app, fake, await serve_http(app))

    return start


@pytest.fixture
async def tg(serve_telegram: Callable[..., Awaitable[Harness]]) -> Harness:
    return await serve_telegram(telegram_webhook_url=HOOK_URL)


async def test_a_customer_books_by_webhook_and_buttons_work_once(tg: Harness) -> None:
    fake = tg.fake
    for line in BOOKING:
        await tg.say(ALICE, line)
    asked = fake.texts(1001)
    assert "地址" in asked[0] and "电话" in asked[1]
    assert not any(c.webhook for c in fake.calls), "by default answers go out through sendMessage"
    summary = fake.last(1001)
    assert "深度保洁" in summary["text"] and "13812345678" in summary["text"]
    assert list(buttons(summary)) == ["确认下单", "修改", "取消"]

    assert await tg.press(ALICE, summary, "确认下单") == 200
    assert len(fake.answers()) == 1, "the press is answered"
    edited = fake.message(1001, summary["message_id"])
    assert "reply_markup" not in edited and edited["text"].endswith("» 确认下单"), "buttons gone"
    order = await tg.order()
    assert order.status == "confirmed" and order.channel == "telegram"
    assert order.number in fake.texts(1001)[-1] and "预约成功" in fake.texts(1001)[-1]

    # The same keyboard pressed again (a second tap before the edit arrived) changes nothing.
    sent_before = len(fake.texts(1001))
    assert await tg.press(ALICE, summary, "确认下单") == 200
    assert len(fake.texts(1001)) == sent_before and len(fake.answers()) == 2

    # The card reaches the staff group once the worker runs; phone and address masked.
    assert fake.texts(STAFF) == []
    await tg.flush()
    [card_text] = fake.texts(STAFF)
    assert order.number in card_text and "138****5678" in card_text and "T* ****" in card_text
    assert "13812345678" not in card_text and "1203" not in card_text
    assert list(buttons(tg.card())) == ["🙋 接单"]
    await tg.flush()
    assert len(fake.texts(STAFF)) == 1, "posted once"


async def test_the_answer_rides_in_the_webhook_response_while_the_chat_pacing_has_room(tg: Harness) -> None:
    """With JIEDAN_TELEGRAM_WEBHOOK_ANSWERS, Telegram sends a method returned in the webhook
    response itself: no request of ours. A chat that has used its pacing allowance is answered through the API,
    where the pacing waits, so the answer in the response never outruns the limit."""
    tg.app.settings.telegram_webhook_answers = True  # JIEDAN_TELEGRAM_WEBHOOK_ANSWERS=1
    tg.app.telegram.pacer.private = (2, 2.0)  # two messages per two seconds to a private chat
    for line in BOOKING[:3]:
        await tg.say(ALICE, line)
    calls = [c for c in tg.fake.calls if c.method == "sendMessage" and c.params["chat_id"] == 1001]
    assert [c.webhook for c in calls] == [True, True, False], \
        "the first two answers in the response; the third waited for room, through the API"


async def test_two_staff_claim_at_once_and_exactly_one_wins(tg: Harness, clock) -> None:
    fake = tg.fake
    order = await tg.book()
    await tg.flush()
    card = tg.card()
    statuses = await asyncio.gather(tg.press(BOB, card, "🙋 接单"), tg.press(CAROL, card, "🙋 接单"))
    assert statuses == [200, 200]
    order = await tg.order()
    assert order.status == "assigned" and order.assignee is not None
    winner, loser = (BOB, CAROL) if order.assignee.name == "Bob" else (CAROL, BOB)
    answers = [a["text"] for a in fake.answers()[-2:]]
    assert sorted("已接单" in t for t in answers) == [False, True], answers
    assert any(f"已被{winner['first_name']}接走" in t for t in answers), answers
    # Only the winner gets the full address and phone, privately.
    [details] = fake.texts(winner["id"])
    assert "13812345678" in details and "朝阳区望京SOHO T1 1203" in details
    assert fake.texts(loser["id"]) == []

    await tg.flush()
    card = tg.card()
    assert winner["first_name"] in card["text"] and "13812345678" not in card["text"]
    assert list(buttons(card)) == ["▶️ 开始服务", "✅ 完成", "↩️ 退回"]
    assert "已有师傅接单" in fake.texts(1001)[-1] and order.number in fake.texts(1001)[-1]

    # The loser cannot start it; the winner can (on the way), then finish it; the customer hears each step.
    clock.now = order.start_at - dt.timedelta(hours=1)
    assert await tg.press(loser, card, "▶️ 开始服务") == 200
    assert "不是您接的" in fake.answers()[-1]["text"]
    assert await tg.press(winner, card, "▶️ 开始服务") == 200
    await tg.flush()
    assert "开始为您服务" in fake.texts(1001)[-1]
    assert list(buttons(tg.card())) == ["✅ 完成"]
    assert await tg.press(winner, tg.card(), "✅ 完成") == 200
    await tg.flush()
    assert (await tg.order()).status == "completed"
    assert "已完成" in fake.texts(1001)[-1]
    assert buttons(tg.card()) == {} and "已完成" in tg.card()["text"]


async def test_staff_and_customer_talk_through_the_card(tg: Harness) -> None:
    fake = tg.fake
    order = await tg.book()
    await tg.flush()
    await tg.press(BOB, tg.card(), "🙋 接单")
    await tg.flush()
    told = len(fake.texts(1001))

    reply = tg.says(BOB, "我大概10分钟后到", chat=group(STAFF), reply_to=tg.card())
    assert await tg.post(reply) == 200
    assert await tg.post(reply) == 200, "a redelivered staff reply"
    await tg.flush()
    assert len(fake.texts(1001)) == told + 1
    assert "我大概10分钟后到" in fake.texts(1001)[-1] and order.number in fake.texts(1001)[-1]

    # The customer's answer goes to the card's thread, not to the booking dialogue.
    await tg.say(ALICE, "好的，我在门口等您")
    assert len(fake.texts(1001)) == told + 1, "no bot answer to a message meant for staff"
    await tg.flush()
    relayed = fake.sent(STAFF)[-1]
    assert "好的，我在门口等您" in relayed["text"] and order.number in relayed["text"]
    assert relayed["reply_parameters"]["message_id"] == tg.card()["message_id"]

    # Staff may answer the relayed message itself; it still reaches the customer.
    relayed_msg = fake.last(STAFF)
    await tg.say(BOB, "收到", chat=group(STAFF), reply_to=relayed_msg)
    await tg.flush()
    assert "收到" in fake.texts(1001)[-1]

    # A customer starting a new booking is not relayed: the dialogue answers.
    await tg.say(ALICE, "我想后天上午10点做个日常保洁")
    assert "地址" in fake.texts(1001)[-1]


async def test_a_redelivered_update_changes_nothing(tg: Harness) -> None:
    update = tg.says(ALICE, "我想明天下午3点做个深度保洁")
    assert await tg.post(update) == 200
    assert await tg.post(update) == 200
    assert len(tg.fake.texts(1001)) == 1
    async with tg.app.db.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(MessageLog)
                                .where(MessageLog.direction == "in"))).scalar_one() == 1


async def test_the_webhook_refuses_a_wrong_or_missing_secret(tg: Harness) -> None:
    update = tg.says(ALICE, "你好")
    assert await tg.post(update, secret="wrong") == 401
    assert await tg.post(update, secret=None) == 401
    [hook] = tg.fake.sent(method="setWebhook")  # on start, so Telegram knows where and how to call
    assert hook["url"] == HOOK_URL and hook["secret_token"] == SECRET
    assert {"message", "callback_query", "my_chat_member"} <= set(hook["allowed_updates"]), \
        "blocking and unblocking the bot must reach us too"
    assert [c.method for c in tg.fake.calls] == ["setWebhook"], "nothing else happened"
    async with tg.app.db.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(MessageLog))).scalar_one() == 0


async def test_commands_and_language_from_the_user(tg: Harness) -> None:
    bill = user(1002, "Bill", lang="en")
    await tg.say(bill, "/start")
    assert "Hello" in tg.fake.texts(1002)[-1]
    await tg.say(bill, "/help")
    assert "book" in tg.fake.texts(1002)[-1].lower()
    await tg.say(bill, "/orders")
    assert "no orders" in tg.fake.texts(1002)[-1].lower()
    order = await tg.book()
    await tg.say(ALICE, "/orders")
    assert order.number in tg.fake.texts(1001)[-1]
    await tg.say(ALICE, f"/order {order.number}")  # not staff: the dialogue answers, without details
    assert order.number in tg.fake.texts(1001)[-1] and "📋" not in tg.fake.texts(1001)[-1]
    await tg.say(ALICE, "/cancel")
    cancel = tg.fake.last(1001)
    assert order.number in cancel["text"] and "确定取消" in buttons(cancel)
    await tg.press(ALICE, cancel, "确定取消")
    assert (await tg.order()).status == "cancelled"
    await tg.flush()
    assert "已取消" in tg.card()["text"] and buttons(tg.card()) == {}, "the card follows the order"


async def test_staff_commands_today_and_order(tg: Harness, clock) -> None:
    order = await tg.book()  # for tomorrow
    clock.advance(hours=12)  # the next morning: it is today's
    await tg.say(BOB, "/today", chat=group(STAFF))
    today = tg.fake.texts(STAFF)[-1]
    assert order.number in today and "深度保洁" in today
    told = len(tg.fake.texts(1001))
    await tg.say(BOB, "谁去？", chat=group(STAFF), reply_to=tg.fake.last(STAFF))
    await tg.flush()
    assert len(tg.fake.texts(1001)) == told, "a reply to anything but a card or its thread stays in the group"
    await tg.say(BOB, f"/order {order.number}", chat=group(STAFF))
    shown = tg.fake.last(STAFF)
    assert order.number in shown["text"] and "138****5678" in shown["text"]
    await tg.say(BOB, "/order 20990101-0001", chat=group(STAFF))
    assert "找不到" in tg.fake.texts(STAFF)[-1]
    await tg.say(BOB, "/order", chat=group(STAFF))
    assert "用法" in tg.fake.texts(STAFF)[-1]


async def test_a_claimer_the_bot_cannot_message_is_told_in_the_answer(tg: Harness) -> None:
    order = await tg.book()
    await tg.flush()
    tg.fake.blocked.add(BOB["id"])
    await tg.press(BOB, tg.card(), "🙋 接单")
    answer = tg.fake.answers()[-1]
    assert "没法私信您" in answer["text"] and answer["show_alert"] is True
    assert (await tg.order()).status == "assigned", "the claim itself stands"
    # The order's thread is told too, so the dispatcher knows Bob has no address or phone yet.
    await tg.flush()
    told = tg.fake.sent(STAFF)[-1]
    assert "没法私信 Bob" in told["text"] and "订单地址和电话" in told["text"], told["text"]
    assert f"/order {order.number}" in told["text"]
    assert told["reply_parameters"]["message_id"] == tg.card()["message_id"], "under the order's card"
    assert sum("没法私信" in t for t in tg.fake.texts(STAFF)) == 1
    # Once Bob has started the bot, /order N in private gives him the details.
    tg.fake.blocked.clear()
    await tg.say(BOB, f"/order {order.number}")
    assert "13812345678" in tg.fake.texts(BOB["id"])[-1]


async def test_flood_control_and_blocked_customers_in_the_worker(tg: Harness, clock) -> None:
    await tg.book()
    tg.fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", chat_id=STAFF, retry_after=7)
    await tg.flush()
    async with tg.app.db.sessions() as s:
        job = (await s.execute(select(ScheduledJob).where(ScheduledJob.kind == "staff_card"))).scalar_one()
    assert job.status == jobs.PENDING and job.attempts == 0
    assert job.due_at == clock.now + dt.timedelta(seconds=7)
    assert tg.fake.texts(STAFF) == []
    clock.advance(seconds=7)
    await tg.flush()
    assert len(tg.fake.texts(STAFF)) == 1

    tg.fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=1001)
    await tg.press(BOB, tg.card(), "🙋 接单")
    await tg.flush()
    async with tg.app.db.sessions() as s:
        failed = (await s.execute(select(ScheduledJob).where(ScheduledJob.status == jobs.FAILED))).scalars().all()
    assert len(failed) == 1 and "blocked" in failed[0].last_error


async def test_a_card_whose_saving_fails_is_taken_back_and_posted_once(
        tg: Harness, clock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Posting a card and remembering it are two steps: when the second fails, the
    posted card is deleted, so the retried job leaves staff with one card, the live one."""
    from storage import staff as staff_repo

    remember = staff_repo.remember_card

    async def fails_once(*a: Any, **kw: Any) -> None:
        monkeypatch.setattr(staff_repo, "remember_card", remember)
        raise ConnectionError("the database went away")

    monkeypatch.setattr(staff_repo, "remember_card", fails_once)
    await tg.book()
    await tg.flush()
    assert tg.fake.sent(STAFF, "deleteMessage") == [{"chat_id": STAFF, "message_id": 1}]
    clock.advance(seconds=2)  # the retry's backoff
    await tg.flush()
    cards = [k for k in tg.fake.messages if k[0] == STAFF]
    assert cards == [(STAFF, 2)], "one card left: the one the order knows"
    await tg.press(BOB, tg.fake.message(STAFF, 2), "🙋 接单")
    await tg.flush()
    assert "Bob" in tg.fake.message(STAFF, 2)["text"], "and it is the one that updates"


async def test_a_customer_who_blocked_the_bot_gets_nothing_until_they_write_again(tg: Harness, clock) -> None:
    fake = tg.fake

    async def alice() -> ChannelIdentity:
        async with tg.app.db.sessions() as s:
            return (await s.execute(select(ChannelIdentity)
                                    .where(ChannelIdentity.external_id == "1001"))).scalar_one()

    def tries() -> int:
        return sum(1 for c in fake.calls if c.method == "sendMessage" and c.params.get("chat_id") == 1001)

    order = await tg.book()
    await tg.flush()
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=1001)
    await tg.press(BOB, tg.card(), "🙋 接单")
    await tg.flush()
    assert (await alice()).unreachable_reason == "blocked"
    await tg.flush()
    assert "屏蔽" in fake.texts(STAFF)[-1] and order.number in fake.texts(STAFF)[-1], "staff are told"

    before = tries()
    clock.now = order.start_at - dt.timedelta(hours=1)
    await tg.press(BOB, tg.card(), "▶️ 开始服务")
    await tg.flush()
    assert tries() == before, "the start notice was not even tried"
    assert list(buttons(tg.card())) == ["✅ 完成"], "staff messages still go out"
    async with tg.app.db.sessions() as s:
        template = ScheduledJob.payload["template"].as_string()
        statuses = dict((await s.execute(select(template, ScheduledJob.status)
                                         .where(ScheduledJob.kind == "deliver"))).all())
    assert statuses == {"order_claimed": jobs.FAILED, "order_started": jobs.SKIPPED}

    await tg.say(ALICE, "/orders")  # unblocked and wrote: reachable again
    assert (await alice()).unreachable_since is None
    assert await tg.press(BOB, tg.card(), "✅ 完成") == 200
    await tg.flush()
    assert "已完成" in fake.texts(1001)[-1] and (await tg.order()).status == "completed"


async def test_a_customer_books_by_long_polling(make_app, fake: FakeTelegram) -> None:
    app = await make_app(telegram_token=TOKEN, telegram_api_base=fake.base, telegram_staff_chat_id=STAFF)
    _no_waiting(app)
    await app.telegram.start_polling()
    try:
        ids = itertools.count(1)
        for n, line in enumerate(BOOKING, 1):
            fake.push(fake.text_update(ALICE, line, message_id=next(ids)))
            await _until(lambda n=n: len(fake.texts(1001)) >= n)
        summary = fake.last(1001)
        fake.push(fake.press_update(ALICE, summary, buttons(summary)["确认下单"]))
        await _until(lambda: len(fake.texts(1001)) >= 4)
    finally:
        await app.telegram.stop()
    assert "预约成功" in fake.texts(1001)[-1]
    assert [c.method for c in fake.calls][:1] == ["deleteWebhook"]
    polls = [c.params for c in fake.calls if c.method == "getUpdates"]
    assert all("my_chat_member" in p["allowed_updates"] for p in polls), "blocks reach a polling bot too"
    await app.worker.run_once()
    assert NUMBER.search(fake.texts(STAFF)[0])


def test_buttons_that_do_not_fit_telegram_are_left_out() -> None:
    kb = choices_keyboard([Choice("ok", "affirm"), Choice("long", "x" * 80)])
    assert kb is not None and [b.text for row in kb.inline_keyboard for b in row] == ["ok"]
    many = choices_keyboard([Choice(str(i), f"service:s{i}") for i in range(5)])
    assert many is not None and [len(r) for r in many.inline_keyboard] == [2, 2, 1]
    assert choices_keyboard([]) is None


def test_pacing_buckets_by_kind_of_chat_and_stays_bounded() -> None:
    pacer = Pacer(max_chats=2)
    assert pacer.limiter(1001).max_rate == 3 and pacer.limiter(-100500).max_rate == 20
    assert pacer.limiter(1001) is pacer.limiter(1001)
    pacer.limiter(7)
    assert list(pacer._chats) == [1001, 7], "the least recently used chat is forgotten"


def _no_waiting(app: Any) -> None:
    """Tests send bursts no real chat would; pacing them would only slow the suite."""
    app.telegram.pacer.private = app.telegram.pacer.group = (1000, 1.0)


async def _until(condition: Any, timeout: float = 10.0) -> None:
    """Wait for the polling loop to have done something (no fixed sleeps)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_release_puts_the_order_back_and_a_repeated_claim_is_harmless(tg: Harness) -> None:
    await tg.book()
    await tg.flush()
    claim = tg.fake.press_update(BOB, tg.card(), buttons(tg.card())["🙋 接单"])
    assert await tg.post(claim) == 200
    assert await tg.post({**claim, "update_id": claim["update_id"] + 100}) == 200, "the same press again"
    assert "已接单" in tg.fake.answers()[-1]["text"] and len(tg.fake.texts(BOB["id"])) == 2
    await tg.flush()
    assert await tg.press(BOB, tg.card(), "↩️ 退回") == 200
    await tg.flush()
    order = await tg.order()
    assert order.status == "confirmed" and order.assignee is None
    assert list(buttons(tg.card())) == ["🙋 接单"] and "Bob" not in tg.card()["text"]
    assert "重新安排师傅" in tg.fake.texts(1001)[-1]
    assert await tg.press(CAROL, tg.card(), "🙋 接单") == 200
    assert (await tg.order()).assignee.name == "Carol"


async def test_the_thread_closes_after_a_quiet_while(tg: Harness, clock) -> None:
    await tg.book()
    await tg.flush()
    await tg.press(BOB, tg.card(), "🙋 接单")
    await tg.say(BOB, "请问家里有宠物吗？", chat=group(STAFF), reply_to=tg.card())
    await tg.flush()
    clock.advance(hours=3)
    sent_to_staff = len(tg.fake.texts(STAFF))
    await tg.say(ALICE, "好的")
    await tg.flush()
    assert len(tg.fake.texts(STAFF)) == sent_to_staff, "not relayed once the thread went quiet"
    assert tg.fake.texts(1001)[-1] != "好的" and "请问家里有宠物吗" not in tg.fake.texts(1001)[-1]


def test_webhook_mode_without_a_secret_runs_and_warns(tmp_path) -> None:
    """The contract leaves the secret optional: the service starts, warns, and checks nothing."""
    env = {**os.environ, "JIEDAN_DATABASE_URL": f"sqlite:///{tmp_path / 'j.db'}", "JIEDAN_TELEGRAM_TOKEN": TOKEN,
           "JIEDAN_TELEGRAM_MODE": "webhook", "JIEDAN_TELEGRAM_API_BASE": "http://127.0.0.1:9"}
    env.pop("JIEDAN_TELEGRAM_WEBHOOK_SECRET", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", "0", "--no-worker"], env=env,
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("listening on http://"), line
        url = line.split()[-1] + "/telegram"
        req = urllib.request.Request(url, data=b"{}", headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=10)
            status = 200
        except urllib.error.HTTPError as e:
            status = e.code
        assert status != 401, "no secret configured: no secret checked"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert "JIEDAN_TELEGRAM_WEBHOOK_SECRET is not set" in err and "Traceback" not in err


async def test_serve_answers_telegram_customers_by_polling(fake: FakeTelegram, tmp_path) -> None:
    env = {**os.environ, "JIEDAN_DATABASE_URL": f"sqlite:///{tmp_path / 'j.db'}", "JIEDAN_TELEGRAM_TOKEN": TOKEN,
           "JIEDAN_TELEGRAM_API_BASE": fake.base, "JIEDAN_TELEGRAM_STAFF_CHAT_ID": str(STAFF)}  # type: ignore[attr-defined]
    env.pop("JIEDAN_REDIS_URL", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--port", "0", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        assert b"listening on http://" in await asyncio.wait_for(proc.stdout.readline(), 60)
        fake.push(fake.text_update(ALICE, "你好", message_id=1))
        await _until(lambda: fake.texts(1001))
        assert "预约" in fake.texts(1001)[0]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0


async def test_staff_hear_in_the_thread_when_the_customer_moves_or_cancels(tg: Harness) -> None:
    order = await tg.book()
    await tg.flush()
    await tg.press(BOB, tg.card(), "🙋 接单")
    await tg.say(ALICE, "改到后天上午10点")
    await tg.press(ALICE, tg.fake.last(1001), "确认修改")
    await tg.flush()
    moved = tg.fake.sent(STAFF)[-1]
    assert "改到了" in moved["text"] and "11月26日" in moved["text"] and "10:00" in moved["text"]
    assert moved["reply_parameters"]["message_id"] == tg.card()["message_id"]
    assert "11月26日" in tg.card()["text"]
    await tg.say(ALICE, f"取消订单{order.number}")
    await tg.press(ALICE, tg.fake.last(1001), "确定取消")
    await tg.flush()
    assert "已取消订单" in tg.fake.texts(STAFF)[-1]
    assert "已取消" in tg.card()["text"] and buttons(tg.card()) == {}


async def test_a_refused_token_stops_polling_but_not_the_service(make_app, fake: FakeTelegram, caplog) -> None:
    app = await make_app(telegram_token="42:WRONG", telegram_api_base=fake.base)
    await app.telegram.start_polling()
    await _until(lambda: "refused" in caplog.text)
    await app.telegram.stop()
    assert await app.db.ping()


async def test_an_english_staff_group(make_app, fake: FakeTelegram, clock) -> None:
    app = await make_app(telegram_token=TOKEN, telegram_api_base=fake.base, telegram_mode="webhook",
                         telegram_webhook_secret=SECRET, telegram_staff_chat_id=STAFF, telegram_staff_lang="en")
    _no_waiting(app)
    async with TestClient(TestServer(make_web_app(app))) as client:
        tg = Harness(app, fake, client)
        order = await tg.book()
        await tg.flush()
        assert f"Order {order.number}" in tg.card()["text"] and list(buttons(tg.card())) == ["🙋 Claim"]
        clock.advance(minutes=16)  # the worker's alerts read as the cards do
        await tg.flush()
        assert "nobody has claimed it yet" in fake.texts(STAFF)[-1]
        await tg.press(BOB, tg.card(), "🙋 Claim")
        assert "It's yours" in fake.answers()[-1]["text"]
        assert "Address: 朝阳区望京SOHO T1 1203" in fake.texts(BOB["id"])[-1]
        clock.now = order.start_at - dt.timedelta(hours=1)
        await tg.flush()
        assert f"⏰ Reminder: order {order.number}" in fake.texts(BOB["id"])[-1]


# ----------------------------------------------------------------- blocking and unblocking the bot
async def _identities(tg: Harness) -> dict[str, ChannelIdentity]:
    async with tg.app.db.sessions() as s:
        return {i.external_id: i for i in (await s.execute(select(ChannelIdentity))).scalars()}


def _tries(fake: FakeTelegram, chat_id: int) -> int:
    """sendMessage requests to `chat_id`, refused ones included."""
    return sum(1 for c in fake.calls if c.method == "sendMessage" and c.params.get("chat_id") == chat_id)


async def test_blocking_the_bot_marks_the_customer_at_once_and_unblocking_clears_it(
        serve_telegram: Callable[..., Awaitable[Harness]], clock) -> None:
    tg = await serve_telegram(admin_token=ADMIN, web_cookie_secure=False)
    fake = tg.fake
    for line in ["我想后天下午3点做个深度保洁", *BOOKING[1:]]:  # Thursday 26th 15:00
        await tg.say(ALICE, line)
    await tg.press(ALICE, fake.last(1001), "确认下单")
    order = await tg.order()
    await tg.flush()  # the staff card

    calls = len(fake.calls)
    blocked = fake.member_update(ALICE, "member", "kicked")
    assert await tg.post(blocked) == 200
    assert len(fake.calls) == calls, "nothing is sent to someone who just blocked us"
    alice = (await _identities(tg))["1001"]
    assert (alice.unreachable_reason, alice.unreachable_since) == ("blocked", clock.now)
    await tg.flush()
    assert "屏蔽" in fake.texts(STAFF)[-1] and order.number in fake.texts(STAFF)[-1], "staff are told"

    # The owner's tools say who must be phoned.
    auth = {"Authorization": f"Bearer {ADMIN}"}
    [row] = await (await tg.client.get("/api/orders", headers=auth)).json()
    assert (row["reachable"], row["unreachable_reason"]) == (False, "blocked")
    await _sign_in(tg.client, ADMIN)
    export = "/admin/export?kind=orders&since=2026-11-01&until=2026-11-30&format="
    [line] = csv.DictReader(io.StringIO((await (await tg.client.get(export + "csv")).read()).decode("utf-8-sig")))
    assert (line["number"], line["reachable"], line["unreachable_reason"]) == (order.number, "False", "blocked")
    sheet = load_workbook(io.BytesIO(await (await tg.client.get(export + "xlsx")).read()))["orders"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("reachable") + 1).value is False
    assert sheet.cell(row=2, column=header.index("unreachable_reason") + 1).value == "blocked"

    before = _tries(fake, 1001)
    await run_until(tg.app, clock, local(25, 15))  # the 24-hour reminder falls due
    assert _tries(fake, 1001) == before, "the due reminder was not even tried"
    async with tg.app.db.sessions() as s:
        reminder = (await s.execute(select(ScheduledJob).where(
            ScheduledJob.kind == "remind_customer", ScheduledJob.status != jobs.PENDING))).scalar_one()
    assert reminder.status == jobs.SKIPPED and "blocked" in reminder.last_error
    assert await tg.post(blocked) == 200, "Telegram's redelivery of the same update"
    assert (await _identities(tg))["1001"].unreachable_since == alice.unreachable_since

    clock.now = local(25, 16)
    assert await tg.post(fake.member_update(ALICE, "kicked", "member")) == 200
    assert (await _identities(tg))["1001"].unreachable_since is None
    assert _tries(fake, 1001) == before, "an unblock without a message is not answered"
    [row] = await (await tg.client.get("/api/orders", headers=auth)).json()
    assert (row["reachable"], row["unreachable_reason"]) == (True, None)
    await tg.flush()
    assert sum("屏蔽" in t for t in fake.texts(STAFF)) == 1, "staff were told once"

    await run_until(tg.app, clock, local(26, 13))  # the 2-hour reminder goes out again
    assert _tries(fake, 1001) == before + 1 and order.number in fake.texts(1001)[-1]
    await tg.say(ALICE, "/start")  # and the next message is answered as usual
    assert _tries(fake, 1001) == before + 2 and "预约" in fake.texts(1001)[-1]
    assert (await tg.order()).status == "confirmed", "the order itself never changed"


async def test_membership_changes_that_mark_nobody(tg: Harness) -> None:
    fake = tg.fake
    await tg.say(BOB, "/start")  # Bob is a customer too
    await tg.say(ALICE, "/start")
    known = set(await _identities(tg))
    calls = len(fake.calls)
    staff = group(STAFF)
    for old, new in [("member", "administrator"), ("administrator", "member"), ("member", "left"),
                     ("left", "member"), ("member", "kicked")]:  # Bob promotes, removes, re-adds the bot…
        assert await tg.post(fake.member_update(BOB, old, new, chat=staff)) == 200
    assert await tg.post(fake.member_update(ALICE, "member", "kicked", chat=group(-100777, "group"))) == 200
    assert await tg.post(fake.member_update(CAROL, "member", "kicked")) == 200  # a stranger blocks us
    assert await tg.post(fake.member_update(CAROL, "kicked", "member")) == 200  # and unblocks
    assert len(fake.calls) == calls, "none of them is answered"
    identities = await _identities(tg)
    assert set(identities) == known, "a stranger's block or unblock creates nobody"
    assert all(i.unreachable_since is None for i in identities.values()), "a group's change marks nobody"
    async with tg.app.db.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(Customer))).scalar_one() == 2
        assert (await s.execute(select(func.count()).select_from(MessageLog).where(
            MessageLog.customer_id.is_(None)))).scalar_one() == 0


async def test_the_card_says_while_the_customer_cannot_be_reached_by_chat(tg: Harness, clock) -> None:
    """A block puts a 📵 line on the open orders' cards (once per order), so the group sees
    whom to phone; the customer writing again takes it off; both are edits of the card."""
    fake = tg.fake
    order = await tg.book()
    await tg.flush()  # the card
    assert "📵" not in tg.card()["text"]

    async def card_jobs() -> int:
        async with tg.app.db.sessions() as s:
            return (await s.execute(select(func.count()).select_from(ScheduledJob).where(
                ScheduledJob.kind == "staff_card", ScheduledJob.order_id == order.id))).scalar_one()

    def edits() -> int:
        return sum(1 for c in fake.calls if c.method == "editMessageText" and c.params.get("chat_id") == STAFF)

    jobs_before, edits_before = await card_jobs(), edits()
    blocked = fake.member_update(ALICE, "member", "kicked")
    assert await tg.post(blocked) == 200
    assert await tg.post(blocked) == 200  # Telegram's redelivery: no second refresh
    assert await card_jobs() == jobs_before + 1
    await tg.flush()
    text = tg.card()["text"]
    assert edits() == edits_before + 1, "the card was edited in place"
    line = next(ln for ln in text.splitlines() if ln.startswith("📵"))
    assert "屏蔽" in line and "138****5678" in line and "11月24日（周二）20:00" in line, line
    assert "13812345678" not in text, "the group still sees the phone masked"
    assert list(buttons(tg.card())) == ["🙋 接单"], "the buttons stay"
    await tg.press(BOB, tg.card(), "🙋 接单")
    await tg.flush()
    clock.now = order.start_at - dt.timedelta(hours=1)
    await tg.press(BOB, tg.card(), "▶️ 开始服务")
    assert "没有收到通知" in fake.answers()[-1]["text"], "the Start answer does not claim she was told"
    await tg.flush()
    assert "📵" in tg.card()["text"] and "Bob" in tg.card()["text"]

    clock.advance(minutes=5)
    jobs_before, edits_before = await card_jobs(), edits()
    await tg.say(ALICE, "/orders")  # they unblocked and wrote
    assert await card_jobs() == jobs_before + 1
    await tg.flush()
    assert "📵" not in tg.card()["text"] and edits() == edits_before + 1
    await tg.say(ALICE, "谢谢")  # a reachable customer's messages queue no card refresh
    assert await card_jobs() == jobs_before + 1
    await tg.press(BOB, tg.card(), "✅ 完成")
    assert "客户已收到通知" in fake.answers()[-1]["text"]


async def test_staff_see_where_a_move_ends_masked_in_the_group_in_full_in_private(tg: Harness) -> None:
    await tg.say(ALICE, "下周六上午9点搬家，从朝阳区望京SOHO T1-1203搬到海淀区上地东里5号楼，电话13812345678")
    assert await tg.press(ALICE, tg.fake.last(1001), "确认下单") == 200
    await tg.flush()
    card = tg.card()["text"]
    assert "搬到：" in card and "海淀区上地东里5号楼" not in card, card
    assert await tg.press(BOB, tg.card(), "🙋 接单") == 200
    await tg.flush()
    assert "望京SOHO T1-1203 → 海淀区上地东里5号楼" in tg.fake.texts(BOB["id"])[-1]


async def test_staff_see_a_move_whose_destination_is_not_settled_yet(tg: Harness) -> None:
    await tg.say(ALICE, "下周六上午9点搬家，地址朝阳区望京SOHO T1-1203，电话13812345678")
    await tg.say(ALICE, "还没定")
    assert await tg.press(ALICE, tg.fake.last(1001), "确认下单") == 200
    await tg.flush()
    assert "搬到：待确认" in tg.card()["text"]
