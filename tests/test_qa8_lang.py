"""QA round 8: an English customer who pastes a Chinese address is answered in English.

Foreigners in China book in English and copy their address from a map or a delivery
app, in Chinese characters; any Chinese character made the whole message Chinese, so
the summary and the confirmation came back in Chinese."""

from __future__ import annotations

import pytest

from nlu.normalize import detect_lang
from tests.test_dialogue import Customer, all_orders


@pytest.mark.parametrize("text, lang", [
    ("Deep clean tomorrow at 10am, 朝阳区望京SOHO T1-1203, 13812345678", "en"),
    ("I need a cleaner at 望京SOHO", "en"),
    ("please come to 北京市朝阳区望京街道望京SOHO塔1 1203 tomorrow", "en"),
    # Chinese sentences with English in them stay Chinese
    ("明天上午10点深度保洁，朝阳区望京SOHO T1-1203", "zh"),
    ("明天来修一下我的iPhone和MacBook Pro", "zh"),
    ("明天 3pm deep clean", "zh"),
    ("我想book一个cleaning service", "zh"),
    ("is 北京 ok", "zh"),
])
def test_an_english_sentence_with_a_chinese_place_is_english(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


async def test_an_english_booking_with_a_chinese_address_is_answered_in_english(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say("Deep clean tomorrow at 10am, 朝阳区望京SOHO T1-1203, 13812345678")
    assert "Please check your order" in summary or "Service:" in summary, summary
    assert "请核对订单" not in summary
    booked = await c.say("yes")
    assert "预约成功" not in booked
    [order] = await all_orders(app)
    assert order.address == "朝阳区望京SOHO T1-1203"
