"""An amount changed by so much ("再加一个小时", "再多洗一台", "少一个小时", "one more hour"): it
set the amount instead ("再加一个小时" to a 2-hour clean booked 1 hour at ¥45), and once booked
"再加一台" started an empty booking. Now the NLU gives the change as the flag ``quantity_delta``
(no ``quantity`` slot: that is an amount as stated), the summary shows the draft's quantity
changed by it, and a booked order's goes through the amend flow (old → new, confirm)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from handlers import amend as A
from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))
HOURLY = "明天上午9点日常保洁，朝阳区东坝金隅汇景苑6号楼3单元902，电话13512345678"
UNITS = "明天上午9点洗3台空调，朝阳区东坝金隅汇景苑6号楼3单元902，电话13512345678"
HOURLY_EN = "standard cleaning tomorrow 9am at 88 Jianguo Road Apt 5, phone 13512345678"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize(("text", "delta"), [
    ("再加一个小时", 1), ("加一个小时", 1), ("延长1小时", 1), ("多做一个小时", 1), ("再加两小时", 2),
    ("多加俩小时吧", 2), ("少一个小时", -1), ("再加一台", 1), ("再多洗一台", 1),
    ("one more hour", 1), ("add an hour", 1), ("2 more hours", 2), ("one more unit", 1), ("an hour less", -1),
])
def test_a_change_by_so_much_is_a_flag_not_the_quantity(parser: NluParser, text: str, delta: int) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("quantity_delta") == delta
    assert "quantity" not in r.slots


@pytest.mark.parametrize("text", [
    "改成3小时", "加到4台", "我要洗3台", "再加一个擦玻璃", "再加个擦玻璃", "至少一个小时", "一个多小时",
    "提前一个小时", "晚一个小时", "多少钱", "make it 4 hours",
])
def test_an_amount_set_or_a_move_is_no_change_by_so_much(parser: NluParser, text: str) -> None:
    assert "quantity_delta" not in parser.parse(text, now=NOW).flags


def test_the_change_is_added_to_what_is_booked_and_never_below_one() -> None:
    assert S.quantity_changed_by(3, 1) == 4
    assert S.quantity_changed_by(None, 1, usual=2) == 3
    assert S.quantity_changed_by(None, 1) == 2
    assert S.quantity_changed_by(1, -1) == 1
    assert A.for_order({A.QUANTITY_DELTA: 1}, "x", 3) == {"quantity": 4}
    assert A.for_order({"quantity": 4, A.QUANTITY_DELTA: 1}, "x", 3) == {"quantity": 5}
    assert A.amendment({"date": "2026-11-25"}, "明天再加一台", {A.QUANTITY_DELTA: 1}) == {}


async def _summary(app, booking: str, lang: str | None = None) -> Customer:
    c = Customer(app, lang=lang)
    await c.say(booking)
    return c


@pytest.mark.parametrize(("said", "hours", "total"), [
    ("再加一个小时", 3, "¥135"), ("加一个小时", 3, "¥135"), ("延长1小时", 3, "¥135"), ("多做一个小时", 3, "¥135"),
    ("再加两小时", 4, "¥180"), ("少一个小时", 1, "¥45"),
])
async def test_hours_at_the_summary_change_by_so_much(make_app, said: str, hours: int, total: str) -> None:
    app = await make_app()
    c = await _summary(app, HOURLY)
    assert "日常保洁（2小时）" in c.last.text
    shown = await c.say(said)
    assert f"日常保洁（{hours}小时）" in shown and total in shown
    assert "预约成功" in await c.say("确认")
    [o] = await all_orders(app)
    assert (o.quantity, o.total, o.status) == (hours, Decimal(total[1:]), "confirmed")


async def test_one_hour_less_stays_at_one(make_app) -> None:
    app = await make_app()
    c = await _summary(app, HOURLY)
    await c.say("少一个小时")
    assert "日常保洁（1小时）" in await c.say("少一个小时")


async def test_one_more_appliance_at_the_summary(make_app) -> None:
    app = await make_app()
    c = await _summary(app, UNITS)
    assert "× 3" in c.last.text
    assert "× 4 = ¥600" in await c.say("再加一台")
    assert "× 5 = ¥750" in await c.say("再多洗一台")


async def test_one_more_appliance_once_booked_amends_the_order(make_app) -> None:
    app = await make_app()
    c = await _summary(app, UNITS)
    assert "预约成功" in await c.say("确认")
    ask = await c.say("再加一台")
    assert "3 → 4" in ask and "确定修改吗" in ask
    assert c.payloads == ["affirm", "deny"]
    done = await c.say("确认修改")
    assert "已改好" in done and "× 4 = ¥600" in done
    [o] = await all_orders(app)
    assert (o.quantity, o.total, o.status) == (4, Decimal("600"), "confirmed")


async def test_two_more_hours_once_booked(make_app) -> None:
    app = await make_app()
    c = await _summary(app, HOURLY)
    await c.say("确认")
    ask = await c.say("多加俩小时吧")
    assert "2 → 4" in ask and "确定修改吗" in ask
    assert "已改好" in await c.say("是的")
    [o] = await all_orders(app)
    assert (o.quantity, o.total, o.duration_minutes) == (4, Decimal("180"), 240)


async def test_in_english(make_app) -> None:
    app = await make_app()
    c = await _summary(app, HOURLY_EN, lang="en")
    assert "(3 hours)" in await c.say("one more hour")
    assert "Booked" in await c.say("yes")
    ask = await c.say("add an hour")
    assert "3 → 4" in ask
    assert "Done" in await c.say("yes")
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (4, Decimal("180"))


PER_VISIT = "明天下午3点深度保洁，朝阳区建国路88号1号楼101，13812345678"
PER_VISIT_EN = "deep clean tomorrow 3pm, 12 Baker Street Flat 3, 13812345678"


async def test_more_of_a_service_priced_per_visit_says_there_is_nothing_to_add(make_app) -> None:
    """"再加一个小时" to a deep clean: the answer says a visit is not priced by the hour, not
    that it was not put down as "2" (a number the customer never said)."""
    app = await make_app()
    c = await _summary(app, PER_VISIT)
    said = await c.say("再加一个小时")
    assert "按次收费" in said and "不用加" in said and "2" not in said.split("。")[0].replace("¥298", "")
    assert "预约成功" in await c.say("确认")
    once_booked = await c.say("再加一个小时")
    assert "不用加" in once_booked and "保持不变" in once_booked
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (None, Decimal("298"))  # a visit: no count


async def test_more_of_a_service_priced_per_visit_in_english(make_app) -> None:
    app = await make_app()
    c = await _summary(app, PER_VISIT_EN, lang="en")
    said = await c.say("one more hour")
    assert "priced per visit" in said and "nothing to add" in said and "put it down as" not in said
    assert "Booked" in await c.say("yes")
    assert "stays as it is" in await c.say("add an hour")


@pytest.mark.parametrize(("text", "per"), [
    ("再加一个小时", "hour"), ("多加俩小时吧", "hour"), ("再加一台", "item"), ("再多洗一台", "item"),
    ("one more hour", "hour"), ("one more unit", "item"),
])
def test_the_change_says_what_it_counts(parser: NluParser, text: str, per: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("delta_per") == per


HOURLY_3H = "日常保洁3小时，明天上午9点，朝阳区建国路88号501，13800138000"


@pytest.mark.parametrize(("booking", "other_unit", "own_unit"), [
    (HOURLY_3H, "再加一台", "再加一个小时"), (UNITS, "再加一个小时", "再加一台"),
])
async def test_more_of_what_the_service_is_not_priced_by_changes_nothing(
        make_app, booking: str, other_unit: str, own_unit: str) -> None:
    """"再加一台" to a 3-hour clean offered "数量：3 → 4" (hours): a machine is no hour, nor an
    hour an air conditioner. More of what the service counts still changes it."""
    app = await make_app()
    c = await _summary(app, booking)
    said = await c.say(other_unit)
    assert "× 4" not in said and "3 → 4" not in said
    assert "预约成功" in await c.say("确认")
    assert "3 → 4" not in await c.say(other_unit)
    [o] = await all_orders(app)
    assert o.quantity == 3
    assert "3 → 4" in await c.say(own_unit)
