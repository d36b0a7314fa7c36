"""The fourteenth QA pass: a second service joined by 顺便 / 再 / "+" / "plus" was lost, a
repair's fault never reached the technician, and some notes were junk (the repeat request,
the customer's name). Each fix is checked on the parse and on what the customer sees."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday
PLACE = "，朝阳区红庙北里7号楼3门201，13711112225"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- 1. a second service joined inside a clause ------------------------------------
@pytest.mark.parametrize("join", ["顺便", "再", "还要", "外加", "加上", "同时", "+", " + ", "和"])
def test_a_second_service_joined_inside_a_clause_is_kept_for_the_visit(parser: NluParser, join: str) -> None:
    r = parser.parse(f"明天下午3点深度保洁{join}擦玻璃" + PLACE, now=NOW)
    assert (r.slots["service"], r.flags.get("also"), r.flags.get("also_services")) == \
        ("deep_cleaning", "擦玻璃", ["window_cleaning"])


@pytest.mark.parametrize(("text", "also"), [
    ("deep clean plus window cleaning tomorrow 10am", "window cleaning"),
    ("deep clean and also windows tomorrow 10am", "windows"),
    ("deep clean + windows tomorrow 10am", "windows"),
    ("deep clean tomorrow 10am plus window cleaning", "window cleaning"),
    ("明天下午做个深度保洁顺便擦下玻璃", "擦下玻璃"),
])
def test_the_second_service_noted_is_its_own_words_not_the_when(parser: NluParser, text: str, also: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots["service"], r.flags.get("also"), r.flags.get("also_services")) == \
        ("deep_cleaning", also, ["window_cleaning"])


def test_the_second_service_noted_keeps_its_last_words(parser: NluParser) -> None:
    r = parser.parse("明天上午深度保洁顺便把油烟机洗一下", now=NOW)
    assert (r.flags.get("also"), r.flags.get("also_services")) == ("把油烟机洗一下", ["appliance_cleaning"])


@pytest.mark.parametrize("text", [
    "来我家做保洁，门锁坏了也顺便看看",      # no service after 顺便: the clause is the note, as before
    "明天上午保洁，再约一次",
    "明天下午3点深度保洁同时带上工具",
    "明天下午3点深度保洁还要多久",
])
def test_a_join_word_without_a_service_after_it_adds_none(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("also_services") in (None, ["lock_service"])
    assert r.flags.get("also") != "擦玻璃"


async def test_shunbian_offers_the_second_service_like_he_does(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say("明天下午3点深度保洁顺便擦玻璃" + PLACE)
    assert "服务：深度保洁" in summary and "备注：擦玻璃" in summary
    assert "擦玻璃：另算（¥180），这单确认后可接着约在同一时间" in summary


async def test_shunbian_said_piecemeal_is_offered_at_the_summary(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午做个深度保洁顺便擦玻璃")
    await c.say("朝阳区红庙北里7号楼3门201")
    summary = await c.say("13711112225")
    assert "服务：深度保洁" in summary and "备注：擦玻璃" in summary and "擦玻璃：另算" in summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("deep_cleaning", "擦玻璃")


async def test_plus_in_english_offers_window_cleaning(make_app) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say("deep clean + windows tomorrow 10am, 12 Baker Street, 13812345678")
    assert "Notes: windows" in summary
    assert "Window cleaning: extra (¥180), can be booked for the same time once this one is confirmed" in summary


# ----- 2. what a repair is for, and what is wrong with it, on its note --------------------
@pytest.mark.parametrize(("text", "service", "note"), [
    ("冰箱不制冷了，明天上午来修一下，朝阳区亚运村安慧里二区5号楼1203，13700005555", "appliance_repair", "冰箱不制冷了"),
    ("俺家空调不制冷了，明儿上午能来修不", "appliance_repair", "空调不制冷了"),
    ("大后天晚上七点半能来修热水器吗", "appliance_repair", "热水器"),
    ("下周一上午家电维修，洗衣机不转了", "appliance_repair", "洗衣机不转了"),
    ("还有，热水器是万家乐的，不出热水", "appliance_repair", "热水器是万家乐的，不出热水"),
    ("明天下午3点修空调，格力的，不制冷", "appliance_repair", "空调，格力的，不制冷"),
    ("my washing machine is broken, can someone come tomorrow 10am", "appliance_repair", "washing machine is broken"),
    ("fridge not cooling, can you come tomorrow 10am", "appliance_repair", "fridge not cooling"),
    ("toilet leaking, come tomorrow 10am", "drain_unclogging", "toilet leaking"),
    ("fix the fridge tomorrow 10am", "appliance_repair", "fridge"),
    ("明天上午热水器维修", "appliance_repair", "热水器"),
    ("my oven needs fixing, tomorrow 10am", "appliance_repair", "oven needs fixing"),
])
def test_a_repair_notes_the_thing_and_its_fault(parser: NluParser, text: str, service: str, note: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots["service"], r.flags.get("note")) == ("book", service, note)


@pytest.mark.parametrize(("text", "note"), [
    ("明天上午10点修空调和洗衣机", None),                   # several things: the items flag notes them
    ("明天上午家电维修", None),                             # a kind of thing, no thing
    ("明天来修电器", None),
    ("明天上午10点深度保洁，朝阳区望京SOHO T1-1203", None),  # no thing repaired
    ("明天上午10点深度保洁，还有，家里有猫", "家里有猫"),    # "还有，" only leads on to the note
])
def test_no_trouble_note_without_one_thing_repaired(parser: NluParser, text: str, note: str | None) -> None:
    assert parser.parse(text, now=NOW).flags.get("note") == note


async def test_the_broken_fridge_reaches_the_order(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("冰箱不制冷了，明天上午来修一下，朝阳区亚运村安慧里二区5号楼1203，13700005555")
    assert "服务：家电维修" in summary and "备注：冰箱不制冷了" in summary
    assert "预约成功" in await c.say("1")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("appliance_repair", "冰箱不制冷了")


async def test_the_brand_said_later_carries_the_thing_on(make_app) -> None:
    """"热水器" from the first message, then "热水器是万家乐的，不出热水": the later one stands for both."""
    app = await make_app()
    c = Customer(app)
    await c.say("大后天晚上七点半能来修热水器吗")
    await c.say("朝阳区亚运村安慧里二区5号楼1203")
    await c.say("13700005555")
    summary = await c.say("还有，热水器是万家乐的，不出热水")
    assert "备注：热水器是万家乐的，不出热水" in summary and "还有" not in summary


async def test_a_broken_washing_machine_in_english_is_on_the_note(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("my washing machine is broken, can someone come tomorrow 10am")
    await c.say("12 Baker Street")
    summary = await c.say("13812345678")
    assert "Service: Appliance repair" in summary and "Notes: washing machine is broken" in summary


# ----- 3. no junk on the note: the repeat request, the customer's name -------------------
@pytest.mark.parametrize("text", ["还是上次那个服务，下周日上午", "same as last time please, next monday 10am"])
def test_the_repeat_request_is_no_note(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.flags.get("repeat"), r.flags.get("note")) == ("book", True, None)


def test_a_note_beside_the_repeat_request_is_still_kept(parser: NluParser) -> None:
    assert parser.parse("还是上次那个服务，下周日上午，家里有猫", now=NOW).flags.get("note") == "家里有猫"


@pytest.mark.parametrize("text", [
    "my number is 13812345678, name is Li Wei",
    "deep clean tomorrow 10am, 12 Baker Street. Contact: Li Wei 13812345678",
    "deep clean tomorrow 10am, 12 Baker Street, name is Li Wei",
    "Contact name: Li Wei, 13812345678",
])
def test_the_name_is_read_as_the_name_not_a_note(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots.get("name"), r.flags.get("note")) == ("Li Wei", None)


async def test_the_repeat_request_with_its_day_leaves_the_note_empty(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点深度保洁，朝阳区建国路88号1号楼101，13800001111")
    assert "预约成功" in await c.say("确认")
    summary = await c.say("还是上次那个服务，下周日上午")  # the last order again: straight to its summary
    assert "服务：深度保洁" in summary and "地址：朝阳区建国路88号1号楼101" in summary, summary
    assert "备注" not in summary, summary


async def test_the_repeat_request_in_english_leaves_the_note_empty(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13800001111")
    await c.say("yes")
    summary = await c.say("same as last time please, next monday 10am")
    assert "Service: Deep cleaning" in summary and "Address: 88 Jianguo Road apt 1203" in summary, summary
    assert "Notes" not in summary, summary


@pytest.mark.parametrize("contact", ["my number is 13812345678, name is Li Wei", "Contact: Li Wei 13812345678"])
async def test_the_name_said_with_the_number_is_on_the_summary(make_app, contact: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 10am, 12 Baker Street")
    summary = await c.say(contact)
    assert "Name: Li Wei" in summary and "Notes" not in summary, summary
