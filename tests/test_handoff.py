"""A customer who asks for a person is answered by one: the staff group hears their
request and what they write next, a reply to it reaches them, and the bot stays
out of the way until the talk has been quiet a while. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from handlers import backoffice
from handlers import staff as staff_logic
from handlers.messages import Inbound
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from storage.models import Customer as CustomerRow
from tests.fake_telegram import group
from tests.reminder_helpers import wire
from tests.test_web import ADMIN, Visitor, _app, _sign_in, client_of
from tests.test_telegram import ALICE, BOB, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401 - fixtures

T0 = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.timezone.utc)


def test_where_a_talk_with_a_person_stands() -> None:
    hour = dt.timedelta(hours=1)
    assert staff_logic.person_thread(None, None, T0) is None
    assert staff_logic.person_thread(T0 - hour, None, T0) == staff_logic.WAITING
    assert staff_logic.person_thread(T0 - hour, T0 - 2 * hour, T0) == staff_logic.WAITING, "answered before"
    assert staff_logic.person_thread(T0 - hour, T0 - hour / 2, T0) == staff_logic.TALKING
    assert staff_logic.person_thread(None, T0 - hour, T0) == staff_logic.TALKING, "staff wrote first"
    assert staff_logic.person_thread(T0 - 3 * hour, None, T0) is None, "nobody came: the bot answers again"
    assert staff_logic.person_thread(T0 - 5 * hour, T0 - 3 * hour, T0) is None
    assert staff_logic.person_thread(T0 - hour, None, T0, window=hour / 2) is None, "the owner's shorter window"


async def _texts(tg: Harness, chat: int) -> list[str]:
    await tg.flush()
    return tg.fake.texts(chat)


async def test_a_customer_talks_to_a_person_through_the_staff_group(tg: Harness) -> None:
    await tg.say(ALICE, "转人工，我想问问能不能开发票")
    assert "已为您通知人工客服" in tg.fake.texts(1001)[-1]
    await tg.flush()
    alert = tg.fake.last(STAFF)
    assert "开发票" in alert["text"] and "回复这条消息" in alert["text"]

    # Waiting for an answer: their words go to staff, under the request, and they hear so.
    await tg.say(ALICE, "公司抬头是北京某某科技有限公司")
    assert "已转给人工客服" in tg.fake.texts(1001)[-1]
    await tg.flush()
    relayed = tg.fake.sent(STAFF)[-1]
    assert "北京某某科技有限公司" in relayed["text"] and "订单" not in relayed["text"]
    assert relayed["reply_parameters"]["message_id"] == alert["message_id"]

    # A reply to the request reaches the customer, signed as the team (once, if redelivered).
    reply = tg.says(BOB, "可以开，请发一下税号", chat=group(STAFF), reply_to=alert)
    assert await tg.post(reply) == 200 and await tg.post(reply) == 200
    texts = await _texts(tg, 1001)
    assert "可以开，请发一下税号" in texts[-1] and "客服" in texts[-1] and "Bob" in texts[-1]
    assert sum("请发一下税号" in t for t in texts) == 1

    # Talking: the bot keeps quiet and staff get the answer; a reply to that reaches them too.
    told = len(texts)
    await tg.say(ALICE, "税号是91110105MA00XXXX")
    assert len(await _texts(tg, 1001)) == told
    assert "91110105MA00XXXX" in tg.fake.texts(STAFF)[-1]
    await tg.say(BOB, "好的，开好发您", chat=group(STAFF), reply_to=tg.fake.last(STAFF))
    assert "开好发您" in (await _texts(tg, 1001))[-1]

    # A booking is still the bot's.
    await tg.say(ALICE, "我想明天下午3点做个深度保洁")
    assert "地址" in tg.fake.texts(1001)[-1]


async def test_a_reply_to_an_escalation_stays_among_staff(tg: Harness, clock) -> None:
    await tg.book()
    await tg.flush()
    clock.advance(hours=1)  # nobody claimed it: the group is reminded under the card
    await tg.flush()
    escalation = tg.fake.last(STAFF)
    assert escalation["text"] != tg.card()["text"]
    told = len(tg.fake.texts(1001))
    await tg.say(BOB, "我下午有空，我去吧", chat=group(STAFF), reply_to=escalation)
    assert len(await _texts(tg, 1001)) == told


async def test_without_a_staff_chat_the_dashboard_answers_and_the_bot_waits(make_app, clock) -> None:
    app = await make_app()
    sent = wire(app, clock)

    async def say(text: str) -> list[str]:
        replies = await app.conversations.handle(Inbound(channel="console", user_id="u1", text=text))
        return [r.text for r in replies]

    [answer] = await say("转人工")
    assert "已为您通知人工客服" in answer
    [answer] = await say("可以走对公账户吗")  # the FAQ does not say: for the person
    assert "已转给人工客服" in answer, "heard, not '没明白'"
    async with app.db.sessions.begin() as s:
        customer = (await s.execute(select(CustomerRow))).scalar_one()
        waiting = await backoffice.people_waiting(s, clock.now)
        assert [c.id for c in waiting] == [customer.id]
        result = await backoffice.message_customer(s, customer.id, "可以开，请留一下税号", clock.now,
                                                   sender="王经理", key="form-1")
        assert result.ok
    await app.worker.run_once()
    assert "可以开，请留一下税号" in sent.customer[-1][2].reply.text
    async with app.db.sessions() as s:
        assert await backoffice.people_waiting(s, clock.now) == [], "answered"

    assert await say("好的，税号稍后发您") == [], "a person is talking to them: the bot keeps quiet"
    [answer] = await say("我的订单")
    assert "订单" in answer, "what the bot serves, it still answers"
    clock.advance(hours=3)
    [answer] = await say("你好")
    assert "预约" in answer, "after a quiet while the bot answers again"


async def test_a_reply_to_a_complaint_reaches_the_customer(tg: Harness, clock) -> None:
    order = await tg.book()
    await tg.flush()
    for label in ("🙋 接单", "▶️ 开始服务", "✅ 完成"):
        if label == "▶️ 开始服务":
            clock.now = order.start_at - dt.timedelta(hours=1)  # Start works from 2 h before
        assert await tg.press(BOB, tg.card(), label) == 200
        await tg.flush()  # the card shows the next buttons
    clock.advance(hours=3)  # the review invitation is due
    await tg.flush()
    assert await tg.press(ALICE, tg.fake.last(1001), "1星") == 200
    await tg.flush()
    alert = tg.fake.last(STAFF)
    assert "1" in alert["text"] and order.number in alert["text"]
    await tg.say(BOB, "非常抱歉，明天免费给您返工", chat=group(STAFF), reply_to=alert)
    texts = await _texts(tg, 1001)
    assert "明天免费给您返工" in texts[-1] and order.number in texts[-1]


async def test_the_board_lists_who_waits_for_a_person_until_someone_answers(make_app) -> None:
    app = await _app(make_app)
    async with client_of(app) as client:
        visitor = Visitor(client)
        await visitor.open()
        assert "已为您通知人工客服" in (await visitor.say("我要找人工客服"))[-1]["text"]
        assert "已转给人工客服" in (await visitor.say("可以走对公账户吗"))[-1]["text"]
        csrf = await _sign_in(client, ADMIN)
        board = await (await client.get("/admin")).text()
        [customer_id] = re.findall(r'data-customer="(\d+)"', board)
        assert "等待人工回复" in board

        url = f"/admin/customers/{customer_id}"
        page = await (await client.get(url)).text()
        assert 'id="waiting"' in page and "还没有人回复" in page
        nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', page).group(1)
        await client.post(f"{url}/message", data={"csrf": csrf, "nonce": nonce, "text": "可以开，请留税号"})
        await app.worker.run_once()
        shown = [m["text"] for m in await visitor.poll()]
        assert shown == ["💬 客服：\n可以开，请留税号"], "and nothing of what staff were shown"
        assert "等待人工回复" not in await (await client.get("/admin")).text()
        assert 'id="waiting"' not in await (await client.get(url)).text()
        assert [m["dir"] for m in await visitor.say("好的，稍后发您")] == ["in"], "the bot keeps quiet"


async def test_asking_for_a_person_mid_booking_keeps_the_booking_going(make_app) -> None:
    """The bot's question stands, so the answer does not promise that what follows goes to staff."""
    app = await make_app()

    async def say(text: str) -> str:
        [reply] = await app.conversations.handle(Inbound(channel="console", user_id="u1", text=text))
        return reply.text

    await say("明天下午3点深度保洁")
    answer = await say("转人工")
    assert "已为您通知人工客服" in answer and "转给客服" not in answer and "地址" in answer
    assert "电话" in await say("望京SOHO T1-1203"), "the address answers the booking's question"
    answer = await say("不用转人工了")
    assert "不转人工了" in answer and "电话" in answer, "no person after all: the booking's question stands"


@pytest.mark.parametrize(("text", "intent"), [
    ("不需要人工了", "deny"), ("不用转人工了", "deny"), ("人工就不用了", "deny"), ("不找客服了，我自己约", "deny"),
    ("no need for a person anymore", "deny"), ("never mind the human", "deny"),
    ("不想转人工", "deny"), ("转人工就不必了", "deny"), ("don't transfer me to a human", "deny"),
    ("I no longer need a human", "deny"),
    ("不需要人工了，明天下午来保洁", "book"),          # with a booking's details it is that booking
    ("转人工", "human"), ("我不要机器人，要人工", "human"),
])
def test_no_person_wanted_is_a_no_and_no_request(text: str, intent: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=T0)
    assert (r.intent, r.flags.get("no_person", False)) == (intent, intent != "human")


async def test_no_to_the_wait_ends_it_and_staff_hear_so(tg: Harness) -> None:
    await tg.say(ALICE, "转人工")
    await tg.flush()
    alert = tg.fake.last(STAFF)
    await tg.say(ALICE, "算了，不用了")
    assert "不转人工了" in tg.fake.texts(1001)[-1]
    await tg.flush()
    relayed = tg.fake.sent(STAFF)[-1]
    assert "算了，不用了" in relayed["text"] and "客户不需要人工了" in relayed["text"]
    assert relayed["reply_parameters"]["message_id"] == alert["message_id"]
    await tg.say(ALICE, "你们几点开门")
    assert "7:00–22:00" in tg.fake.texts(1001)[-1], "the bot answers again"
    # A staff reply afterwards still reaches them, and opens the talk again.
    await tg.say(BOB, "您好，还需要帮忙吗？", chat=group(STAFF), reply_to=alert)
    assert "还需要帮忙吗" in (await _texts(tg, 1001))[-1]
    told = len(tg.fake.texts(1001))
    await tg.say(ALICE, "嗯，想问下发票的事")
    assert len(await _texts(tg, 1001)) == told, "talking with a person again: the bot keeps quiet"


async def test_no_person_wanted_in_so_many_words_ends_a_talk_and_alerts_nobody(make_app, clock) -> None:
    app = await make_app()
    sent = wire(app, clock)

    async def say(text: str, user: str = "u1") -> list[str]:
        replies = await app.conversations.handle(Inbound(channel="console", user_id=user, text=text))
        return [r.text for r in replies]

    await say("转人工")
    async with app.db.sessions.begin() as s:
        customer = (await s.execute(select(CustomerRow))).scalar_one()
        assert (await backoffice.message_customer(s, customer.id, "您好，请讲", clock.now, sender="王经理",
                                                  key="f1")).ok
    await app.worker.run_once()
    assert await say("稍等我找下单号") == [], "talking with a person"
    [answer] = await say("不需要人工了，谢谢")
    assert "不转人工了" in answer
    async with app.db.sessions() as s:
        row = await s.get(CustomerRow, customer.id)
        assert (row.human_requested_at, row.staff_replied_at) == (None, None)
        assert await backoffice.people_waiting(s, clock.now) == []
    [answer] = await say("我的订单")
    assert "订单" in answer
    alerts = len(sent.staff)
    [answer] = await say("不用转人工了", user="u2")  # out of the blue: a no, not a request
    await app.worker.run_once()
    assert "已为您通知人工客服" not in answer and len(sent.staff) == alerts
    [answer] = await say("I don't need a human, book a deep clean tomorrow at 3pm", user="u3")
    assert "address" in answer.lower()




async def test_the_owner_sets_how_long_a_talk_with_a_person_stays_open(make_app, clock) -> None:
    app = await make_app(handoff_minutes=30)

    async def say(text: str) -> list[str]:
        return [r.text for r in await app.conversations.handle(Inbound(channel="console", user_id="u1", text=text))]

    await say("转人工")
    clock.advance(minutes=20)
    assert "已转给人工客服" in (await say("还在吗"))[0], "still waiting within the half hour"
    clock.advance(minutes=31)
    assert "已转给人工客服" not in (await say("你们几点开门"))[0], "the bot answers again"
