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
