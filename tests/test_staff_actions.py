"""Staff actions without any channel: the rules the Telegram group and the dashboard share."""

from __future__ import annotations

from sqlalchemy import select

from handlers import privacy
from handlers import staff as staff_logic
from handlers.messages import Inbound
from handlers.outbox import DELIVER
from storage import staff as staff_repo
from storage.models import Order, ScheduledJob, StaffCard
from tests.conftest import Clock

BOOKING = ["我想明天下午3点做个深度保洁", "朝阳区望京SOHO T1 1203", "13812345678", "确认"]


async def _confirmed_order(app) -> Order:
    for n, text in enumerate(BOOKING):
        await app.conversations.handle(Inbound(channel="console", user_id="c1", text=text, message_id=str(n)))
    async with app.db.sessions() as s:
        return (await s.execute(select(Order))).scalar_one()


async def _act(app, order_id: int, action: str, who: str, clock: Clock) -> staff_logic.Outcome:
    async with app.db.sessions.begin() as s:
        staff = await staff_repo.identify(s, "web", who, who)
        return await staff_logic.act(s, order_id, action, staff, app.catalog, clock())


async def _jobs(app, kind: str) -> list[ScheduledJob]:
    async with app.db.sessions() as s:
        return list((await s.execute(select(ScheduledJob).where(ScheduledJob.kind == kind)
                                     .order_by(ScheduledJob.id))).scalars())


async def test_actions_follow_the_rules_and_queue_what_follows(make_app, clock: Clock) -> None:
    app = await make_app()
    order = await _confirmed_order(app)
    # No staff channel subscribed here: no card is queued, and none is refreshed later.
    assert await _jobs(app, staff_logic.CARD) == []

    assert (await _act(app, order.id, "start", "ann", clock)).reason == "not_allowed"
    won = await _act(app, order.id, "claim", "ann", clock)
    assert won.ok and won.order.status == "assigned"
    assert (await _act(app, order.id, "claim", "ben", clock)).reason == "taken"
    assert (await _act(app, order.id, "claim", "ann", clock)).reason == "already_yours"
    assert (await _act(app, order.id, "done", "ben", clock)).reason == "not_yours"
    assert (await _act(app, order.id, "fly", "ann", clock)).reason == "not_allowed"
    assert (await _act(app, 999, "claim", "ann", clock)).reason == "not_found"
    assert (await _act(app, order.id, "start", "ann", clock)).reason == "too_early", "the visit is tomorrow"
    clock.now = won.order.start_at - staff_logic.START_MARGIN
    assert (await _act(app, order.id, "start", "ann", clock)).ok
    assert (await _act(app, order.id, "done", "ann", clock)).order.status == "completed"

    notices = [j.payload["template"] for j in await _jobs(app, DELIVER)]
    # Done is told by the review invitation, due at once (one message, not two in a row).
    assert notices == ["order_claimed", "order_started"], "one notice per step taken"
    assert [j.due_at for j in await _jobs(app, "review_invite")] == [clock()]
    assert all(j.payload["data"]["staff"] == "ann" for j in await _jobs(app, DELIVER))
    assert await _jobs(app, staff_logic.CARD) == [], "no card, nothing to refresh"


async def test_a_confirmation_queues_its_card_once_with_the_order(make_app, clock: Clock) -> None:
    app = await make_app()
    app.conversations.subscribe_in_transaction(staff_logic.on_order_event)
    order = await _confirmed_order(app)
    [card_job] = await _jobs(app, staff_logic.CARD)
    assert card_job.payload == {"order_id": order.id} and card_job.order_id == order.id
    async with app.db.sessions.begin() as s:
        s.add(StaffCard(order_id=order.id, channel="web", chat_id="board", message_id="1"))
    await _act(app, order.id, "claim", "ann", clock)
    assert len(await _jobs(app, staff_logic.CARD)) == 2, "a card that exists is refreshed"


def test_masks_and_the_relay_rule() -> None:
    from handlers.state import CONFIRMING, DialogueState
    from nlu.types import ParseResult

    assert privacy.mask_phone("13812345678") == "138****5678"
    assert privacy.mask_phone("+447700900123") == "+44******0123"
    assert privacy.mask_address("12 Baker Street, Flat 3") == "** Baker Street, Flat *"
    idle, booking = DialogueState(), DialogueState(stage=CONFIRMING, draft={"service": "x"})
    chat = ParseResult(intent="other", confidence=0.3, lang="zh")
    assert staff_logic.relays(idle, chat) and staff_logic.relays(booking, chat), "mid-booking too: 在吗？？"
    answer = ParseResult(intent="other", confidence=0.9, slots={"address": "望京SOHO"}, lang="zh")
    assert not staff_logic.relays(booking, answer), "the booking's question is answered"
    asked = ParseResult(intent="book", confidence=0.9, lang="zh", flags={"request": True})
    assert not staff_logic.relays(idle, asked), "a booking asked for clearly is the bot's"


async def test_action_times_follow_the_service_clock(make_app, clock: Clock) -> None:
    """`completed_at` and the events are stamped with the caller's clock, not the wall
    clock, so reports and tests agree on when the work was done."""
    from storage.models import OrderEvent

    app = await make_app()
    order = await _confirmed_order(app)
    clock.advance(hours=20)  # the visit's afternoon, a day after the reference moment
    claimed_at = clock()
    await _act(app, order.id, "claim", "ann", clock)
    clock.advance(hours=2, minutes=30)
    assert (await _act(app, order.id, "done", "ann", clock)).ok
    async with app.db.sessions() as s:
        done = await s.get(Order, order.id)
        events = {e.kind: e.at for e in (await s.execute(
            select(OrderEvent).where(OrderEvent.order_id == order.id))).scalars()}
    assert done.completed_at == clock() and done.updated_at == clock()
    assert events["claim"] == claimed_at and events["done"] == clock()
