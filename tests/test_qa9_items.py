"""The ninth QA pass: two appliances or two services in one visit. Two things for one
service ("空调清洗跟油烟机清洗", "修空调和洗衣机") are all on the note, and counted when the
service is priced per item; a second service for the same visit ("深度保洁和擦玻璃") is priced
on the summary and offered, same day, time and address, once the first is confirmed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 27, 20, 0, tzinfo=timezone(timedelta(hours=8)))
AT = "，朝阳区望京SOHO T1-1203，13812345678"
AT_EN = ", 12 Baker Street, 13812345678"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- the NLU: the things named for one service ---------------------------------------
@pytest.mark.parametrize(("text", "service", "items"), [
    ("明天上午10点空调清洗跟油烟机清洗" + AT, "appliance_cleaning", [("空调", 1), ("油烟机", 1)]),
    ("明天上午10点修空调和洗衣机" + AT, "appliance_repair", [("空调", 1), ("洗衣机", 1)]),
    ("洗2台空调和1台油烟机", "appliance_cleaning", [("2台空调", 2), ("1台油烟机", 1)]),
    ("洗两台空调和一台抽油烟机", "appliance_cleaning", [("两台空调", 2), ("一台抽油烟机", 1)]),
    ("aircon cleaning and range hood cleaning tomorrow 10am", "appliance_cleaning",
     [("aircon", 1), ("range hood", 1)]),
    ("clean 2 aircons and 1 range hood", "appliance_cleaning", [("2 aircons", 2), ("1 range hood", 1)]),
    ("fix the aircon and the washing machine", "appliance_repair", [("aircon", 1), ("washing machine", 1)]),
])
def test_two_things_for_one_service_are_flagged(parser: NluParser, text: str, service: str,
                                                items: list[tuple[str, int]]) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots["service"], r.flags.get("items")) == ("book", service, items)
    assert "quantity" not in r.slots or text.startswith("clean 2")  # the contract's slot is as it was


@pytest.mark.parametrize("text", [
    "明天上午10点洗3台空调" + AT,                  # one thing: its count is the quantity slot
    "明天上午10点修空调" + AT,
    "明天上午10点深度保洁和擦玻璃" + AT,           # two services: `also`
    "明天上午10点家电维修，空调" + AT,             # 家电 names a kind, not a thing
    "明天上午10点修空调，海淀区洗衣机厂小区3号楼，13812345678",  # a thing in the address
])
def test_no_items_where_there_is_one_thing(parser: NluParser, text: str) -> None:
    assert "items" not in parser.parse(text, now=NOW).flags


def test_two_services_name_the_other_ones_id(parser: NluParser) -> None:
    r = parser.parse("明天上午10点深度保洁和擦玻璃" + AT, now=NOW)
    assert (r.flags["also"], r.flags["also_services"]) == ("擦玻璃", ["window_cleaning"])


# ----- 1. two appliances cleaned: two of the item-priced service -------------------------
@pytest.mark.parametrize(("lang", "text", "shown", "note", "quantity"), [
    ("zh", "明天上午10点空调清洗跟油烟机清洗" + AT,
     ["家电清洗 × 2", "备注：空调、油烟机", "¥150 每台 × 2 = ¥300"], "空调、油烟机", 2),
    ("zh", "明天上午10点洗2台空调和1台油烟机" + AT,
     ["家电清洗 × 3", "备注：2台空调、1台油烟机", "¥150 每台 × 3 = ¥450"], "2台空调、1台油烟机", 3),
    ("en", "aircon cleaning and range hood cleaning tomorrow 10am" + AT_EN,
     ["Appliance cleaning × 2", "Notes: aircon, range hood", "¥150 per appliance × 2 = ¥300"],
     "aircon, range hood", 2),
])
async def test_two_appliances_cleaned_are_two_and_named(make_app, lang: str, text: str, shown: list[str],
                                                         note: str, quantity: int) -> None:
    """It was 家电清洗 at ¥150 each, for one, with no word of which appliances."""
    app = await make_app()
    c = Customer(app, lang=lang)
    summary = await c.say(text)
    assert all(s in summary for s in shown), summary
    await c.say("确认" if lang == "zh" else "yes")
    [order] = await all_orders(app)
    assert (order.status, order.service_id, order.quantity, order.notes, order.total) == (
        "confirmed", "appliance_cleaning", quantity, note, Decimal(150 * quantity))


# ----- 2. two appliances repaired: one call-out, both on the note ------------------------
@pytest.mark.parametrize(("lang", "text", "shown", "note"), [
    ("zh", "明天上午10点修空调和洗衣机" + AT, "备注：空调、洗衣机", "空调、洗衣机"),
    ("en", "fix the aircon and the washing machine tomorrow 10am" + AT_EN,
     "Notes: aircon, washing machine", "aircon, washing machine"),
])
async def test_two_appliances_repaired_are_one_visit_with_both_noted(make_app, lang: str, text: str,
                                                                     shown: str, note: str) -> None:
    """The washing machine was dropped without a trace."""
    app = await make_app()
    c = Customer(app, lang=lang)
    summary = await c.say(text)
    assert shown in summary and "× " not in summary, summary
    await c.say("确认" if lang == "zh" else "yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.quantity, order.notes, order.total) == (
        "appliance_repair", None, note, Decimal(80))


# ----- 3. two services for one visit: priced, and offered for the same time -------------
@pytest.mark.parametrize(("lang", "text", "priced", "offer", "yes"), [
    ("zh", "明天上午10点深度保洁和擦玻璃" + AT, "擦玻璃：另算（¥180）", "您还要擦玻璃（¥180）", "好的"),
    ("en", "deep clean and window cleaning tomorrow 10am" + AT_EN, "Window cleaning: extra (¥180)",
     "You also asked for window cleaning (¥180)", "yes"),
])
async def test_a_second_service_is_priced_and_booked_for_the_same_visit(make_app, lang: str, text: str,
                                                                       priced: str, offer: str,
                                                                       yes: str) -> None:
    """The second service went on the note, neither priced nor said on the summary."""
    app = await make_app()
    c = Customer(app, lang=lang)
    summary = await c.say(text)
    assert priced in summary, summary
    confirmed = await c.say("确认" if lang == "zh" else "yes")
    assert offer in confirmed, confirmed
    second = await c.say(yes)  # the day, time, address and phone carried over: only a yes
    assert "擦玻璃" in second or "Window cleaning" in second
    await c.say(yes)
    first, other = await all_orders(app)
    assert (first.service_id, other.service_id, other.status) == ("deep_cleaning", "window_cleaning", "confirmed")
    assert (other.date, other.time, other.address, other.phone, other.total) == (
        first.date, first.time, first.address, first.phone, Decimal(180))


async def test_the_offer_stands_for_the_next_message_only(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点深度保洁和擦玻璃" + AT)
    await c.say("确认")
    assert "深度保洁" in await c.say("我的订单")  # something else: the offer is gone
    assert "请核对订单" not in await c.say("好的")
    assert len(await all_orders(app)) == 1
