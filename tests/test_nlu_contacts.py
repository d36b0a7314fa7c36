"""Contact details as people paste or dictate them: an address card copied from a
shop form, a name listed beside the phone, a number said aloud into voice input,
and a run-on sentence with no punctuation. Negative cases stand next to the
positive ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.phone import find_phones
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize(("text", "phone"), [
    ("一三九一二三四五六七八", "13912345678"),
    ("幺三八 一二三四 五六七八", "13812345678"),       # 幺 is 1 read aloud; spaced as spoken
    ("139一二三四五六七八", "13912345678"),            # digits and numerals mixed
    ("电话是一三八零零一三八零零零", "13800138000"),
])
def test_a_mobile_number_said_aloud_is_read(text: str, phone: str) -> None:
    assert [s.value for s in find_phones(text)] == [phone]


@pytest.mark.parametrize("text", [
    "一三九一二三四五六七八九",   # twelve numerals: no mobile number
    "三二一",
    "一二三四五六七八九十一",     # does not start like a mobile number
])
def test_other_runs_of_numerals_are_no_phone(text: str) -> None:
    assert find_phones(text) == []


def test_a_dictated_run_on_booking_keeps_address_phone_and_name(parser: NluParser) -> None:
    r = parser.parse("喂你好我想约个保洁大概明天下午吧三点左右我家在朝阳区安贞里三区8号楼4单元602"
                     "你们来之前给我打个电话我电话是一三九一二三四五六七八我姓赵谢谢啊", now=NOW)
    assert r.intent == "book"
    assert r.slots["address"] == "朝阳区安贞里三区8号楼4单元602"
    assert r.slots["phone"] == "13912345678"
    assert r.slots["name"] == "赵"
    assert (r.slots["date"], r.slots["time"]) == ("2026-11-25", "15:00")


@pytest.mark.parametrize(("text", "name"), [
    ("王小明，13812345678，北京市朝阳区望京西园三区310号楼2单元1503", "王小明"),
    ("明天上午保洁，李四 13812345678", "李四"),
    ("13811110000 张", "张"),                       # a surname alone signs after the number
    ("收货人：王小明\n手机号码：13812345678", "王小明"),
])
def test_a_name_listed_beside_the_phone_is_the_name(parser: NluParser, text: str, name: str) -> None:
    assert parser.parse(text, now=NOW).slots.get("name") == name


@pytest.mark.parametrize("text", [
    "谢谢，13812345678",          # thanks, not 谢 + 谢
    "查订单20261122-0009",        # beside an order number, not a phone
    "张，明天上午",               # a surname alone before other words signs nothing
    "王小明你好",                  # no phone beside it
])
def test_no_name_is_read_from_other_words_beside_numbers(parser: NluParser, text: str) -> None:
    assert "name" not in parser.parse(text, now=NOW).slots


@pytest.mark.parametrize("text", [
    "收货人：王小明\n手机号码：13812345678\n所在地区：北京市朝阳区望京街道\n详细地址：望京西园三区310号楼2单元1503",
    "详细地址：望京西园三区310号楼2单元1503\n所在地区：北京市朝阳区望京街道",   # the region line last
])
def test_an_address_card_joins_region_and_detail(parser: NluParser, text: str) -> None:
    assert parser.parse(text, now=NOW).slots["address"] == "北京市朝阳区望京街道望京西园三区310号楼2单元1503"


def test_a_region_line_the_detail_already_names_is_not_repeated(parser: NluParser) -> None:
    r = parser.parse("所在地区：北京市朝阳区\n详细地址：北京市朝阳区望京西园三区310号楼", now=NOW)
    assert r.slots["address"] == "北京市朝阳区望京西园三区310号楼"


@pytest.mark.parametrize(("text", "address"), [
    ("我住在朝阳区安贞里三区8号楼602，明天上午保洁", "朝阳区安贞里三区8号楼602"),
    ("明天来修空调 家住海淀区上地东里5号楼301", "海淀区上地东里5号楼301"),
])
def test_a_place_after_where_i_live_is_the_address(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text, now=NOW).slots["address"] == address


@pytest.mark.parametrize(("text", "digits"), [
    ("1381234567", "1381234567"),            # a digit short
    ("138 1234 56789", "138123456789"),      # a digit long
    ("07700 900123", "07700900123"),         # a foreign number without its country code
])
def test_a_number_that_is_no_phone_is_flagged_when_the_phone_was_asked(
        parser: NluParser, text: str, digits: str) -> None:
    r = parser.parse(text, now=NOW, expected="phone")
    assert "phone" not in r.slots and r.flags["bad_phone"] == digits


def test_a_good_number_or_another_question_is_not_flagged(parser: NluParser) -> None:
    assert "bad_phone" not in parser.parse("13812345678", now=NOW, expected="phone").flags
    assert "bad_phone" not in parser.parse("1381234567", now=NOW).flags   # the phone was not asked


async def test_a_wrong_number_is_told_what_is_wrong_with_it(make_app) -> None:
    from tests.test_dialogue import Customer

    app = await make_app()
    c = Customer(app)
    assert "电话" in await c.say("明天上午10点深度保洁，朝阳区望京SOHO T1-1203")
    answer = await c.say("1381234567")
    assert "10 位" in answer and "11 位" in answer and "电话" in answer
    assert "请核对订单" in await c.say("13812345678")
    en = Customer(app, user="u2", lang="en")
    await en.say("deep clean tomorrow 10am at 12 Baker Street, Apt 3B")
    assert "country" in await en.say("07700 900123")


@pytest.mark.parametrize(("text", "address"), [
    ("具体是望京西园三区310号楼", "望京西园三区310号楼"),
    ("从丰台区方庄芳群园一区5号楼1103", "丰台区方庄芳群园一区5号楼1103"),
    ("从化区街口街道1号", "从化区街口街道1号"),          # a district that starts with 从
    ("从容小区3号楼", "从容小区3号楼"),
])
def test_lead_in_words_are_not_part_of_the_address(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text, now=NOW, expected="address").slots["address"] == address
