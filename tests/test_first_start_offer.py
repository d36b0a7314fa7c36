""""马上" out of hours, or "今天" once today's hours are over, was told only the hours (or to
pick another day) and asked again. The first start we can do is now offered, one tap (or
a "好的") away: later today when any is left, else the opening of the next open day, its
days off skipped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers import availability
from handlers.reading import offer_accepted, payload_to_parse
from nlu.types import ParseResult
from storage.catalog import demo_catalog, parse_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_opening_hours import CLOSED_MONDAYS

TZ = ZoneInfo("Asia/Shanghai")


def _at(day: int, clock: str) -> dt.datetime:  # November 2026: the 27th is a Friday
    return dt.datetime.combine(dt.date(2026, 11, day), dt.time.fromisoformat(clock), tzinfo=TZ)


@pytest.mark.parametrize("now, service, first", [
    (_at(27, "22:04"), "deep_cleaning", {"date": "2026-11-28", "time": "07:00"}),  # tomorrow's opening
    (_at(27, "05:10"), "deep_cleaning", {"date": "2026-11-27", "time": "07:00"}),  # today's opening
    (_at(27, "18:25"), "deep_cleaning", {"date": "2026-11-27", "time": "19:00"}),  # later today
    (_at(27, "23:50"), "lock_service", {"date": "2026-11-28", "time": "00:30"}),    # round the clock
])
def test_the_first_start(now: dt.datetime, service: str, first: dict) -> None:
    assert availability.first_start(demo_catalog(), service, now, TZ) == first


def test_the_first_start_skips_days_off() -> None:
    salon = parse_catalog(CLOSED_MONDAYS)  # closed Mondays and Tuesdays; the locksmith is not
    sunday_night = _at(29, "23:50")
    assert availability.first_start(salon, "facial", sunday_night, TZ) == {"date": "2026-12-02", "time": "00:00"}
    assert availability.first_start(salon, "lock", sunday_night, TZ) == {"date": "2026-11-30", "time": "00:30"}


def test_a_plain_yes_takes_the_one_start_offered() -> None:
    yes = ParseResult(intent="affirm", confidence=1.0)
    assert offer_accepted(yes, ["on:2026-11-28T07:00"]) == "on:2026-11-28T07:00"
    assert offer_accepted(yes, ["at:19:00"]) == "at:19:00"
    assert offer_accepted(yes, ["at:19:00", "at:20:00"]) is None  # which one is for them to say
    assert offer_accepted(yes, ["affirm", "deny"]) is None
    assert offer_accepted(ParseResult(intent="affirm", confidence=1.0, slots={"time": "10:00"}),
                          ["on:2026-11-28T07:00"]) is None  # "好，10点吧" says its own
    assert payload_to_parse("on:2026-11-28T07:00").slots == {"date": "2026-11-28", "time": "07:00"}
    assert payload_to_parse("on:2026-11-28").slots == {"date": "2026-11-28"}


async def test_today_once_its_hours_are_over_offers_tomorrows_opening(make_app, clock) -> None:
    clock.now = _at(27, "22:04")
    app = await make_app()
    c = Customer(app)
    reply = await c.say("家里厨房下水道堵了，今天能来吗")
    assert "今天的上门时间已经结束了（每天 07:00–22:00）" in reply
    assert "最早 11月28日（周六）07:00 能上门，要约这个时间吗？" in reply
    assert c.payloads == ["on:2026-11-28T07:00"]
    reply = await c.say("好的")
    assert "管道疏通，11月28日（周六）07:00" in reply and "地址" in reply
    await c.say("通州区梨园镇云景东路1号院3号楼2单元501")
    await c.say("18600001111")
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.status, o.date, o.time) == ("confirmed", dt.date(2026, 11, 28), dt.time(7, 0))


async def test_as_soon_as_possible_out_of_hours_offers_the_first_start(make_app, clock) -> None:
    clock.now = _at(27, "22:04")
    app = await make_app()
    c = Customer(app)
    await c.say("我要做个深度保洁")
    reply = await c.say("越快越好")
    assert "现在没法马上上门" in reply and "最早 11月28日（周六）07:00 能上门" in reply
    assert "11月28日（周六）07:00" in await c.say("1")


async def test_in_english_and_another_time_instead(make_app, clock) -> None:
    clock.now = _at(27, "22:04")
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("deep clean today please")
    assert "We have no more visits today (visits start 07:00–22:00)." in reply
    assert "The soonest we can come is Sat 28 Nov, 07:00: shall I book that?" in reply
    reply = await c.say("no, sunday 10am")
    assert "Sun 29 Nov, 10:00" in reply


@pytest.mark.parametrize("lang, said, label", [
    ("zh", "家里厨房下水道堵了，今天能来吗", "明天 07:00"),
    ("en", "deep clean today please", "tomorrow 07:00"),
])
async def test_the_first_start_button_reads_in_the_customers_words(make_app, clock, lang, said, label) -> None:
    clock.now = _at(27, "22:04")
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(said)
    assert [(ch.label, ch.payload) for ch in c.last.choices] == [(label, "on:2026-11-28T07:00")]


@pytest.mark.parametrize("first, lang, label", [
    ({"date": "2026-11-27", "time": "19:00"}, "zh", "今天 19:00"),
    ({"date": "2026-11-27", "time": "19:00"}, "en", "today 19:00"),
    ({"date": "2026-12-02", "time": "07:00"}, "zh", "12月2日（周三）07:00"),
    ({"date": "2026-12-02", "time": "07:00"}, "en", "Wed 02 Dec, 07:00"),
])
def test_a_first_start_further_off_is_labelled_by_its_date(first, lang, label) -> None:
    from handlers.render import Renderer, Say
    from handlers.turn import TurnBase

    renderer = Renderer(demo_catalog(), clock=lambda: _at(27, "18:25"))
    reply = renderer.render([Say("day_over", {"hours": None, "first": first},
                                 tuple(TurnBase._first_start_choice(first)))], lang)
    assert [c.label for c in reply.choices] == [label]
