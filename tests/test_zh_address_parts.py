"""A Chinese address written in parts keeps all its parts: the estate's clause and the
building/unit/room clause after it are one address, not an address and a note."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer
from tests.test_qa6_dates import NOW

ESTATE = "朝阳区东坝金隅汇景苑"


@pytest.mark.parametrize(("text", "address"), [
    (f"明天上午深度保洁，我家在{ESTATE}，6号楼3单元902，电话13512345678", f"{ESTATE}6号楼3单元902"),
    ("明天上午深度保洁，小区是金隅汇景苑，6号楼3单元902，电话13512345678", "金隅汇景苑6号楼3单元902"),
    ("明天上午深度保洁，在金隅汇景苑，具体是6号楼3单元902，电话13512345678", "金隅汇景苑6号楼3单元902"),
    ("明天上午深度保洁，住金隅汇景苑，房号6-3-902，电话13512345678", "金隅汇景苑6-3-902"),
    ("明天上午保洁，朝阳区建国路88号，1号楼101，13512345678", "朝阳区建国路88号1号楼101"),
])
def test_an_estate_and_its_units_in_a_booking_are_one_address(text: str, address: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=NOW)
    assert r.slots.get("address") == address
    assert "note" not in r.flags


@pytest.mark.parametrize("text", [
    f"明天上午深度保洁，我家在{ESTATE}，6号楼3单元902，电话13512345678",
    "明天上午深度保洁，住金隅汇景苑，房号6-3-902，电话13512345678",
])
async def test_the_summary_shows_the_whole_address_and_no_note(make_app, text: str) -> None:
    said = await Customer(await make_app()).say(text)
    assert "· 地址：" in said and "· 备注：" not in said
    assert ("· 地址：金隅汇景苑6-3-902" in said) if "房号" in text else (f"· 地址：{ESTATE}6号楼3单元902" in said)


def test_a_units_clause_after_something_else_stays_apart() -> None:
    """Only a place's clause joins the units: "家里有猫，6号楼3单元902" keeps its note."""
    r = NluParser(demo_catalog()).parse("明天上午深度保洁，家里有猫，6号楼3单元902，电话13512345678", now=NOW)
    assert r.slots.get("address") == "6号楼3单元902"


@pytest.mark.parametrize("text", [
    "换成海淀区中关村大街1号",
    "不要这个地址了，换成海淀区中关村大街1号",
    "改成海淀区中关村大街1号",
    "改为海淀区中关村大街1号",
    "改到海淀区中关村大街1号",
    "地址是海淀区中关村大街1号",
    "我住在海淀区中关村大街1号",
])
def test_a_new_address_is_stored_without_its_lead_in(text: str) -> None:
    assert NluParser(demo_catalog()).parse(text, now=NOW).slots.get("address") == "海淀区中关村大街1号"


async def test_the_answer_to_the_address_question_drops_we_live_in(make_app) -> None:
    c = Customer(await make_app())
    await c.say("明天上午深度保洁")
    said = await c.say(f"我们小区在{ESTATE}，6号楼3单元902")
    said += await c.say("13512345678")
    assert f"· 地址：{ESTATE}" in said and "6号楼3单元902" in said and "我们小区在" not in said
    assert "· 备注：" not in said


@pytest.mark.parametrize("change", ["换成海淀区中关村大街1号", "不要这个地址了，换成海淀区中关村大街1号"])
async def test_a_new_address_at_the_summary_drops_change_to(make_app, change: str) -> None:
    c = Customer(await make_app())
    await c.say(f"明天上午深度保洁，我家在{ESTATE}，6号楼3单元902，电话13512345678")
    said = await c.say(change)
    assert "· 地址：海淀区中关村大街1号" in said and "换成" not in said


@pytest.mark.parametrize(("answer", "address"), [
    ("朝阳区望京西园三区505，地铁站旁边", "朝阳区望京西园三区505，地铁站旁边"),
    (f"{ESTATE}6号楼3单元902室（靠近地铁3号线）", f"{ESTATE}6号楼3单元902室（靠近地铁3号线）"),
    (f"我们小区在{ESTATE}，6号楼3单元902", f"{ESTATE}，6号楼3单元902"),
])
async def test_a_chinese_address_keeps_its_chinese_punctuation(make_app, answer: str, address: str) -> None:
    c = Customer(await make_app())
    await c.say("明天上午深度保洁")
    said = await c.say(answer) + await c.say("13512345678")
    assert f"· 地址：{address}\n" in said and "· 备注：" not in said


def test_a_booking_in_one_message_keeps_the_brackets_as_typed() -> None:
    text = f"明天上午保洁，地址{ESTATE}6号楼3单元902室（靠近地铁3号线），13512345678"
    assert NluParser(demo_catalog()).parse(text, now=NOW).slots.get("address") == f"{ESTATE}6号楼3单元902室（靠近地铁3号线）"


def test_an_english_address_keeps_its_ascii_commas() -> None:
    r = NluParser(demo_catalog()).parse("Deep clean tomorrow at 10am, Flat 1203, Tower 1, Wangjing SOHO", now=NOW)
    assert r.slots.get("address") == "Flat 1203, Tower 1, Wangjing SOHO"
