"""The seventeenth QA pass, small gaps earlier passes found: a fault said in more words than
the reader reached ("the dishwasher is making a loud noise") left no note; "one more ac" to an
air conditioner noted "air conditioner; ac"; an English move "from a 2 bedroom flat in Wangjing
to Shunyi" lost its route, and "move from 3pm to 5pm" / "can you move to friday" booked a move;
"今晚开锁" at 22:30 was told tonight had passed while offering 23:00; "再来一次" / "same as last
time" after a visit asked the address again (or was taken for a review comment). Each is checked
on what the customer sees and what the order stores; the last section keeps what was checked
and found right."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_reviews import completed, review_of

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- a fault in many English words is noted whole ----------------------------------------
@pytest.mark.parametrize(("text", "note"), [
    ("the dishwasher is making a loud noise, can someone fix it tomorrow", "dishwasher is making a loud noise"),
    ("my washing machine is making a weird noise, fix it tomorrow", "washing machine is making a weird noise"),
    ("the fridge is broken and leaking everywhere, fix it tomorrow", "fridge is broken and leaking everywhere"),
    ("洗碗机响声很大，明天能来修吗", "洗碗机响声很大"),
])
def test_a_long_fault_is_noted(parser: NluParser, text: str, note: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("note") == note


async def test_the_dishwasher_noise_is_on_the_summary_and_the_order(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("the dishwasher is making a loud noise, can someone fix it tomorrow")
    await c.say("10am")
    await c.say("88 Jianguo Road apt 1203")
    summary = await c.say("13800001111")
    assert "· Service: Appliance repair" in summary and "· Notes: dishwasher is making a loud noise" in summary
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes, order.status) == (
        "appliance_repair", "dishwasher is making a loud noise", "confirmed")


# ----- one more of the thing noted, in another spelling, is not noted twice -----------------
@pytest.mark.parametrize(("book", "more", "quantity"), [
    ("air conditioner cleaning tomorrow 10am, 88 Jianguo Road apt 1203, 13800001111", "one more ac", 2),
    ("air conditioner repair tomorrow 10am, 88 Jianguo Road apt 1203, 13800001111", "another AC", None),
])
async def test_another_ac_keeps_one_spelling_on_the_note(make_app, book: str, more: str, quantity: int | None) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "· Notes: air conditioner\n" in await c.say(book)
    summary = await c.say(more)
    assert "· Notes: air conditioner\n" in summary and "; ac" not in summary, summary
    [order] = await all_orders(app)
    assert (order.notes, order.quantity) == ("air conditioner", quantity)


async def test_one_more_of_another_thing_is_still_noted(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("air conditioner cleaning tomorrow 10am, 88 Jianguo Road apt 1203, 13800001111")
    assert "· Notes: air conditioner; washing machine\n" in await c.say("one more washing machine")
    [order] = await all_orders(app)
    assert (order.notes, order.quantity) == ("air conditioner; washing machine", 2)


# ----- an English move's route with the home said first; "move from 3pm to 5pm" is a new time --
@pytest.mark.parametrize(("text", "start", "end"), [
    ("I need movers from a 2 bedroom flat in Wangjing to Shunyi tomorrow 9am", "Wangjing", "Shunyi"),
    ("movers from my flat in Wangjing to a 3 bedroom house in Shunyi tomorrow 9am", "Wangjing", "Shunyi"),
])
def test_the_route_past_the_home(parser: NluParser, text: str, start: str, end: str) -> None:
    p = parser.parse(text, now=NOW)
    assert (p.slots["service"], p.slots.get("address"), p.flags.get("destination")) == ("moving", start, end)


async def test_movers_from_a_flat_keep_the_route_and_the_size(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Wangjing → Shunyi" in await c.say(
        "I need movers from a 2 bedroom flat in Wangjing to Shunyi tomorrow 9am")
    await c.say("building 3 apt 501")
    summary = await c.say("13800001111")
    assert "· Moving to: Shunyi" in summary and "· Notes: 2 bedroom flat" in summary, summary
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.address, order.destination, order.notes) == (
        "moving", "Wangjing, building 3 apt 501", "Shunyi", "2 bedroom flat")


@pytest.mark.parametrize(("text", "service"), [
    ("move from 3pm to 5pm", None),
    ("can you move the appointment from 3pm to 5pm", None),
    ("change it from 3 to 5pm", None),
    ("move my cleaning from 3pm to 5pm", "daily_cleaning"),
])
def test_a_time_moved_from_one_hour_to_another(parser: NluParser, text: str, service: str | None) -> None:
    p = parser.parse(text, now=NOW)
    assert (p.intent, p.slots.get("time"), p.slots.get("service"), p.flags.get("range_hours")) == (
        "reschedule", "17:00", service, None)


@pytest.mark.parametrize(("text", "slots"), [
    ("move to 5pm", {"time": "17:00"}),
    ("can you move to friday", {"date": "2026-11-27"}),
    ("move to next week", {}),
])
def test_a_visit_moved_to_a_day_or_hour_names_no_move_of_house(parser: NluParser, text: str, slots: dict) -> None:
    p = parser.parse(text, now=NOW)
    assert (p.intent, p.slots) == ("reschedule", slots)


@pytest.mark.parametrize(("text", "destination"), [
    ("help me move to 5 Baker Street friday", "5 Baker Street"),
    ("I need to move to Shunyi on friday", "Shunyi"),
])
def test_a_move_to_a_place_is_still_a_move(parser: NluParser, text: str, destination: str) -> None:
    p = parser.parse(text, now=NOW)
    assert (p.intent, p.slots["service"], p.flags.get("destination")) == ("book", "moving", destination)


async def test_can_you_move_to_friday_moves_the_booked_clean(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 3pm, 88 Jianguo Road apt 1203, 13800001111")
    await c.say("yes")
    asked = await c.say("can you move to friday")
    assert asked.startswith("Order 20261124-0001: Wed 25 Nov, 15:00 → Fri 27 Nov, 15:00") and "Moving" not in asked
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, f"{order.date}", f"{order.time:%H:%M}") == ("deep_cleaning", "2026-11-27", "15:00")


def test_a_range_of_hours_to_book_is_still_a_range(parser: NluParser) -> None:
    p = parser.parse("regular cleaning tomorrow from 2 to 5pm", now=NOW)
    assert (p.intent, p.slots["time"], p.flags.get("range_hours")) == ("book", "14:00", 3)


async def test_move_from_3pm_to_5pm_moves_the_booked_clean(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 3pm, 88 Jianguo Road apt 1203, 13800001111")
    await c.say("yes")
    asked = await c.say("move from 3pm to 5pm")
    assert asked.startswith("Order 20261124-0001: Wed 25 Nov, 15:00 → Wed 25 Nov, 17:00") and "Moving" not in asked
    assert "now Wed 25 Nov, 17:00" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, f"{order.time:%H:%M}", order.status) == ("deep_cleaning", "17:00", "confirmed")


async def test_move_from_3pm_to_5pm_at_the_summary_changes_its_time(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 3pm, 88 Jianguo Road apt 1203, 13800001111")
    summary = await c.say("move from 3pm to 5pm")
    assert "· Service: Deep cleaning\n· When: Wed 25 Nov, 17:00" in summary and "two services" not in summary
    [order] = await all_orders(app)
    assert (order.service_id, f"{order.time:%H:%M}", order.status) == ("deep_cleaning", "17:00", "pending")


# ----- "今晚开锁" at 22:30: the locksmith comes round the clock, so tonight is not over ----------
@pytest.mark.parametrize(("lang", "text", "said"), [
    ("zh", "今晚开锁", "今晚最早 23:00 能上门，也可以换个更晚的时间或者改天。"),
    ("en", "locksmith tonight", "The soonest we can come tonight is 23:00, or pick a later time or another day."),
])
async def test_tonight_after_the_evening_offers_the_next_start_tonight(make_app, clock, lang: str, text: str,
                                                                        said: str) -> None:
    clock.advance(hours=2, minutes=30)  # 22:30
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(text)
    assert reply.startswith(said) and "已经过了" not in reply and "passed" not in reply, reply
    assert c.payloads == ["at:23:00"]
    await c.say(payload="at:23:00")
    await c.say("朝阳区建国路88号1号楼101" if lang == "zh" else "88 Jianguo Road apt 1203")
    summary = await c.say("13800001111")
    assert ("时间：11月24日（周二）23:00" if lang == "zh" else "When: Tue 24 Nov, 23:00") in summary, summary
    [order] = await all_orders(app)
    assert (order.service_id, f"{order.date} {order.time:%H:%M}") == ("lock_service", "2026-11-24 23:00")


# ----- "再来一次" / "same as last time" after a completed visit: the last order again --------------
@pytest.mark.parametrize(("again", "when", "lang"), [
    ("再来一次", "后天上午10点", "zh"),
    ("再约一次", "后天上午10点", "zh"),
    ("same as last time", "friday 10am", "en"),
    ("book the same again", "friday 10am", "en"),
])
async def test_the_same_again_after_a_completed_visit_asks_only_when(make_app, clock, again: str, when: str,
                                                                     lang: str) -> None:
    app, _, done = await completed(make_app, clock)  # 深度保洁, 朝阳区望京SOHO T1-1203, 13812345678
    c = Customer(app, lang=lang)
    asked = await c.say(again)
    assert ("请问约哪天、几点？" if lang == "zh" else "Which day and time suit you?") in asked, asked
    summary = await c.say(when)
    assert all(line in summary for line in (
        ("· 服务：深度保洁", "· 时间：11月27日（周五）10:00", "· 地址：朝阳区望京SOHO T1-1203", "· 电话：13812345678（沿用您上次留的号码）")
        if lang == "zh" else
        ("· Service: Deep cleaning", "· When: Fri 27 Nov, 10:00", "· Address: 朝阳区望京SOHO T1-1203",
         "· Phone: 13812345678 (the one you gave last time)"))), summary
    assert c.payloads == ["affirm", "deny", "cancel"]
    await c.say("确认" if lang == "zh" else "yes")
    orders = await all_orders(app)
    assert len(orders) == 2 and (await review_of(app, done.id))[1] is None  # no review comment made of it
    assert (orders[1].service_id, orders[1].address, orders[1].phone, f"{orders[1].date}", orders[1].status) == (
        "deep_cleaning", "朝阳区望京SOHO T1-1203", "13812345678", "2026-11-27", "confirmed")


async def test_the_same_move_again_keeps_its_route_and_name(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午9点从望京西园三区5号楼搬到顺义区后沙峪1号院，13800001111，王女士")
    await c.say("确认")
    await c.say("再约一次")
    summary = await c.say("下周六上午9点")
    assert "· 地址：望京西园三区5号楼" in summary and "顺义区后沙峪1号院" in summary and "王女士" in summary, summary
    await c.say("确认")
    again = (await all_orders(app))[1]
    assert (again.service_id, again.address, again.destination, again.name, f"{again.date}") == (
        "moving", "望京西园三区5号楼", "顺义区后沙峪1号院", "王女士", "2026-12-05")


def test_a_complaint_asking_them_back_is_no_booking_again(parser: NluParser) -> None:
    assert not parser.parse("窗户没擦干净，能再来一次吗", now=NOW).flags.get("repeat")
    assert parser.parse("再来一次", now=NOW).flags.get("repeat")


# ----- checked and found right; kept so they stay so ---------------------------------------------
async def test_an_unknown_field_of_a_pasted_form_goes_on_the_note(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say("Service: deep cleaning\nDate: tomorrow\nTime: 10am\nAddress: 88 Jianguo Road apt 1203\n"
                          "Phone: 13800001111\nName: Alice\nPets: 1 cat\nParking: basement B2")
    assert "· Notes: Pets: 1 cat; Parking: basement B2" in summary, summary
    [order] = await all_orders(app)
    assert (order.notes, order.quantity, order.name) == ("Pets: 1 cat; Parking: basement B2", None, "Alice")


@pytest.mark.parametrize(("text", "date"), [
    ("deep clean on 5/12 at 10am", "2027-05-12"),  # month/day; May 12 is past this year: the next one
    ("5/12上午10点深度保洁", "2027-05-12"),
    ("deep clean 12/5 at 10am", "2026-12-05"),
    ("deep clean next sat", "2026-12-05"),  # the Saturday of the following Monday-start week
    ("deep clean next sat 10am", "2026-12-05"),
    ("deep clean sat 10am", "2026-11-28"),
])
def test_dates_read_per_the_contract(parser: NluParser, text: str, date: str) -> None:
    assert parser.parse(text, now=NOW).slots["date"] == date


@pytest.mark.parametrize(("lang", "rooms", "said"), [
    ("en", "3 rooms", "3 rooms in one visit, noted for the technician"),
    ("zh", "3个房间", "3个房间一次上门，已记在备注里"),
])
async def test_rooms_for_a_deep_clean_priced_by_the_visit_are_noted(make_app, lang: str, rooms: str,
                                                                   said: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say("deep cleaning tomorrow 10am" if lang == "en" else "明天上午10点深度保洁")
    reply = await c.say(rooms)
    assert said in reply and "Noted:" not in reply and "已记下" not in reply, reply  # told once (qa18)
    await c.say("88 Jianguo Road apt 1203" if lang == "en" else "朝阳区建国路88号1号楼101")
    summary = await c.say("13800001111")
    assert (f"· Notes: {rooms}" if lang == "en" else f"· 备注：{rooms}") in summary, summary
    [order] = await all_orders(app)
    assert (order.service_id, order.quantity, order.notes) == ("deep_cleaning", None, rooms)
