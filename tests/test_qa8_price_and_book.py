"""QA round 8: a price question that also gives a booking's details ("明天上午10点深度保洁，
朝阳区…，138…，多少钱？") is answered with the price, and the details go into the booking,
which goes on as if they had been sent alone. A bare price question still offers to book."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_dialogue import Customer, all_orders

ZH = "明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678，多少钱？"
EN = "Deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678, how much?"


@pytest.mark.parametrize("lang, text, price, summary, address", [
    ("zh", ZH, "深度保洁：¥298（约180分钟）。", "请核对订单", "朝阳区望京SOHO T1-1203"),
    ("en", EN, "Deep cleaning: ¥298 (about 180 min).", "Please check your order", "88 Jianguo Road apt 1203"),
])
async def test_a_price_question_with_the_details_answers_and_books(make_app, lang: str, text: str, price: str,
                                                                   summary: str, address: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(text)
    assert price in reply and summary in reply
    assert reply.index(price) < reply.index(summary)  # the price first, then the booking
    assert "需要预约吗" not in reply and "Shall I book it" not in reply
    assert address in reply and "13812345678" in reply
    assert c.payloads == ["affirm", "deny", "cancel"]
    await c.say("确认" if lang == "zh" else "yes")
    [o] = await all_orders(app)
    assert (o.status, o.service_id, o.time) == ("confirmed", "deep_cleaning", dt.time(10, 0))
    assert (o.address, o.phone) == (address, "13812345678")


async def test_a_price_question_with_some_details_asks_what_is_missing(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("明天上午10点深度保洁多少钱？")
    assert "深度保洁：¥298" in reply and "需要预约吗" not in reply
    assert "地址" in reply and "哪天" not in reply
    assert "电话" in await c.say("朝阳区望京SOHO T1-1203")
    assert "请核对订单" in await c.say("13812345678")


async def test_a_price_question_mid_booking_keeps_its_details(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "哪天" in await c.say("我想做个深度保洁")
    reply = await c.say("明天上午10点，多少钱？")
    assert "深度保洁：¥298" in reply and "地址" in reply and "哪天" not in reply


@pytest.mark.parametrize("lang, text, answer", [
    ("zh", "深度保洁多少钱", "深度保洁：¥298（约180分钟）。需要预约吗？"),
    ("en", "how much is a deep clean?", "Deep cleaning: ¥298 (about 180 min). Shall I book it?"),
])
async def test_a_bare_price_question_still_offers_to_book(make_app, lang: str, text: str, answer: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    assert (await c.say(text)).strip() == answer
    assert await all_orders(app) == []
    assert ("哪天" if lang == "zh" else "Which day") in await c.say("好的" if lang == "zh" else "yes")


async def test_a_price_follow_up_is_still_a_price(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("空调清洗多少钱")
    second = await c.say("三台呢")
    assert "¥150 每台 × 3 = ¥450" in second and "需要预约吗" in second and "哪天" not in second
    assert await all_orders(app) == []
