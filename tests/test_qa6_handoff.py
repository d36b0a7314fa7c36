"""Hands-on QA of talking to a person (round 6), kept as tests: while a customer waits
for a person or talks with one, what they write goes to staff and is not read as a new
booking; a complaint (a late technician, an overcharge, damage, a refund) is answered
with an apology and handed to a person, like a request for one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from handlers import backoffice
from handlers.messages import Inbound
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from storage.models import Customer as CustomerRow
from tests.reminder_helpers import wire
from tests.test_dialogue import all_orders
from tests.test_dialogue_qa import booked
from tests.test_telegram import ALICE, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401 - fixtures

T0 = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.timezone.utc)


class Chat:
    """One console customer; `say` returns the answer's text ("" when the bot keeps quiet)."""

    def __init__(self, app, user: str = "u1", lang: str | None = None) -> None:
        self.app, self.user, self.lang = app, user, lang

    async def say(self, text: str) -> str:
        replies = await self.app.conversations.handle(Inbound(
            channel="console", user_id=self.user, text=text, lang_hint=self.lang))
        return "\n".join(r.text for r in replies)


async def _staff_reply(app, clock, text: str) -> None:
    """A person answers the (only) customer from the dashboard."""
    async with app.db.sessions.begin() as s:
        customer = (await s.execute(select(CustomerRow))).scalar_one()
        assert (await backoffice.message_customer(s, customer.id, text, clock.now, sender="王经理",
                                                  key=text)).ok


async def _inbound_texts(app) -> list[str]:
    """What the dashboard shows of the customer's own words."""
    from storage.models import MessageLog as Message

    async with app.db.sessions() as s:
        rows = (await s.execute(select(Message).where(Message.direction == "in").order_by(Message.id))).scalars()
        return [m.text for m in rows]


# ---------------------------------------------------------------- 1. relayed, not booked
async def test_what_a_waiting_customer_says_next_goes_to_staff_not_to_a_booking(make_app, clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    c = Chat(app)
    assert "已为您通知人工客服" in await c.say("转人工")
    answer = await c.say("上次保洁阿姨把我家花瓶打碎了，怎么赔")
    assert "转给人工客服" in answer and "哪天" not in answer, "a complaint, to the person waited for"
    assert await all_orders(app) == []
    await app.worker.run_once()
    assert [m.template for _, _, m in sent.staff] == ["staff_human_request"]  # no staff chat: the board shows it
    assert "上次保洁阿姨把我家花瓶打碎了，怎么赔" in await _inbound_texts(app)


async def test_in_english_too(make_app) -> None:
    app = await make_app()
    c = Chat(app, lang="en")
    await c.say("I want to talk to a real person please")
    answer = await c.say("the cleaner last time broke a vase")
    assert "passed" in answer and "colleague" in answer and "Which day" not in answer


async def test_a_clear_booking_is_still_the_bots(make_app) -> None:
    app = await make_app()
    c = Chat(app)
    await c.say("转人工")
    assert "地址" in await c.say("我想明天下午3点做个深度保洁")


@pytest.mark.parametrize("first", ["I want to talk to a real person please", "hello"])
async def test_the_answer_to_a_dashboard_message_is_relayed(make_app, clock, first: str) -> None:
    """Whether they asked for a person or staff wrote first, the talk is open."""
    app = await make_app()
    wire(app, clock)
    c = Chat(app, lang="en")
    await c.say(first)
    await _staff_reply(app, clock, "How much did they charge you?")
    await app.worker.run_once()
    assert await c.say("about 200 yuan") == "", "a person is talking to them: the bot keeps quiet"
    assert "about 200 yuan" in await _inbound_texts(app)


async def test_mid_booking_a_hello_to_the_wait_goes_to_the_person(make_app) -> None:
    app = await make_app()
    c = Chat(app)
    assert "哪天" in await c.say("我想约个深度保洁")
    await c.say("转人工")
    answer = await c.say("在吗？？")
    assert "已转给人工客服" in answer and "我在" not in answer
    assert "哪天" in await c.say("明天下午3点") or "地址" in await c.say("明天下午3点"), "the booking goes on"


async def test_never_mind_to_the_wait_mid_booking_ends_the_wait_and_keeps_the_draft(make_app, clock) -> None:
    app = await make_app()
    c = Chat(app)
    await c.say("明天下午3点深度保洁")
    await c.say("转人工")
    await c.say("在吗？？")  # not the very next message: the wait itself tells what "算了" is about
    answer = await c.say("算了，不用了")
    assert "不转人工了" in answer and "预约" in answer and "地址" in answer, answer
    async with app.db.sessions() as s:
        row = (await s.execute(select(CustomerRow))).scalar_one()
        assert row.human_requested_at is None
    assert "电话" in await c.say("望京SOHO T1-1203"), "the draft stayed"


async def test_never_mind_twice_then_drops_the_draft(make_app) -> None:
    app = await make_app()
    c = Chat(app)
    await c.say("明天下午3点深度保洁")
    await c.say("转人工")
    await c.say("在吗")
    assert "不转人工了" in await c.say("算了")
    assert "不转人工了" not in await c.say("算了，不用了"), "no wait any more: now it is the booking"


async def test_mid_booking_the_answer_to_a_person_goes_to_them(make_app, clock) -> None:
    app = await make_app()
    wire(app, clock)
    c = Chat(app, lang="en")
    assert "Which day" in await c.say("I want to book a deep clean")
    await c.say("I want to talk to a real person please")
    await _staff_reply(app, clock, "How much were you charged last time?")
    await app.worker.run_once()
    assert await c.say("about 200 yuan") == "", "not 'Sorry, I didn't catch that'"
    assert "about 200 yuan" in await _inbound_texts(app)
    assert "address" in (await c.say("tomorrow at 3pm")).lower(), "the booking's answer is still the bot's"


async def test_staff_hear_that_the_wait_ended_mid_booking(tg: Harness) -> None:
    await tg.say(ALICE, "明天下午3点深度保洁")
    await tg.say(ALICE, "转人工")
    await tg.flush()
    await tg.say(ALICE, "在吗？？")
    await tg.flush()
    assert "在吗？？" in tg.fake.sent(STAFF)[-1]["text"]
    await tg.say(ALICE, "算了，不用了")
    assert "不转人工了" in tg.fake.texts(1001)[-1] and "地址" in tg.fake.texts(1001)[-1]
    await tg.flush()
    relayed = tg.fake.sent(STAFF)[-1]
    assert "算了，不用了" in relayed["text"] and "客户不需要人工了" in relayed["text"]


async def test_asking_again_within_the_hour_brings_the_words_to_staff(tg: Harness) -> None:
    """The hour's alert is sent once; the words of a second request were lost with it."""
    await tg.say(ALICE, "转人工")
    await tg.say(ALICE, "找人工，师傅能不能早点来")
    assert "已经帮您通知过人工客服" in tg.fake.texts(1001)[-1]
    await tg.flush()
    texts = tg.fake.texts(STAFF)
    assert sum("请人工客服联系" in t for t in texts) == 1 and "师傅能不能早点来" in texts[-1]


# ---------------------------------------------------------------- 2. complaints go to a person
@pytest.mark.parametrize(("text", "kind"), [
    ("师傅迟到了半小时了", "late"), ("the plumber never showed up", "late"),
    ("the technician is 30 minutes late", "late"), ("上次来修空调的师傅多收了我50块钱", "charge"),
    ("师傅多收钱了 我要退款", "charge"), ("I was overcharged", "charge"),
    ("上次保洁阿姨把我家花瓶打碎了，怎么赔", "damage"), ("the cleaner last time broke a vase", "damage"),
    ("我要退款", "refund"), ("I want a refund", "refund"), ("师傅态度很差", "manner"),
])
def test_a_complaint_is_a_request_for_a_person(text: str, kind: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=T0)
    assert (r.intent, r.flags.get("complaint")) == ("human", kind)


@pytest.mark.parametrize(("text", "intent"), [
    ("师傅很好", "review"), ("师傅迟到了很久，差评", "review"), ("The cleaner was late and rude. 1 star.", "review"),
    ("cleaner was late and missed the bathroom, not happy", "review"), ("别迟到啊", "other"),
    ("取消订单，退款", "cancel"), ("上门费会多收吗", "price"), ("Is it too late to book for tonight?", "book"),
    ("my washing machine broke, can a technician come", "book"), ("师傅会不会迟到", "other"),
])
def test_what_is_no_complaint(text: str, intent: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=T0)
    assert (r.intent, r.flags.get("complaint")) == (intent, None)


@pytest.mark.parametrize(("text", "lang", "sorry"), [
    ("师傅迟到了半小时了", "zh", "抱歉"), ("师傅多收钱了 我要退款", "zh", "抱歉"),
    ("上次来修空调的师傅多收了我50块钱", "zh", "抱歉"), ("the plumber never showed up", "en", "sorry"),
])
async def test_a_complaint_is_apologised_for_and_handed_to_a_person(make_app, clock, text: str, lang: str,
                                                                  sorry: str) -> None:
    app = await make_app()
    sent = wire(app, clock)
    answer = await Chat(app, lang=lang).say(text)
    assert sorry in answer and ("人工客服" in answer or "colleague" in answer), answer
    assert "没有可以取消" not in answer and "哪天" not in answer and "Which day" not in answer
    assert await all_orders(app) == []
    await app.worker.run_once()
    [(_, to, alert)] = sent.staff
    assert alert.template == "staff_human_request" and to.is_group and text in alert.reply.text


async def test_a_late_technician_today_names_the_order(make_app, clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    await booked(app)  # tomorrow 15:00
    [order] = await all_orders(app)
    clock.advance(hours=19, minutes=30)  # tomorrow 15:30
    answer = await Chat(app).say("师傅迟到了半小时了")
    assert "抱歉" in answer and order.number in answer
    await app.worker.run_once()
    alert = sent.staff[-1][2].reply.text
    assert "师傅迟到" in alert and order.number in alert


async def test_a_complaint_while_waiting_for_a_person_goes_to_them(make_app) -> None:
    app = await make_app()
    c = Chat(app)
    await c.say("转人工")
    answer = await c.say("师傅迟到了半小时了")
    assert "抱歉" in answer and "转给人工客服" in answer



async def test_a_complaint_mid_booking_while_waiting_goes_to_them_whatever_it_names(tg: Harness) -> None:
    """It names a service ("plumber"): no booking's answer, and the hour's alert is sent already."""
    await tg.say(ALICE, "我想约个深度保洁")
    await tg.say(ALICE, "转人工")
    await tg.say(ALICE, "the plumber never showed up")
    await tg.flush()
    assert "the plumber never showed up" in tg.fake.texts(STAFF)[-1]


def test_a_complaint_at_a_review_stays_its_comment() -> None:
    from handlers import staff as staff_logic
    from handlers.reviews import is_new_request
    from handlers.state import REVIEWING, DialogueState

    r = NluParser(demo_catalog()).parse("师傅迟到了半小时", now=T0)
    reviewing = DialogueState(stage=REVIEWING, order_id=1, awaiting="comment")
    assert not is_new_request(r) and not staff_logic.relays(reviewing, r)
