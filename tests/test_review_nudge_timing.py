"""The review nudge ("a quick one: how was it?") goes only a full nudge delay after its
invitation actually went, and only while the customer has not answered.

Before, a worker catching up that sent and settled the invitation in one batch and met the
nudge in the next sent both in one breath: only an invitation still unsent stopped the nudge,
and no job kept when it was sent. A sent job now keeps its send time (`sent_at`, migration
0009), and a nudge due sooner waits until the delay has passed since its invitation went.
"""

from __future__ import annotations


from sqlalchemy import select

from storage.models import ScheduledJob
from tests.conftest import Clock
from tests.reminder_helpers import Customer, local, run_until
from tests.test_remind_wording import visited
from tests.test_reviews import completed


def _reviews(sent) -> list[str]:  # noqa: ANN001
    return [t for t in sent.templates() if t.startswith("review")]


async def _job(app, kind: str) -> ScheduledJob:  # noqa: ANN001
    async with app.db.sessions() as s:
        return (await s.execute(select(ScheduledJob).where(ScheduledJob.kind == kind))).scalar_one()


async def test_a_worker_settling_between_the_two_sends_the_nudge_a_delay_after_the_invitation(
        make_app, clock: Clock) -> None:
    app, sent, order = await visited(make_app, clock, "zh")
    app.worker.batch = 1  # each job claimed, sent and settled before the next is claimed
    await run_until(app, clock, local(28, 12))  # the worker was down for two days
    assert _reviews(sent) == ["review_invite"], "not the nudge in the same breath"
    invite = await _job(app, "review_invite")
    assert (invite.status, invite.sent_at) == ("done", local(28, 12))
    await run_until(app, clock, local(29, 11, 59))
    assert _reviews(sent) == ["review_invite"]
    await run_until(app, clock, local(29, 12))  # a day after the invitation went
    assert _reviews(sent) == ["review_invite", "review_reminder"]
    assert (await _job(app, "review_reminder")).sent_at == local(29, 12)


async def test_the_nudge_goes_a_day_after_a_timely_invitation(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    assert (await _job(app, "review_invite")).sent_at == local(25, 17)
    await run_until(app, clock, local(26, 17))
    assert _reviews(sent) == ["review_invite", "review_reminder"]


async def test_no_nudge_once_the_customer_answered_without_stars(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    clock.now = local(25, 18)
    reply = await Customer(app).say("阿姨很仔细，厨房擦得特别干净")  # kept, and the stars asked again
    assert "几星" in reply or "星" in reply, reply
    await run_until(app, clock, local(26, 17))
    assert _reviews(sent) == ["review_invite"]
    nudge = await _job(app, "review_reminder")
    assert nudge.status == "skipped" and "answered" in nudge.last_error, (nudge.status, nudge.last_error)


async def test_no_nudge_when_the_invitation_never_went(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    async with app.db.sessions.begin() as s:
        invite = (await s.execute(select(ScheduledJob).where(ScheduledJob.kind == "review_invite"))).scalar_one()
        invite.status, invite.sent_at = "skipped", None  # e.g. the customer could not be reached
    await run_until(app, clock, local(26, 17))
    assert _reviews(sent) == ["review_invite"]  # the one the fixture sent, before it was made "skipped"
    assert (await _job(app, "review_reminder")).status == "skipped"
