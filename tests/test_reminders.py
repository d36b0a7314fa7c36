"""Reminders and escalations through the real app: dialogue, queue, worker,
with the controllable clock, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from handlers import scheduled
from handlers.worker import Worker
from storage.models import MessageLog, ScheduledJob
from tests.conftest import Clock
from tests.reminder_helpers import Customer, book, local, pending, run_until, staff_do, wire

THURSDAY_3PM = "后天下午三点深度保洁"  # Thursday 26th 15:00, booked Tuesday 20:00


async def booked(make_app, clock: Clock, text: str = THURSDAY_3PM):  # noqa: ANN201
    """A fresh app with recording channels, and one order confirmed through the dialogue."""
    app = await make_app()
    sent = wire(app, clock)
    return app, sent, await book(app, text)


async def test_the_life_of_an_order_from_confirmation_to_review(make_app, clock: Clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    order = await book(app, "后天下午三点深度保洁")  # Thursday 26th 15:00, booked Tuesday 20:00
    assert await pending(app, order.id) == {
        "escalate_unclaimed": local(24, 20, 15), "remind_customer:24h": local(25, 15),
        "remind_customer:2h": local(26, 13), "escalate_unclaimed_soon": local(26, 13),
        "remind_staff:1h": local(26, 14), "escalate_not_started": local(26, 15, 15)}

    await app.worker.run_once()
    assert not sent.customer and not sent.staff, "nothing is due yet"
    await run_until(app, clock, local(24, 20, 15))
    assert sent.staff_templates() == [("staff_escalation", "unclaimed")]
    when, to, msg = sent.staff[0]
    assert to.is_group and order.number in msg.reply.text and msg.lang == "zh"

    await run_until(app, clock, local(25, 15))
    assert sent.templates() == ["reminder"]
    when, to, msg = sent.customer[0]
    assert when == local(25, 15) and (to.channel, to.user_id) == ("console", "u1")
    assert order.number in msg.reply.text and "11月26日" in msg.reply.text and "15:00" in msg.reply.text

    clock.now = local(25, 18)
    staff_id = await staff_do(app, order.id, "claim")
    await run_until(app, clock, local(26, 13))
    assert sent.templates() == ["reminder", "order_claimed", "reminder"], "the customer is told who has it"
    assert len(sent.staff) == 1, "claimed: the before-start escalation stays quiet"
    await run_until(app, clock, local(26, 14))
    when, to, msg = sent.staff[-1]
    assert msg.template == "staff_reminder" and to.to == staff_id and to.external_id == "s1"
    assert when == local(26, 14) and "13812345678" in msg.reply.text

    clock.now = local(26, 14, 55)
    await staff_do(app, order.id, "start")
    await run_until(app, clock, local(26, 15, 15))
    assert len(sent.staff) == 2, "started: no not-started escalation"
    clock.now = local(26, 17)
    await staff_do(app, order.id, "done")
    await app.worker.run_once()
    assert sent.templates()[-1] == "review_invite"
    invite = sent.customer[-1][2]
    assert [c.payload for c in invite.reply.choices] == [f"rate:{n}:{order.id}" for n in range(1, 6)]

    c = Customer(app)
    assert "5星" in await c.say(payload="rate:5")
    assert c.payloads == ["deny"], "a comment is optional"
    assert "留言" in await c.say("师傅很专业，准时到")
    async with app.db.sessions() as s:
        from storage.models import Order, Review
        o = await s.get(Order, order.id)
        review = (await s.execute(select(Review))).scalar_one()
    assert o.rating == 5 and (review.rating, review.comment) == (5, "师傅很专业，准时到")
    await run_until(app, clock, local(28, 17))
    # The invitation, which says the order is done, is the customer's one "done" message.
    assert sent.templates() == ["reminder", "order_claimed", "reminder", "order_started",
                                "review_invite"], "answered: no review nudge"
    assert len(sent.staff) == 2, "a good rating alerts nobody"

    async with app.db.sessions() as s:
        logged = (await s.execute(select(MessageLog.meta).where(
            MessageLog.direction == "out", MessageLog.customer_id == o.customer_id))).scalars().all()
    assert [m["template"] for m in logged if "job" in m] == sent.templates()


async def test_a_period_order_is_reminded_from_the_periods_start(make_app, clock: Clock) -> None:
    app = await make_app()
    order = await book(app, "后天下午日常保洁")  # 下午 starts at 13:00
    jobs = await pending(app, order.id)
    assert jobs["remind_customer:24h"] == local(25, 13) and jobs["remind_customer:2h"] == local(26, 11)


async def test_a_reminder_already_past_is_skipped(make_app, clock: Clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    order = await book(app, "明天上午10点日常保洁")  # 24 h before was this morning
    jobs = await pending(app, order.id)
    assert "remind_customer:24h" not in jobs and jobs["remind_customer:2h"] == local(25, 8)
    await run_until(app, clock, local(25, 9))
    assert sent.templates() == ["reminder"]


async def test_reminders_caught_up_after_the_start_are_not_sent(make_app, clock: Clock) -> None:
    """The worker was down through the reminders and the start: when it catches up, the
    customer is not told "将于…上门" for a visit under way, but the not-started alarm still goes."""
    app = await make_app()
    sent = wire(app, clock)
    order = await book(app, "明天上午10点日常保洁")
    await staff_do(app, order.id, "claim")
    await run_until(app, clock, local(25, 10, 30))
    assert "reminder" not in sent.templates() and not any(m.template == "staff_reminder" for _, _, m in sent.staff)
    assert ("staff_escalation", "not_started") in sent.staff_templates()


async def test_reschedule_moves_the_reminders(make_app, clock: Clock) -> None:
    app, sent, order = await booked(make_app, clock)
    c = Customer(app)
    await c.say("我要改时间")
    await c.say("11月28日上午10点")
    assert "affirm" in c.payloads, c.last
    await c.say("确认")
    jobs = await pending(app, order.id)
    assert jobs["remind_customer:24h"] == local(27, 10) and jobs["remind_customer:2h"] == local(28, 8)
    assert jobs["remind_staff:1h"] == local(28, 9)
    assert jobs["escalate_unclaimed"] == local(24, 20, 15), "the unclaimed check is not tied to the start"
    await staff_do(app, order.id, "claim")
    for when in (local(25, 15), local(26, 13), local(26, 15, 30)):
        await run_until(app, clock, when)
    assert sent.templates() == ["order_claimed"] and sent.staff == [], "nothing at the old times"
    await run_until(app, clock, local(27, 10))
    assert sent.templates() == ["order_claimed", "reminder"] and "11月28日" in sent.customer[1][2].reply.text


async def test_cancel_cancels_them(make_app, clock: Clock) -> None:
    app, sent, order = await booked(make_app, clock)
    c = Customer(app)
    await c.say("取消订单")
    await c.say("确定")
    assert await pending(app, order.id) == {}
    await run_until(app, clock, local(30, 12))
    assert sent.customer == [] and sent.staff == []


async def test_a_due_job_whose_order_moved_on_does_nothing(make_app, clock: Clock) -> None:
    """Even if a job escaped cancellation, it re-reads the order when it runs."""
    app, sent, order = await booked(make_app, clock)
    async with app.db.sessions.begin() as s:
        from storage.models import Order
        (await s.get(Order, order.id)).status = "cancelled"   # behind the hooks' back
    await run_until(app, clock, local(27, 12))
    assert sent.customer == [] and sent.staff == []
    async with app.db.sessions() as s:
        settled = set((await s.execute(select(ScheduledJob.status, ScheduledJob.last_error))).all())
    assert settled == {("skipped", "order is cancelled"), ("skipped", "the visit's start has passed")}, \
        "each kept with why it did not go"


async def test_unclaimed_and_not_started_orders_are_escalated(make_app, clock: Clock) -> None:
    app, sent, order = await booked(make_app, clock)
    await run_until(app, clock, local(24, 20, 15))
    await run_until(app, clock, local(26, 13))
    assert sent.staff_templates() == [("staff_escalation", "unclaimed"), ("staff_escalation", "unclaimed_soon")]
    await staff_do(app, order.id, "claim")
    await run_until(app, clock, local(26, 14))
    await run_until(app, clock, local(26, 15, 15))
    assert sent.staff_templates()[2:] == [("staff_reminder", None), ("staff_escalation", "not_started")]
    assert "15分钟" in sent.staff[-1][2].reply.text


async def test_the_assignee_reminder_goes_to_whoever_holds_the_order_then(make_app, clock: Clock) -> None:
    app, sent, order = await booked(make_app, clock)
    await staff_do(app, order.id, "claim", who="s1", name="王师傅")
    await staff_do(app, order.id, "release", who="s1")
    clock.now = local(25, 9)
    second = await staff_do(app, order.id, "claim", who="s2", name="李师傅")
    await run_until(app, clock, local(26, 14))
    [(_, to, msg)] = [x for x in sent.staff if x[2].template == "staff_reminder"]
    assert to.to == second and to.external_id == "s2"


async def test_nobody_assigned_means_no_staff_reminder(make_app, clock: Clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    await book(app, "后天下午三点深度保洁")
    await run_until(app, clock, local(26, 14))
    assert "staff_reminder" not in [m.template for _, _, m in sent.staff]


async def test_quiet_hours_delay_non_urgent_reminders(make_app, clock: Clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    late = await book(app, "后天晚上11点开锁", user="late")     # 26th 23:00: 24 h before is 25th 23:00
    early = await book(app, "后天早上8点半日常保洁", user="early")  # 26th 08:30: 2 h before is 06:30
    assert (await pending(app, late.id))["remind_customer:24h"] == local(26, 8)
    assert (await pending(app, early.id))["remind_customer:2h"] == local(26, 8)
    await run_until(app, clock, local(25, 23, 30))
    await run_until(app, clock, local(26, 7, 59))
    assert [to.user_id for _, to, _ in sent.customer] == ["early"], "only early's 24 h reminder (25th 08:30)"
    await run_until(app, clock, local(26, 8))
    assert sorted(to.user_id for _, to, _ in sent.customer[1:]) == ["early", "late"]


async def test_jobs_survive_a_restart(make_app, clock: Clock) -> None:
    first = await make_app()
    order = await book(first, "后天下午三点深度保洁")
    await first.close()
    second = await make_app()
    sent = wire(second, clock)
    await run_until(second, clock, local(25, 15))
    assert sent.templates() == ["reminder"] and order.number in sent.customer[0][2].reply.text


async def test_two_workers_send_each_reminder_exactly_once(make_app, clock: Clock) -> None:
    app = await make_app()
    orders = [await book(app, "后天下午三点深度保洁", user=f"u{i}") for i in range(6)]
    sent = wire(app, clock)
    workers = [Worker(app.db, app.worker.renderer, clock=clock, batch=2) for _ in range(2)]
    for w in workers:
        scheduled.install(w)
        w.add_sender("console", sent)
        w.set_staff_sender(sent)
    clock.now = local(26, 14)
    counts = await asyncio.gather(*(w.run_once() for w in workers))
    # Per order: unclaimed, 24 h, 2 h, unclaimed-soon, assignee (skipped: nobody) = 5 jobs.
    assert sum(counts) == 5 * len(orders)
    # Sent: 2 h, unclaimed-soon; the 24 h reminder is stale beside the 2 h one, the unclaimed
    # escalation beside the unclaimed-soon one.
    keys = [m.key for _, _, m in sent.customer] + [m.key for _, _, m in sent.staff]
    assert len(keys) == len(set(keys)) == 2 * len(orders)
    assert sorted(to.user_id for _, to, _ in sent.customer) == sorted(f"u{i}" for i in range(6))


async def test_without_a_staff_channel_staff_alerts_fail_visibly(make_app, clock: Clock) -> None:
    """`jiedan worker` with no staff channel configured keeps the alert as failed, not lost."""
    app = await make_app()
    wire(app, clock)
    app.worker.staff_sender = None
    order = await book(app, THURSDAY_3PM)
    await run_until(app, clock, local(24, 20, 15))
    async with app.db.sessions() as s:
        job = (await s.execute(select(ScheduledJob).where(
            ScheduledJob.order_id == order.id, ScheduledJob.kind == "escalate_unclaimed"))).scalar_one()
    assert job.status == "failed" and "no staff channel" in job.last_error


async def test_reminders_speak_the_customers_language(make_app, clock: Clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    c = Customer(app, user="ann")
    await c.say("I'd like a deep clean on Thursday at 3pm")
    await c.say("12 Baker Street, Flat 3")
    await c.say("13812345678")
    await c.say("yes")
    assert "Booked" in c.last.text, c.last.text
    await run_until(app, clock, local(25, 15))
    [(_, to, msg)] = sent.customer
    assert msg.lang == "en" and msg.reply.text.startswith("⏰ Reminder: your deep cleaning")
    assert "Thu 26 Nov, 15:00" in msg.reply.text and to.user_id == "ann"
    assert sent.staff[0][2].lang == "zh", "staff read the business language"


async def test_a_refused_staff_action_schedules_nothing(make_app, clock: Clock) -> None:
    from handlers import staff as staff_logic
    from storage import staff as staff_repo

    app, sent, order = await booked(make_app, clock)
    async with app.db.sessions.begin() as s:
        staff = await staff_repo.identify(s, "telegram", "s9", "赵师傅")
        assert not (await staff_logic.act(s, order.id, "done", staff, app.catalog, clock.now)).ok
    assert "review_invite" not in await pending(app, order.id)
