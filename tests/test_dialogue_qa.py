"""Conversations found wanting in hands-on QA through the console channel, kept as tests."""

from __future__ import annotations

from tests.test_dialogue import Customer


async def test_offer_of_a_person_is_its_own_sentence_in_english(make_app) -> None:
    """Jinja's trim_blocks eats the newline after `{% endif %}`: the offer was glued on ("much".Reply)."""
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("blah")
    second = await c.say("qwerty")
    assert 'or "how much". Reply "human"' in second


async def test_asking_the_day_acknowledges_once(make_app) -> None:
    """The day question said "好的，深度保洁。" on its own, after the noted line had said it
    already, and again each time it was repeated after a side question."""
    app = await make_app()
    c = Customer(app)
    first = await c.say("来朝阳区建国路88号做深度保洁")
    assert first.count("好的") == 1 and "朝阳区建国路88号" in first and "哪天" in first
    again = await c.say("多少钱")
    assert "哪天" in again and "好的" not in again


async def test_english_day_question_is_not_repeated_with_its_got_it(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Deep cleaning" in await c.say("book a deep clean")
    again = await c.say("asdf")
    assert "Which day" in again and "got it" not in again.lower()
