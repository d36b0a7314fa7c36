"""A week said before the day: "我下周要搬家" then "周六上午" booked this week's Saturday, as
if the week had not been said ("we're moving next week" then "saturday morning" too); "下周，周六
上午" in one message did the same, and "next week" went on the note. The day is that week's."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize(("text", "week"), [
    ("我下周要搬家", "2026-11-30"), ("下个星期搬家", "2026-11-30"), ("we're moving next week", "2026-11-30"),
    ("这周要搬家", "2026-11-23"),
    ("下周六搬家", None), ("下周末搬家", None), ("moving saturday next week", None),  # a day, a weekend: read as such
    ("上周搬的家", None),
])
def test_a_week_said_with_no_day_is_flagged(parser: NluParser, text: str, week: str | None) -> None:
    assert parser.parse(text, now=NOW).flags.get("week") == week


@pytest.mark.parametrize("text", ["下周，周六上午", "下个星期搬家，周六上午", "next week, saturday morning"])
def test_the_week_and_a_weekday_in_one_message_are_that_weeks_day(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots.get("date"), r.slots.get("period"), r.flags.get("note")) == ("2026-12-05", "morning", None)


@pytest.mark.parametrize(("lang", "first", "day", "line", "date"), [
    ("zh", "我下周要搬家", "周六上午", "12月5日（周六）上午", dt.date(2026, 12, 5)),
    ("en", "we're moving next week", "saturday morning", "Sat 05 Dec, morning", dt.date(2026, 12, 5)),
    ("zh", "我要搬家", "周六上午", "11月28日（周六）上午", dt.date(2026, 11, 28)),  # no week said: this week's
])
async def test_a_weekday_answered_after_the_week_is_that_weeks(make_app, lang: str, first: str, day: str,
                                                              line: str, date: dt.date) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(first)
    assert line in await c.say(day)
    await c.say("朝阳区望京SOHO T1-1203" if lang == "zh" else "12 Baker Street apt 3")
    await c.say("顺义区湖景路8号" if lang == "zh" else "8 Lake View Road, Shunyi")
    await c.say("13812345678")
    [order] = await all_orders(app)
    assert order.date == date


@pytest.mark.parametrize(("lang", "first", "week", "asked", "day", "line"), [
    ("zh", "我要搬家", "下周吧", "请问约下周哪天、几点？", "周六上午", "12月5日（周六）上午"),
    ("en", "I need movers", "next week", "Which day next week, and what time?", "saturday morning",
     "Sat 05 Dec, morning"),
])
async def test_a_week_alone_to_which_day_asks_which_day_of_it(make_app, lang: str, first: str, week: str,
                                                              asked: str, day: str, line: str) -> None:
    """"下周吧" to "which day?" was not understood ("抱歉，我没太明白")."""
    c = Customer(await make_app(), lang=lang)
    await c.say(first)
    reply = await c.say(week)
    assert asked in reply and "没太明白" not in reply and "didn't" not in reply, reply
    assert line in await c.say(day)
