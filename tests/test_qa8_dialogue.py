"""QA round 8: a whole booking that corrects itself is a booking; a goodbye is no note."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

FIXED = "Deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678, call me at 13999998888 instead"


async def test_a_booking_with_a_correction_in_it_is_booked_with_the_corrected_value(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say(FIXED)
    assert "13999998888" in summary and "no order to reschedule" not in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.phone) == ("deep_cleaning", "13999998888")


async def test_with_an_order_booked_a_change_said_so_still_moves_it(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("Deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678")
    assert "Booked" in await c.say("yes")
    ask = await c.say("make it Friday instead")
    assert "→" in ask, ask


@pytest.mark.parametrize("goodbye", ["see you then", "bye", "到时见", "拜拜"])
def test_a_goodbye_after_a_booking_is_no_note(goodbye: str) -> None:
    parsed = NluParser(demo_catalog()).parse(
        f"Deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678, {goodbye}", now=NOW)
    assert parsed.intent == "book" and "note" not in parsed.flags


def test_english_notes_are_joined_the_english_way() -> None:
    from handlers import slots as S
    assert S.joined_notes("we have a cat", "bring a ladder") == "we have a cat; bring a ladder"
    assert S.joined_notes("家里有猫", "带梯子") == "家里有猫；带梯子"
    assert S.with_note({"notes": "we have a cat"}, "bring a ladder")["notes"] == "we have a cat; bring a ladder"


async def test_an_english_note_added_at_the_summary_reads_in_english(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("Deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678, we have a cat")
    await c.say("ok, note: bring a ladder")
    [order] = await all_orders(app)
    assert order.notes == "we have a cat; bring a ladder"


async def test_an_hourly_booking_shows_its_hours_not_a_count(make_app) -> None:
    app = await make_app()
    zh = await Customer(app).say("明天上午10点做4个小时保洁，朝阳区望京SOHO T1-1203，13812345678")
    assert "· 服务：日常保洁（4小时）\n· 时间" in zh
    en = await Customer(app, user="u2", lang="en").say(
        "regular cleaning for 1 hour tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678")
    assert "Service: Regular cleaning (1 hour)\n" in en
    items = await Customer(app, user="u3").say("明天上午10点来清洗3台空调，朝阳区望京SOHO T1-1203，13812345678")
    assert "· 服务：家电清洗 × 3\n· 时间" in items


@pytest.mark.parametrize("yes", ["确认 备注带梯子", "确认，备注带梯子"])
async def test_a_yes_with_a_note_without_a_colon_keeps_the_note(make_app, yes: str) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678")
    assert "带梯子" in await c.say(yes)
    [order] = await all_orders(app)
    assert (order.status, order.notes) == ("confirmed", "带梯子")


async def test_a_word_rating_with_nothing_done_gets_the_review_answer(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    stars, word = await c.say("5星"), await Customer(app, user="u2").say("满意")
    assert word == stars and "没太明白" not in word
