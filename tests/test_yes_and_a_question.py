"""A yes to the summary with a question after it ("确认，能开发票吗", "确认，顺便问下要我在家吗"):
the order was booked and the question lost. Now the FAQ's answer is said (or the question,
which no FAQ answers, goes on the order's note marked ❓ for staff, as one asked mid-booking
does) and the order is confirmed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))
BOOKING = "后天下午3点深度保洁，朝阳区望京西园三区312号楼1203，13800005555"
BOOKING_EN = "deep clean tomorrow 10am, 12 Baker Street, 13812345678"
INVOICE = "可以开发票"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize(("text", "flag"), [
    ("确认，能开发票吗", "faq"), ("好的，能开发票吗", "faq"), ("yes, can I get an invoice?", "faq"),
    ("确认，顺便问下要我在家吗", "asks"), ("ok, do I need to be home?", "asks"),
])
def test_the_question_after_a_yes_is_read(parser: NluParser, text: str, flag: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.intent == "affirm" and flag in r.flags


@pytest.mark.parametrize("text", ["确认", "确认，谢谢", "好的，麻烦了", "好的，家里有猫"])
def test_no_question_where_there_is_none(parser: NluParser, text: str) -> None:
    flags = parser.parse(text, now=NOW).flags
    assert "faq" not in flags and "asks" not in flags


async def test_yes_with_an_faq_question_books_and_answers(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING)
    reply = await c.say("确认，能开发票吗")
    assert INVOICE in reply and "预约成功" in reply
    [o] = await all_orders(app)
    assert o.status == "confirmed" and not o.notes


async def test_yes_with_another_question_books_with_it_on_the_note(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(BOOKING)
    reply = await c.say("确认，顺便问下要我在家吗")
    assert "您的问题“顺便问下要我在家吗”已记在订单备注里" in reply and "预约成功" in reply
    [o] = await all_orders(app)
    assert (o.status, o.notes) == ("confirmed", S.asked_note("顺便问下要我在家吗"))


async def test_in_english(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(BOOKING_EN)
    reply = await c.say("ok, do I need to be home?")
    assert "do I need to be home?" in reply and "Booked" in reply
    [o] = await all_orders(app)
    assert (o.status, o.notes) == ("confirmed", S.asked_note("do I need to be home?"))
