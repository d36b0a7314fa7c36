"""Phone numbers as customers get them wrong or give more than one: a number typed in
groups with a digit too many, a wrong number inside a longer message, a second number
(a spouse's), a local landline without its area code, a "wrong address" mid-booking.
What the customer sees and what the order keeps are both checked."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.phone import find_phones
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday
BOOKING = "明天下午3点深度保洁"
ADDRESS = "朝阳区望京西园三区312号楼1203"


async def at_the_phone_question(app, lang: str = "zh") -> Customer:
    """A customer (one per language) who has booked a deep clean up to the phone question."""
    c = Customer(app, user=f"u-{lang}", lang=None if lang == "zh" else lang)
    if lang == "zh":
        await c.say(BOOKING)
        assert "联系电话" in await c.say(ADDRESS)
    else:
        assert "phone number" in await c.say("deep cleaning tomorrow 10am, 12 Baker Street")
    return c


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize("text", ["138 1234 5678 9", "138-1234-5678-9"])
def test_a_grouped_number_with_a_digit_too_many_is_no_phone(parser: NluParser, text: str) -> None:
    assert find_phones(text) == []
    r = parser.parse(text, now=NOW, expected="phone")
    assert "phone" not in r.slots and r.flags["bad_phone"] == "138123456789"


@pytest.mark.parametrize("text", ["138 1234 5678", "电话 138 1234 5678 明天3点", "13812345678"])
def test_a_grouped_number_that_ends_is_still_read(text: str) -> None:
    assert [s.value for s in find_phones(text)] == ["13812345678"]


async def test_a_digit_too_many_is_said_and_nothing_is_stored(make_app) -> None:
    app = await make_app()
    c = await at_the_phone_question(app)
    answer = await c.say("138 1234 5678 9")
    assert "138123456789（12 位）" in answer and "11 位" in answer and "请核对订单" not in answer
    assert await all_orders(app) == []
    summary = await c.say("13812345678")
    assert "请核对订单" in summary
    assert [o.phone for o in await all_orders(app)] == ["13812345678"]


@pytest.mark.parametrize(("text", "phone", "others"), [
    ("我老公电话13811110000，我的13922220000", "13922220000", [("我老公", "13811110000")]),
    ("my number is 13811110000, or my husband 13922220000", "13811110000", [("my husband", "13922220000")]),
    ("13811110000 13922220000", "13811110000", [("", "13922220000")]),   # no owner said: the first
])
def test_of_two_numbers_the_customers_own_is_the_phone(parser: NluParser, text: str, phone: str,
                                                       others: list[tuple[str, str]]) -> None:
    r = parser.parse(text, now=NOW, expected="phone")
    assert r.slots["phone"] == phone and r.flags["other_phones"] == others


def test_a_corrected_number_is_no_second_number(parser: NluParser) -> None:
    r = parser.parse("不是13811110000，是13922220000", now=NOW, expected="phone")
    assert r.slots["phone"] == "13922220000" and "other_phones" not in r.flags


async def test_a_second_number_goes_on_the_note(make_app) -> None:
    app = await make_app()
    c = await at_the_phone_question(app)
    summary = await c.say("我老公电话13811110000，我的13922220000")
    assert "电话：13922220000" in summary and "备注：☎我老公 13811110000" in summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.phone, order.notes) == ("13922220000", "☎我老公 13811110000")
    en = await at_the_phone_question(app, "en")
    summary = await en.say("my number is 13811110000, or my husband 13922220000")
    assert "Phone: 13811110000" in summary and "☎my husband 13922220000" in summary


@pytest.mark.parametrize(("wrong", "lang"), [("不要这个地址了", None), ("地址错了", None),
                                             ("the address is wrong", "en")])
async def test_a_wrong_address_mid_booking_is_asked_again(make_app, wrong: str, lang: str | None) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say("deep cleaning tomorrow 3pm" if lang else BOOKING)
    asked_phone = await c.say("12 Baker Street" if lang else ADDRESS)
    answer = await c.say(wrong)
    assert ("address" in answer if lang else "地址" in answer) and answer != asked_phone
    assert "没太明白" not in answer and "understand" not in answer
    again = await c.say("34 King Road" if lang else "海淀区上地东里5号楼301")
    assert again.splitlines()[-1] == asked_phone.splitlines()[-1]   # then on with the phone
    summary = await c.say("13812345678")
    assert ("34 King Road" if lang else "海淀区上地东里5号楼301") in summary
    [order] = await all_orders(app)
    assert order.address == ("34 King Road" if lang else "海淀区上地东里5号楼301")


@pytest.mark.parametrize(("text", "digits"), [
    ("deep cleaning tomorrow 10am, 12 Baker Street, phone 1381234567", "1381234567"),
    ("明天下午3点深度保洁，望京SOHO T1-1203，电话：138123456", "138123456"),
])
def test_a_wrong_number_inside_a_booking_is_flagged_not_noted(parser: NluParser, text: str, digits: str) -> None:
    r = parser.parse(text, now=NOW)
    assert "phone" not in r.slots and r.flags["bad_phone"] == digits and "note" not in r.flags


def test_an_order_number_is_no_wrong_phone(parser: NluParser) -> None:
    assert "bad_phone" not in parser.parse("my order number is 20261127-0001", now=NOW).flags


async def test_a_wrong_number_inside_a_booking_is_said(make_app) -> None:
    app = await make_app()
    en = Customer(app, lang="en")
    answer = await en.say("deep cleaning tomorrow 10am, 12 Baker Street, phone 1381234567")
    assert "1381234567 (10 digits)" in answer and "11 digits" in answer and "phone number" in answer
    summary = await en.say("13812345678")
    assert "Phone: 13812345678" in summary and "Notes" not in summary
    c = Customer(app, user="u2")
    answer = await c.say("明天下午3点深度保洁，望京SOHO T1-1203，电话：138123456，家里有猫")
    assert "138123456（9 位）" in answer and "联系电话" in answer
    await c.say("13812345678")
    assert [(o.phone, o.notes) for o in await all_orders(app)] == [("13812345678", None), ("13812345678", "家里有猫")]


@pytest.mark.parametrize(("digits", "landline"), [("62345678", True), ("6234567", True), ("1381234567", False),
                                                   ("07700900123", False), ("01062345678", False)])
def test_a_local_landline_is_told_apart(digits: str, landline: bool) -> None:
    from nlu.phone import is_local_landline

    assert is_local_landline(digits) is landline


async def test_a_landline_without_area_code_is_asked_for_it(make_app) -> None:
    app = await make_app()
    c = await at_the_phone_question(app)
    answer = await c.say("62345678")
    assert "62345678（8 位）" in answer and "区号" in answer and "国外号码" not in answer
    assert "请核对订单" in await c.say("010-6234 5678")
    assert [o.phone for o in await all_orders(app)] == ["01062345678"]
    en = await at_the_phone_question(app, "en")
    assert "area code" in await en.say("62345678")


async def test_no_number_at_the_phone_question_is_asked_for_one(make_app) -> None:
    app = await make_app()
    c = await at_the_phone_question(app)
    answer = await c.say("电话就是我微信号")
    assert "没太明白" not in answer and "需要一个电话号码" in answer and "联系电话" in answer
    assert await all_orders(app) == []
    en = await at_the_phone_question(app, "en")
    answer = await en.say("just use my wechat")
    assert "need a phone number" in answer and "didn't catch" not in answer


async def test_a_wrong_address_once_booked_asks_for_the_new_one(make_app) -> None:
    app = await make_app()
    c = await at_the_phone_question(app)
    await c.say("13812345678")
    await c.say("确认")
    asked = await c.say("不要这个地址了")
    assert "新地址" in asked and "没太明白" not in asked
    proposed = await c.say("海淀区上地东里5号楼301")
    assert f"{ADDRESS} → 海淀区上地东里5号楼301" in proposed
    assert "已改好" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.address, order.phone) == ("海淀区上地东里5号楼301", "13812345678")


async def test_a_wrong_address_with_several_orders_asks_which_then_the_new_one(make_app) -> None:
    app = await make_app()
    en = await at_the_phone_question(app, "en")
    await en.say("13812345678")
    await en.say("yes")
    await en.say("window cleaning on Monday 10am, 12 Baker Street")
    await en.say("yes")
    await en.say("hello")   # not right after a booking: the address of which order?
    assert "Which one" in await en.say("the address is wrong")
    assert "new address" in await en.say("the deep cleaning one")
    assert "12 Baker Street → 34 King Road" in await en.say("34 King Road")
    await en.say("yes")
    assert [o.address for o in await all_orders(app)] == ["34 King Road", "12 Baker Street"]


async def test_never_mind_to_the_new_phone_keeps_the_order(make_app) -> None:
    app = await make_app()
    c = await at_the_phone_question(app)
    await c.say("13812345678")
    await c.say("确认")
    assert "新联系电话" in await c.say("电话错了")
    assert "保持不变" in await c.say("算了")
    assert [o.phone for o in await all_orders(app)] == ["13812345678"]
