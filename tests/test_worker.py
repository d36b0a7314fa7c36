"""The durable job queue and the worker that delivers queued messages, on both backends."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from sqlalchemy import select

from handlers.messages import Choice, Reply
from handlers.outbox import Address, Outgoing, RetryLater, Undeliverable, notify, send_reply
from handlers import reminders as R
from handlers.worker import DELIVER, Worker, lane
from storage import customers, jobs
from storage.models import MessageLog, ScheduledJob
from tests.conftest import Clock


class RecordingSender:
    """A channel that records what it was asked to send; can be told to fail."""

    def __init__(self, fail_with: list[Exception] | None = None, delay: float = 0.0) -> None:
        self.sent: list[tuple[Address, Outgoing]] = []
        self.fail_with = list(fail_with or [])
        self.delay = delay

    async def send(self, to: Address, message: Outgoing) -> str | None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append((to, message))
        return str(len(self.sent))


async def _customer(app, user: str = "u1", lang: str = "zh") -> int:
    async with app.db.sessions.begin() as s:
        c, _ = await customers.identify(s, "fake", user, thread_id=f"chat-{user}", lang=lang)
        c.lang = lang
        return c.id


async def _queue(app, customer_id: int, key: str, due: dt.datetime | None = None) -> bool:
    async with app.db.sessions.begin() as s:
        return await notify(s, customer_id=customer_id, template="help", key=key,
                            due_at=due or app.worker.clock())


async def _job(app, key: str) -> ScheduledJob:
    async with app.db.sessions() as s:
        return (await s.execute(select(ScheduledJob).where(ScheduledJob.dedupe_key == key))).scalar_one()


async def test_a_queued_message_goes_out_once_in_the_customers_language(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender()
    app.worker.add_sender("fake", sender)
    cid = await _customer(app, lang="en")
    assert await _queue(app, cid, "k1")
    assert not await _queue(app, cid, "k1"), "the same key is queued once"
    assert await app.worker.run_once() == 1
    assert await app.worker.run_once() == 0
    assert len(sender.sent) == 1
    to, msg = sender.sent[0]
    assert (to.channel, to.user_id, to.thread_id) == ("fake", "u1", "chat-u1")
    assert msg.lang == "en" and msg.reply.text and msg.key == "k1"
    assert (await _job(app, "k1")).status == jobs.DONE
    async with app.db.sessions() as s:
        logged = (await s.execute(select(MessageLog).where(MessageLog.direction == "out"))).scalars().all()
    assert [m.text for m in logged] == [msg.reply.text]


async def test_future_jobs_wait_for_their_time(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender()
    app.worker.add_sender("fake", sender)
    cid = await _customer(app)
    await _queue(app, cid, "later", due=clock.now + dt.timedelta(hours=2))
    assert await app.worker.run_once() == 0
    clock.advance(hours=2)
    assert await app.worker.run_once() == 1 and len(sender.sent) == 1


async def test_rate_limits_and_errors_are_retried_and_hopeless_jobs_fail(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender(fail_with=[RetryLater(30), ConnectionError("reset")])
    app.worker.add_sender("fake", sender)
    cid = await _customer(app)
    await _queue(app, cid, "k")
    await app.worker.run_once()
    job = await _job(app, "k")
    assert job.status == jobs.PENDING and job.due_at == clock.now + dt.timedelta(seconds=30)
    assert job.attempts == 0, "a rate limit is not the job's fault"
    clock.advance(seconds=30)
    await app.worker.run_once()
    job = await _job(app, "k")
    assert job.status == jobs.PENDING and job.attempts == 1 and "reset" in job.last_error
    clock.advance(minutes=1)
    await app.worker.run_once()
    assert (await _job(app, "k")).status == jobs.DONE and len(sender.sent) == 1

    hopeless = RecordingSender(fail_with=[Undeliverable("blocked by the user")])
    app.worker.add_sender("fake", hopeless)
    await _queue(app, cid, "k2")
    await app.worker.run_once()
    job = await _job(app, "k2")
    assert job.status == jobs.FAILED and "blocked" in job.last_error


async def test_a_crashed_workers_jobs_come_back_after_the_lease(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender()
    app.worker.add_sender("fake", sender)
    cid = await _customer(app)
    await _queue(app, cid, "k")
    claimed = await jobs.claim_due(app.db, "dead-worker", clock.now)
    assert len(claimed) == 1
    assert await app.worker.run_once() == 0, "leased to another worker"
    clock.advance(minutes=2)
    assert await app.worker.run_once() == 1 and len(sender.sent) == 1
    async with app.db.sessions.begin() as s:
        assert await jobs.complete_many(s, [claimed[0].id], "dead-worker", clock.now) == 0, "the old claimer cannot settle it"


async def test_two_workers_send_each_message_exactly_once(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender(delay=0.001)
    cid = await _customer(app)
    for i in range(60):
        await _queue(app, cid, f"k{i}")
    workers = [Worker(app.db, app.worker.renderer, clock=clock, batch=7) for _ in range(2)]
    for w in workers:
        w.add_sender("fake", sender)
    counts = await asyncio.gather(*(w.run_once() for w in workers))
    assert sum(counts) == 60
    keys = [m.key for _, m in sender.sent]
    assert sorted(keys) == sorted(f"k{i}" for i in range(60)) and len(set(keys)) == 60


async def test_run_forever_stops_and_wakes(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender()
    app.worker.add_sender("fake", sender)
    app.worker.poll_interval = 30
    cid = await _customer(app)
    stop = asyncio.Event()
    task = asyncio.create_task(app.worker.run_forever(stop))
    await asyncio.sleep(0.05)
    await _queue(app, cid, "k")
    app.worker.wake()
    for _ in range(100):
        if sender.sent:
            break
        await asyncio.sleep(0.02)
    assert len(sender.sent) == 1, "woken, not waiting for the 30 s poll"
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_a_stopping_worker_starts_no_more_jobs_and_gives_the_rest_back(make_app, clock: Clock) -> None:
    """A batch can be long (one customer's messages are paced one after another), so a
    stop is not made to wait for it: the job being sent finishes and is marked done,
    the ones not started are due again at once, their claim not counted as an attempt."""
    app = await make_app()
    sender = RecordingSender(delay=0.2)
    app.worker.add_sender("fake", sender)
    cid = await _customer(app)  # one customer: one lane, its jobs one after another
    for i in range(5):
        await _queue(app, cid, f"k{i}")
    stop = asyncio.Event()
    task = asyncio.create_task(app.worker.run_forever(stop))
    for _ in range(100):
        if sender.sent:
            break
        await asyncio.sleep(0.02)
    stop.set()
    await asyncio.wait_for(task, 2)  # ~0.2 s for the send under way, not 1 s for all five
    states = [await _job(app, f"k{i}") for i in range(5)]
    sent = len(sender.sent)
    assert 1 <= sent < 5
    assert [j.status for j in states] == [jobs.DONE] * sent + [jobs.PENDING] * (5 - sent)
    assert all(j.attempts == 0 and j.locked_until is None for j in states[sent:])
    assert await app.worker.run_once() == 5 - sent and len(sender.sent) == 5, "the next run sends the rest"


async def test_a_pre_rendered_reply_goes_out_as_it_is_and_is_not_logged_twice(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender()
    app.worker.add_sender("fake", sender)
    cid = await _customer(app, lang="en")
    reply = Reply("请核对订单", (Choice("确认下单", "affirm"), Choice("取消", "cancel")))
    async with app.db.sessions.begin() as s:
        assert await send_reply(s, customer_id=cid, reply=reply, due_at=clock.now, key="r1")
        assert not await send_reply(s, customer_id=cid, reply=reply, due_at=clock.now, key="r1")
    assert await app.worker.run_once() == 1
    [(to, msg)] = sender.sent
    assert msg.reply == reply and msg.template == "reply" and msg.key == "r1"
    async with app.db.sessions() as s:
        assert (await s.execute(select(MessageLog))).scalars().all() == []


class HangingSender:
    """A channel that never answers (a network partition mid-send)."""

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, to: Address, message: Outgoing) -> str | None:
        self.calls += 1
        await asyncio.Event().wait()
        return None


async def test_a_send_that_hangs_is_cut_off_and_retried_with_backoff(make_app, clock: Clock) -> None:
    app = await make_app()
    app.worker.send_timeout = 0.05
    hanging = HangingSender()
    app.worker.add_sender("fake", hanging)
    cid = await _customer(app)
    await _queue(app, cid, "slow")
    assert await app.worker.run_once() == 1
    job = await _job(app, "slow")
    assert hanging.calls == 1
    assert job.status == jobs.PENDING and job.attempts == 1 and "TimeoutError" in job.last_error
    assert job.due_at > clock.now, "backs off before the next try"
    sender = RecordingSender()
    app.worker.add_sender("fake", sender)
    clock.advance(minutes=1)
    assert await app.worker.run_once() == 1
    assert len(sender.sent) == 1 and (await _job(app, "slow")).status == jobs.DONE


async def test_a_job_taken_over_after_its_lease_ran_out_is_not_sent_again(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender()
    app.worker.add_sender("fake", sender)
    cid = await _customer(app)
    await _queue(app, cid, "k")
    slow = Worker(app.db, app.worker.renderer, clock=clock)
    slow.add_sender("fake", sender)
    [job] = await jobs.claim_due(app.db, slow.name, clock.now)
    clock.advance(minutes=2)  # the slow worker was busy with the rest of its batch
    assert await app.worker.run_once() == 1 and len(sender.sent) == 1
    await slow._run(job)  # it finally gets to the job
    assert len(sender.sent) == 1, "the job is the other worker's now"
    assert (await _job(app, "k")).status == jobs.DONE


async def _idle_for(app: Any) -> float:
    """How long the worker's loop would wait now (`run_forever`: `_wait(await _until_due())`)."""
    return app.worker._wait(await app.worker._until_due())


async def test_the_worker_waits_until_the_next_job_is_due_and_no_longer_than_a_poll(make_app, clock: Clock) -> None:
    """Waking at the due time, not at the next poll, is what keeps reminders on time."""
    from handlers.worker import MIN_IDLE

    app = await make_app()
    app.worker.poll_interval = 30
    assert await _idle_for(app) == 30, "nothing pending: a whole poll"
    cid = await _customer(app)
    await _queue(app, cid, "later", clock.now + dt.timedelta(hours=2))
    assert await _idle_for(app) == 30, "due after the poll: the poll bounds the wait"
    await _queue(app, cid, "soon", clock.now + dt.timedelta(seconds=4))
    assert abs(await _idle_for(app) - 4) < 1e-3
    await _queue(app, cid, "now", clock.now - dt.timedelta(seconds=1))
    assert await _idle_for(app) == MIN_IDLE, "already due: a short pause, never a busy loop"



async def test_a_batch_runs_customers_side_by_side_each_customers_messages_in_order(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender(delay=0.01)
    app.worker.add_sender("fake", sender)
    people = [await _customer(app, user=f"u{i}") for i in range(4)]
    for n in range(5):
        for cid in people:
            await _queue(app, cid, f"{cid}:{n}", clock.now + dt.timedelta(seconds=n))
    clock.advance(seconds=10)
    assert await app.worker.run_once() == 20
    for cid in people:
        assert [m.key for _, m in sender.sent if m.key.startswith(f"{cid}:")] == [f"{cid}:{n}" for n in range(5)]
    assert {(await _job(app, f"{cid}:{n}")).status for cid in people for n in range(5)} == {jobs.DONE}


def test_what_goes_to_one_customer_shares_a_lane() -> None:
    """With the invitation due at completion (review_after_minutes 0) it ran beside the
    "done" notice and could reach the customer first."""
    done = ScheduledJob(kind=DELIVER, payload={"customer_id": 7})
    invite = ScheduledJob(kind=R.REVIEW_INVITE, payload={"customer_id": 7})
    escalation = ScheduledJob(kind=R.ESCALATE_UNCLAIMED, payload={"customer_id": 7})
    assert lane(done) == lane(invite) == ("customer", 7)
    assert lane(escalation) == ("shared",)   # staff alerts do not wait behind a customer's pacing
