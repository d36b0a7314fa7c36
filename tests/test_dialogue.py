"""The booking dialogue through the handler API, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from handlers.messages import Inbound, Reply
from storage import orders as order_repo
from storage.models import MessageLog, Order, OrderEvent, Review
from tests.conftest import Clock

NUMBER = re.compile(r"\d{8}-\d{4}")


class Customer:
    """Talks to the app as one customer and remembers the last reply."""

    def __init__(self, app, user: str = "u1", channel: str = "console", lang: str | None = None) -> None:
        self.app, self.user, self.channel, self.lang = app, user, channel, lang
        self.last: Reply | None = None

    async def say(self, text: str = "", *, payload: str | None = None, message_id: str | None = None) -> str:
        replies = await self.app.conversations.handle(Inbound(
            channel=self.channel, user_id=self.user, text=text, payload=payload,
            message_id=message_id, lang_hint=self.lang))
        assert len(replies) == 1, replies
        self.last = replies[0]
        return self.last.text

    @property
    def payloads(self) -> list[str]:
        return [c.payload for c in self.last.choices] if self.last else []


async def all_orders(app) -> list[Order]:
    async with app.db.sessions() as s:
        return list((await s.execute(select(Order).order_by(Order.id))).scalars())


async def test_done_when_chinese_five_lines(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "预约" in await c.say("你好")
    asked = await c.say("我想明天下午3点做个深度保洁")
    assert "地址" in asked
    assert "电话" in await c.say("朝阳区望京SOHO T1 1203")
    summary = await c.say("13812345678")
    assert "深度保洁" in summary and "11月25日" in summary and "15:00" in summary
    assert "朝阳区望京SOHO T1 1203" in summary and "13812345678" in summary
    assert c.payloads == ["affirm", "deny", "cancel"]
    done = await c.say("确认")
    orders = await all_orders(app)
    assert len(orders) == 1
    o = orders[0]
    assert (o.status, o.service_id, o.date, o.time) == ("confirmed", "deep_cleaning", dt.date(2026, 11, 25), dt.time(15, 0))
    assert (o.address, o.phone, o.channel, o.lang) == ("朝阳区望京SOHO T1 1203", "13812345678", "console", "zh")
    assert o.number in done and NUMBER.fullmatch(o.number)


async def test_english_booking(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Hello" in await c.say("hi")
    assert "address" in (await c.say("I'd like a deep clean tomorrow at 3pm")).lower()
    assert "phone" in (await c.say("12 Baker Street, Flat 3")).lower()
    summary = await c.say("13812345678")
    assert "Deep cleaning" in summary and "15:00" in summary
    done = await c.say("yes")
    [o] = await all_orders(app)
    assert o.status == "confirmed" and o.lang == "en" and o.address == "12 Baker Street, Flat 3"
    assert "Booked" in done and o.number in done


async def test_one_message_books_in_one_turn(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")
    assert "请核对订单" in summary
    [o] = await all_orders(app)
    assert o.status == "pending" and o.address == "望京SOHO T1-1203"
    await c.say("好的")
    [o] = await all_orders(app)
    assert o.status == "confirmed"


async def test_corrections_at_the_summary_update_the_same_order(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")
    s1 = await c.say("改成后天")
    assert "11月26日" in s1
    s2 = await c.say("不对，是下午4点")
    assert "16:00" in s2 and "11月26日" in s2
    s3 = await c.say("地址写错了，是海淀区中关村大街27号")
    assert "海淀区中关村大街27号" in s3
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.status, o.date, o.time, o.address) == ("confirmed", dt.date(2026, 11, 26), dt.time(16, 0), "海淀区中关村大街27号")
    async with app.db.sessions() as s:
        kinds = [e.kind for e in await order_repo.events_of(s, o.id)]
    assert kinds == ["created", "updated", "updated", "updated", "confirmed"]


async def test_correction_while_collecting(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想明天下午3点做个深度保洁")
    await c.say("改成后天上午")
    await c.say("望京SOHO T1-1203")
    summary = await c.say("13812345678")
    assert "11月26日" in summary and "上午" in summary


async def test_deny_then_change_a_field_by_number(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")
    await c.say("不对")
    assert c.payloads[:4] == ["change:service", "change:time", "change:address", "change:phone"]
    assert "地址" in await c.say("3")
    summary = await c.say("朝阳区望京SOHO T2-808")
    assert "朝阳区望京SOHO T2-808" in summary and "请核对订单" in summary
    await c.say("1")  # the first quick reply: confirm
    [o] = await all_orders(app)
    assert (o.status, o.address) == ("confirmed", "朝阳区望京SOHO T2-808")


async def test_asks_only_for_what_is_missing_one_at_a_time(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "什么服务" in await c.say("我要预约")
    assert "service:deep_cleaning" in c.payloads
    assert "哪天" in await c.say(payload="service:drain_unclogging")
    assert "几点" in await c.say("周六")
    assert "地址" in await c.say("上午")
    await c.say("望京SOHO T1-1203")
    summary = await c.say("13812345678")
    assert "管道疏通" in summary and "11月28日" in summary and "上午" in summary


async def test_past_times_are_refused(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("今天上午9点做个深度保洁")  # it is 20:00
    assert "已经过了" in reply and "几点" in reply


async def test_my_orders_lists_the_coming_ones_soonest_first_and_not_dropped_drafts(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    for text in ("后天上午10点来望京SOHO T1-1203擦玻璃，电话13812345678", "明天下午三点来望京SOHO T1-1203做个深度保洁"):
        await c.say(text)
        await c.say("确认")
    await c.say("大后天上午来望京SOHO T1-1203做日常保洁")
    await c.say("取消")  # dropped at the summary: never an order to the customer
    later, sooner = sorted((o for o in await all_orders(app) if o.status == "confirmed"), key=lambda o: o.id)
    listed = await c.say("我的订单")
    assert listed.index(sooner.number) < listed.index(later.number), listed
    assert "日常保洁" not in listed and "已取消" not in listed, listed


async def test_status_cancel_and_reschedule(make_app, clock: Clock) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")
    await c.say("确认")
    [o] = await all_orders(app)
    assert o.number in await c.say("我的订单呢")

    ask = await c.say("改到后天上午10点")
    assert "11月26日" in ask and "10:00" in ask
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.date, o.time, o.status) == (dt.date(2026, 11, 26), dt.time(10, 0), "confirmed")
    assert o.start_at == dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.timezone.utc)

    assert o.number in await c.say("取消订单")
    assert c.payloads == ["affirm", "deny"]
    await c.say("不用了")
    [o] = await all_orders(app)
    assert o.status == "confirmed"
    await c.say("取消订单")
    assert "已取消" in await c.say("是的")
    [o] = await all_orders(app)
    assert o.status == "cancelled" and o.cancelled_at is not None
    assert "没有可以取消" in await c.say("取消订单")


async def test_cancel_with_several_orders_asks_which(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    for text in ("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678",
                 "后天上午10点来望京SOHO T1-1203擦玻璃"):
        await c.say(text)
        await c.say("确认")
    first, second = await all_orders(app)
    await c.say("取消订单")
    assert c.payloads == [f"order:{first.number}", f"order:{second.number}"]
    await c.say("2")
    assert second.number in c.last.text
    await c.say("确认")
    first, second = await all_orders(app)
    assert (first.status, second.status) == ("confirmed", "cancelled")


async def test_price_questions_keep_the_booking_going(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "298" in await c.say("深度保洁多少钱")
    await c.say("我想明天下午3点做个深度保洁")
    reply = await c.say("擦玻璃多少钱")
    assert "180" in reply and "地址" in reply  # answered, then the open question again


async def test_drop_the_draft(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")
    await c.say(payload="cancel")
    [o] = await all_orders(app)
    assert o.status == "cancelled"
    assert c.last.choices == ()


async def test_conversation_survives_a_restart(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想明天下午3点做个深度保洁")
    await c.say("朝阳区望京SOHO T1 1203")
    await app.close()
    app2 = await make_app()
    c2 = Customer(app2)
    assert "11月25日" in await c2.say("13812345678")
    await c2.say("确认")
    [o] = await all_orders(app2)
    assert o.status == "confirmed"


async def test_redelivered_message_is_handled_once(make_app) -> None:
    app = await make_app()
    c = Customer(app, channel="telegram")
    await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678", message_id="m1")
    await c.say("确认", message_id="m2")
    async with app.db.sessions() as s:
        logged = (await s.execute(select(func.count()).select_from(MessageLog))).scalar_one()
    for mid, text in (("m2", "确认"), ("m1", "明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")):
        again = await app.conversations.handle(Inbound(channel="telegram", user_id="u1", text=text,
                                                       message_id=mid))
        assert again == []
    [o] = await all_orders(app)  # the booking's redelivery opened no second order
    async with app.db.sessions() as s:
        events = (await s.execute(select(OrderEvent.kind).where(OrderEvent.order_id == o.id))).scalars().all()
        assert (await s.execute(select(func.count()).select_from(MessageLog))).scalar_one() == logged
    assert list(events) == ["created", "confirmed"]
    assert "请核对订单" in await c.say("后天上午10点来望京SOHO T1-1203擦玻璃"), "the dialogue goes on as before"


async def test_redelivery_whose_second_run_fails_gets_no_apology(
        make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    """The redelivery check is a turn's last statement, so a redelivered message runs
    again first; if that run breaks, the first answer stands: no apology, nothing logged."""
    app = await make_app()
    c = Customer(app, channel="telegram")
    await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁", message_id="m1")
    async with app.db.sessions() as s:
        logged = (await s.execute(select(func.count()).select_from(MessageLog))).scalar_one()

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.conversations.nlu, "parse", broken)
    again = await app.conversations.handle(Inbound(
        channel="telegram", user_id="u1", text="明天下午三点来望京SOHO T1-1203做个深度保洁", message_id="m1"))
    assert again == []
    assert "抱歉" in await c.say("你好", message_id="m2"), "a new message that fails is still apologised for"
    monkeypatch.undo()
    async with app.db.sessions() as s:
        failed = (await s.execute(select(MessageLog.meta).where(MessageLog.id > 0)
                                  .order_by(MessageLog.id))).scalars().all()
    assert len(failed) == logged + 1 and failed[-1]["message_id"] == "m2", "only the new message's failure is kept"
    assert "电话" in await c.say("后天吧", message_id="m3"), "the booking goes on where it was"


async def test_returning_customer_is_not_asked_for_phone_again(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")
    await c.say("确认")
    summary = await c.say("后天上午10点来望京SOHO T1-1203擦玻璃")
    assert "13812345678" in summary and "请核对订单" in summary


async def test_language_follows_the_customer(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "您好" in await c.say("你好")
    assert "Hello" in await c.say("hello")
    assert "您好" in await c.say("你好呀")


async def test_review_is_stored_on_the_latest_completed_order(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")
    await c.say("确认")
    async with app.db.sessions.begin() as s:
        [o] = list((await s.execute(select(Order))).scalars())
        order_repo.set_status(s, o, "completed", actor="staff:1")
    assert "5" in await c.say("五星好评")
    await c.say("给4星吧")
    async with app.db.sessions() as s:
        o = (await s.execute(select(Order))).scalar_one()
        reviews = (await s.execute(select(Review))).scalars().all()
    assert o.rating == 4 and [r.rating for r in reviews] == [4]


async def test_gibberish_and_empty_input_get_a_polite_answer(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    for text in ("", "🙂🙂🙂", "asdkjh qwe", "\x00\x01", "啊" * 5000):
        reply = await c.say(text)
        assert reply and "Traceback" not in reply
    assert await all_orders(app) == []


async def test_a_failure_inside_gets_an_apology_not_a_crash(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    app = await make_app()

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.conversations.nlu, "parse", broken)
    c = Customer(app)
    assert "抱歉" in await c.say("你好")
    monkeypatch.undo()
    assert "预约" in await c.say("你好")


async def test_channel_payloads_welcome_location_and_unreadable_media(make_app) -> None:
    """What a channel can send besides text: a new follower, a shared location, a photo."""
    app = await make_app()
    c = Customer(app, channel="wechat")
    welcome = await c.say(payload="welcome")
    assert "感谢关注" in welcome and "我可以帮您" in welcome
    await c.say("我想明天下午3点做个深度保洁")
    assert "电话" in await c.say(payload="address:北京市朝阳区望京SOHO塔1")
    summary = await c.say("13812345678")
    assert "北京市朝阳区望京SOHO塔1" in summary and c.payloads == ["affirm", "deny", "cancel"]
    assert "文字" in await c.say(payload="unsupported")
    await c.say("1")  # the summary's choices still stand after the unreadable message
    [o] = await all_orders(app)
    assert (o.status, o.address) == ("confirmed", "北京市朝阳区望京SOHO塔1")


async def test_the_dialogue_state_commits_with_the_turn(make_app) -> None:
    """On the SQL state store the state is written in the turn's transaction: the
    conversation carries on from a store that was never saved to on its own."""
    from handlers.messages import Inbound
    from storage.state import SqlStateStore

    app = await make_app()
    assert isinstance(app.conversations.states, SqlStateStore)
    await app.conversations.handle(Inbound(channel="console", user_id="s1", text="我想明天下午3点做个深度保洁",
                                           message_id="s1-1"))
    saved = await app.conversations.states.load("console:s1")
    assert saved is not None and saved.get("draft"), saved


async def test_a_yes_after_a_detail_is_asked_again_books_nothing_until_the_summary_is_shown(make_app) -> None:
    """"改成今天上午10点" at the summary, at 20:00: the time is asked again, and a "确认" then
    must not book the summary shown before, which no longer holds what the customer said since
    (a new phone here): it asks for the time again."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点深度保洁，望京SOHO T1-1203，13812345678")
    assert "已经过了" in await c.say("改成今天上午10点")
    await c.say("电话改成13999998888")
    again = await c.say("确认")
    assert "预约成功" not in again and "几点" in again
    assert [o.status for o in await all_orders(app)] == ["pending"]
    summary = await c.say("晚上9点")
    assert "13999998888" in summary and "21:00" in summary
    assert "预约成功" in await c.say("确认")
    [o] = await all_orders(app)
    assert (o.status, o.phone) == ("confirmed", "13999998888")
