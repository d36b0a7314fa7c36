"""QA round 12: a question nobody answers, asked outside a booking ("can the locksmith open a
safe?", "阿姨是女的吗"), is passed on to a colleague, who sees it, not "Sorry, I didn't understand";
"how are you?" mid-booking is small talk, answered, with no note on the order; "locksmith now",
"开锁 马上" are wanted as soon as possible, as "need a locksmith now" is."""

from __future__ import annotations

import pytest

from tests.reminder_helpers import wire
from tests.test_dialogue import Customer, all_orders


# ----- 1. a question outside a booking goes to a person -----------------------------------
@pytest.mark.parametrize("question, lang, passed", [
    ("can the locksmith open a safe?", "en", "colleague"),
    ("do i need to be home?", "en", "colleague"),
    ("is the cleaner a woman?", "en", "colleague"),
    ("阿姨是女的吗", "zh", "人工客服"),
    ("需要我在家吗？", "zh", "人工客服"),
])
async def test_a_question_outside_a_booking_is_passed_to_a_person(make_app, clock, question: str, lang: str,
                                                                  passed: str) -> None:
    app = await make_app()
    sent = wire(app, clock)
    answer = await Customer(app, lang=lang).say(question)
    assert "didn't understand" not in answer and "没看懂" not in answer and "没太明白" not in answer
    assert passed in answer, answer
    assert await all_orders(app) == []
    await app.worker.run_once()
    [(_, to, alert)] = sent.staff
    assert alert.template == "staff_human_request" and to.is_group and question in alert.reply.text


async def test_a_question_mid_booking_still_goes_on_the_note(make_app, clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 3pm")
    answer = await c.say("is the cleaner a woman?")
    assert "notes" in answer and "address" in answer
    await app.worker.run_once()
    assert sent.staff == []


# ----- 2. small talk mid-booking ------------------------------------------------------------
@pytest.mark.parametrize("chat, lang, asked", [
    ("how are you?", "en", "address"), ("你好吗", "zh", "地址"), ("你好吗？", "zh", "地址"),
])
async def test_how_are_you_mid_booking_is_answered_without_a_note(make_app, chat: str, lang: str,
                                                                  asked: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say("deep clean tomorrow 3pm" if lang == "en" else "明天下午3点深度保洁")
    answer = await c.say(chat)
    assert "notes" not in answer and "备注" not in answer and asked in answer, answer
    await c.say("88 Jianguo Rd apt 1203" if lang == "en" else "朝阳区望京SOHO T1 1203")
    summary = await c.say("13812345678")
    assert chat not in summary and "Note" not in summary and "备注" not in summary, summary


# ----- 3. "locksmith now" -------------------------------------------------------------------
@pytest.mark.parametrize("text, lang", [
    ("locksmith now", "en"), ("need a locksmith now", "en"), ("开锁 马上", "zh"), ("马上开锁", "zh"),
])
async def test_a_service_now_is_booked_as_soon_as_possible(make_app, text: str, lang: str) -> None:
    app = await make_app()
    answer = await Customer(app, lang=lang).say(text)
    assert ("address" in answer or "地址" in answer) and "Which day" not in answer and "哪天" not in answer, answer


async def test_a_booking_after_a_question_passed_on_is_still_taken(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "colleague" in await c.say("do i need to be home?")
    assert "address" in await c.say("deep clean tomorrow 3pm")
