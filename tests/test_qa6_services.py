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


# ------------------------------------------------------------------ 3. prices
@pytest.mark.parametrize("text, quantity", [("空调清洗一台多少 三台呢", 3), ("3台空调清洗多少钱", 3)])
def test_a_price_question_is_about_its_last_quantity(parser: NluParser, text: str, quantity: int) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "price" and r.slots["quantity"] == quantity


def test_a_quote_multiplies_items_and_hours_but_not_visits() -> None:
    cat = demo_catalog()
    three = cat.get("appliance_cleaning").quote(3)
    assert (three.unit, three.count, three.total, three.minutes) == (150, 3, 450, 270)
    four_hours = cat.get("daily_cleaning").quote(4)
    assert (four_hours.total, four_hours.minutes) == (180, 240)
    assert cat.get("deep_cleaning").quote(3).total == 298  # three rooms are one visit
    assert cat.get("appliance_cleaning").quote(2, unit_price=120).total == 240  # the order's own price


@pytest.mark.parametrize("lang, ask, answer", [
    ("zh", "3台空调清洗多少钱", "家电清洗：¥150 每台 × 3 = ¥450（约270分钟）"),
    ("zh", "做4个小时保洁多少钱", "日常保洁：¥45 每小时 × 4小时 = ¥180。"),
    ("zh", "空调清洗一台多少 三台呢", "¥150 每台 × 3 = ¥450"),
    ("en", "how much for 4 hours of regular cleaning", "Regular cleaning: ¥45 per hour × 4 hours = ¥180."),
    ("en", "how much to clean 3 air conditioners", "¥150 per appliance × 3 = ¥450 (about 270 min)"),
])
async def test_a_price_is_for_the_quantity_asked(make_app, lang: str, ask: str, answer: str) -> None:
    app = await make_app()
    assert answer in await Customer(app, lang=lang).say(ask)


@pytest.mark.parametrize("lang, first, follow_up, answer", [
    ("zh", "开锁多少钱", "换锁芯呢", "开锁换锁：¥100"),
    ("zh", "深度保洁多少钱", "日常保洁呢", "日常保洁：¥45 每小时"),
    ("zh", "空调清洗多少钱", "三台呢", "¥150 每台 × 3 = ¥450"),
    ("zh", "多少钱", "开锁呢", "开锁换锁：¥100"),
    ("en", "how much is a deep clean?", "and regular cleaning?", "Regular cleaning: ¥45 per hour"),
])
async def test_a_follow_up_to_a_price_is_another_price(make_app, lang: str, first: str, follow_up: str,
                                                       answer: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(first)
    second = await c.say(follow_up)
    assert answer in second and "哪天" not in second and "Which day" not in second


async def test_words_asking_for_a_visit_after_a_price_still_book(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("开锁多少钱")
    assert "哪天" in await c.say("预约日常保洁")
    d = Customer(app, user="u2")
    await d.say("开锁多少钱")
    await d.say("我的订单")
    assert "哪天" in await d.say("日常保洁呢")  # the price was two messages ago


async def test_the_summary_shows_the_total_for_the_quantity(make_app) -> None:
    app = await make_app()
    summary = await Customer(app).say("明天上午10点来清洗3台空调，朝阳区望京SOHO T1-1203，13812345678")
    assert "家电清洗 × 3" in summary and "参考价：¥150 每台 × 3 = ¥450" in summary
    en = await Customer(app, user="u2", lang="en").say(
        "clean 3 air conditioners tomorrow at 10am, Flat 1203, Tower 1, Wangjing SOHO, 13812345679")
    assert "Guide price: ¥150 per appliance × 3 = ¥450" in en


# ------------------------------------------------------------------ 2. services we do not offer
@pytest.mark.parametrize("text, what", [
    ("有家教吗", "家教"), ("你们做美甲吗", "美甲"), ("能做家教吗？", "家教"), ("有没有月嫂", "月嫂"),
    ("我想约个美甲", "美甲"), ("do you do nails?", "nails"), ("I need a babysitter", "babysitter"),
])
def test_asking_for_something_is_read(parser: NluParser, text: str, what: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("asked_for") == what and "service" not in r.slots


@pytest.mark.parametrize("text", [
    "美甲", "哈哈", "你好", "有人吗", "有空吗", "有师傅吗", "有优惠吗", "有发票吗", "今天有空吗", "有什么服务",
    "I need help", "I need a hand", "can you come tomorrow", "do you do weekends", "马桶堵了，有人能来吗",
])
def test_other_messages_ask_for_nothing(parser: NluParser, text: str) -> None:
    assert "asked_for" not in parser.parse(text, now=NOW).flags


@pytest.mark.parametrize("lang, text, answer", [
    ("zh", "有家教吗", "抱歉，我们不提供“家教”。我们的服务有：深度保洁、日常保洁、"),
    ("zh", "我想约个美甲", "不提供“美甲”"),
    ("en", "do you do nails?", 'Sorry, "nails" is not something we offer. We do: Deep cleaning, Regular cleaning,'),
])
async def test_a_service_we_do_not_offer_is_said_so_with_those_we_do(make_app, lang: str, text: str,
                                                                      answer: str) -> None:
    app = await make_app()
    reply = await Customer(app, lang=lang).say(text)
    assert answer in reply and ("家具安装" in reply or "Furniture assembly" in reply)


async def test_asking_whether_we_do_a_service_we_offer_gives_its_price(make_app) -> None:
    app = await make_app()
    en = Customer(app, lang="en")
    assert "Pest control: ¥260 (about 60 min). Shall I book it?" in await en.say("do you do pest control")
    assert "Which day" in await en.say("yes")
    zh = Customer(app, user="u2")
    assert "开锁换锁：¥100（约45分钟）。需要预约吗？" in await zh.say("有开锁吗")


async def test_not_offered_mid_booking_asks_the_open_question_again(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("预约深度保洁")
    reply = await c.say("有家教吗")
    assert "不提供“家教”" in reply and "哪天" in reply
