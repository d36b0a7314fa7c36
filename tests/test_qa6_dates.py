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
@pytest.mark.parametrize("text, expected", [
    ("11月20号上午9点", "2026-11-20"), ("10月1号", "2026-10-01"), ("Nov 20", "2026-11-20"),
    ("20 November", "2026-11-20"),
    # long past, or ahead: the next such day
    ("9月1号", "2027-09-01"), ("1月5号", "2027-01-05"), ("Jan 5", "2027-01-05"), ("11月27号", "2026-11-27"),
])
def test_a_month_day_just_past_is_that_past_day(parser: NluParser, text: str, expected: str) -> None:
    assert slots(parser, text)["date"] == expected


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
