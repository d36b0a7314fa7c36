"""Round 13 (QA, b): a middling rating whose comment complains alerts staff."""

from __future__ import annotations

import pytest

from handlers.render import Say
from tests.conftest import Clock
from tests.reminder_helpers import Customer
from tests.test_reviews import completed, review_of


@pytest.mark.parametrize("text", ["3星，阿姨来晚了半小时", "3 stars, the cleaner was late and rude"])
async def test_a_mid_rating_that_complains_alerts_staff(make_app, clock: Clock, text: str) -> None:
    app, sent, order = await completed(make_app, clock)
    staff_before = len(sent.staff)
    reply = await Customer(app).say(text)
    assert "工作人员" in reply or "our team" in reply, reply  # told staff will follow up
    assert (await review_of(app, order.id))[0] == 3
    await app.worker.run_once()
    assert sent.staff_templates()[staff_before:] == [("staff_low_rating", 3)]
    staff_text = sent.staff[-1][2].reply.text
    assert order.number in staff_text and text.split("，")[-1].split(", ", 1)[-1] in staff_text, staff_text
    english = app.worker.renderer.render([Say("staff_low_rating", sent.staff[-1][2].data)], "en").text
    assert "Unhappy customer" in english and order.number in english, english


async def test_a_complaint_said_after_three_stars_alerts_staff(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    staff_before = len(sent.staff)
    c = Customer(app)
    await c.say("3")
    reply = await c.say("阿姨来晚了半小时，态度也不好")
    assert "工作人员" in reply, reply
    await app.worker.run_once()
    assert sent.staff_templates()[staff_before:] == [("staff_low_rating", 3)]
    assert "阿姨来晚了半小时" in sent.staff[-1][2].reply.text


@pytest.mark.parametrize("text", ["3星", "3星 还行", "3 stars, it was ok"])
async def test_a_plain_mid_rating_alerts_nobody(make_app, clock: Clock, text: str) -> None:
    app, sent, order = await completed(make_app, clock)
    staff_before = len(sent.staff)
    reply = await Customer(app).say(text)
    assert "3星" in reply or "3-star" in reply, reply
    assert "工作人员" not in reply and "our team" not in reply, reply
    await app.worker.run_once()
    assert sent.staff_templates()[staff_before:] == []
