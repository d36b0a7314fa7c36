"""QA round 15, how long and how many, said in passing: what the customer sees at the summary.

1. "regular cleaning 2moro 2-5pm" was booked for the usual 2 hours (¥90): a range of hours
   said as the time is how long a service priced by the hour is booked for (3 hours, ¥135);
   for a service priced by the visit it only starts the visit. "改成下午2点到5点" read 17:00.
2. "deep clean tmrw noon" was "around noon": the English noon alone is 12:00, as "at noon" is.
3. "明天上午打扫两个半小时" and "保洁半天" were the usual 2 hours: the quantity is a whole number,
   so 2.5 hours are booked as 3 (the words on the note, the customer told), 半天 as 4.
4. "清洗空调，挂机2台柜机1台" was ×2 (¥300), nothing noted: the sorts of air conditioner add up (×3,
   ¥450), each on the note.
"""

from __future__ import annotations

import datetime as dt

import pytest

from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer

NOW = dt.datetime(2026, 11, 27, 15, 40, tzinfo=dt.timezone(dt.timedelta(hours=8)))
EN_CONTACT = "Apt 5, 18 Xinyuan Road, 13811116666"
ZH_CONTACT = "朝阳区建国路88号3号楼，13812345678"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- 1. a range of hours ------------------------------------------------------------
@pytest.mark.parametrize("booking, when", [
    ("regular cleaning 2moro 2-5pm", "When: Wed 25 Nov, 14:00\n"),
    ("regular cleaning tomorrow from 9 to 12", "When: Wed 25 Nov, 09:00\n"),
])
async def test_a_range_of_hours_is_how_long_an_hourly_service_is_booked(make_app, booking: str, when: str) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say(f"{booking}, {EN_CONTACT}")
    assert "Service: Regular cleaning (3 hours)\n" in summary, summary
    assert when in summary, summary
    assert "× 3 hours = ¥135" in summary, summary
    assert "the usual" not in summary, summary


async def test_a_range_in_chinese_is_three_hours(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say(f"明天上午9点到12点保洁，{ZH_CONTACT}")
    assert "服务：日常保洁（3小时）" in summary and "09:00" in summary, summary
    assert "× 3小时 = ¥135" in summary, summary


async def test_a_range_given_as_the_time_mid_booking_is_its_hours(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天保洁")
    await c.say("9点到12点")
    summary = await c.say(ZH_CONTACT)
    assert "服务：日常保洁（3小时）" in summary and "09:00" in summary, summary
    assert "× 3小时 = ¥135" in summary, summary


async def test_a_range_at_the_summary_changes_the_time_and_the_usual_hours(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    first = await c.say(f"明天上午保洁，{ZH_CONTACT}")
    assert "日常保洁（2小时）" in first, first
    summary = await c.say("改成下午2点到5点")
    assert "14:00" in summary and "日常保洁（3小时）" in summary and "= ¥135" in summary, summary


async def test_hours_said_beside_a_range_stand(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say(f"明天下午2点到5点保洁，4个小时，{ZH_CONTACT}")
    assert "日常保洁（4小时）" in summary and "= ¥180" in summary, summary


async def test_a_range_only_starts_a_visit_priced_by_the_visit(make_app) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say(f"deep clean tomorrow 2-5pm, {EN_CONTACT}")
    assert "Service: Deep cleaning\n" in summary and "When: Wed 25 Nov, 14:00\n" in summary, summary
    assert "Guide price: ¥298\n" in summary, summary


@pytest.mark.parametrize("range_hours, price_per, said, booked, usual, hours", [
    (3, "hour", None, None, 2, 3),
    (3, "hour", None, 2, 2, 3),     # the usual length the summary filled in
    (3, "hour", 4, None, 2, None),  # hours said with it
    (3, "hour", None, 5, 2, None),  # hours said before
    (3, "visit", None, None, None, None),
    (None, "hour", None, None, 2, None),
])
def test_hours_of_a_range(range_hours: int | None, price_per: str, said: int | None, booked: int | None,
                          usual: int | None, hours: int | None) -> None:
    assert S.hours_of_a_range(range_hours, price_per, said, booked, usual) == hours


def test_the_end_of_a_chinese_range_is_no_time_of_its_own(parser: NluParser) -> None:
    """With a correction the last time said wins, which was the range's end (17:00)."""
    got = parser.parse("改成下午2点到5点", now=NOW)
    assert got.slots == {"time": "14:00"} and got.flags.get("range_hours") == 3


# ----- 2. noon alone ----------------------------------------------------------------------
async def test_noon_alone_is_twelve_oclock(make_app) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say(f"deep clean tmrw noon, {EN_CONTACT}")
    assert "When: Wed 25 Nov, 12:00\n" in summary, summary


async def test_around_noon_stays_a_part_of_the_day(make_app) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say(f"deep clean tomorrow around noon, {EN_CONTACT}")
    assert "When: Wed 25 Nov, around noon\n" in summary, summary


def test_at_noon_reads_the_period_as_twelve() -> None:
    assert S.at_noon({"date": "2026-11-28", "period": "noon"}) == {"date": "2026-11-28", "time": "12:00"}
    assert S.at_noon({"time": "12:30", "period": "noon"}) == {"time": "12:30", "period": "noon"}


# ----- 3. a length said other than as whole hours --------------------------------------------
@pytest.mark.parametrize("text, length", [
    ("明天上午打扫两个半小时", (150, "两个半小时")), ("明天上午保洁半天", (240, "半天")),
    ("打扫一个半小时", (90, "一个半小时")), ("打扫2.5小时", (150, "2.5小时")), ("保洁半小时", (30, "半小时")),
    ("cleaning 2.5 hours", (150, "2.5 hours")), ("cleaning two and a half hours", (150, "two and a half hours")),
    ("cleaning half a day", (240, "half a day")),
    # time spent or waited, and a change by so much, are no length ordered
    ("等了半天", None), ("师傅半天没来", None), ("提前半小时", None), ("再加半小时", None),
    ("打扫3小时", None),
])
def test_a_length_other_than_whole_hours_is_flagged(parser: NluParser, text: str,
                                                     length: tuple[int, str] | None) -> None:
    """The contract's quantity is an integer said as such: none here, the flag ``length`` instead."""
    got = parser.parse(text, now=NOW)
    assert got.flags.get("length") == length
    assert ("quantity" in got.slots) is (text == "打扫3小时")


async def test_two_and_a_half_hours_are_booked_as_three_and_noted(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    said = await c.say("明天上午打扫两个半小时")
    assert "“两个半小时”按3小时预约" in said, said
    await c.say("朝阳区建国路88号3号楼")
    summary = await c.say("13812345678")
    assert "服务：日常保洁（3小时）" in summary and "× 3小时 = ¥135" in summary, summary
    assert "备注：两个半小时" in summary, summary


async def test_half_a_day_is_four_hours(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say(f"明天上午保洁半天，{ZH_CONTACT}")
    assert "服务：日常保洁（4小时）" in summary and "× 4小时 = ¥180" in summary, summary
    assert "常规" not in summary, summary


async def test_a_length_does_not_count_visits(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say(f"明天上午深度保洁半天，{ZH_CONTACT}")
    assert "服务：深度保洁\n" in summary and "参考价：¥298\n" in summary, summary


@pytest.mark.parametrize("minutes, price_per, hours", [
    (150, "hour", 3), (240, "hour", 4), (30, "hour", 1), (150, "visit", None), (150, "item", None),
])
def test_hours_of_a_length(minutes: int, price_per: str, hours: int | None) -> None:
    assert S.hours_of_a_length(minutes, price_per) == hours


# ----- 4. sorts of one thing counted each --------------------------------------------------
@pytest.mark.parametrize("text, items", [
    ("明天下午清洗空调，挂机2台柜机1台", [("挂机2台", 2), ("柜机1台", 1)]),
    ("洗空调，2台挂机1台柜机", [("2台挂机", 2), ("1台柜机", 1)]),
    ("洗空调 挂机两台 柜机一台", [("挂机两台", 2), ("柜机一台", 1)]),
])
def test_sorts_of_one_thing_are_items_not_one_count(parser: NluParser, text: str,
                                                    items: list[tuple[str, int]]) -> None:
    """No one of the counts is the quantity (3 of them are): the flag ``items`` lists them."""
    got = parser.parse(text, now=NOW)
    assert got.flags.get("items") == items
    assert "quantity" not in got.slots and "counted" not in got.flags


def test_one_sort_counted_stays_the_quantity(parser: NluParser) -> None:
    got = parser.parse("想约人来洗空调 家里有3台挂机", now=NOW)
    assert got.slots.get("quantity") == 3 and "items" not in got.flags


async def test_sorts_of_air_conditioner_add_up_to_the_price(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say(f"明天下午清洗空调，挂机2台柜机1台，{ZH_CONTACT}")
    assert "服务：家电清洗 × 3" in summary and "¥150 每台 × 3 = ¥450" in summary, summary
    assert "备注：挂机2台、柜机1台" in summary, summary


async def test_sorts_for_a_repair_priced_by_the_visit_are_noted(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say(f"明天下午修空调，挂机2台柜机1台，{ZH_CONTACT}")
    assert "服务：家电维修\n" in summary and "备注：挂机2台、柜机1台" in summary, summary


async def test_a_length_said_beside_a_range_stands(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say(f"明天下午2点到5点保洁，两个半小时，{ZH_CONTACT}")
    assert "14:00" in summary and "日常保洁（3小时）" in summary and "备注：两个半小时" in summary, summary
    summary = await Customer(app, user="u2").say(f"明天下午1点到4点保洁半天，{ZH_CONTACT}")
    assert "13:00" in summary and "日常保洁（4小时）" in summary, summary
