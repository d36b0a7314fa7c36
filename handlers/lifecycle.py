"""What happens to an order's scheduled messages when the order moves.

The dialogue (confirm, reschedule, cancel) and the staff channel (claim,
start, done, release) call these hooks inside the transaction that changes
the order, so the order and its jobs commit or roll back together: a reminder
can never be lost, nor outlive its order's cancellation. Decisions are the
pure plans of `handlers.reminders`; this module only writes them.
"""

from __future__ import annotations

import datetime as dt
import zlib
import uuid
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import amend as A
from handlers import reminders as R
from handlers import reviews
from handlers import slots as S
from handlers.outbox import GROUP, alert_staff
from storage import jobs
from storage import orders as order_repo
from storage import staff as staff_repo
from storage.catalog import Catalog
from storage.models import Order, OrderStatus, Staff



def _tz(catalog: Catalog, tz: ZoneInfo | None) -> ZoneInfo:
    return tz or ZoneInfo(catalog.business.timezone)


async def _schedule(session: AsyncSession, order: Order, plan: Iterable[R.PlannedJob]) -> int:
    """Write `plan` as jobs of `order`, in one statement; returns how many were added.

    Keys carry a generation drawn afresh for each plan, so re-planning after a
    reschedule never collides with the (cancelled) jobs of an earlier plan: a
    collision would skip the new job. Random rather than counted, so that
    no query has to count the order's jobs first.
    """
    gen = uuid.uuid4().hex
    return await jobs.enqueue_all(session, [
        jobs.job_row(job.kind, {"customer_id": order.customer_id, **job.payload}, due_at=job.due_at,
                     order_id=order.id, dedupe_key=f"o{order.id}:g{gen}:{job.key}")
        for job in plan])


async def on_confirmed(session: AsyncSession, order: Order, catalog: Catalog, now: dt.datetime,
                       tz: ZoneInfo | None = None) -> int:
    """Reminders (customer, assignee) and escalations for a just-confirmed order."""
    plan = R.confirmation_plan(order.start_at, catalog.reminders, now, _tz(catalog, tz))
    return await _schedule(session, order, plan)


async def on_rescheduled(session: AsyncSession, order: Order, catalog: Catalog, now: dt.datetime,
                         tz: ZoneInfo | None = None) -> int:
    """Move the start-bound reminders and escalations to the new start."""
    await jobs.cancel_pending(session, order_id=order.id, kinds=R.START_BOUND)
    return await _schedule(session, order, R.reminder_plan(order.start_at, catalog.reminders, now,
                                                           _tz(catalog, tz)))


async def cancel(session: AsyncSession, order: Order, catalog: Catalog, now: dt.datetime,
                 tz: ZoneInfo | None = None, *, actor: str) -> None:
    """Cancel an order (the customer's or the office's doing): nothing more is sent about it
    to the customer, and its technician, if one took it, is told privately (`tell_assignee`)."""
    order_repo.set_status(session, order, OrderStatus.CANCELLED, actor=actor, now=now)
    await on_cancelled(session, order, catalog, now, tz)
    await tell_assignee(session, order, "cancelled", now, actor=actor)


async def reschedule(session: AsyncSession, order: Order, date: str, time: str | None, period: str | None,
                     catalog: Catalog, now: dt.datetime, tz: ZoneInfo, *, actor: str) -> bool:
    """Move an order to `date` at `time` (else its part of day); reminders follow the new
    start, and its technician, if one took it, is told privately with the old and new
    times (`tell_assignee`). False when that is where it already was: then nothing changes."""
    period = None if time else period
    before = R.order_view(order)
    changes = {"date": S.parse_date(date), "time": S.parse_time(time), "period": period,
               "start_at": S.appointment_start(date, time, period, tz, catalog.hours_for(order.service_id))}
    if (order.time and order.time.strftime("%H:%M")) != time or (None if time else order.period) != period:
        changes["notes"] = S.without_window(order.notes)  # "make it 5pm": the window said is gone
    if not order_repo.update_fields(session, order, changes, actor=actor, kind="rescheduled", now=now):
        return False
    await on_rescheduled(session, order, catalog, now, tz)
    await tell_assignee(session, order, "rescheduled", now, actor=actor, before=before)
    return True


async def tell_assignee(session: AsyncSession, order: Order, kind: str, now: dt.datetime, *, actor: str,
                        before: dict[str, Any] | None = None) -> bool:
    """The technician who took the order hears privately that it was cancelled or moved
    (`kind`): they work from the private details they got when claiming and from their
    reminders, and may be on their way; a line in the group's card thread is easily
    missed. Says whether the customer did it (`actor`), and for a move the old time
    (`before`), so they can check their day or give the order back."""
    if order.assignee_id is None:
        return False
    data = {"kind": kind, "order": R.order_view(order), "before": before, **await who_did(session, actor)}
    return await alert_staff(session, template="staff_assignee_notice", due_at=now, to=order.assignee_id,
                             data=data, order_id=order.id)


async def tell_assigned(session: AsyncSession, order: Order, to: Staff, before: Staff | None,
                        now: dt.datetime, *, actor: str) -> None:
    """The office gave the order to `to` (the dashboard's assign, taking it from `before`):
    nobody pressed a card's button, so nobody has been told. `to` gets the full address and
    phone privately, as a claimer does (`staff_details`); the one it was taken from hears
    not to go; the card's thread says who has it now, since an edit notifies nobody. A
    dashboard-only account (`staff_repo.WEB`) has no private chat: it sees the order there."""
    who = await who_did(session, actor)
    view = {**R.order_view(order), "notes": order.notes, "lang": order.lang}
    told = to.channel != staff_repo.WEB
    if told:
        await alert_staff(session, template="staff_details", due_at=now, to=to.id, order_id=order.id,
                          data={"order": view, "assigned": True, **who})
    if before is not None and before.id != to.id and before.channel != staff_repo.WEB:
        await alert_staff(session, template="staff_assignee_notice", due_at=now, to=before.id, order_id=order.id,
                          data={"kind": "reassigned", "order": view, "before": None, "taken_by": to.name, **who})
    await alert_staff(session, template="staff_order_changed", due_at=now, to=GROUP, order_id=order.id,
                      data={"kind": "order_assigned", "number": order.number, "order": view, "fields": [],
                            "to": to.name, "before": before.name if before is not None else None,
                            "told": told, **who})


async def who_did(session: AsyncSession, actor: str) -> dict[str, Any]:
    """Who changed an order, for what staff are told (`actor` as the order's events record
    it): the customer ("customer:…"), a staff member by name ("staff:3", from the
    dashboard), else the office (the owner's sign-in). Technicians check with whoever it
    was, so "客户已取消" must not be said of the office's doing."""
    by_customer = actor.startswith("customer")
    kind, _, ref = actor.partition(":")
    staff = await session.get(Staff, int(ref)) if kind == "staff" and ref.isdigit() else None
    return {"by_customer": by_customer, "by": staff.name if staff is not None else None}


async def amend(session: AsyncSession, order: Order, changes: dict[str, Any], catalog: Catalog,
                now: dt.datetime, *, actor: str) -> dict[str, list]:
    """Change an order's contact details (address, phone, name, notes) or its quantity;
    returns field -> [old, new] of what really changed, recorded as one "amended" event.
    A new quantity brings its total and length (`order_repo.terms`, at the unit price
    the order was booked at: the customer was quoted it), so revenue and the calendar
    follow.

    An assigned technician is told privately, with the details in full (the group's card
    and thread show them masked), since they may be on their way to the old address.
    Reminders need nothing: they read the order when they are sent."""
    if "quantity" in changes:
        changes = {**changes, **order_repo.terms(catalog.get(order.service_id), changes["quantity"], order.price)}
    diff = order_repo.update_fields(session, order, changes, actor=actor, kind="amended", now=now)
    if diff and order.assignee_id is not None:
        await alert_staff(session, template="staff_order_amended", due_at=now, to=order.assignee_id,
                          data={"order": {**R.order_view(order), "notes": order.notes}, "changes": diff,
                                "names": await staff_names(session, A.staff_ids(diff))},
                          order_id=order.id)
    return diff


async def staff_names(session: AsyncSession, ids: Iterable[int]) -> dict[str, str]:
    """The names of the staff `ids`, keyed by the id as text: what the templates show for the
    staff member asked for (`field_value`), in a job's JSON as in a reply."""
    return {str(k): v for k, v in (await staff_repo.names(session, ids)).items()}


async def on_cancelled(session: AsyncSession, order: Order, catalog: Catalog, now: dt.datetime,
                       tz: ZoneInfo | None = None) -> int:
    """Nothing more is sent about a cancelled order; returns how many jobs were cancelled."""
    return await jobs.cancel_pending(session, order_id=order.id, kinds=R.ALL_KINDS)


async def on_released(session: AsyncSession, order: Order, catalog: Catalog, now: dt.datetime,
                      tz: ZoneInfo | None = None) -> int:
    """An assignee gave the order back: it is unclaimed again, so watch it again."""
    policy = catalog.reminders
    job = R.PlannedJob(R.ESCALATE_UNCLAIMED, now + dt.timedelta(minutes=policy.unclaimed_minutes),
                       {"minutes": policy.unclaimed_minutes}, R.ESCALATE_UNCLAIMED)
    return await _schedule(session, order, [job])


async def on_completed(session: AsyncSession, order: Order, catalog: Catalog, now: dt.datetime,
                       tz: ZoneInfo | None = None) -> int:
    """Done: drop what was for before the visit, invite a review (and nudge once)."""
    await jobs.cancel_pending(session, order_id=order.id, kinds=R.BEFORE_DONE)
    return await _schedule(session, order, R.review_plan(now, catalog.reminders, _tz(catalog, tz)))


def invitation_says_done(catalog: Catalog, now: dt.datetime, tz: ZoneInfo | None = None) -> bool:
    """Whether an order done at `now` has its review invitation sent at once (pure). The
    invitation says the order is done ("Your Deep cleaning (order …) is done. Thank you
    for choosing…"), so the customer's own "done" notice would then be the same news
    twice in a row: that notice is for when quiet hours or `review_after_minutes` put the
    invitation later."""
    plan = R.review_plan(now, catalog.reminders, _tz(catalog, tz))
    return any(job.kind == R.REVIEW_INVITE and job.due_at <= now for job in plan)


async def after_staff_action(session: AsyncSession, order_id: int, action: str, catalog: Catalog,
                             now: dt.datetime, tz: ZoneInfo | None = None) -> None:
    """Call after `storage.staff.transition(...)` returned True, in the same transaction.

    claim/start need nothing: the due jobs re-check the order when they run.
    """
    if action not in ("done", "release"):
        return
    order = await session.get(Order, order_id, populate_existing=True)
    if order is None:
        return
    if action == "done" and order.status == OrderStatus.COMPLETED:
        await on_completed(session, order, catalog, now, tz)
    elif action == "release" and order.status == OrderStatus.CONFIRMED:
        await on_released(session, order, catalog, now, tz)


async def on_rated(session: AsyncSession, order: Order, rating: int, now: dt.datetime,
                   comment: str | None = None, later: bool = False, complaint: str | None = None) -> bool:
    """A rating arrived: no more review nudges; a low one (or one whose comment complains,
    `reviews.alerts_staff`, `complaint` the kind the NLU read in it) alerts the staff group now.

    Once per order, and once more for the comment that follows a low rating (`later`: the
    comment came after the stars): that one only adds the customer's words (`added`), since
    the group was already told of the rating, whom to phone and who did the visit.
    """
    await jobs.cancel_pending(session, order_id=order.id, kinds=R.REVIEW_KINDS)
    if not reviews.alerts_staff(rating, comment, complaint):
        return False
    return await _alert_unhappy(session, order, rating, comment, now,
                                added=later and reviews.alerts_staff(rating, None))


async def on_complained(session: AsyncSession, order: Order, comment: str, said: str, now: dt.datetime) -> bool:
    """A complaint about a completed order said before its stars (to "how many stars?"): the
    group hears it now, with no rating, since the stars may never come. When they do, the
    rating is stored with these words (`on_rated`), whose alert is this one (one key per
    order's words): staff are not told twice. `comment`: all the words kept for the review;
    `said`: this message's, which alone go to a group told already ("而且还迟到了" after
    "阿姨态度很差")."""
    if await _alert_unhappy(session, order, None, comment, now):
        return True
    return await on_words_added(session, order, said, now)


async def on_words_added(session: AsyncSession, order: Order, said: str, now: dt.datetime) -> bool:
    """More words of an unhappy customer for a group told of the order already ("2 stars, and the
    cleaner also broke a vase" after "the cleaner was 2 hours late"): these words alone, once."""
    return await _alert_unhappy(session, order, None, said, now, added=True,
                                key=f"complaint_added:{order.id}:{zlib.crc32(said.encode())}")


async def _alert_unhappy(session: AsyncSession, order: Order, rating: int | None, comment: str | None,
                         now: dt.datetime, *, added: bool = False, key: str | None = None) -> bool:
    """The unhappy-customer card in the staff group: the order, its technician, the stars (None:
    not given yet) and the words; once for the rating alone and once for its words (`key`:
    another, for words added)."""
    data = {"order": R.order_view(order), "rating": rating, "comment": comment,
            "assignee": await staff_repo.assignee_name(session, order), "added": added}
    key = key or (f"low_rating:{order.id}" if comment is None else f"low_rating_comment:{order.id}")
    return await alert_staff(session, template="staff_low_rating", due_at=now, to=GROUP, data=data,
                             order_id=order.id, key=key, customer_id=order.customer_id)  # a reply answers them
