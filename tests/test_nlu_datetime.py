"""Date, time and part-of-day rules of the contract, through the parser and the rule functions."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from nlu.datetime_rules import bare_day, bare_hour, hour_to_24, next_day_of_month, next_month_day, recent_past_month_day
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog

SH = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=SH)  # a Tuesday
ROLLOVER = datetime(2026, 12, 30, 10, 0, tzinfo=SH)  # a Wednesday, two days before New Year


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


def slots(parser: NluParser, text: str, now: datetime = NOW, expected: str | None = None) -> dict:
    return parser.parse(text, now=now, expected=expected).slots


# ------------------------------------------------------------------ relative days
@pytest.mark.parametrize("text, expected", [
    ("今天", "2026-11-24"), ("明天", "2026-11-25"), ("后天", "2026-11-26"), ("大后天", "2026-11-27"),
    ("today", "2026-11-24"), ("tomorrow", "2026-11-25"), ("tmrw", "2026-11-25"),
    ("the day after tomorrow", "2026-11-26"), ("3天后", "2026-11-27"), ("一周后", "2026-12-01"),
    ("in 2 days", "2026-11-26"), ("後天", "2026-11-26"), ("明日", "2026-11-25"),
])
def test_relative_days(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text)["date"] == expected


@pytest.mark.parametrize("text, expected", [
    ("明天", "2026-12-31"), ("后天", "2027-01-01"), ("大后天", "2027-01-02"), ("tomorrow", "2026-12-31"),
])
def test_relative_days_cross_the_year(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text, ROLLOVER)["date"] == expected


# ------------------------------------------------------------------ weekdays
@pytest.mark.parametrize("text, expected", [
    # a weekday alone: the next such day on or after today (today is Tuesday 11-24)
    ("周二", "2026-11-24"), ("周三", "2026-11-25"), ("周六", "2026-11-28"), ("星期六", "2026-11-28"),
    ("礼拜六", "2026-11-28"), ("週六", "2026-11-28"), ("周日", "2026-11-29"), ("星期天", "2026-11-29"),
    ("周一", "2026-11-30"), ("Saturday", "2026-11-28"), ("on friday", "2026-11-27"), ("Tuesday", "2026-11-24"),
    # 下周X / next X: that day in the following Monday-start week
    ("下周一", "2026-11-30"), ("下周二", "2026-12-01"), ("下周六", "2026-12-05"), ("下个星期三", "2026-12-02"),
    ("下礼拜天", "2026-12-06"), ("next friday", "2026-12-04"), ("next monday", "2026-11-30"),
    ("monday next week", "2026-11-30"),
    # 这周X / this X: that day in the current week, even if it is already past
    ("这周一", "2026-11-23"), ("这周日", "2026-11-29"), ("本周五", "2026-11-27"), ("这个周六", "2026-11-28"),
    ("this saturday", "2026-11-28"), ("this monday", "2026-11-23"),
    # sat/sun/mon/wed are also English words: a weekday when a time follows
    ("Wed 2-4pm", "2026-11-25"), ("sat morning works", "2026-11-28"), ("Sun 10am?", "2026-11-29"),
    ("available mon at 9:30", "2026-11-30"),
])
def test_weekdays(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text)["date"] == expected


@pytest.mark.parametrize("text, expected", [
    ("周一", "2027-01-04"), ("周三", "2026-12-30"), ("周五", "2027-01-01"), ("下周一", "2027-01-04"),
    ("这周日", "2027-01-03"), ("这周一", "2026-12-28"), ("next friday", "2027-01-08"),
])
def test_weekdays_at_year_end(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text, ROLLOVER)["date"] == expected


# ------------------------------------------------------------------ month-day
@pytest.mark.parametrize("text, expected", [
    ("11月30号", "2026-11-30"), ("11月30日", "2026-11-30"), ("十一月三十号", "2026-11-30"), ("12月3号", "2026-12-03"),
    ("11月24号", "2026-11-24"), ("11月23号", "2027-11-23"), ("1月5号", "2027-01-05"),
    ("5号", "2026-12-05"), ("30号", "2026-11-30"), ("24号", "2026-11-24"), ("五号", "2026-12-05"),
    ("下个月5号", "2026-12-05"), ("2027年3月1日", "2027-03-01"), ("2026-12-01", "2026-12-01"),
    ("Dec 3", "2026-12-03"), ("December 3rd", "2026-12-03"), ("3rd December", "2026-12-03"),
    ("3 dec", "2026-12-03"), ("the 5th", "2026-12-05"), ("Nov 1", "2027-11-01"),
    ("11月30號", "2026-11-30"),
])
def test_month_day(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text)["date"] == expected


@pytest.mark.parametrize("text, expected", [
    ("1月5号", "2027-01-05"), ("5号", "2027-01-05"), ("30号", "2026-12-30"), ("29号", "2027-01-29"),
    ("31号", "2026-12-31"), ("12月25号", "2027-12-25"), ("Jan 2", "2027-01-02"), ("Dec 31", "2026-12-31"),
    ("2月29号", "2028-02-29"), ("下个月5号", "2027-01-05"),
])
def test_month_day_rolls_over_the_year(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text, ROLLOVER)["date"] == expected


@pytest.mark.parametrize("text", ["the sun is out today", "we got wed in may", "mon dieu", "sat down to write"])
def test_english_words_that_spell_a_weekday(parser: NluParser, text: str) -> None:
    s = slots(parser, text)
    assert s.get("date") in (None, "2026-11-24")  # "today" may be read, never a weekday


def test_street_numbers_are_not_dates(parser: NluParser) -> None:
    s = slots(parser, "地址：海淀区中关村大街27号")
    assert "date" not in s
    assert s["address"] == "海淀区中关村大街27号"
    for text in ("3号楼", "地铁10号线", "光华路5号院", "建国路88号", "地址：翠湖1号", "住在金沙港3号"):
        assert "date" not in slots(parser, text), text


# ------------------------------------------------------------------ clock times
@pytest.mark.parametrize("text, expected", [
    # bare hour: 8-11 morning, 12 and 1-7 afternoon/evening
    ("3点", "15:00"), ("三点", "15:00"), ("两点", "14:00"), ("7点", "19:00"), ("8点", "08:00"),
    ("11点", "11:00"), ("12点", "12:00"), ("十二点", "12:00"), ("1点来", "13:00"), ("１０点", "10:00"),
    ("３点", "15:00"), ("15:00", "15:00"), ("15点", "15:00"), ("3:30", "15:30"), ("9:05", "09:05"),
    # parts of day
    ("上午10点", "10:00"), ("早上8点", "08:00"), ("早上九点", "09:00"), ("中午12点", "12:00"),
    ("中午1点", "13:00"), ("下午3点", "15:00"), ("下午三点", "15:00"), ("下午两点", "14:00"),
    ("晚上7点", "19:00"), ("晚上八点", "20:00"), ("今晚八点", "20:00"), ("夜里11点", "23:00"),
    ("凌晨3点", "03:00"), ("上午12点", "12:00"), ("下午12点", "12:00"), ("早8点", "08:00"), ("晚7点", "19:00"),
    # minutes
    ("十点半", "10:30"), ("3点半", "15:30"), ("十点一刻", "10:15"), ("十点三刻", "10:45"), ("10点30分", "10:30"),
    ("10点30", "10:30"), ("十点零五", "10:05"), ("八点十五分", "08:15"), ("两点半", "14:30"),
    # ranges: the start
    ("下午3点到5点", "15:00"), ("三到五点", "15:00"), ("3-5点", "15:00"), ("上午9点至11点", "09:00"),
    # English
    ("3pm", "15:00"), ("3 pm", "15:00"), ("3:30 pm", "15:30"), ("10am", "10:00"), ("10 a.m.", "10:00"),
    ("12pm", "12:00"), ("12am", "00:00"), ("at 3", "15:00"), ("at 10", "10:00"), ("3 o'clock", "15:00"),
    ("half past 3", "15:30"), ("quarter to 4", "15:45"), ("quarter past 9", "09:15"), ("3-5pm", "15:00"),
    ("at noon", "12:00"), ("12 noon", "12:00"), ("at midday", "12:00"), ("around 12 noon", "12:00"),
    ("at 8 in the evening", "20:00"), ("tonight at 8", "20:00"),
    ("at 3 in the morning", "03:00"),
])
def test_clock_times(parser: NluParser, text: str, expected: str | None) -> None:
    assert slots(parser, text).get("time") == expected


def test_weak_yi_dian_is_a_little_not_one_oclock(parser: NluParser) -> None:
    for text in ("快一点", "便宜一点", "早一点来", "晚一点", "一点点", "有两点要求"):
        assert "time" not in slots(parser, text), text
    assert slots(parser, "明天一点")["time"] == "13:00"
    assert slots(parser, "下午一点")["time"] == "13:00"
    assert slots(parser, "一点半")["time"] == "13:30"
    assert slots(parser, "一点", expected="time")["time"] == "13:00"


# ------------------------------------------------------------------ periods
@pytest.mark.parametrize("text, period", [
    ("上午", "morning"), ("早上", "morning"), ("中午", "noon"), ("下午", "afternoon"), ("晚上", "evening"),
    ("傍晚", "evening"), ("夜里", "night"), ("半夜", "night"), ("morning", "morning"),
    ("in the afternoon", "afternoon"), ("this evening", "evening"), ("tonight", "evening"), ("at night", "night"),
    # "around noon" gives no clock time, only the part of day
    ("around noon", "noon"), ("sometime around midday on friday", "noon"), ("lunchtime", "noon"),
])
def test_period_alone(parser: NluParser, text: str, period: str) -> None:
    s = slots(parser, text)
    assert s["period"] == period
    assert "time" not in s


def test_period_is_dropped_when_a_clock_time_is_given(parser: NluParser) -> None:
    s = slots(parser, "明天下午3点")
    assert s == {"date": "2026-11-25", "time": "15:00"}


def test_when_the_problem_happens_is_not_when_to_come(parser: NluParser) -> None:
    assert slots(parser, "家里有老鼠 晚上吵得没法睡") == {"service": "pest_control"}
    assert slots(parser, "半夜蟑螂乱爬 明天上午能来吗")["period"] == "morning"
    assert "period" not in slots(parser, "水管晚上一直滴水")
    # ...while a part of the day that asks for a visit stays
    assert slots(parser, "晚上跑一趟吧")["period"] == "evening"
    assert slots(parser, "晚上来吧 老鼠吵死了")["period"] == "evening"
    assert slots(parser, "下午出来一下")["period"] == "afternoon"


def test_greetings_are_not_parts_of_day(parser: NluParser) -> None:
    for text in ("早上好", "晚上好", "下午好", "good morning", "good evening"):
        s = slots(parser, text)
        assert "period" not in s and "time" not in s, text


def test_tonight_gives_today_and_evening(parser: NluParser) -> None:
    assert slots(parser, "今晚") == {"date": "2026-11-24", "period": "evening"}
    assert slots(parser, "tonight") == {"date": "2026-11-24", "period": "evening"}
    assert slots(parser, "明早") == {"date": "2026-11-25", "period": "morning"}


# ------------------------------------------------------------------ combinations
@pytest.mark.parametrize("text, expected", [
    ("明天下午三点", {"date": "2026-11-25", "time": "15:00"}),
    ("后天上午10点半", {"date": "2026-11-26", "time": "10:30"}),
    ("下周六上午", {"date": "2026-12-05", "period": "morning"}),
    ("周五晚上7点", {"date": "2026-11-27", "time": "19:00"}),
    ("11月30号下午两点", {"date": "2026-11-30", "time": "14:00"}),
    ("大后天中午", {"date": "2026-11-27", "period": "noon"}),
    ("这周日早上9点", {"date": "2026-11-29", "time": "09:00"}),
    ("tomorrow at 3pm", {"date": "2026-11-25", "time": "15:00"}),
    ("next friday 3:30 pm", {"date": "2026-12-04", "time": "15:30"}),
    ("Dec 3 at 10am", {"date": "2026-12-03", "time": "10:00"}),
    ("tomorrow afternoon", {"date": "2026-11-25", "period": "afternoon"}),
    ("後天下午三點半", {"date": "2026-11-26", "time": "15:30"}),
])
def test_date_and_time_together(parser: NluParser, text: str, expected: dict) -> None:
    assert slots(parser, text) == expected


def test_now_in_another_zone_is_converted_to_business_time(parser: NluParser) -> None:
    # 22:00 UTC on the 24th is 06:00 on the 25th in Shanghai: 明天 is the 26th. (At 02:00 it is
    # asked: today or the 26th? test_dates_times_lengths.py)
    utc = datetime(2026, 11, 24, 22, 0, tzinfo=timezone.utc)
    assert slots(parser, "明天", utc)["date"] == "2026-11-26"
    # naive = business-local wall clock
    assert slots(parser, "明天", datetime(2026, 11, 24, 23, 59))["date"] == "2026-11-25"


def test_other_business_timezone() -> None:
    london = NluParser(demo_catalog(), timezone="Europe/London")
    # 23:30 in Shanghai on the 24th is 15:30 in London, still the 24th
    assert london.parse("tomorrow", now=datetime(2026, 11, 24, 23, 30, tzinfo=SH)).slots["date"] == "2026-11-25"
    # 07:00 in Shanghai on the 25th is 23:00 on the 24th in London
    assert london.parse("tomorrow", now=datetime(2026, 11, 25, 7, 0, tzinfo=SH)).slots["date"] == "2026-11-25"


def test_correction_takes_the_last_value(parser: NluParser) -> None:
    r = parser.parse("不是明天，是后天", now=NOW)
    assert r.slots["date"] == "2026-11-26"
    assert r.flags.get("correction") is True
    assert slots(parser, "明天不行，后天吧")["date"] == "2026-11-26"
    assert slots(parser, "不是3点，是4点")["time"] == "16:00"


# ------------------------------------------------------------------ rule functions
def test_hour_to_24_rules() -> None:
    assert [hour_to_24(h, 0, None) for h in (8, 9, 10, 11, 12, 1, 5, 7)] == [
        (8, 0), (9, 0), (10, 0), (11, 0), (12, 0), (13, 0), (17, 0), (19, 0)]
    assert hour_to_24(3, 0, "am") == (3, 0)
    assert hour_to_24(3, 30, "pm") == (15, 30)
    assert hour_to_24(12, 0, "noon") == (12, 0)
    assert hour_to_24(1, 0, "noon") == (13, 0)
    assert hour_to_24(11, 0, "evening") == (23, 0)
    assert hour_to_24(12, 0, "night") == (0, 0)
    assert hour_to_24(2, 0, "night") == (2, 0)
    assert hour_to_24(15, 0, "am") == (15, 0)
    assert hour_to_24(25, 0, None) is None
    assert hour_to_24(3, 60, None) is None


def test_calendar_helpers() -> None:
    today = date(2026, 12, 30)
    assert next_month_day(today, 12, 30) == date(2026, 12, 30)
    assert next_month_day(today, 12, 29) == date(2027, 12, 29)  # the contract: next such date
    assert recent_past_month_day(today, 12, 29) == date(2026, 12, 29)  # just past: flagged, refused
    assert next_month_day(today, 10, 1) == date(2027, 10, 1)  # long past: next year's
    assert next_month_day(today, 2, 30) is None
    assert next_day_of_month(date(2026, 11, 24), 31) == date(2026, 12, 31)
    assert next_day_of_month(date(2027, 1, 31), 30) == date(2027, 3, 30)  # February has no 30th
    assert next_day_of_month(today, 0) is None
    assert bare_hour("3") == "15:00"
    assert bare_hour("十") == "10:00"
    assert bare_hour("three") == "15:00"
    assert bare_hour("明天") is None
    assert bare_day("5", date(2026, 11, 24)) == "2026-12-05"
    assert bare_day("40", date(2026, 11, 24)) is None


def test_bare_answers_with_expected(parser: NluParser) -> None:
    assert slots(parser, "3", expected="time") == {"time": "15:00"}
    assert slots(parser, "3点", expected="time") == {"time": "15:00"}
    assert slots(parser, "十点", expected="time") == {"time": "10:00"}
    assert slots(parser, "下午", expected="time") == {"period": "afternoon"}
    assert slots(parser, "周六", expected="date") == {"date": "2026-11-28"}
    assert slots(parser, "30", expected="date") == {"date": "2026-11-30"}
    assert slots(parser, "3", expected="quantity") == {"quantity": 3}  # not a time when quantity is asked
