"""What the customer's reminders say about how soon the visit is, and what a worker
catching up after an outage sends: one reminder, the latest due, never a stale one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import ScheduledJob
from tests.conftest import Clock
from tests.reminder_helpers import Customer, book, local, run_until, wire

# Thursday 26th 10:00, booked Tuesday 24th 20:00: reminded Wednesday 10:00 and Thursday 08:00.
BOOKINGS = {"zh": "后天上午10点日常保洁", "en": "I'd like a regular cleaning on Thursday at 10am"}
SAYS = {
    "zh": ("将于明天 11月26日（周四）10:00上门", "将于2小时后（今天 10:00）上门"),
    "en": ("is booked for tomorrow, Thu 26 Nov, 10:00", "starts in 2 hours (today, 10:00)"),
}


async def booked(make_app, clock: Clock, lang: str):  # noqa: ANN201
    app = await make_app()
    sent = wire(app, clock)
    if lang == "zh":
        order = await book(app, BOOKINGS[lang])
    else:
        c = Customer(app, user="ann")
        await c.say(BOOKINGS[lang])
        await c.say("12 Baker Street, Flat 3")
        await c.say("13812345678")
        await c.say("yes")
        assert "Booked" in c.last.text, c.last.text
        order = None
    return app, sent, order


async def reminder_jobs(app) -> dict[str, ScheduledJob]:  # noqa: ANN001
    async with app.db.sessions() as s:
        rows = (await s.execute(select(ScheduledJob).where(ScheduledJob.kind == "remind_customer"))).scalars()
        return {j.payload["hours"]: j for j in rows}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_day_before_and_the_hours_before_read_differently(make_app, clock: Clock, lang: str) -> None:
    app, sent, _ = await booked(make_app, clock, lang)
    day_before, hours_before = SAYS[lang]
    await run_until(app, clock, local(25, 10))
    await run_until(app, clock, local(26, 8))
    texts = [m.reply.text for _, _, m in sent.customer if m.template == "reminder"]
    assert len(texts) == 2, texts
    assert day_before in texts[0] and hours_before not in texts[0], texts[0]
    assert hours_before in texts[1] and "tomorrow" not in texts[1] and "明天" not in texts[1], texts[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_after_an_outage_only_the_latest_reminder_goes(make_app, clock: Clock, lang: str) -> None:
    """The worker was down from Tuesday night to Thursday 08:00: both reminders are due at
    once. The customer gets the 2-hour one only; the day-before one is recorded as skipped."""
    app, sent, _ = await booked(make_app, clock, lang)
    await run_until(app, clock, local(26, 8))
    texts = [m.reply.text for _, _, m in sent.customer if m.template == "reminder"]
    assert len(texts) == 1 and SAYS[lang][1] in texts[0], texts
    jobs = await reminder_jobs(app)
    assert jobs[2].status == "done"
    assert jobs[24].status == "skipped" and "later reminder" in jobs[24].last_error


async def test_a_reminder_caught_up_after_the_visit_began_is_recorded_as_skipped(make_app, clock: Clock) -> None:
    app, sent, _ = await booked(make_app, clock, "zh")
    await run_until(app, clock, local(26, 10, 30))
    assert "reminder" not in sent.templates()
    jobs = await reminder_jobs(app)
    assert {jobs[24].status, jobs[2].status} == {"skipped"}
    assert "start has passed" in jobs[2].last_error


async def test_a_stale_reminder_retried_past_the_later_one_is_still_stale(make_app, clock: Clock) -> None:
    """A retry (flood control) moves the day-before reminder's due time past the 2-hour
    one's: which is later is the plan's word, not the due time's."""
    app, sent, _ = await booked(make_app, clock, "zh")
    async with app.db.sessions.begin() as s:
        day_before = (await s.execute(select(ScheduledJob).where(
            ScheduledJob.kind == "remind_customer", ScheduledJob.payload["hours"].as_float() == 24))).scalar_one()
        day_before.due_at = local(26, 8, 5)
    await run_until(app, clock, local(26, 8, 5))
    texts = [m.reply.text for _, _, m in sent.customer if m.template == "reminder"]
    assert len(texts) == 1 and "今天 10:00" in texts[0], texts
    assert (await reminder_jobs(app))[24].status == "skipped"


async def escalation_jobs(app) -> dict[str, ScheduledJob]:  # noqa: ANN001
    async with app.db.sessions() as s:
        rows = (await s.execute(select(ScheduledJob).where(ScheduledJob.kind.like("escalate_%")))).scalars()
        return {j.kind: j for j in rows}


@pytest.mark.parametrize(("until", "sent_reason", "stale"), [
    # down from Tuesday night to Thursday 08:00: "starts in 2 h, still unclaimed", not also "15 min unclaimed"
    (local(26, 8), "unclaimed_soon", {"escalate_unclaimed"}),
    # to 10:30, past the start: "not started (still unclaimed)" alone
    (local(26, 10, 30), "not_started", {"escalate_unclaimed", "escalate_unclaimed_soon"}),
])
async def test_after_an_outage_only_the_latest_escalation_goes(make_app, clock: Clock, until, sent_reason: str,
                                                               stale: set[str]) -> None:
    app, sent, _ = await booked(make_app, clock, "zh")
    await run_until(app, clock, until)
    assert sent.staff_templates() == [("staff_escalation", sent_reason)]
    jobs = await escalation_jobs(app)
    assert {k for k, j in jobs.items() if j.status == "skipped"} == stale
    assert all("later escalation" in jobs[k].last_error for k in stale)
