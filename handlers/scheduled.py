"""Runs the reminder, escalation and review jobs when they fall due.

Each job reads its order *now* and asks `reminders.decide` what to do, so a
reminder for an order that was cancelled, claimed or already reviewed in the
meantime does nothing, whatever became of its cancellation; such a job is settled
as skipped with its reason (`outbox.Skipped`), so staff can see why it did not go. Sending goes
through the worker's own paths (`Worker.deliver` for customers, which logs
the message; `Worker.send_to_staff` for staff), so retries, leases and the
once-only guarantee are the queue's.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import reminders as R
from handlers.outbox import RetryLater, Skipped
from handlers.review_steps import rating_choices
from handlers.worker import Worker
from storage import jobs
from storage import staff as staff_repo
from storage.models import Customer, Order, Review, ScheduledJob

log = logging.getLogger(__name__)


class ScheduledMessages:
    def __init__(self, worker: Worker) -> None:
        self.worker = worker

    def install(self) -> None:
        for kind in R.ALL_KINDS:
            self.worker.register(kind, self.run)

    async def run(self, job: ScheduledJob) -> None:
        async with self.worker.db.sessions() as s:
            order = await s.get(Order, job.order_id) if job.order_id else None
            reviewed = order is not None and (await s.execute(
                select(Review.id).where(Review.order_id == order.id))).first() is not None
            now = self.worker.clock()
            facts = (R.OrderFacts(status=str(order.status), assignee_id=order.assignee_id, reviewed=reviewed,
                                  started=order.start_at <= now,
                                  superseded=await jobs.superseded(s, job, now, *R.superseding(job.kind)),
                                  **(await _invitation(s, order, now) if job.kind == R.REVIEW_REMINDER else {}))
                     if order is not None else None)
            view = R.order_view(order) if order is not None else {}
            assignee = await staff_repo.assignee_name(s, order)  # whom an escalation is about
            customer_id = order.customer_id if order is not None else None
        hours = self.worker.renderer.catalog.reminders.review_reminder_hours
        action = R.decide(job.kind, facts, nudge_after=dt.timedelta(hours=hours) if hours else None)
        data = {"order": view, **job.payload}
        if job.kind in R.REMINDERS and order is not None:
            data["lead"] = R.lead(order.start_at, now, self.worker.renderer.tz)
        if isinstance(action, R.Skip):
            raise Skipped(action.reason)  # settled as skipped, its reason kept on the job
        elif isinstance(action, R.Wait):
            raise RetryLater(action.delay.total_seconds(), action.reason)
        elif isinstance(action, R.ToCustomer):
            payload = {"customer_id": customer_id, "template": action.template, "data": data}
            if action.rating_choices:
                # the stars name the order, so a late press rates this one (or is told it closed)
                payload["choices"] = [{"label": c.label, "payload": c.payload}
                                      for c in rating_choices(job.order_id)]
            await self.worker.deliver(job, payload)
        else:
            await self.worker.send_to_staff(job, action.to, action.template,
                                            {**data, "reason": action.reason, "assignee": assignee})


async def _invitation(session: AsyncSession, order: Order, now: dt.datetime) -> dict[str, Any]:
    """What a review nudge must know of its invitation (`R.OrderFacts`): how long ago it went,
    and whether the customer has written since (their `last_seen_at`, the app's clock)."""
    went = await jobs.sent_at(session, order.id, R.REVIEW_INVITE)
    if went is None:
        return {"invited_ago": None}
    customer = await session.get(Customer, order.customer_id)
    return {"invited_ago": now - went, "answered": customer is not None and customer.last_seen_at > went}


def install(worker: Worker) -> ScheduledMessages:
    """Register the reminder/escalation/review job kinds on `worker`."""
    sm = ScheduledMessages(worker)
    sm.install()
    return sm
