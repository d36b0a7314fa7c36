"""English requests the Chinese ones were read like already: the home cleaned ("clean my flat") is
a regular cleaning, as 打扫一下卫生 is, and a move said as "from A to B" with a move word is a move
from A to B, as 从望京西园三区搬到顺义 is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from storage.models import Order
from tests.conftest import Clock
from tests.test_dialogue import Customer, all_orders
from tests.test_reviews import completed, review_of

NOW = dt.datetime(2026, 11, 27, 10, 0)  # a Friday
MENU = "Which service do you need?"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


async def english(make_app) -> tuple[Any, Customer]:
    """The app and a customer writing in English."""
    app = await make_app()
    return app, Customer(app, lang="en")


async def booked(app, c: Customer, lines: list[str], shown: list[str]) -> Order:
    """The one order once the customer has said `lines` and yes to the summary, which shows each of
    `shown`; no menu of services was offered on the way."""
    for line in lines:
        reply = await c.say(line)
        assert MENU not in reply, (line, reply)
    assert all(s in reply for s in shown), reply
    assert "Booked!" in await c.say("yes")
    [o] = await all_orders(app)
    assert o.status == "confirmed"
    return o


# ----- the home cleaned: a regular cleaning ---------------------------------------------------
@pytest.mark.parametrize(("text", "slots"), [
    ("clean my flat tomorrow 3pm", {"date": "2026-11-28", "time": "15:00"}),
    ("can you clean my apartment on saturday", {"date": "2026-11-28"}),
    ("I need someone to clean my house", {}),
    ("clean my place", {}),
    ("clean my room please", {}),
    ("could you clean our home on monday", {"date": "2026-11-30"}),
    ("I need my place cleaned tomorrow", {"date": "2026-11-28"}),
    ("my flat needs a clean", {}),
    ("tidy up my flat tomorrow at 6pm", {"date": "2026-11-28", "time": "18:00"}),
    ("house cleaning on friday", {"date": "2026-11-27"}),
    ("I need a cleaner tomorrow", {"date": "2026-11-28"}),
    ("book a clean for tomorrow", {"date": "2026-11-28"}),
    ("need a 2 hour clean on saturday at 9am", {"date": "2026-11-28", "time": "09:00", "quantity": 2}),
])
def test_the_home_cleaned_is_a_regular_cleaning(parser: NluParser, text: str, slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "book" and r.slots == {"service": "daily_cleaning", **slots}, r


@pytest.mark.parametrize(("text", "service"), [
    ("deep clean my flat", "deep_cleaning"),
    ("clean my house thoroughly", "deep_cleaning"),
    ("get the flat cleaned thoroughly", "deep_cleaning"),
    ("clean the house before we move out", "deep_cleaning"),
    ("aircon cleaning tomorrow", "appliance_cleaning"),
    ("clean 3 aircons", "appliance_cleaning"),
    ("clean the windows", "window_cleaning"),
    ("window cleaning for my apartment", "window_cleaning"),
    ("clean my apartment windows", "window_cleaning"),
])
def test_a_cleaning_of_its_own_keeps_its_service(parser: NluParser, text: str, service: str) -> None:
    assert parser.parse(text, now=NOW).slots.get("service") == service


@pytest.mark.parametrize("text", ["the room was not clean", "it was a clean job", "she did not clean my room",
                                  "the guy didn't clean the bathroom", "they never clean the kitchen"])
def test_clean_as_an_adjective_or_in_a_complaint_books_nothing(parser: NluParser, text: str) -> None:
    assert "service" not in parser.parse(text, now=NOW).slots


@pytest.mark.parametrize(("text", "stars", "comment", "shown"), [
    # work left undone with a middling rating is a complaint staff are told of (handlers.reviews.alerts_staff)
    ("3 stars, she didn't clean the bathroom", 3, "she didn't clean the bathroom", "passed your comment on"),
    ("4 stars, the cleaner forgot the balcony", 4, "the cleaner forgot the balcony", "4-star"),
])
async def test_clean_in_a_review_is_its_comment(make_app, clock: Clock, text: str, stars: int, comment: str,
                                                shown: str) -> None:
    app, _, order = await completed(make_app, clock)
    reply = await Customer(app, lang="en").say(text)
    assert shown in reply and MENU not in reply, reply
    rating, review = await review_of(app, order.id)
    assert (rating, review.comment) == (stars, comment)


async def test_clean_my_flat_books_a_regular_cleaning_without_the_menu(make_app) -> None:
    app, c = await english(make_app)
    o = await booked(app, c, ["clean my flat tomorrow 3pm", "12 Baker Street, Flat 3", "13812345678"],
                     ["Service: Regular cleaning", "When: Wed 25 Nov, 15:00", "Address: 12 Baker Street, Flat 3\n"])
    assert (o.service_id, o.date, o.time, o.address, o.phone) == (
        "daily_cleaning", dt.date(2026, 11, 25), dt.time(15, 0), "12 Baker Street, Flat 3", "13812345678")


async def test_can_you_clean_my_apartment_asks_no_service(make_app) -> None:
    app, c = await english(make_app)
    asked = await c.say("can you clean my apartment on saturday")
    assert MENU not in asked and "Regular cleaning, Sat 28 Nov" in asked


# ----- a move from A to B -----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "slots", "destination"), [
    ("I need to move from Wangjing to Shunyi tomorrow 9am",
     {"date": "2026-11-28", "time": "09:00", "address": "Wangjing"}, "Shunyi"),
    ("moving tomorrow from Wangjing to Shunyi", {"date": "2026-11-28", "address": "Wangjing"}, "Shunyi"),
    ("move from Wangjing to Shunyi", {"address": "Wangjing"}, "Shunyi"),
    ("we're relocating from Wangjing to Shunyi on 12 December", {"date": "2026-12-12", "address": "Wangjing"}, "Shunyi"),
    ("moving from Flat 3, 8 Park Road to 12 Lake View, Shunyi",
     {"address": "Flat 3, 8 Park Road"}, "12 Lake View, Shunyi"),
    ("moving from Flat 3, 8 Park Road to 12 Lake View, Shunyi tomorrow 9am",
     {"date": "2026-11-28", "time": "09:00", "address": "Flat 3, 8 Park Road"}, "12 Lake View, Shunyi"),
    ("move from Wangjing to 12 Lake View, Shunyi on saturday",
     {"date": "2026-11-28", "address": "Wangjing"}, "12 Lake View, Shunyi"),
    ("move from Wangjing to Shunyi, thanks", {"address": "Wangjing"}, "Shunyi"),
    ("moving tomorrow from 9am to 1pm from Wangjing to Shunyi",
     {"date": "2026-11-28", "time": "09:00", "address": "Wangjing"}, "Shunyi"),
    ("moving from Wangjing to Shunyi from 9am to 1pm", {"time": "09:00", "address": "Wangjing"}, "Shunyi"),
    ("book a removal from 5 Marina Bay to 18 Orchard Road next friday at 9am",
     {"date": "2026-12-04", "time": "09:00", "address": "5 Marina Bay"}, "18 Orchard Road"),
    ("can you help me relocate to Chaoyang next saturday", {"date": "2026-12-05"}, "Chaoyang"),
])
def test_a_move_from_a_to_b(parser: NluParser, text: str, slots: dict, destination: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "book" and r.slots == {"service": "moving", **slots}, r
    assert r.flags.get("destination") == destination, r


@pytest.mark.parametrize(("text", "service"), [
    ("help me move on sunday", "moving"),
    ("I'm moving house next week", "moving"),
    ("I need to move next saturday", "moving"),
    ("can you move it from 3pm to 5pm", None),
    ("move my cleaning from Friday to Saturday", "daily_cleaning"),
    ("I need to move my booking to Friday", None),
])
def test_hours_and_days_from_and_to_are_no_route(parser: NluParser, text: str, service: str | None) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots.get("service") == service and "destination" not in r.flags and "address" not in r.slots, r


async def test_a_move_from_a_to_b_is_booked_with_both_ends(make_app) -> None:
    app, c = await english(make_app)
    assert "phone" in await c.say("I need to move from Wangjing to Shunyi tomorrow 9am")
    o = await booked(app, c, ["13812345678"], ["Service: Moving", "When: Wed 25 Nov, 09:00", "Address: Wangjing\n",
                                               "Moving to: Shunyi\n"])
    assert (o.service_id, o.date, o.time, o.address, o.destination) == (
        "moving", dt.date(2026, 11, 25), dt.time(9, 0), "Wangjing", "Shunyi")


async def test_both_ends_with_commas_are_kept_whole(make_app) -> None:
    app, c = await english(make_app)
    o = await booked(app, c, ["moving from Flat 3, 8 Park Road to 12 Lake View, Shunyi tomorrow 9am, 13812345678"],
                     ["Address: Flat 3, 8 Park Road\n", "Moving to: 12 Lake View, Shunyi\n"])
    assert (o.service_id, o.address, o.destination) == ("moving", "Flat 3, 8 Park Road", "12 Lake View, Shunyi")


async def test_hours_from_and_to_stay_hours_in_a_move(make_app) -> None:
    app, c = await english(make_app)
    asked = await c.say("moving tomorrow from 9am to 1pm from Wangjing to Shunyi")
    assert "Moving, Wed 25 Nov, 09:00, Wangjing → Shunyi" in asked and "9am" not in asked
