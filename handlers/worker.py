"""The worker: runs due jobs from the durable queue, once each.

`jiedan worker` and the in-process worker of `jiedan serve` are this one loop.
Each job kind has one handler; `deliver` (a message to a customer) is built
in, and so is `staff_alert` (a message to the staff group or one member,
posted by the one `StaffSender` the staff channel sets); channels and
features register their own kinds (staff cards, reminders).
A handler that raises `RetryLater` is tried again when the channel allows,
any other error (a timeout included: a send that hangs is cut off after
`SEND_TIMEOUT`, well inside the job's lease) backs off exponentially, and
after `MAX_ATTEMPTS` the job is marked failed and kept for staff to see,
never silently dropped. A customer message for someone the channel has told us
is out of reach (handlers/reach.py) is not tried at all: it is settled as
skipped. A staff member's private chat that refuses the bot for good (they never
started it) fails the job and is reported in the staff group, under the order's card.
A job whose lease would run out before its send could
finish is renewed just before it runs, so a job whose lease ran out while its
batch was being sent, and that another worker took over, is not sent a second
time here.

A claimed batch runs in lanes, `CONCURRENCY` at a time: one lane per customer
for `deliver` jobs (their messages stay in order and within the chat's pace),
and one for every other kind (staff cards, relays and alerts share the one staff
group and its 20-a-minute limit, and a card's refresh must follow its post).
What the sent jobs leave behind (done marks, the message log) is written in one
transaction per batch, not one per job: that was most of the worker's CPU.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections import defaultdict
from typing import Any, Awaitable, Callable, Hashable

from sqlalchemy import bindparam, func, select

from handlers import reach
from handlers import reminders as R
from handlers.messages import Reply
from handlers.outbox import (
    DELIVER, GROUP, STAFF_ALERT, Address, Outgoing, RetryLater, Sender, Skipped, StaffAddress, StaffSender,
    StaffUnreachable, Undeliverable, Unreachable, alert_unreached, stored_reply,
)
from handlers.render import ChoiceSpec, Renderer, Say
from storage import jobs, messages
from storage.db import Database
from storage.models import ChannelIdentity, Customer, Order, ScheduledJob, Staff


log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SEND_TIMEOUT = 20.0  # seconds; must stay well under jobs.LEASE so no other worker takes the job meanwhile
MIN_IDLE = 0.05  # seconds: the shortest wait between two looks at the queue
CONCURRENCY = 8  # lanes of a batch sent at once; each holds a database connection at times (pool: 10)
SETTLE_EVERY = 5.0  # seconds: sent jobs are marked done at least this often, well inside their lease
JobHandler = Callable[[ScheduledJob], Awaitable[None]]
# Told, once the batch's log rows are written, to whom customer messages went in it.
DeliveredHook = Callable[[list[Address]], Awaitable[None]]
# Where a customer is reached, in one statement: the channel they wrote from last (the
# one they are reading) and their language.
_REACH = (select(ChannelIdentity, Customer.lang).join(Customer, Customer.id == ChannelIdentity.customer_id)
          .where(ChannelIdentity.customer_id == bindparam("customer_id"))
          .order_by(func.coalesce(ChannelIdentity.last_inbound_at, ChannelIdentity.created_at).desc(),
                    ChannelIdentity.id).limit(1))


def backoff(attempts: int) -> dt.timedelta:
    """2 s, 4 s, 8 s … capped at 10 minutes: a channel outage is ridden out, not hammered."""
    return dt.timedelta(seconds=min(600, 2 ** max(1, attempts)))


class Worker:
    def __init__(self, db: Database, renderer: Renderer, *,
                 clock: Callable[[], dt.datetime] | None = None,
                 poll_interval: float = 0.5, batch: int = 50, send_timeout: float = SEND_TIMEOUT,
                 staff_lang: str = "zh") -> None:
        self.db = db
        self.renderer = renderer
        self.staff_lang = staff_lang  # staff alerts read as the staff chat's cards do
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.poll_interval = poll_interval
        self.batch = batch
        self.send_timeout = send_timeout
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.senders: dict[str, Sender] = {}
        self.staff_sender: StaffSender | None = None
        self.handlers: dict[str, JobHandler] = {DELIVER: self._deliver, STAFF_ALERT: self._staff_alert}
        self._wake = asyncio.Event()
        self._stop: asyncio.Event | None = None  # set by `run_forever`'s caller to stop
        self._unlogged: list[dict[str, Any]] = []  # sent messages not yet in the log (see `_Settlement`)
        self._delivered: list[Address] = []  # their customers' addresses, for `on_delivered`
        self._delivered_hooks: list[DeliveredHook] = []

    def add_sender(self, channel: str, sender: Sender) -> None:
        self.senders[channel] = sender

    def set_staff_sender(self, sender: StaffSender) -> None:
        """The staff channel (Telegram today) posts staff alerts through `sender`."""
        self.staff_sender = sender

    def register(self, kind: str, handler: JobHandler) -> None:
        self.handlers[kind] = handler

    def on_delivered(self, hook: DeliveredHook) -> None:
        """Call `hook` with the addresses customer messages went to, once they are in the
        message log (a page that shows the log can then fetch them: bot/web/push.py)."""
        self._delivered_hooks.append(hook)

    async def _announce(self, delivered: list[Address]) -> None:
        for hook in self._delivered_hooks:
            try:
                await hook(delivered)
            except Exception:  # noqa: BLE001 - the messages went out and are logged either way
                log.exception("a delivery hook failed")

    def wake(self) -> None:
        """Look for due jobs now rather than at the next poll (a job was just queued)."""
        self._wake.set()

    async def run_once(self) -> int:
        """Run every job due now; returns how many were claimed."""
        total = 0
        while not self._stopping():
            due = await jobs.claim_due(self.db, self.name, self.clock(), limit=self.batch)
            await self._run_batch(due)
            total += len(due)
            if len(due) < self.batch:
                return total
        return total

    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    async def _run_batch(self, due: list[ScheduledJob]) -> None:
        """Run a claimed batch lane by lane, settling the sent jobs together."""
        lanes: dict[Hashable, list[ScheduledJob]] = defaultdict(list)
        for job in due:  # claim_due hands them over in due order; each lane keeps it
            lanes[lane(job)].append(job)
        settle = _Settlement(self)
        bound = asyncio.Semaphore(CONCURRENCY)
        unstarted: list[int] = []

        async def run_lane(lane_jobs: list[ScheduledJob]) -> None:
            async with bound:
                for i, job in enumerate(lane_jobs):
                    if self._stopping():  # asked to stop: start nothing more (a paced lane can be long)
                        unstarted.extend(j.id for j in lane_jobs[i:])
                        return
                    if await self._run(job):
                        settle.done.append(job.id)
                    await settle.maybe_flush(soon=not self._lease_lasts(job, self.clock()))

        # Every lane runs to its end before the batch is settled, even when one fails (the
        # database going away): a lane left running would send jobs nobody marks done.
        outcomes = await asyncio.gather(*(run_lane(js) for js in lanes.values()), return_exceptions=True)
        await settle.flush()
        if unstarted:
            await jobs.give_back(self.db, unstarted, self.name)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Claim only when something is due: an idle look at the queue is one SELECT,
        not a claiming UPDATE and its transaction."""
        log.info("worker %s started", self.name)
        self._stop = stop
        while not stop.is_set():
            self._wake.clear()  # before looking: a wake while running the batch is kept
            until = await self._until_due()
            if until <= 0:
                try:
                    await self.run_once()
                except Exception:  # noqa: BLE001 - e.g. the database restarting: keep going
                    log.exception("worker loop failed; retrying")
                until = await self._until_due()
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(waits, timeout=self._wait(until), return_when=asyncio.FIRST_COMPLETED)
            for w in waits:
                w.cancel()
        self._stop = None
        log.info("worker %s stopped", self.name)

    def _wait(self, until: float) -> float:
        """Seconds to wait before looking again, given `until` the next job falls due: until
        then, at most a poll, at least `MIN_IDLE`.

        Polling alone made a reminder wait up to a whole `poll_interval` after its due
        time (the mean lag was half of it); waking at the due time sends it within
        milliseconds. The poll still bounds the wait, for jobs queued by other processes.
        The floor: a due job this worker could not claim (another holds its row) must
        not turn the loop into a busy one."""
        return min(self.poll_interval, max(MIN_IDLE, until))

    async def _until_due(self) -> float:
        """Seconds until the next job falls due or a lease runs out (≤ 0: now); a poll
        when nothing is pending or the database does not answer."""
        try:
            due = await jobs.next_due(self.db)
        except Exception:  # noqa: BLE001 - the database may be restarting: just poll
            return self.poll_interval
        if due is None:
            return self.poll_interval
        if due.tzinfo is None:  # SQLite hands back naive UTC
            due = due.replace(tzinfo=dt.timezone.utc)
        return (due - self.clock()).total_seconds()

    async def _run(self, job: ScheduledJob) -> bool:
        """Run one claimed job; True when it went out (it is then settled with its batch),
        False when it was retried, failed or is no longer this worker's."""
        handler = self.handlers.get(job.kind)
        now = self.clock()
        if not self._lease_lasts(job, now) and not await jobs.renew(self.db, job.id, self.name, now):
            log.info("job %s (%s) was taken over by another worker; skipped", job.id, job.kind)
            return False
        try:
            if handler is None:
                raise Undeliverable(f"no handler for job kind {job.kind!r}")
            async with asyncio.timeout(self.send_timeout):
                await handler(job)
        except Skipped as e:
            log.info("job %s (%s) skipped: %s", job.id, job.kind, e)
            await jobs.skip(self.db, job.id, self.name, str(e))
        except RetryLater as e:
            await jobs.retry(self.db, job.id, self.name, now + dt.timedelta(seconds=e.seconds), str(e),
                             count_attempt=False)
        except Undeliverable as e:
            log.warning("job %s (%s) cannot be done: %s", job.id, job.kind, e)
            await jobs.fail(self.db, job.id, self.name, str(e))
        except Exception as e:  # noqa: BLE001 - a channel error must not stop the other jobs
            error = f"{type(e).__name__}: {e}"
            if job.attempts >= MAX_ATTEMPTS:
                log.error("job %s (%s) failed for good: %s", job.id, job.kind, error)
                await jobs.fail(self.db, job.id, self.name, error)
            else:
                log.warning("job %s (%s) failed, attempt %d: %s", job.id, job.kind, job.attempts, error)
                await jobs.retry(self.db, job.id, self.name, now + backoff(job.attempts), error)
        else:
            return True
        return False

    def _lease_lasts(self, job: ScheduledJob, now: dt.datetime) -> bool:
        """Whether the lease taken at claim time outlasts this job's send and its settling:
        then no other worker can have taken the job, and renewing it would be a wasted
        transaction."""
        until = job.locked_until
        if until is None:
            return False
        if until.tzinfo is None:  # SQLite hands back naive UTC
            until = until.replace(tzinfo=dt.timezone.utc)
        return until - now > dt.timedelta(seconds=self.send_timeout + SETTLE_EVERY)

    async def _deliver(self, job: ScheduledJob) -> None:
        await self.deliver(job, job.payload)

    async def deliver(self, job: ScheduledJob, p: dict[str, Any]) -> None:
        """Render a customer message in their language and send it on their channel.

        `p` is a `deliver` payload (customer_id, template, data, choices?); other
        job kinds (reminders) call this with a payload they build at send time.
        A customer known to be unreachable there is not tried (`Skipped`); one the
        channel now says is unreachable is marked so (see handlers/reach.py).
        """
        async with self.db.sessions() as s:
            found = (await s.execute(_REACH, {"customer_id": p["customer_id"]})).first()
        if found is None:
            raise Undeliverable(f"customer {p['customer_id']} has no channel to reach them on")
        ident, lang = found
        why_not = reach.skip_reason(ident)
        if why_not is not None:
            raise Skipped(why_not)
        sender = self.senders.get(ident.channel)
        if sender is None:
            raise Undeliverable(f"no sender for channel {ident.channel!r} in this process")
        ready = stored_reply(p)
        choices = tuple(ChoiceSpec(**c) for c in p.get("choices") or ())
        reply = ready or self.renderer.render([Say(p["template"], p.get("data") or {}, choices)], lang)
        out = Outgoing(reply=reply, template=p["template"], data=p.get("data") or {},
                       lang=lang, key=job.dedupe_key)
        to = Address(channel=ident.channel, user_id=ident.external_id, thread_id=ident.thread_id,
                     last_inbound_at=ident.last_inbound_at)
        try:
            message_id = await sender.send(to, out)
        except Unreachable as e:
            await self._mark_unreachable(ident, e.reason)
            raise
        if ready is None:  # a pre-rendered answer was logged when the turn ran
            await self._log_sent(job, ident.customer_id, ident.channel, reply, message_id, p["template"])
        self._delivered.append(to)

    async def _mark_unreachable(self, ident: ChannelIdentity, reason: str) -> None:
        """Remember that the customer cannot be reached there; a failure to is logged, and
        the job fails either way (the next send will find out again)."""
        try:
            async with self.db.sessions.begin() as s:
                await reach.mark(s, ident, reason, self.clock())
        except Exception:  # noqa: BLE001 - the job's own failure must still be recorded
            log.exception("could not mark customer %s unreachable", ident.customer_id)

    async def _staff_alert(self, job: ScheduledJob) -> None:
        p = job.payload
        await self.send_to_staff(job, p.get("to", GROUP), p["template"], p.get("data") or {},
                                 customer_id=p.get("customer_id"))

    async def send_to_staff(self, job: ScheduledJob, to: str | int, template: str,
                            data: dict[str, Any], *, customer_id: int | None = None) -> None:
        """Render a staff template in the business language and post it with the staff sender;
        `customer_id` when the post is part of a conversation with them (`StaffPost`)."""
        if self.staff_sender is None:
            raise Undeliverable("no staff channel in this process")
        if to == GROUP:
            address = StaffAddress(to=GROUP)
        else:
            if not str(to).isdigit():
                raise Undeliverable(f"staff alert addressed to {to!r}: expected 'group' or a staff id")
            async with self.db.sessions() as s:
                staff = await s.get(Staff, int(to))
            if staff is None or not staff.active:
                raise Undeliverable(f"staff {to} is unknown or inactive")
            address = StaffAddress(to=staff.id, channel=staff.channel, external_id=staff.external_id,
                                   name=staff.name)
        data = {**data, "order_id": data.get("order_id", job.order_id)}
        reply = self.renderer.render([Say(template, data)], self.staff_lang)
        out = Outgoing(reply=reply, template=template, data=data, lang=self.staff_lang, key=job.dedupe_key)
        try:
            message_id = await self.staff_sender.send_staff(address, out)
        except StaffUnreachable as e:
            await self._tell_group_unreached(job, address, template, e)
            raise
        channel = address.channel or getattr(self.staff_sender, "channel_name", "staff")
        # A group post is logged under its id, so a staff reply to it finds the customer
        # it is talking with, if any (`handlers.staff.answer_post`).
        await self._log_sent(job, customer_id, channel, reply, message_id, template,
                             post_id=message_id if address.is_group else None, staff=str(to))

    async def _tell_group_unreached(self, job: ScheduledJob, address: StaffAddress, template: str,
                                    error: StaffUnreachable) -> None:
        """A member's private message was refused for good: say so in the staff group
        (`outbox.alert_unreached`). Once per job; the job still fails with the channel's
        words. A failure to queue it is logged, not raised."""
        log.warning("staff %s cannot be messaged privately (%s): %s not delivered", address.to,
                    error.reason, template)
        try:
            async with self.db.sessions.begin() as s:
                order = await s.get(Order, job.order_id) if job.order_id is not None else None
                await alert_unreached(s, staff=address.name, what=template, order_id=job.order_id,
                                      number=order.number if order is not None else None,
                                      due_at=self.clock(), key=job.dedupe_key)
        except Exception:  # noqa: BLE001 - the job's own failure must still be recorded
            log.exception("could not tell the staff group that staff %s is unreachable", address.to)
            return
        self.wake()

    async def _log_sent(self, job: ScheduledJob, customer_id: int | None, channel: str, reply: Reply,
                        message_id: str | None, template: str, *, post_id: str | None = None,
                        **extra: str) -> None:
        """Keep a sent message for the log; it is written with the job's batch (see `_Settlement`).

        A message to a customer keeps the channel's id in meta (Telegram's are unique per
        chat only); a staff-chat post's `post_id` is unique in its channel (`StaffSender`)."""
        meta: dict[str, Any] = {"job": job.id, "sent_id": message_id, "template": template, **extra}
        if reply.choices:  # so a page that shows the log (web chat) can offer the buttons
            meta["choices"] = [c.payload for c in reply.choices]
            meta["labels"] = [c.label for c in reply.choices]
        self._unlogged.append(messages.outbound(channel=channel, customer_id=customer_id, order_id=job.order_id,
                                                channel_message_id=post_id, text=reply.text, meta=meta,
                                                at=self.clock()))


# Jobs that write to the customer, besides the messages (DELIVER): in the customer's lane,
# so that "please rate us" never overtakes "your order is done" queued just before it.
_TO_THE_CUSTOMER = frozenset({R.REMIND_CUSTOMER, *R.REVIEW_KINDS})


def lane(job: ScheduledJob) -> Hashable:
    """Jobs of one lane run one after another, in due order: what is sent to one customer,
    or everything else."""
    to_customer = job.kind == DELIVER or job.kind in _TO_THE_CUSTOMER
    customer_id = job.payload.get("customer_id") if to_customer else None
    return ("customer", customer_id) if customer_id is not None else ("shared",)


class _Settlement:
    """The sent jobs of a batch and their message-log rows, written in one transaction.

    Flushed when the batch ends, sooner once `SETTLE_EVERY` has passed, and after
    each job once the claim's lease has less than a send and `SETTLE_EVERY` left, so
    a sent job is marked done before its lease could run out (else another worker
    could take it and send it again). The log rows go with the jobs
    whether or not they are still this worker's: the message went out either way.
    """

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.done: list[int] = []
        self.since = time.monotonic()

    async def maybe_flush(self, *, soon: bool = False) -> None:
        """Flush if it is time, or at once when the batch's lease is running short (`soon`);
        a failure is logged and the rows wait for the batch's flush."""
        if not soon and time.monotonic() - self.since < SETTLE_EVERY:
            return
        try:
            await self.flush()
        except Exception:  # noqa: BLE001 - the final flush tries again and reports
            log.warning("settling sent jobs failed; retrying at the end of the batch", exc_info=True)

    async def flush(self) -> None:
        done, self.done = self.done, []
        logged, self.worker._unlogged = self.worker._unlogged, []
        delivered, self.worker._delivered = self.worker._delivered, []
        self.since = time.monotonic()
        if not done and not logged:
            return
        try:
            async with self.worker.db.sessions.begin() as s:
                await messages.record_outbound(s, logged)
                if done:
                    await jobs.complete_many(s, done, self.worker.name, self.worker.clock())
        except BaseException:  # kept for the next flush
            self.done[:0], self.worker._unlogged[:0], self.worker._delivered[:0] = done, logged, delivered
            raise
        if delivered:
            await self.worker._announce(delivered)
