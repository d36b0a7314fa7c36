"""How many visits the business runs at once (catalog `business.capacity`): a time with
every team taken is not promised; the customer is offered the free starts that day.
Two customers confirming the last free team at once: exactly one gets it."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers import backoffice
from handlers import capacity as C
from handlers.conversation import Inbound
from storage.catalog import CatalogError, Hours, demo_catalog, parse_catalog
from tests.test_dialogue import Customer, all_orders

TZ = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 25)
TWO_TEAMS = """
business: {name: 小王家政, hours: "09:00-18:00", capacity: 2}
services:
  - {id: cleaning, name: {zh: 保洁, en: Cleaning}, synonyms: [打扫], duration_minutes: 120}
  - {id: windows, name: {zh: 擦玻璃, en: Window cleaning}, duration_minutes: 60}
"""
BOOKING = "明天下午3点打扫，地址望京SOHO T1-{n}，电话138123456{n:02d}"


def at(h: int, m: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(h, m), tzinfo=TZ)


def visit(h: int, hours: float) -> C.Visit:
    return C.Visit(at(h), at(h) + dt.timedelta(hours=hours))


def test_capacity_is_read_from_the_catalog() -> None:
    assert parse_catalog(TWO_TEAMS).business.capacity == 2
    assert demo_catalog().business.capacity is None, "the demo takes every booking"
    with pytest.raises(CatalogError, match="capacity"):
        parse_catalog(TWO_TEAMS.replace("capacity: 2", "capacity: 0"))


def test_the_busiest_moment_counts_visits_under_way_together() -> None:
    back_to_back = [visit(9, 2), visit(11, 2)]   # one team does both
    assert C.busiest(back_to_back, at(9), at(13)) == 1
    assert C.busiest([*back_to_back, visit(10, 2)], at(9), at(13)) == 2
    assert C.busiest([visit(9, 2)], at(11), at(12)) == 0, "a visit that ended is no longer there"
    assert C.busiest([visit(12, 1)], at(11), at(13)) == 1, "one starting inside the window counts"


def limit(visits: list[C.Visit], capacity: int) -> C.Limit:
    return C.Limit(tuple(visits), capacity)


def test_a_visit_fits_below_every_limit_and_anything_fits_without_one() -> None:
    booked = [visit(14, 2), visit(15, 2)]
    assert not C.fits([limit(booked, 2)], at(15), dt.timedelta(hours=1))
    assert C.fits([limit(booked, 2)], at(12), dt.timedelta(hours=2))
    assert C.fits([limit(booked, 3)], at(15), dt.timedelta(hours=1))
    assert not C.fits([limit(booked, 3), limit(booked[:1], 1)], at(15), dt.timedelta(hours=1)), "both apply"
    assert C.fits([], at(15), dt.timedelta(hours=1))


def test_free_starts_are_the_nearest_on_the_half_hour_within_the_hours() -> None:
    booked = [visit(13, 4), visit(14, 4)]  # both teams out from 14:00 to 17:00, one till 18:00
    hours = Hours(open=9 * 60, close=18 * 60)
    offers = C.free_starts([limit(booked, 2)], DAY, dt.timedelta(hours=2), hours, TZ, near=at(15), after=at(8))
    assert offers == [at(12), at(17), at(17, 30)], "ties go to the earlier: 12:00 before 18:00"
    late = C.free_starts([limit(booked, 2)], DAY, dt.timedelta(hours=2), hours, TZ, near=at(15), after=at(17, 30))
    assert late == [at(18)], "nothing before now, nothing after closing"
    full = C.free_starts([limit([visit(9, 10), visit(9, 10)], 2)], DAY, dt.timedelta(hours=1), hours, TZ,
                         near=at(15), after=at(8))
    assert full == []


async def _app(make_app, tmp_path: Path, teams: int = 2):
    path = tmp_path / "shop.yaml"
    path.write_text(TWO_TEAMS.replace("capacity: 2", f"capacity: {teams}"), encoding="utf-8")
    return await make_app(catalog=str(path))


async def _book(app, n: int) -> None:
    c = Customer(app, user=f"u{n}")
    assert "确认" in await c.say(BOOKING.format(n=n))
    assert "预约成功" in await c.say("确认")


async def test_a_taken_time_offers_the_free_starts_and_one_is_booked(make_app, tmp_path: Path) -> None:
    app = await _app(make_app, tmp_path)
    await _book(app, 1)
    await _book(app, 2)
    c = Customer(app, user="u3")
    answer = await c.say(BOOKING.format(n=3))
    assert "11月25日（周三）15:00已经约满了" in answer and "12:30、13:00、17:00" in answer
    assert c.payloads == ["at:12:30", "at:13:00", "at:17:00"]
    summary = await c.say(payload="at:17:00")
    assert "17:00" in summary and "望京SOHO T1-3" in summary, "the rest of the booking is kept"
    assert "预约成功" in await c.say("确认")
    assert sorted(o.time.hour for o in await all_orders(app)) == [15, 15, 17]
    other = Customer(app, user="u4")
    answer = await other.say("明天下午4点擦玻璃")
    assert "已经约满" in answer and "14:00、17:00、17:30" in answer, \
        "an hour's work fits at 17:00 beside the 17:00 visit, when the 15:00 ones are done"
    assert "地址" in await other.say("17:00")


async def test_a_whole_day_taken_asks_for_another_day(make_app, tmp_path: Path) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    for n, h in enumerate((9, 11, 13, 15, 17)):
        c = Customer(app, user=f"d{n}")
        await c.say(f"明天{h}:00打扫，地址望京SOHO T1-{n}，电话138123456{n:02d}")
        assert "预约成功" in await c.say("确认")
    answer = await Customer(app, user="late").say("明天上午10点打扫")
    assert "当天都约满了，请换一天" in answer
    assert "11月26日" in await Customer(app, user="late").say("后天"), "the day was the question"


async def test_two_confirming_the_last_team_at_once_one_gets_it(make_app, tmp_path: Path) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    first, second = Customer(app, user="a"), Customer(app, user="b")
    assert "确认" in await first.say(BOOKING.format(n=1))
    assert "确认" in await second.say(BOOKING.format(n=2))  # both see a summary: nothing is taken yet
    answers = await asyncio.gather(*(app.conversations.handle(Inbound(channel="console", user_id=u, text="确认"))
                                     for u in ("a", "b")))
    texts = sorted(r[0].text for r in answers)
    assert sum("预约成功" in t for t in texts) == 1 and sum("已经约满" in t for t in texts) == 1, texts
    orders = await all_orders(app)
    assert sorted(o.status for o in orders) == ["confirmed", "pending"], "the other order waits for a new time"
    late = next(u for u, r in zip("ab", answers, strict=True) if "已经约满" in r[0].text)
    again = Customer(app, user=late)
    assert "确认" in await again.say("17:00")
    assert "预约成功" in await again.say("确认")


async def test_a_move_into_a_taken_time_offers_the_free_ones(make_app, tmp_path: Path) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    await _book(app, 1)  # 15:00-17:00
    c = Customer(app, user="mover")
    await c.say("明天上午10点打扫，地址望京SOHO T1-9，电话13812345699")
    await c.say("确认")
    answer = await c.say("改到明天下午4点")
    assert "已经约满" in answer and "17:00、17:30、18:00" in answer
    assert "→" in await c.say(payload="at:17:00")
    assert "已改好" in await c.say("是的")
    assert sorted(o.time.hour for o in await all_orders(app)) == [15, 17]
    assert "已经约满" not in await Customer(app, user="x").say("明天上午10点打扫"), "the old time is free again"


async def test_the_office_may_book_one_more_than_the_teams_and_is_told(make_app, tmp_path: Path, clock) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    await _book(app, 1)  # 15:00-17:00
    c = Customer(app, user="m")
    await c.say("明天上午10点打扫，地址望京SOHO T1-9，电话13812345699")
    await c.say("确认")
    moving = next(o for o in await all_orders(app) if o.time == dt.time(10, 0))
    async with app.db.sessions.begin() as s:
        result = await backoffice.reschedule(s, moving.id, "2026-11-25", "16:00", app.catalog, clock.now, TZ,
                                             actor="staff:1")
    assert (result.ok, result.warning) == (True, "full")
    async with app.db.sessions.begin() as s:
        result = await backoffice.reschedule(s, moving.id, "2026-11-25", "11:00", app.catalog, clock.now, TZ,
                                             actor="staff:1")
    assert (result.ok, result.warning) == (True, None), "the order does not compete with itself"


async def test_a_service_with_its_own_capacity_is_counted_apart(make_app, tmp_path: Path) -> None:
    """One locksmith among the cleaners: a second lock job at once is refused, a cleaning is not."""
    path = tmp_path / "shop.yaml"
    path.write_text(TWO_TEAMS.replace("capacity: 2", "capacity: 5").replace(
        "duration_minutes: 60}", "duration_minutes: 60, capacity: 1}"), encoding="utf-8")
    app = await make_app(catalog=str(path))
    assert app.catalog.get("windows").capacity == 1
    first = Customer(app, user="w1")
    await first.say("明天下午3点擦玻璃，地址望京SOHO T1-1，电话13812345601")
    assert "预约成功" in await first.say("确认")
    answer = await Customer(app, user="w2").say("明天下午3点擦玻璃，地址望京SOHO T1-2，电话13812345602")
    assert "已经约满" in answer and "16:00" in answer
    assert "确认" in await Customer(app, user="c1").say(BOOKING.format(n=3)), "cleaning has teams free"


def test_a_round_the_clock_service_is_offered_night_starts() -> None:
    always = Hours(open=0, close=24 * 60)
    booked = [visit(19, 3)]  # 19:00-22:00
    offers = C.free_starts([limit(booked, 1)], DAY, dt.timedelta(minutes=45), always, TZ, near=at(21, 30),
                           after=at(8))
    assert offers == [at(22), at(22, 30), at(23)], "22:00 onwards, not only daytime"
    assert C.free_starts([limit(booked, 1)], DAY, dt.timedelta(minutes=45), always, TZ, near=at(21, 30),
                         after=at(8), skip=at(22)) == [at(22, 30), at(23), at(23, 30)]


async def test_a_move_is_not_offered_the_time_the_order_has(make_app, tmp_path: Path) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    await _book(app, 1)  # 15:00-17:00
    c = Customer(app, user="m")
    await c.say("明天下午1点打扫，地址望京SOHO T1-9，电话13812345699")  # 13:00-15:00
    await c.say("确认")
    answer = await c.say("改到明天下午2点")
    assert "已经约满" in answer and "11:30、12:00、12:30" in answer, "13:00, nearer, is where it is already"


async def test_a_part_of_the_day_taken_at_its_start_offers_its_later_starts_first(make_app, tmp_path: Path) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    first = Customer(app, user="p1")
    await first.say("明天下午擦玻璃，地址望京SOHO T1-1，电话13812345601")  # 13:00-14:00
    assert "预约成功" in await first.say("确认")
    answer = await Customer(app, user="p2").say("明天下午来打扫，地址望京SOHO T1-2，电话13812345602")
    assert "下午（13:00）已经约满了" in answer and "14:00、14:30、15:00" in answer, \
        "the afternoon's free starts, though 12:00 and 11:30 are as near"


async def test_as_soon_as_possible_with_every_team_out_offers_the_later_starts(make_app, tmp_path: Path,
                                                                              clock) -> None:
    """"马上" with the one team out: not "14:30 已经约满了" as if the customer had said 14:30."""
    app = await _app(make_app, tmp_path, teams=1)
    await _book(app, 1)  # tomorrow 15:00-17:00
    clock.advance(hours=18)  # tomorrow 14:00
    c = Customer(app, user="soon")
    answer = await c.say("马上来打扫")
    assert "没法马上上门" in answer and "14:30" not in answer and "17:00" in answer
    assert "17:00" in await c.say(payload="at:17:00")
