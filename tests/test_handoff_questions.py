"""A question about a service asked while waiting for a person: "转人工" then "深度保洁要多久？" /
"how long does a deep clean take?" was forwarded to staff with "已转给人工客服", though the bot
answers it from the catalog at any other time. Nobody has answered yet, so the customer now gets
the catalog's answer at once, and staff still see the words under the request, marked as answered
by the bot. What the catalog does not answer ("空调清洗包括什么？") still waits for the person; once a
person is talking, the bot keeps out of it."""

from __future__ import annotations

import pytest

from tests.fake_telegram import group
from tests.test_telegram import ALICE, BOB, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401 - fixtures


@pytest.mark.parametrize(("text", "answer"), [
    ("深度保洁要多久？", "深度保洁：¥298（约180分钟）"),
    ("how long does a deep clean take?", "Deep cleaning: ¥298 (about 180 min)"),
    ("你们几点开始上门", "07:00–22:00"),
])
async def test_waiting_for_a_person_a_catalog_question_is_answered_and_staff_see_it(
        tg: Harness, text: str, answer: str) -> None:
    await tg.say(ALICE, "转人工")
    await tg.flush()
    request = tg.fake.last(STAFF)
    await tg.say(ALICE, text)
    reply = tg.fake.texts(1001)[-1]
    assert answer in reply and "转给人工客服" not in reply and "passed that on" not in reply, reply
    await tg.flush()
    relayed = tg.fake.sent(STAFF)[-1]
    assert text in relayed["text"] and "机器人已回答" in relayed["text"], relayed["text"]  # the group's language
    assert relayed["reply_parameters"]["message_id"] == request["message_id"]


async def test_what_the_catalog_does_not_say_still_waits_for_the_person(tg: Harness) -> None:
    await tg.say(ALICE, "转人工")
    await tg.say(ALICE, "空调清洗包括什么？")
    assert "已转给人工客服" in tg.fake.texts(1001)[-1]
    await tg.flush()
    assert "空调清洗包括什么" in tg.fake.texts(STAFF)[-1] and "机器人已回答" not in tg.fake.texts(STAFF)[-1]


async def test_once_a_person_talks_the_bot_keeps_out_of_it(tg: Harness) -> None:
    await tg.say(ALICE, "转人工")
    await tg.flush()
    await tg.say(BOB, "您好，请问有什么可以帮您", chat=group(STAFF), reply_to=tg.fake.last(STAFF))
    await tg.flush()
    told = len(tg.fake.texts(1001))
    await tg.say(ALICE, "深度保洁要多久？")
    await tg.flush()
    assert len(tg.fake.texts(1001)) == told, "the person answers, not the bot as well"
    assert "深度保洁要多久" in tg.fake.texts(STAFF)[-1]


@pytest.mark.parametrize(("answer", "shown"), [("好的", "哪天"), ("不用了", "好的")])
async def test_a_yes_or_no_to_the_bots_offer_is_the_bots(tg: Harness, answer: str, shown: str) -> None:
    """"Shall I book it?" after the answer: the yes was relayed to staff, the no ended the wait."""
    await tg.say(ALICE, "转人工")
    await tg.say(ALICE, "深度保洁要多久？")
    assert "需要预约吗" in tg.fake.texts(1001)[-1]
    await tg.say(ALICE, answer)
    reply = tg.fake.texts(1001)[-1]
    assert shown in reply and "转给人工客服" not in reply and "不转人工" not in reply, reply


async def test_where_is_the_person_is_for_the_person(tg: Harness) -> None:
    """"人呢？" after "转人工" was "您还没有订单" (read as "where is my order")."""
    await tg.say(ALICE, "转人工")
    await tg.say(ALICE, "人呢？")
    assert "已转给人工客服" in tg.fake.texts(1001)[-1] and "没有订单" not in tg.fake.texts(1001)[-1]
    await tg.flush()
    assert "人呢" in tg.fake.texts(STAFF)[-1]
