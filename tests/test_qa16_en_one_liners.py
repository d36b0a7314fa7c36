"""English one-line bookings for each kind of service, as customers type them: the service, day,
hour, address and phone each read, and what the technician should know kept whole."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_qa16_en_requests import NOW, booked, english

P = "13812345678"


@pytest.mark.parametrize(("text", "slots"), [
    ("my kitchen sink is blocked, can someone come tomorrow at 10am? 12 Baker Street, 13812345678",
     {"service": "drain_unclogging", "date": "2026-11-28", "time": "10:00", "address": "12 Baker Street", "phone": P}),
    ("need to unclog the bathroom drain on wednesday at 4pm, my number is 13812345678",
     {"service": "drain_unclogging", "date": "2026-12-02", "time": "16:00", "phone": P}),
    ("I lost my keys, need a locksmith tonight at 8pm", {"service": "lock_service", "date": "2026-11-27", "time": "20:00"}),
    ("the front door lock is broken, can you send someone tomorrow 9am",
     {"service": "lock_service", "date": "2026-11-28", "time": "09:00"}),
    ("oven not heating, repair on 2 December at 10am", {"service": "appliance_repair", "date": "2026-12-02", "time": "10:00"}),
    ("we have cockroaches in the kitchen, pest control on saturday 10am",
     {"service": "pest_control", "date": "2026-11-28", "time": "10:00"}),
    ("need my windows washed on the 5th at 2pm", {"service": "window_cleaning", "date": "2026-12-05", "time": "14:00"}),
    ("can you clean the windows of my flat next tuesday at 9", {"service": "window_cleaning", "date": "2026-12-01", "time": "09:00"}),
    ("furniture assembly tomorrow 4pm at 88 Jianguo Road",
     {"service": "furniture_assembly", "date": "2026-11-28", "time": "16:00", "address": "88 Jianguo Road"}),
    # the thing first, the verb after it
    ("I bought a sofa bed from IKEA, can you assemble it on sunday at 11",
     {"service": "furniture_assembly", "date": "2026-11-29", "time": "11:00"}),
    ("clean my aircon tomorrow at 11am", {"service": "appliance_cleaning", "date": "2026-11-28", "time": "11:00"}),
    # an oven cleaned is an appliance cleaning, not its repair
    ("clean my oven tomorrow", {"service": "appliance_cleaning", "date": "2026-11-28"}),
    ("an oven clean on monday", {"service": "appliance_cleaning", "date": "2026-11-30"}),
    ("I need my oven cleaned", {"service": "appliance_cleaning"}),
    # aircon servicing is its cleaning (Singapore, Hong Kong)
    ("aircon servicing for 3 units tomorrow 10am",
     {"service": "appliance_cleaning", "date": "2026-11-28", "time": "10:00", "quantity": 3}),
    ("I need a man with a van tomorrow at 8am", {"service": "moving", "date": "2026-11-28", "time": "08:00"}),
])
def test_one_line_bookings(parser: NluParser, text: str, slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "book" and r.slots == slots, r


@pytest.mark.parametrize(("text", "note"), [
    ("the fridge stopped working, repair tomorrow 2pm please", "fridge stopped working"),
    ("the washing machine stopped spinning, tomorrow 2pm", "washing machine stopped spinning"),
    ("the water heater isn't heating anymore", "water heater isn't heating anymore"),
])
def test_a_fault_is_noted_with_its_last_word_whole(parser: NluParser, text: str, note: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("note") == note


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


async def test_a_repair_one_liner_books_with_the_fault_noted(make_app) -> None:
    app, c = await english(make_app)
    o = await booked(app, c, ["the fridge stopped working, repair tomorrow 2pm please, call me on 13912345678",
                              "12 Baker Street, Flat 3"],
                     ["Service: Appliance repair", "When: Wed 25 Nov, 14:00", "Phone: 13912345678",
                      "Notes: fridge stopped working\n"])
    assert (o.service_id, o.date, o.time, o.phone, o.notes) == (
        "appliance_repair", dt.date(2026, 11, 25), dt.time(14, 0), "13912345678", "fridge stopped working")


async def test_furniture_named_before_assemble_books_the_assembly(make_app) -> None:
    app, c = await english(make_app)
    o = await booked(app, c, ["I bought a sofa bed from IKEA, can you assemble it on sunday at 11",
                              "12 Baker Street, Flat 3", P],
                     ["Service: Furniture assembly", "When: Sun 29 Nov, 11:00", "Address: 12 Baker Street, Flat 3\n"])
    assert (o.service_id, o.date, o.time, o.address) == (
        "furniture_assembly", dt.date(2026, 11, 29), dt.time(11, 0), "12 Baker Street, Flat 3")
