"""Changing a booked order's address, phone, name or notes from the chat, and thanks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from handlers import amend as A
from handlers import staff as staff_logic
from storage import orders as order_repo
from storage.models import Order, ScheduledJob, StaffCard
from tests.reminder_helpers import staff_do, wire
from tests.test_dialogue import Customer, all_orders
from tests.test_dialogue_qa import BOOKING, booked

NEW = "望京SOHO T2-1505"


async def _jobs(app, kind: str) -> list[ScheduledJob]:
    async with app.db.sessions() as s:
        return list((await s.execute(select(ScheduledJob).where(ScheduledJob.kind == kind)
                                     .order_by(ScheduledJob.id))).scalars())


def test_what_reads_as_a_change() -> None:
    assert A.wants_amend({"address": NEW}, f"地址写错了，是{NEW}", after_confirmation=False)
    assert A.wants_amend({"phone": "13900001111"}, "电话换成13900001111", after_confirmation=False)
    assert A.wants_amend({"address": "5 Main Street"}, "address should be 5 Main Street", after_confirmation=False)
    assert A.wants_amend({"address": NEW}, NEW, after_confirmation=True)
    assert not A.wants_amend({"address": NEW}, NEW, after_confirmation=False)
    new_booking = {"service": "window_cleaning", "date": "2026-11-28", "address": NEW}
    assert not A.wants_amend(new_booking, f"后天再来一次，地址是{NEW}, 做擦玻璃", after_confirmation=True)
    assert not A.wants_amend({"service": "lock_service", "address": NEW}, f"换锁，地址是{NEW}",
                             after_confirmation=False)
    assert not A.wants_amend({"service": "deep_cleaning", "address": "5 Oak Rd"},
                             "deep clean at my new address 5 Oak Rd", after_confirmation=False)
    assert A.wants_amend({"date": "2026-11-25", "address": NEW}, f"明天那单地址改成{NEW}", after_confirmation=False)
    assert A.amendment({}, "备注改成家里有狗") == {"notes": "家里有狗"}
    assert A.amendment({}, "备注：家里有猫") == {A.NOTES_ADDED: "家里有猫"}
    assert A.changes_to({"notes": "带鞋套", "phone": "1"}, {A.NOTES_ADDED: "家里有猫", "phone": "1"}) == {
        "notes": "带鞋套；家里有猫"}


async def test_address_change_after_booking_is_confirmed_and_applied(make_app, clock) -> None:
    app = await make_app()
    app.conversations.subscribe_in_transaction(staff_logic.on_order_event)
    c = await booked(app)
    [order] = await all_orders(app)
    async with app.db.sessions.begin() as s:  # the staff channel posted its card
        s.add(StaffCard(order_id=order.id, channel="telegram", chat_id="-1", message_id="7"))
    ask = await c.say(f"地址写错了，是{NEW}")
    assert f"望京SOHO T1-1203 → {NEW}" in ask and "确定修改吗" in ask and order.number in ask
    assert c.payloads == ["affirm", "deny"]
    cards_before = len(await _jobs(app, staff_logic.CARD))
    done = await c.say("确认修改")
    assert "已改好" in done and NEW in done
    [o] = await all_orders(app)
    assert (o.address, o.status) == (NEW, "confirmed")
    async with app.db.sessions() as s:
        [event] = [e for e in await order_repo.events_of(s, o.id) if e.kind == "amended"]
    assert event.changes == {"address": ["望京SOHO T1-1203", NEW]}
    assert len(await _jobs(app, staff_logic.CARD)) == cards_before + 1, "the card is refreshed"
    [relay] = await _jobs(app, staff_logic.RELAY)
    assert relay.payload["data"] == {"kind": "order_amended", "fields": ["address"], "by": None, "by_customer": True}
    assert await _jobs(app, "staff_alert") == [], "nobody assigned: nobody told privately"


async def test_assigned_technician_learns_the_new_address_and_reminders_show_it(make_app, clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    c = await booked(app)
    [order] = await all_orders(app)
    await staff_do(app, order.id, "claim")
    assert "确定修改吗" in await c.say(f"地址改成{NEW}")
    await c.say("是的")
    clock.advance(minutes=1)
    await app.worker.run_once()
    [(_, to, msg)] = [x for x in sent.staff if x[2].template == "staff_order_amended"]
    assert not to.is_group and NEW in msg.reply.text and "望京SOHO T1-1203 → " in msg.reply.text
    clock.advance(hours=18)  # 14:01, with the reminders before tomorrow's 15:00 visit due (not past its start)
    await app.worker.run_once()
    reminders = [m.reply.text for _, _, m in sent.customer if m.template == "reminder"]
    reminders += [m.reply.text for _, _, m in sent.staff if m.template == "staff_reminder"]
    assert reminders and all(NEW in r for r in reminders)


async def test_english_phone_change_and_keep(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 3pm at 5 Park Lane phone 13812345678")
    await c.say("yes")
    ask = await c.say("my phone number is wrong, it's 13900001111")
    assert "13812345678 → 13900001111" in ask and "Shall I change it?" in ask
    assert "stays as it is" in await c.say("Keep it")
    [o] = await all_orders(app)
    assert o.phone == "13812345678"
    ask = await c.say("address should be 5 Main Street, Flat 2")
    assert "5 Park Lane → 5 Main Street, Flat 2" in ask
    assert "Done" in await c.say("yes")
    [o] = await all_orders(app)
    assert o.address == "5 Main Street, Flat 2"


async def test_details_alone_right_after_confirming_change_that_order(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    assert "不客气" in await c.say("谢谢")
    assert f"→ {NEW}" in await c.say(NEW)
    await c.say("好的")
    [o] = await all_orders(app)
    assert o.address == NEW


async def test_several_orders_ask_which_and_started_ones_need_a_person(make_app, clock) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天上午10点来望京SOHO T1-1203擦玻璃")
    await c.say("确认")
    first, second = await all_orders(app)
    await c.say("我的订单")  # not right after a confirmation any more: that would mean the one confirmed
    ask = await c.say("电话换成13900001111")
    assert "修改哪一个" in ask and c.payloads == [f"order:{first.number}", f"order:{second.number}"]
    assert "13812345678 → 13900001111" in await c.say("2")
    await c.say("确认")
    first, second = await all_orders(app)
    assert (first.phone, second.phone) == ("13812345678", "13900001111")
    await staff_do(app, first.id, "claim")
    clock.now = first.start_at - dt.timedelta(hours=1)  # on the way
    await staff_do(app, first.id, "start")
    await c.say("电话换成13700001111")
    answer = await c.say("1")
    assert "服务中" in answer and "转人工" in answer
    first, _ = await all_orders(app)
    assert first.phone == "13812345678"


async def test_a_new_booking_for_another_address_is_not_an_amendment(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    answer = await c.say(f"后天下午3点再来一次，地址是{NEW}，做擦玻璃")
    assert "确定修改吗" not in answer and "请核对订单" in answer
    await c.say("确认")
    first, second = await all_orders(app)
    assert (first.address, second.address, second.status) == ("望京SOHO T1-1203", NEW, "confirmed")


async def test_a_draft_keeps_its_own_corrections(make_app) -> None:
    app = await make_app()
    await booked(app)
    c = Customer(app)
    await c.say("后天上午10点擦玻璃")
    answer = await c.say(f"地址写错了，是{NEW}")  # the draft's address, not the booked order's
    assert "确定修改吗" not in answer
    first, *_ = await all_orders(app)
    assert first.address == "望京SOHO T1-1203"


async def test_redelivered_confirmation_applies_once(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say(f"地址改成{NEW}", message_id="m1")
    await c.say("确认", message_id="m2")
    again = await app.conversations.handle(__import__("handlers.messages", fromlist=["Inbound"]).Inbound(
        channel="console", user_id="u1", text="确认", message_id="m2"))
    assert again == []
    [o] = await all_orders(app)
    async with app.db.sessions() as s:
        assert [e.kind for e in await order_repo.events_of(s, o.id)].count("amended") == 1


async def test_asked_to_wait_the_bot_waits_and_the_question_stands(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想明天下午3点做个深度保洁")
    answer = await c.say("稍等，我找一下地址")
    assert "不着急" in answer and "没明白" not in answer and "地址？" not in answer, answer
    assert "电话" in await c.say("望京SOHO T1-1203"), "the address question was still open"
    s = Customer(app, user="u2", lang="en")
    await s.say("deep clean tomorrow at 3pm at 5 Main Street, phone 13812345678")
    assert "take your time" in await s.say("one sec")
    assert "Booked" in await s.say("1"), "the summary's numbered choices still stand"


async def test_thanks_keeps_the_open_question(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想明天下午3点做个深度保洁")
    answer = await c.say("谢谢")
    assert "不客气" in answer and "地址" in answer and "没明白" not in answer
    e = Customer(app, user="u2", lang="en")
    assert "You're welcome" in await e.say("thank you")
    s = Customer(app, user="u3")
    await s.say(BOOKING)
    again = await s.say("多谢")
    assert "不客气" in again and s.payloads == ["affirm", "deny", "cancel"]
