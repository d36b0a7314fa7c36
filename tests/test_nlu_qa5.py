"""Round 5: misreads found while building opening hours, capacity and the end of a
talk with a person. Negative cases stand next to the positive ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize(("text", "slots"), [
    # "3点钟点工": 钟 belongs to 钟点工, the hourly cleaner, not to the time
    ("明天下午3点钟点工3小时", {"service": "daily_cleaning", "date": "2026-11-25", "time": "15:00", "quantity": 3}),
    ("明天3点到5点钟点工", {"service": "daily_cleaning", "date": "2026-11-25", "time": "15:00"}),
    ("明天下午3点钟来修空调", {"service": "appliance_repair", "date": "2026-11-25", "time": "15:00"}),
])
def test_an_hourly_cleaner_after_a_time_is_still_the_service(parser: NluParser, text: str, slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots) == ("book", slots)


@pytest.mark.parametrize(("text", "intent"), [
    ("move the sofa to the bedroom tomorrow", "book"),          # things go to places
    ("can you move the fridge to the kitchen on Friday", "book"),
    ("move it to Friday", "reschedule"),                          # the visit goes to a time
    ("move my appointment to 3pm", "reschedule"),
    ("move it to the 5th", "reschedule"),
    ("could you move my booking to next Monday?", "reschedule"),
])
def test_a_move_to_a_time_is_a_reschedule_and_to_a_place_a_job(parser: NluParser, text: str, intent: str) -> None:
    assert parser.parse(text, now=NOW).intent == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("稍等我找下单号", "other"),   # 下单号 is the order number, no booking
    ("我要下单", "book"),
])
def test_an_order_number_is_no_order(parser: NluParser, text: str, intent: str) -> None:
    assert parser.parse(text, now=NOW).intent == intent


@pytest.mark.parametrize(("text", "destination"), [
    ("搬到海淀区上地东里6号楼301", "海淀区上地东里6号楼301"),        # the end alone: the start stays
    ("新家地址改成海淀区上地东里6号楼301", "海淀区上地东里6号楼301"),
    ("目的地写错了，是海淀区上地东里7号楼", "海淀区上地东里7号楼"),
    ("搬到的地址写错了，是回龙观", "回龙观"),
])
def test_where_a_move_ends_said_alone_is_no_address(parser: NluParser, text: str, destination: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("destination") == destination and "address" not in r.slots


@pytest.mark.parametrize(("text", "asap"), [
    ("现在能来开锁吗", True), ("马上来开锁", True), ("尽快安排个保洁", True),
    ("I am locked out, can you come now", True), ("can you send someone asap", True),
    ("明天马上来", False),            # a day given: no "now"
    ("明天下午3点来开锁", False),
])
def test_as_soon_as_possible_is_flagged_when_no_time_is_given(parser: NluParser, text: str, asap: bool) -> None:
    assert bool(parser.parse(text, now=NOW).flags.get("asap")) is asap


def test_the_small_hours_are_flagged_apart_from_the_night(parser: NluParser) -> None:
    r = parser.parse("明天凌晨来打扫卫生", now=NOW)
    assert r.slots["period"] == "night" and r.flags.get("small_hours"), "the contract's period, and a flag"
    assert "small_hours" not in parser.parse("明天晚上来打扫卫生", now=NOW).flags
    assert "small_hours" not in parser.parse("凌晨3点来开锁", now=NOW).flags, "a clock time says it all"


@pytest.mark.parametrize(("text", "expected", "time", "bare"), [
    ("3点", "time", "15:00", True), ("3点半", "time", "15:30", True), ("三点", "time", "15:00", True),
    ("3:00", "time", "15:00", True), ("3", "time", "15:00", True), ("tomorrow at 3", None, "15:00", True),
    ("明天3点来开锁", None, "15:00", True),
    # the half of the day is said: the time is what it says
    ("下午3点", "time", "15:00", False), ("凌晨3点", "time", "03:00", False), ("15:00", "time", "15:00", False),
    ("3am", "time", "03:00", False), ("明天凌晨，3点半来开锁", None, "03:30", False),
])
def test_an_hour_without_its_half_of_the_day_is_flagged(parser: NluParser, text: str, expected: str | None,
                                                        time: str, bare: bool) -> None:
    """The contract reads a bare 3 as 15:00; the flag lets the dialogue read it in the part
    of the day it asked about ("凌晨几点？" then "3点" is 03:00)."""
    r = parser.parse(text, now=NOW, expected=expected)
    assert r.slots["time"] == time and bool(r.flags.get("bare_hour")) is bare


@pytest.mark.parametrize("text", ["locksmith tomorrow in the small hours",
                                  "locksmith in the early hours tomorrow"])
def test_the_small_hours_in_english_are_the_small_hours(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots["period"] == "night" and r.flags.get("small_hours")
    assert parser.parse("locksmith at 3 in the small hours", now=NOW).slots["time"] == "03:00"


@pytest.mark.parametrize("text", ["我马上发地址给你", "我等下发地址给你", "等下把电话发你", "一会儿告诉你地址"])
def test_an_answer_on_its_way_is_a_wait_and_no_address(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW, expected="address")
    assert r.flags.get("wait") and "address" not in r.slots


# ------------------------------------------------------------------ English one-line addresses
@pytest.mark.parametrize(("text", "address"), [
    # a flat in a named building: find_address kept the best comma part alone ("Tower 1")
    ("Flat 1203, Tower 1, Wangjing SOHO", "Flat 1203, Tower 1, Wangjing SOHO"),
    ("Flat 1203, Tower 1", "Flat 1203, Tower 1"),
    ("Flat 5, Block C, Taikoo Shing, tomorrow at 10am", "Flat 5, Block C, Taikoo Shing"),
    # more than one unit before the street: only the last was kept ("Building 5, 88 Jianguo Road…")
    ("Room 1203, Building 5, 88 Jianguo Road, Chaoyang", "Room 1203, Building 5, 88 Jianguo Road, Chaoyang"),
    ("12 Baker Street, Apt 3B", "12 Baker Street, Apt 3B"),
    ("Unit 5, 20 Harbour Rd, Wan Chai", "Unit 5, 20 Harbour Rd, Wan Chai"),
    ("Apt 4B 221 King St", "Apt 4B 221 King St"),
    # within a sentence: it stops before the phone and the time
    ("deep cleaning tomorrow 3pm at Flat 1203, Tower 1, Wangjing SOHO, phone 13812345678",
     "Flat 1203, Tower 1, Wangjing SOHO"),
    ("Flat 1203, Tower 1, Wangjing SOHO tomorrow 3pm", "Flat 1203, Tower 1, Wangjing SOHO"),
    ("Flat 1203, Tower 1, Wangjing SOHO, Tomorrow 3pm please", "Flat 1203, Tower 1, Wangjing SOHO"),
    ("room 12, floor 3, Grace", "room 12, floor 3"),  # a given name after the units signs the message
    ("9 Rose Lane, room for two", "9 Rose Lane"),  # a unit is a unit word and a number
    # the estate named in Chinese after the units is still read with them
    ("地址是 Room 808, Tower 1, 仁恒滨江", "Room 808, Tower 1, 仁恒滨江"),
])
def test_an_english_one_line_address_comes_through_whole(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text, now=NOW).slots.get("address") == address


def test_an_english_address_in_a_booking_keeps_the_other_slots(parser: NluParser) -> None:
    r = parser.parse("deep cleaning tomorrow 3pm at Flat 1203, Tower 1, Wangjing SOHO, phone 13812345678",
                     now=NOW)
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00",
                       "address": "Flat 1203, Tower 1, Wangjing SOHO", "phone": "13812345678"}


@pytest.mark.parametrize("text", ["Room 2 please", "clean room 2 and room 3 tomorrow",
                                  "floor 3 is dirty, can you clean it"])
def test_one_unit_alone_is_no_address(parser: NluParser, text: str) -> None:
    assert "address" not in parser.parse(text, now=NOW).slots
