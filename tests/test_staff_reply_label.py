"""Who a staff reply in a card's thread is signed as: the order's technician only when the
one writing holds the order; anyone else in the group (the office answering) writes as
customer service, the same label a reply to a "转人工" alert carries."""

from __future__ import annotations

import pytest

from tests.fake_telegram import group, user
from tests.test_telegram import ALICE, BOB, CAROL, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401 - fixtures

BILL = user(1002, "Bill", lang="en")
EN_BOOKING = ("I need a deep clean tomorrow at 3pm", "88 Jianguo Road apt 1203", "13800001111")
# who: the customer; tech / office: how a reply from the assignee (Bob) and from Carol starts
LANGS = {
    "zh": (ALICE, "💬 师傅（Bob）关于订单", "💬 客服（Carol）关于订单"),
    "en": (BILL, "💬 From your technician (Bob) about order", "💬 From support (Carol) about order"),
}


async def _booked(tg: Harness, who: dict) -> str:
    if who is ALICE:
        return (await tg.book()).number
    for line in EN_BOOKING:
        await tg.say(who, line)
    assert await tg.press(who, tg.fake.last(who["id"]), "Confirm") == 200
    return (await tg.order()).number


@pytest.mark.parametrize("lang", LANGS)
async def test_a_reply_is_signed_by_the_technician_only_when_they_hold_the_order(tg: Harness, lang: str) -> None:
    who, tech, office = LANGS[lang]
    number = await _booked(tg, who)
    await tg.flush()

    # Nobody holds it yet: Carol in the office answers as customer service.
    await tg.say(CAROL, "您好，请问家里有宠物吗？", chat=group(STAFF), reply_to=tg.card())
    await tg.flush()
    said = tg.fake.texts(who["id"])[-1]
    assert said.startswith(office) and number in said and "宠物" in said, said

    # Bob claims it: his reply is the technician's, Carol's still the office's.
    assert await tg.press(BOB, tg.card(), "🙋 接单") == 200
    await tg.flush()
    await tg.say(BOB, "我大概10分钟后到", chat=group(STAFF), reply_to=tg.card())
    await tg.flush()
    assert tg.fake.texts(who["id"])[-1].startswith(tech), tg.fake.texts(who["id"])[-1]
    await tg.say(CAROL, "师傅路上有点堵", chat=group(STAFF), reply_to=tg.card())
    await tg.flush()
    assert tg.fake.texts(who["id"])[-1].startswith(office), tg.fake.texts(who["id"])[-1]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_reply_to_a_request_for_a_person_is_signed_as_customer_service(tg: Harness, lang: str) -> None:
    who = LANGS[lang][0]
    await tg.say(who, "转人工，我想开发票" if lang == "zh" else "I want to talk to a human about an invoice")
    await tg.flush()
    await tg.say(CAROL, "可以开，请发一下税号", chat=group(STAFF), reply_to=tg.fake.last(STAFF))
    await tg.flush()
    said = tg.fake.texts(who["id"])[-1]
    assert said.startswith({"zh": "💬 客服（Carol）：", "en": "💬 From support (Carol):"}[lang]), said
    assert "税号" in said, said
