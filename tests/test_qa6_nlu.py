"""Round 6 (QA): words that are no address saved as one, "same address as last time",
and notes inside the booking message. Negative cases stand next to the positive ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_dialogue_qa import booked

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ------------------------------------------------------------------ answers to "what is the address?"
@pytest.mark.parametrize(("text", "slots"), [
    ("好的那就这样", {}), ("家里", {}), ("我在公司 晚点回家", {}),
    # what is left of a time or a day once it is taken ("还是", "等等,是", "那就") is no address
    ("还是下午3点吧", {"time": "15:00"}),
    ("等等，是周日", {"date": "2026-11-29"}),
    ("那就11月30号", {"date": "2026-11-30"}),
    ("oh wait, make it Sunday", {"date": "2026-11-29"}),
    ("right now please", {}),
    ("收货人：王小明", {"name": "王小明"}),  # a name, with its label
])
def test_words_that_name_no_place_are_no_address(parser: NluParser, text: str, slots: dict) -> None:
    assert parser.parse(text, now=NOW, expected="address").slots == slots


@pytest.mark.parametrize(("text", "address"), [
    ("朝阳区望京SOHO", "朝阳区望京SOHO"), ("T1-1203", "T1-1203"), ("阳光100", "阳光100"),
    ("88 Jianguo Road", "88 Jianguo Road"), ("Raffles Place", "Raffles Place"), ("华为公司", "华为公司"),
    ("Flat 3, Rose Court", "Flat 3, Rose Court"), ("Wangjing SOHO", "Wangjing SOHO"),
])
def test_a_place_still_answers(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text, now=NOW, expected="address").slots.get("address") == address


@pytest.mark.parametrize(("text", "expected", "slots"), [
    ("跟上次一样", "address", {}),
    ("就是上次那个地址", "address", {}),
    ("same as last time", "address", {}),
    ("后天下午3点修空调，地址一样", None,
     {"service": "appliance_repair", "date": "2026-11-26", "time": "15:00"}),
    ("明天上午10点深度保洁，地址跟上次一样", None, {"service": "deep_cleaning", "date": "2026-11-25", "time": "10:00"}),
    ("还是老地方", None, {}),
    ("deep clean tomorrow 3pm, same address as last time", None,
     {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}),
])
def test_the_same_address_as_last_time_is_a_flag(parser: NluParser, text: str, expected: str | None,
                                                   slots: dict) -> None:
    r = parser.parse(text, now=NOW, expected=expected)
    assert r.flags.get("same_address") and r.slots == slots, r


@pytest.mark.parametrize(("text", "expected"), [
    ("跟上次一样", None),  # not asked for the address: the service, the time? No address is said
    ("跟上次一样的服务", "address"),
    ("上次那个师傅很好", None),
    ("之前的地址写错了，是朝阳区望京SOHO", None),
    ("不是上次那个地址", "address"),
])
def test_other_words_about_last_time_are_not(parser: NluParser, text: str, expected: str | None) -> None:
    assert not parser.parse(text, now=NOW, expected=expected).flags.get("same_address")


# ------------------------------------------------------------------ the dialogue
async def test_an_answer_that_is_no_address_asks_again(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "地址" in await c.say("后天上午9点擦玻璃")
    for text in ("好的那就这样", "家里", "跟上次一样", "就是上次那个地址", "我在公司 晚点回家"):
        assert "地址" in await c.say(text), text
    reply = await c.say("还是下午3点吧")
    assert "15:00" in reply and "地址" in reply, "the time is taken and the address asked again"
    reply = await c.say("等等，是周日")
    assert "周日" in reply and "地址" in reply
    assert "王小明" in await c.say("收货人：王小明")
    reply = await c.say("朝阳区望京SOHO T1-1203 13812345678")
    assert "请核对订单" in reply and "朝阳区望京SOHO T1-1203" in reply and "15:00" in reply
    [order] = await all_orders(app)
    assert (order.address, order.name, order.time.isoformat()) == ("朝阳区望京SOHO T1-1203", "王小明", "15:00:00")


async def test_an_english_correction_is_no_address(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "address" in (await c.say("window cleaning the day after tomorrow at 9am")).lower()
    reply = await c.say("oh wait, make it Sunday")
    assert "Sun" in reply and "address" in reply.lower() and "make it" not in reply


@pytest.mark.parametrize("text", ["后天下午3点修空调，地址一样", "后天下午3点修空调，还是上次那个地址"])
async def test_the_same_address_as_last_time_is_the_last_orders(make_app, text: str) -> None:
    app = await make_app()
    c = await booked(app)
    reply = await c.say(text)
    assert "请核对订单" in reply and "望京SOHO T1-1203" in reply and "一样" not in reply, reply


async def test_same_as_last_time_answers_the_address_question(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    assert "地址" in await c.say("后天上午9点擦玻璃")
    reply = await c.say("跟上次一样")
    assert "请核对订单" in reply and "望京SOHO T1-1203" in reply, reply


async def test_the_same_address_with_no_order_before_is_asked_for(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("后天下午3点修空调，地址一样")
    assert "还没有您之前的地址" in reply and "请问服务地址是" in reply and "一样" not in reply
    [order] = await all_orders(app) or [None]
    assert order is None


# ------------------------------------------------------------------ notes inside the booking message
BOOKING_ZH = "明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678"
WHOLE = {"service": "deep_cleaning", "date": "2026-11-25", "time": "10:00",
         "address": "朝阳区望京SOHO T1-1203", "phone": "13812345678"}


@pytest.mark.parametrize(("text", "slots", "note"), [
    (BOOKING_ZH + "，备注：带梯子", WHOLE, "带梯子"),
    (BOOKING_ZH + "，家里有猫请别开阳台门", WHOLE, "家里有猫请别开阳台门"),
    (BOOKING_ZH + "，注意：楼下有狗", WHOLE, "楼下有狗"),
    (BOOKING_ZH + "，备注：下午3点以后家里没人，2只猫", WHOLE, "下午3点以后家里没人，2只猫"),  # not read as slots
    ("deep clean tomorrow 10am, 12 Baker Street, 13812345678. Note: we have a dog",
     {**WHOLE, "address": "12 Baker Street"}, "we have a dog"),
    ("deep clean tomorrow 10am, 12 Baker Street, please bring a ladder",
     {k: v for k, v in WHOLE.items() if k != "phone"} | {"address": "12 Baker Street"},
     "please bring a ladder"),
    ("明天保洁，别忘了带梯子", {"service": "daily_cleaning", "date": "2026-11-25"}, "别忘了带梯子"),
    ("备注：家里有猫", {}, "家里有猫"),
    ("备注2只猫", {}, "2只猫"),
    # An unread clause anywhere is the customer's word to the staff (tests/test_qa9_asides.py)
    ("明天保洁，记得带鞋套，电话13812345678",
     {"service": "daily_cleaning", "date": "2026-11-25", "phone": "13812345678"}, "记得带鞋套"),
    ("notebook坏了，明天来修", {"date": "2026-11-25"}, "notebook坏了"),  # note as part of a word: the whole clause
])
def test_a_note_in_the_message_is_the_note(parser: NluParser, text: str, slots: dict, note: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots, r.flags.get("note")) == (slots, note)


@pytest.mark.parametrize("text", [
    "明天上午保洁，请下午3点来",  # a time: the booking's own words
    "明天下午保洁，别墅区88号",  # "明天保洁，特别脏": an aside now (tests/test_qa7_notes.py) "deep clean tomorrow, please come asap",
    "明天上午深度保洁", "注意安全", "明天保洁，不要了", "帮我转人工，别让机器人回了",  # no booking before it
    "明天修 PS4 手柄",  # PS as part of a word
])
def test_no_note_where_there_is_none(parser: NluParser, text: str) -> None:
    assert "note" not in parser.parse(text, now=NOW).flags


@pytest.mark.parametrize(("text", "note", "shown"), [
    (BOOKING_ZH + "，备注：带梯子", "带梯子", "备注：带梯子"),
    (BOOKING_ZH + "，家里有猫请别开阳台门", "家里有猫请别开阳台门", "备注：家里有猫请别开阳台门"),
])
async def test_the_note_reaches_the_summary_and_the_order(make_app, text: str, note: str, shown: str) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say(text)
    assert "请核对订单" in reply and shown in reply, reply
    [order] = await all_orders(app)
    assert order.notes == note


async def test_an_english_note_reaches_the_summary(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("deep clean tomorrow 10am, 12 Baker Street, 13812345678. Note: we have a dog")
    assert "Notes: we have a dog" in reply, reply


def test_where_a_move_ends_may_still_be_a_bare_area(parser: NluParser) -> None:
    """A mover needs the area only: "回龙观" to "where are you moving to?" stays a place,
    while to "what is the address?" (the door, for a visit) it is asked again."""
    assert parser.parse("回龙观", now=NOW, expected="destination").slots == {"address": "回龙观"}
    assert "address" not in parser.parse("回龙观", now=NOW, expected="address").slots
