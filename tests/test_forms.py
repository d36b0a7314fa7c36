"""A pasted form: the fields of an order form filled in, one a line or parted by ；/; .
The address's parts labelled one by one (小区：/楼号：/房号：…, "Estate:/Building:/Room:") were
read as two addresses, one the address with its label and the other on the note
("小区：远洋山水；楼号：12号楼…" → address "楼号：12号楼2单元1101", note "小区：远洋山水"), or, a
line apart, as one run-on address that swallowed the next label and lost the service
("…1101 时间"); in English they were no address at all ("Building: 5" a quantity). A note's
label before other fields took them all into the note."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.form import as_read
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


WHEN = {"date": "2026-12-03", "time": "14:00"}


@pytest.mark.parametrize(("text", "slots"), [
    ("小区：远洋山水；楼号：12号楼2单元1101；时间：12月3日 14:00；服务：深度保洁",
     {"service": "deep_cleaning", **WHEN}),
    ("小区：远洋山水\n楼号：12号楼2单元1101\n时间：12月3日 14:00", WHEN),
    ("所在小区：远洋山水\n门牌号：12号楼2单元1101\n服务项目：深度保洁\n上门时间：12月3日 14:00",
     {"service": "deep_cleaning", **WHEN}),
    # a bare number is said with its field's word; the address runs from the widest part down
    ("单元：2\n楼栋：12\n小区：远洋山水\n房间号：1101", {}),
    ("小区：远洋山水，楼号：12号楼2单元1101，电话：13812345678", {"phone": "13812345678"}),
    ("姓名：张三；电话：13912345678；小区：远洋山水；详细地址：12号楼2单元1101；服务：日常保洁；时间：明天上午10点",
     {"name": "张三", "phone": "13912345678", "service": "daily_cleaning", "date": "2026-11-28", "time": "10:00"}),
])
def test_a_zh_forms_address_parts_are_one_address(parser: NluParser, text: str, slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "book"
    assert r.slots == {**slots, "address": "远洋山水12号楼2单元1101"}
    assert "note" not in r.flags and "room_fix" not in r.flags


@pytest.mark.parametrize(("text", "address"), [
    ("区域：朝阳区\n小区：望京西园三区\n楼栋：310号楼\n单元：2单元\n房号：1503", "朝阳区望京西园三区310号楼2单元1503"),
    ("小区：远洋山水", "远洋山水"),                            # the estate alone, labelled
    ("小区远洋山水，12号楼2单元1101", "远洋山水12号楼2单元1101"),  # 小区 before the name, no colon
    ("小区是远洋山水，12号楼2单元1101", "远洋山水12号楼2单元1101"),
    ("明天保洁，小区名远洋山水，12号楼2单元1101", "远洋山水12号楼2单元1101"),
])
def test_the_estates_label_is_no_part_of_the_address(parser: NluParser, text: str, address: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots["address"] == address
    assert "note" not in r.flags


def test_a_place_in_the_estate_keeps_its_word(parser: NluParser) -> None:
    assert parser.parse("我家小区门口，3号楼", now=NOW).slots["address"] == "我家小区门口3号楼"


@pytest.mark.parametrize(("text", "address"), [
    ("Estate: Seasons Park\nBuilding: 5\nRoom: 302", "Seasons Park, Building 5, Room 302"),
    ("Compound: Yosemite Villas; Unit: 12", "Yosemite Villas, Unit 12"),
    ("Estate: Seasons Park", "Seasons Park"),
])
def test_an_en_forms_address_parts_are_one_address(parser: NluParser, text: str, address: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots) == ("book", {"address": address})
    assert not r.flags.keys() & {"note", "room_fix", "counted"}


def test_a_whole_en_form_is_read_field_by_field(parser: NluParser) -> None:
    text = ("Name: John\nPhone: 13812345678\nEstate: Seasons Park\nBuilding: 5\nRoom: 302\n"
            "Notes: we have a cat\nService: deep cleaning\nTime: tomorrow 3pm")
    r = parser.parse(text, now=NOW)
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-28", "time": "15:00",
                       "address": "Seasons Park, Building 5, Room 302", "phone": "13812345678", "name": "John"}
    assert r.flags["note"] == "we have a cat"


def test_the_one_address_field_of_an_en_form_still_reads(parser: NluParser) -> None:
    text = "Name: John\nPhone: 13812345678\nAddress: Flat 3, 8 Park Road\nService: deep cleaning\nTime: tomorrow 3pm"
    r = parser.parse(text, now=NOW)
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-28", "time": "15:00",
                       "address": "Flat 3, 8 Park Road", "phone": "13812345678", "name": "John"}
    assert "note" not in r.flags


@pytest.mark.parametrize(("text", "note"), [
    ("备注：家里有猫，请带鞋套\n服务：深度保洁\n时间：明天下午3点", "家里有猫，请带鞋套"),   # before the other fields
    ("服务：深度保洁\n备注：小区东门进\n地下车库有电梯\n时间：明天下午3点", "小区东门进\n地下车库有电梯"),
])
def test_a_forms_note_is_whole_and_the_fields_after_it_are_read(parser: NluParser, text: str, note: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-28", "time": "15:00"}
    assert r.flags["note"] == note


@pytest.mark.parametrize(("text", "slots"), [
    # the lines under an address's field that are more of it
    ("姓名：张三\n地址：朝阳区望京\n望京西园三区310号楼\n电话：13812345678",
     {"address": "朝阳区望京望京西园三区310号楼", "phone": "13812345678", "name": "张三"}),
    ("所在地区：北京市朝阳区\n望京西园三区310号楼", {"address": "北京市朝阳区望京西园三区310号楼"}),
    ("小区：远洋山水\n12号楼2单元1101\n明天下午3点保洁",
     {"service": "daily_cleaning", "date": "2026-11-28", "time": "15:00", "address": "远洋山水12号楼2单元1101"}),
    ("Name: John\nAddress: Flat 3\n8 Park Road\nLondon\nPhone: 13812345678\nTime: tomorrow 3pm",
     {"date": "2026-11-28", "time": "15:00", "address": "Flat 3, 8 Park Road, London", "phone": "13812345678",
      "name": "John"}),
    # not a line of the booking's own
    ("Estate: Seasons Park\nTomorrow 3pm\nRoom: 302",
     {"date": "2026-11-28", "time": "15:00", "address": "Seasons Park, Room 302"}),
])
def test_the_lines_under_an_address_field_that_are_more_of_it_join_it(
        parser: NluParser, text: str, slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert r.slots == slots
    assert "note" not in r.flags


def test_a_line_under_the_estate_that_is_no_place_is_the_note(parser: NluParser) -> None:
    r = parser.parse("小区：远洋山水\n门口有保安\n时间：明天下午3点", now=NOW)
    assert (r.slots["address"], r.flags["note"]) == ("远洋山水", "门口有保安")


@pytest.mark.parametrize(("text", "note"), [
    ("Compound: Yosemite Villas\nUnit: 12\nRemarks: bring a ladder\nService: window cleaning\nTime: tomorrow 3pm",
     "bring a ladder"),
    ("补充：家里有猫\n服务：擦玻璃\n时间：明天下午3点", "家里有猫"),
])
def test_a_forms_remarks_are_the_note_without_their_label(parser: NluParser, text: str, note: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots["service"], r.slots["date"], r.slots["time"]) == ("window_cleaning", "2026-11-28", "15:00")
    assert r.flags["note"] == note


@pytest.mark.parametrize(("text", "room"), [
    ("楼号：5，房号：302", "5号楼302"),               # units without their place: the room put right
    ("Building: 5\nRoom: 302", "Building 5, Room 302"),
    ("房号：302", "302"),
])
def test_units_alone_put_the_room_right(parser: NluParser, text: str, room: str) -> None:
    assert parser.parse(text, now=NOW).flags["room_fix"] == room


@pytest.mark.parametrize(("text", "read"), [
    ("地址：朝阳区望京SOHO，麻烦快点", "地址：朝阳区望京SOHO，麻烦快点"),   # no form: as typed
    ("明天下午3点，时间：不急", "明天下午3点，时间：不急"),
    ("小区：远洋山水\n楼号：12\n备注：带梯子\n电话：13812345678", "地址：远洋山水12号楼；电话：13812345678；备注：带梯子"),
    ("Estate: Seasons Park; Tower: A; Flat: 12B", "Address: Seasons Park, Tower A, Flat 12B"),
])
def test_a_form_is_read_as_the_readers_know_it(text: str, read: str) -> None:
    assert as_read(text) == read


ZH_FORM = ("联系人：王女士\n手机：13812345678\n小区：远洋山水\n楼号：12号楼2单元1101\n服务项目：深度保洁\n"
           "上门时间：12月3日 14:00\n备注：家里有猫，请带鞋套")
EN_FORM = ("Name: John\nPhone: 13812345678\nEstate: Seasons Park\nBuilding: 5\nRoom: 302\n"
           "Service: deep cleaning\nTime: Dec 3 2pm\nNotes: we have a cat")


async def test_a_pasted_zh_form_is_summed_up_and_booked(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(ZH_FORM)
    for line in ("· 服务：深度保洁\n", "· 时间：12月3日（周四）14:00\n", "· 地址：远洋山水12号楼2单元1101\n",
                 "· 电话：13812345678\n", "· 称呼：王女士\n", "· 备注：家里有猫，请带鞋套\n"):
        assert line in summary
    assert "小区" not in summary and "楼号" not in summary
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.status, o.service_id, o.date, o.time) == ("confirmed", "deep_cleaning", dt.date(2026, 12, 3), dt.time(14))
    assert (o.address, o.phone, o.name, o.notes) == ("远洋山水12号楼2单元1101", "13812345678", "王女士", "家里有猫，请带鞋套")


async def test_a_pasted_en_form_is_summed_up_and_booked(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say(EN_FORM)
    for line in ("· Service: Deep cleaning\n", "· When: Thu 03 Dec, 14:00\n",
                 "· Address: Seasons Park, Building 5, Room 302\n", "· Phone: 13812345678\n", "· Name: John\n",
                 "· Notes: we have a cat\n"):
        assert line in summary
    await c.say("yes")
    [o] = await all_orders(app)
    assert (o.status, o.service_id, o.date, o.time) == ("confirmed", "deep_cleaning", dt.date(2026, 12, 3), dt.time(14))
    assert (o.address, o.phone, o.name, o.notes) == ("Seasons Park, Building 5, Room 302", "13812345678", "John",
                                                     "we have a cat")


@pytest.mark.parametrize(("form", "lang", "address"), [
    ("小区：远洋山水\n房号：12-1101", None, "远洋山水12-1101"),
    ("Compound: Yosemite Villas; Unit: 12", "en", "Yosemite Villas, Unit 12"),
])
async def test_a_form_answering_the_address_question_is_the_address(make_app, form: str, lang: str | None,
                                                                     address: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say("明天下午3点深度保洁" if lang is None else "deep cleaning tomorrow 3pm")
    await c.say(form)
    summary = await c.say("13812345678")
    assert (f"地址：{address}\n" if lang is None else f"Address: {address}\n") in summary
    await c.say("确认" if lang is None else "yes")
    [o] = await all_orders(app)
    assert (o.status, o.address, o.notes) == ("confirmed", address, None)


@pytest.mark.parametrize(("booking", "fix", "lang", "address"), [
    ("明天下午3点深度保洁，远洋山水12号楼2单元1101，13812345678", "楼号：5，房号：302", None, "远洋山水5号楼302"),
    ("deep cleaning tomorrow 3pm at Seasons Park building 7 room 101, 13812345678", "Building: 5\nRoom: 302", "en",
     "Seasons Park building 5 room 302"),
])
async def test_a_forms_units_at_the_summary_put_the_address_right(make_app, booking: str, fix: str, lang: str | None,
                                                                   address: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    summary = await c.say(fix)
    assert (f"地址：{address}\n" if lang is None else f"Address: {address}\n") in summary
    await c.say("确认" if lang is None else "yes")
    [o] = await all_orders(app)
    assert (o.status, o.address, o.notes) == ("confirmed", address, None)
