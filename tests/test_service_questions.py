"""A question about a named service started a booking of it instead of being answered: "how
long does a deep clean take?" was "Got it: Deep cleaning. Which day and time suit you?",
"空调清洗包括什么？", "开锁需要带什么证件吗" and "do you bring your own cleaning supplies for regular
cleaning?" too. Now the owner's FAQ answers it, else the catalog's length and price for a
"how long", else a person (the question passed on as "需要我在家吗" is, never an answer made up);
out of a booking the service is then offered, and in one nothing of the draft changes and its
open question (or the summary) follows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from storage.models import Customer as CustomerRow
from tests.conftest import Clock
from tests.reminder_helpers import wire
from tests.test_dialogue import Customer, all_orders

NOW = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SUPPLIES = "do you bring your own cleaning supplies for regular cleaning?"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize(("text", "service", "kind"), [
    ("how long does a deep clean take?", "deep_cleaning", "length"),
    ("深度保洁要多久？", "deep_cleaning", "length"),
    ("深度保洁要多久", "deep_cleaning", "length"),
    ("空调清洗包括什么？", "appliance_cleaning", "detail"),
    (SUPPLIES, "daily_cleaning", "detail"),
    ("开锁需要带什么证件吗", "lock_service", "detail"),
])
def test_a_question_about_a_service_is_no_booking(parser: NluParser, text: str, service: str, kind: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots, r.flags.get("service_question")) == ("other", {"service": service}, kind), r


@pytest.mark.parametrize("text", [
    "深度保洁多少钱",  # a price question, answered as one
    "能来做深度保洁吗",  # asks for a visit
    "明天下午深度保洁，要多久？",  # a booking, with its day
    "深度保洁，包括厨房和卫生间",  # says what to do, asks nothing
    "how long until the technician gets here",  # about an order
])
def test_asking_for_a_visit_or_a_price_is_not_such_a_question(parser: NluParser, text: str) -> None:
    assert "service_question" not in parser.parse(text, now=NOW).flags


async def test_how_long_is_answered_from_the_catalog_and_then_booked_with_a_yes(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("how long does a deep clean take?")
    assert "Deep cleaning: ¥298 (about 180 min). Shall I book it?" in reply
    assert "Which day" not in reply and await all_orders(app) == []
    assert "Which day" in await c.say("yes"), "the yes books the service asked about"
    c = Customer(app, user="u2")
    reply = await c.say("深度保洁要多久？")
    assert "深度保洁：¥298（约180分钟）。需要预约吗？" in reply and "哪天" not in reply


async def test_the_owners_faq_answers_it_and_offers_the_service(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say(SUPPLIES)
    assert "Cleaners bring their own tools and products" in reply
    assert "Shall I book regular cleaning for you?" in reply and "Which day" not in reply
    assert await all_orders(app) == []
    assert "Which day" in await c.say("yes")
    c = Customer(app, user="u2")
    reply = await c.say("保洁需要几个小时")
    assert "一居室2小时" in reply and "需要帮您预约日常保洁吗？" in reply


@pytest.mark.parametrize("text", ["开锁需要带什么证件吗", "空调清洗包括什么？"])
async def test_what_the_catalog_does_not_say_goes_to_a_person(make_app, clock: Clock, text: str) -> None:
    app = await make_app()
    sent = wire(app, clock)
    reply = await Customer(app).say(text)
    assert "答不了" in reply and "转给人工客服" in reply and "哪天" not in reply, reply
    assert await all_orders(app) == []
    await app.worker.run_once()
    [alert] = [m for _, _, m in sent.staff if m.template == "staff_human_request"]
    assert text.rstrip("？") in alert.reply.text
    async with app.db.sessions() as s:
        assert (await s.execute(select(CustomerRow))).scalar_one().human_requested_at is not None


async def test_asked_while_a_booking_is_taken_it_is_answered_and_the_question_asked_again(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "地址" in await c.say("我想明天下午3点做个日常保洁")
    reply = await c.say("深度保洁要多久？")
    assert "深度保洁：¥298（约180分钟）。" in reply and "需要预约吗" not in reply
    assert reply.rstrip().endswith("请问服务地址是？请写到门牌号（比如“朝阳区望京SOHO T1-1203”）。"), reply
    reply = await c.say("开锁需要带什么证件吗")
    assert "已记在订单备注里" in reply and "地址" in reply
    assert "电话" in await c.say("望京SOHO T1-1203")
    summary = await c.say("13812345678")
    assert "服务：日常保洁" in summary and "11月25日（周三）15:00" in summary and "❓开锁需要带什么证件吗" in summary
    [o] = await all_orders(app)
    assert (o.service_id, o.date, o.time, o.address) == (
        "daily_cleaning", dt.date(2026, 11, 25), dt.time(15, 0), "望京SOHO T1-1203")


async def test_asked_at_the_summary_nothing_of_the_order_changes(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("regular cleaning tomorrow 3pm, 12 Baker Street, Flat 3, 13812345678")
    assert c.payloads == ["affirm", "deny", "cancel"]
    reply = await c.say("how long does a deep clean take?")
    assert "Deep cleaning: ¥298 (about 180 min)." in reply and "Shall I book" not in reply
    assert "awaiting confirmation" in reply and c.payloads == ["affirm", "deny", "cancel"]
    reply = await c.say(SUPPLIES)
    assert "Cleaners bring their own tools" in reply and "Shall I book" not in reply
    [o] = await all_orders(app)
    assert (o.service_id, o.status, o.time) == ("daily_cleaning", "pending", dt.time(15, 0))
    assert "Booked" in await c.say("yes")
    [o] = await all_orders(app)
    assert (o.service_id, o.status, o.date, o.address) == (
        "daily_cleaning", "confirmed", dt.date(2026, 11, 25), "12 Baker Street, Flat 3")


async def test_a_price_asked_at_the_summary_changes_nothing(make_app) -> None:
    """"深度保洁多少钱" at a regular cleaning's summary made the order a deep cleaning (and said its
    2 hours were not counted), unanswered; another service's price is no reason to use the
    draft's count either ("家电清洗多少钱" is one appliance's price, not 2 hours' worth)."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午三点来望京SOHO T1-1203做个日常保洁，电话13812345678")
    reply = await c.say("深度保洁多少钱")
    assert "深度保洁：¥298（约180分钟）。" in reply and "您还有一个待确认的订单" in reply and "没有记成" not in reply
    assert "家电清洗：¥150 每台（约90分钟）。" in await c.say("家电清洗多少钱")
    assert c.payloads == ["affirm", "deny", "cancel"]
    [o] = await all_orders(app)
    assert (o.service_id, o.quantity, o.status) == ("daily_cleaning", 2, "pending")
    summary = await c.say("改成深度保洁")
    assert "服务：深度保洁" in summary, "said as a change, it changes"
    [o] = await all_orders(app)
    assert o.service_id == "deep_cleaning"
