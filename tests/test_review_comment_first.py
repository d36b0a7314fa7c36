"""Words about the service before its stars: "阿姨很仔细，厨房擦得特别干净" to the review
invitation was answered with the star question alone and the words were lost; "she forgot
the balcony" was "Sorry, I didn't understand". Both are now kept, the stars are asked for
once more, and the rating is stored with them as its comment (staff see it with a low one)."""

from __future__ import annotations

from tests.conftest import Clock
from tests.reminder_helpers import wire
from tests.test_dialogue import Customer
from tests.test_reviews import completed, review_of


async def test_praise_before_the_stars_is_stored_with_them(make_app, clock: Clock) -> None:
    app, _, order = await completed(make_app, clock)
    c = Customer(app)
    reply = await c.say("阿姨很仔细，厨房擦得特别干净")
    assert "留言已记下" in reply and "打个分：1-5星" in reply and c.payloads[-1] == "rate:5:1"
    reply = await c.say("5")  # the fifth star of the list
    assert "5星" in reply and "还有什么想对我们说的吗" not in reply
    rating, review = await review_of(app, order.id)
    assert (rating, review.rating, review.comment) == (5, 5, "阿姨很仔细，厨房擦得特别干净")


async def test_a_complaint_before_the_stars_reaches_staff_with_them(make_app, clock: Clock) -> None:
    """Staff hear the complaint at once (the stars may never come: tests/test_past_visit_followups.py),
    and not again when the stars are stored with it."""
    app, sent, order = await completed(make_app, clock)
    c = Customer(app, lang="en")
    reply = await c.say("she forgot the balcony")
    assert "noted your comment" in reply and "didn't understand" not in reply
    assert "sorry" in (await c.say("3 stars")).lower()
    rating, review = await review_of(app, order.id)
    assert (rating, review.comment) == (3, "she forgot the balcony")
    await app.worker.run_once()
    [alert] = [m for _, _, m in sent.staff if m.template == "staff_low_rating"]
    assert alert.data["rating"] is None and "balcony" in str(alert.data)


async def test_without_an_open_invitation_the_words_are_a_complaint_for_a_person(make_app, clock: Clock) -> None:
    """No review to keep them for: work left undone is put right by a person (tests/test_past_visit_complaints.py)."""
    app = await make_app()
    sent = wire(app, clock)
    reply = await Customer(app, lang="en").say("she forgot the balcony")
    assert "sorry" in reply and "colleague" in reply and "didn't understand" not in reply, reply
    await app.worker.run_once()
    [alert] = [m for _, _, m in sent.staff if m.template == "staff_human_request"]
    assert alert.data["complaint"] == "missed" and "she forgot the balcony" in alert.reply.text


async def test_a_new_booking_at_the_star_question_is_a_booking(make_app, clock: Clock) -> None:
    app, _, order = await completed(make_app, clock)
    c = Customer(app)
    assert "留言" not in await c.say("明天下午再约一次保洁")
    assert (await review_of(app, order.id)) == (None, None)
