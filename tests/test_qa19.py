"""The nineteenth QA pass, as Chinese customers of the trades other than cleaning (repairs,
locksmiths, moves, pest control): "取消修空调那个" said while a second booking (pest control) was
at its summary turned that booking into an air-conditioner repair, which the next "是的" booked,
and the repair meant stayed booked; "取消0001" in the middle of a second booking dropped the
booking under way and answered "这次预约已取消" while order 0001 stayed booked. Each is checked on
what the customer sees and what the orders store."""

from __future__ import annotations

import pytest

from storage.models import OrderStatus
from tests.test_dialogue import Customer, all_orders

REPAIR = "明天下午3点修空调，西城区新康小区3号楼2单元501，13700001111"
PESTS = "后天上午十点除蟑螂，同一个地址"


async def _repair_booked_and_pests_drafted(app, *, summary: bool) -> Customer:
    c = Customer(app)
    await c.say(REPAIR)
    assert "预约成功" in await c.say("确认")
    asked = await c.say(PESTS)
    assert "除虫灭害" in asked
    if summary:
        assert "请核对订单" in await c.say("1"), c.last  # the address on record
    return c


# ----- a cancel of a booked order said mid-booking cancels that order, and the booking goes on --
@pytest.mark.parametrize("said", ["取消修空调那个", "取消0001", "把空调那个单子取消了"])
@pytest.mark.parametrize("summary", [True, False])
async def test_cancelling_a_booked_order_while_booking_another(make_app, said: str, summary: bool) -> None:
    app = await make_app()
    c = await _repair_booked_and_pests_drafted(app, summary=summary)
    asked = await c.say(said)
    assert "家电维修" in asked and "确定要取消这个订单吗" in asked, asked
    done = await c.say("是的")
    assert "已取消" in done and "除虫灭害" in done, done  # the booking under way is taken up again
    orders = await all_orders(app)
    repair = next(o for o in orders if o.service_id == "appliance_repair")
    assert repair.status == OrderStatus.CANCELLED
    assert [o.service_id for o in orders].count("appliance_repair") == 1  # no repair booked instead
    if not summary:
        assert "请核对订单" in await c.say("1")
    booked = await c.say("确认")
    assert "预约成功" in booked and "除虫灭害" in booked, booked
    orders = await all_orders(app)
    assert {(o.service_id, o.status) for o in orders} == {
        ("appliance_repair", OrderStatus.CANCELLED), ("pest_control", OrderStatus.CONFIRMED)}


async def test_keeping_the_booked_order_takes_the_booking_up_again(make_app) -> None:
    app = await make_app()
    c = await _repair_booked_and_pests_drafted(app, summary=True)
    await c.say("取消修空调那个")
    kept = await c.say("不了")
    assert "除虫灭害" in kept or "待确认" in kept, kept
    assert "预约成功" in await c.say("确认")
    assert {(o.service_id, o.status) for o in await all_orders(app)} == {
        ("appliance_repair", OrderStatus.CONFIRMED), ("pest_control", OrderStatus.CONFIRMED)}


async def test_cancel_of_the_booking_under_way_still_drops_it(make_app) -> None:
    app = await make_app()
    c = await _repair_booked_and_pests_drafted(app, summary=True)
    assert "已取消" in await c.say("取消")
    assert {(o.service_id, o.status) for o in await all_orders(app)} == {
        ("appliance_repair", OrderStatus.CONFIRMED), ("pest_control", OrderStatus.CANCELLED)}
