"""QA round 11, an English-speaking customer: the flat sent alone after the street ("Apt 5B")
joins the address; "typo, should be apt 1302" at the summary puts the flat right; "whats the
total?" there gets the price and "do i need to be home?" is passed on; "can the locksmith open a
safe?" is no opening-hours question; "bye" is answered politely; "Apt 12C, Park View, 8 Dongsanhuan"
is all address and "ok come pls" before one no note; "…South Rd." ends with one full stop."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders

SUMMARY_FIRST = "window cleaning tmrw 3pm, 88 Jianguo Rd apt 1203, 13812345678"


# ----- 1. the flat sent alone after the street ----------------------------------------
@pytest.mark.parametrize("street, flat, address", [
    ("12 Sanlitun Rd", "Apt 5B", "12 Sanlitun Rd, Apt 5B"),
    ("21 Xinyuan South Rd", "apt 12c", "21 Xinyuan South Rd, apt 12c"),
    ("Jianwai SOHO Tower 2", "Rm 1203", "Jianwai SOHO Tower 2, Rm 1203"),
    ("12 Sanlitun Rd", "unit 3", "12 Sanlitun Rd, unit 3"),
])
async def test_the_flat_sent_after_the_street_joins_the_address(make_app, street: str, flat: str,
                                                                address: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a deep clean tomorrow 3pm")
    await c.say(street)
    asked = await c.say(flat)
    assert "didn't catch" not in asked and address in asked and "phone number" in asked
    summary = await c.say("13812345678")
    assert f"Address: {address}\n" in summary
    await c.say("yes")
    assert [o.address for o in await all_orders(app)] == [address]


async def test_the_flat_sent_at_the_summary_joins_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a deep clean tomorrow 3pm")
    await c.say("12 Sanlitun Rd")
    await c.say("13812345678")
    summary = await c.say("Apt 5B")
    assert "Please check your order" in summary and "Address: 12 Sanlitun Rd, Apt 5B\n" in summary


async def test_the_room_sent_alone_in_chinese_joins_the_address_too(make_app) -> None:
    """"门牌号是1503" and "1203室" said while collecting replaced the whole address."""
    app = await make_app()
    for n, (room, address) in enumerate((("门牌号是1503", "朝阳区望京SOHO T1 1503"),
                                         ("1203室", "朝阳区望京SOHO T1 1203室"))):
        c = Customer(app, user=f"u{n}")
        await c.say("明天下午3点深度保洁")
        await c.say("朝阳区望京SOHO T1")
        assert address in await c.say(room)
        assert f"地址：{address}\n" in await c.say("13812345678")


# ----- 2. the flat put right at the summary -------------------------------------------
@pytest.mark.parametrize("fix", ["typo, should be apt 1302", "sorry it's apt 1302 not 1203"])
async def test_the_flat_put_right_at_the_summary(make_app, fix: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(SUMMARY_FIRST)
    summary = await c.say(fix)
    assert "Please check your order" in summary and "Address: 88 Jianguo Rd apt 1302\n" in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.address, order.notes) == ("88 Jianguo Rd apt 1302", None)


# ----- 6. a question at the summary ---------------------------------------------------
@pytest.mark.parametrize("question", ["whats the total?", "what's the total?", "total?"])
async def test_the_total_asked_at_the_summary_gets_the_price(make_app, question: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(SUMMARY_FIRST)
    said = await c.say(question)
    assert "didn't catch" not in said and "Window cleaning: ¥180" in said and "awaiting confirmation" in said


@pytest.mark.parametrize("lang, question, noted, told", [
    ("en", "do i need to be home?", "❓do i need to be home?", "passed it on"),
    (None, "需要我在家吗？", "❓需要我在家吗？", "转给我们的工作人员"),
])
async def test_a_question_at_the_summary_is_passed_on(make_app, lang: str | None, question: str, noted: str,
                                                      told: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(SUMMARY_FIRST if lang else "明天下午3点擦玻璃，朝阳区望京SOHO T1-1203，13812345678")
    said = await c.say(question)
    assert told in said and noted in said
    await c.say("yes" if lang else "确认")
    [order] = await all_orders(app)
    assert (order.status, order.notes) == ("confirmed", noted)


async def test_a_question_the_faq_answers_at_the_summary_gets_the_answer(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(SUMMARY_FIRST)
    said = await c.say("can i pay by card?")
    assert "You pay when the job is done" in said and "passed it on" not in said


# ----- 7. "open" with an object is the job, not the opening hours ----------------------
async def test_open_a_safe_is_no_opening_hours_question(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a locksmith tomorrow 10am")
    said = await c.say("can the locksmith open a safe?")
    assert "7:00–22:00" not in said and "passed it on" in said and "What's the address" in said
    assert "7:00–22:00" in await Customer(app, user="u2", lang="en").say("are you open on sundays?")


# ----- 8. goodbye -----------------------------------------------------------------------
@pytest.mark.parametrize("lang, text, reply", [
    ("en", "bye", "Bye! Message me here any time"), ("en", "thanks, bye", "Bye! Message me here any time"),
    (None, "拜拜", "再见！有需要随时找我"),
])
async def test_goodbye_is_answered_politely(make_app, lang: str | None, text: str, reply: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    said = await c.say(text)
    assert reply in said and "understand" not in said and "没太明白" not in said


async def test_goodbye_at_the_summary_keeps_the_order_waiting_and_ok_bye_confirms(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(SUMMARY_FIRST)
    said = await c.say("thanks, bye")
    assert "Bye!" in said and "awaiting confirmation" in said
    assert "Booked" in await c.say("ok bye")


# ----- 3. a building, then its numbered street; 5. courtesy before the address ----------
@pytest.mark.parametrize("opening, said, address, notes", [
    ("I need a deep clean tomorrow 3pm", "Apt 12C, Park View, 8 Dongsanhuan", "Apt 12C, Park View, 8 Dongsanhuan", None),
    # being locked out is the locksmith's note, the courtesy is not
    ("locked out of my apt!! need locksmith now pls", "ok come pls. 12 Sanlitun Rd apt 3A", "12 Sanlitun Rd apt 3A",
     "locked out of my apt"),
])
async def test_the_whole_answer_is_the_address_and_no_note(make_app, opening: str, said: str, address: str,
                                                           notes: str | None) -> None:
    """"8 Dongsanhuan" and "ok come pls" went on the order's notes."""
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(opening)
    await c.say(said)
    summary = await c.say("13912345678")
    assert f"Address: {address}\n" in summary and "come pls" not in summary
    assert (f"Notes: {notes}\n" in summary) if notes else ("Notes" not in summary), summary
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.address, order.notes) == (address, notes)


# ----- 4. an address ending in "Rd." ---------------------------------------------------------
async def test_an_address_ending_in_rd_dot_gets_no_second_dot(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a deep clean tomorrow 3pm")
    asked = await c.say("21 Xinyuan South Rd.")
    assert "21 Xinyuan South Rd.\n" in asked and "Rd.." not in asked
    await c.say("13812345678")
    booked = await c.say("yes")
    assert "21 Xinyuan South Rd.\n" in booked and "Rd.." not in booked
