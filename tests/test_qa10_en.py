"""QA round 10, an English-speaking customer (an expat in Beijing booking a cleaner, a plumber,
a locksmith): a room written "Rm" and a building named after it without a comma ("Rm 1203 Tower 2
Jianwai SOHO") is the address, not lost with the phone said after it."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize("text, address", [
    ("Rm 1203, Tower B, Jianwai SOHO", "Rm 1203, Tower B, Jianwai SOHO"),
    ("Rm 1203 Tower 2 Jianwai SOHO", "Rm 1203 Tower 2 Jianwai SOHO"),
    ("rm 1203 tower 2 jianwai soho tomorrow 3pm deep clean", "rm 1203 tower 2 jianwai soho"),
    ("deep clean at Apt 5B Park View Residences tmrw 10am, 13812345678", "Apt 5B Park View Residences"),
])
def test_a_room_and_the_building_after_it_are_the_address(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text, now=NOW).slots["address"] == address


async def test_a_run_on_booking_with_rm_and_a_building_keeps_address_and_phone(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say("book aircon cleaning tmrw 10am, 2 units, Rm 1203 Tower 2 Jianwai SOHO, 13812345678")
    assert "What's the address" not in summary
    assert "Address: Rm 1203 Tower 2 Jianwai SOHO" in summary and "Phone: 13812345678" in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.address, order.phone, order.quantity) == ("Rm 1203 Tower 2 Jianwai SOHO", "13812345678", 2)


async def test_the_room_before_the_tower_stays_in_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("my kitchen sink is clogged, can u send a plumber tmrw 9am")
    await c.say("Rm 1203, Tower B, Jianwai SOHO")
    summary = await c.say("+86 138-1234-5678")
    assert "Address: Rm 1203, Tower B, Jianwai SOHO" in summary and "Notes: Rm 1203" not in summary


@pytest.mark.parametrize("text", ["need a locksmith now", "locked out of my apt!! need locksmith now pls",
                                  "i need a plumber now, water everywhere"])
def test_needing_someone_now_is_as_soon_as_possible(parser: NluParser, text: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("asap")


@pytest.mark.parametrize("text", ["i don't need a cleaner now", "we need a cleaner now and then"])
def test_now_that_is_no_hurry_is_not_asap(parser: NluParser, text: str) -> None:
    assert not parser.parse(text, now=NOW).flags.get("asap")


async def test_a_locked_out_customer_who_says_now_is_not_asked_which_day(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("locked out of my apt!! need locksmith now pls")
    assert "Which day" not in reply and "Tue 24 Nov, 20:30" in reply
    await c.say("12 Sanlitun Rd apt 3A")
    summary = await c.say("13912345678")
    assert "Service: Locksmith" in summary and "When: Tue 24 Nov, 20:30" in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.address, order.status) == ("lock_service", "12 Sanlitun Rd apt 3A", "confirmed")

