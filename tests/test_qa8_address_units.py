"""QA round 8: a building, unit or room said apart from the address (after the phone, or
in a clause of its own) is the address's, not lost: "朝阳区望京SOHO，138…，T1栋1203"."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

ZH = "明天上午10点深度保洁，"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize("text, address, note", [
    (ZH + "朝阳区望京SOHO，13812345678，T1栋1203", "朝阳区望京SOHO T1栋1203", None),
    (ZH + "朝阳区望京SOHO，T1栋1203，13812345678", "朝阳区望京SOHO T1栋1203", None),
    (ZH + "朝阳区望京SOHO，13812345678，3号楼，家里有猫", "朝阳区望京SOHO 3号楼", "家里有猫"),
    ("Deep clean tomorrow at 10am, 88 Jianguo Road, 13812345678, apt 1203", "88 Jianguo Road, apt 1203", None),
    # the address has its room already: a floor after it says something else (a note)
    (ZH + "朝阳区望京SOHO T1-1203，13812345678，没有电梯，6楼", "朝阳区望京SOHO T1-1203", "没有电梯，6楼"),
    # a count is no unit
    (ZH + "朝阳区望京SOHO，13812345678，3个房间", "朝阳区望京SOHO", None),
])
def test_units_said_apart_join_the_address(parser: NluParser, text: str, address: str, note: str | None) -> None:
    parsed = parser.parse(text, now=NOW)
    assert parsed.slots["address"] == address
    assert parsed.flags.get("note") == note


async def test_the_room_after_the_phone_is_booked_with_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(ZH + "朝阳区望京SOHO，13812345678，T1栋1203")
    assert "地址：朝阳区望京SOHO T1栋1203" in summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert order.address == "朝阳区望京SOHO T1栋1203"
