"""Opening hours (catalog `hours:`): a visit is booked only when the business, or that
service, comes out. Before, "今晚11点来做个深度保洁" became a confirmed order nobody
would keep; now the customer hears the hours and picks another time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers import backoffice
from handlers import slots as S
from storage.catalog import CatalogError, Hours, demo_catalog, parse_catalog
from tests.test_dialogue import Customer, all_orders

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 24, 20, 0, tzinfo=TZ)  # Tuesday evening
DAY_SHIFT = Hours(open=9 * 60, close=18 * 60)
OVERNIGHT = Hours(open=18 * 60, close=2 * 60)


def _catalog(business_hours: str = '"09:00-18:00"') -> str:
    return f"""
business: {{name: 小王家政, hours: {business_hours}}}
services:
  - {{id: cleaning, name: {{zh: 保洁, en: Cleaning}}, synonyms: [打扫]}}
  - {{id: lock, name: {{zh: 开锁, en: Locksmith}}, hours: "00:00-24:00"}}
  - {{id: bar, name: {{zh: 夜场保洁, en: Night cleaning}}, hours: "18:00-02:00"}}
"""


def test_hours_are_read_from_the_catalog() -> None:
    c = parse_catalog(_catalog())
    assert c.business.hours == DAY_SHIFT
    assert c.hours_for("cleaning") == DAY_SHIFT, "a service without its own hours has the business's"
    assert c.hours_for("lock") is None, "round the clock is no limit"
    assert c.hours_for("bar") == OVERNIGHT
    assert c.hours_for("nonexistent") == DAY_SHIFT
    assert parse_catalog("business: {name: B}\nservices: [{id: a, name: {zh: 甲}}]").hours_for("a") is None
    assert parse_catalog(_catalog('"9:00 – 18:00"')).business.hours == DAY_SHIFT


@pytest.mark.parametrize("bad", ['"9-18"', '"25:00-26:00"', '"08:00-08:00"', '"08:61-09:00"', "[9, 18]"])
def test_malformed_hours_say_where(bad: str) -> None:
    with pytest.raises(CatalogError, match="hours"):
        parse_catalog(_catalog(bad), "shop.yaml")


@pytest.mark.parametrize(("hours", "clock", "admitted"), [
    (DAY_SHIFT, dt.time(9, 0), True), (DAY_SHIFT, dt.time(18, 0), True),   # both ends count
    (DAY_SHIFT, dt.time(8, 59), False), (DAY_SHIFT, dt.time(18, 1), False),
    (OVERNIGHT, dt.time(23, 30), True), (OVERNIGHT, dt.time(1, 0), True),
    (OVERNIGHT, dt.time(12, 0), False),
])
def test_a_start_is_admitted_within_the_hours(hours: Hours, clock: dt.time, admitted: bool) -> None:
    assert hours.admits(clock) is admitted


def test_a_part_of_the_day_starts_when_the_hours_allow() -> None:
    assert S.start_clock(None, "morning", DAY_SHIFT) == dt.time(9, 0), "早上 at a business opening at 9"
    assert S.start_clock(None, "afternoon", DAY_SHIFT) == dt.time(13, 0)
    assert S.start_clock(None, "evening", OVERNIGHT) == dt.time(18, 0)
    assert S.start_clock(None, "morning", None) == dt.time(8, 0)
    assert S.start_clock("07:30", None, DAY_SHIFT) == dt.time(7, 30), "a clock time is never moved"


@pytest.mark.parametrize(("when", "problem"), [
    ({"date": "2026-11-25", "time": "20:00"}, "closed"),
    ({"date": "2026-11-25", "time": "08:00"}, "closed"),
    ({"date": "2026-11-25", "period": "night"}, "closed"),     # 21:00-24:00 never meets 9-18
    ({"date": "2026-11-25", "period": "evening"}, "closed"),   # nor does 18:00-22:00 but its first minute
    ({"date": "2026-11-25", "period": "morning"}, None),       # 8-12 meets it at 9
    ({"date": "2026-11-25", "time": "17:30"}, None),
    ({"date": "2026-11-23", "time": "10:00"}, "date_past"),    # the past comes first
    ({"date": "2026-11-24", "time": "19:00"}, "day_over"),     # gone, and at 20:00 no start is left today
    ({"date": "2026-11-25"}, None),                            # no time yet: nothing to check
])
def test_when_problem_knows_the_hours(when: dict, problem: str | None) -> None:
    hours = DAY_SHIFT if when.get("period") != "evening" else Hours(open=9 * 60, close=17 * 60 + 59)
    assert S.when_problem(when, NOW, TZ, hours) == problem
    # without hours nothing is closed, and at 20:00 a visit can still start today
    assert S.when_problem(when, NOW, TZ, None) == {"closed": None, "day_over": "time_past"}.get(problem, problem)


def test_the_demo_business_comes_out_from_seven_to_ten_and_its_locksmith_always() -> None:
    c = demo_catalog()
    assert c.hours_for("deep_cleaning") == Hours(open=7 * 60, close=22 * 60)
    assert c.hours_for("lock_service") is None


async def test_a_late_visit_is_refused_with_the_hours_and_the_booking_goes_on(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    answer = await c.say("明天晚上11点来做个深度保洁")
    assert "07:00–22:00" in answer and "23:00" in answer and "几点方便" in answer
    assert "地址" in await c.say("晚上8点")
    await c.say("望京SOHO T1-1203，电话13812345678")
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.status, order.time) == ("confirmed", dt.time(20, 0))


async def test_a_locksmith_comes_at_night(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("明天晚上11点来开锁，地址望京SOHO T1-1203，电话13812345678")
    assert "23:00" in summary and "确认" in summary


async def test_the_hours_are_checked_once_the_service_is_known(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    asked = await c.say("明天凌晨5点可以来吗")
    assert "07:00" not in asked, "no hours before knowing the service: a locksmith may come"
    answer = await c.say("做深度保洁")
    assert "07:00–22:00" in answer and "05:00" in answer
    en = Customer(app, user="e1", lang="en")
    answer = await en.say("I need a deep clean tomorrow at 6am")
    assert "between 07:00 and 22:00" in answer and "06:00" in answer and "What time" in answer


async def test_a_service_with_its_own_hours_says_whose_they_are(make_app, tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(_catalog(), encoding="utf-8")
    app = await make_app(catalog=str(path))
    c = Customer(app)
    answer = await c.say("明天中午12点夜场保洁")
    assert "夜场保洁的上门时间是 18:00–02:00" in answer
    assert "电话" in await c.say("晚上11点，地址望京SOHO")
    summary = await Customer(app, user="u2").say("明天早上打扫一下，地址望京SOHO，电话13812345678")
    assert "11月25日（周三）上午" in summary, "a period is shown as such…"
    await Customer(app, user="u2").say("确认")
    [order] = await all_orders(app)
    assert (order.period, order.start_at.astimezone(TZ).time()) == ("morning", dt.time(9, 0)), \
        "…and starts when the business opens, so reminders are not an hour early"


async def test_a_reschedule_outside_the_hours_is_refused_and_the_order_kept(make_app, clock) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点深度保洁，地址望京SOHO T1-1203，电话13812345678")
    await c.say("确认")
    answer = await c.say("改到后天晚上11点")
    assert "07:00–22:00" in answer
    [order] = await all_orders(app)
    assert (order.date, order.time) == (dt.date(2026, 11, 25), dt.time(15, 0))
    assert "→" in await c.say("后天晚上8点"), "the next try is a reschedule still"


async def test_the_office_may_book_outside_the_hours(make_app, clock) -> None:
    """Staff move an order to a time agreed on the phone: theirs to decide."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点深度保洁，地址望京SOHO T1-1203，电话13812345678")
    await c.say("确认")
    [order] = await all_orders(app)
    async with app.db.sessions() as s, s.begin():
        result = await backoffice.reschedule(s, order.id, "2026-11-26", "22:30", app.catalog, clock.now,
                                             TZ, actor="staff:1")
    assert (result.ok, result.warning) == (True, "closed"), "done, and the dashboard says what rule it broke"


# ------------------------------------------------------------------ days off
CLOSED_MONDAYS = """
business: {name: 小王美容, days_off: [monday, 周二, 2026-12-31, "2027-02-10..2027-02-17"]}
services:
  - {id: facial, name: {zh: 面部护理, en: Facial}}
  - {id: lock, name: {zh: 开锁, en: Locksmith}, days_off: []}
"""


async def _salon(make_app, tmp_path: Path):  # noqa: ANN001, ANN202
    path = tmp_path / "salon.yaml"
    path.write_text(CLOSED_MONDAYS, encoding="utf-8")
    return await make_app(catalog=str(path))


def test_days_off_are_weekdays_dates_and_ranges() -> None:
    c = parse_catalog(CLOSED_MONDAYS)
    off = c.days_off_for("facial")
    assert off is not None and off.weekdays == {0, 1}
    assert [d for d in (dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 2)) if off.covers(d)] \
        == [dt.date(2026, 11, 30), dt.date(2026, 12, 1)]
    assert off.covers(dt.date(2026, 12, 31)) and off.covers(dt.date(2027, 2, 17))
    assert not off.covers(dt.date(2027, 2, 18))
    assert c.days_off_for("lock") is None, "a service's own empty list: it works every day"
    assert demo_catalog().days_off_for("deep_cleaning") is None


@pytest.mark.parametrize("bad", ["[someday]", '["2027-02-17..2027-02-10"]', "monday"])
def test_malformed_days_off_say_where(bad: str) -> None:
    with pytest.raises(CatalogError, match="days_off"):
        parse_catalog(CLOSED_MONDAYS.replace('[monday, 周二, 2026-12-31, "2027-02-10..2027-02-17"]', bad))


def test_a_day_off_comes_before_the_hour() -> None:
    off = parse_catalog(CLOSED_MONDAYS).days_off_for("facial")
    assert S.when_problem({"date": "2026-11-30", "time": "10:00"}, NOW, TZ, None, off) == "closed_day"
    assert S.when_problem({"date": "2026-11-23", "time": "10:00"}, NOW, TZ, None, off) == "date_past"
    assert S.when_problem({"date": "2026-12-02", "time": "10:00"}, NOW, TZ, None, off) is None


async def test_a_booking_on_a_day_off_asks_for_another_day(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    answer = await c.say("下周一上午10点做个面部护理")
    assert "11月30日（周一）我们休息" in answer and "哪天" in answer
    assert "地址" in await c.say("周三上午10点")
    en = Customer(app, user="e1", lang="en")
    assert "we make no visits on" in await en.say("a facial next Monday at 10am")
    lock = Customer(app, user="l1")
    assert "休息" not in await lock.say("下周一上午10点开锁")


async def test_a_refused_day_keeps_the_hour_asked_for(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    answer = await c.say("下周一下午3点做个面部护理")
    assert "休息" in answer and "时间：15:00" in answer
    assert "12月2日（周三）15:00" in await c.say("下周三，地址望京SOHO，电话13812345678")
    await c.say("确认")
    answer = await c.say("改到下周一下午4点")
    assert "休息" in answer
    assert "→ 12月3日（周四）16:00" in await c.say("下周四"), "the new hour is kept for the next day"


async def test_as_soon_as_possible_is_the_next_half_hour_within_the_hours(make_app, clock) -> None:
    """"马上来开锁" asked for a day and an hour; a locksmith at night is what it is for."""
    app = await make_app()
    summary = await Customer(app).say("马上来开锁，地址望京SOHO T1-1203，电话13812345678")
    assert "11月24日（周二）20:30" in summary and "确认" in summary
    clock.advance(hours=2)  # 22:00: the cleaners have stopped for the day
    answer = await Customer(app, user="u2").say("尽快来做个深度保洁")
    assert "07:00–22:00" in answer and "没法马上上门" in answer and "哪天" in answer
    clock.advance(hours=1, minutes=45)  # 23:45
    assert "11月25日（周三）00:30" in await Customer(app, user="u3").say("马上来开锁"), "past midnight: the next day"


async def test_the_small_hours_are_asked_for_an_hour_not_booked_as_the_evening(make_app) -> None:
    app = await make_app()
    answer = await Customer(app).say("明天凌晨来开锁")
    assert "凌晨几点方便" in answer and "夜间" not in answer


@pytest.mark.parametrize("hour", ["3点", "3点半", "三点", "3:00", "3"])
async def test_a_bare_hour_answering_which_hour_of_the_night_is_in_the_night(make_app, hour: str) -> None:
    """"明天凌晨来开锁" asks the hour; the bare "3点" that answered it was booked for 15:00."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天凌晨来开锁")
    minutes = "30" if "半" in hour else "00"
    assert f"11月25日（周三）03:{minutes}" in await c.say(hour)
    summary = await c.say("望京SOHO T1-1203，13812345678")
    assert f"03:{minutes}" in summary and "15:" not in summary
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.time, order.period) == (dt.time(3, int(minutes)), None)


async def test_the_small_hours_in_one_message_and_in_english(make_app) -> None:
    app = await make_app()
    assert "11月25日（周三）03:00" in await Customer(app).say("明天凌晨3点来开锁")
    en = Customer(app, user="u2", lang="en")
    asked = await en.say("locksmith tomorrow in the small hours")
    assert "What time in the small hours of Wed 25 Nov?" in asked
    assert "Wed 25 Nov, 03:30" in await en.say("3:30")


async def test_the_small_hours_for_a_service_that_does_not_come_then_are_refused(make_app) -> None:
    """A cleaner is not asked "which hour of the night?": the hours say no to all of it."""
    app = await make_app()
    c = Customer(app)
    answer = await c.say("明天凌晨来打扫卫生")
    assert "07:00–22:00" in answer and "凌晨不在其中" in answer and "几点方便" in answer
    assert "11月25日（周三）15:00" in await c.say("3点"), "the night refused, 3点 is the afternoon again"
    en = Customer(app, user="u2", lang="en")
    assert "the small hours are outside that" in await en.say("house cleaning tomorrow in the small hours")


async def test_rescheduling_to_the_small_hours_asks_which_hour(make_app) -> None:
    """"改到明天凌晨" kept the order's own hour (15:00) on the new day and offered that."""
    app = await make_app()
    c = Customer(app)
    await c.say("后天下午3点来开锁，望京SOHO T1-1203，13812345678")
    await c.say("确认")
    assert "凌晨几点方便" in await c.say("改到明天凌晨")
    assert "→ 11月25日（周三）03:00" in await c.say("3点")
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.date, order.time) == (dt.date(2026, 11, 25), dt.time(3, 0))


async def test_as_soon_as_possible_outside_the_hours_is_refused_as_such(make_app, clock) -> None:
    """The refusal named the time we had worked out ("23:30 不在其中") as if the customer had
    asked for it, then asked what time on a day whose hours were over."""
    clock.advance(hours=3)  # 23:00
    app = await make_app()
    c = Customer(app)
    answer = await c.say("马上来做个深度保洁")
    assert "没法马上上门" in answer and "07:00–22:00" in answer and "请问约哪天、几点" in answer
    assert "23:30" not in answer and "不在其中" not in answer
    assert "11月25日（周三）10:00" in await c.say("明天上午10点")
    en = Customer(app, user="u2", lang="en")
    answer = await en.say("can you send a cleaner asap")
    assert "we can't come right now" in answer and "between 07:00 and 22:00" in answer
    assert "Which day and time" in answer and "23:30" not in answer


async def test_as_soon_as_possible_on_a_day_off_is_refused_as_such(make_app, tmp_path: Path) -> None:
    """Tuesday is the salon's day off: "马上" is not "pick another day" for 20:30 kept as said."""
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    answer = await c.say("马上来做个面部护理")
    assert "11月24日（周二）我们休息" in answer and "没法马上过去" in answer
    assert "20:30" not in answer and "请问约哪天、几点" in answer
    en = Customer(app, user="u2", lang="en")
    answer = await en.say("a facial as soon as possible")
    assert "we make no visits on Tue 24 Nov, so we can't come right now" in answer and "20:30" not in answer
