"""An hour said alone where the bot asked nothing: "how about 7" at the summary was put on
the order's notes as a question for staff, and "what about 8?" about today at 14:00 was
08:00, refused as past. The first is now the time (the contract's bare-hour rule), and
a bare hour on a today already past its reading is read in the other half of the day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 27, 14, 0, tzinfo=TZ)


@pytest.mark.parametrize(("text", "time"), [
    ("how about 7", "19:00"), ("how about 7?", "19:00"), ("what about 9", "09:00"), ("at 6", "18:00"),
    ("6 instead", "18:00"), ("ok at 8 then", "08:00"), ("let's say 4", "16:00"),
])
def test_an_hour_framed_as_one_at_the_summary_is_the_time(text: str, time: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=NOW)
    assert r.slots == {"time": time} and r.flags.get("bare_hour") and "asks" not in r.flags


@pytest.mark.parametrize("text", ["make it 3", "how about 13", "3 please"])
def test_a_number_that_may_be_how_many_is_no_hour(text: str) -> None:
    assert "time" not in NluParser(demo_catalog()).parse(text, now=NOW).slots


@pytest.mark.parametrize(("time", "date", "clock", "read"), [
    ("08:00", "2026-11-27", "14:00", "20:00"),   # today, the morning gone: the evening
    ("08:00", "2026-11-27", "07:00", "08:00"),   # still ahead as said
    ("08:00", "2026-11-28", "14:00", "08:00"),   # another day: the contract's reading
    ("09:00", "2026-11-27", "22:00", "09:00"),   # both gone: refused as said
    ("15:00", "2026-11-27", "16:00", "15:00"),   # an afternoon hour has no other half to be
])
def test_hour_still_ahead(time: str, date: str, clock: str, read: str) -> None:
    now = dt.datetime.combine(dt.date(2026, 11, 27), dt.time.fromisoformat(clock), tzinfo=TZ)
    assert S.hour_still_ahead(time, date, now, TZ) == read


async def test_how_about_an_hour_at_the_summary_changes_the_time(make_app, clock) -> None:
    clock.now = NOW
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Fri 27 Nov, 17:00" in await c.say(
        "my kitchen sink is blocked, today at 5pm, Room 1502, Building 3, Jianwai SOHO, 13700002222")
    reply = await c.say("how about 7")
    assert "Fri 27 Nov, 19:00" in reply and "passed it on" not in reply
    assert "Fri 27 Nov, 20:00" in await c.say("what about 8?")
    await c.say("yes")
    (order,) = await all_orders(app)
    assert order.time.strftime("%H:%M") == "20:00" and "8" not in (order.notes or "")


async def test_a_bare_hour_about_today_is_the_one_still_ahead(make_app, clock) -> None:
    clock.now = NOW
    app = await make_app()
    c = Customer(app)
    await c.say("今天做个保洁")
    assert "11月27日（周五）20:00" in await c.say("8点")
