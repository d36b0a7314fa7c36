"""The fourteenth QA pass: a second service joined by 顺便 / 再 / "+" / "plus" was lost, a
repair's fault never reached the technician, and some notes were junk (the repeat request,
the customer's name). Each fix is checked on the parse and on what the customer sees."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday
PLACE = "，朝阳区红庙北里7号楼3门201，13711112225"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- 1. a second service joined inside a clause ------------------------------------
@pytest.mark.parametrize("join", ["顺便", "再", "还要", "外加", "加上", "同时", "+", " + ", "和"])
def test_a_second_service_joined_inside_a_clause_is_kept_for_the_visit(parser: NluParser, join: str) -> None:
    r = parser.parse(f"明天下午3点深度保洁{join}擦玻璃" + PLACE, now=NOW)
    assert (r.slots["service"], r.flags.get("also"), r.flags.get("also_services")) == \
        ("deep_cleaning", "擦玻璃", ["window_cleaning"])


@pytest.mark.parametrize(("text", "also"), [
    ("deep clean plus window cleaning tomorrow 10am", "window cleaning"),
    ("deep clean and also windows tomorrow 10am", "windows"),
    ("deep clean + windows tomorrow 10am", "windows"),
    ("deep clean tomorrow 10am plus window cleaning", "window cleaning"),
    ("明天下午做个深度保洁顺便擦下玻璃", "擦下玻璃"),
])
def test_the_second_service_noted_is_its_own_words_not_the_when(parser: NluParser, text: str, also: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots["service"], r.flags.get("also"), r.flags.get("also_services")) == \
        ("deep_cleaning", also, ["window_cleaning"])


@pytest.mark.parametrize("text", [
    "来我家做保洁，门锁坏了也顺便看看",      # no service after 顺便: the clause is the note, as before
    "明天上午保洁，再约一次",
    "明天下午3点深度保洁同时带上工具",
    "明天下午3点深度保洁还要多久",
])
def test_a_join_word_without_a_service_after_it_adds_none(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("also_services") in (None, ["lock_service"])
    assert r.flags.get("also") != "擦玻璃"


async def test_shunbian_offers_the_second_service_like_he_does(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say("明天下午3点深度保洁顺便擦玻璃" + PLACE)
    assert "服务：深度保洁" in summary and "备注：擦玻璃" in summary
    assert "擦玻璃：另算（¥180），这单确认后可接着约在同一时间" in summary


async def test_shunbian_said_piecemeal_is_offered_at_the_summary(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午做个深度保洁顺便擦玻璃")
    await c.say("朝阳区红庙北里7号楼3门201")
    summary = await c.say("13711112225")
    assert "服务：深度保洁" in summary and "备注：擦玻璃" in summary and "擦玻璃：另算" in summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("deep_cleaning", "擦玻璃")


async def test_plus_in_english_offers_window_cleaning(make_app) -> None:
    app = await make_app()
    summary = await Customer(app, lang="en").say("deep clean + windows tomorrow 10am, 12 Baker Street, 13812345678")
    assert "Notes: windows" in summary
    assert "Window cleaning: extra (¥180), can be booked for the same time once this one is confirmed" in summary
