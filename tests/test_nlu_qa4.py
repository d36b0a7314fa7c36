"""Round 4: misreads known after round 3 (README "Known misreads"), each as a class.

A question about opening hours is no lock-out; "instead" with a day moves the visit;
"不知道" is no "no"; a changed contact person is a name; the day an order was
placed is no visit date; items added up are no one quantity; an estate name after
English unit parts is still the address. Negative cases stand next to the positive
ones: precision matters more than recall.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ------------------------------------------------------------------ opening hours
@pytest.mark.parametrize("text", [
    "几点开门", "你们几点开门？", "周末营业吗", "明天早上几点开门", "你们晚上几点关门呀", "营业时间是几点到几点",
    "周日开门吗", "周六营业没", "what are your opening hours?", "what time do you open on Saturday?",
])
def test_a_question_about_opening_hours_is_no_booking(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots) == ("other", {})


@pytest.mark.parametrize(("text", "slots"), [
    ("明天下午帮我开门，钥匙锁里面了", {"service": "lock_service", "date": "2026-11-25", "period": "afternoon"}),
    ("能来开门吗，进不了家", {"service": "lock_service"}),
    ("师傅几点能来开门", {"service": "lock_service"}),
    ("你们几点开门？我钥匙丢了进不去", {"service": "lock_service"}),
    ("指纹锁开门没反应", {"service": "lock_service"}),
])
def test_opening_a_door_is_still_the_lock_service(parser: NluParser, text: str,
                                                  slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots) == ("book", slots)


# ------------------------------------------------------------------ "… instead" moves the visit
@pytest.mark.parametrize(("text", "slots"), [
    ("could the plumber come Thursday instead?",
     {"service": "drain_unclogging", "date": "2026-11-26"}),
    ("can you come on Friday instead", {"date": "2026-11-27"}),
    ("move it to tomorrow please", {"date": "2026-11-25"}),
    ("let's do Saturday morning instead", {"date": "2026-11-28", "period": "morning"}),
    ("Could the cleaner come at 3pm instead of 10?",
     {"service": "daily_cleaning", "time": "15:00"}),
])
def test_another_day_instead_is_a_reschedule(parser: NluParser, text: str, slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots) == ("reschedule", slots)
    assert r.flags.get("correction") is True


@pytest.mark.parametrize(("text", "intent"), [
    # another service instead, with no day, is no reschedule
    ("I'd like a deep clean instead", "book"),
    ("can I get window cleaning instead of daily cleaning?", "book"),
])
def test_another_thing_instead_is_no_reschedule(parser: NluParser, text: str, intent: str) -> None:
    assert parser.parse(text, now=NOW).intent == intent


# ------------------------------------------------------------------ "I don't know"
@pytest.mark.parametrize("text", [
    "不知道", "我也不知道", "不清楚", "我不太清楚", "不知道啊", "也不确定", "说不好", "不晓得",
    "I don't know", "not sure", "no idea", "dunno",
])
@pytest.mark.parametrize("expected", [None, "date", "name", "address"])
def test_dont_know_is_no_answer_and_no_no(parser: NluParser, text: str,
                                          expected: str | None) -> None:
    r = parser.parse(text, now=NOW, expected=expected)
    assert (r.intent, r.slots) == ("other", {})
    assert r.flags.get("dont_know") is True


@pytest.mark.parametrize(("text", "intent"), [
    ("不", "deny"), ("不用了", "deny"), ("不对", "deny"), ("no", "deny"),
    ("不知道怎么取消订单", "cancel"), ("我也不知道师傅什么时候到", "status"),
])
def test_a_no_and_dont_know_inside_a_request_keep_their_reading(parser: NluParser, text: str,
                                                                 intent: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == intent
    assert "dont_know" not in r.flags


# ------------------------------------------------------------------ a new contact person
@pytest.mark.parametrize(("text", "name"), [
    ("联系人改成王先生", "王先生"), ("联系人换成李女士", "李女士"), ("名字改成张三", "张三"),
    ("姓名改为欧阳娜娜", "欧阳娜娜"), ("称呼换成陈小姐吧", "陈小姐"), ("收件人改成 Grace", "Grace"),
])
def test_a_changed_contact_person_is_the_name(parser: NluParser, text: str, name: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots == {"name": name}
    assert r.intent == "book" and r.flags.get("correction") is True


@pytest.mark.parametrize("text", ["联系人改成我老婆的电话", "名字改一下", "名字改成什么都行"])
def test_changing_the_contact_without_a_name_gives_none(parser: NluParser, text: str) -> None:
    assert "name" not in parser.parse(text, now=NOW).slots


# ------------------------------------------------------------------ the day an order was placed
@pytest.mark.parametrize(("text", "intent", "slots"), [
    ("我昨天晚上下的单，怎么还没人联系", "status", {}),
    ("前天约的保洁确认了吗", "status", {"service": "daily_cleaning"}),
    ("I booked yesterday, is it confirmed?", "status", {}),
    # the visit's day in the same message is still read
    ("昨天下的单，能改到周五上午吗", "reschedule", {"date": "2026-11-27", "period": "morning"}),
])
def test_the_day_an_order_was_placed_is_no_visit_date(parser: NluParser, text: str, intent: str,
                                                       slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots) == (intent, slots)


@pytest.mark.parametrize(("text", "date"), [
    ("明天约的保洁能改到后天吗", "2026-11-26"),   # the later day is the one meant (改到)
    ("昨天来修的空调又坏了", "2026-11-23"),       # a past visit, not an order placed
])
def test_other_days_next_to_booking_words_stay(parser: NluParser, text: str, date: str) -> None:
    assert parser.parse(text, now=NOW).slots.get("date") == date


# ------------------------------------------------------------------ counts of different items
@pytest.mark.parametrize("text", [
    "装两个柜子加一张床 周日上午", "组装两张桌子和三把椅子", "assemble 2 beds and 1 wardrobe",
])
def test_counts_of_different_items_added_up_are_no_one_quantity(parser: NluParser,
                                                                text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots.get("service")) == ("book", "furniture_assembly")
    assert "quantity" not in r.slots


@pytest.mark.parametrize(("text", "quantity"), [
    ("要装两个柜子，周四下午", 2), ("两个房间，3小时", 2), ("洗两台空调和油烟机", 2),
])
def test_one_count_stays_the_quantity(parser: NluParser, text: str, quantity: int) -> None:
    assert parser.parse(text, now=NOW).slots.get("quantity") == quantity


# ------------------------------------------------------------------ an estate after English unit parts
@pytest.mark.parametrize(("text", "address"), [
    ("地址是 Flat 5B, Block 3, 翠湖天地", "Flat 5B, Block 3, 翠湖天地"),
    ("地址：Room 808, Tower 1, 仁恒滨江", "Room 808, Tower 1, 仁恒滨江"),
    ("地址是 Room 808, Tower 1, 谢谢", "Room 808, Tower 1"),
    ("地址是 Room 808, Tower 1, 快点来", "Room 808, Tower 1"),
])
def test_an_estate_name_after_english_unit_parts_ends_the_address(parser: NluParser, text: str,
                                                                  address: str) -> None:
    assert parser.parse(text, now=NOW).slots.get("address") == address


# ------------------------------------------------------------------ "I'd like to ask" is no booking
@pytest.mark.parametrize("text", [
    "我想问下发票怎么开", "我想问一下", "想咨询一下你们的服务", "我想了解一下你们公司", "I'd like to ask about invoices",
])
def test_wanting_to_ask_is_no_booking(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "other" and r.slots == {}


@pytest.mark.parametrize(("text", "intent"), [
    ("我想问一下明天下午能来做保洁吗", "book"), ("我想约个保洁", "book"), ("我想了解一下价格", "price"),
])
def test_a_request_asked_about_keeps_its_intent(parser: NluParser, text: str, intent: str) -> None:
    assert parser.parse(text, now=NOW).intent == intent


# ------------------------------------------------------------------ two bookings in one message
@pytest.mark.parametrize(("text", "first", "second"), [
    ("明天上午做个深度保洁，后天下午修空调", "deep_cleaning", "appliance_repair"),
    ("明天上午做保洁，另外后天下午还要修空调", "daily_cleaning", "appliance_repair"),
    ("保洁，明天上午；修空调，后天下午", "daily_cleaning", "appliance_repair"),
    ("deep clean tomorrow morning and fix the AC on saturday afternoon", "deep_cleaning", "appliance_repair"),
])
def test_two_bookings_in_one_message_are_read_one_after_the_other(parser: NluParser, text: str, first: str,
                                                                  second: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "book" and r.slots["service"] == first
    more = r.flags["more"]
    assert more["slots"]["service"] == second
    assert (more["slots"]["date"], more["slots"]["period"]) != (r.slots["date"], r.slots["period"])


def test_contact_details_said_once_go_with_both_bookings(parser: NluParser) -> None:
    r = parser.parse("明天上午保洁，后天下午修空调，地址望京SOHO T1-1203，电话13812345678", now=NOW)
    assert r.slots["address"] == r.flags["more"]["slots"]["address"] == "望京SOHO T1-1203"
    assert r.slots["phone"] == r.flags["more"]["slots"]["phone"] == "13812345678"
    third = parser.parse("明天上午保洁，后天下午修空调，大后天搬家", now=NOW).flags["more"]["more"]
    assert third["slots"]["service"] == "moving"


@pytest.mark.parametrize("text", [
    "明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678",
    "深度保洁，顺便擦玻璃，明天下午3点",         # one when for both: one visit
    "明天下午3点深度保洁，顺便擦玻璃",           # the second has no when of its own
    "空调不制冷，明天下午来修",
    "明天上午深度保洁，不对，后天下午日常保洁",   # a correction, not a second booking
])
def test_one_booking_stays_one(parser: NluParser, text: str) -> None:
    assert "more" not in parser.parse(text, now=NOW).flags


# ------------------------------------------------------------------ a move's two addresses
@pytest.mark.parametrize(("text", "address", "destination"), [
    ("搬家，从望京SOHO搬到回龙观", "望京SOHO", "回龙观"),
    ("下周六搬家，从朝阳区望京SOHO T1-1203搬到海淀区上地东里5号楼", "朝阳区望京SOHO T1-1203", "海淀区上地东里5号楼"),
    ("周六上午搬家从望京SOHO搬到回龙观", "望京SOHO", "回龙观"),
    ("周六搬家 望京SOHO搬到回龙观", "望京SOHO", "回龙观"),
    ("我家要搬到回龙观，下周六", None, "回龙观"),    # "我家" is no place to go to: asked for
    ("moving from 18 Orchard Road to 5 Marina Bay on Saturday", "18 Orchard Road", "5 Marina Bay"),
])
def test_a_move_starts_at_the_address_and_ends_at_its_destination(parser: NluParser, text: str,
                                                                  address: str | None, destination: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots["service"] == "moving" and r.slots.get("address") == address
    assert r.flags["destination"] == destination


@pytest.mark.parametrize("text", [
    "从卧室搬到客厅，帮我搬个柜子", "move the sofa from the bedroom to the living room",
    "明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678", "搬家，从2点到4点可以吗",
])
def test_no_move_between_places_has_no_destination(parser: NluParser, text: str) -> None:
    assert "destination" not in parser.parse(text, now=NOW).flags


@pytest.mark.parametrize(("text", "intent"), [
    ("move the sofa from the bedroom to the living room tomorrow", "book"),  # furniture, not the visit
    ("move it to tomorrow", "reschedule"), ("can you move my booking to friday 3pm", "reschedule"),
])
def test_moving_things_from_a_place_is_no_reschedule(parser: NluParser, text: str, intent: str) -> None:
    assert parser.parse(text, now=NOW).intent == intent
