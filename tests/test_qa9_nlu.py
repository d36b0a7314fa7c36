"""QA round 9 (NLU): a house number ending in 号 is no day (丰盛胡同12号); "现在就要 急", "now
please" answer "when?" as 现在 does; a greeting before an FAQ question hides no answer and
English FAQ keywords match their plurals; "clean" + an appliance is appliance cleaning; a few
homophone typos of service names (保结) are known. Each against a fresh database, "today"
Friday 2026-11-27."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone(timedelta(hours=8)))  # a Friday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.fixture
def friday(clock) -> None:  # noqa: ANN001
    clock.now = NOW


# ------------------------------------------------------------------ 1. N号 after a street is its number
@pytest.mark.parametrize(("text", "slots"), [
    ("西城区金融街购物中心旁边 丰盛胡同12号", {"address": "西城区金融街购物中心旁边 丰盛胡同12号"}),
    ("丰盛胡同 12号", {"address": "丰盛胡同 12号"}),
    ("金融街购物中心3号", {"address": "金融街购物中心3号"}),
    ("3号楼12号", {"address": "3号楼12号"}),
    ("建国路88号", {"address": "建国路88号"}),
    ("建国路18号", {"address": "建国路18号"}),
    ("东直门内大街18号院", {"address": "东直门内大街18号院"}),
    # a real day in the same message is still one
    ("12号上午10点保洁，建国路88号",
     {"service": "daily_cleaning", "date": "2026-12-12", "time": "10:00", "address": "建国路88号"}),
    ("12号上午10点保洁，丰盛胡同12号",
     {"service": "daily_cleaning", "date": "2026-12-12", "time": "10:00", "address": "丰盛胡同12号"}),
    ("12号", {"date": "2026-12-12"}),
])
@pytest.mark.parametrize("expected", [None, "address"])
def test_a_house_number_after_a_street_is_no_day(parser: NluParser, text: str, slots: dict,
                                                 expected: str | None) -> None:
    assert parser.parse(text, now=NOW, expected=expected).slots == slots


async def test_a_hutong_number_keeps_the_day_and_the_address(make_app, friday) -> None:  # noqa: ANN001
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点")
    await c.say("日常保洁")
    reply = await c.say("西城区金融街购物中心旁边 丰盛胡同12号")
    assert "电话" in reply
    summary = await c.say("13812345678")
    assert "11月28日" in summary and "12月12日" not in summary
    assert "丰盛胡同12号" in summary
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.date, o.time) == (dt.date(2026, 11, 28), dt.time(15, 0))
    assert o.address == "西城区金融街购物中心旁边 丰盛胡同12号"


# ------------------------------------------------------------------ 2. "现在就要 急": the next slot, as 现在
@pytest.mark.parametrize("text", ["现在就要 急", "现在就要", "马上", "急", "很急", "尽快", "越快越好",
                                  "asap", "urgent", "now please", "right now", "现在"])
def test_urgent_answers_to_when_are_asap(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW, expected="date")
    assert r.flags.get("asap") is True and not {"date", "time", "period"} & r.slots.keys()


@pytest.mark.parametrize("text", ["不急", "不着急，下周都行"])
def test_no_hurry_is_no_asap(parser: NluParser, text: str) -> None:
    assert not parser.parse(text, now=NOW, expected="date").flags.get("asap")


@pytest.mark.parametrize(("lang", "ask", "now", "answers", "address", "yes"), [
    ("zh", "开锁", "现在", ["现在就要 急", "马上", "急", "尽快", "越快越好"], "丰盛胡同12号", "确认"),
    ("en", "I'm locked out", "right now", ["asap", "urgent", "now please"], "12 Baker Street, Flat 3", "yes"),
])
async def test_an_urgent_answer_books_the_next_slot_as_now_does(make_app, friday, lang: str, ask: str, now: str,
                                                                answers: list[str], address: str,
                                                                yes: str) -> None:  # noqa: ANN001
    app = await make_app()
    first = Customer(app, user="now", lang=lang)
    await first.say(ask)
    expected = await first.say(now)
    for i, answer in enumerate(answers):
        c = Customer(app, user=f"u{i}", lang=lang)
        await c.say(ask)
        assert await c.say(answer) == expected, answer
    await c.say(address)
    await c.say("13812345678")
    await c.say(yes)
    [o] = await all_orders(app)
    assert (o.service_id, o.date, o.time, o.status) == ("lock_service", dt.date(2026, 11, 27), dt.time(10, 30),
                                                        "confirmed")


# ------------------------------------------------------------------ 3. a greeting before an FAQ question
@pytest.mark.parametrize(("text", "faq"), [
    ("你好！请问你们几点上班", 0), ("Hi, do u guys do weekends?", 0), ("请问你们周末上门吗", 0),
    ("hello, are you open on weekends?", 0), ("do you issue invoices?", 1), ("do you give receipts?", 1),
    ("您好，能开发票吗", 1), ("Hi! can I pay cash?", 2),
])
def test_a_greeting_before_an_faq_question_gets_the_answer(parser: NluParser, text: str, faq: int) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.flags.get("faq")) == ("other", faq)


@pytest.mark.parametrize(("text", "intent"), [("你好", "greet"), ("hi", "greet"), ("你们周末能上门保洁吗", "book")])
def test_a_greeting_or_a_booking_alone_asks_no_faq(parser: NluParser, text: str, intent: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == intent and "faq" not in r.flags


def test_a_plural_needs_a_whole_word() -> None:
    from nlu.faq import FaqMatcher
    m = FaqMatcher([["pay"], ["invoice"]])
    assert (m.find("do you issue invoices"), m.find("repays"), m.find("payslip")) == (1, None, None)


@pytest.mark.parametrize(("lang", "text", "answer"), [
    ("zh", "你好！请问你们几点上班", "我们每天 7:00–22:00 上门服务"),
    ("zh", "请问你们周末上门吗", "周末和节假日照常"),
    ("en", "Hi, do u guys do weekends?", "weekends and holidays included"),
    ("en", "do you issue invoices?", "Yes, we issue invoices."),
])
async def test_the_customer_is_told_the_faq_answer(make_app, friday, lang: str, text: str,
                                                  answer: str) -> None:  # noqa: ANN001
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(text)
    assert answer in reply
    assert "没太明白" not in reply and "didn't understand" not in reply
    assert await all_orders(app) == []


# ------------------------------------------------------------------ 4. "clean" + an appliance is cleaning
@pytest.mark.parametrize(("text", "service"), [
    ("how much to clean 2 washing machines", "appliance_cleaning"), ("clean my fridge", "appliance_cleaning"),
    ("wash the aircons", "appliance_cleaning"), ("洗2台洗衣机多少钱", "appliance_cleaning"),
    ("清洗两台洗衣机", "appliance_cleaning"), ("washing machine cleaning", "appliance_cleaning"),
    ("how much to fix 2 washing machines", "appliance_repair"), ("repair my washing machine", "appliance_repair"),
    ("my washing machine is broken", "appliance_repair"), ("修2台洗衣机多少钱", "appliance_repair"),
])
def test_clean_or_fix_an_appliance(parser: NluParser, text: str, service: str) -> None:
    assert parser.parse(text, now=NOW).slots["service"] == service


@pytest.mark.parametrize(("lang", "text", "price"), [
    ("en", "how much to clean 2 washing machines", "Appliance cleaning: ¥150 per appliance × 2 = ¥300"),
    ("zh", "洗2台洗衣机多少钱", "家电清洗：¥150 每台 × 2 = ¥300"),
])
async def test_the_price_of_cleaning_two_washing_machines(make_app, friday, lang: str, text: str,
                                                        price: str) -> None:  # noqa: ANN001
    app = await make_app()
    reply = await Customer(app, lang=lang).say(text)
    assert price in reply and "call-out" not in reply and "上门费" not in reply


# ------------------------------------------------------------------ 5. homophone typos of service names
@pytest.mark.parametrize(("text", "service"), [
    ("保结", "daily_cleaning"), ("明天上午保结", "daily_cleaning"), ("想约明天的深度保结", "deep_cleaning"),
    ("疏桶", "drain_unclogging"),
    ("马桶要疏桶", "drain_unclogging"), ("插玻璃", "window_cleaning"),
])
def test_a_homophone_typo_names_the_service(parser: NluParser, text: str, service: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots["service"]) == ("book", service)


async def test_a_typo_of_the_service_books_it(make_app, friday) -> None:  # noqa: ANN001
    app = await make_app()
    c = Customer(app)
    assert "哪天" in await c.say("保结")
    await c.say("明天上午10点")
    await c.say("朝阳区望京SOHO T1-1203")
    await c.say("13812345678")
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.service_id, o.date, o.time) == ("daily_cleaning", dt.date(2026, 11, 28), dt.time(10, 0))
