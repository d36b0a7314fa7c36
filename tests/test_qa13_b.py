"""Round 13 (QA, b): a middling rating whose comment complains alerts staff; a booking naming three
services offers the second and then the third for the same visit."""

from __future__ import annotations

import pytest

from handlers.render import Say
from tests.conftest import Clock
from tests.reminder_helpers import Customer
from tests.test_dialogue import Customer as Chat
from tests.test_dialogue import all_orders
from tests.test_reviews import completed, review_of


@pytest.mark.parametrize("text", ["3星，阿姨来晚了半小时", "3 stars, the cleaner was late and rude"])
async def test_a_mid_rating_that_complains_alerts_staff(make_app, clock: Clock, text: str) -> None:
    app, sent, order = await completed(make_app, clock)
    staff_before = len(sent.staff)
    reply = await Customer(app).say(text)
    assert "工作人员" in reply or "our team" in reply, reply  # told staff will follow up
    assert (await review_of(app, order.id))[0] == 3
    await app.worker.run_once()
    assert sent.staff_templates()[staff_before:] == [("staff_low_rating", 3)]
    staff_text = sent.staff[-1][2].reply.text
    assert order.number in staff_text and text.split("，")[-1].split(", ", 1)[-1] in staff_text, staff_text
    english = app.worker.renderer.render([Say("staff_low_rating", sent.staff[-1][2].data)], "en").text
    assert "Unhappy customer" in english and order.number in english, english


async def test_a_complaint_said_after_three_stars_alerts_staff(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    staff_before = len(sent.staff)
    c = Customer(app)
    await c.say("3")
    reply = await c.say("阿姨来晚了半小时，态度也不好")
    assert "工作人员" in reply, reply
    await app.worker.run_once()
    assert sent.staff_templates()[staff_before:] == [("staff_low_rating", 3)]
    assert "阿姨来晚了半小时" in sent.staff[-1][2].reply.text


@pytest.mark.parametrize("text", ["3星", "3星 还行", "3 stars, it was ok"])
async def test_a_plain_mid_rating_alerts_nobody(make_app, clock: Clock, text: str) -> None:
    app, sent, order = await completed(make_app, clock)
    staff_before = len(sent.staff)
    reply = await Customer(app).say(text)
    assert "3星" in reply or "3-star" in reply, reply
    assert "工作人员" not in reply and "our team" not in reply, reply
    await app.worker.run_once()
    assert sent.staff_templates()[staff_before:] == []


# ----- 2. three services named for one visit: each offered in turn ------------------------------
THREE = "深度保洁、擦玻璃和家电清洗，明天上午10点，朝阳区建国路88号1203，13800001111"


async def test_the_third_service_is_offered_after_the_second_is_booked(make_app) -> None:
    app = await make_app()
    c = Chat(app)
    await c.say(THREE)
    assert "您还要擦玻璃" in await c.say("确认")
    assert "· 服务：擦玻璃" in await c.say("好的")
    third = await c.say("确认")
    assert "您还要家电清洗" in third, third
    assert "· 服务：家电清洗" in await c.say("好的")
    await c.say("确认")
    orders = await all_orders(app)
    assert [o.service_id for o in orders] == ["deep_cleaning", "window_cleaning", "appliance_cleaning"]
    assert {(o.date, o.time, o.address, o.status) for o in orders} == {
        (orders[0].date, orders[0].time, orders[0].address, "confirmed")}


async def test_the_third_service_is_offered_after_the_second_is_declined(make_app) -> None:
    app = await make_app()
    c = Chat(app)
    await c.say(THREE)
    await c.say("确认")
    declined = await c.say("不用了")
    assert "擦玻璃就先不约了" in declined and "您还要家电清洗" in declined, declined
    assert "· 服务：家电清洗" in await c.say("好的")
    await c.say("确认")
    assert [o.service_id for o in await all_orders(app)] == ["deep_cleaning", "appliance_cleaning"]


async def test_the_services_left_go_with_an_unanswered_offer(make_app) -> None:
    app = await make_app()
    c = Chat(app)
    await c.say(THREE)
    await c.say("确认")
    await c.say("我的订单")  # something else: the offer and the one after it are gone
    assert "请核对订单" not in await c.say("好的")
    assert len(await all_orders(app)) == 1
