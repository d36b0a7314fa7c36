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
