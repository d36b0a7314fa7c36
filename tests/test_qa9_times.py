"""QA round 9: the hour said after a refused or half-said time keeps its part of the day.

"早上6点" refused (visits start 07:00), then "那7点", was booked for 19:00, the contract's
reading of a bare 7: a cleaner at the door in the evening for a customer who asked for the
morning. "ok 7 then" to the same refusal was not understood at all, and the booking stalled."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

ADDRESS = "朝阳区建国路88号1号楼101"


async def test_an_hour_after_a_refused_early_morning_is_the_morning_zh(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    refused = await c.say("那约个保洁 明天早上6点")
    assert "07:00–22:00" in refused
    assert "11月25日（周三）07:00" in await c.say("那7点")
    await c.say(ADDRESS)
    await c.say("13800001111")
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert order.time == dt.time(7, 0)


async def test_ok_7_then_after_a_refused_early_morning_is_understood_en(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("cleaning tomorrow 6am")
    answer = await c.say("ok 7 then")
    assert "07:00" in answer and "didn't catch" not in answer


async def test_an_hour_after_a_refused_late_night_is_the_evening(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("保洁 明天晚上11点")
    assert "21:00" in await c.say("9点")


@pytest.mark.parametrize(("period", "said", "read"), [
    ("morning", "19:00", "07:00"),     # 早上 then "7点": an hour before the morning, not the evening
    ("afternoon", "18:00", "18:00"),   # 下午 then "6点"
    ("evening", "17:00", "17:00"),     # 晚上 then "5点": an hour early, not five in the morning
    ("morning", "15:00", "15:00"),     # 上午 then "3点": neither near; the contract's reading stands
    ("afternoon", "15:00", "15:00"),
])
def test_a_bare_hour_is_read_in_or_right_beside_the_part_of_the_day(period: str, said: str, read: str) -> None:
    assert S.hour_in_period(said, period) == read


@pytest.mark.parametrize("text", ["ok 7", "7 then", "ok 7 then", "7 please", "how about 7", "那7", "那就7点"])
def test_framed_bare_hours_answer_what_time(text: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=NOW, expected="time")
    assert r.slots.get("time") == "19:00" and r.flags.get("bare_hour")


@pytest.mark.parametrize("text", ["ok", "then", "maybe", "ok then"])
def test_framing_words_alone_are_no_hour(text: str) -> None:
    assert "time" not in NluParser(demo_catalog()).parse(text, now=NOW, expected="time").slots
