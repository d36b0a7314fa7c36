"""QA round 9: English addresses (pinyin streets, English building names) are read whole:
the district and the flat after the street ("88 Jianguo Road Chaoyang apt 1203"), the unit
and the building before it ("Unit 5 Smith and Sons Building, 12 Dongzhimen St"), and both
ends of a move written in English inside a Chinese sentence ("从 88 Jianguo Road 搬到 …")."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

EN = "Deep clean tomorrow at 10am at "


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize("text, address", [
    (EN + "88 Jianguo Road Chaoyang apt 1203, 13812345678", "88 Jianguo Road Chaoyang apt 1203"),
    (EN + "88 Jianguo Road Chaoyang apt 1203", "88 Jianguo Road Chaoyang apt 1203"),
    (EN + "88 Jianguo Road, Chaoyang, apt 1203, 13812345678", "88 Jianguo Road, Chaoyang, apt 1203"),
    (EN + "88 Jianguo Rd Haidian Flat 3, 13812345678", "88 Jianguo Rd Haidian Flat 3"),
    (EN + "5 Gulou Lu Xicheng Floor 3, 13812345678", "5 Gulou Lu Xicheng Floor 3"),
    (EN + "5 Gulou Jie Bldg 2 Tower 2, 13812345678", "5 Gulou Jie Bldg 2 Tower 2"),
    ("Deep clean tomorrow 10am 12 Dongzhimen St Dongcheng Room 301 13812345678",
     "12 Dongzhimen St Dongcheng Room 301"),
    ("Deep clean at 88 Jianguo Road Chaoyang District Beijing, apt 1203 tomorrow 10am",
     "88 Jianguo Road Chaoyang District Beijing, apt 1203"),
    ("Can you deep clean 88 Jianguo Rd apt 1203 Haidian on Saturday at 10am? my number is 13812345678",
     "88 Jianguo Rd apt 1203 Haidian"),
    ("deep clean at 88 jianguo road chaoyang apt 1203 tomorrow 10am", "88 jianguo road chaoyang apt 1203"),
    (EN + "Room 1203, Jianwai SOHO Tower 2, 39 Dongsanhuan Zhonglu Chaoyang, 13812345678",
     "Room 1203, Jianwai SOHO Tower 2, 39 Dongsanhuan Zhonglu Chaoyang"),
    ("Deep clean tomorrow at 10am, Unit 5 Smith and Sons Building, 12 Dongzhimen St, 13812345678",
     "Unit 5 Smith and Sons Building, 12 Dongzhimen St"),
    (EN + "Unit 5 Smith and Sons Building, 12 Dongzhimen St", "Unit 5 Smith and Sons Building, 12 Dongzhimen St"),
    ("Deep clean tomorrow at 10am at Jade Tower, 12 Dongzhimen St, 13812345678", "Jade Tower, 12 Dongzhimen St"),
    # Chinese around an English address
    ("明天上午10点深度保洁，88 Jianguo Road Chaoyang apt 1203，13812345678", "88 Jianguo Road Chaoyang apt 1203"),
])
def test_an_english_address_is_read_whole(parser: NluParser, text: str, address: str) -> None:
    slots = parser.parse(text, now=NOW).slots
    assert slots["address"] == address
    assert slots["service"] == "deep_cleaning" and slots["date"] == "2026-11-28"
    assert slots["time"] == "10:00"
    if "138" in text:
        assert slots["phone"] == "13812345678"


@pytest.mark.parametrize("text, address, note", [
    (EN + "88 Jianguo Road Chaoyang apt 1203, 13812345678, we have a dog", "88 Jianguo Road Chaoyang apt 1203",
     "we have a dog"),
    (EN + "Flat 3, Smith & Sons House, 12 Dongzhimen St Dongcheng, we have a dog",
     "Flat 3, Smith & Sons House, 12 Dongzhimen St Dongcheng", "we have a dog"),
    (EN + "88 Jianguo Road Chaoyang apt 1203, 13812345678, please bring a ladder",
     "88 Jianguo Road Chaoyang apt 1203", "please bring a ladder"),
    # no district, no building: nothing else is taken in
    ("Deep clean at 88 Jianguo Road tomorrow at 10am", "88 Jianguo Road", None),
    ("Deep clean the whole house, 12 Baker Street tomorrow at 10am", "12 Baker Street", None),
])
def test_the_address_takes_no_time_phone_service_or_note(parser: NluParser, text: str, address: str,
                                                         note: str | None) -> None:
    parsed = parser.parse(text, now=NOW)
    assert parsed.slots["address"] == address
    assert (parsed.slots["service"], parsed.slots["time"]) == ("deep_cleaning", "10:00")
    assert parsed.flags.get("note") == note


@pytest.mark.parametrize("answer", [
    "Unit 5 Smith and Sons Building, 12 Dongzhimen St",
    "88 Jianguo Road Chaoyang apt 1203",
    "88 Jianguo Road, Chaoyang, apt 1203",
])
def test_an_english_address_answered_is_read_whole(parser: NluParser, answer: str) -> None:
    assert parser.parse(answer, now=NOW, expected="address").slots["address"] == answer


@pytest.mark.parametrize("text, address, destination", [
    ("明天上午9点搬家，从 88 Jianguo Road apt 1203 搬到 5 Dongzhimen St Unit 2，13812345678",
     "88 Jianguo Road apt 1203", "5 Dongzhimen St Unit 2"),
    ("明天上午9点搬家，从88 Jianguo Road搬到5 Dongzhimen St，13812345678", "88 Jianguo Road", "5 Dongzhimen St"),
    ("明天上午9点搬家 从 88 Jianguo Road Chaoyang apt 1203 搬到 5 Dongzhimen St Dongcheng Unit 2 13812345678",
     "88 Jianguo Road Chaoyang apt 1203", "5 Dongzhimen St Dongcheng Unit 2"),
    ("明天上午9点搬家，从 88 Jianguo Road 搬到回龙观，13812345678", "88 Jianguo Road", "回龙观"),
    ("从望京SOHO搬到 5 Dongzhimen St Unit 2，明天上午9点，13812345678", "望京SOHO", "5 Dongzhimen St Unit 2"),
    ("明天上午9点搬家，从 Unit 5 Smith and Sons Building 搬到 12 Dongzhimen St，13812345678",
     "Unit 5 Smith and Sons Building", "12 Dongzhimen St"),
    ("Moving tomorrow 9am from 88 Jianguo Road Chaoyang apt 1203 to 5 Dongzhimen St Unit 2, 13812345678",
     "88 Jianguo Road Chaoyang apt 1203", "5 Dongzhimen St Unit 2"),
    ("Moving tomorrow 9am from Unit 5 Smith and Sons Building, 12 Dongzhimen St to 88 Jianguo Rd, 13812345678",
     "Unit 5 Smith and Sons Building, 12 Dongzhimen St", "88 Jianguo Rd"),
])
def test_a_move_between_english_addresses_keeps_both_ends(parser: NluParser, text: str, address: str,
                                                          destination: str) -> None:
    parsed = parser.parse(text, now=NOW)
    assert parsed.slots["address"] == address
    assert parsed.flags["destination"] == destination
    assert (parsed.slots["service"], parsed.slots["date"], parsed.slots["time"]) == ("moving", "2026-11-28", "09:00")
    assert parsed.slots["phone"] == "13812345678" and "quantity" not in parsed.slots


async def test_the_district_and_flat_are_shown_and_booked(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say("Deep clean tomorrow at 10am at 88 Jianguo Road Chaoyang apt 1203, 13812345678")
    assert "Address: 88 Jianguo Road Chaoyang apt 1203\n" in summary
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.status, order.address, order.phone) == ("confirmed", "88 Jianguo Road Chaoyang apt 1203",
                                                          "13812345678")


async def test_the_unit_and_building_answered_are_shown_and_booked(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    asked = await c.say("Deep clean tomorrow at 10am, 13812345678")
    assert "address" in asked.lower()
    summary = await c.say("Unit 5 Smith and Sons Building, 12 Dongzhimen St")
    assert "Address: Unit 5 Smith and Sons Building, 12 Dongzhimen St\n" in summary
    await c.say("yes")
    [order] = await all_orders(app)
    assert order.address == "Unit 5 Smith and Sons Building, 12 Dongzhimen St"


@pytest.mark.parametrize("lang, yes", [("zh", "确认"), ("en", "yes")])
async def test_a_move_between_english_addresses_is_booked_with_both(make_app, lang: str, yes: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    summary = await c.say("明天上午9点搬家，从 88 Jianguo Road apt 1203 搬到 5 Dongzhimen St Unit 2，13812345678")
    assert "88 Jianguo Road apt 1203" in summary and "5 Dongzhimen St Unit 2" in summary
    await c.say(yes)
    [order] = await all_orders(app)
    assert (order.status, order.service_id) == ("confirmed", "moving")
    assert (order.address, order.destination) == ("88 Jianguo Road apt 1203", "5 Dongzhimen St Unit 2")


@pytest.mark.parametrize("text", [
    "3-2-501 Xinyuan road", "deep clean tomorrow at 10am, 3-2-501 Xinyuan road", "deep clean tomorrow 3-2-501 Xinyuan road",
])
def test_a_building_unit_room_number_before_the_street_is_kept_whole(parser: NluParser, text: str) -> None:
    """"3-2-501 Xinyuan road" (building 3, unit 2, room 501) kept "2-501 Xinyuan road": one dash was read."""
    assert parser.parse(text, now=NOW).slots["address"] == "3-2-501 Xinyuan road"
