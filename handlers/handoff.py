"""A customer asked for a person: the staff group is told, so the answer's promise
("已为您通知人工客服") is kept.

The alert is queued in the turn's transaction (`outbox.alert_staff`), like every
staff alert: it is sent by the worker, and lost neither by a crash nor by a
rollback. Asking again and again within the hour alerts staff once.

A reply to the alert in the staff chat goes to the customer, and what the
customer writes next goes to staff, until the talk has been quiet for a while
(`handlers.staff.person_thread`): a person takes over from the bot.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.outbox import GROUP, alert_staff
from storage import orders as order_repo
from storage.models import CHANGEABLE_STATUSES, Customer, Order

TEMPLATE = "staff_human_request"
MAX_QUOTE = 300   # enough of the customer's words for staff to know what it is about
MAX_ORDERS = 3    # the open orders named, whose cards staff can reply to


def handoff_key(customer_id: int, now: dt.datetime) -> str:
    """One alert per customer and clock hour: repeats in a hurry are one request."""
    return f"human:{customer_id}:{now.astimezone(dt.timezone.utc):%Y%m%d%H}"


async def ask_for_person(session: AsyncSession, customer: Customer, channel: str, text: str,
                         now: dt.datetime, tz: ZoneInfo, *,
                         complaint: str | None = None,
                         draft: dict[str, Any] | None = None,
                         phone: str | None = None) -> tuple[bool, Order | None]:
    """Queue the staff alert (False when this hour's was queued already), and the open
    order a late technician's complaint is about: today's (`late_order`), which staff see
    first and the customer hears named. Either way the customer's words go to staff from
    now on, until someone answers them (`handlers.staff.relay_to_staff`). `draft`: the
    booking under way, whose service and time the alert shows (`booking_asked`). `phone`: one
    said in the request ("转人工，我电话139…"), the number to call when we have none on record."""
    customer.human_requested_at = now
    active = await order_repo.active_for_customer(session, customer.id)
    today = late_order(active, now.astimezone(tz).date()) if complaint == "late" else None
    named = [today, *(o for o in active if o is not today)] if today else active
    data = {"customer_id": customer.id, "name": customer.display_name, "phone": customer.phone or phone,
            "channel": channel, "text": text.strip()[:MAX_QUOTE], "complaint": complaint,
            "orders": [o.number for o in named[:MAX_ORDERS]], "draft": booking_asked(draft)}
    alerted = await alert_staff(session, template=TEMPLATE, due_at=now, to=GROUP, data=data,
                                key=handoff_key(customer.id, now), customer_id=customer.id)
    return alerted, today


def booking_asked(draft: dict[str, Any] | None) -> dict[str, Any] | None:
    """What staff are shown of a booking under way when its customer asks for a person
    (pure): its service and when, as far as said; None before a service is named."""
    if not draft or not draft.get("service"):
        return None
    return {k: draft.get(k) for k in ("service", "date", "time", "period")}


def late_order(active: list[Order], today: dt.date) -> Order | None:
    """The booked order a "师傅迟到了" is about (pure): the first of the customer's open
    orders (`active`, soonest first) that is for today; a complaint about an old visit
    names none."""
    return next((o for o in active if o.date == today), None)


def overdue_order(active: list[Order], now: dt.datetime, today: dt.date, grace: dt.timedelta) -> Order | None:
    """Today's booked order whose visit should have begun `grace` ago and has not (still
    confirmed or assigned), soonest first (pure). A customer asking after their orders
    then ("阿姨怎么还没来", "我的订单呢", "when will the cleaner arrive?") is waiting for a late
    technician, as "师傅迟到了" says in words: a person must put it right. An earlier day's
    order left unstarted is staff forgetting to press a button, not someone at the door."""
    return next((o for o in active if o.status in CHANGEABLE_STATUSES and o.date == today
                 and o.start_at + grace <= now), None)


def alerted_this_hour(customer: Customer, now: dt.datetime) -> bool:
    """Whether this clock hour's alert was queued (`handoff_key`): asking again now adds
    the words to the request's thread rather than a second alert."""
    asked = customer.human_requested_at
    return asked is not None and handoff_key(customer.id, asked) == handoff_key(customer.id, now)


def end_talk(customer: Customer) -> None:
    """The customer needs no person after all ("不用了" to the wait, "不需要人工了"): no
    talk with a person is open any more, so the bot answers them again and the
    dashboard stops listing them as waiting. A staff message later opens it again."""
    customer.human_requested_at = None
    customer.staff_replied_at = None
