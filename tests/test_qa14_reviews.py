"""Round 14 (QA): an English review comment is kept. "very good but she forgot the balcony"
rates and comments as "很满意，就是阳台没擦" does; "great job, 5 stars, windows are spotless"
keeps the words around the stars, without asking for a comment again; talking to a person,
the comment asked for after the stars is stored, and nobody is told a booking is kept when
none was started."""

from __future__ import annotations

import pytest

from nlu.review_words import comment_with_rating, rating_from_words
from tests.conftest import Clock
from tests.test_dialogue import Customer
from tests.test_reviews import completed, review_of


@pytest.mark.parametrize(("text", "stars", "comment"), [
    ("very good but she forgot the balcony", 5, "but she forgot the balcony"),
    ("great job, 5 stars, windows are spotless", 5, "great job, windows are spotless"),
    ("很满意，就是阳台没擦", 5, "就是阳台没擦"),
])
async def test_a_rating_with_its_comment_is_stored_in_one_go(
        make_app, clock: Clock, text: str, stars: int, comment: str) -> None:
    app, _, order = await completed(make_app, clock)
    reply = await Customer(app, lang="en").say(text)
    assert "didn't understand" not in reply and "Anything you'd like" not in reply, reply
    assert f"{stars}-star" in reply or f"{stars}星" in reply, reply
    assert "comment" in reply or "留言" in reply, reply
    rating, review = await review_of(app, order.id)
    assert (rating, review.rating, review.comment) == (stars, stars, comment)


@pytest.mark.parametrize(("text", "stars", "comment"), [
    ("very good but she forgot the balcony", 5, "but she forgot the balcony"),
    ("good job, though a bit late", 4, "though a bit late"),
    ("great job, 5 stars, windows are spotless", 5, "great job, windows are spotless"),
    ("很好，5星，阳台擦得很干净", 5, "很好，阳台擦得很干净"),
    ("windows are spotless, 5 stars", None, "windows are spotless"),
    ("great job, 5 stars!", 5, None),  # the rating alone, said twice
    ("太差了，1星", 1, None),
    ("I'd give it 5 stars", None, None),  # no clause of its own: no comment cut out of it
    ("good and you?", None, None),
    ("good morning", None, None),
])
def test_english_ratings_and_their_comments(text: str, stars: int | None, comment: str | None) -> None:
    assert (rating_from_words(text), comment_with_rating(text)) == (stars, comment)


async def test_the_comment_asked_for_while_talking_to_a_person_is_stored(make_app, clock: Clock) -> None:
    app, _, order = await completed(make_app, clock)
    c = Customer(app, lang="en")
    await c.say("talk to a person")
    assert "Anything you'd like to tell us" in await c.say("5")
    reply = await c.say("she forgot the balcony")
    # work left undone is a complaint: staff hear of it whatever the stars (tests/test_review_complaints.py)
    assert "passed this on to our team" in reply and "booking you started" not in reply, reply
    assert (await review_of(app, order.id))[1].comment == "she forgot the balcony"


async def test_no_booking_is_said_to_be_kept_when_none_was_started(make_app, clock: Clock) -> None:
    """Relayed to the person at a review's rating question: no "booking you started"."""
    app, _, order = await completed(make_app, clock)
    c = Customer(app, lang="en")
    await c.say("talk to a person")
    await c.say("I want to review")  # the stars are asked for: a review, no booking, is under way
    reply = await c.say("hello? is anyone there")
    assert "passed that on to a colleague" in reply and "booking you started" not in reply, reply
    assert "To book or check an order, just say so." in reply


async def test_a_booking_under_way_is_still_said_to_be_kept(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a deep clean tomorrow 3pm")
    await c.say("talk to a person")
    reply = await c.say("hello? is anyone there")
    assert "The booking you started is kept" in reply, reply
