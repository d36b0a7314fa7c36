"""What the scheduled messages say when they go out late or for a part of the day: the
assignee's reminder counts the time actually left, a part-of-day visit reads "this
afternoon", and a worker catching up sends the review invitation without its nudge."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from storage.models import Order, ScheduledJob
from tests.conftest import Clock
from tests.reminder_helpers import Customer, book, local, run_until, staff_do, wire

# Thursday 26th, booked Tuesday 24th 20:00.
EXACT = {"zh": "后天下午三点深度保洁", "en": "I'd like a deep cleaning on Thursday at 3pm"}
PART_OF_DAY = {"zh": "后天下午深度保洁", "en": "I'd like a deep cleaning on Thursday afternoon"}


async def booked(make_app, clock: Clock, lang: str, text: str):  # noqa: ANN201
    app = await make_app()
    sent = wire(app, clock)
    if lang == "zh":
        await book(app, text)
    else:
        c = Customer(app, user="ann")
        await c.say(text)
        await c.say("12 Baker Street, Flat 3")
        await c.say("13812345678")
        reply = await c.say("yes")
        assert "Booked" in reply, reply
    async with app.db.sessions() as s:
        order = (await s.execute(select(Order))).scalar_one()
    return app, sent, order


async def visited(make_app, clock: Clock, lang: str):  # noqa: ANN201
    """Thursday's visit booked, claimed, started and done at 17:00; the worker not run since."""
    app, sent, order = await booked(make_app, clock, lang, EXACT[lang])
    clock.now = local(26, 14, 55)
    await staff_do(app, order.id, "claim")
    await staff_do(app, order.id, "start")
    clock.now = local(26, 17)
    await staff_do(app, order.id, "done")
    return app, sent, order


def _texts(sent, template: str) -> list[str]:  # noqa: ANN001
    return [m.reply.text for _, _, m in [*sent.customer, *sent.staff] if m.template == template]


@pytest.mark.parametrize(("lang", "says", "not_says"), [
    ("zh", "将于20分钟后（今天 15:00）开始", "约1小时后"),
    ("en", "starts in 20 minutes (today, 15:00)", "in about 1 hour"),
])
async def test_a_late_staff_reminder_says_the_time_actually_left(make_app, clock: Clock, lang: str,
                                                                  says: str, not_says: str) -> None:
    """The worker was down from 14:00 (the 1 h reminder's time) to 14:40: the technician
    reads "in 20 minutes", not the plan's "in about 1 hour"."""
    app, sent, order = await booked(make_app, clock, lang, EXACT[lang])
    app.worker.staff_lang = lang
    await staff_do(app, order.id, "claim")
    await run_until(app, clock, local(26, 14, 40))
    [text] = _texts(sent, "staff_reminder")
    assert says in text and not_says not in text, text


@pytest.mark.parametrize(("lang", "day_before", "hours_before"), [
    ("zh", "将于明天 11月26日（周四）下午上门", "将于今天下午上门"),
    ("en", "is booked for tomorrow afternoon (Thu 26 Nov)", "is booked for this afternoon"),
])
async def test_part_of_day_reminders_read_naturally(make_app, clock: Clock, lang: str,
                                                    day_before: str, hours_before: str) -> None:
    app, sent, order = await booked(make_app, clock, lang, PART_OF_DAY[lang])
    assert order.time is None and order.period == "afternoon"
    await run_until(app, clock, order.start_at - dt.timedelta(hours=24))
    await run_until(app, clock, order.start_at - dt.timedelta(hours=2))
    first, second = _texts(sent, "reminder")
    assert day_before in first, first
    assert hours_before in second and "(today, afternoon)" not in second and "小时后" not in second, second


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_after_an_outage_the_review_invitation_goes_without_its_nudge(make_app, clock: Clock,
                                                                            lang: str) -> None:
    app, sent, order = await visited(make_app, clock, lang)
    await run_until(app, clock, local(28, 12))  # the worker was down for two days
    assert [t for t in sent.templates() if t.startswith("review")] == ["review_invite"]
    async with app.db.sessions() as s:
        nudge = (await s.execute(select(ScheduledJob).where(ScheduledJob.kind == "review_reminder"))).scalar_one()
    assert nudge.status == "skipped" and "invitation" in nudge.last_error, (nudge.status, nudge.last_error)


async def test_the_review_nudge_still_goes_after_a_timely_invitation(make_app, clock: Clock) -> None:
    app, sent, order = await visited(make_app, clock, "zh")
    await run_until(app, clock, local(26, 20))
    await run_until(app, clock, local(28, 12))
    assert [t for t in sent.templates() if t.startswith("review")] == ["review_invite", "review_reminder"]
