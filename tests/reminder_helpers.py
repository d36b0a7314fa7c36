"""Shared pieces for the reminder and review tests: a customer on the console
channel, recording senders for customers and staff, staff actions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from handlers import staff as staff_logic
from handlers.messages import Inbound, Reply
from handlers.outbox import Address, Outgoing, StaffAddress
from storage import staff as staff_repo
from storage.models import Order, ScheduledJob
from tests.conftest import Clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


class Sent:
    """Customer messages and staff alerts as the channels received them, with when."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.customer: list[tuple[dt.datetime, Address, Outgoing]] = []
        self.staff: list[tuple[dt.datetime, StaffAddress, Outgoing]] = []

    async def send(self, to: Address, message: Outgoing) -> str | None:
        self.customer.append((self.clock(), to, message))
        return f"c{len(self.customer)}"

    async def send_staff(self, to: StaffAddress, message: Outgoing) -> str | None:
        self.staff.append((self.clock(), to, message))
        return f"s{len(self.staff)}"

    def templates(self) -> list[str]:
        return [m.template for _, _, m in self.customer]

    def staff_templates(self) -> list[tuple[str, object]]:
        return [(m.template, m.data.get("reason") or m.data.get("rating")) for _, _, m in self.staff]


def wire(app, clock: Clock, channel: str = "console") -> Sent:
    sent = Sent(clock)
    app.worker.add_sender(channel, sent)
    app.worker.set_staff_sender(sent)
    return sent


class Customer:
    def __init__(self, app, user: str = "u1", channel: str = "console") -> None:
        self.app, self.user, self.channel = app, user, channel
        self.last: Reply | None = None

    async def say(self, text: str = "", *, payload: str | None = None) -> str:
        [reply] = await self.app.conversations.handle(Inbound(
            channel=self.channel, user_id=self.user, text=text, payload=payload))
        self.last = reply
        return reply.text

    @property
    def payloads(self) -> list[str]:
        return [c.payload for c in self.last.choices] if self.last else []


async def book(app, text: str, user: str = "u1") -> Order:
    c = Customer(app, user)
    await c.say(text + "，地址朝阳区望京SOHO T1-1203，电话13812345678")
    assert c.payloads[0] == "affirm", c.last
    await c.say("确认")
    async with app.db.sessions() as s:
        order = (await s.execute(select(Order).where(Order.status == "confirmed")
                                 .order_by(Order.id.desc()))).scalars().first()
    assert order is not None and order.number in c.last.text
    return order


async def staff_do(app, order_id: int, action: str, who: str = "s1", name: str = "王师傅") -> int:
    """A staff action as every staff front-end does it (`handlers.staff.act`)."""
    async with app.db.sessions.begin() as s:
        staff = await staff_repo.identify(s, "telegram", who, name)
        outcome = await staff_logic.act(s, order_id, action, staff, app.catalog, app.worker.clock(),
                                        ZoneInfo(app.timezone))
        assert outcome.ok, (action, outcome.reason)
        return staff.id


async def pending(app, order_id: int) -> dict[str, dt.datetime]:
    async with app.db.sessions() as s:
        rows = (await s.execute(select(ScheduledJob).where(
            ScheduledJob.order_id == order_id, ScheduledJob.status == "pending"))).scalars()
        # dedupe keys read "o<order>:g<generation>:<plan key>", e.g. "o1:g3f…:remind_customer:24h"
        return {j.dedupe_key.split(":", 2)[2]: j.due_at.astimezone(SHANGHAI) for j in rows}


async def run_until(app, clock: Clock, when: dt.datetime) -> None:
    """Move the clock to `when` and run what is due then."""
    assert when >= clock.now, (when, clock.now)
    clock.now = when
    await app.worker.run_once()
