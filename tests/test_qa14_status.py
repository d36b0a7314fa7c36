"""Round 14 (QA): an English customer's questions about their order are answered from it.
"what time is my appointment" lists the orders with their times, not "which service?";
"did anyone take my order?" says whether a technician has it, no note on an empty draft;
"has the cleaner finished?", "is my cleaning done?", "is it done?" after the visit are
status questions, not a booking nor a question for a person. A question passed on while
nothing is booked yet goes to staff, not onto a draft that no order carries."""

from __future__ import annotations

import pytest

from storage.models import Order
from tests.conftest import Clock
from tests.reminder_helpers import staff_do, wire
from tests.test_dialogue import Customer, all_orders

BOOKING = "deep cleaning tomorrow 9am, Flat 3, 12 Baker Street, 13900002229"


async def booked(make_app) -> tuple[object, Customer, Order]:  # noqa: ANN001
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(BOOKING)
    assert "Booked!" in await c.say("1")
    [order] = await all_orders(app)
    return app, c, order


async def draft_of(app, user: str = "u1") -> dict:  # noqa: ANN001
    """The booking draft the customer's dialogue state holds (conversation_states.draft)."""
    saved = await app.conversations.states.load(f"console:{user}")
    return (saved or {}).get("draft") or {}


async def test_what_time_is_my_appointment_lists_the_order(make_app) -> None:
    app, c, order = await booked(make_app)
    reply = await c.say("what time is my appointment")
    assert order.number in reply and "09:00" in reply and "Which service" not in reply, reply
    assert [o.id for o in await all_orders(app)] == [order.id]  # no booking started


async def test_did_anyone_take_my_order_says_whether_a_technician_has_it(make_app, clock: Clock) -> None:
    app, c, order = await booked(make_app)
    reply = await c.say("did anyone take my order?")
    assert order.number in reply and "no technician assigned yet" in reply, reply
    assert "notes" not in reply, reply
    await staff_do(app, order.id, "claim", name="Wang")
    assert "is with Wang" in await c.say("did anyone take my order?")
    [stored] = await all_orders(app)
    assert stored.notes is None  # nothing was put on a note nobody reads
    assert await draft_of(app) == {}


@pytest.mark.parametrize("text", ["has the cleaner finished?", "is my cleaning done?", "is it done?"])
async def test_is_it_done_after_the_visit_is_a_status_question(make_app, clock: Clock, text: str) -> None:
    app, c, order = await booked(make_app)
    sent = wire(app, clock)
    await staff_do(app, order.id, "claim")
    clock.advance(days=1, hours=3)  # after the visit
    await staff_do(app, order.id, "done")
    staff_before = len(sent.staff)
    reply = await c.say(text)
    assert order.number in reply and "completed" in reply, reply
    assert "Got it" not in reply and "colleague" not in reply, reply
    assert len(await all_orders(app)) == 1
    await app.worker.run_once()
    assert ("staff_human_request", None) not in sent.staff_templates()[staff_before:]


async def test_a_question_with_nothing_booked_yet_goes_to_staff(make_app, clock: Clock) -> None:
    """A returning customer's "book" draft holds only the phone on file: the question is
    passed to staff (their alert), not noted on that draft."""
    app, c, order = await booked(make_app)
    sent = wire(app, clock)
    assert "Which service" in await c.say("I want to make a booking")
    reply = await c.say("is the cleaner a woman?")
    assert "passed your question" in reply and "Which service" in reply, reply
    assert "What you write next goes to them" not in reply, reply  # the booking's answers stay with it
    assert "notes" not in (await draft_of(app)), await draft_of(app)
    await app.worker.run_once()
    assert [t for t, _ in sent.staff_templates()] == ["staff_human_request"]
    assert "is the cleaner a woman?" in sent.staff[-1][2].reply.text
