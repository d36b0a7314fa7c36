"""The durable job queue: scheduled messages and the outbox, in one table.

A job is written in the same transaction as the change that causes it (an
order claimed, a reminder scheduled), so it can never be lost; workers claim
due rows with a lease, so with several workers each job runs once, and a
worker that dies mid-job gives its jobs back when the lease runs out.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterable

from sqlalchemy import Update, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import ScheduledJob
from storage.upsert import built_once

PENDING, SENDING, DONE, FAILED, CANCELLED = "pending", "sending", "done", "failed", "cancelled"
SKIPPED = "skipped"  # not attempted on purpose (customer out of reach, order moved on, stale reminder): not an error
LEASE = dt.timedelta(seconds=60)  # a claimed job is the claimer's for this long, renewed as it starts


def job_row(kind: str, payload: dict[str, Any], *, due_at: dt.datetime, order_id: int | None = None,
            dedupe_key: str | None = None) -> dict[str, Any]:
    """One new job as `enqueue_all` writes it; without a `dedupe_key` it is unique."""
    return dict(kind=kind, payload=payload, due_at=due_at, order_id=order_id, status=PENDING,
                attempts=0, dedupe_key=dedupe_key or f"{kind}:{uuid.uuid4().hex}")


async def enqueue(session: AsyncSession, kind: str, payload: dict[str, Any], *, due_at: dt.datetime,
                  order_id: int | None = None, dedupe_key: str | None = None) -> bool:
    """Add a job; False when a job with the same `dedupe_key` already exists."""
    row = job_row(kind, payload, due_at=due_at, order_id=order_id, dedupe_key=dedupe_key)
    return await enqueue_all(session, [row]) == 1


async def enqueue_all(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Add the jobs `rows` (see `job_row`) in one round trip; returns how many were
    new (a row whose `dedupe_key` exists already is skipped).

    A list of parameter sets with RETURNING is sent as one multi-row INSERT
    (SQLAlchemy's "insertmanyvalues"), so an order's whole reminder plan costs
    one statement instead of one per job.
    """
    if not rows:
        return 0
    table = ScheduledJob.__table__
    stmt = built_once(session, "enqueue", lambda insert: (
        insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id)))
    return len((await session.execute(stmt, rows)).all())


async def claim_due(db: Database, worker: str, now: dt.datetime, *, limit: int = 50,
                    lease: dt.timedelta = LEASE) -> list[ScheduledJob]:
    """Take up to `limit` due jobs for `worker`, including ones whose lease expired.

    One UPDATE … RETURNING: atomic under SQLite's single writer, and with
    FOR UPDATE SKIP LOCKED on PostgreSQL so workers never wait on each other.
    """
    due = or_(
        and_(ScheduledJob.status == PENDING, ScheduledJob.due_at <= now),
        and_(ScheduledJob.status == SENDING, ScheduledJob.locked_until < now),
    )
    ids = (select(ScheduledJob.id).where(due).order_by(ScheduledJob.due_at, ScheduledJob.id)
           .limit(limit).with_for_update(skip_locked=True).scalar_subquery())
    stmt = (update(ScheduledJob).where(ScheduledJob.id.in_(ids))
            .values(status=SENDING, claimed_by=worker, locked_until=now + lease,
                    attempts=ScheduledJob.attempts + 1)
            .returning(ScheduledJob))
    async with db.sessions.begin() as s:
        rows = list((await s.execute(stmt)).scalars())
    rows.sort(key=lambda j: (j.due_at, j.id))
    return rows


async def renew(db: Database, job_id: int, worker: str, now: dt.datetime,
                lease: dt.timedelta = LEASE) -> bool:
    """Extend `worker`'s lease on a job it is about to run; False when it is no longer
    its job (the lease ran out while earlier jobs of the batch were sent, and another
    worker claimed it): then running it here would send it twice."""
    stmt = (update(ScheduledJob)
            .where(ScheduledJob.id == job_id, ScheduledJob.status == SENDING,
                   ScheduledJob.claimed_by == worker)
            .values(locked_until=now + lease))
    async with db.sessions.begin() as s:
        return (await s.execute(stmt)).rowcount == 1


async def next_due(db: Database) -> dt.datetime | None:
    """When the earliest pending job falls due or the earliest lease runs out (None:
    neither), so the worker can sleep until then rather than a whole poll, and claim
    only when there is something to claim. One index lookup on (status, due_at) for
    the pending jobs; the leased ones are the few in flight."""
    pending = select(func.min(ScheduledJob.due_at)).where(ScheduledJob.status == PENDING).scalar_subquery()
    leased = select(func.min(ScheduledJob.locked_until)).where(ScheduledJob.status == SENDING).scalar_subquery()
    async with db.sessions() as s:
        times = (await s.execute(select(pending, leased))).one()
    return min((t for t in times if t is not None), default=None)


def _settle(job_ids: list[int], worker: str, **values: Any) -> Update:
    """Only the claimer may settle a job: a worker whose lease ran out and whose
    job was re-claimed elsewhere must not overwrite the new claimer's result."""
    return (update(ScheduledJob)
            .where(ScheduledJob.id.in_(job_ids), ScheduledJob.status == SENDING,
                   ScheduledJob.claimed_by == worker)
            .values(**values))


async def _finish(db: Database, job_id: int, worker: str, **values: Any) -> bool:
    async with db.sessions.begin() as s:
        return (await s.execute(_settle([job_id], worker, **values))).rowcount == 1


async def complete_many(session: AsyncSession, job_ids: list[int], worker: str, sent_at: dt.datetime) -> int:
    """Mark `worker`'s sent jobs done in one statement (a batch's worth), in the caller's
    transaction, sent at `sent_at` (the settling's time, seconds after the sends); returns
    how many were still its own."""
    return (await session.execute(_settle(job_ids, worker, status=DONE, locked_until=None,
                                          last_error=None, sent_at=sent_at))).rowcount


async def sent_at(session: AsyncSession, order_id: int, kind: str) -> dt.datetime | None:
    """When the order's latest job of `kind` went out; None when none did (never sent, skipped,
    failed, called off). One sent before send times were kept: its due time."""
    went = func.coalesce(ScheduledJob.sent_at, ScheduledJob.due_at)
    q = (select(went).where(ScheduledJob.order_id == order_id, ScheduledJob.kind == kind,
                            ScheduledJob.status == DONE)
         .order_by(went.desc()).limit(1))
    return (await session.execute(q)).scalar_one_or_none()


async def retry(db: Database, job_id: int, worker: str, at: dt.datetime, error: str,
                *, count_attempt: bool = True) -> bool:
    values: dict[str, Any] = dict(status=PENDING, due_at=at, locked_until=None, last_error=error[:2000])
    if not count_attempt:  # a rate limit is not the job's fault
        values["attempts"] = ScheduledJob.attempts - 1
    return await _finish(db, job_id, worker, **values)


async def give_back(db: Database, job_ids: list[int], worker: str) -> int:
    """Return claimed jobs a stopping worker did not start: due again at once for the
    next worker, their claim not counted as an attempt. Without this they would wait
    for the lease to run out."""
    async with db.sessions.begin() as s:
        return (await s.execute(_settle(job_ids, worker, status=PENDING, locked_until=None,
                                        attempts=ScheduledJob.attempts - 1))).rowcount


async def fail(db: Database, job_id: int, worker: str, error: str) -> bool:
    return await _finish(db, job_id, worker, status=FAILED, locked_until=None, last_error=error[:2000])


async def skip(db: Database, job_id: int, worker: str, why: str) -> bool:
    """Settle a job that was deliberately not attempted; `why` is kept for staff to read."""
    return await _finish(db, job_id, worker, status=SKIPPED, locked_until=None, last_error=why[:2000])


async def superseded(session: AsyncSession, job: ScheduledJob, now: dt.datetime, later: Iterable[str],
                     earlier: Iterable[str] = ()) -> bool:
    """Whether another job for the same order that makes `job` stale is due by `now` too,
    after the worker was down: sending both would say the same thing twice in one breath.

    A job of `later` (the 2 h reminder beside the 24 h one, the before-start escalation beside
    the after-confirmation one) does so sent or not; of `job`'s own kind, "later" is by the
    plan (fewer `hours` before the start), not by `due_at`, which a retry moves on. A job of
    `earlier` (the review invitation beside its reminder) does so while it is unsent (pending,
    or being sent in this very batch): once sent in its time, what follows it is not stale."""
    later, earlier = list(later), list(earlier)
    if job.order_id is None or not (later or earlier):
        return False
    stmt = select(ScheduledJob.kind, ScheduledJob.payload, ScheduledJob.status).where(
        ScheduledJob.order_id == job.order_id, ScheduledJob.kind.in_(later + earlier), ScheduledJob.id != job.id,
        ScheduledJob.due_at <= now, ScheduledJob.status != CANCELLED)
    hours = job.payload.get("hours", 0)

    def stale_beside(kind: str, payload: dict[str, Any], status: str) -> bool:
        if kind in earlier:
            return status in (PENDING, SENDING)
        return kind != job.kind or payload.get("hours", 0) < hours

    return any(stale_beside(*row) for row in (await session.execute(stmt)).all())


async def cancel_pending(session: AsyncSession, *, order_id: int, kinds: Iterable[str]) -> int:
    stmt = (update(ScheduledJob)
            .where(ScheduledJob.order_id == order_id, ScheduledJob.status == PENDING,
                   ScheduledJob.kind.in_(list(kinds)))
            .values(status=CANCELLED))
    return (await session.execute(stmt)).rowcount


async def counts(db: Database) -> dict[str, int]:
    async with db.sessions() as s:
        rows = await s.execute(select(ScheduledJob.status, func.count()).group_by(ScheduledJob.status))
        return {status: n for status, n in rows.all()}
