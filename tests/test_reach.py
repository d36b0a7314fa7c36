"""Customers we can no longer write to, below the channels: which refusals mean the
person is out of reach, marking, skipping, staff chats left out, coming back.
(End to end with the real libraries: tests/test_wechat.py and tests/test_telegram.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import SendMessage
from sqlalchemy import func, select
from wechatpy.exceptions import WeChatClientException

from bot.telegram.unreachable import as_private_chat_errors, unreachable_reason
from bot.wechat_client import classify
from handlers.messages import CAME_BACK, LEFT, Inbound
from handlers.outbox import Undeliverable, Unreachable, alert_staff
from handlers.worker import _REACH
from storage import customers, jobs
from storage.models import ChannelIdentity, Customer, MessageLog, ScheduledJob
from tests.conftest import Clock
from tests.reminder_helpers import Sent
from tests.test_worker import RecordingSender, _customer, _job, _queue

SEND = SendMessage(chat_id=1001, text="hi")


@pytest.mark.parametrize(("error", "reason"), [
    (TelegramForbiddenError(SEND, "Forbidden: bot was blocked by the user"), "blocked"),
    (TelegramForbiddenError(SEND, "Forbidden: user is deactivated"), "gone"),
    (TelegramBadRequest(SEND, "Bad Request: chat not found"), "gone"),
    (TelegramBadRequest(SEND, "Bad Request: message is too long"), None),
    (TelegramRetryAfter(SEND, "Too Many Requests", 5), None),
    (ValueError("not Telegram's"), None),
])
def test_which_telegram_refusals_mean_the_person_is_out_of_reach(error: Exception,
                                                                reason: str | None) -> None:
    assert unreachable_reason(error) == reason


async def test_a_group_chat_refusing_never_marks_a_customer() -> None:
    blocked = TelegramForbiddenError(SEND, "Forbidden: bot was blocked by the user")
    with pytest.raises(Unreachable) as private:
        async with as_private_chat_errors("message", 1001):
            raise blocked
    assert private.value.reason == "blocked"
    with pytest.raises(Undeliverable) as group:
        async with as_private_chat_errors("message", -100500):
            raise TelegramForbiddenError(SEND, "Forbidden: bot was kicked from the supergroup chat")
    assert not isinstance(group.value, Unreachable)


@pytest.mark.parametrize(("code", "reason"), [(43004, "unsubscribed"), (43019, "blocked"), (40003, "gone")])
def test_wechat_codes_that_mean_the_person_is_out_of_reach(code: int, reason: str) -> None:
    verdict = classify(WeChatClientException(code, "refused"))
    assert isinstance(verdict, Unreachable) and verdict.reason == reason


def test_a_closed_window_is_undeliverable_but_not_unreachable() -> None:
    verdict = classify(WeChatClientException(45015, "response out of time limit"))
    assert isinstance(verdict, Undeliverable) and not isinstance(verdict, Unreachable)


async def _identity(app) -> ChannelIdentity:  # noqa: ANN001
    async with app.db.sessions() as s:
        return (await s.execute(select(ChannelIdentity))).scalar_one()


async def test_a_refusal_marks_later_jobs_are_skipped_and_a_message_clears_it(make_app, clock: Clock) -> None:
    app = await make_app()
    sender = RecordingSender(fail_with=[Unreachable("blocked by the user", "blocked")])
    app.worker.add_sender("fake", sender)
    cid = await _customer(app)
    await _queue(app, cid, "first")
    await _queue(app, cid, "second")
    await app.worker.run_once()
    assert sender.sent == [], "the second job was not tried after the first found them gone"
    assert (await _job(app, "first")).status == jobs.FAILED
    second = await _job(app, "second")
    assert second.status == jobs.SKIPPED and "blocked" in second.last_error
    ident = await _identity(app)
    assert (ident.unreachable_reason, ident.unreachable_since) == ("blocked", clock.now)

    clock.advance(minutes=5)
    await app.conversations.handle(Inbound(channel="fake", user_id="u1", text="你好", message_id="m1"))
    assert (await _identity(app)).unreachable_since is None
    await _queue(app, cid, "third")
    await app.worker.run_once()
    assert [m.key for _, m in sender.sent] == ["third"]


async def test_a_staff_chat_refusing_marks_nobody(make_app, clock: Clock) -> None:
    app = await make_app()

    class RefusingStaff(Sent):
        async def send_staff(self, to, message):  # noqa: ANN001, ANN202
            raise Unreachable("bot was blocked by the user", "blocked")

    app.worker.set_staff_sender(RefusingStaff(clock))
    await _customer(app)
    async with app.db.sessions.begin() as s:
        await alert_staff(s, template="staff_message", due_at=clock.now, key="alert",
                          data={"number": "20261124-0001", "text": "x", "staff": None})
    await app.worker.run_once()
    assert (await _job(app, "alert")).status == jobs.FAILED
    assert (await _identity(app)).unreachable_since is None


async def test_an_unsubscribe_is_marked_once_and_answered_with_nothing(make_app, clock: Clock) -> None:
    app = await make_app()
    left = Inbound(channel="fake", user_id="u1", event=LEFT, reason="unsubscribed", message_id="ev:u1:1")
    assert await app.conversations.handle(left) == []
    async with app.db.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(Customer))).scalar_one() == 0, \
            "a stranger leaving creates nobody"

    await _customer(app)
    assert await app.conversations.handle(left) == []
    assert (await _identity(app)).unreachable_reason == "unsubscribed"
    await app.conversations.handle(Inbound(channel="fake", user_id="u1", payload="welcome",
                                           message_id="ev:u1:2"))
    assert (await _identity(app)).unreachable_since is None
    assert await app.conversations.handle(left) == []
    assert (await _identity(app)).unreachable_since is None, "a late retry of the old event changes nothing"
    async with app.db.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(ScheduledJob))).scalar_one() == 0, \
            "no open orders: no staff alert"


async def test_a_block_and_a_comeback_without_a_message(make_app, clock: Clock) -> None:
    """Any channel's LEFT (with its reason) and CAME_BACK: nothing answered, nobody created,
    each acted on once, so a late retry of the block cannot undo the comeback."""
    app = await make_app()
    blocked = Inbound(channel="fake", user_id="u1", event=LEFT, reason="blocked", message_id="b1")
    back = Inbound(channel="fake", user_id="u1", event=CAME_BACK, message_id="c1")
    assert await app.conversations.handle(back) == []
    assert await app.conversations.handle(blocked) == []
    async with app.db.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(Customer))).scalar_one() == 0, \
            "strangers blocking or unblocking create nobody"

    await _customer(app)
    assert await app.conversations.handle(back) == [], "a comeback of someone never marked: harmless"
    assert await app.conversations.handle(blocked) == []
    ident = await _identity(app)
    assert (ident.unreachable_reason, ident.unreachable_since) == ("blocked", clock.now)
    clock.advance(minutes=1)
    assert await app.conversations.handle(Inbound(channel="fake", user_id="u1", event=CAME_BACK,
                                                  message_id="c2")) == []
    assert (await _identity(app)).unreachable_since is None
    assert await app.conversations.handle(blocked) == []
    assert (await _identity(app)).unreachable_since is None, "the block's retry changes nothing"
    assert await app.conversations.handle(Inbound(channel="fake", user_id="u1", event="typing",
                                                  message_id="t1")) == [], "an unknown event: ignored"
    async with app.db.sessions() as s:
        logged = (await s.execute(select(MessageLog.direction, MessageLog.meta)
                                  .order_by(MessageLog.id))).all()
    assert [m for _, m in logged if m] == [{"event": "came_back"}, {"event": "left", "reason": "blocked"},
                                           {"event": "came_back"}], "each event once, of a known customer"
    assert {d for d, _ in logged} == {"in"}, "nothing was answered"


async def test_the_order_rows_say_whether_the_channel_written_from_last_reaches_them(
        make_app, clock: Clock) -> None:
    app = await make_app()
    async with app.db.sessions.begin() as s:
        cid = (await customers.identify(s, "fake", "u1", now=clock.now))[0].id
        wechat = ChannelIdentity(customer_id=cid, channel="wechat", external_id="o1",
                                 last_inbound_at=clock.now - dt.timedelta(days=1), created_at=clock.now)
        s.add(wechat)
        await s.flush()
        await customers.mark_unreachable(s, wechat.id, "unsubscribed", clock.now)
    async with app.db.sessions() as s:
        idents = await customers.identities_of(s, cid)
        assert customers.reached_on(idents).channel == "fake"
        assert customers.reached_on([]) is None

    clock.advance(minutes=5)  # now they write on WeChat, and then unfollow there
    await app.conversations.handle(Inbound(channel="wechat", user_id="o1", text="你好", message_id="w1"))
    await app.conversations.handle(Inbound(channel="wechat", user_id="o1", event=LEFT,
                                           reason="unsubscribed", message_id="w2"))
    async with app.db.sessions() as s:
        assert customers.reached_on(await customers.identities_of(s, cid)).channel == "wechat"
        found = (await s.execute(_REACH, {"customer_id": cid})).first()
        assert found[0].channel == "wechat", "the worker picks the same one"


async def test_a_reachable_customer_s_message_costs_no_card_statement(make_app, clock: Clock) -> None:
    """The turn clears a mark from what it has already read: a reachable customer's message
    runs the same statements as before (nothing about cards); a marked one's comeback looks
    for their open orders' cards once and queues a refresh of each."""
    from sqlalchemy import event

    from handlers import reach
    from handlers import staff as staff_logic
    from storage.models import StaffCard
    from tests.test_staff_actions import _confirmed_order

    app = await make_app()
    order = await _confirmed_order(app)  # customer c1 on the console channel
    async with app.db.sessions.begin() as s:
        s.add(StaffCard(order_id=order.id, channel="fake", chat_id="staff", message_id="1"))
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement.lower())

    event.listen(app.db.engine.sync_engine, "before_cursor_execute", record)
    try:
        await app.conversations.handle(Inbound(channel="console", user_id="c1", text="你好", message_id="r1"))
        assert not [q for q in seen if "staff_cards" in q], "reachable: no card statement"
        async with app.db.sessions.begin() as s:
            ident = (await s.execute(select(ChannelIdentity))).scalar_one()
            assert await reach.mark(s, ident, "blocked", clock())
        seen.clear()
        clock.advance(minutes=1)
        await app.conversations.handle(Inbound(channel="console", user_id="c1", text="你好", message_id="r2"))
        assert len([q for q in seen if "staff_cards" in q]) == 1, "one look for their cards"
    finally:
        event.remove(app.db.engine.sync_engine, "before_cursor_execute", record)
    async with app.db.sessions() as s:
        refreshes = (await s.execute(select(ScheduledJob.dedupe_key).where(
            ScheduledJob.kind == staff_logic.CARD))).scalars().all()
    assert [k.split(":")[2] for k in refreshes] == ["unreachable", "reachable"], refreshes
    assert all(k.startswith(f"{staff_logic.CARD}:{order.id}:") for k in refreshes)
