"""The staff group as a dispatcher and technicians use it: alerts about an order name the
technician who holds it (whom to chase when a visit has not started, whose visit got a low
rating), /help says what the group can do, and the English group reads plain English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import MessageLog, ScheduledJob, Staff
from tests.fake_telegram import buttons as tg_buttons, group
from tests.test_web import ADMIN, _sign_in
from tests.test_telegram import ALICE, BOB, CAROL, HOOK_URL, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401  (fixtures)


@pytest.fixture
async def tg_en(serve_telegram) -> Harness:  # noqa: F811 - the fixture above
    return await serve_telegram(telegram_webhook_url=HOOK_URL, telegram_staff_lang="en")


async def _claimed(tg: Harness, claim: str) -> Any:
    await tg.book()
    await tg.flush()
    assert await tg.press(BOB, tg.card(), claim) == 200
    await tg.flush()
    return await tg.order()


async def _finish_and_rate(tg: Harness, labels: tuple[str, str], stars: str) -> str:
    """Bob starts and finishes the visit, the customer presses `stars`: the group's last post."""
    for label in labels:
        assert await tg.press(BOB, tg.card(), label) == 200
        await tg.flush()
    assert await tg.press(ALICE, tg.fake.last(1001), stars) == 200
    await tg.flush()
    return tg.fake.texts(STAFF)[-1]


async def _staff_jobs(tg: Harness, template: str) -> list[dict[str, Any]]:
    async with tg.app.db.sessions() as s:
        jobs = (await s.execute(select(ScheduledJob).order_by(ScheduledJob.id))).scalars()
        return [j.payload for j in jobs if (j.payload or {}).get("template") == template]


async def test_a_visit_not_started_names_its_technician_for_the_dispatcher(tg: Harness, clock) -> None:
    order = await _claimed(tg, "🙋 接单")
    clock.now = order.start_at + dt.timedelta(minutes=16)
    await tg.flush()
    alert = tg.fake.sent(STAFF)[-1]
    assert "仍未开工" in alert["text"] and "师傅：Bob" in alert["text"]
    assert alert["reply_parameters"]["message_id"] == tg.card()["message_id"], "under the order's card"
    async with tg.app.db.sessions() as s:
        logged = [m for m in (await s.execute(select(MessageLog))).scalars()
                  if (m.meta or {}).get("template") == "staff_escalation"]
    assert [m.text for m in logged] == [alert["text"]] and logged[0].order_id == order.id, "kept in the log"


async def test_an_unclaimed_order_names_nobody(tg: Harness, clock) -> None:
    await tg.book()
    await tg.flush()
    clock.advance(minutes=16)
    await tg.flush()
    alert = tg.fake.texts(STAFF)[-1]
    assert "还没有人接单" in alert and "师傅：" not in alert


async def test_a_low_rating_names_the_technician(tg: Harness, clock) -> None:
    order = await _claimed(tg, "🙋 接单")
    clock.now = order.start_at
    alert = await _finish_and_rate(tg, ("▶️ 开始服务", "✅ 完成"), "2星")
    assert "差评提醒" in alert and "师傅：Bob" in alert and "2星" in alert
    [stored] = await _staff_jobs(tg, "staff_low_rating")
    assert stored["data"]["assignee"] == "Bob" and stored["data"]["rating"] == 2
    # The comment that follows adds the customer's words, not the whole alert again.
    await tg.say(ALICE, "师傅迟到了一个小时，地板也没擦干净")
    await tg.flush()
    added = tg.fake.sent(STAFF)[-1]
    assert added["text"] == f"💬 订单 {order.number}（2星）客户补充留言：师傅迟到了一个小时，地板也没擦干净"
    assert added["reply_parameters"]["message_id"] == tg.card()["message_id"], "in the order's thread"
    assert sum("差评提醒" in t for t in tg.fake.texts(STAFF)) == 1
    first, then = await _staff_jobs(tg, "staff_low_rating")
    assert (first["data"]["added"], then["data"]["added"]) == (False, True)
    assert then["data"]["comment"] == "师傅迟到了一个小时，地板也没擦干净"


async def test_the_english_group_reads_plain_english(tg_en: Harness, clock) -> None:
    tg = tg_en
    order = await _claimed(tg, "🙋 Claim")
    clock.now = order.start_at - dt.timedelta(hours=1)
    await tg.flush()
    assert "starts in 1 hour (today, " in tg.fake.texts(BOB["id"])[-1], "not '1 hours'"
    clock.now = order.start_at + dt.timedelta(minutes=16)
    await tg.flush()
    alert = tg.fake.texts(STAFF)[-1]
    assert "should have started 15 minutes ago" in alert and "technician: Bob" in alert
    alert = await _finish_and_rate(tg, ("▶️ Start", "✅ Done"), "1星")
    assert "Low rating" in alert and "technician: Bob" in alert and "1 star " in alert
    await tg.say(ALICE, "师傅迟到了")
    await tg.flush()
    assert tg.fake.texts(STAFF)[-1] == f"💬 Order {order.number} (1 star): the customer added: 师傅迟到了"


@pytest.mark.parametrize("command", ["/help", "/start", "/help@jiedan_bot"])
async def test_help_in_the_staff_group_says_what_staff_can_do(tg: Harness, command: str) -> None:
    await tg.say(BOB, command, chat=group(STAFF))
    shown = tg.fake.last(STAFF)
    for part in ("🙋 接单", "↩️ 退回", "回复订单卡片", "/today", "/order 订单号"):
        assert part in shown["text"], part
    assert tg.fake.texts(BOB["id"]) == [], "answered in the group, nothing private"


async def test_help_in_the_english_staff_group(tg_en: Harness) -> None:
    await tg_en.say(BOB, "/help", chat=group(STAFF))
    text = tg_en.fake.texts(STAFF)[-1]
    assert "🙋 Claim" in text and "↩️ Release" in text and "/today" in text and "/order NUMBER" in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), "no Chinese in the English group"


async def test_asking_for_a_person_mid_booking_shows_staff_the_booking(tg: Harness) -> None:
    await tg.say(ALICE, "我想明天下午3点做个深度保洁")
    await tg.say(ALICE, "转人工")
    await tg.flush()
    alert = tg.fake.last(STAFF)["text"]
    assert alert.startswith("🙋 客户 Alice 请人工客服联系"), alert
    assert "正在预约（还没下单）：深度保洁 · 11月25日（周三）15:00\n" in alert
    async with tg.app.db.sessions() as s:
        [stored] = [j.payload for j in (await s.execute(select(ScheduledJob))).scalars()
                    if (j.payload or {}).get("template") == "staff_human_request"]
    assert stored["data"]["draft"] == {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00",
                                       "period": None}
    # Staff answer it; the booking's question is still the customer's to answer.
    await tg.say(BOB, "您好，我是客服小王，请说", chat=group(STAFF), reply_to=tg.fake.last(STAFF))
    await tg.flush()
    assert "我是客服小王" in tg.fake.texts(1001)[-1]


async def test_asking_for_a_person_with_no_booking_shows_none(tg: Harness) -> None:
    await tg.say(ALICE, "转人工")
    await tg.flush()
    alert = tg.fake.last(STAFF)["text"]
    assert "请人工客服联系" in alert and "正在预约" not in alert


async def test_the_english_group_sees_the_booking_in_english(tg_en: Harness) -> None:
    await tg_en.say(ALICE, "我想明天下午3点做个深度保洁")
    await tg_en.say(ALICE, "转人工")
    await tg_en.flush()
    alert = tg_en.fake.last(STAFF)["text"]
    assert "Booking in progress (not placed yet): Deep cleaning · Wed 25 Nov, 15:00\n" in alert
    assert "正在预约" not in alert


async def _assign_on_dashboard(tg: Harness, order_id: int, name: str) -> str:
    async with tg.app.db.sessions() as s:
        staff = (await s.execute(select(Staff).where(Staff.name == name))).scalar_one()
    csrf = await _sign_in(tg.client, ADMIN)
    resp = await tg.client.post(f"/admin/orders/{order_id}/assign", data={"csrf": csrf, "staff_id": str(staff.id)},
                                allow_redirects=False)
    await tg.flush()
    return resp.headers["Location"]


async def test_the_office_reassigning_an_order_tells_both_technicians_and_the_group(serve_telegram) -> None:  # noqa: F811
    tg = await serve_telegram(telegram_webhook_url=HOOK_URL, admin_token=ADMIN, web_cookie_secure=False)
    order = await tg.book()
    await tg.flush()
    for who, label in ((CAROL, "🙋 接单"), (CAROL, "↩️ 退回"), (BOB, "🙋 接单")):  # Carol is known to the bot
        assert await tg.press(who, tg.card(), label) == 200
        await tg.flush()
    carol_before = len(tg.fake.texts(CAROL["id"]))
    assert "ok=1" in await _assign_on_dashboard(tg, order.id, "Carol")

    assert (await tg.order()).assignee.name == "Carol"
    details = tg.fake.texts(CAROL["id"])[carol_before:]
    assert details == [f"📋 客服把订单 {order.number} 派给了您\n深度保洁，11月25日（周三）15:00\n"
                       "地址：朝阳区望京SOHO T1 1203\n电话：13812345678"], "the full details, privately"
    told = tg.fake.texts(BOB["id"])[-1]
    assert told.startswith(f"🔄 客服把订单 {order.number} 改派给了 Carol，您不用去了。"), told
    thread = tg.fake.sent(STAFF)[-1]
    assert thread["text"] == f"👷 客服把订单 {order.number} 派给了 Carol（原来是 Bob），完整地址和电话已私信 Carol。"
    assert thread["reply_parameters"]["message_id"] == tg.card()["message_id"]
    assert "师傅：Carol" in tg.card()["text"] and "已有师傅接单：Carol" in tg.fake.texts(1001)[-1]
    [stored] = await _staff_jobs(tg, "staff_details")
    assert stored["data"]["assigned"] is True and stored["to"] == (await tg.order()).assignee_id


async def test_the_office_assigning_an_unclaimed_order_in_the_english_group(serve_telegram) -> None:  # noqa: F811
    tg = await serve_telegram(telegram_webhook_url=HOOK_URL, admin_token=ADMIN, web_cookie_secure=False,
                              telegram_staff_lang="en")
    order = await tg.book()
    await tg.flush()
    for label in ("🙋 Claim", "↩️ Release"):
        assert await tg.press(BOB, tg.card(), label) == 200
        await tg.flush()
    assert "ok=1" in await _assign_on_dashboard(tg, order.id, "Bob")
    assert tg.fake.texts(BOB["id"])[-1].startswith(f"📋 The office gave you order {order.number}\nDeep cleaning")
    assert tg.fake.texts(STAFF)[-1] == (f"👷 The office gave order {order.number} to Bob; "
                                        "Bob has the full address and phone privately.")


async def test_done_pressed_before_the_visit_is_refused_and_tells_nobody(tg: Harness, clock) -> None:
    order = await _claimed(tg, "🙋 接单")  # for tomorrow afternoon
    told = len(tg.fake.texts(1001))
    assert await tg.press(BOB, tg.card(), "✅ 完成") == 200
    await tg.flush()
    answer = tg.fake.answers()[-1]
    assert "还没到预约时间" in answer["text"] and "先按“▶️ 开始服务”" in answer["text"] and answer["show_alert"]
    assert (await tg.order()).status == "assigned" and len(tg.fake.texts(1001)) == told, "no rating asked"
    assert "✅ 完成" in tg_buttons(tg.card()), "the card still offers it"
    # Started (he really is there, an hour early), Done is taken.
    clock.now = order.start_at - dt.timedelta(hours=1)
    for label in ("▶️ 开始服务", "✅ 完成"):
        assert await tg.press(BOB, tg.card(), label) == 200
        await tg.flush()
    assert (await tg.order()).status == "completed" and order.number in tg.fake.texts(1001)[-1]


async def test_done_pressed_too_early_in_the_english_group(tg_en: Harness) -> None:
    await _claimed(tg_en, "🙋 Claim")
    assert await tg_en.press(BOB, tg_en.card(), "✅ Done") == 200
    assert tg_en.fake.answers()[-1]["text"].startswith("Not marked done: the visit's booked time hasn't come")
    assert (await tg_en.order()).status == "assigned"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_start_pressed_long_before_the_visit_is_refused(serve_telegram, clock, lang: str) -> None:  # noqa: F811
    """Tomorrow's visit started today would tell the customer "师傅已开始服务" a day early."""
    h = await serve_telegram(telegram_webhook_url=HOOK_URL, telegram_staff_lang=lang)
    start = {"zh": "▶️ 开始服务", "en": "▶️ Start"}[lang]
    order = await _claimed(h, {"zh": "🙋 接单", "en": "🙋 Claim"}[lang])  # tomorrow 15:00
    told = len(h.fake.texts(1001))
    assert await h.press(BOB, h.card(), start) == 200
    await h.flush()
    answer = h.fake.answers()[-1]
    expected = {"zh": ("还没到开始时间", "11月25日（周三）15:00", "提前 2 小时内"),
                "en": ("Not started yet", "Wed 25 Nov, 15:00", "within 2 hours")}[lang]
    assert all(bit in answer["text"] for bit in expected) and answer["show_alert"], answer["text"]
    assert (await h.order()).status == "assigned" and len(h.fake.texts(1001)) == told, "the customer is told nothing"
    assert start in tg_buttons(h.card()), "the card still offers it"
    clock.now = order.start_at - dt.timedelta(hours=2)  # on the way, in good time: taken
    assert await h.press(BOB, h.card(), start) == 200
    await h.flush()
    assert (await h.order()).status == "in_progress"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_technician_the_bot_cannot_message_is_reported_in_the_orders_thread(
        serve_telegram, clock, lang: str) -> None:  # noqa: F811
    """Bob never opened a private chat with the bot (Telegram: 403 "bot can't initiate
    conversation"): his reminder cannot reach him, and the group hears so under the card,
    with what to do, instead of a log line nobody reads."""
    h = await serve_telegram(telegram_webhook_url=HOOK_URL, telegram_staff_lang=lang)
    h.fake.blocked.add(BOB["id"])
    order = await _claimed(h, {"zh": "🙋 接单", "en": "🙋 Claim"}[lang])
    clock.now = order.start_at - dt.timedelta(hours=1)  # his 1-hour reminder
    await h.flush()
    await h.flush()
    post = h.fake.sent(STAFF)[-1]
    expected = {"zh": ("没法私信 Bob", "开工提醒", "私聊机器人", f"/order {order.number}"),
                "en": ("couldn't message Bob privately", "reminder", "private chat with the bot",
                       f"/order {order.number}")}[lang]
    assert all(bit in post["text"] for bit in expected), post["text"]
    assert post["reply_parameters"]["message_id"] == h.card()["message_id"], "under the order's card"
    async with h.app.db.sessions() as s:
        reminder = (await s.execute(select(ScheduledJob).where(ScheduledJob.kind == "remind_staff"))).scalar_one()
    assert reminder.status == "failed" and "initiate" in reminder.last_error, "kept as failed, with why"
    await h.flush()
    assert h.fake.sent(STAFF)[-1] == post, "said once"


@pytest.mark.parametrize("typed", ["#{d}-{s}", "{d} {s}", "{d}{s}", "{d}－{s}"])
async def test_order_finds_a_number_typed_loosely(tg: Harness, typed: str) -> None:
    """Staff type the number as they read it off a card or a phone: with a '#', a space, no
    dash, or a full-width dash from a Chinese keyboard; each names the order."""
    order = await tg.book()
    await tg.flush()
    day, seq = order.number.split("-")
    await tg.say(BOB, f"/order {typed.format(d=day, s=seq)}", chat=group(STAFF))
    shown = tg.fake.texts(STAFF)[-1]
    assert order.number in shown and "138****5678" in shown, shown


@pytest.mark.parametrize(("lang", "labels", "said"), [
    ("zh", ("🙋 接单", "▶️ 开始服务", "✅ 完成"), ("这单已经标记完成了", "这单客户已取消")),
    ("en", ("🙋 Claim", "▶️ Start", "✅ Done"), ("already marked done", "The customer cancelled this order")),
])
async def test_a_stale_button_says_what_became_of_the_order(serve_telegram, clock, lang: str,  # noqa: F811
                                                            labels: tuple[str, str, str],
                                                            said: tuple[str, str]) -> None:
    """✅ pressed twice (or on a card not yet refreshed), 🙋 on the card of an order the customer
    has just cancelled: the answer says so, not "that can't be done to the order as it is now"."""
    tg = await serve_telegram(telegram_webhook_url=HOOK_URL, telegram_staff_lang=lang)
    order = await _claimed(tg, labels[0])
    clock.now = order.start_at
    assert await tg.press(BOB, tg.card(), labels[1]) == 200
    await tg.flush()
    stale = dict(tg.card())
    assert await tg.press(BOB, tg.card(), labels[2]) == 200
    assert await tg.press(BOB, stale, labels[2]) == 200
    assert said[0] in tg.fake.answers()[-1]["text"], tg.fake.answers()[-1]["text"]

    await tg.say(ALICE, "我想后天上午10点做个日常保洁")
    await tg.say(ALICE, "就这个地址")
    assert await tg.press(ALICE, tg.fake.last(ALICE["id"]), "确认下单") == 200
    await tg.flush()
    card = tg.fake.last(STAFF)
    await tg.say(ALICE, "取消后天的订单")
    assert await tg.press(ALICE, tg.fake.last(ALICE["id"]), "确定取消") == 200
    assert await tg.press(CAROL, card, labels[0]) == 200
    assert said[1] in tg.fake.answers()[-1]["text"], tg.fake.answers()[-1]["text"]
