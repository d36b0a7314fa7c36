"""A remark for the staff said right after booking ("对了我家有只狗，师傅别怕"): it was "没太明白".
Now it is added to the notes of the order just confirmed, and the customer told so; later,
it goes through the amend flow (old → new, confirm), asking which order when there are
several. With no order to put it on, nothing changes."""

from __future__ import annotations

from tests.test_dialogue import Customer, all_orders

BOOKING = "后天下午3点深度保洁，朝阳区望京西园三区312号楼1203，13800005555"
SECOND = "大后天上午10点擦玻璃，朝阳区望京西园三区312号楼1203"
BOOKING_EN = "deep clean tomorrow 10am, 12 Baker Street, 13812345678"
DOG = "对了我家有只狗，师傅别怕"


async def test_a_remark_right_after_booking_goes_on_that_order(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING)
    await c.say("确认，备注：带鞋套")
    reply = await c.say(DOG)
    assert "已改好" in reply and "备注" in reply and DOG in reply
    [o] = await all_orders(app)
    assert (o.status, o.notes) == ("confirmed", f"带鞋套；{DOG}")


async def test_in_english(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(BOOKING_EN)
    await c.say("yes")
    reply = await c.say("there's a dog, please ring first")
    assert "Done" in reply and "there's a dog, please ring first" in reply
    [o] = await all_orders(app)
    assert o.notes == "there's a dog, please ring first"


async def test_later_the_remark_is_confirmed_first(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING)
    await c.say("确认")
    await c.say("我的订单")
    ask = await c.say(DOG)
    assert f"（无） → {DOG}" in ask and "确定修改吗" in ask
    assert "已改好" in await c.say("确认修改")
    [o] = await all_orders(app)
    assert o.notes == DOG


async def test_with_several_orders_later_it_asks_which(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING)
    await c.say("确认")
    await c.say(SECOND)
    await c.say("确认")
    await c.say("我的订单")
    first, second = await all_orders(app)
    ask = await c.say(DOG)
    assert first.number in ask and second.number in ask
    assert c.payloads == [f"order:{first.number}", f"order:{second.number}"]
    assert "确定修改吗" in await c.say(first.number)
    await c.say("确认修改")
    first, second = await all_orders(app)
    assert (first.notes, second.notes) == (DOG, None)


async def test_no_order_no_note(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "没太明白" in await c.say(DOG)
    assert await all_orders(app) == []
