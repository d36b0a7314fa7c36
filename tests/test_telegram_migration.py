"""The staff group becomes a supergroup (Telegram does it on its own) and nothing stops.

After the upgrade the old chat id is refused by every call, with the new id in
`parameters.migrate_to_chat_id`; the fake Bot API does the same. The service
learns the new id from that refusal or from the service messages, keeps it in
the database for every process, posts cards there and takes staff actions from
there. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from sqlalchemy import select

from storage import jobs
from storage.models import ChatMigration, ScheduledJob, StaffCard
from tests.fake_telegram import FakeTelegram, buttons, group
from tests.test_telegram import ALICE, BOB, CAROL, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401

SUPER = -1009005  # what the staff group STAFF became
SETTING_HINT = f"set JIEDAN_TELEGRAM_STAFF_CHAT_ID={SUPER}"


def refused(fake: FakeTelegram) -> list[tuple[str, Any]]:
    """The calls the fake Bot API turned down, as (method, chat)."""
    return [(c.method, c.params.get("chat_id")) for c in fake.calls if not c.ok]


async def moves(app: Any) -> dict[str, str]:
    async with app.db.sessions() as s:
        return {m.old_chat_id: m.new_chat_id for m in (await s.execute(select(ChatMigration))).scalars()}


async def failed_jobs(app: Any) -> list[str]:
    async with app.db.sessions() as s:
        failed = select(ScheduledJob.kind).where(ScheduledJob.status == jobs.FAILED)
        return list((await s.execute(failed)).scalars())


async def test_a_card_after_the_upgrade_lands_in_the_supergroup_and_staff_work_there(  # noqa: F811
        tg: Harness, caplog: pytest.LogCaptureFixture, clock) -> None:
    fake = tg.fake
    fake.upgrade(STAFF, SUPER, BOB)  # the service messages never reached us: only the refusal tells
    order = await tg.book()
    with caplog.at_level(logging.WARNING, logger="bot.telegram.staff_chat"):
        await tg.flush()
    [card_text] = fake.texts(SUPER)
    assert order.number in card_text, "the card was sent again, in the supergroup"
    assert refused(fake) == [("sendMessage", STAFF)]
    assert await failed_jobs(tg.app) == []
    assert await moves(tg.app) == {str(STAFF): str(SUPER)}
    assert SETTING_HINT in caplog.text

    # Staff act in the supergroup: claim, then talk to the customer through the card.
    card = fake.last(SUPER)
    assert await tg.press(CAROL, card, "🙋 接单") == 200
    assert "已接单" in fake.answers()[-1]["text"]
    assert (await tg.order()).assignee.name == "Carol"
    await tg.flush()
    card = fake.message(SUPER, card["message_id"])
    assert "Carol" in card["text"] and list(buttons(card)) == ["▶️ 开始服务", "✅ 完成", "↩️ 退回"]
    assert "已有师傅接单" in fake.texts(ALICE["id"])[-1]
    await tg.say(CAROL, "我十分钟后到", chat=group(SUPER), reply_to=card)
    await tg.flush()
    assert "我十分钟后到" in fake.texts(ALICE["id"])[-1]
    clock.now = (await tg.order()).start_at - dt.timedelta(hours=1)  # Start works from 2 h before
    assert await tg.press(CAROL, card, "▶️ 开始服务") == 200  # before the booked time, done needs a start
    assert await tg.press(CAROL, card, "✅ 完成") == 200
    assert (await tg.order()).status == "completed"
    assert refused(fake) == [("sendMessage", STAFF)], "the old id was asked once, never again"


@pytest.mark.parametrize("how", ["service-message", "refused-alert"])
async def test_open_orders_cards_follow_the_group_into_the_supergroup(  # noqa: F811
        tg: Harness, clock, how: str) -> None:
    fake = tg.fake
    order = await tg.book()
    await tg.flush()
    assert len(fake.texts(STAFF)) == 1, "the card is in the old group"
    to_update, _ = fake.upgrade(STAFF, SUPER, BOB)
    if how == "service-message":
        assert await tg.post(to_update) == 200
    else:
        clock.advance(minutes=16)  # nobody claimed it: the escalation to the group is refused, then sent there
        await tg.flush()
        assert refused(fake) == [("sendMessage", STAFF)] and order.number in fake.texts(SUPER)[0]
    await tg.flush()
    card = fake.last(SUPER)
    assert order.number in card["text"] and list(buttons(card)) == ["🙋 接单"], "posted again, with its buttons"
    assert await tg.press(CAROL, card, "🙋 接单") == 200
    await tg.flush()
    assert "Carol" in fake.message(SUPER, card["message_id"])["text"]
    assert (await tg.order()).status == "assigned" and await failed_jobs(tg.app) == []
    assert len(fake.texts(STAFF)) == 1 and all(chat == STAFF for _, chat in refused(fake))


async def test_a_change_to_a_card_left_behind_posts_it_in_the_supergroup(tg: Harness) -> None:  # noqa: F811
    fake = tg.fake
    order = await tg.book()
    await tg.flush()
    fake.upgrade(STAFF, SUPER, BOB)  # not heard of: the card's edit is what is refused
    await tg.say(ALICE, f"取消订单{order.number}")
    await tg.press(ALICE, fake.last(ALICE["id"]), "确定取消")
    await tg.flush()
    async with tg.app.db.sessions() as s:
        kept = await s.get(StaffCard, order.id)
    assert kept is not None and int(kept.chat_id) == SUPER, "the order's card is the new one"
    card = fake.message(SUPER, int(kept.message_id))
    assert order.number in card["text"] and "已取消" in card["text"] and buttons(card) == {}
    assert any("已取消订单" in t for t in fake.texts(SUPER)), "and the thread's news went there too"
    assert ("editMessageText", STAFF) in refused(fake) and all(chat == STAFF for _, chat in refused(fake))
    assert await moves(tg.app) == {str(STAFF): str(SUPER)} and await failed_jobs(tg.app) == []


@pytest.mark.parametrize("signal", ["migrate_to", "migrate_from"])
async def test_the_service_message_records_the_move(  # noqa: F811
        tg: Harness, signal: str, caplog: pytest.LogCaptureFixture) -> None:
    fake = tg.fake
    to_update, from_update = fake.upgrade(STAFF, SUPER, BOB)
    with caplog.at_level(logging.WARNING, logger="bot.telegram.staff_chat"):
        assert await tg.post(to_update if signal == "migrate_to" else from_update) == 200
    assert await moves(tg.app) == {str(STAFF): str(SUPER)}
    assert SETTING_HINT in caplog.text
    order = await tg.book()
    await tg.flush()
    assert order.number in fake.texts(SUPER)[0]
    assert refused(fake) == [], "straight to the supergroup"

    # Another group the bot is in becoming a supergroup is none of the staff chat's business.
    other_to, _ = fake.upgrade(-100777, -100778, BOB)
    assert await tg.post(other_to) == 200
    assert await moves(tg.app) == {str(STAFF): str(SUPER)}


async def test_other_processes_follow_the_move(tg: Harness, serve_telegram) -> None:  # noqa: F811
    fake = tg.fake
    running = await serve_telegram()  # started before the upgrade, and has read the staff chat
    assert await running.app.telegram.staff_chat.current() == STAFF
    to_update, _ = fake.upgrade(STAFF, SUPER, BOB)
    assert await tg.post(to_update) == 200  # this process hears of it

    # A process started afterwards reads the move from the database before its first card.
    fresh = await serve_telegram()
    order = await tg.book()
    await fresh.flush()
    assert order.number in fake.texts(SUPER)[0] and refused(fake) == []

    # A process that read the staff chat before the move looks again when a press comes
    # from a group it does not know (here at once; by default at most once a second).
    running.app.telegram.staff_chat.recheck_seconds = 0
    assert await running.press(CAROL, fake.last(SUPER), "🙋 接单") == 200
    assert "已接单" in fake.answers()[-1]["text"] and (await tg.order()).status == "assigned"
    # Its worker follows too: the card is refreshed in the supergroup.
    await running.flush()
    assert "Carol" in fake.last(SUPER)["text"] and refused(fake) == []
