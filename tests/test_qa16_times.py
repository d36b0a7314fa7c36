"""QA round 16, times and numbers read wrong: what the customer sees and what is stored.

1. "今晚2点来开锁" was booked for 14:00 today: an hour 1-3 after 晚上 / 今晚 / "tonight" is the
   small hours after that evening (02:00 the next day), as "今晚凌晨2点" was; "今晚8点" stays 20:00,
   and "tonight at 5" / "今晚5点" is 17:00 (nobody calls 5 a.m. the evening).
2. "明天9:00-12:00保洁" and "tomorrow 9-12" were booked for the usual 2 hours (the second with no time
   at all): a range of hours with a dash, tilde or 至 is read as "9点到12点" is, 09:00 for 3 hours.
3. "俩空调清洗" booked one air conditioner and "保洁仨小时" the usual 2 hours: 俩 and 仨 are 2 and 3
   (两个, 三个) for every reader of numbers; "咱俩", "他俩" are no count.
4. A bare "2" is the 2nd when the day is asked, 14:00 when the hour is, 2 when how many. "周五" /
   "make it friday" said on a Friday night was today, in the past ("这个时间已经过了") or with no
   start left: once today's visit can no longer be, a weekday said alone means next week's; and
   "今天保洁" at 22:30 asked the time for today: now it says today's visits are over, and asks the day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Friday morning
ZH_CONTACT = "朝阳区建国路88号3号楼1单元501，13812345678"
EN_CONTACT = "Apt 5, 18 Xinyuan Road, 13811116666"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- 1. an hour after the evening ------------------------------------------------------
@pytest.mark.parametrize("text, date, time", [
    ("今晚2点来开锁", "2026-11-28", "02:00"),
    ("今天晚上两点半来开锁", "2026-11-28", "02:30"),
    ("今晚1点", "2026-11-28", "01:00"),
    ("明晚2点开锁", "2026-11-29", "02:00"),
    ("tonight at 2 locksmith", "2026-11-28", "02:00"),
    ("locksmith 2 tonight", "2026-11-28", "02:00"),
    ("今晚8点来开锁", "2026-11-27", "20:00"),
    ("今天晚上6点", "2026-11-27", "18:00"),
    ("tonight at 8 locksmith", "2026-11-27", "20:00"),
    ("今晚凌晨2点", "2026-11-28", "02:00"),
    ("今晚12点", "2026-11-28", "00:00"),
    ("tonight at 5", "2026-11-27", "17:00"), ("this evening at 4", "2026-11-27", "16:00"),
    ("今晚5点来保洁", "2026-11-27", "17:00"), ("今晚凌晨5点开锁", "2026-11-28", "05:00"),
])
def test_an_hour_after_the_evening_is_in_the_small_hours(parser: NluParser, text: str, date: str, time: str) -> None:
    slots = parser.parse(text, now=NOW).slots
    assert (slots.get("date"), slots.get("time")) == (date, time), slots


@pytest.mark.parametrize("text, date, time", [
    ("明天晚上没人，3点来可以吗", "2026-11-28", "15:00"), ("晚上不在家，明天2点来", "2026-11-28", "14:00"),
])
def test_an_evening_said_apart_from_the_hour_is_no_small_hour(parser: NluParser, text: str, date: str,
                                                               time: str) -> None:
    slots = parser.parse(text, now=NOW).slots
    assert (slots.get("date"), slots.get("time")) == (date, time), slots


@pytest.mark.parametrize("text, time", [("晚上11点", "23:00"), ("晚上2点", "02:00"), ("晚7点", "19:00")])
def test_an_evening_hour_without_a_day(parser: NluParser, text: str, time: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots.get("time") == time and "date" not in r.slots, r
    assert r.flags.get("after_midnight", False) is (time < "06:00"), r.flags


async def test_tonight_at_two_books_the_small_hours(make_app) -> None:
    app = await make_app()  # Tuesday 24 Nov, 20:00
    summary = await Customer(app).say(f"今晚2点来开锁，{ZH_CONTACT}")
    assert "11月25日（周三）02:00" in summary, summary
    await Customer(app).say("确认")
    [o] = await all_orders(app)
    assert (o.date, o.time) == (dt.date(2026, 11, 25), dt.time(2, 0))


async def test_tonight_at_two_in_english(make_app) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say(f"locked out, come tonight at 2, {EN_CONTACT}")
    assert "When: Wed 25 Nov, 02:00\n" in summary, summary


async def test_tonight_at_nine_is_this_evening(make_app) -> None:
    app = await make_app()  # at 20:00
    summary = await Customer(app).say(f"今晚9点来开锁，{ZH_CONTACT}")
    assert "11月24日（周二）21:00" in summary, summary


# ----- 2. a range of hours with a dash ----------------------------------------------------
@pytest.mark.parametrize("text", [
    "明天9:00-12:00保洁", "明天9:00~12:00保洁", "明天9：00－12：00保洁", "明天9:00至12:00保洁", "明天9点-12点保洁",
    "明天9点～12点保洁", "明天9-12保洁", "tomorrow 9-12 cleaning", "cleaning tomorrow 9-12", "saturday 9-12 cleaning",
    "9am to 12pm cleaning tomorrow", "cleaning tomorrow 9:00-12:00",
])
def test_a_range_with_a_dash_is_read_as_one(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots.get("time") == "09:00" and r.flags.get("range_hours") == 3, r
    assert "quantity" not in r.slots, r


@pytest.mark.parametrize("text", ["明天保洁 T1-1203", "明天保洁，3-2-501", "明天保洁 11-28", "明天9:00或12:00保洁",
                                  "tomorrow 2-3 rooms cleaning", "明天 138-1234-5678 保洁"])
def test_numbers_with_a_dash_that_are_no_range(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert "range_hours" not in r.flags and r.slots.get("time") in (None, "09:00"), r


def test_a_phone_with_dashes_stays_a_phone(parser: NluParser) -> None:
    r = parser.parse("明天 138-1234-5678 保洁", now=NOW)
    assert r.slots.get("phone") == "13812345678" and "time" not in r.slots, r


@pytest.mark.parametrize("text", ["9-12", "9:00-12:00", "9~12", "那就9-12吧"])
def test_a_bare_range_answers_what_time(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW, expected="time")
    assert r.slots == {"time": "09:00"} and r.flags.get("range_hours") == 3, r


def test_a_bare_range_is_no_day(parser: NluParser) -> None:
    assert parser.parse("9-12", now=NOW, expected="date").slots == {}


async def test_a_bare_range_to_the_hour_question_books_its_hours(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "几点" in await c.say("明天保洁")
    await c.say("9-12")
    summary = await c.say(ZH_CONTACT)
    assert "服务：日常保洁（3小时）" in summary and "11月25日（周三）09:00" in summary, summary


async def test_a_range_with_colons_books_its_hours(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(f"明天9:00-12:00保洁，{ZH_CONTACT}")
    assert "服务：日常保洁（3小时）" in summary and "11月25日（周三）09:00" in summary, summary
    assert "× 3小时 = ¥135" in summary, summary
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.date, o.time, o.quantity) == (dt.date(2026, 11, 25), dt.time(9, 0), 3)


async def test_tomorrow_nine_to_twelve_in_english(make_app) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say(f"regular cleaning tomorrow 9-12, {EN_CONTACT}")
    assert "Service: Regular cleaning (3 hours)\n" in summary and "When: Wed 25 Nov, 09:00\n" in summary, summary


# ----- 3. 俩 and 仨 ------------------------------------------------------------------------
@pytest.mark.parametrize("text, quantity", [
    ("俩空调清洗", 2), ("仨空调清洗", 3), ("洗俩空调", 2), ("俩个空调清洗", 2), ("保洁俩小时", 2),
    ("明天保洁仨小时", 3), ("俩人搬家", 2), ("清洗空调俩台", 2),
])
def test_lia_and_sa_are_counts(parser: NluParser, text: str, quantity: int) -> None:
    assert parser.parse(text, now=NOW).slots.get("quantity") == quantity


@pytest.mark.parametrize("text", ["咱俩明天去", "他俩小时候住这", "我们俩在家，明天保洁", "咱俩空调清洗"])
def test_the_two_of_us_is_no_count(parser: NluParser, text: str) -> None:
    assert "quantity" not in parser.parse(text, now=NOW).slots


@pytest.mark.parametrize("text, delta", [("再加俩小时", 2), ("再加仨小时", 3), ("少俩小时", -2)])
def test_lia_and_sa_change_the_hours(parser: NluParser, text: str, delta: int) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.flags.get("quantity_delta"), r.flags.get("delta_per")) == (delta, "hour"), r


@pytest.mark.parametrize("text, date, time", [("俩小时后来", "2026-11-27", "12:00"), ("仨星期后保洁", "2026-12-18", None)])
def test_lia_and_sa_say_how_far_off(parser: NluParser, text: str, date: str, time: str | None) -> None:
    slots = parser.parse(text, now=NOW).slots
    assert (slots.get("date"), slots.get("time"), slots.get("quantity")) == (date, time, None), slots


def test_lia_and_a_half_hours_is_a_length(parser: NluParser) -> None:
    assert parser.parse("保洁俩个半小时", now=NOW).flags.get("length") == (150, "俩个半小时")


def test_lia_answers_how_many(parser: NluParser) -> None:
    assert parser.parse("俩", now=NOW, expected="quantity").slots == {"quantity": 2}


async def test_two_air_conditioners_said_as_lia(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(f"明天下午3点俩空调清洗，{ZH_CONTACT}")
    assert "家电清洗 × 2" in summary and "¥150 每台 × 2 = ¥300" in summary, summary
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.service_id, o.quantity) == ("appliance_cleaning", 2)


async def test_three_hours_said_as_sa(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(f"明天下午3点保洁仨小时，{ZH_CONTACT}")
    assert "服务：日常保洁（3小时）" in summary and "× 3小时 = ¥135" in summary, summary
    await c.say("确认")
    [o] = await all_orders(app)
    assert o.quantity == 3


# ----- 4. a bare "2", and today's weekday said late --------------------------------------
@pytest.mark.parametrize("text, expected, slots", [
    ("2", "date", {"date": "2026-12-02"}), ("2号", "date", {"date": "2026-12-02"}), ("2", "time", {"time": "14:00"}),
    ("2", "quantity", {"quantity": 2}), ("2", None, {}),
])
def test_a_bare_two_answers_what_was_asked(parser: NluParser, text: str, expected: str | None, slots: dict) -> None:
    assert parser.parse(text, now=NOW, expected=expected).slots == slots


async def test_a_bare_two_to_the_day_question_is_the_second(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "哪天" in await c.say("我要保洁")
    answer = await c.say("2")
    assert "12月2日（周三）" in answer and "几点方便" in answer, answer
    answer = await c.say("2")
    assert "12月2日（周三）14:00" in answer, answer


FRIDAY_NIGHT = dt.datetime(2026, 11, 27, 22, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
FRIDAY_LATE = dt.datetime(2026, 11, 27, 21, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_a_weekday_alone_that_is_today_is_flagged(parser: NluParser) -> None:
    assert parser.parse("周五保洁", now=FRIDAY_NIGHT).flags.get("weekday_today") is True
    assert parser.parse("make it friday", now=FRIDAY_NIGHT).flags.get("weekday_today") is True
    assert "weekday_today" not in parser.parse("这周五保洁", now=FRIDAY_NIGHT).flags
    assert "weekday_today" not in parser.parse("周六保洁", now=FRIDAY_NIGHT).flags


@pytest.mark.parametrize("lines", [["周五保洁"], ["保洁", "周五"]])
async def test_friday_said_after_the_last_start_is_next_friday(make_app, clock, lines: list[str]) -> None:
    clock.now = FRIDAY_NIGHT  # visits start 07:00-22:00
    app = await make_app()
    c = Customer(app)
    for line in lines:
        answer = await c.say(line)
    assert "12月4日（周五）" in answer and "11月27日" not in answer, answer


async def test_make_it_friday_at_the_summary_late_on_a_friday(make_app, clock) -> None:
    clock.now = FRIDAY_LATE
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(f"regular cleaning tomorrow 3pm, {EN_CONTACT}")
    summary = await c.say("make it friday")
    assert "When: Fri 04 Dec, 15:00\n" in summary and "passed" not in summary, summary
    await c.say("yes")
    [o] = await all_orders(app)
    assert (o.date, o.time) == (dt.date(2026, 12, 4), dt.time(15, 0))


async def test_a_booked_visit_moved_to_friday_late_on_a_friday(make_app, clock) -> None:
    clock.now = FRIDAY_LATE
    app = await make_app()
    c = Customer(app)
    await c.say(f"明天下午3点保洁，{ZH_CONTACT}")
    await c.say("确认")
    answer = await c.say("改到周五")
    assert "11月28日（周六）15:00 → 12月4日（周五）15:00" in answer, answer


async def test_friday_with_an_hour_left_today_is_still_today(make_app, clock) -> None:
    clock.now = FRIDAY_LATE  # 22:00 may still start
    app = await make_app()
    answer = await Customer(app).say("周五晚上10点保洁")
    assert "11月27日（周五）22:00" in answer, answer


async def test_friday_said_on_a_friday_morning_is_today(make_app, clock) -> None:
    clock.now = NOW
    app = await make_app()
    answer = await Customer(app).say("周五下午3点保洁")
    assert "11月27日（周五）15:00" in answer, answer


@pytest.mark.parametrize("lines, lang, over", [
    (["今天保洁"], None, "今天的上门时间已经结束了"), (["保洁", "今天"], None, "今天的上门时间已经结束了"),
    (["regular cleaning today"], "en", "We have no more visits today"),
])
async def test_today_after_the_last_start_is_refused(make_app, clock, lines: list[str], lang: str | None,
                                                     over: str) -> None:
    clock.now = FRIDAY_NIGHT
    app = await make_app()
    c = Customer(app, lang=lang)
    for line in lines:
        answer = await c.say(line)
    assert over in answer and "11月27日" not in answer and "27 Nov" not in answer, answer
    answer = await c.say("明天" if lang is None else "tomorrow")
    assert "11月28日（周六）" in answer or "Sat 28 Nov" in answer, answer


async def test_a_locksmith_today_late_is_still_today(make_app, clock) -> None:
    clock.now = FRIDAY_NIGHT  # locksmiths come round the clock
    app = await make_app()
    answer = await Customer(app).say("今天开锁")
    assert "11月27日（周五）" in answer and "几点" in answer, answer


@pytest.mark.parametrize("hm, over", [((21, 30), False), ((22, 30), True), ((9, 0), False)])
def test_day_over(hm: tuple[int, int], over: bool) -> None:
    now = FRIDAY_NIGHT.replace(hour=hm[0], minute=hm[1])
    hours = demo_catalog().hours_for("daily_cleaning")
    problem = S.when_problem({"date": "2026-11-27"}, now, now.tzinfo, hours)
    assert (problem == "day_over") is over, problem
    assert S.when_problem({"date": "2026-11-28"}, now, now.tzinfo, hours) is None
