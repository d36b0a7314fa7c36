"""QA round 13a: a unit sent alone ("T1-1503", "1503室", "5栋1503") to a Chinese address that has
a room puts that room right instead of joining it on; "room number is 1503" to an English address
with no flat reads "Room 1503"; a vague question outside a booking ("what now", "什么意思") is not
understood, not passed on to a colleague."""

from __future__ import annotations

import pytest

from tests.reminder_helpers import wire
from tests.test_dialogue import Customer, all_orders


# ----- 1. a unit sent alone replaces the room ------------------------------------------------
@pytest.mark.parametrize("unit, address", [
    ("T1-1503", "朝阳区望京SOHO T1-1503"),
    ("1503室", "朝阳区望京SOHO T1-1503室"),
    ("5栋1503", "朝阳区望京SOHO 5栋1503"),
])
async def test_a_unit_sent_alone_replaces_the_room(make_app, unit: str, address: str) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点深度保洁")
    await c.say("朝阳区望京SOHO T1-1203")
    answer = await c.say(unit)
    assert address in answer and "1203" not in answer, answer
    summary = await c.say("13812345678")
    assert f"地址：{address}\n" in summary, summary


# ----- 2. "room number is 1503" to an English address with no flat ---------------------------
@pytest.mark.parametrize("said", ["room number is 1503", "the room is 1503"])
async def test_the_room_said_in_english_reads_room(make_app, said: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a deep clean tomorrow 3pm")
    await c.say("12 Sanlitun Rd")
    answer = await c.say(said)
    assert "12 Sanlitun Rd, Room 1503" in answer, answer


# ----- 3. a vague question outside a booking is not passed on --------------------------------
@pytest.mark.parametrize("question, lang", [
    ("what now", "en"), ("what?", "en"), ("huh?", "en"), ("why?", "en"),
    ("怎么了", "zh"), ("啥？", "zh"), ("什么意思", "zh"),
])
async def test_a_vague_question_is_not_passed_to_a_person(make_app, clock, question: str, lang: str) -> None:
    app = await make_app()
    sent = wire(app, clock)
    answer = await Customer(app, lang=lang).say(question)
    assert "colleague" not in answer and "人工客服" not in answer, answer
    assert await all_orders(app) == []
    await app.worker.run_once()
    assert sent.staff == []
