"""Correctness gaps under the conversation: what is stamped with which clock, a pin or a
building said again, the shop's address on orders, and money in currencies without
cents. The test clock is Tuesday 2026-11-24 20:00 in Shanghai (days before the wall
clock), so a timestamp taken from the wall clock shows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from handlers.privacy import PIN
from handlers.reading import location_payload
from nlu.corrections import with_room
from storage.models import ConversationState, MessageLog, Staff, StaffCard
from tests.test_dialogue import Customer, all_orders
from tests.test_telegram import ALICE, BOB, Harness, fake, serve_telegram, tg  # noqa: F401 - fixtures


# ------------------------------------------------------------------ 1. one clock for every stamp
async def test_the_message_log_is_stamped_with_the_apps_clock(make_app, clock) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("你好")
    async with app.db.sessions() as s:
        stamps = list((await s.execute(select(MessageLog.created_at))).scalars())
        saved = (await s.execute(select(ConversationState.updated_at))).scalar_one()
    assert len(stamps) == 2
    assert all(abs(_aware(t) - clock()) < dt.timedelta(seconds=1) for t in stamps), stamps
    assert abs(_aware(saved) - clock()) < dt.timedelta(seconds=1), saved


async def test_a_draft_left_for_over_a_month_by_the_apps_clock_is_forgotten(make_app, clock) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想明年3月2日下午3点做个深度保洁")
    clock.advance(days=31)
    reply = await c.say("朝阳区望京SOHO T1 1203")
    assert "电话" not in reply and "深度保洁" not in reply, reply


async def test_a_draft_is_kept_within_the_month_by_the_apps_clock(make_app, clock) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想明年3月2日下午3点做个深度保洁")
    clock.advance(days=20)
    assert "电话" in await c.say("朝阳区望京SOHO T1 1203")


async def test_staff_and_their_cards_are_stamped_with_the_apps_clock(tg: Harness, clock) -> None:
    order = await tg.book()
    await tg.flush()
    await tg.press(BOB, tg.card(), "🙋 接单")
    await tg.flush()
    async with tg.app.db.sessions() as s:
        staff = (await s.execute(select(Staff.created_at))).scalars().all()
        cards = (await s.execute(select(StaffCard.created_at))).scalars().all()
        logged = (await s.execute(select(MessageLog.created_at))).scalars().all()
    assert order.created_at is not None
    for t in [*staff, *cards, *logged]:
        assert abs(_aware(t) - clock()) < dt.timedelta(minutes=5), (t, clock())


def _aware(t: dt.datetime) -> dt.datetime:
    """SQLite hands back naive UTC."""
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


# ------------------------------------------------------------------ 2. a later map pin stands
async def test_a_second_pin_while_drafting_replaces_the_first(make_app) -> None:
    app = await make_app()
    c = Customer(app, channel="telegram")
    await c.say("我想明天下午3点做个深度保洁，家里有猫")
    await c.say(payload=location_payload(39.99, 116.47))
    await c.say(payload=location_payload(39.98, 116.46))
    await c.say("朝阳区望京SOHO T1 1203")
    summary = await c.say("13812345678")
    assert "39.980000" in summary and "39.990000" not in summary, summary
    assert "家里有猫" in summary, "the rest of the note is kept"
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert order.notes.count(PIN) == 1 and "116.460000,39.980000" in order.notes, order.notes
    assert "家里有猫" in order.notes, order.notes


async def test_a_second_pin_at_the_summary_replaces_the_first(make_app) -> None:
    app = await make_app()
    c = Customer(app, channel="telegram", lang="en")
    await c.say("deep cleaning tomorrow 3pm, 5 Main Street flat 2, 13812345678")
    await c.say(payload=location_payload(39.99, 116.47))
    summary = await c.say(payload=location_payload(39.98, 116.46))
    assert "39.980000" in summary and "39.990000" not in summary, summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert order.notes.count(PIN) == 1 and "39.980000" in order.notes, order.notes


# ------------------------------------------------------------------ 3. a building said alone
async def test_a_building_alone_after_the_address_replaces_its_building(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点深度保洁")
    await c.say("望京SOHO T1")
    reply = await c.say("4号楼")
    assert "望京SOHO 4号楼" in reply and "T1" not in reply, reply
    summary = await c.say("13812345678")
    assert "望京SOHO 4号楼" in summary and "T1" not in summary, summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert order.address == "望京SOHO 4号楼", order.address


@pytest.mark.parametrize("address,said,fixed", [
    ("望京SOHO T1", "4号楼", "望京SOHO 4号楼"),
    ("朝阳区望京SOHO T1", "5栋", "朝阳区望京SOHO 5栋"),
    ("朝阳区幸福小区A座", "B座", "朝阳区幸福小区B座"),
    ("朝阳区幸福小区T1栋", "4号楼", "朝阳区幸福小区4号楼"),
    # kept as they were: a building's room, a unit that is no building, a street's number
    ("望京SOHO T1-1203", "4号楼", "望京SOHO 4号楼1203"),
    ("望京SOHO T1", "3单元", "望京SOHO T1 3单元"),
    ("朝阳区建国路88号", "4号楼", "朝阳区建国路88号4号楼"),
    ("望京SOHO", "4号楼", "望京SOHO 4号楼"),
])
def test_a_building_alone_puts_right_the_building_an_address_ends_with(address: str, said: str, fixed: str) -> None:
    assert with_room(address, said) == fixed
