"""A new time asked for right after cancelling ("取消" … "能改到周日吗", "can I book it again
for saturday instead?") was answered "you have no order to reschedule". With no order open
and the latest one cancelled, that order is booked again at the new time: its service,
count, address and name as they were, its hour when only a day is said, to a summary the
customer confirms. The cancelled order stays cancelled."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_dialogue import Customer, all_orders


async def _booked_then_cancelled(c: Customer, booking: str) -> None:  # the last reply: the cancellation
    zh = c.lang != "en"
    await c.say(booking)
    await c.say("确认" if zh else "yes")
    await c.say("取消订单" if zh else "I have to cancel, something came up")
    await c.say("确定" if zh else "yes")


@pytest.mark.parametrize("lang, booking, again, summary", [
    ("zh", "后天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678", "能改到周日吗",
     ["订单 20261124-0001 已经取消了，我按原来的内容帮您重新约一个", "服务：深度保洁", "时间：11月29日（周日）10:00",
      "地址：朝阳区望京SOHO T1-1203"]),
    ("en", "regular cleaning for 4 hours on friday at 9, 5 Xinyuan Street apt 302, 13600002222",
     "can I book it again for saturday instead?",
     ["Order 20261124-0001 was cancelled, so I'll book it again for you as a new order",
      "Service: Regular cleaning (4 hours)", "When: Sat 28 Nov, 09:00", "Address: 5 Xinyuan Street apt 302",
      "¥45 per hour × 4 hours = ¥180"]),
])
async def test_a_new_time_after_cancelling_books_that_order_again(make_app, lang: str, booking: str, again: str,
                                                                  summary: list[str]) -> None:
    c = Customer(await make_app(), lang=lang)
    await _booked_then_cancelled(c, booking)
    reply = await c.say(again)
    for line in summary:
        assert line in reply
    assert "没有可以改时间的订单" not in reply and "no order to reschedule" not in reply
    await c.say("确认" if lang == "zh" else "yes")
    old, new = await all_orders(c.app)
    assert old.status == "cancelled"
    assert (new.status, new.service_id, new.address, new.quantity) == \
        ("confirmed", old.service_id, old.address, old.quantity)
    assert new.time == old.time and new.date != old.date


async def test_a_new_hour_said_is_taken(make_app) -> None:
    c = Customer(await make_app())
    await _booked_then_cancelled(c, "后天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678")
    assert "时间：11月29日（周日）15:00" in await c.say("改到周日下午三点吧")


async def test_with_an_order_open_it_is_that_order_that_moves(make_app) -> None:
    c = Customer(await make_app())
    await _booked_then_cancelled(c, "后天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678")
    await c.say("明天下午3点擦玻璃，朝阳区望京SOHO T1-1203")
    await c.say("确认")
    reply = await c.say("能改到周日吗")
    assert "重新约" not in reply and "确定修改吗" in reply


async def test_with_no_order_ever_there_is_nothing_to_reschedule(make_app) -> None:
    c = Customer(await make_app())
    assert "没有可以改时间的订单" in await c.say("能改到周日吗")
    assert await all_orders(c.app) == []


async def test_a_completed_order_is_not_booked_again_by_a_reschedule(make_app, clock) -> None:
    c = Customer(await make_app())
    await c.say("明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678")
    await c.say("确认")
    [order] = await all_orders(c.app)
    async with c.app.db.sessions.begin() as s:
        (await s.get(type(order), order.id)).status = "completed"
    clock.advance(days=2)
    assert "没有可以改时间的订单" in await c.say("能改到周日吗")
    assert len(await all_orders(c.app)) == 1
    assert order.date == dt.date(2026, 11, 25)


async def test_cancelling_one_of_two_names_the_one_that_stands(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    await c.say("deep clean tomorrow 10am, 5 Xinyuan Street apt 302, 13600002222")
    await c.say("yes")
    await c.say("and window cleaning on sunday at 2pm same address")
    await c.say("yes")
    await c.say("cancel the window cleaning")
    reply = await c.say("yes")
    assert "Order 20261124-0002 is cancelled. Your other bookings stand:" in reply
    assert "· 20261124-0001 · Deep cleaning · Wed 25 Nov, 10:00" in reply and "Hope to see you again" not in reply
    c2 = Customer(c.app, user="u2")
    await _booked_then_cancelled(c2, "后天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345679")
    assert c2.last.text == "订单 20261124-0003 已取消。期待下次为您服务！"  # nothing else booked
