"""Things said in part, as people answer: a service by the part of its name that tells it
from another ("深度的" once 保洁 was read as 日常保洁), a room number a "no" puts right
("不对，是1806" after "…1608")."""

from __future__ import annotations

import pytest

from nlu.corrections import fixed_address, room_fix
from nlu.services import ServiceMatcher
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders


def test_the_parts_that_tell_services_apart() -> None:
    m = ServiceMatcher(demo_catalog())
    assert m.named_by_part("深度的") == m.named_by_part("深度") == "深度保洁"
    assert m.named_by_part("要日常那个吧") == "日常保洁"
    assert m.named_by_part("the deep one") == m.named_by_part("deep") == "deep cleaning"
    assert m.named_by_part("regular please") == "regular cleaning"
    # a part other names hold too ("appliance": cleaning and repair), or one inside a sentence
    assert m.named_by_part("appliance") is None
    assert m.named_by_part("深度清洁怎么样") is None and m.named_by_part("I want a deep clean tomorrow") is None


@pytest.mark.parametrize("text, room", [
    ("不对，是1806", "1806"), ("错了，应该是1806", "1806"), ("写错了 1806室", "1806"),
    ("no, 1806", "1806"), ("sorry, it's 1806", "1806"),
    ("不对，是3点", None), ("不对，是13812345678", None), ("不对，是2台", None), ("1806", None),
])
def test_a_no_and_a_room_number_puts_the_room_right(text: str, room: str | None) -> None:
    assert room_fix(text) == room


@pytest.mark.parametrize("lang, first, part, service, name", [
    ("zh", "我要约保洁", "深度的", "deep_cleaning", "深度保洁"),
    ("zh", "想约个深度保洁", "日常的吧", "daily_cleaning", "日常保洁"),
    ("en", "I need a cleaner", "the deep one", "deep_cleaning", "Deep cleaning"),
])
async def test_a_service_named_in_part_changes_the_one_being_booked(make_app, lang: str, first: str, part: str,
                                                                    service: str, name: str) -> None:
    c = Customer(await make_app(), lang=lang)
    await c.say(first)
    reply = await c.say(part)
    assert name in reply and ("哪天" in reply or "Which day" in reply)
    await c.say("明天下午三点，朝阳区望京SOHO T1-1203，13812345678")
    await c.say("确认" if lang == "zh" else "yes")
    [o] = await all_orders(c.app)
    assert (o.status, o.service_id) == ("confirmed", service)


async def test_a_mistyped_room_is_put_right_while_the_phone_is_asked(make_app) -> None:
    c = Customer(await make_app())
    await c.say("深度保洁 周日下午两点")
    assert "电话" in await c.say("海淀区中关村大街27号 中关村大厦 1608")
    reply = await c.say("不对，是1806")
    assert "中关村大厦 1806" in reply and "电话" in reply and "需要一个电话号码" not in reply
    await c.say("15800001234")
    await c.say("确认")
    [o] = await all_orders(c.app)
    assert o.address == "海淀区中关村大街27号 中关村大厦 1806"


@pytest.mark.parametrize("lang, booking, fix, address", [
    ("zh", "深度保洁 周日下午两点 海淀区中关村大街27号 中关村大厦 1608 15800001234", "不对，是1806",
     "海淀区中关村大街27号 中关村大厦 1806"),
    ("en", "deep clean sunday 2pm, 27 Zhongguancun Street, apt 1608, 15800001234", "no, 1806",
     "27 Zhongguancun Street, apt 1806"),
])
async def test_a_mistyped_room_is_put_right_at_the_summary(make_app, lang: str, booking: str, fix: str,
                                                           address: str) -> None:
    c = Customer(await make_app(), lang=lang)
    await c.say(booking)
    reply = await c.say(fix)
    assert address in reply and c.payloads == ["affirm", "deny", "cancel"]
    await c.say("确认" if lang == "zh" else "yes")
    [o] = await all_orders(c.app)
    assert o.address == address


@pytest.mark.parametrize("address, unit, fixed", [
    ("朝阳区望京SOHO T1-1203", "4号楼", "朝阳区望京SOHO 4号楼1203"),  # its building written its own way
    ("望京SOHO T1栋1203室", "B座", "望京SOHO B座1203室"),
    ("朝阳区花家地小区3号楼1203", "4号楼", "朝阳区花家地小区4号楼1203"),
    ("朝阳区望京西园三区5号楼1单元802", "B座", "朝阳区望京西园三区B座1单元802"),
    ("海淀区中关村大街27号 中关村大厦 1608", "4号楼", "海淀区中关村大街27号 中关村大厦 4号楼1608"),  # none: put before
    ("朝阳区望京SOHO T1-1203", "3单元", "朝阳区望京SOHO T1 3单元1203"),
])
def test_a_building_said_alone_keeps_the_room(address: str, unit: str, fixed: str) -> None:
    assert fixed_address(address, [], unit) == fixed


@pytest.mark.parametrize("booking, fix, address", [
    ("明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678", "4号楼", "朝阳区望京SOHO 4号楼1203"),
    ("明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678", "不对，是4号楼", "朝阳区望京SOHO 4号楼1203"),
    ("明天上午10点深度保洁，朝阳区花家地小区3号楼1203，13812345678", "4号楼", "朝阳区花家地小区4号楼1203"),
])
async def test_a_lone_building_at_the_summary_keeps_the_room(make_app, booking: str, fix: str, address: str) -> None:
    c = Customer(await make_app())
    await c.say(booking)
    summary = await c.say(fix)
    assert f"· 地址：{address}\n" in summary, summary
    await c.say("确认")
    [o] = await all_orders(c.app)
    assert (o.status, o.address) == ("confirmed", address)


async def test_a_lone_building_while_the_phone_is_asked_keeps_the_room(make_app) -> None:
    c = Customer(await make_app())
    await c.say("明天上午10点深度保洁")
    await c.say("朝阳区望京SOHO T1-1203")
    reply = await c.say("4号楼")
    assert "朝阳区望京SOHO 4号楼1203" in reply and "电话" in reply, reply
