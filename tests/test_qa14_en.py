"""QA round 14, an English-speaking customer's order data: what they see at the summary.

1. "make it 3 aircons" to an aircon cleaning switched the booking to an appliance repair with
   "3 aircons" on its note: an aircon is what both services are done to, so a count of them
   names neither and is how many of the service booked; "there are 2 of them" and "3 please"
   there were not understood.
2. "in 2 hours" was two hours of work ("Regular cleaning (3 hours)", "priced per visit, not per
   item"): it is a time, now and so long, on the half hour.
3. "cleaning 3 air conditioners" was a regular cleaning of 3 hours; AC and A/C were unknown.
4. "from 9 to 12" gave no time; a range's hours are flag ``range_hours`` for an hourly service.
5. "tomorrow 9" and "9 tomorrow morning" lost the hour; "tmrw noon" is flagged ``at_noon``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

# A Friday afternoon, business-local.
NOW = dt.datetime(2026, 11, 27, 15, 40, tzinfo=dt.timezone(dt.timedelta(hours=8)))
AIRCON = "aircon cleaning tomorrow 10am, Apt 5, 18 Xinyuan Road, 13811116666"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


def _slots(parser: NluParser, text: str) -> dict[str, object]:
    return parser.parse(text, now=NOW).slots


# ----- 1. a count of the things being booked ------------------------------------------
@pytest.mark.parametrize("text, quantity", [
    ("make it 3 aircons", 3), ("3 aircons", 3), ("改成3台空调", 3), ("3 air conditioners", 3),
    ("there are 2 of them", 2), ("all three of them", 3), ("3 please", 3), ("just 2", 2),
])
def test_a_count_of_a_thing_two_services_do_names_no_service(parser: NluParser, text: str,
                                                              quantity: int) -> None:
    assert _slots(parser, text) == {"quantity": quantity}


@pytest.mark.parametrize("text, slots", [
    ("clean 3 aircons", {"service": "appliance_cleaning", "quantity": 3}),
    ("repair 3 aircons", {"service": "appliance_repair", "quantity": 3}),
    ("how much to fix 2 washing machines", {"service": "appliance_repair", "quantity": 2}),
    ("2个马桶", {"service": "drain_unclogging", "quantity": 2}),  # only a plumber does toilets
    ("aircon cleaning x3 tomorrow 10am",
     {"service": "appliance_cleaning", "date": "2026-11-28", "time": "10:00", "quantity": 3}),
    ("clean my aircons tomorrow 10am, there are three",
     {"service": "appliance_cleaning", "date": "2026-11-28", "time": "10:00", "quantity": 3}),
])
def test_the_service_said_with_its_count_stays(parser: NluParser, text: str, slots: dict[str, object]) -> None:
    assert _slots(parser, text) == slots


@pytest.mark.parametrize("text", ["3", "one of them is broken", "2 of them are broken", "we have 2 kids"])
def test_no_count_where_none_is_said(parser: NluParser, text: str) -> None:
    assert "quantity" not in _slots(parser, text)


@pytest.mark.parametrize("count, times", [("make it 3 aircons", 3), ("there are 2 of them", 2),
                                          ("3 please", 3)])
async def test_a_count_at_the_summary_stays_an_aircon_cleaning(make_app, count: str, times: int) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Service: Appliance cleaning × 1\n" in await c.say(AIRCON)  # one unless said, shown
    summary = await c.say(count)
    assert f"Service: Appliance cleaning × {times}\n" in summary
    assert f"¥150 per appliance × {times} = ¥{150 * times}" in summary
    assert "repair" not in summary and "Notes: aircon\n" in summary  # what is cleaned, not the count
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.quantity) == ("appliance_cleaning", times)


async def test_a_count_at_the_summary_of_a_visit_is_no_quantity(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 10am, Apt 5, 18 Xinyuan Road, 13811116666")
    said = await c.say("3 please")
    assert "priced per visit" in said and "Service: Deep cleaning\n" in said and "× 3" not in said


# ----- 2. "in 2 hours" is a time, not two hours of work --------------------------------
@pytest.mark.parametrize("text, slots", [
    ("regular cleaning in 3 hours", {"service": "daily_cleaning", "date": "2026-11-27", "time": "19:00"}),
    ("can a plumber come in 2 hours? toilet is leaking",
     {"service": "drain_unclogging", "date": "2026-11-27", "time": "18:00"}),
    ("in an hour", {"date": "2026-11-27", "time": "17:00"}),  # 16:40, on the half hour
    ("in 30 minutes", {"date": "2026-11-27", "time": "16:30"}),
    ("within 2 hours", {"date": "2026-11-27", "time": "18:00"}),
    ("in half an hour", {"date": "2026-11-27", "time": "16:30"}),
    ("2 hours from now", {"date": "2026-11-27", "time": "18:00"}),
    ("两小时后来修空调", {"service": "appliance_repair", "date": "2026-11-27", "time": "18:00"}),
    ("一个半小时以后", {"date": "2026-11-27", "time": "17:30"}),
    ("30分钟后", {"date": "2026-11-27", "time": "16:30"}),
])
def test_in_so_many_hours_is_a_time_from_now(parser: NluParser, text: str, slots: dict[str, object]) -> None:
    assert _slots(parser, text) == slots


def test_in_so_many_hours_late_at_night_is_tomorrow(parser: NluParser) -> None:
    late = NOW.replace(hour=23, minute=10)
    assert parser.parse("locksmith in 2 hours", now=late).slots == {
        "service": "lock_service", "date": "2026-11-28", "time": "01:30"}


@pytest.mark.parametrize("text, slots", [
    ("The plumber was great, sorted it in 20 minutes. 5 stars", {"service": "drain_unclogging", "rating": 5}),
    ("book a cleaner for 3 hours", {"service": "daily_cleaning", "quantity": 3}),
    ("师傅修了两小时后才走", {}),
])
def test_how_long_a_job_took_or_takes_is_no_time(parser: NluParser, text: str, slots: dict[str, object]) -> None:
    assert _slots(parser, text) == slots


async def test_regular_cleaning_in_3_hours_is_booked_for_then(make_app, clock) -> None:
    clock.now = NOW
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("regular cleaning in 3 hours")
    await c.say("Apt 5, 18 Xinyuan Road")
    summary = await c.say("13811116666")
    assert "When: Fri 27 Nov, 19:00\n" in summary
    assert "Regular cleaning (2 hours)" in summary and "× 3 hours" not in summary


async def test_a_plumber_in_2_hours_is_booked_for_then(make_app, clock) -> None:
    clock.now = NOW
    app = await make_app()
    c = Customer(app, lang="en")
    said = await c.say("can a plumber come in 2 hours? toilet is leaking")
    assert "not per item" not in said and "Drain unclogging, Fri 27 Nov, 18:00" in said
    await c.say("Apt 5, 18 Xinyuan Road")
    summary = await c.say("13811116666")
    assert "Service: Drain unclogging\n" in summary and "When: Fri 27 Nov, 18:00\n" in summary


# ----- 3. air conditioners, AC, A/C ----------------------------------------------------
@pytest.mark.parametrize("text, slots", [
    ("how much for cleaning 3 air conditioners?", {"service": "appliance_cleaning", "quantity": 3}),
    ("cleaning 3 aircons", {"service": "appliance_cleaning", "quantity": 3}),
    ("clean 2 A/C units", {"service": "appliance_cleaning", "quantity": 2}),
    ("how much to clean 3 ACs", {"service": "appliance_cleaning", "quantity": 3}),
    ("A/C cleaning tomorrow", {"service": "appliance_cleaning", "date": "2026-11-28"}),
    ("my AC needs cleaning", {"service": "appliance_cleaning"}),
    ("3 A/C units", {"quantity": 3}),  # how many, of the appliance service being booked
    ("fix my AC tomorrow", {"service": "appliance_repair", "date": "2026-11-28"}),
    ("my a/c is broken", {"service": "appliance_repair"}),
    # "cleaning" names what is cleaned here, and the longer name still wins
    ("cleaning the windows", {"service": "window_cleaning"}),
    ("house cleaning tomorrow", {"service": "daily_cleaning", "date": "2026-11-28"}),
    ("regular cleaning and aircon cleaning", {"service": "daily_cleaning"}),
])
def test_air_conditioners_are_appliances(parser: NluParser, text: str, slots: dict[str, object]) -> None:
    assert _slots(parser, text) == slots


async def test_the_price_of_cleaning_3_air_conditioners(make_app) -> None:
    app = await make_app()
    said = await Customer(app, lang="en").say("how much for cleaning 3 air conditioners?")
    assert "Appliance cleaning" in said and "¥450" in said and "per hour" not in said


# ----- 4. a range of hours --------------------------------------------------------------
@pytest.mark.parametrize("text, slots, hours", [
    ("regular cleaning 2moro 2-5pm", {"service": "daily_cleaning", "date": "2026-11-28", "time": "14:00"}, 3),
    ("regular cleaning tomorrow from 9 to 12",
     {"service": "daily_cleaning", "date": "2026-11-28", "time": "09:00"}, 3),
    ("明天下午2点到5点日常保洁", {"service": "daily_cleaning", "date": "2026-11-28", "time": "14:00"}, 3),
    ("10am-2pm", {"time": "10:00"}, 4),
    ("between 2 and 5", {"time": "14:00"}, 3),
    ("上午9点到下午1点", {"time": "09:00"}, 4),
    # the hours that suit, not hours of work; half hours are no whole hours
    ("下午3点到5点都可以", {"time": "15:00"}, None),
    ("anytime between 2 and 5 tomorrow", {"date": "2026-11-28", "time": "14:00"}, None),
    ("2:30-5pm", {"time": "14:30"}, None),
])
def test_a_range_of_hours_starts_the_time_and_says_its_hours(parser: NluParser, text: str,
                                                             slots: dict[str, object], hours: int | None) -> None:
    """The contract's quantity is a count said as such (a range gives none); the range's hours
    are the flag ``range_hours``, how long a service priced by the hour is booked for."""
    got = parser.parse(text, now=NOW)
    assert got.slots == slots
    assert got.flags.get("range_hours") == hours


def test_between_two_and_three_rooms_is_no_time(parser: NluParser) -> None:
    assert "time" not in _slots(parser, "between 2 and 3 rooms")


# ----- 5. an hour beside an English day, and noon ----------------------------------------
@pytest.mark.parametrize("text, slots", [
    ("deep clean tomorrow 9", {"service": "deep_cleaning", "date": "2026-11-28", "time": "09:00"}),  # as 明天9点
    ("deep clean tomorrow 9:30", {"service": "deep_cleaning", "date": "2026-11-28", "time": "09:30"}),
    ("9 tomorrow morning", {"date": "2026-11-28", "time": "09:00"}),
    ("2 tomorrow afternoon", {"date": "2026-11-28", "time": "14:00"}),
    ("deep clean, 9 tomorrow", {"service": "deep_cleaning", "date": "2026-11-28", "time": "09:00"}),
    ("saturday 10, 18 Xinyuan Road", {"date": "2026-11-28", "time": "10:00", "address": "18 Xinyuan Road"}),
    # a number that counts, or is a flat or a street's, is no hour
    ("I need 3 tomorrow", {"date": "2026-11-28"}),
    ("tomorrow 3 rooms", {"date": "2026-11-28", "quantity": 3}),
    ("tomorrow 5 Xinyuan Road", {"date": "2026-11-28", "address": "5 Xinyuan Road"}),
    ("apt 5 tomorrow morning", {"date": "2026-11-28", "period": "morning"}),
])
def test_an_hour_beside_an_english_day(parser: NluParser, text: str, slots: dict[str, object]) -> None:
    assert _slots(parser, text) == slots


@pytest.mark.parametrize("text, at_noon", [
    ("deep clean tmrw noon", True), ("tomorrow noon ok for windows?", True),
    ("tomorrow around noon", False), ("about midday friday", False), ("Tuesday around lunchtime", False),
    ("明天中午", False),
])
def test_noon_alone_is_flagged_as_12(parser: NluParser, text: str, at_noon: bool) -> None:
    """The contract's slot for "tmrw noon" stays the period (the eval's gold, fresh-0164); the flag
    ``at_noon`` tells the dialogue the customer said 12:00, as "at noon" is."""
    got = parser.parse(text, now=NOW)
    assert got.slots["period"] == "noon" and "time" not in got.slots
    assert bool(got.flags.get("at_noon")) is at_noon


@pytest.mark.parametrize("when", ["deep clean tomorrow 9", "deep clean 9 tomorrow morning"])
async def test_an_hour_beside_tomorrow_is_on_the_summary(make_app, when: str) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say(f"{when}, Apt 5, 18 Xinyuan Road, 13811116666")
    assert "When: Wed 25 Nov, 09:00\n" in summary, summary
