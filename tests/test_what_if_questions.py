""""What if …?" about a service is a question, not a booking: "what if the plumber needs parts?"
just after booking a plumber started a second drain unclogging ("Which day and time suit you?")
and every later answer asked for its day again; "what if the cleaner breaks something?" and
"万一开锁师傅打不开怎么办" started bookings too. Now the owner's FAQ answers what it can (and offers
the service only if none is booked), a person gets the rest, and nothing is started. A booking
that asks it on the way ("fix my tap tomorrow 3pm, what if it needs parts?") still books.
The test clock is Tuesday 2026-11-24 20:00 in Shanghai."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders

BOOKING_EN = "fix a leaking kitchen tap thursday 7pm, 15 Sanlitun Road apt 4C, 18612345678"


async def test_what_if_after_booking_is_answered_and_books_nothing_more(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(BOOKING_EN)
    assert "Booked" in await c.say("yes")
    reply = await c.say("what if the plumber needs parts?")
    assert "parts are extra" in reply, reply  # the owner's FAQ answer
    assert "Shall I book" not in reply and "Which day" not in reply, reply  # one is booked already
    reply = await c.say("can I pay by wechat?")
    assert "WeChat Pay" in reply and "Which day" not in reply, reply  # no booking left half-asked
    (order,) = await all_orders(app)
    assert order.service_id == "drain_unclogging" and order.status == "confirmed"


@pytest.mark.parametrize("lang,said,passed", [
    ("en", "what if the cleaner breaks something?", "passed your question"),
    ("en", "what happens if the locksmith can't open it?", "passed your question"),
    ("zh", "万一开锁师傅打不开怎么办", "转给人工客服"),
    ("zh", "如果空调清洗完还有异味怎么办", "转给人工客服"),
])
async def test_what_if_alone_goes_to_a_person_and_starts_nothing(make_app, lang: str, said: str,
                                                                 passed: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert passed in reply and said.rstrip("?") in reply, reply  # staff get the words, the customer is told
    assert "哪天" not in reply and "Which day" not in reply, reply
    assert await all_orders(app) == []


async def test_what_if_with_nothing_booked_offers_the_service_with_the_answer(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("what if the plumber needs parts?")
    assert "parts are extra" in reply and "Shall I book drain unclogging" in reply, reply


@pytest.mark.parametrize("lang,said,asked", [
    ("en", "fix my tap thursday 3pm, what if it needs parts?", "address"),
    ("zh", "周四下午三点修空调，万一要换零件怎么算", "地址"),
])
async def test_a_booking_that_asks_what_if_on_the_way_still_books(make_app, lang: str, said: str,
                                                                   asked: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert asked in reply, reply  # the booking goes on to its next question
