"""A person asked for together with something else: a new day for the order booked ("让王师傅后天下午来",
"can Wang come friday afternoon instead?"), a booking again from a review's comment ("can I book her
again for next friday?", "阿姨很好，下周六再请她来"), and questions about who comes in English ("is it
possible to have an english speaking cleaner?"), which used to start bookings of their own."""

from __future__ import annotations

import pytest

from storage import orders as order_repo
from storage import staff as staff_repo
from tests.conftest import Clock
from tests.test_dialogue import Customer, all_orders
from tests.test_same_staff import EN_BOOKING, ZH_BOOKING, _staff_id


# ---------------------------------------------------------------- a person and a new day for the order booked
@pytest.mark.parametrize("lang, ask, shown, confirm, done", [
    ("zh", "让王师傅后天下午来", ["11月25日（周三）15:00 → 11月26日（周四）下午\n指定师傅：（无） → 王师傅\n确定"],
     "确认修改", ["已改好", "已请王师傅优先接单"]),
    ("en", "can Wang come friday afternoon instead?", ["→ Fri 27 Nov, afternoon\nStaff asked for: (none) → Wang\nShall"],
     "yes", ["Done", "We've asked Wang to take it first"]),
])
async def test_a_person_and_a_day_for_the_one_order_booked_move_it_with_them(
        make_app, clock: Clock, lang: str, ask: str, shown: list[str], confirm: str, done: list[str]) -> None:
    """It started a new booking ("请问您需要什么服务？") and the order kept its day and nobody asked for."""
    app = await make_app(rate_limit=0)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "w", "王师傅" if lang == "zh" else "Wang")
    c = Customer(app, lang=lang)
    await c.say(ZH_BOOKING if lang == "zh" else EN_BOOKING)
    await c.say("确认" if lang == "zh" else "yes")
    await c.say("谢谢" if lang == "zh" else "thanks")
    reply = await c.say(ask)
    assert all(s in reply for s in shown) and "什么服务" not in reply and "service" not in reply, reply
    reply = await c.say(confirm)
    assert all(s in reply for s in done), reply
    [order] = await all_orders(app)
    assert (order.date.isoformat(), order.time, order.period) == (
        "2026-11-26" if lang == "zh" else "2026-11-27", None, "afternoon")
    assert order.preferred_staff_id == await _staff_id(app, "王师傅" if lang == "zh" else "Wang")
    async with app.db.sessions() as s:
        kinds = [e.kind for e in await order_repo.events_of(s, order.id)]
    assert "rescheduled" in kinds and "amended" in kinds, kinds
