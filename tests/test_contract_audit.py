"""Contract audit: NLU output that had drifted from shared/contract.md, held to it.

Each case was found by reading the contract clause by clause against `jiedan nlu parse`.
Where the dialogue reads more into a message than the contract's slot says, that reading
travels in `ParseResult.flags` and the dialogue applies it (as `just_past` does), so the
slots stay the contract's."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.conftest import SHANGHAI
from tests.test_dialogue import Customer

NOW = dt.datetime(2026, 11, 27, 6, 30, tzinfo=SHANGHAI)  # a Friday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.fixture
def friday(clock):
    clock.now = NOW
    return clock


# ------------------------------------------------------------------ never guess a slot
# "周末, any day will do" names no one day: the contract's rules have no weekend, and
# "omit a slot that is not in the text; never guess one". The Saturday the dialogue books
# is its own choice, carried by the flag any_day.
@pytest.mark.parametrize("text, expected", [
    ("这周末哪天都行", "date"), ("either day this weekend", "date"),
    ("周末保洁，哪天都行", None), ("deep clean any day this weekend", None),
])
def test_any_day_of_the_weekend_is_no_date_slot(parser: NluParser, text: str,
                                                expected: str | None) -> None:
    p = parser.parse(text, now=NOW, expected=expected)
    assert "date" not in p.slots and "date" not in p.as_contract()["slots"]
    assert p.flags["any_day"] == "2026-11-28"


async def test_any_day_of_the_weekend_still_books_the_saturday(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("擦玻璃")
    assert "11月28日（周六）几点" in await c.say("这周末哪天都行")
    assert "11月28日（周六）" in await Customer(app, user="u2").say("周末擦玻璃，哪天都行")


# ------------------------------------------------------------ a clock time with its part of day
# "time: only when a clock time is given"; "period: only when a part of day is given without a
# clock time". An English hour said before its part of the day ("8 in the morning") is a clock
# time: it came out as the period alone.
@pytest.mark.parametrize("text, expected", [
    ("8 in the morning", {"time": "08:00"}),
    ("3 in the afternoon", {"time": "15:00"}),
    ("tomorrow 3 in the afternoon", {"date": "2026-11-28", "time": "15:00"}),
    ("7:30 in the evening", {"time": "19:30"}),
    ("11 at night", {"time": "23:00"}),
    ("9 tonight", {"date": "2026-11-27", "time": "21:00"}),
    ("3 this afternoon", {"date": "2026-11-27", "time": "15:00"}),
    ("deep clean friday 10 in the morning",
     {"service": "deep_cleaning", "date": "2026-11-27", "time": "10:00"}),
])
def test_an_hour_before_its_part_of_the_day_is_a_clock_time(parser: NluParser, text: str,
                                                            expected: dict) -> None:
    assert parser.parse(text, now=NOW).as_contract()["slots"] == expected


@pytest.mark.parametrize("text", ["call me in the morning", "2 rooms in the afternoon",
                                  "clean 3 bathrooms tonight", "flat 3 this afternoon",
                                  "room 12 tonight", "Apt #5 in the morning"])
def test_a_count_before_a_part_of_the_day_is_no_hour(parser: NluParser, text: str) -> None:
    assert "time" not in parser.parse(text, now=NOW).slots


# "time: ... for a range, its start": 三四点 is three or four o'clock, a range said without
# a separator; only the part of the day (or nothing) came out.
@pytest.mark.parametrize("text, expected", [
    ("下午三四点", {"time": "15:00"}), ("明天三四点", {"date": "2026-11-28", "time": "15:00"}),
    ("晚上七八点来保洁", {"service": "daily_cleaning", "time": "19:00"}),
    ("明天上午九十点", {"date": "2026-11-28", "time": "09:00"}), ("两三点", {"time": "14:00"}),
])
def test_two_neighbouring_hours_are_a_range_from_the_first(parser: NluParser, text: str,
                                                           expected: dict) -> None:
    assert parser.parse(text, now=NOW).as_contract()["slots"] == expected


@pytest.mark.parametrize("text", ["买了三四点心", "有三四点建议", "三五点"])
def test_other_pairs_of_numerals_are_no_time(parser: NluParser, text: str) -> None:
    assert "time" not in parser.parse(text, now=NOW).slots


# "quantity: integer, only when stated": 三四个人 is three or four people, no count; it came
# out as 34 (the numeral read digit by digit).
@pytest.mark.parametrize("text", ["三四个人", "明天保洁两三个小时", "洗七八台空调", "一两个小时"])
def test_three_or_four_is_no_quantity(parser: NluParser, text: str) -> None:
    assert "quantity" not in parser.parse(text, now=NOW).slots
    assert parser.parse(text, now=NOW, expected="quantity").slots.get("quantity") is None


@pytest.mark.parametrize("text, n", [("三个人", 3), ("十二个窗户", 12), ("二十个", 20), ("两个小时", 2)])
def test_a_stated_count_is_still_the_quantity(parser: NluParser, text: str, n: int) -> None:
    assert parser.parse(text, now=NOW).slots["quantity"] == n
