"""QA round 6 on services: which service a message means, services the business does
not offer, and prices (follow-up questions, quantities)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog, parse_catalog
from tests.test_dialogue import Customer
from tests.test_nlu_slots import _Catalog, _Svc

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ------------------------------------------------------------------ 1. the object beats the verb
@pytest.mark.parametrize("text, service", [
    ("新买的空调 明天上午10点来安装，朝阳区望京SOHO T1-1203，13812345678", "appliance_repair"),
    ("装个热水器", "appliance_repair"), ("马桶漏水", "drain_unclogging"), ("水龙头坏了", "drain_unclogging"),
    ("the kitchen tap is leaking", "drain_unclogging"),
    # a generic verb with its own service's object, or with no object at all, keeps its service
    ("安装", "furniture_assembly"), ("衣柜明天来安装", "furniture_assembly"),
    # a service's own name is no generic verb: 保洁 stays a clean though the toilet is named
    ("保洁 马桶也要刷一下", "daily_cleaning"),
])
def test_a_named_object_beats_a_generic_verb(parser: NluParser, text: str, service: str) -> None:
    assert parser.parse(text, now=NOW).slots.get("service") == service


def test_objects_are_an_optional_catalog_key() -> None:
    """A catalog without objects loads and matches as before; one with them uses them."""
    base = """
business: {name: 示例}
services:
  - {id: assembly, name: {zh: 家具安装}, synonyms: [安装]}
  - {id: ac, name: {zh: 空调服务}%s}
"""
    without = NluParser(parse_catalog(base % ""))
    assert without.parse("空调明天来安装", now=NOW).slots.get("service") == "assembly"
    with_objects = NluParser(parse_catalog(
        base.replace("synonyms: [安装]", "synonyms: [安装], objects: [柜子]") % ", objects: [空调]"))
    assert with_objects.parse("空调明天来安装", now=NOW).slots.get("service") == "ac"


def test_a_catalog_like_object_without_objects_still_works() -> None:
    p = NluParser(_Catalog([_Svc("fix", {"zh": "安装维修"}, ["安装"])]))
    assert p.parse("空调明天来安装", now=NOW).slots.get("service") == "fix"


async def test_new_air_conditioner_to_install_is_no_furniture_job(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("新买的空调 明天上午10点来安装，朝阳区望京SOHO T1-1203，13812345678")
    assert "请核对订单" in summary and "家电维修" in summary and "家具安装" not in summary
