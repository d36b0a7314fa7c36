"""A value said not to be the one, with the one instead ("不要明天了，后天吧", "不是深度保洁，是日常
保洁"): the booking goes on with the value said instead, never cancelled, and the value said not
to be is not taken. Said alone ("不要了", "这单不要了", "不要擦玻璃了") a no is still a cancel.
The clock of the tests: Tue 2026-11-24 20:00, so 明天 is 11-25 and 后天 11-26."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from storage.catalog import demo_catalog
from nlu.pipeline import NluParser
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BOOKING = "明天下午3点深度保洁，朝阳区望京西园三区312号楼1203，电话13800003333"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


def read(parser: NluParser, text: str) -> tuple[str, dict]:
    parsed = parser.parse(text, now=NOW)
    return parsed.intent, parsed.slots


# ----- the readings -------------------------------------------------------------------
@pytest.mark.parametrize("text, slots", [
    ("不要明天了，后天吧", {"date": "2026-11-26"}),
    ("不要下午了，改上午10点", {"time": "10:00"}),
    ("不用下午了，上午吧", {"period": "morning"}),
])
def test_a_value_given_up_for_another_is_a_correction(parser: NluParser, text: str, slots: dict) -> None:
    intent, read_slots = read(parser, text)
    assert (intent, read_slots) == ("book", slots)
    assert parser.parse(text, now=NOW).flags.get("correction")


@pytest.mark.parametrize("text", ["不要了", "不要了，取消吧", "这单不要了", "明天的保洁不要了", "不要擦玻璃了"])
def test_a_no_with_nothing_instead_is_still_a_cancel(parser: NluParser, text: str) -> None:
    assert read(parser, text)[0] == "cancel"


def test_the_address_given_up_is_asked_again_not_a_cancel(parser: NluParser) -> None:
    parsed = parser.parse("不要这个地址了", now=NOW)
    assert parsed.intent != "cancel" and parsed.flags.get("wrong_field") == "address"
    assert parser.parse("不用原来的电话了", now=NOW).flags.get("wrong_field") == "phone"


# ----- what the customer sees ---------------------------------------------------------
async def test_another_day_mid_booking_keeps_the_booking(make_app) -> None:
    """"不要明天了，后天吧" cancelled the booking under way ("这次预约已取消")."""
    c = Customer(await make_app())
    await c.say("明天下午3点深度保洁")
    said = await c.say("不要明天了，后天吧")
    assert "已取消" not in said and "11月26日" in said and "15:00" in said and "地址" in said, said


async def test_another_time_at_the_summary_replaces_it(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING)
    said = await c.say("不要下午了，改上午10点")
    assert "时间：11月25日（周三）10:00" in said and "已取消" not in said, said
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert order.status == "confirmed" and order.time.strftime("%H:%M") == "10:00"


async def test_the_address_given_up_at_the_summary_is_asked_again(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING)
    assert "服务地址" in await c.say("不要这个地址了")
    assert "地址：海淀区中关村大街1号" in await c.say("海淀区中关村大街1号")
    await c.say("确认")
    assert [o.address for o in await all_orders(app)] == ["海淀区中关村大街1号"]


async def test_another_day_once_booked_offers_the_move(make_app) -> None:
    """Once booked, "不要明天了，后天吧" asked "确定要取消这个订单吗？"."""
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING)
    await c.say("确认")
    offered = await c.say("不要明天了，后天吧")
    assert "取消" not in offered.split("\n")[0] and "11月26日" in offered, offered
    await c.say("确认修改")
    [order] = await all_orders(app)
    assert (order.status, order.date.isoformat()) == ("confirmed", "2026-11-26")


# ----- a value said not to be, and the one instead ("不是X，是Y", "不要X，Y吧", "not X, Y") ----------
@pytest.mark.parametrize("text, slots", [
    ("不是深度保洁，是日常保洁", {"service": "daily_cleaning"}),
    ("不要下午，上午吧", {"period": "morning"}),
    ("不要3点，4点吧", {"time": "16:00"}),
    ("是4点不是3点", {"time": "16:00"}),
    ("不是3点，是4点", {"time": "16:00"}),
    ("我不姓王，姓汪", {"name": "汪"}),
    ("不是王先生，是汪先生", {"name": "汪先生"}),
    ("not deep cleaning, regular cleaning", {"service": "daily_cleaning"}),
    ("not 3pm, 4pm", {"time": "16:00"}),
    ("not tomorrow, thursday", {"date": "2026-11-26"}),
    ("saturday, not tomorrow", {"date": "2026-11-28"}),
])
def test_the_value_said_instead_is_taken(parser: NluParser, text: str, slots: dict) -> None:
    assert read(parser, text) == ("book", slots)


@pytest.mark.parametrize("text", ["我不姓王", "我不是王先生"])
def test_a_name_said_not_to_be_is_no_name(parser: NluParser, text: str) -> None:
    assert "name" not in read(parser, text)[1]


def test_a_question_with_no_in_it_keeps_its_day(parser: NluParser) -> None:
    """"是不是明天下午来" has 不是 before a day, with no other day said: it is that day."""
    assert read(parser, "是不是明天下午来")[1] == {"date": "2026-11-25", "period": "afternoon"}


@pytest.mark.parametrize("words, shown", [
    ("不是深度保洁，是日常保洁", "服务：日常保洁"),
    ("不要下午，上午吧", "时间：11月25日（周三）上午"),
    ("不要3点，4点吧", "时间：11月25日（周三）16:00"),
    ("不是3点，是4点", "时间：11月25日（周三）16:00"),
])
async def test_at_the_summary_the_value_said_instead_replaces(make_app, words: str, shown: str) -> None:
    c = Customer(await make_app())
    await c.say(BOOKING)
    assert shown in await c.say(words)


async def test_a_surname_put_right_keeps_the_title(make_app) -> None:
    """"我不姓王，姓汪" to 王先生 showed 称呼 "王"; "我不姓王" with no name set 称呼 "王"."""
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING + "，王先生")
    assert "称呼：汪先生" in await c.say("我不姓王，姓汪")
    await c.say("确认")
    assert [o.name for o in await all_orders(app)] == ["汪先生"]
    nameless = Customer(app, user="u2")
    await nameless.say(BOOKING)
    assert "称呼" not in await nameless.say("我不姓王")


async def test_english_not_this_but_that_at_the_summary(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    await c.say("deep cleaning tomorrow 3pm, 88 Jianguo Road apt 1203, 13812345678")
    assert "Service: Regular cleaning" in await c.say("not deep cleaning, regular cleaning")
    assert "When: Wed 25 Nov, 16:00" in await c.say("not 3pm, 4pm")
    assert "When: Thu 26 Nov, 16:00" in await c.say("not tomorrow, thursday")


def test_a_surname_alone_takes_the_title_it_replaces() -> None:
    from handlers.slots import merge

    assert merge({"name": "王先生"}, {"name": "汪"})["name"] == "汪先生"
    assert merge({"name": "王小明"}, {"name": "汪"})["name"] == "汪"
    assert merge({"name": "王女士"}, {"name": "汪女士"})["name"] == "汪女士"
    assert merge({}, {"name": "汪"})["name"] == "汪"


def test_english_dont_with_another_said_instead(parser: NluParser) -> None:
    """"don't come tomorrow, come friday" was a cancel of tomorrow; "…tomorrow, don't come before
    10am" names no other hour, so its hour stays as read."""
    assert read(parser, "don't come tomorrow, come thursday") == ("book", {"date": "2026-11-26"})
    assert read(parser, "don't come tomorrow")[0] == "cancel"
    assert read(parser, "I don't want the afternoon, morning please")[1] == {"period": "morning"}


async def test_a_surname_put_right_once_booked_keeps_the_title(make_app) -> None:
    """Once booked, "我不姓王，姓汪" offered "称呼：王先生 → 汪"."""
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING + "，王先生")
    await c.say("确认")
    assert "王先生 → 汪先生" in await c.say("我不姓王，姓汪")
    await c.say("确认")
    assert [o.name for o in await all_orders(app)] == ["汪先生"]


async def test_a_no_with_nothing_instead_still_cancels(make_app) -> None:
    """With nothing said instead, the no stays a cancel: of the booking under way, or of the order."""
    app = await make_app()
    drafting = Customer(app)
    await drafting.say(BOOKING)
    assert "已取消" in await drafting.say("不要了，取消吧")
    booked = Customer(app, user="u2")
    await booked.say(BOOKING)
    await booked.say("确认")
    assert "确定要取消这个订单吗" in await booked.say("明天的保洁不要了")
    assert "已取消" in await booked.say("确认")
    assert {o.status for o in await all_orders(app)} == {"cancelled"}
