"""Pure decisions about the messages the service sends on its own.

When to remind, escalate and ask for a review (`*_plan`), how quiet hours
move a message (`quiet_hours_shift`), and what a due job should do given the
order as it is *then* (`decide`). No I/O: `handlers.lifecycle` writes the plans
to the job queue, `handlers.scheduled` runs the jobs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from storage.catalog import QuietHours, ReminderPolicy
from storage.models import CHANGEABLE_STATUSES, OrderStatus

# Job kinds. Those tied to the appointment's start are re-planned on a reschedule.
REMIND_CUSTOMER = "remind_customer"
REMIND_STAFF = "remind_staff"
ESCALATE_UNCLAIMED = "escalate_unclaimed"        # N minutes after confirmation
ESCALATE_UNCLAIMED_SOON = "escalate_unclaimed_soon"  # N hours before the start
ESCALATE_NOT_STARTED = "escalate_not_started"    # N minutes after the start
REVIEW_INVITE = "review_invite"
REVIEW_REMINDER = "review_reminder"

START_BOUND: tuple[str, ...] = (REMIND_CUSTOMER, REMIND_STAFF, ESCALATE_UNCLAIMED_SOON, ESCALATE_NOT_STARTED)
REMINDERS: tuple[str, ...] = (REMIND_CUSTOMER, REMIND_STAFF)
BEFORE_DONE: tuple[str, ...] = (*START_BOUND, ESCALATE_UNCLAIMED)
REVIEW_KINDS: tuple[str, ...] = (REVIEW_INVITE, REVIEW_REMINDER)
# The escalations in the order they fall due; each says what the one before it says, and more
# ("未开工（至今无人接单）" covers "快开始了仍无人接单"), so a worker catching up sends only the last.
ESCALATIONS: tuple[str, ...] = (ESCALATE_UNCLAIMED, ESCALATE_UNCLAIMED_SOON, ESCALATE_NOT_STARTED)
ALL_KINDS: tuple[str, ...] = (*BEFORE_DONE, *REVIEW_KINDS)


@dataclass(frozen=True, slots=True)
class PlannedJob:
    kind: str
    due_at: dt.datetime
    payload: dict[str, Any] = field(default_factory=dict)
    key: str = ""   # a stable name within the order, e.g. "remind_customer:24h"


def _hours(h: float) -> str:
    return f"{h:g}h"


# ----------------------------------------------------------------- quiet hours
def in_quiet_hours(at: dt.datetime, quiet: QuietHours | None, tz: ZoneInfo) -> bool:
    if quiet is None or quiet.start == quiet.end:
        return False
    t = at.astimezone(tz).time()
    if quiet.start < quiet.end:
        return quiet.start <= t < quiet.end
    return t >= quiet.start or t < quiet.end


def quiet_hours_shift(due: dt.datetime, quiet: QuietHours | None, tz: ZoneInfo) -> dt.datetime:
    """`due`, or the end of the quiet window it falls in (the next `end` in `tz`)."""
    if not in_quiet_hours(due, quiet, tz):
        return due
    assert quiet is not None
    local = due.astimezone(tz)
    end = dt.datetime.combine(local.date(), quiet.end, tzinfo=tz)
    if end <= local:
        end = dt.datetime.combine(local.date() + dt.timedelta(days=1), quiet.end, tzinfo=tz)
    return end.astimezone(due.tzinfo or dt.timezone.utc)


def before_start_shift(due: dt.datetime, start: dt.datetime, policy: ReminderPolicy,
                       tz: ZoneInfo) -> dt.datetime:
    """A reminder in quiet hours waits for their end, but never past
    `start - min_notice`: the 2 h reminder of an 08:00 appointment goes at
    07:30, not after the appointment (and never earlier than planned)."""
    shifted = quiet_hours_shift(due, policy.quiet_hours, tz)
    latest = start - dt.timedelta(minutes=policy.min_notice_minutes)
    return max(due, min(shifted, latest))


# ----------------------------------------------------------------- plans
def reminder_plan(start_at: dt.datetime, policy: ReminderPolicy, now: dt.datetime,
                  tz: ZoneInfo) -> list[PlannedJob]:
    """Customer and assignee reminders and the before-start escalations for an
    appointment at `start_at`; any whose time has passed is left out."""
    out: list[PlannedJob] = []
    for h in policy.customer_hours:
        due = start_at - dt.timedelta(hours=h)
        if due <= now:
            continue
        out.append(PlannedJob(REMIND_CUSTOMER, before_start_shift(due, start_at, policy, tz),
                              {"hours": h}, f"{REMIND_CUSTOMER}:{_hours(h)}"))
    for h in policy.staff_hours:  # staff are at work: no quiet hours
        due = start_at - dt.timedelta(hours=h)
        if due > now:
            out.append(PlannedJob(REMIND_STAFF, due, {"hours": h}, f"{REMIND_STAFF}:{_hours(h)}"))
    if policy.unclaimed_before_hours:
        due = start_at - dt.timedelta(hours=policy.unclaimed_before_hours)
        first = now + dt.timedelta(minutes=policy.unclaimed_minutes)
        if due > first:  # otherwise the after-confirmation escalation already covers it
            out.append(PlannedJob(ESCALATE_UNCLAIMED_SOON, due, {"hours": policy.unclaimed_before_hours},
                                  ESCALATE_UNCLAIMED_SOON))
    late = start_at + dt.timedelta(minutes=policy.not_started_minutes)
    if late > now:
        out.append(PlannedJob(ESCALATE_NOT_STARTED, late, {"minutes": policy.not_started_minutes},
                              ESCALATE_NOT_STARTED))
    return sorted(out, key=lambda j: (j.due_at, j.key))


def confirmation_plan(start_at: dt.datetime, policy: ReminderPolicy, now: dt.datetime,
                      tz: ZoneInfo) -> list[PlannedJob]:
    """Everything a newly confirmed order needs: the unclaimed check, then the reminders."""
    unclaimed = PlannedJob(ESCALATE_UNCLAIMED, now + dt.timedelta(minutes=policy.unclaimed_minutes),
                           {"minutes": policy.unclaimed_minutes}, ESCALATE_UNCLAIMED)
    return sorted([unclaimed, *reminder_plan(start_at, policy, now, tz)], key=lambda j: (j.due_at, j.key))


def review_plan(completed_at: dt.datetime, policy: ReminderPolicy, tz: ZoneInfo) -> list[PlannedJob]:
    """The review invitation and its one reminder, both outside quiet hours."""
    invite = quiet_hours_shift(completed_at + dt.timedelta(minutes=policy.review_after_minutes),
                               policy.quiet_hours, tz)
    out = [PlannedJob(REVIEW_INVITE, invite, {}, REVIEW_INVITE)]
    if policy.review_reminder_hours:
        nudge = quiet_hours_shift(invite + dt.timedelta(hours=policy.review_reminder_hours),
                                  policy.quiet_hours, tz)
        out.append(PlannedJob(REVIEW_REMINDER, nudge, {}, REVIEW_REMINDER))
    return out


# ----------------------------------------------------------------- at run time
@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What a due job needs to know about its order, read when it runs."""

    status: str
    assignee_id: int | None
    reviewed: bool
    started: bool = False  # the visit's start has passed (a worker that was down catches up late)
    superseded: bool = False  # a job that makes this one stale is due too (`superseding`)
    # For a review nudge: how long ago its invitation went (None: it never did), and whether
    # the customer has written since (they saw it; the chat asked again if it was their answer).
    invited_ago: dt.timedelta | None = None
    answered: bool = False


@dataclass(frozen=True, slots=True)
class Skip:
    reason: str


@dataclass(frozen=True, slots=True)
class Wait:
    """Not yet: due again in `delay` (settled as a retry that is no attempt)."""

    delay: dt.timedelta
    reason: str


@dataclass(frozen=True, slots=True)
class ToCustomer:
    template: str
    rating_choices: bool = False


@dataclass(frozen=True, slots=True)
class ToStaff:
    template: str
    to: str | int     # "group" or a staff id
    reason: str = ""


Action = Skip | Wait | ToCustomer | ToStaff
UPCOMING = CHANGEABLE_STATUSES  # reminders are for orders still ahead


def decide(kind: str, facts: OrderFacts | None, *, nudge_after: dt.timedelta | None = None) -> Action:
    """What a due job does, given its order now: a job whose order moved on does nothing.
    `nudge_after`: how long after its invitation a review nudge may go (`review_reminder_hours`)."""
    if facts is None:
        return Skip("order gone")
    status = facts.status
    if kind in REMINDERS and facts.started:
        return Skip("the visit's start has passed")  # "将于…上门" after it would mislead
    if kind in REMINDERS and facts.superseded:
        return Skip("a later reminder of the same kind is due too: this one is stale")
    if kind == REMIND_CUSTOMER:
        return ToCustomer("reminder") if status in UPCOMING else Skip(f"order is {status}")
    if kind == REMIND_STAFF:
        if status not in (OrderStatus.ASSIGNED, OrderStatus.IN_PROGRESS):
            return Skip(f"order is {status}")
        if facts.assignee_id is None:
            return Skip("nobody is assigned")
        return ToStaff("staff_reminder", facts.assignee_id)
    if kind in (ESCALATE_UNCLAIMED, ESCALATE_UNCLAIMED_SOON):
        if status != OrderStatus.CONFIRMED:
            return Skip(f"order is {status}")
        if facts.superseded:
            return Skip("a later escalation is due too: this one is stale")
        return ToStaff("staff_escalation", "group",
                       "unclaimed" if kind == ESCALATE_UNCLAIMED else "unclaimed_soon")
    if kind == ESCALATE_NOT_STARTED:
        if status not in UPCOMING:
            return Skip(f"order is {status}")
        return ToStaff("staff_escalation", "group", "not_started")
    if kind in REVIEW_KINDS:
        if status != OrderStatus.COMPLETED:
            return Skip(f"order is {status}")
        if facts.reviewed:
            return Skip("already reviewed")
        if kind == REVIEW_REMINDER:
            return _nudge(facts, nudge_after)
        return ToCustomer(kind, rating_choices=True)
    return Skip(f"unknown kind {kind}")


def _nudge(facts: OrderFacts, after: dt.timedelta | None) -> Action:
    """The review nudge of a completed, unrated order: only a full `after` since its invitation
    went (a worker catching up sends the invitation late, and settling it between batches
    would let the nudge follow it in one breath: it waits), and only to a customer who has not
    answered it."""
    if facts.superseded:
        return Skip("the review invitation goes out now too: its reminder would follow it in one breath")
    if facts.invited_ago is None:
        return Skip("the review invitation never went")
    if facts.answered:
        return Skip("the customer answered the review invitation")
    if after is not None and facts.invited_ago < after:
        return Wait(after - facts.invited_ago, "the review invitation went less than the nudge delay ago")
    return ToCustomer(REVIEW_REMINDER, rating_choices=True)


class Superseding(NamedTuple):
    """The job kinds whose being due too makes a due job stale (`storage.jobs.superseded`)."""

    later: tuple[str, ...] = ()   # planned after it, due too (sent or not): it says less than they do
    earlier: tuple[str, ...] = ()  # planned before it and still unsent: it would follow them in one breath


def superseding(kind: str) -> Superseding:
    """What makes a due `kind` stale: the same reminder kind (a nearer one of the plan), the
    escalations after it, or, for the review nudge, its invitation not yet sent (a worker
    catching up would send "please rate us" and "a quick one: how was it?" together)."""
    if kind in REMINDERS:
        return Superseding(later=(kind,))
    if kind in ESCALATIONS:
        return Superseding(later=ESCALATIONS[ESCALATIONS.index(kind) + 1:])
    if kind == REVIEW_REMINDER:
        return Superseding(earlier=(REVIEW_INVITE,))
    return Superseding()


def lead(start_at: dt.datetime, now: dt.datetime, tz: ZoneInfo) -> dict[str, int]:
    """How far off the visit is when its reminder goes out, for the reminder to say so
    ("明天 10:00" the day before, "2 小时后（今天 10:00）" the same morning): days between
    the two local dates and whole minutes until the start. Taken at send time, not from
    the plan's hours: quiet hours or a late worker move the send, not the visit."""
    return {"days": (start_at.astimezone(tz).date() - now.astimezone(tz).date()).days,
            "minutes": max(0, int((start_at - now).total_seconds() // 60))}


def order_view(order: Any) -> dict[str, Any]:
    """An order as plain JSON for templates and channels (`_macros.j2` reads
    `number`, `service_id`, `date`, `time`, `period`, `address`, `status`)."""
    return {
        "id": order.id, "number": order.number, "service_id": order.service_id,
        "date": order.date.isoformat(), "time": order.time.strftime("%H:%M") if order.time else None,
        "period": order.period, "address": order.address, "at_shop": order.at_shop,
        "destination": order.destination,
        "phone": order.phone, "name": order.name,
        "status": str(order.status), "rating": order.rating,
    }
