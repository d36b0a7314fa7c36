"""Dates, times and lengths as a customer says them, as a business would read them.

- "明早七点" said at 01:30 is the coming morning (the same calendar day), said so; "明天下午"
  said then is asked about (today's afternoon, or the next day's?).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import SHANGHAI
from tests.test_dialogue import Customer, all_orders

ADDRESS, PHONE = "朝阳区望京SOHO T1 1203", "13812345678"


async def _booked_when(app, c: Customer, lang: str = "zh") -> tuple[dt.date, dt.time]:
    """The rest of a booking given (address, phone, yes): the one order's day and time."""
    for line in (ADDRESS, PHONE, "确认") if lang == "zh" else ("18 Xinyuan Road, Apt 5", PHONE, "yes"):
        await c.say(line)
    (order,) = await all_orders(app)
    assert order.status == "confirmed"
    return order.date, order.time


def _small_hours(clock) -> None:
    """Wednesday 2026-11-25 01:30 in Shanghai: a customer still up after midnight."""
    clock.now = dt.datetime(2026, 11, 25, 1, 30, tzinfo=SHANGHAI)


# ----------------------------------------------------------------- "明早" after midnight
@pytest.mark.parametrize("said", ["明早七点日常保洁", "明天早上7点做个日常保洁", "明天上午9点日常保洁"])
async def test_tomorrow_morning_said_after_midnight_is_the_coming_morning(make_app, clock, said) -> None:
    _small_hours(clock)
    app = await make_app()
    c = Customer(app)
    first = await c.say(said)
    assert "日常保洁，11月25日（周三）" in first
    assert "按今天11月25日（周三）早上" in first and "如果是指11月26日" in first  # said so, the other day named
    await c.say(ADDRESS)
    summary = await c.say(PHONE)
    assert "11月25日（周三）" in summary
    await c.say("确认")
    (order,) = await all_orders(app)
    assert order.date == dt.date(2026, 11, 25) and order.status == "confirmed"


async def test_tomorrow_morning_said_after_midnight_in_english(make_app, clock) -> None:
    _small_hours(clock)
    app = await make_app()
    c = Customer(app, lang="en")
    first = await c.say("regular cleaning tomorrow morning 7am")
    assert "Regular cleaning, Wed 25 Nov, 07:00" in first
    assert "this morning, Wed 25 Nov" in first and "if you meant Thu 26 Nov" in first
    assert await _booked_when(app, c, "en") == (dt.date(2026, 11, 25), dt.time(7, 0))


async def test_the_day_after_meant_is_one_change_away(make_app, clock) -> None:
    _small_hours(clock)
    app = await make_app()
    c = Customer(app)
    await c.say("明早七点日常保洁")
    assert "11月26日（周四）07:00" in await c.say("改到26号")
    assert await _booked_when(app, c) == (dt.date(2026, 11, 26), dt.time(7, 0))


async def test_tomorrow_morning_said_in_the_evening_is_the_next_day(make_app) -> None:
    app = await make_app()  # Tuesday 20:00
    c = Customer(app)
    first = await c.say("明早七点日常保洁")
    assert "11月25日" in first and "今天" not in first


async def test_tomorrow_morning_said_at_dawn_is_the_next_day(make_app, clock) -> None:
    clock.now = dt.datetime(2026, 11, 25, 5, 30, tzinfo=SHANGHAI)  # up early, not up late
    app = await make_app()
    c = Customer(app)
    assert "11月26日" in await c.say("明早七点日常保洁")


# ----------------------------------------------------------------- "明天下午" after midnight: asked
async def test_tomorrow_afternoon_said_after_midnight_is_asked(make_app, clock) -> None:
    _small_hours(clock)
    app = await make_app()
    c = Customer(app)
    asked = await c.say("明天下午3点日常保洁")
    assert "11月25日" in asked and "11月26日" in asked and "今天" in asked
    assert c.payloads == ["on:2026-11-25", "on:2026-11-26"]
    assert await all_orders(app) == []
    after = await c.say(payload="on:2026-11-26")
    assert "11月26日（周四）15:00" in after  # the hour said stands
    assert await _booked_when(app, c) == (dt.date(2026, 11, 26), dt.time(15, 0))


async def test_tomorrow_said_after_midnight_is_asked_in_english(make_app, clock) -> None:
    _small_hours(clock)
    app = await make_app()
    c = Customer(app, lang="en")
    asked = await c.say("regular cleaning tomorrow 3pm")
    assert "Wed 25 Nov" in asked and "Thu 26 Nov" in asked
    assert c.payloads == ["on:2026-11-25", "on:2026-11-26"]
    after = await c.say("today")  # the coming afternoon, in words
    assert "Wed 25 Nov, 15:00" in after


# ----------------------------------------------------------------- "not sure yet" to a move
async def _booked(c: Customer, lang: str = "zh") -> None:
    if lang == "zh":
        for line in ("明天下午3点日常保洁", ADDRESS, PHONE, "确认"):
            await c.say(line)
    else:
        for line in ("regular cleaning tomorrow 3pm", "18 Xinyuan Road, Apt 5", PHONE, "yes"):
            await c.say(line)


async def test_not_sure_when_to_move_keeps_the_order_and_offers_the_first_start(make_app, clock) -> None:
    clock.now = dt.datetime(2026, 11, 24, 22, 30, tzinfo=SHANGHAI)  # hours over: tomorrow's opening first
    app = await make_app()
    c = Customer(app)
    await _booked(c)
    assert "改到什么时间" in await c.say("我想改时间")
    answer = await c.say("还不确定哪天")
    assert "原定11月25日（周三）15:00" in answer and "先保留" in answer  # the order, kept as it is
    assert "您说的信息我都先记着" not in answer  # a booking's words, not a booked order's
    assert "最早 11月25日（周三）07:00" in answer
    assert c.payloads == ["on:2026-11-25T07:00"]
    (order,) = await all_orders(app)
    assert (order.date, order.time) == (dt.date(2026, 11, 25), dt.time(15, 0))
    proposed = await c.say("好的")  # the start offered, taken as a tap would
    assert "07:00" in proposed and c.payloads[0] == "affirm"
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.date, order.time, order.status) == (dt.date(2026, 11, 25), dt.time(7, 0), "confirmed")


async def test_not_sure_when_to_move_in_english(make_app, clock) -> None:
    clock.now = dt.datetime(2026, 11, 24, 22, 30, tzinfo=SHANGHAI)
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "en")
    await c.say("I need to reschedule")
    answer = await c.say("not sure yet")
    assert "stays on Wed 25 Nov, 15:00" in answer and "I'll keep what you've told me" not in answer
    assert "soonest we can come is Wed 25 Nov, 07:00" in answer
    assert c.payloads == ["on:2026-11-25T07:00"]
    assert "07:00" in await c.say(payload=c.payloads[0])


# ----------------------------------------------------------------- "下周同一时间再约一次"
@pytest.mark.parametrize("said", ["下周同一时间再约一次", "下周这个时候再来一次", "下周同一时间再约一次吧",
                                  "同一时间下周再来一次"])
async def test_same_time_next_week_books_the_last_order_again(make_app, said) -> None:
    app = await make_app()
    c = Customer(app)
    await _booked(c)  # Wed 25 Nov 15:00
    summary = await c.say(said)
    assert "请核对订单" in summary and "日常保洁" in summary
    assert "12月2日（周三）15:00" in summary and ADDRESS in summary and PHONE in summary
    await c.say("确认")
    first, again = await all_orders(app)
    assert (again.service_id, again.date, again.time, again.address, again.phone, again.status) == (
        "daily_cleaning", dt.date(2026, 12, 2), dt.time(15, 0), ADDRESS, PHONE, "confirmed")
    assert (first.date, first.status) == (dt.date(2026, 11, 25), "confirmed")


@pytest.mark.parametrize("said", ["and one more for next week same time", "same time next week please",
                                  "book another one next week at the same time"])
async def test_same_time_next_week_in_english(make_app, said) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "en")
    summary = await c.say(said)
    assert "Please check your order" in summary and "Wed 02 Dec, 15:00" in summary
    assert "18 Xinyuan Road, Apt 5" in summary
    await c.say("yes")
    _, again = await all_orders(app)
    assert (again.date, again.time, again.status) == (dt.date(2026, 12, 2), dt.time(15, 0), "confirmed")


async def test_same_time_next_week_with_nothing_booked_asks_the_rest(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    answer = await c.say("下周同一时间再约一次")
    assert "抱歉，我没太明白" not in answer
    assert await all_orders(app) == []


async def test_same_time_next_week_is_as_long_as_the_last_visit(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    for line in ("明天下午3点日常保洁4小时", ADDRESS, PHONE, "确认"):
        await c.say(line)
    summary = await c.say("下周同一时间再约一次")
    assert "12月2日（周三）15:00" in summary and "4小时" in summary
    await c.say("确认")
    _, again = await all_orders(app)
    assert (again.date, again.quantity) == (dt.date(2026, 12, 2), 4)


# ----------------------------------------------------------------- a home's size, its hours
def test_the_catalog_gives_an_hourly_service_its_hours_by_the_homes_bedrooms() -> None:
    from storage.catalog import demo_catalog
    cleaning = demo_catalog().get("daily_cleaning")
    assert [cleaning.usual_quantity(n) for n in (None, 1, 2, 3, 5)] == [2, 2, 3, 4, 4]
    assert demo_catalog().get("appliance_cleaning").usual_quantity(3) == 1  # by the item: one, said so


@pytest.mark.parametrize("text, rooms", [
    ("两室一厅", 2), ("2室1厅", 2), ("三室两厅的房子", 3), ("我家两居室", 2), ("一居", 1), ("三房两厅", 3),
    ("2 bedroom", 2), ("a 3-bedroom flat", 3), ("two bedrooms", 2), ("2br apt", 2), ("3 bed apt", 3),
    ("朝阳区望京SOHO T1 1203室", None), ("2 beds to assemble", None), ("两台空调", None),
])
def test_the_bedrooms_a_message_says(text: str, rooms: int | None) -> None:
    from nlu.notes import bedrooms
    assert bedrooms(text) == rooms


@pytest.mark.parametrize("said, lang, line", [
    ("明天下午3点日常保洁，两室一厅", "zh", "两居室一般3小时"),
    ("regular cleaning tomorrow 3pm, 2 bedroom", "en", "about 3 hours for 2 bedrooms"),
])
async def test_a_two_bedroom_home_books_three_hours_said_in_the_summary(make_app, said, lang, line) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(said)
    await c.say(ADDRESS if lang == "zh" else "18 Xinyuan Road, Apt 5")
    summary = await c.say(PHONE)
    assert line in summary
    assert ("3小时" if lang == "zh" else "3 hours") in summary and ("¥135" in summary)
    (order,) = await all_orders(app)
    assert order.quantity == 3 and order.duration_minutes == 180


async def test_hours_said_beat_the_homes_usual(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    for line in ("明天下午3点日常保洁5小时，两室一厅", ADDRESS):
        await c.say(line)
    summary = await c.say(PHONE)
    assert "5小时" in summary and "两居室一般" not in summary
    (order,) = await all_orders(app)
    assert order.quantity == 5


async def test_the_home_said_later_changes_the_usual_hours(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    for line in ("明天下午3点日常保洁", ADDRESS):
        await c.say(line)
    assert "按常规2小时" in await c.say(PHONE)
    summary = await c.say("我家是三室两厅")
    assert "三居室一般4小时" in summary and "¥180" in summary
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.quantity, order.status) == (4, "confirmed")


async def test_a_move_to_tomorrow_afternoon_said_after_midnight_is_asked(make_app, clock) -> None:
    _small_hours(clock)
    app = await make_app()
    c = Customer(app)
    for line in ("周五下午3点日常保洁", ADDRESS, PHONE, "确认"):
        await c.say(line)
    asked = await c.say("改到明天下午3点")
    assert "不用改" not in asked and "11月25日" in asked and "11月26日" in asked
    assert c.payloads == ["on:2026-11-25", "on:2026-11-26"]
    assert "11月27日（周五）15:00 → 11月26日（周四）15:00" in await c.say(payload="on:2026-11-26")
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.date, order.time) == (dt.date(2026, 11, 26), dt.time(15, 0))


@pytest.mark.parametrize("said, lang", [("把保洁改到这周末", "zh"), ("改到这周末", "zh"), ("move it to the weekend", "en")])
async def test_a_move_to_the_weekend_offers_its_days(make_app, said, lang) -> None:
    app = await make_app()  # Tuesday 24 Nov 20:00
    c = Customer(app, lang=lang)
    for line in ("周五下午3点日常保洁", ADDRESS, PHONE, "确认"):
        await c.say(line)
    await c.say(said)
    assert c.payloads == ["on:2026-11-28", "on:2026-11-29"]
    proposed = await c.say(payload="on:2026-11-28")
    assert ("11月28日（周六）15:00" if lang == "zh" else "Sat 28 Nov, 15:00") in proposed
    await c.say("确认" if lang == "zh" else "yes")
    orders = await all_orders(app)
    assert [(o.date, o.time) for o in orders] == [(dt.date(2026, 11, 28), dt.time(15, 0))]  # moved, none new


async def test_the_weekend_said_at_the_summary_is_still_the_bookings(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    for line in ("周五下午3点日常保洁", ADDRESS, PHONE):
        await c.say(line)
    await c.say("改到这周末")
    assert c.payloads == ["on:2026-11-28", "on:2026-11-29"]
    assert "11月28日（周六）15:00" in await c.say(payload="on:2026-11-28")
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.date, order.status) == (dt.date(2026, 11, 28), "confirmed")


async def test_a_home_bigger_than_listed_takes_the_largest_said_as_such(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    for line in ("I need a cleaner for my 4 bedroom house on saturday morning", "18 Xinyuan Road, Apt 5"):
        await c.say(line)
    summary = await c.say(PHONE)
    assert "about 4 hours for 3+ bedrooms" in summary
    (order,) = await all_orders(app)
    assert order.quantity == 4


# ----------------------------------------------------------------- "12月初": the first days offered
@pytest.mark.parametrize("text, dates", [
    ("12月初找个时间做深度保洁", ["2026-12-01", "2026-12-02", "2026-12-03"]),
    ("下个月初做个深度保洁", ["2026-12-01", "2026-12-02", "2026-12-03"]),
    ("月初来做深度保洁", ["2026-12-01", "2026-12-02", "2026-12-03"]),
    ("deep clean early december", ["2026-12-01", "2026-12-02", "2026-12-03"]),
    ("deep clean at the beginning of next month", ["2026-12-01", "2026-12-02", "2026-12-03"]),
    ("1月初做个深度保洁", ["2027-01-01", "2027-01-02", "2027-01-03"]),
])
def test_the_start_of_a_month_offers_its_first_days(text: str, dates: list[str]) -> None:
    from nlu.backends import make_parser
    from storage.catalog import demo_catalog
    parsed = make_parser(demo_catalog(), "Asia/Shanghai").parse(text, now=dt.datetime(2026, 11, 24, 20, 0))
    assert "date" not in parsed.slots
    assert parsed.flags["day_choice"] == {"kind": "month_start", "dates": dates}


def test_the_first_of_the_lunar_month_is_no_month_start() -> None:
    from nlu.datetime_rules import day_choice
    assert day_choice("正月初一", dt.date(2026, 11, 24)) is None


async def test_the_start_of_next_month_is_asked_and_booked(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    asked = await c.say("12月初找个时间做深度保洁")
    assert "12月初" in asked and "12月1日（周二）" in asked
    assert c.payloads == ["on:2026-12-01", "on:2026-12-02", "on:2026-12-03"]
    await c.say(payload="on:2026-12-02")
    await c.say("上午10点")
    await c.say(ADDRESS)
    await c.say(PHONE)
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.date, order.time) == (dt.date(2026, 12, 2), dt.time(10, 0))


@pytest.mark.parametrize("asked, lang, said", [
    ("两室一厅日常保洁要多久？", "zh", "两居室一般约3小时"),
    ("how long does regular cleaning take for a 2 bedroom?", "en", "about 3 hours for 2 bedrooms"),
])
async def test_how_long_for_a_home_is_the_catalogs_hours_for_it_and_a_yes_books_them(make_app, asked, lang,
                                                                                     said) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    answer = await c.say(asked)
    assert said in answer and "× 2" not in answer and "约2小时" not in answer
    await c.say("好的" if lang == "zh" else "yes")
    for line in ("明天下午3点", ADDRESS if lang == "zh" else "18 Xinyuan Road, Apt 5"):
        await c.say(line)
    summary = await c.say(PHONE)
    assert ("日常保洁（3小时）" if lang == "zh" else "Regular cleaning (3 hours)") in summary


# ----------------------------------------------------------------- a length said in minutes
@pytest.mark.parametrize("text, minutes", [
    ("regular cleaning friday 9am, 90 minutes", 90), ("保洁150分钟", 150), ("clean for 90 mins", 90),
    ("30分钟后到", None), ("can you come in 90 minutes", None), ("提前30分钟", None), ("等了40分钟", None),
    ("90 minutes from now", None), ("师傅迟到了20分钟", None), ("保洁阿姨30分钟能到吗", None),
])
def test_a_length_in_minutes(text: str, minutes: int | None) -> None:
    from nlu.lengths import length_said
    said = length_said(text.lower())
    assert (said[0] if said else None) == minutes


async def test_an_hourly_cleaning_said_in_minutes_books_the_hours_that_hold_them(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    first = await c.say("regular cleaning friday 9am, 90 minutes")
    assert "Regular cleaning (2 hours)" in first and "90 minutes" in first
    assert await _booked_when(app, c, "en") == (dt.date(2026, 11, 27), dt.time(9, 0))
    (order,) = await all_orders(app)
    assert order.quantity == 2
