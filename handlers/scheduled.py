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

import logging

from sqlalchemy import select

from handlers import reminders as R
from handlers.outbox import Skipped
from handlers.review_steps import rating_choices
from handlers.worker import Worker
from storage import jobs
from storage import staff as staff_repo
from storage.models import Order, Review, ScheduledJob

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
                                  superseded=await jobs.superseded(s, job, now, *R.superseding(job.kind)))
                     if order is not None else None)
            view = R.order_view(order) if order is not None else {}
            assignee = await staff_repo.assignee_name(s, order)  # whom an escalation is about
            customer_id = order.customer_id if order is not None else None
        action = R.decide(job.kind, facts)
        data = {"order": view, **job.payload}
        if job.kind in R.REMINDERS and order is not None:
            data["lead"] = R.lead(order.start_at, now, self.worker.renderer.tz)
        if isinstance(action, R.Skip):
            raise Skipped(action.reason)  # settled as skipped, its reason kept on the job
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


def install(worker: Worker) -> ScheduledMessages:
    """Register the reminder/escalation/review job kinds on `worker`."""
    sm = ScheduledMessages(worker)
    sm.install()
    return sm
