"""The seventh QA pass: notes. A yes with a note at the summary, a note said without the
word 备注, two services joined by 和 / "and", the reply language of a short price question,
and a weekday that disagrees with the date. Negative cases stand next to the positive ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.notes import instruction
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday
CLEAN = "明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678"
CLEAN_EN = "deep clean tomorrow 10am, 12 Baker Street, 13812345678"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- 2. a note without the word 备注 ---------------------------------------------
@pytest.mark.parametrize(("text", "note"), [
    (CLEAN + "，家里有猫", "家里有猫"),
    (CLEAN + "，小区要登记", "小区要登记"),
    (CLEAN + "，没有电梯，住6楼", "没有电梯，住6楼"),       # the floor after the note is the note's
    (CLEAN + "，家里有猫，谢谢", "家里有猫"),               # courtesy around it is not
    (CLEAN + "，麻烦了，家里有猫", "家里有猫"),
    ("明天上午保洁，望京SOHO，T1-1203，家里有猫", "家里有猫"),  # an address's rest before it is not
    (CLEAN_EN + ", we have a dog", "we have a dog"),
    ("明天下午3点修空调，格力的，不制冷", "空调，格力的，不制冷"),  # the thing repaired first (nlu.notes.trouble)
    ("明天保洁，特别脏", "特别脏"),
])
def test_the_last_clauses_no_slot_took_are_the_note(parser: NluParser, text: str, note: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.flags.get("note")) == ("book", note)


def test_an_aside_leaves_the_slots_as_they_were(parser: NluParser) -> None:
    assert parser.parse(CLEAN + "，家里有猫", now=NOW).slots == parser.parse(CLEAN, now=NOW).slots
    assert instruction("明天保洁，特别脏") is None  # 特别 is no 别: an aside, not an instruction


@pytest.mark.parametrize("text", [
    CLEAN, CLEAN + "，谢谢", CLEAN + "，麻烦了", CLEAN + "，尽快", CLEAN + "，辛苦师傅了",
    CLEAN + "，你好", CLEAN + "，多少钱？", CLEAN + "，可以吗", CLEAN + "，帮我安排一下", CLEAN + "，好的",
    CLEAN_EN + ", thanks!", CLEAN_EN + ", asap please", CLEAN_EN + ", is that ok?", CLEAN_EN + ", cheers mate",
    "明天上午保洁，地址稍后发你", "明天上午保洁，电话等下给你", "明天上午保洁，在线等", "明天上午保洁，我再想想",
    "明天上午保洁，地址朝阳区望京SOHO，张三",          # a bare name
    "明天上午保洁，望京SOHO，T1-1203",                 # an address's rest
    "deep clean tomorrow 10am, 12 Baker Street, Apt 5",
    "明天上午10点做2个小时保洁，再擦玻璃",               # a second service: `also`, not a note
    "你好，明天上午保洁",  "家里有猫",                  # nothing after the booking; no booking
    "不对，改成后天，家里有猫",                          # a correction
])
def test_no_aside_where_there_is_none(parser: NluParser, text: str) -> None:
    assert "note" not in parser.parse(text, now=NOW).flags


@pytest.mark.parametrize(("lang", "text", "shown", "note"), [
    ("zh", CLEAN + "，家里有猫", "备注：家里有猫", "家里有猫"),
    ("zh", CLEAN + "，没有电梯，住6楼", "备注：没有电梯，住6楼", "没有电梯，住6楼"),
    ("en", CLEAN_EN + ", we have a dog", "Notes: we have a dog", "we have a dog"),
])
async def test_an_aside_reaches_the_summary_and_the_order(make_app, lang: str, text: str, shown: str,
                                                          note: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    assert shown in await c.say(text)
    await c.say("确认" if lang == "zh" else "yes")
    [order] = await all_orders(app)
    assert order.notes == note


# ----- 1. a yes with a note at the summary -------------------------------------------
@pytest.mark.parametrize(("lang", "words", "note", "said"), [
    ("zh", "确认，备注：带梯子", "带梯子", "已添加备注：带梯子"),
    ("zh", "好的，记得带梯子", "记得带梯子", "已添加备注：记得带梯子"),
    ("en", "ok, note: bring a ladder", "bring a ladder", "Note added: bring a ladder"),
])
async def test_a_yes_with_a_note_confirms_with_the_note(make_app, lang: str, words: str, note: str,
                                                        said: str) -> None:
    """It showed the summary again (or, for "好的，记得带梯子", confirmed and lost the note)."""
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(CLEAN if lang == "zh" else CLEAN_EN)
    reply = await c.say(words)
    assert ("预约成功" in reply or "Booked!" in reply) and said in reply, reply
    [order] = await all_orders(app)
    assert (order.status, order.notes) == ("confirmed", note)


async def test_a_note_to_the_summary_with_a_change_still_shows_the_summary(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(CLEAN)
    reply = await c.say("改成后天，备注：带梯子")  # a change: the summary again, note and all
    assert "请核对订单" in reply and "备注：带梯子" in reply and "预约成功" not in reply
    assert "已添加备注" not in await c.say("确认")


def test_a_yes_then_an_instruction_is_a_note(parser: NluParser) -> None:
    r = parser.parse("好的，记得带梯子", now=NOW)
    assert (r.intent, r.slots, r.flags.get("note")) == ("affirm", {}, "记得带梯子")
    assert "note" not in parser.parse("好的，不要了", now=NOW).flags
    assert "note" not in parser.parse("对，别改了", now=NOW).flags


# ----- 3. two services joined by 和 / "and" -------------------------------------------
@pytest.mark.parametrize(("text", "service", "also"), [
    ("深度保洁和擦玻璃", "deep_cleaning", "擦玻璃"),
    ("明天上午深度保洁跟擦玻璃", "deep_cleaning", "擦玻璃"),
    ("深度保洁以及擦玻璃", "deep_cleaning", "以及擦玻璃"),
    ("深度保洁还有擦玻璃", "deep_cleaning", "还有擦玻璃"),
    ("deep clean and window cleaning", "deep_cleaning", "window cleaning"),
    ("deep clean and window cleaning tomorrow 10am", "deep_cleaning", "window cleaning"),
    ("深度保洁和修空调和擦玻璃", "deep_cleaning", "修空调；擦玻璃"),
])
def test_two_services_joined_by_and_are_one_visit(parser: NluParser, text: str, service: str, also: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots["service"], r.flags.get("also")) == ("book", service, also)


@pytest.mark.parametrize(("text", "service"), [
    ("客厅和卧室的保洁", "daily_cleaning"),            # rooms of one service
    ("kitchen and bathroom deep clean", "deep_cleaning"),
    ("洗空调和冰箱", "appliance_cleaning"),               # 冰箱 alone names no service
    ("oven and range hood cleaning", "appliance_cleaning"),
    ("空调清洗和油烟机清洗", "appliance_cleaning"),        # one service twice
    ("保洁和平里小区", "daily_cleaning"),                  # an address with 和
    ("明天上午保洁，地址和平里3号楼", "daily_cleaning"),
])
def test_and_inside_one_service_or_an_address_is_no_second_service(parser: NluParser, text: str,
                                                                   service: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots["service"], r.flags.get("also")) == (service, None)


async def test_the_second_service_after_and_goes_on_the_note(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("明天上午10点深度保洁和擦玻璃，朝阳区望京SOHO T1-1203，13812345678")
    assert "服务：深度保洁" in summary and "备注：擦玻璃" in summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("deep_cleaning", "擦玻璃")


# ----- 4. the language of a short price question -----------------------------------
async def test_how_much_in_a_chinese_conversation_is_answered_in_chinese(make_app) -> None:
    """"how much?" halfway through a Chinese booking answered in English."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午深度保洁")
    reply = await c.say("how much?")
    assert "深度保洁：¥298" in reply and "服务地址" in reply, reply
    idle = Customer(app, user="idle")
    await idle.say("你好")
    assert "服务价格" in await idle.say("how much?")
    assert "Prices at" in await idle.say("how much is it for each service?")  # a sentence: English now


async def test_how_much_from_a_new_or_english_customer_is_english(make_app) -> None:
    app = await make_app()
    assert "Prices at" in await Customer(app, user="new").say("how much?")
    en = Customer(app, user="en", lang="en")
    await en.say("deep clean tomorrow morning")
    assert "Deep cleaning: ¥298" in await en.say("how much?")


def test_few_words_is_a_short_english_price_question(parser: NluParser) -> None:
    assert parser.parse("how much?", now=NOW).flags.get("few_words")
    assert not parser.parse("how much is a deep clean?", now=NOW).flags.get("few_words")
    assert not parser.parse("多少钱", now=NOW).flags.get("few_words")


# ----- 5. a weekday that disagrees with the date -------------------------------------
@pytest.mark.parametrize(("text", "said"), [
    ("周五12月5号上午保洁", 4), ("12月5号（周五）上午保洁", 4), ("Friday Dec 5th deep clean", 4),
    ("周六12月5号上午保洁", None), ("下周五上午保洁", None), ("12月5号上午保洁", None),
])
def test_a_weekday_beside_a_date_that_is_not_its_own_is_flagged(parser: NluParser, text: str,
                                                                said: int | None) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots["date"] if "12月" in text or "Dec" in text else None) in ("2026-12-05", None)
    assert r.flags.get("said_weekday") == said


@pytest.mark.parametrize(("lang", "text", "told"), [
    ("zh", "周五12月5号上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678", "12月5日是周六，不是周五"),
    ("en", "deep clean Friday Dec 5th 10am, 12 Baker Street, 13812345678", "5 Dec is a Saturday, not a Friday"),
])
async def test_the_summary_points_out_the_dates_weekday(make_app, lang: str, text: str, told: str) -> None:
    app = await make_app()
    reply = await Customer(app, lang=lang).say(text)
    assert told in reply and ("请核对订单" in reply or "Please check" in reply), reply
    assert "不是" not in await Customer(app, user="u2").say(CLEAN.replace("明天", "周六12月5号"))
