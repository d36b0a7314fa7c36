"""The fifteenth QA pass on the technician's note: a fault the reader did not know ("不脱水")
left the note empty or kept only "要维修", the words after a fault ("打不着火", "water") were
cut off, and a cleaning of one kind of appliance did not say which. Each is checked on what
the customer sees on the summary."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- 1. the fault, whole, and no bare repair request on the note -------------------------
@pytest.mark.parametrize(("text", "note"), [
    ("洗衣机不脱水，要维修，明天上午，西湖区文三路20号，电话13500003333", "洗衣机不脱水"),
    ("洗衣机不脱水，明天上午，朝阳区建国路88号501，13800138000", "洗衣机不脱水"),
    ("热水器坏了打不着火，明天上午10点，朝阳区建国路88号501，13800138000", "热水器坏了打不着火"),
    ("my washing machine is leaking water", "washing machine is leaking water"),
    ("my washing machine is leaking water tomorrow 10am please", "washing machine is leaking water"),
    ("冰箱不制冷了明天上午来修一下", "冰箱不制冷了"),
    # the fault said of "it" after the thing's own sentence
    ("hi, can someone fix my washing machine? it leaks water", "washing machine? it leaks water"),
    ("my fridge, it's not cooling. can you come saturday", "fridge, it's not cooling"),
    ("fix my washing machine, it is making a loud noise", "washing machine, it is making a loud noise"),
])
def test_the_fault_is_noted_to_its_clause_end_without_the_booking(parser: NluParser, text: str, note: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("note") == note


@pytest.mark.parametrize(("text", "note"), [
    ("洗衣机不脱水，要维修，明天上午，西湖区文三路20号，电话13500003333", "备注：洗衣机不脱水"),
    ("洗衣机不脱水，明天上午，朝阳区建国路88号501，13800138000", "备注：洗衣机不脱水"),
    ("热水器坏了打不着火，明天上午10点，朝阳区建国路88号501，13800138000", "备注：热水器坏了打不着火"),
])
async def test_the_whole_fault_is_on_the_summary(make_app, text: str, note: str) -> None:
    app = await make_app()
    summary = await Customer(app).say(text)
    assert "服务：家电维修" in summary and note in summary and "要维修" not in summary, summary


async def test_water_leaking_stays_whole_on_the_english_summary(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("my washing machine is leaking water, can someone come tomorrow 10am")
    await c.say("12 Baker Street")
    summary = await c.say("13812345678")
    assert "Notes: washing machine is leaking water" in summary, summary


# ----- 2. the one kind of appliance cleaned, on the note ----------------------------------
@pytest.mark.parametrize(("text", "note"), [
    ("清洗两台空调，明天下午3点，天河区体育西路5号703，电话13600002222", "空调"),
    ("空调清洗两台，明天下午3点，天河区体育西路5号703，电话13600002222", "空调"),
    ("clean 3 aircons on sunday 3pm at 88 Park Road, phone 13622223333", "aircon"),
    ("明天下午洗空调，家里有猫", "空调，家里有猫"),
    ("明天下午3点家电清洗", None),                          # a kind of thing, no thing
])
def test_the_one_appliance_cleaned_is_noted(parser: NluParser, text: str, note: str | None) -> None:
    assert parser.parse(text, now=NOW).flags.get("note") == note


@pytest.mark.parametrize("text", ["清洗两台空调，明天下午3点，天河区体育西路5号703，电话13600002222",
                                  "空调清洗两台，明天下午3点，天河区体育西路5号703，电话13600002222"])
async def test_the_aircons_cleaned_are_on_the_summary(make_app, text: str) -> None:
    app = await make_app()
    summary = await Customer(app).say(text)
    assert "服务：家电清洗 × 2" in summary and "备注：空调\n" in summary, summary


async def test_the_aircons_cleaned_are_on_the_english_summary(make_app) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say("clean 3 aircons on sunday 3pm at 88 Park Road, phone 13622223333")
    assert "Service: Appliance cleaning × 3" in summary and "Notes: aircon\n" in summary, summary


async def test_two_kinds_cleaned_are_still_both_noted(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say("抽油烟机和冰箱各洗一台，明天下午3点，天河区体育西路5号703，电话13600002222")
    assert "备注：抽油烟机、冰箱\n" in summary, summary
