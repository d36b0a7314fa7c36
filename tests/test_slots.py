"""The pure booking rules: missing slots, corrections, appointment start, past times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from handlers import slots as S
from handlers.reading import numbered_choice

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 24, 20, 0, tzinfo=TZ)


def test_next_missing_follows_the_asking_order() -> None:
    assert S.next_missing({}) == "service"
    assert S.next_missing({"service": "moving"}) == "date"
    assert S.next_missing({"service": "moving", "date": "2026-11-25"}) == "time"
    d = {"service": "moving", "date": "2026-11-25", "period": "afternoon"}
    assert S.next_missing(d) == "address"
    assert S.next_missing({**d, "address": "x"}) == "phone"
    assert S.next_missing({**d, "address": "x", "phone": "13812345678"}) is None


def test_the_small_hours_need_an_hour() -> None:
    """凌晨 names no start to book (下午 does: 13:00): the hour is asked for."""
    d = {"service": "lock_service", "date": "2026-11-25", "period": S.SMALL_HOURS}
    assert S.needs_hour(d) and S.next_missing(d) == "time"
    assert not S.needs_hour({**d, "period": "night"}) and not S.needs_hour({**d, "time": "03:00"})
    assert S.needs_hour({"date": "2026-11-25"})


@pytest.mark.parametrize(("time", "period", "read"), [
    ("15:00", S.SMALL_HOURS, "03:00"), ("15:30", S.SMALL_HOURS, "03:30"), ("13:00", S.SMALL_HOURS, "01:00"),
    ("18:00", S.SMALL_HOURS, "06:00"),
    ("19:00", S.SMALL_HOURS, "07:00"),  # 7 to "凌晨几点？" is at its edge: the morning, not the evening
    ("08:00", S.SMALL_HOURS, "08:00"),  # 8 is not the night's
    ("12:00", S.SMALL_HOURS, "00:00"),
    ("08:00", "evening", "20:00"), ("15:00", "afternoon", "15:00"), ("13:00", "noon", "13:00"),
    ("15:00", "morning", "15:00"),  # neither reading is in the morning: the contract's stands
    ("15:00", None, "15:00"),
])
def test_a_bare_hour_is_read_in_the_part_of_the_day_known(time: str, period: str | None, read: str) -> None:
    assert S.hour_in_period(time, period) == read


def test_merge_later_words_win_and_time_replaces_period() -> None:
    d = {"service": "moving", "date": "2026-11-25", "time": "15:00"}
    assert S.merge(d, {"date": "2026-11-26"}) == {**d, "date": "2026-11-26"}
    assert S.merge(d, {"period": "morning"}) == {"service": "moving", "date": "2026-11-25",
                                                  "period": "morning"}
    assert S.merge({"period": "morning"}, {"time": "09:30"}) == {"time": "09:30"}
    assert S.merge(d, {"rating": 5, "order_ref": "x", "address": ""}) == d


def test_appointment_start_uses_the_period_start() -> None:
    assert S.appointment_start("2026-11-25", "15:30", None, TZ) == dt.datetime(2026, 11, 25, 15, 30, tzinfo=TZ)
    assert S.appointment_start("2026-11-25", None, "afternoon", TZ).hour == 13
    assert S.appointment_start("2026-11-25", None, "morning", TZ).hour == 8


@pytest.mark.parametrize(("draft", "problem"), [
    ({"date": "2026-11-23"}, "date_past"),
    ({"date": "2026-11-24", "time": "19:00"}, "time_past"),
    ({"date": "2026-11-24", "time": "20:00"}, "time_past"),
    ({"date": "2026-11-24", "time": "21:00"}, None),
    ({"date": "2026-11-24", "period": "afternoon"}, "time_past"),
    ({"date": "2026-11-24", "period": "evening"}, None),
    ({"date": "2026-11-25", "time": "08:00"}, None),
    ({}, None),
])
def test_when_problem(draft: dict, problem: str | None) -> None:
    assert S.when_problem(draft, NOW, TZ) == problem


def test_clear_when_asks_again_for_the_right_thing() -> None:
    d = {"date": "2026-11-23", "time": "10:00"}
    assert S.clear_when(d, "date_past") == "date" and d == {"time": "10:00"}, "another day, the same hour"
    d = {"date": "2026-11-24", "time": "10:00"}
    assert S.clear_when(d, "time_past") == "time" and d == {"date": "2026-11-24"}


@pytest.mark.parametrize("problem", ["closed", "closed_day", "full_day"])
def test_a_time_we_proposed_is_dropped_whole(problem: str) -> None:
    """"马上" refused: its day and hour were ours, and neither is kept as the customer's."""
    d = {"service": "deep_cleaning", "date": "2026-11-24", "time": "23:30"}
    assert S.clear_when(d, problem, proposed=True) == "date" and d == {"service": "deep_cleaning"}


def test_numbered_choice() -> None:
    offered = ["affirm", "deny", "cancel"]
    assert numbered_choice("1", offered) == "affirm"
    assert numbered_choice(" ３ ", offered) == "cancel"
    assert numbered_choice("2.", offered) == "deny"
    assert numbered_choice("4", offered) is None
    assert numbered_choice("0", offered) is None
    assert numbered_choice("1", []) is None
    assert numbered_choice("13812345678", offered) is None


def test_changes_service_only_for_another_service_of_a_draft() -> None:
    draft = {"service": "window_cleaning", "date": "2026-11-25"}
    assert S.changes_service(draft, {"service": "daily_cleaning"})
    assert not S.changes_service(draft, {"service": "window_cleaning"})
    assert not S.changes_service(draft, {"date": "2026-11-26"})
    assert not S.changes_service({}, {"service": "daily_cleaning"})  # no draft: nothing to correct
