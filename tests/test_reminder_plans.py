"""The pure reminder rules: plans, quiet hours, and what a due job does."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from handlers import reminders as R
from nlu.review_words import is_no_comment, rating_from_words
from storage.catalog import CatalogError, QuietHours, ReminderPolicy, demo_catalog, parse_catalog

TZ = ZoneInfo("Asia/Shanghai")
POLICY = ReminderPolicy()


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def plan_of(start: dt.datetime, now: dt.datetime, policy: ReminderPolicy = POLICY) -> dict[str, dt.datetime]:
    return {j.key: j.due_at for j in R.confirmation_plan(start, policy, now, TZ)}


def test_a_confirmed_order_gets_reminders_and_escalations() -> None:
    assert plan_of(at(26, 15), now=at(24, 20)) == {
        "escalate_unclaimed": at(24, 20, 15),
        "remind_customer:24h": at(25, 15),
        "remind_customer:2h": at(26, 13),
        "escalate_unclaimed_soon": at(26, 13),
        "remind_staff:1h": at(26, 14),
        "escalate_not_started": at(26, 15, 15),
    }


def test_reminders_whose_time_has_passed_are_skipped() -> None:
    plan = plan_of(at(25, 15), now=at(24, 20))
    assert "remind_customer:24h" not in plan and plan["remind_customer:2h"] == at(25, 13)
    soon = plan_of(at(24, 21, 30), now=at(24, 20))
    assert set(soon) == {"escalate_unclaimed", "remind_staff:1h", "escalate_not_started"}, \
        "no 2 h reminder an hour before, and the unclaimed check at +15 min covers 'before the start'"


def test_quiet_hours_delay_a_reminder_to_their_end() -> None:
    q = QuietHours()
    assert R.quiet_hours_shift(at(25, 23), q, TZ) == at(26, 8)
    assert R.quiet_hours_shift(at(26, 3), q, TZ) == at(26, 8)
    assert R.quiet_hours_shift(at(26, 8), q, TZ) == at(26, 8)
    assert R.quiet_hours_shift(at(26, 21, 59), q, TZ) == at(26, 21, 59)
    assert R.quiet_hours_shift(at(26, 3), None, TZ) == at(26, 3)
    day = QuietHours(start=dt.time(12), end=dt.time(14))  # a window that does not span midnight
    assert R.quiet_hours_shift(at(26, 13), day, TZ) == at(26, 14)
    assert R.quiet_hours_shift(at(26, 15), day, TZ) == at(26, 15)


def test_quiet_hours_never_push_a_reminder_past_the_appointment() -> None:
    # 23:00 appointment: the 24 h reminder would fall at 23:00 the day before -> 08:00.
    assert plan_of(at(26, 23), now=at(24, 20))["remind_customer:24h"] == at(26, 8)
    # 08:30 appointment: the 2 h reminder (06:30) waits until 08:00, still before the start.
    assert plan_of(at(26, 8, 30), now=at(24, 20))["remind_customer:2h"] == at(26, 8)
    # 08:00 appointment: it goes at 07:30 (min_notice 30 min), inside quiet hours but in time.
    assert plan_of(at(26, 8), now=at(24, 20))["remind_customer:2h"] == at(26, 7, 30)
    # Staff reminders and escalations ignore quiet hours.
    assert plan_of(at(26, 7), now=at(24, 20))["remind_staff:1h"] == at(26, 6)


def test_review_invitation_and_its_one_reminder_respect_quiet_hours() -> None:
    assert [(j.kind, j.due_at) for j in R.review_plan(at(25, 17), POLICY, TZ)] == [
        ("review_invite", at(25, 17)), ("review_reminder", at(26, 17))]
    assert [(j.kind, j.due_at) for j in R.review_plan(at(25, 23), POLICY, TZ)] == [
        ("review_invite", at(26, 8)), ("review_reminder", at(27, 8))]
    no_nudge = ReminderPolicy(review_reminder_hours=None)
    assert [j.kind for j in R.review_plan(at(25, 17), no_nudge, TZ)] == ["review_invite"]


def test_offsets_come_from_the_catalog() -> None:
    policy = ReminderPolicy(customer_hours=[48, 3], staff_hours=[], unclaimed_before_hours=None,
                            quiet_hours=None)
    plan = plan_of(at(27, 15), now=at(24, 20), policy=policy)
    assert plan["remind_customer:48h"] == at(25, 15) and plan["remind_customer:3h"] == at(27, 12)
    assert not any(k.startswith("remind_staff") for k in plan) and "escalate_unclaimed_soon" not in plan


@pytest.mark.parametrize("kind, facts, expected", [
    (R.REMIND_CUSTOMER, R.OrderFacts("confirmed", None, False), R.ToCustomer("reminder")),
    (R.REMIND_CUSTOMER, R.OrderFacts("cancelled", None, False), R.Skip("order is cancelled")),
    (R.REMIND_STAFF, R.OrderFacts("assigned", 7, False), R.ToStaff("staff_reminder", 7)),
    (R.REMIND_STAFF, R.OrderFacts("confirmed", None, False), R.Skip("order is confirmed")),
    (R.ESCALATE_UNCLAIMED, R.OrderFacts("confirmed", None, False),
     R.ToStaff("staff_escalation", "group", "unclaimed")),
    (R.ESCALATE_UNCLAIMED, R.OrderFacts("assigned", 7, False), R.Skip("order is assigned")),
    (R.ESCALATE_UNCLAIMED_SOON, R.OrderFacts("confirmed", None, False),
     R.ToStaff("staff_escalation", "group", "unclaimed_soon")),
    (R.ESCALATE_NOT_STARTED, R.OrderFacts("assigned", 7, False),
     R.ToStaff("staff_escalation", "group", "not_started")),
    (R.ESCALATE_NOT_STARTED, R.OrderFacts("in_progress", 7, False), R.Skip("order is in_progress")),
    (R.REVIEW_INVITE, R.OrderFacts("completed", 7, False), R.ToCustomer("review_invite", True)),
    (R.REVIEW_REMINDER, R.OrderFacts("completed", 7, True), R.Skip("already reviewed")),
    (R.REVIEW_INVITE, None, R.Skip("order gone")),
    # a worker that was down catches up after the start: "将于…上门" would mislead
    (R.REMIND_CUSTOMER, R.OrderFacts("confirmed", None, False, started=True), R.Skip("the visit's start has passed")),
    (R.REMIND_STAFF, R.OrderFacts("assigned", 7, False, started=True), R.Skip("the visit's start has passed")),
    (R.ESCALATE_NOT_STARTED, R.OrderFacts("assigned", 7, False, started=True),
     R.ToStaff("staff_escalation", "group", "not_started")),
    # caught up with a later reminder of the kind due too (the 24 h beside the 2 h): stale
    (R.REMIND_CUSTOMER, R.OrderFacts("confirmed", None, False, superseded=True),
     R.Skip("a later reminder of the same kind is due too: this one is stale")),
    (R.REMIND_STAFF, R.OrderFacts("assigned", 7, False, superseded=True),
     R.Skip("a later reminder of the same kind is due too: this one is stale")),
    # the after-confirmation escalation beside the before-start one: stale; claimed since: no stale talk
    (R.ESCALATE_UNCLAIMED, R.OrderFacts("confirmed", None, False, superseded=True),
     R.Skip("a later escalation is due too: this one is stale")),
    (R.ESCALATE_UNCLAIMED_SOON, R.OrderFacts("assigned", 7, False, superseded=True), R.Skip("order is assigned")),
])
def test_a_due_job_rechecks_its_order(kind: str, facts: R.OrderFacts | None, expected: R.Action) -> None:
    assert R.decide(kind, facts) == expected


@pytest.mark.parametrize("now, lead", [
    (at(25, 15), {"days": 1, "minutes": 24 * 60}),   # the day before
    (at(26, 13), {"days": 0, "minutes": 120}),       # the same day
    (at(26, 14, 40), {"days": 0, "minutes": 20}),
    (at(25, 23, 30), {"days": 1, "minutes": 930}),   # late the night before: still "tomorrow"
])
def test_a_reminder_says_how_far_off_the_visit_is_when_it_goes(now: dt.datetime, lead: dict) -> None:
    assert R.lead(at(26, 15), now, TZ) == lead


def test_policy_keys_are_validated_and_defaulted() -> None:
    assert demo_catalog().reminders == ReminderPolicy()
    head = "business: {name: x}\nservices: [{id: a, name: {zh: A}}]\n"
    c = parse_catalog(head + "reminders: {customer_hours: [2, 24, 2], quiet_hours: {start: 23:00, end: '07:30'}}")
    assert c.reminders.customer_hours == [24, 2]
    assert c.reminders.quiet_hours == QuietHours(start=dt.time(23), end=dt.time(7, 30))
    assert parse_catalog(head + "reminders: {quiet_hours: null}").reminders.quiet_hours is None
    for bad in ("{customer_hours: [-1]}", "{quiet_hours: {start: '25:00'}}", "{remind_hours: [1]}"):
        with pytest.raises(CatalogError, match="reminders"):
            parse_catalog(head + f"reminders: {bad}")


@pytest.mark.parametrize("text, rating", [
    ("满意", 5), ("非常满意", 5), ("不满意", 2), ("不太满意，角落没擦干净", 2), ("一般", 3), ("差评", 1),
    ("good", 4), ("not good", 2), ("terrible", 1), ("好的", None), ("明天下午3点再约个保洁吧", None), ("", None),
    ("很满意！", 5), ("还行吧", 3),
    # a rating word inside an ordinary sentence is not a rating
    ("不好意思晚点到", None), ("不好意思", None), ("fine thanks", None), ("good morning", None),
])
def test_words_as_ratings(text: str, rating: int | None) -> None:
    assert rating_from_words(text) == rating


def test_no_comment_answers() -> None:
    assert all(is_no_comment(t) for t in ("没有了", "不用了", "no thanks", "No.", "无"))
    assert not any(is_no_comment(t) for t in ("没有准时到", "no one came on time"))


@pytest.mark.parametrize(("kind", "later"), [
    (R.REMIND_CUSTOMER, (R.REMIND_CUSTOMER,)),
    (R.ESCALATE_UNCLAIMED, (R.ESCALATE_UNCLAIMED_SOON, R.ESCALATE_NOT_STARTED)),
    (R.ESCALATE_UNCLAIMED_SOON, (R.ESCALATE_NOT_STARTED,)),
    (R.ESCALATE_NOT_STARTED, ()),
    (R.REVIEW_INVITE, ()),
])
def test_what_makes_a_due_job_stale(kind: str, later: tuple[str, ...]) -> None:
    assert R.superseding(kind) == R.Superseding(later=later)


def test_the_review_nudge_is_stale_beside_its_unsent_invitation() -> None:
    assert R.superseding(R.REVIEW_REMINDER) == R.Superseding(earlier=(R.REVIEW_INVITE,))
    facts = R.OrderFacts("completed", 7, False, superseded=True)
    assert isinstance(R.decide(R.REVIEW_REMINDER, facts), R.Skip)
    assert R.decide(R.REVIEW_INVITE, facts) == R.ToCustomer(R.REVIEW_INVITE, rating_choices=True)
