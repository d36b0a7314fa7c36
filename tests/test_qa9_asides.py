"""QA round 9: what a booking message says beside its details is kept.

- An instruction between the details ("明天上午10点深度保洁，家里有两只猫，朝阳区…") was read,
  found to be no slot and dropped: only the clauses after the last detail became the note.
  Any clause no reader took from is now a note, wherever it sits, by the same rules (no
  courtesy, question, name, nor an address's rest such as a city).
- A question in a booking ("…，13812345678，可以开发票吗？") was dropped: the summary came alone.
  Now the FAQ's answer comes first and the booking goes on, as for a price question (qa8);
  a question no FAQ entry answers goes on the order's note marked ❓ and the customer is told
  it was passed on.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = dt.datetime(2026, 11, 27, 9, 0)
ZH_DETAILS = "明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678"
EN_DETAILS = "Deep clean tomorrow 10am, 88 Jianguo Road apt 1203, 13812345678"
ZH_ADDRESS, EN_ADDRESS = "朝阳区望京SOHO T1-1203", "88 Jianguo Road apt 1203"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


def _yes(lang: str) -> str:
    return "确认" if lang == "zh" else "yes"


# ---- Task 1: a note between the details -------------------------------------------------

@pytest.mark.parametrize("lang, text, note, address", [
    ("zh", "明天上午10点深度保洁，厨房和卫生间重点打扫，朝阳区望京SOHO T1-1203，13812345678",
     "厨房和卫生间重点打扫", ZH_ADDRESS),
    ("zh", "明天上午10点深度保洁，家里有两只猫，朝阳区望京SOHO T1-1203，13812345678", "家里有两只猫", ZH_ADDRESS),
    ("en", "Deep clean tomorrow 10am, please focus on the kitchen and bathrooms, 88 Jianguo Road apt 1203, "
     "13812345678", "please focus on the kitchen and bathrooms", EN_ADDRESS),
    ("en", "Deep clean tomorrow 10am, we have a dog, 88 Jianguo Road apt 1203, 13812345678",
     "we have a dog", EN_ADDRESS),
])
async def test_an_instruction_between_the_details_is_the_note(make_app, lang: str, text: str, note: str,
                                                             address: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(text)
    assert ("备注：" if lang == "zh" else "Notes: ") + note in reply
    await c.say(_yes(lang))
    [o] = await all_orders(app)
    assert (o.status, o.address, o.phone, o.time) == ("confirmed", address, "13812345678", dt.time(10, 0))
    assert o.notes == note


@pytest.mark.parametrize("text, note", [
    ("明天上午10点深度保洁，家里有猫，朝阳区望京SOHO T1-1203，13812345678，没有电梯", "家里有猫，没有电梯"),
    ("明天上午10点深度保洁，麻烦了，朝阳区望京SOHO T1-1203，13812345678", None),          # courtesy
    ("明天上午10点深度保洁，北京市，朝阳区望京SOHO T1-1203，13812345678", None),          # a city
    ("Deep clean tomorrow 10am, 88 Jianguo Road, Chaoyang District, Beijing, 13812345678", None),
    ("你好，我想预约明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678", None),  # hello, a request
    ("明天上午10点，深度保洁，朝阳区望京SOHO，T1-1203，13812345678", None),              # all details
    ("Deep clean tomorrow 10am, thanks, 88 Jianguo Road apt 1203, 13812345678", None),
    ("油烟机用了三年没洗过，想清洗一下，下周二上午，朝阳区望京SOHO T1-1203，13812345678", "油烟机"),  # a wish; the thing cleaned
])
def test_what_is_no_note_between_the_details(parser: NluParser, text: str, note: str | None) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "book" and r.slots["phone"] == "13812345678"
    assert r.flags.get("note") == note


# ---- Task 2: a question inside a booking -----------------------------------------------

@pytest.mark.parametrize("lang, text, answer, summary, address", [
    ("zh", ZH_DETAILS + "，可以开发票吗？", "可以开发票（普票或专票）", "请核对订单", ZH_ADDRESS),
    ("en", EN_DETAILS + ", do you issue invoices?", "Yes, we issue invoices.", "Please check your order",
     EN_ADDRESS),
])
async def test_a_faq_question_in_a_booking_is_answered_and_books(make_app, lang: str, text: str, answer: str,
                                                                summary: str, address: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(text)
    assert answer in reply and summary in reply
    assert reply.index(answer) < reply.index(summary)  # the answer first, then the booking
    assert address in reply and "13812345678" in reply
    assert "· 备注" not in reply and "· Notes:" not in reply  # answered: nothing to pass on
    await c.say(_yes(lang))
    [o] = await all_orders(app)
    assert (o.status, o.service_id, o.address, o.phone) == ("confirmed", "deep_cleaning", address, "13812345678")
    assert not o.notes


@pytest.mark.parametrize("lang, text, question, told, summary", [
    ("zh", ZH_DETAILS + "，师傅是男的还是女的？", "师傅是男的还是女的？", "转给我们的工作人员", "请核对订单"),
    ("en", EN_DETAILS + ", is the technician a man or a woman?", "is the technician a man or a woman?",
     "passed it on to our team", "Please check your order"),
])
async def test_an_unanswered_question_in_a_booking_is_passed_on(make_app, lang: str, text: str, question: str,
                                                               told: str, summary: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(text)
    assert told in reply and question in reply and summary in reply
    assert reply.index(told) < reply.index(summary)
    assert "❓" + question in reply  # on the summary's note, marked as a question
    await c.say(_yes(lang))
    [o] = await all_orders(app)
    assert o.status == "confirmed" and o.notes == "❓" + question


async def test_a_question_and_a_note_in_one_booking(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("明天上午10点深度保洁，家里有猫，朝阳区望京SOHO T1-1203，13812345678，师傅是男的还是女的？")
    assert "转给我们的工作人员" in reply
    await c.say("确认")
    [o] = await all_orders(app)
    assert o.notes == "家里有猫；❓师傅是男的还是女的？"


@pytest.mark.parametrize("text", [
    ZH_DETAILS + "，可以吗？",  # asks only for a yes to the booking
    "Deep clean tomorrow 10am, 88 Jianguo Road apt 1203, 13812345678, ok?",
    "1月3号搬家，大概上午10点，能约吗",  # asks when we can come: the booking answers it
    "想彻底打扫一下家里，最近哪天有空",
])
def test_a_bare_question_is_neither_answered_nor_passed_on(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "book"
    assert "asks" not in r.flags and "faq" not in r.flags and "note" not in r.flags


def test_a_price_question_in_a_booking_is_still_a_price(parser: NluParser) -> None:
    r = parser.parse(ZH_DETAILS + "，多少钱？", now=NOW)
    assert r.intent == "price" and "asks" not in r.flags and "note" not in r.flags


def test_a_plural_asks_the_faq(parser: NluParser) -> None:
    assert parser.parse("do you issue invoices?", now=NOW).flags.get("faq") == 1
