"""QA round 14: an English address is kept whole, in the customer's order of its parts: the
estate named before its building and flat ("Seasons Park building 5 room 302"), the flat after
the building's name ("Tower 2 Wangjing SOHO apt 1203"), the places after the estate ("…, Seasons
Park, Liangmaqiao"), a ring road with its ordinal ("39 East 3rd Ring Road") and a flat's number
said bare before its tower ("2201, Tower A, Central Park"). Each was cut short, and the words
cut off were in neither the address nor the note: order data lost."""

from __future__ import annotations

import pytest

from nlu.corrections import fixed_address, part_fixes, room_fix
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

# The addresses QA typed, each kept whole.
TYPED = [
    "Jianwai SOHO tower 7 flat 12B",
    "Seasons Park building 5 room 302",
    "Sanlitun Soho building 3 room 401",
    "Chaoyang Park Plaza building 6 floor 12 room 1201",
    "Shimao Tower 1, unit 2305",
    "Tower 2 Wangjing SOHO apt 1203",
    "Room 302, Building 5, Seasons Park, Liangmaqiao",
    "Apt 1203, Tower 2, Wangjing SOHO, Chaoyang District",
    "Unit 1502, Building 8, Jianwai SOHO, 39 East 3rd Ring Road",
]


# The same places, their parts run on or set apart otherwise.
VARIANTS = [
    "Seasons Park, building 5, room 302",
    "Room 302 Building 5 Seasons Park Liangmaqiao",
    "apt 1203 tower 2 wangjing soho chaoyang district",
    "Central Park Tower A 2201",
    "Seasons Park bldg 5 rm 302",
    "Room 1201, Floor 12, Building 6, Chaoyang Park Plaza, Chaoyang District, Beijing",
]


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize("address", TYPED + VARIANTS)
def test_an_address_answered_is_kept_whole(parser: NluParser, address: str) -> None:
    assert parser.parse(address, now=NOW, expected="address").slots["address"] == address


@pytest.mark.parametrize("address", TYPED)
def test_an_address_in_a_booking_is_kept_whole(parser: NluParser, address: str) -> None:
    slots = parser.parse(f"deep cleaning tomorrow 10am at {address}, 13812345678", now=NOW).slots
    assert slots["address"] == address
    assert (slots["service"], slots["date"], slots["time"], slots["phone"]) == (
        "deep_cleaning", "2026-11-28", "10:00", "13812345678")


@pytest.mark.parametrize("text, address", [
    ("deep cleaning tomorrow 10am at Seasons Park building 5 room 302, 13812345678",
     "Seasons Park building 5 room 302"),
    # lower case: the estate says it is one ("park")
    ("deep cleaning at seasons park building 5 room 302 tomorrow 10am", "seasons park building 5 room 302"),
    ("This is Mike from 2201, Tower A, Central Park. Need pest control on monday 10am. Call me at +86 139 1111 2222",
     "2201, Tower A, Central Park"),
])
def test_a_one_line_booking_keeps_the_whole_address(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text, now=NOW).slots["address"] == address


@pytest.mark.parametrize("text, address", [
    # a sentence's words are no estate's name
    ("Can you clean tower 2 apt 5 tomorrow 10am", "tower 2 apt 5"),
    ("Hi Tower 2 apt 5, deep cleaning tomorrow 10am", "Tower 2 apt 5"),
    # what follows the estate and starts the next clause is no place
    ("Room 302, Building 5, Seasons Park, Next Monday 10am deep cleaning", "Room 302, Building 5, Seasons Park"),
    ("Room 302, Building 5, Seasons Park, Need deep cleaning tomorrow 10am", "Room 302, Building 5, Seasons Park"),
    ("Room 302, Building 5, Seasons Park, Dec 3rd 10am deep cleaning", "Room 302, Building 5, Seasons Park"),
    ("Deep clean tomorrow 10am at Flat 5, Block C Deep Cleaning", "Flat 5, Block C"),
    ("Deep clean tomorrow 10am at Tower 2 apt 5 Mike", "Tower 2 apt 5"),
])
def test_the_sentence_around_the_address_is_not_taken_in(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text, now=NOW).slots["address"] == address


def test_a_number_and_a_possessive_are_no_street(parser: NluParser) -> None:
    """"2 clean my place": "2" is "to", and "place" is the customer's home, not a street."""
    parsed = parser.parse("hey can u send someone 2 clean my place sat morning? 3 bed apt", now=NOW)
    assert "address" not in parsed.slots
    assert (parsed.slots["date"], parsed.slots["period"]) == ("2026-11-28", "morning")


@pytest.mark.parametrize("address", [TYPED[0], TYPED[5], TYPED[8]])
async def test_the_address_answered_is_shown_and_booked_whole(make_app, address: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    asked = await c.say("deep cleaning tomorrow 10am")
    assert "address" in asked.lower()
    await c.say(address)
    summary = await c.say("13812345678")
    assert f"Address: {address}\n" in summary
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.status, order.address) == ("confirmed", address)


async def test_the_estate_in_a_one_line_booking_is_shown(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say("deep cleaning tomorrow 10am at Seasons Park building 5 room 302, 13812345678")
    assert "Address: Seasons Park building 5 room 302\n" in summary


async def test_a_number_said_as_to_is_no_address_and_it_is_asked(make_app) -> None:
    """"2 clean my place" was booked as the address, and "3 bed apt" dropped as 3 visits. (The
    place cleaned is a regular clean: no menu of services is offered.)"""
    app = await make_app()
    c = Customer(app, lang="en")
    asked = await c.say("hey can u send someone 2 clean my place sat morning? 3 bed apt")
    assert "Regular cleaning" in asked and "2 clean my place" not in asked and "put it down as 3" not in asked
    assert "address" in (await c.say("13812345678")).lower()
    summary = await c.say("Seasons Park building 5 room 302")
    assert "Address: Seasons Park building 5 room 302\n" in summary and "Notes: 3 bed apt\n" in summary


@pytest.mark.parametrize("text, note", [
    ("hey can u send someone 2 clean my place sat morning? 3 bed apt", "3 bed apt"),
    ("deep cleaning sat morning for a 3 bedroom flat", "3 bedroom flat"),
    ("deep cleaning sat morning, 3 bed 2 bath house, 13812345678, we have a dog", "3 bed 2 bath house, we have a dog"),
])
def test_the_homes_size_is_a_note_not_a_count(parser: NluParser, text: str, note: str) -> None:
    parsed = parser.parse(text, now=NOW)
    assert parsed.flags["note"] == note
    assert "quantity" not in parsed.slots


BOOKED = "window cleaning tomorrow 9am at 18 Xinyuan Road flat 12A, 13812345678"


@pytest.mark.parametrize("text, fixed", [
    ("the address is flat 12B", "18 Xinyuan Road flat 12B"),
    ("wrong flat, 12B", "18 Xinyuan Road flat 12B"),
    ("wrong flat, it's 12B", "18 Xinyuan Road flat 12B"),
    ("the flat is 12B", "18 Xinyuan Road flat 12B"),
    ("no, flat 12B", "18 Xinyuan Road flat 12B"),
    ("no, it is flat 12B", "18 Xinyuan Road flat 12B"),
    ("flat 12B", "18 Xinyuan Road flat 12B"),
])
def test_a_flat_said_alone_replaces_the_flat(text: str, fixed: str) -> None:
    assert fixed_address("18 Xinyuan Road flat 12A", part_fixes(text), room_fix(text)) == fixed


@pytest.mark.parametrize("text", ["no, make it 3pm", "no", "no, 3 rooms"])
def test_a_no_without_a_flat_puts_no_flat_right(text: str) -> None:
    assert room_fix(text) is None


@pytest.mark.parametrize("fix", ["the address is flat 12B", "wrong flat, 12B", "no, flat 12B"])
async def test_the_flat_put_right_at_the_summary_keeps_the_street(make_app, fix: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Address: 18 Xinyuan Road flat 12A\n" in await c.say(BOOKED)
    summary = await c.say(fix)
    assert "Address: 18 Xinyuan Road flat 12B\n" in summary
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.status, order.address) == ("confirmed", "18 Xinyuan Road flat 12B")


@pytest.mark.parametrize("address, text, fixed", [
    # a unit of another kind than the flat puts right its own kind, not the flat
    ("Jianwai SOHO tower 7 flat 12B", "tower 8", "Jianwai SOHO tower 8 flat 12B"),
    ("Seasons Park building 5 room 302", "no, building 6 room 601", "Seasons Park building 6 room 601"),
    ("Room 302, Building 5, Seasons Park", "building 6 room 601", "Room 601, Building 6, Seasons Park"),
    ("Chaoyang Park Plaza building 6 floor 12 room 1201", "floor 14 room 1401",
     "Chaoyang Park Plaza building 6 floor 14 room 1401"),
    # one the address has none of is joined on, the flat kept
    ("18 Xinyuan Road flat 12A", "Tower 2", "18 Xinyuan Road flat 12A, Tower 2"),
    ("88 Jianguo Road apt 1203", "floor 12 apt 1204", "88 Jianguo Road floor 12 apt 1204"),
    ("朝阳区望京SOHO T1-1203", "T1-1503", "朝阳区望京SOHO T1-1503"),
])
def test_units_said_alone_put_right_their_own_kind(address: str, text: str, fixed: str) -> None:
    assert fixed_address(address, part_fixes(text), room_fix(text)) == fixed


async def test_the_tower_put_right_at_the_summary_keeps_the_flat(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep cleaning tomorrow 10am at Jianwai SOHO tower 7 flat 12B, 13812345678")
    assert "Address: Jianwai SOHO tower 8 flat 12B\n" in await c.say("tower 8")


@pytest.mark.parametrize("text, address", [
    ("deep clean tomorrow 3pm at 北京市朝阳区建国路88号1号楼101, 13800138000", "北京市朝阳区建国路88号1号楼101"),
    ("aircon cleaning for 2 units tomorrow 3pm at 北京市朝阳区望京SOHO T2 1203, 13800138000",
     "北京市朝阳区望京SOHO T2 1203"),
])
async def test_a_chinese_address_after_at_is_shown_without_it(make_app, text: str, address: str) -> None:
    """"Address: at 北京市…": the English "at" before a Chinese address was kept as its first word."""
    app = await make_app()
    c = Customer(app, lang="en")
    assert f"Address: {address}\n" in await c.say(text)
    await c.say("yes")
    [order] = await all_orders(app)
    assert order.address == address
