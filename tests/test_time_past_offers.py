"""An hour already gone today: the bot said only "这个时间已经过了，请换一个时间" and asked for
another hour of today, also when today's hours were over. It now names what has passed,
offers the soonest start left today as a quick reply, and when none is left asks for
another day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from handlers import slots as S
from storage.catalog import Hours
from tests.test_dialogue import Customer, all_orders

TZ = ZoneInfo("Asia/Shanghai")
HOURS = Hours.model_validate(Hours.parse("07:00-22:00"))


@pytest.mark.parametrize(("clock", "hours", "start"), [
    ("18:25", HOURS, "19:00"),      # half an hour to get there, rounded up to the half hour
    ("18:30", HOURS, "19:00"),
    ("21:40", HOURS, None),         # 22:30 is after the last start
    ("05:10", HOURS, "07:00"),      # before opening: the opening
    ("23:50", None, None),          # round the clock, but the soonest is tomorrow
    ("21:40", None, "22:30"),
])
def test_next_start_today(clock: str, hours: Hours | None, start: str | None) -> None:
    now = dt.datetime.combine(dt.date(2026, 11, 27), dt.time.fromisoformat(clock), tzinfo=TZ)
    found = S.next_start_today(now, TZ, hours)
    assert (f"{found:%H:%M}" if found else None) == start


async def test_an_hour_gone_offers_the_soonest_start_left_today(make_app, clock) -> None:
    clock.now = dt.datetime(2026, 11, 27, 18, 25, tzinfo=TZ)
    app = await make_app()
    c = Customer(app)
    reply = await c.say("今天下午三点来做个保洁")
    assert "今天15:00已经过了" in reply and "今天最早 19:00 能上门" in reply and "几点" in reply
    assert c.payloads == ["at:19:00"]
    assert "11月27日（周五）19:00" in await c.say("1")
    await c.say("朝阳区百子湾路32号3号楼502")
    assert "19:00" in await c.say("13900001111")
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.date.isoformat(), order.time.strftime("%H:%M")) == ("2026-11-27", "19:00")


async def test_an_afternoon_gone_is_named_in_english(make_app, clock) -> None:
    clock.now = dt.datetime(2026, 11, 27, 18, 25, tzinfo=TZ)
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("my kitchen sink is blocked, can someone come this afternoon?")
    assert "This afternoon has already passed. The soonest we can come today is 19:00" in reply
    assert "What time on Fri 27 Nov" in reply


async def test_with_no_start_left_today_another_day_is_asked(make_app, clock) -> None:
    clock.now = dt.datetime(2026, 11, 27, 21, 40, tzinfo=TZ)
    app = await make_app()
    c = Customer(app)
    reply = await c.say("今天晚上九点做个深度保洁")
    assert "今天的上门时间已经结束了（每天 07:00–22:00）" in reply and "哪天" in reply
    assert "11月28日（周六）" in await c.say("明天上午10点")
    en = Customer(app, user="u2", lang="en")
    reply = await en.say("deep clean today at 9pm")
    assert "We have no more visits today (visits start 07:00–22:00)" in reply and "Which day" in reply


async def test_a_reschedule_to_an_hour_gone_offers_the_soonest_too(make_app, clock) -> None:
    clock.now = dt.datetime(2026, 11, 27, 18, 25, tzinfo=TZ)
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点深度保洁，朝阳区百子湾路32号3号楼502，13900001111")
    await c.say("确认")
    assert "今天最早 19:00 能上门" in await c.say("改成今天下午3点") and c.payloads == ["at:19:00"]
    assert "11月27日（周五）19:00，确定修改吗" in await c.say("1")
    await c.say("确认修改")
    (order,) = await all_orders(app)
    assert (order.date.isoformat(), order.time.strftime("%H:%M")) == ("2026-11-27", "19:00")
