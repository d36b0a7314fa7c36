"""QA round 6: dates found wanting in hands-on QA (past month-days, weekday plus date,
numeric dates, "now" once the day is known, midnight, the weekend and the end of the month).

The business clock is Friday 2026-11-27 early morning in Shanghai, as in the QA session."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.conftest import SHANGHAI
from tests.test_dialogue import Customer, all_orders

NOW = dt.datetime(2026, 11, 27, 6, 30, tzinfo=SHANGHAI)  # a Friday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


def parse(parser: NluParser, text: str, now: dt.datetime = NOW, expected: str | None = None):
    return parser.parse(text, now=now, expected=expected)


def slots(parser: NluParser, text: str, now: dt.datetime = NOW, expected: str | None = None) -> dict:
    return parse(parser, text, now, expected).slots


@pytest.fixture
def friday(clock):
    """The QA session's clock: Friday 2026-11-27 06:30 in Shanghai."""
    clock.now = NOW
    return clock


# ------------------------------------------------------------------ 1. a month-day just past
@pytest.mark.parametrize("text, just_past", [
    ("11月20号上午9点", "2026-11-20"), ("10月1号", "2026-10-01"), ("Nov 20", "2026-11-20"),
    ("20 November", "2026-11-20"), ("11/20", "2026-11-20"), ("20/11", "2026-11-20"),
])
def test_a_month_day_just_past_is_next_years_slot_and_flagged(parser: NluParser, text: str, just_past: str) -> None:
    """The contract: "a month-day without a year is the next such date on or after today";
    the flag tells the dialogue the customer most likely meant the day just gone."""
    p = parse(parser, text, NOW)
    assert p.slots["date"] == "2027" + just_past[4:]
    assert p.flags["just_past"] == just_past


@pytest.mark.parametrize("text, expected", [
    # long past, ahead, or with a year: the date, no flag
    ("9月1号", "2027-09-01"), ("1月5号", "2027-01-05"), ("Jan 5", "2027-01-05"), ("11月27号", "2026-11-27"),
    ("2027年11月20号", "2027-11-20"), ("2026年11月20号", "2026-11-20"), ("Nov 20 2027", "2027-11-20"),
])
def test_other_month_days_are_not_flagged(parser: NluParser, text: str, expected: str) -> None:
    p = parse(parser, text, NOW)
    assert p.slots["date"] == expected
    assert "just_past" not in p.flags


async def test_a_month_day_just_past_is_refused_not_booked_next_year(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    answer = await c.say("11月20号上午9点做保洁，朝阳区望京SOHO T1-1203，13812345678")
    assert "已经过去" in answer and "哪天" in answer and "请核对订单" not in answer
    summary = await c.say("12月1号")
    assert "时间：12月1日（周二）09:00" in summary, "this year: no year shown"
    assert "预约成功" in await c.say("确认")
    assert (await all_orders(app))[0].date == dt.date(2026, 12, 1)


async def test_a_date_next_year_shows_its_year(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("1月5号上午9点做保洁，朝阳区望京SOHO T1-1203，13812345678")
    assert "2027年1月5日（周二）09:00" in summary
    assert "2027年1月5日" in await c.say("确认")
    en = Customer(app, user="u2", lang="en")
    summary = await en.say("a cleaner on Jan 5 at 9am, 22 Rose Street, phone 13812345678")
    assert "Tue 05 Jan 2027, 09:00" in summary


# ------------------------------------------------------------------ 2. a weekday said with its date
@pytest.mark.parametrize("text, expected", [
    ("Saturday Dec 5th, 8am", "2026-12-05"), ("Saturday 5 December", "2026-12-05"),
    ("Friday 4th Dec", "2026-12-04"), ("Saturday the 5th", "2026-12-05"),
    ("周六12月5号上午9点搬家", "2026-12-05"), ("12月5号（周六）", "2026-12-05"), ("周六5号", "2026-12-05"),
    # the two disagree (Dec 5 is a Saturday): the date is taken, the summary shows its weekday
    ("Friday 5 Dec", "2026-12-05"), ("周五12月5号", "2026-12-05"),
    # a weekday alone, or with an hour right after it
    ("周六12点", "2026-11-28"), ("Saturday", "2026-11-28"),
    ("a week from today", "2026-12-04"), ("two weeks from now", "2026-12-11"),
    ("nxt sat 9am", "2026-12-05"), ("next sat 9am", "2026-12-05"),
])
def test_a_date_beside_a_weekday_says_which_one(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text)["date"] == expected


def test_the_hour_after_a_weekday_and_date_is_kept(parser: NluParser) -> None:
    assert slots(parser, "Saturday Dec 5th, 8am") == {"date": "2026-12-05", "time": "08:00"}
    got = slots(parser, "周六12月5号上午9点搬家")
    assert (got["service"], got["date"], got["time"]) == ("moving", "2026-12-05", "09:00")


@pytest.mark.parametrize("text, expected", [
    ("12/5", "2026-12-05"), ("12/5上午9点保洁", "2026-12-05"), ("30/11", "2026-11-30"),
    ("5/12", "2027-05-12"),  # month/day in English too: one rule, and the summary shows the date
    ("12.5号", "2026-12-05"), ("12.5上午", "2026-12-05"), ("12.5 下午3点", "2026-12-05"),
])
def test_written_dates_are_month_then_day(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text)["date"] == expected


@pytest.mark.parametrize("text", ["12.5元", "12.5", "12.30", "空调清洗12.5元一台", "1/2的房间", "3/4个小时", "4/5", "Rating: 8/10",
                                  "朝阳区望京3.5号楼", "地铁12.5号线", "12/5号楼"])
def test_prices_clock_times_and_fractions_are_no_dates(parser: NluParser, text: str) -> None:
    assert "date" not in slots(parser, text)


def test_twelve_thirty_is_still_a_clock_time(parser: NluParser) -> None:
    assert "date" not in slots(parser, "12.30")
    assert slots(parser, "明天12:30") == {"date": "2026-11-28", "time": "12:30"}


async def test_weekday_and_date_book_the_date(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    assert "12月5日（周六）09:00" in await c.say("周六12月5号上午9点搬家，朝阳区望京SOHO T1-1203，13812345678")
    en = Customer(app, user="u2", lang="en")
    assert "Sat 05 Dec, 08:00" in await en.say("a cleaner Saturday Dec 5th, 8am, 22 Rose Street, 13812345678")


# ------------------------------------------------------------------ 3. "now" once the day is known; midnight
@pytest.mark.parametrize("text", ["现在", "马上", "那就现在", "越快越好", "now", "asap"])
def test_now_answering_what_time_asks_for_the_soonest(parser: NluParser, text: str) -> None:
    assert parse(parser, text, expected="time").flags.get("asap")


@pytest.mark.parametrize("answer", ["现在", "马上", "那就现在", "越快越好"])
async def test_now_once_the_day_is_known_books_the_next_half_hour(make_app, friday, answer) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("开锁")
    assert "几点" in await c.say("今天")
    reply = await c.say(answer)
    assert "11月27日（周五）07:00" in reply and "没太明白" not in reply and "地址" in reply


@pytest.mark.parametrize("answer", ["now", "asap"])
async def test_now_once_the_day_is_known_in_english(make_app, friday, answer) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("locksmith")
    await c.say("today")
    reply = await c.say(answer)
    assert "Fri 27 Nov, 07:00" in reply and "address" in reply


async def test_now_after_another_day_is_not_the_soonest(make_app, friday) -> None:
    """"明天" then "马上": no time we could propose is on that day; the hour is still asked."""
    app = await make_app()
    c = Customer(app)
    await c.say("开锁")
    await c.say("明天")
    assert "11月27日（周五）07:00" not in await c.say("马上")


@pytest.mark.parametrize("text, day, hour", [
    ("今晚能来开锁吗 大概半夜12点", "2026-11-28", "00:00"),
    ("今晚12点", "2026-11-28", "00:00"),
    ("今天晚上12点", "2026-11-28", "00:00"),
    ("tonight at midnight", "2026-11-28", "00:00"),
    ("明天24点", "2026-11-29", "00:00"),
    # the midnight that starts the day, and noon, stay on it
    ("明天凌晨12点", "2026-11-28", "00:00"),
    ("明天中午12点", "2026-11-28", "12:00"),
    ("今晚11点半", "2026-11-27", "23:30"),
])
def test_midnight_tonight_ends_the_day(parser: NluParser, text: str, day: str, hour: str) -> None:
    got = slots(parser, text)
    assert (got["date"], got["time"]) == (day, hour)


async def test_a_locksmith_at_midnight_tonight_is_booked_not_refused(make_app, friday) -> None:
    app = await make_app()
    reply = await Customer(app).say("今晚能来开锁吗 大概半夜12点")
    assert "11月28日（周六）00:00" in reply and "已经过" not in reply


# ------------------------------------------------------------------ 4. the weekend, the end of the month
@pytest.mark.parametrize("text, dates", [
    ("周末", ["2026-11-28", "2026-11-29"]), ("this weekend", ["2026-11-28", "2026-11-29"]),
    ("下周末", ["2026-12-05", "2026-12-06"]), ("next weekend", ["2026-12-05", "2026-12-06"]),
    ("月底", ["2026-11-28", "2026-11-29", "2026-11-30"]), ("end of the month", ["2026-11-28", "2026-11-29", "2026-11-30"]),
])
def test_the_weekend_answering_which_day_is_a_choice_not_the_faq(parser: NluParser, text: str, dates: list) -> None:
    p = parse(parser, text, expected="date")
    assert p.flags["day_choice"]["dates"] == dates and "faq" not in p.flags and "date" not in p.slots


def test_any_day_of_the_weekend_is_its_saturday(parser: NluParser) -> None:
    """The dialogue's pick, a flag: no one day was said, so no date slot (contract)."""
    for text in ("这周末哪天都行", "either day this weekend"):
        p = parse(parser, text, expected="date")
        assert p.flags["any_day"] == "2026-11-28" and "date" not in p.slots, text


def test_the_weekend_on_a_sunday_is_that_sunday(parser: NluParser) -> None:
    sunday = dt.datetime(2026, 11, 29, 9, 0, tzinfo=SHANGHAI)
    assert parse(parser, "周末", sunday, expected="date").flags["day_choice"]["dates"] == ["2026-11-29"]


def test_asking_about_the_weekend_still_gets_the_faq(parser: NluParser) -> None:
    assert parse(parser, "周末开门吗").flags.get("faq") == 0
    assert parse(parser, "周末上班吗", expected="date").flags.get("faq") == 0


@pytest.mark.parametrize("answer", ["周末", "这周末"])
async def test_the_weekend_asks_saturday_or_sunday(make_app, friday, answer) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想约个擦玻璃")
    reply = await c.say(answer)
    assert "周六还是周日" in reply and "11月28日（周六）" in reply and "营业" not in reply
    assert c.payloads == ["on:2026-11-28", "on:2026-11-29"]
    assert "11月29日（周日）几点" in await c.say("2")


async def test_any_day_this_weekend_books_the_saturday(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想约个擦玻璃")
    assert "11月28日（周六）几点" in await c.say("这周末哪天都行")


async def test_this_weekend_in_english(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("window cleaning")
    reply = await c.say("this weekend")
    assert "Saturday or Sunday" in reply and c.payloads == ["on:2026-11-28", "on:2026-11-29"]
    assert "Sun 29 Nov" in await c.say("Sunday")


async def test_the_end_of_the_month_offers_its_last_days(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想约个擦玻璃")
    reply = await c.say("月底")
    assert "月底约哪天" in reply and "11月30日（周一）" in reply
    assert c.payloads == ["on:2026-11-28", "on:2026-11-29", "on:2026-11-30"]
    assert "11月30日（周一）几点" in await c.say(payload="on:2026-11-30")


async def test_the_weekend_with_the_service_in_one_message(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("这周末来擦玻璃")
    assert "擦玻璃" in reply and "周六还是周日" in reply


def test_midnight_without_a_day_is_flagged_for_the_dialogue(parser: NluParser) -> None:
    p = parse(parser, "晚上12点", expected="time")
    assert p.slots == {"time": "00:00"} and p.flags.get("after_midnight")
    assert not parse(parser, "凌晨12点", expected="time").flags.get("after_midnight")
    assert not parse(parser, "今晚12点").flags.get("after_midnight"), "its day is in the message"


async def test_midnight_once_the_day_is_known_ends_that_day(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("开锁")
    await c.say("明天")
    assert "11月29日（周日）00:00" in await c.say("晚上12点")
    assert "11月29日（周日）00:00" in await c.say("改成晚上12点"), "said again: the same midnight"
    en = Customer(app, user="u2", lang="en")
    await en.say("locksmith")
    await en.say("today")
    assert "Sat 28 Nov, 00:00" in await en.say("midnight")


async def test_a_new_day_for_an_order_may_be_the_weekend(make_app, friday) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点来望京SOHO T1-1203做个深度保洁 13812345678")
    assert "预约成功" in await c.say("确认")
    assert "改到什么时间" in await c.say("我要改时间")
    offer = await c.say("下周末")
    assert "周六还是周日" in offer and c.payloads == ["on:2026-12-05", "on:2026-12-06"]
    assert "11月28日（周六）15:00 → 12月6日（周日）15:00" in await c.say("2")
