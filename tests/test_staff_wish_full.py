"""A person and a new time asked for together ("让王师傅后天下午3点来"), the new time taken by
someone else before the customer confirms it: the person still asked for, the time left
as it was and the customer told it is full (with the free starts), rather than both lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storage import orders as order_repo
from storage import staff as staff_repo
from tests.conftest import Clock
from tests.test_capacity import _app
from tests.test_dialogue import Customer, all_orders


@pytest.mark.parametrize("lang, booking, ask, confirm, full, asked", [
    ("zh", "明天上午10点打扫，地址望京SOHO T1-9，电话13812345699", "让王师傅后天下午3点来", "确认修改",
     "11月26日（周四）15:00已经约满了", "已请王师傅优先接单"),
    ("en", "cleaning tomorrow at 10am, 88 Jianguo Road apt 1203, phone 13812345699",
     "can Wang come thursday at 3pm instead?", "yes", "every team is booked at 15:00 on Thu 26 Nov", "We've asked Wang to take it first"),
])
async def test_the_person_stays_asked_for_when_the_new_time_filled_up(
        make_app, tmp_path: Path, clock: Clock, lang: str, booking: str, ask: str, confirm: str,
        full: str, asked: str) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    async with app.db.sessions.begin() as s:
        wang = await staff_repo.identify(s, "web", "w", "王师傅" if lang == "zh" else "Wang")
    c = Customer(app, lang=lang)
    await c.say(booking)
    await c.say("确认" if lang == "zh" else "yes")
    assert "→" in await c.say(ask)
    other = Customer(app, user="other")  # takes the one team at that time meanwhile
    await other.say("后天下午3点打扫，地址望京SOHO T1-1，电话13812345601")
    assert "预约成功" in await other.say("确认")

    reply = await c.say(confirm)
    assert full in reply and asked in reply, reply
    mine = next(o for o in await all_orders(app) if o.phone == "13812345699")
    assert (mine.date, mine.time) == (dt.date(2026, 11, 25), dt.time(10, 0)), "the time is kept"
    assert mine.preferred_staff_id == wang.id, "the person asked for is kept"
    async with app.db.sessions() as s:
        kinds = [e.kind for e in await order_repo.events_of(s, mine.id)]
    assert "amended" in kinds and "rescheduled" not in kinds, kinds

    # a free start offered is still the order's to move to, the person already asked for
    assert "→" in await c.say(payload="at:17:00")
    await c.say(confirm)
    mine = next(o for o in await all_orders(app) if o.phone == "13812345699")
    assert (mine.date, mine.time, mine.preferred_staff_id) == (dt.date(2026, 11, 26), dt.time(17, 0), wang.id)
