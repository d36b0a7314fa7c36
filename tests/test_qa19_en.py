"""The nineteenth QA pass, as English-speaking customers in Beijing: "cancel the window
cleaning" with a regular and a window cleaning booked asked "which one?" (the "cleaning" in
its name is a regular cleaning's synonym); "what bookings do i have" started a booking; a
flat's number said bare after its tower ("…, Jianwai SOHO tower B 1502") was cut off the
address; an estate named between the units and the street ("Flat 2101, Tower B, Central
Park, 6 Chaoyangmenwai Ave") was dropped and the units moved behind the street. Each is
checked on what the customer sees and what the order stores."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

PHONE = "+86 138 1234 5678"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


async def _booked(c: Customer, *messages: str) -> str:
    """The messages said, then "yes" to the summary they end at: its reply."""
    for text in messages:
        await c.say(text)
    return await c.say("yes")


# ----- a service named inside another's name is not a second one -----------------------------
async def test_cancel_the_window_cleaning_of_two_cleanings(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "regular cleaning tmrw noon, 3 hours, Unit 806, Tower A, Parkview Green, Dongcheng, " + PHONE)
    await _booked(c, "also book window cleaning on friday at 9", "same address")
    reply = await c.say("cancel the window cleaning")
    assert "Which one" not in reply and "Window cleaning" in reply and "Regular cleaning" not in reply, reply
    assert "cancelled" in (await c.say("yes")).lower()
    orders = await all_orders(app)
    assert [(o.service_id, o.status) for o in orders] == [("daily_cleaning", "confirmed"),
                                                          ("window_cleaning", "cancelled")]


# ----- "what bookings do i have" is a question about them --------------------------------------
@pytest.mark.parametrize("text", ["what bookings do i have", "my bookings", "what are my bookings?",
                                  "do i have any bookings", "show me my appointments", "what do i have now",
                                  "what do i have booked"])
def test_my_bookings_asks_for_them(parser: NluParser, text: str) -> None:
    assert parser.parse(text).intent == "status"


async def test_my_bookings_while_asked_which_lists_them(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "deep clean saturday 10am at Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang, " + PHONE)
    await _booked(c, "pest control sunday 3pm", "same address")
    assert "Which one" in await c.say("reschedule my booking")
    reply = await c.say("what bookings do i have")
    assert "Your recent orders" in reply and "couldn't tell" not in reply, reply
    assert len(await all_orders(app)) == 2


# ----- the whole address is kept ---------------------------------------------------------------
@pytest.mark.parametrize(("text", "address"), [
    ("8 Guanghua Rd, Jianwai SOHO tower B 1502", "8 Guanghua Rd, Jianwai SOHO tower B 1502"),
    ("8 Guanghua Rd, Jianwai SOHO tower B, 1502, phone 13812345678", "8 Guanghua Rd, Jianwai SOHO tower B, 1502"),
    ("Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave", "Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave"),
    ("Room 5, Park View, 8 Dongsanhuan Rd", "Room 5, Park View, 8 Dongsanhuan Rd"),
    ("8 Guanghua Rd tower B 10:30", "8 Guanghua Rd tower B"),  # a time is no flat
])
def test_english_address_keeps_its_flat_and_estate(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text).slots["address"] == address


async def test_multi_line_booking_keeps_the_flat(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("hello\nneed my aircon cleaned, 2 units\ntomorrow half past two\n"
                        "address: 8 Guanghua Rd, Jianwai SOHO tower B 1502\nphone 13812345678")
    assert "· Address: 8 Guanghua Rd, Jianwai SOHO tower B 1502\n" in reply, reply
    await c.say("confirm")
    [order] = await all_orders(app)
    assert (order.address, order.quantity, order.status) == ("8 Guanghua Rd, Jianwai SOHO tower B 1502", 2, "confirmed")


async def test_estate_between_units_and_street_is_kept(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tmrw 9am")
    reply = await c.say("Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave")
    assert "Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave" in reply, reply
    await _booked(c, "13800001111")
    [order] = await all_orders(app)
    assert order.address == "Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave"


# ----- "how long will it take?" once booked is answered, not passed to staff ---------------------
@pytest.mark.parametrize(("lang", "question", "length"), [
    ("en", "how long will it take", "takes about 45 min"), ("zh", "要多久？", "需要大约45分钟")])
async def test_how_long_once_booked_gives_the_orders_length(make_app, lang: str, question: str, length: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await _booked(c, "locked out of my apartment!! pls come asap", "Room 2304, Building 7, Wanda Plaza, Chaoyang",
                  "15601234567")
    reply = await c.say(question)
    assert length in reply and "passed your question" not in reply and "转给" not in reply, reply
    [order] = await all_orders(app)
    assert order.status == "confirmed" and order.notes is None


# ----- a bare number answered to "what's the address?" is no address ----------------------------
async def test_bare_number_to_the_address_question_is_not_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("hi there! need someone to clean 3 aircons on sunday morning")
    reply = await c.say("10")
    assert "What's the address?" in reply and "morning, 10." not in reply, reply
    reply = await c.say("Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang")
    assert "Which phone number" in reply, reply
    await _booked(c, PHONE)
    [order] = await all_orders(app)
    assert (order.address, order.quantity) == ("Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang", 3)
