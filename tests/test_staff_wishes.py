"""What customers say about the person we send, beyond tests/test_same_staff.py: the wish asked
as a question ("还是上次那个阿姨来吗", "will it be the same cleaner as last time?"), a staff member
asked for by full name without a title ("让李娜来", "can Li Na come?"), a person and a day said
together ("让王师傅周末来"), and English questions about the staff inside a booking's answer
("friday 10am, is the mover a woman?"), which used to book the service their staff word names."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from tests.test_dialogue import Customer, all_orders
from tests.test_nlu_flags import NOW, parser  # noqa: F401  (fixture)


# ---------------------------------------------------------------- a question about the staff, mid-booking
@pytest.mark.parametrize("text, slots, asks", [
    ("friday 10am, is the mover a woman?", {"date": "2026-11-27", "time": "10:00"}, "is the mover a woman?"),
    ("88 Jianguo Road Apt 5, is the cleaner a woman?", {"address": "88 Jianguo Road Apt 5"}, "is the cleaner a woman?"),
    ("tomorrow 3pm, how many movers will come?", {"date": "2026-11-25", "time": "15:00"}, "how many movers will come?"),
    ("周五上午10点，师傅是女的吗", {"date": "2026-11-27", "time": "10:00"}, "师傅是女的吗"),
])
def test_a_staff_question_beside_an_answer_is_passed_on_and_books_no_service(parser: NluParser, text: str,  # noqa: F811
                                                                             slots: dict, asks: str) -> None:
    """"mover", "cleaner" in a question about the person named the moving or cleaning service,
    which took the clause, so the question was neither a note nor passed on."""
    got = parser.parse(text, now=NOW, expected="date")
    assert (got.slots, got.flags.get("asks")) == (slots, asks)


@pytest.mark.parametrize("lang, start, answer, question, noted, address, service", [
    ("en", "I need a deep clean", "friday 10am, is the cleaner a woman?", "is the cleaner a woman?",
     'your question ("is the cleaner a woman?")', "88 Jianguo Road Apt 5", "Deep cleaning"),
    ("en", "I need to move house", "friday 10am, how many movers will come?", "how many movers will come?",
     'your question ("how many movers will come?")', "from 88 Jianguo Road to 5 Xinyuan St", "Moving"),
    ("zh", "我要深度保洁", "周五上午10点，阿姨是女的吗", "阿姨是女的吗", "您的问题“阿姨是女的吗”已记在订单备注里",
     "望京SOHO T1-1203", "深度保洁"),
])
async def test_a_staff_question_with_the_day_is_passed_on_in_both_languages(
        make_app, lang: str, start: str, answer: str, question: str, noted: str, address: str,
        service: str) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app, lang=lang)
    await c.say(start)
    reply = await c.say(answer)
    assert noted in reply and ("地址" in reply or "address" in reply), reply
    await c.say(address)
    summary = await c.say("13800001111")
    assert service in summary and "❓" + question in summary and "Regular cleaning" not in summary
