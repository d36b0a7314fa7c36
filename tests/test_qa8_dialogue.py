"""QA round 8: a whole booking that corrects itself is a booking."""

from __future__ import annotations

from tests.test_dialogue import Customer, all_orders

FIXED = "Deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678, call me at 13999998888 instead"


async def test_a_booking_with_a_correction_in_it_is_booked_with_the_corrected_value(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say(FIXED)
    assert "13999998888" in summary and "no order to reschedule" not in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.phone) == ("deep_cleaning", "13999998888")


async def test_with_an_order_booked_a_change_said_so_still_moves_it(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("Deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678")
    assert "Booked" in await c.say("yes")
    ask = await c.say("make it Friday instead")
    assert "→" in ask, ask
