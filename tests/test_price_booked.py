"""A bare price question from a customer with a booking ("一共多少钱", "how much?") is
about that booking: its guide price, not the whole price list, which "价目表" / "price
list" still gets. With no booking, or with a service named, nothing changes."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders

BOOK = {"zh": "明天上午十点两台空调清洗，朝阳区建国路88号SOHO现代城A座1502，13911112222",
        "en": "aircon cleaning for 2 units tomorrow 10am, 88 Jianguo Road apt 1502, 13911112222"}
YES = {"zh": "确认", "en": "yes"}


async def _booked(make_app, lang: str) -> Customer:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(BOOK[lang])
    await c.say(YES[lang])
    [o] = await all_orders(app)
    assert (o.status, o.quantity, o.total) == ("confirmed", 2, 300)
    return c


@pytest.mark.parametrize("lang, ask, answer, hint", [
    ("zh", "一共多少钱", "您的订单 20261124-0001（家电清洗 × 2，11月25日（周三）10:00）参考价：¥150 每台 × 2 = ¥300。",
     "想看全部服务的价格请说“价目表”。"),
    ("zh", "多少钱？", "参考价：¥150 每台 × 2 = ¥300", "价目表"),
    ("en", "how much?", "Your order 20261124-0001 (Appliance cleaning × 2, Wed 25 Nov, 10:00): "
                        "guide price ¥150 per appliance × 2 = ¥300.", 'For all our prices, say "price list".'),
])
async def test_a_bare_price_question_after_booking_prices_the_booking(make_app, lang: str, ask: str,
                                                                      answer: str, hint: str) -> None:
    c = await _booked(make_app, lang)
    reply = await c.say(ask)
    assert answer in reply and hint in reply
    assert "深度保洁" not in reply and "Deep cleaning" not in reply  # not the list
    [o] = await all_orders(c.app)
    assert (o.status, o.quantity, o.total) == ("confirmed", 2, 300)  # asking changes nothing


@pytest.mark.parametrize("lang, ask, listed", [
    ("zh", "价目表", "示例家政的服务价格："),
    ("zh", "你们收费标准是什么", "深度保洁：¥298"),
    ("en", "price list", "Deep cleaning: ¥298"),
    ("en", "what are your prices?", "Deep cleaning: ¥298"),
])
async def test_the_price_list_asked_for_as_such_is_still_the_list(make_app, lang: str, ask: str,
                                                                  listed: str) -> None:
    c = await _booked(make_app, lang)
    reply = await c.say(ask)
    assert listed in reply and "20261124-0001" not in reply


async def test_a_named_service_is_priced_even_with_a_booking(make_app) -> None:
    c = await _booked(make_app, "zh")
    reply = await c.say("深度保洁多少钱")
    assert "深度保洁：¥298" in reply and "20261124-0001" not in reply


async def test_with_no_booking_a_bare_price_question_gets_the_list(make_app) -> None:
    c = Customer(await make_app())
    reply = await c.say("多少钱")
    assert "示例家政的服务价格：" in reply and "您的订单" not in reply


async def test_several_bookings_are_each_priced(make_app) -> None:
    c = await _booked(make_app, "zh")
    await c.say("后天下午三点深度保洁，朝阳区建国路88号SOHO现代城A座1502")
    await c.say("确认")
    reply = await c.say("一共多少钱")
    assert "您的订单参考价：" in reply
    assert "· 20261124-0001 · 家电清洗 × 2 · 11月25日（周三）10:00：¥150 每台 × 2 = ¥300" in reply
    assert "· 20261124-0002 · 深度保洁 · 11月26日（周四）15:00：¥298" in reply
