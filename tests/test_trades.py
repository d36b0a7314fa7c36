"""QA with two businesses the bot had not been tried with, each catalog written as its owner
would (examples/locksmith_catalog.yaml, examples/photo_catalog.yaml), chatting as their
customers in Chinese and English. The test clock is Tuesday 2026-11-24 20:00 in Shanghai.

Found:
1. A photographer's "婚礼跟拍 半天" (or "half day", or "半天" said after the full day was
   priced or drafted) priced and booked the full day: two services of one kind that differ
   by the length of the day were told apart by nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_dialogue import Customer, all_orders

LOCKSMITH = "examples/locksmith_catalog.yaml"
PHOTO = "examples/photo_catalog.yaml"


# ---------------------------------------------------------------- half a day or the whole day

@pytest.mark.parametrize("lang,said,price", [
    ("zh", "婚礼跟拍 12月20号 半天 多少钱", "¥2800"),
    ("zh", "婚礼跟拍半天多少钱", "¥2800"),
    ("en", "wedding photography on dec 20, half day, how much", "¥2800"),
    ("zh", "婚礼跟拍 12月20号 全天 多少钱", "¥4800"),
    ("en", "how much for a full day wedding photographer", "¥4800"),
])
async def test_half_or_whole_day_prices_that_service(make_app, lang: str, said: str, price: str) -> None:
    app = await make_app(catalog=PHOTO)
    reply = await Customer(app, lang=lang).say(said)
    assert price in reply, reply
    assert ({"¥2800", "¥4800"} - {price}).pop() not in reply, reply


async def test_half_a_day_after_the_full_day_was_priced_is_the_half_day(make_app) -> None:
    app = await make_app(catalog=PHOTO)
    c = Customer(app)
    assert "¥4800" in await c.say("婚礼跟拍全天多少钱")
    reply = await c.say("半天多少钱")
    assert "¥2800" in reply and "半天" in reply and "¥4800" not in reply, reply


async def test_half_a_day_said_while_booking_the_full_day_books_the_half_day(make_app) -> None:
    app = await make_app(catalog=PHOTO)
    c = Customer(app)
    await c.say("婚礼跟拍 12月20号 全天 多少钱")
    reply = await c.say("那就约半天吧 12月20号上午")
    assert "婚礼跟拍半天" in reply and "全天" not in reply, reply
    await c.say("朝阳区东三环中路7号北京财富中心")
    summary = await c.say("13800001111 张先生")
    assert "婚礼跟拍半天" in summary and "¥2800" in summary, summary
    await c.say("确认")
    (order,) = await all_orders(app)
    assert (order.service_id, order.date) == ("wedding_half", dt.date(2026, 12, 20))


async def test_the_full_day_said_while_booking_the_half_day_books_the_full_day(make_app) -> None:
    app = await make_app(catalog=PHOTO)
    c = Customer(app, lang="en")
    assert "Wedding coverage (half day)" in await c.say("half day wedding coverage on dec 20")
    reply = await c.say("actually make it the full day")
    assert "Wedding coverage (full day)" in reply, reply
