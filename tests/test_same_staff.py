"""Asking for a person: "还是上次那个阿姨来", "让王师傅来", "same cleaner as last time please", "can
Li come again?" — read by the NLU (flags ``same_staff`` / ``staff_named``, no note, no service,
no customer's name), looked up (the staff of the last completed visit, the same service's first;
the business's staff by name), shown in the summary, stored on the order and on the staff card,
where anyone may still claim it. With nobody to find, the customer is told and the booking goes on."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from handlers import staff as staff_logic
from nlu.pipeline import NluParser
from storage import staff as staff_repo
from storage import orders as order_repo
from storage.models import Order, ScheduledJob, Staff, StaffCard
from tests.conftest import Clock
from tests.fake_telegram import user
from tests.reminder_helpers import staff_do, wire
from tests.test_dialogue import Customer, all_orders
from tests.test_nlu_flags import NOW, parser  # noqa: F401  (fixture)
from tests.test_telegram import ALICE, BOB, CAROL, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401  (fixtures)

ZH_BOOKING = "明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678"
EN_BOOKING = "deep clean tomorrow 3pm at 88 Jianguo Road Apt 5, phone 13812345679"


@pytest.mark.parametrize("text", [
    "还是上次那个阿姨来", "还是上次那个师傅吧", "上次的师傅吧", "同一个阿姨吧", "上次那个阿姨挺好的，还让她来",
    "阿姨还是上次那个吧", "same cleaner as last time please", "I want the same plumber again",
    "can we have the cleaner from last time?",
])
def test_a_request_for_the_same_person_is_a_flag_and_nothing_else(parser: NluParser, text: str) -> None:
    got = parser.parse(text, now=NOW)
    assert got.flags.get("same_staff") is True, got
    assert "staff_named" not in got.flags and "note" not in got.flags
    assert got.slots == {}, "no service from 'cleaner', no name from '阿姨'"


@pytest.mark.parametrize("text, name", [
    ("让王师傅来", "王师傅"), ("还是王阿姨吧", "王阿姨"), ("派小李来", "小李"), ("can Li come again?", "Li"),
    ("send Wang again please", "Wang"), ("Li again please", "Li"),
])
def test_a_staff_member_asked_for_by_name_is_the_name_as_written(parser: NluParser, text: str, name: str) -> None:
    got = parser.parse(text, now=NOW)
    assert got.flags.get("staff_named") == name and "same_staff" not in got.flags
    assert got.slots == {}, "王师傅 is not the customer's name"


@pytest.mark.parametrize("text, name, slots", [
    ("让王师傅明天来", "王师傅", {"date": "2026-11-25"}),
    ("王师傅明天下午过来吧", "王师傅", {"date": "2026-11-25", "period": "afternoon"}),
    ("还是王阿姨明天来吧", "王阿姨", {"date": "2026-11-25"}),
    ("让小李周六来", "小李", {"date": "2026-11-28"}),
    ("能让王师傅明天下午3点来吗", "王师傅", {"date": "2026-11-25", "time": "15:00"}),
    ("让王师傅明天上午来做保洁", "王师傅", {"service": "daily_cleaning", "date": "2026-11-25", "period": "morning"}),
    ("让王师傅下周三来", "王师傅", {"date": "2026-12-02"}), ("请王阿姨这周六过来", "王阿姨", {"date": "2026-11-28"}),
    ("让王师傅明早来", "王师傅", {"date": "2026-11-25", "period": "morning"}),
    ("让王师傅下星期一来", "王师傅", {"date": "2026-11-30"}),
])
def test_a_day_between_the_name_and_its_coming_is_the_booking_s(parser: NluParser, text: str, name: str,
                                                                 slots: dict) -> None:
    """"让王师傅明天来": the person asked for, and the day left for the booking; 王师傅 was the
    customer's name and nobody was asked for."""
    got = parser.parse(text, now=NOW)
    assert got.flags.get("staff_named") == name and got.slots == slots


@pytest.mark.parametrize("text", ["王师傅不用来了", "王师傅明天几点来", "王师傅几点来"])
def test_no_day_between_makes_a_request_of_what_is_none(parser: NluParser, text: str) -> None:
    assert "staff_named" not in parser.parse(text, now=NOW).flags


def test_inside_a_whole_booking_the_request_is_no_note_and_no_second_service(parser: NluParser) -> None:
    zh = parser.parse(f"{ZH_BOOKING}，还是上次那个阿姨来", now=NOW)
    assert zh.intent == "book" and zh.flags.get("same_staff") is True and "note" not in zh.flags
    assert zh.slots["address"] == "望京SOHO T1-1203" and zh.slots["service"] == "deep_cleaning"
    named = parser.parse(f"{ZH_BOOKING}，让王师傅来", now=NOW)
    assert named.flags.get("staff_named") == "王师傅" and "name" not in named.slots
    en = parser.parse("deep clean on friday 10am at 88 Jianguo Road Apt 5, same cleaner as last time please", now=NOW)
    assert en.slots["service"] == "deep_cleaning" and en.flags.get("same_staff") is True
    assert not en.flags.keys() & {"also", "also_services", "note"}, "'cleaner' asks for no daily cleaning"


@pytest.mark.parametrize("text", [
    "上次的师傅迟到了", "不要上次那个阿姨", "not the same cleaner please", "找个阿姨来家里打扫一下，后天下午2点",
    "can you come again?", "please send someone", "我是王阿姨", "上次那个阿姨很好", "还是上次那个阿姨吗",
    "还是老地方", "the same one as last time",
])
def test_no_request_for_a_person_is_read_where_there_is_none(parser: NluParser, text: str) -> None:
    assert not parser.parse(text, now=NOW).flags.keys() & {"same_staff", "staff_named"}


def test_staff_are_matched_by_the_name_as_stored() -> None:
    team = [Staff(id=1, name="王建国"), Staff(id=2, name="李师傅"), Staff(id=3, name="Li Na"), Staff(id=4, name="张伟"),
            Staff(id=5, name="张强")]
    assert [s.id for s in staff_logic.called(team, "王师傅")] == [1]
    assert [s.id for s in staff_logic.called(team, "小李")] == [2]
    assert [s.id for s in staff_logic.called(team, "li")] == [3]
    assert [s.id for s in staff_logic.called(team, "张阿姨")] == [4, 5], "two of them: the customer is asked"
    assert staff_logic.called(team, "赵师傅") == []


# ---------------------------------------------------------------- the dialogue
async def _finished_by(app, clock: Clock, who: str) -> None:
    """The customer's latest order claimed now, then started and done by `who` (a dashboard
    account) at its booked time: Start is refused long before the visit."""
    async with app.db.sessions() as s:
        order = (await s.execute(select(Order).order_by(Order.id.desc()))).scalars().first()
    for action in ("claim", "start", "done"):
        at = clock() if action == "claim" else max(clock(), order.start_at)
        async with app.db.sessions.begin() as s:
            staff = await staff_repo.identify(s, "web", who, who)
            assert (await staff_logic.act(s, order.id, action, staff, app.catalog, at)).ok


async def _staff_id(app, name: str) -> int:
    async with app.db.sessions() as s:
        return (await s.execute(select(Staff.id).where(Staff.name == name))).scalar_one()


async def _booked_before(app, clock: Clock, c: Customer, booking: str, who: str) -> None:
    await c.say(booking)
    await c.say("yes" if c.lang == "en" else "确认")
    await _finished_by(app, clock, who)


async def test_same_as_last_time_in_a_whole_booking_is_shown_and_stored(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app)
    await _booked_before(app, clock, c, ZH_BOOKING, "王师傅")
    summary = await c.say("后天上午10点来望京SOHO T1-1203做个深度保洁，还是上次那个阿姨来")
    assert "指定师傅：王师傅（上次为您服务）" in summary and "备注" not in summary
    assert "预约成功" in await c.say("确认") and "已请王师傅优先接单" in c.last.text
    new = (await all_orders(app))[-1]
    assert (new.status, new.preferred_staff_id, new.notes, new.name) == (
        "confirmed", await _staff_id(app, "王师傅"), None, None)
    assert new.assignee_id is None, "a wish, not an assignment"


async def test_a_named_staff_member_asked_for_while_the_details_are_asked(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "wjg", "王建国")  # as the staff chat stores them: their own name
        await staff_repo.identify(s, "web", "zw", "张伟")
    await c.say("后天上午10点深度保洁")
    answer = await c.say("让王师傅来")
    assert "已记下指定师傅 王建国" in answer and "地址" in answer, "noted, then the open question again"
    await c.say("望京SOHO T1-1203")
    summary = await c.say("13812345678")
    assert "指定师傅：王建国\n" in summary, "named, and not the one who came last time (there was none)"
    await c.say("确认")
    [order] = await all_orders(app)
    assert order.preferred_staff_id == await _staff_id(app, "王建国") and order.name is None


async def test_an_english_customer_asks_for_a_person_at_the_summary(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    e = Customer(app, user="e1", lang="en")
    await _booked_before(app, clock, e, EN_BOOKING, "Li Na")
    summary = await e.say("deep clean on friday 10am at 88 Jianguo Road Apt 5")
    assert "Requested" not in summary
    again = await e.say("can Li come again?")
    assert "Please check your order" in again and "· Requested: Li Na (served you last time)" in again
    await e.say("yes")
    assert (await all_orders(app))[-1].preferred_staff_id == await _staff_id(app, "Li Na")


async def test_a_yes_that_asks_for_a_person_books_with_them(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app)
    await _booked_before(app, clock, c, ZH_BOOKING, "王师傅")
    assert "指定师傅" not in await c.say("后天上午10点来望京SOHO T1-1203做个深度保洁")
    done = await c.say("确认，让王师傅来")
    assert "预约成功" in done and "已请王师傅优先接单" in done
    new = (await all_orders(app))[-1]
    assert (new.status, new.preferred_staff_id) == ("confirmed", await _staff_id(app, "王师傅"))
    e = Customer(app, user="e1", lang="en")
    await e.say(EN_BOOKING)
    done = await e.say("yes, can Mike come?")
    assert "couldn't find \"Mike\"" in done and "Booked!" in done and "asked" not in done.split("Booked!")[1]
    assert (await all_orders(app))[-1].preferred_staff_id is None


async def test_the_same_service_s_person_first_then_anyone_s(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app)
    await _booked_before(app, clock, c, ZH_BOOKING, "王师傅")
    clock.advance(days=2)
    await _booked_before(app, clock, c, "明天上午10点日常保洁，望京SOHO T1-1203，电话13812345678", "李阿姨")
    summary = await c.say("明天下午3点深度保洁，望京SOHO T1-1203，还是上次那个阿姨来")
    assert "指定师傅：王师傅（上次为您服务）" in summary, "the deep clean's, though 李阿姨 came since"
    await c.say("取消")
    summary = await c.say("明天下午3点家电清洗，望京SOHO T1-1203，还是上次那个阿姨来")
    assert "指定师傅：李阿姨（上次为您服务）" in summary, "no appliance cleaning before: the last visit's"


async def test_nobody_to_find_is_said_kindly_and_the_booking_goes_on(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app)
    summary = await c.say(f"{ZH_BOOKING}，还是上次那个阿姨来")
    assert "还没有查到您之前完成的订单" in summary and "预约照常进行" in summary
    assert "请核对订单" in summary and "指定师傅" not in summary
    await c.say("确认")
    assert (await all_orders(app))[0].preferred_staff_id is None
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "zw", "张伟")
        await staff_repo.identify(s, "web", "zq", "张强")
    answer = await c.say("后天上午10点深度保洁，让赵师傅来")
    assert "没有找到“赵师傅”这位师傅" in answer and "地址" in answer
    answer = await c.say("张阿姨来吧")
    assert "张伟、张强" in answer and "请说全名" in answer and "地址" in answer
    e = Customer(app, user="e1", lang="en")
    answer = await e.say("deep clean tomorrow 3pm, can Mike come again?")
    assert "couldn't find \"Mike\" on our team" in answer and "address" in answer


async def test_someone_who_left_is_not_asked_for(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app)
    await _booked_before(app, clock, c, ZH_BOOKING, "王师傅")
    async with app.db.sessions.begin() as s:
        await staff_repo.set_active(s, await _staff_id(app, "王师傅"), False)
    summary = await c.say("后天上午10点深度保洁，望京SOHO T1-1203，还是上次那个阿姨来")
    assert "上次为您服务的王师傅目前无法接单" in summary and "指定师傅" not in summary


# ---------------------------------------------------------------- an order already booked
async def _jobs(app, kind: str) -> list[ScheduledJob]:
    async with app.db.sessions() as s:
        return list((await s.execute(select(ScheduledJob).where(ScheduledJob.kind == kind))).scalars())


async def _amended(app, order_id: int) -> list[dict]:
    async with app.db.sessions() as s:
        return [e.changes for e in await order_repo.events_of(s, order_id) if e.kind == "amended"]


async def test_a_person_asked_for_once_booked_changes_that_order_not_a_new_one(make_app, clock: Clock) -> None:
    """"让王师傅来" the next day, the order booked and nothing under way: it used to start a
    booking ("请问您需要什么服务？") and the order was left as it was."""
    app = await make_app(rate_limit=0)
    app.conversations.subscribe_in_transaction(staff_logic.on_order_event)
    c = Customer(app)
    await _booked_before(app, clock, c, ZH_BOOKING, "王师傅")
    await c.say("后天上午10点来望京SOHO T1-1203做个深度保洁")
    await c.say("确认")
    booked = (await all_orders(app))[-1]
    async with app.db.sessions.begin() as s:  # the staff channel posted its card
        s.add(StaffCard(order_id=booked.id, channel="telegram", chat_id="-1", message_id="7"))
    assert "不客气" in await c.say("谢谢")
    ask = await c.say("让王师傅来")
    assert "指定师傅：（无） → 王师傅" in ask and "确定修改吗" in ask and "什么服务" not in ask
    assert c.payloads == ["affirm", "deny"]
    done = await c.say("确认修改")
    assert "已改好" in done and "指定师傅已更新" in done and "已请王师傅优先接单" in done
    old, booked = await all_orders(app)
    wang = await _staff_id(app, "王师傅")
    assert (booked.status, booked.preferred_staff_id, booked.assignee_id) == ("confirmed", wang, None)
    assert await _amended(app, booked.id) == [{"preferred_staff_id": [None, wang]}]
    [relay] = [j for j in await _jobs(app, staff_logic.RELAY) if j.order_id == booked.id]
    assert relay.payload["data"]["fields"] == ["preferred_staff_id"], "the staff group is told"
    assert [j for j in await _jobs(app, staff_logic.CARD) if j.order_id == booked.id], "and its card redrawn"
    assert len(await all_orders(app)) == 2, "no booking started"


async def test_the_one_who_has_it_is_told_whom_the_customer_asked_for(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    sent = wire(app, clock)
    c = Customer(app)
    await _booked_before(app, clock, c, ZH_BOOKING, "王师傅")
    await c.say("后天上午10点来望京SOHO T1-1203做个深度保洁")
    await c.say("确认")
    booked = (await all_orders(app))[-1]
    await staff_do(app, booked.id, "claim", who="li", name="李阿姨")
    assert "指定师傅：（无） → 王师傅" in await c.say("还是上次那个阿姨来")
    assert "已通知上门师傅" in await c.say("是的")
    clock.advance(minutes=1)
    await app.worker.run_once()
    [(_, to, msg)] = [x for x in sent.staff if x[2].template == "staff_order_amended"]
    assert not to.is_group and "指定师傅：（无） → 王师傅" in msg.reply.text and booked.number in msg.reply.text
    assert (await all_orders(app))[-1].preferred_staff_id == await _staff_id(app, "王师傅")


async def test_english_and_kept_and_nobody_found_once_booked(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    e = Customer(app, user="e1", lang="en")
    await _booked_before(app, clock, e, EN_BOOKING, "Li Na")
    await e.say("deep clean on friday 10am at 88 Jianguo Road Apt 5")
    await e.say("yes")
    ask = await e.say("can Li come?")
    assert "Staff asked for: (none) → Li Na" in ask and "Shall I change it?" in ask
    assert "stays as it is" in await e.say("Keep it")
    assert (await all_orders(app))[-1].preferred_staff_id is None
    answer = await e.say("can Mike come?")
    assert "couldn't find \"Mike\"" in answer and "What would you like" not in answer
    assert len(await all_orders(app)) == 2 and (await all_orders(app))[-1].preferred_staff_id is None


async def test_with_two_orders_booked_which_is_asked(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "wjg", "王建国")
    await c.say(ZH_BOOKING)
    await c.say("确认")
    await c.say("后天上午10点日常保洁，望京SOHO T1-1203")
    await c.say("确认")
    await c.say("我的订单")
    which = await c.say("让王师傅来")
    first, second = await all_orders(app)
    assert first.number in which and second.number in which and "指定师傅" not in which, "which one, asked"
    first, second = await all_orders(app)
    ask = await c.say(first.number)
    assert "指定师傅：（无） → 王建国" in ask
    await c.say("确认修改")
    first, second = await all_orders(app)
    assert (first.preferred_staff_id, second.preferred_staff_id) == (await _staff_id(app, "王建国"), None)


# ---------------------------------------------------------------- the staff group
def _card_of(tg: Harness, number: str) -> dict:
    return next(m for (chat, _), m in sorted(tg.fake.messages.items())
                if chat == STAFF and number in m["text"] and "客户指定" in m["text"])


async def test_the_card_names_who_was_asked_for_and_anyone_may_still_claim(tg: Harness, clock: Clock) -> None:
    await tg.book()
    await tg.flush()
    assert "客户指定" not in tg.card()["text"]
    assert await tg.press(BOB, tg.card(), "🙋 接单") == 200
    await tg.flush()
    clock.now = (await tg.order()).start_at
    assert await tg.press(BOB, tg.card(), "✅ 完成") == 200
    await tg.flush()
    await tg.say(ALICE, "后天上午10点深度保洁，朝阳区望京SOHO T1 1203，还是上次那个师傅吧")
    summary = tg.fake.last(1001)
    assert "指定师傅：Bob（上次为您服务）" in summary["text"]
    assert await tg.press(ALICE, summary, "确认下单") == 200
    await tg.flush()
    async with tg.app.db.sessions() as s:
        new = (await s.execute(select(Order).order_by(Order.id.desc()))).scalars().first()
    card = _card_of(tg, new.number)
    assert "👤 客户指定：Bob，请 Bob 优先接单" in card["text"]
    assert await tg.press(CAROL, card, "🙋 接单") == 200, "a wish: another may claim it"
    await tg.flush()
    card = _card_of(tg, new.number)
    assert "· 师傅：Carol" in card["text"] and "👤 客户指定：Bob\n" in card["text"] + "\n"
    assert "优先接单" not in card["text"]


async def test_an_english_staff_group_reads_it_in_english(serve_telegram, clock: Clock) -> None:  # noqa: F811
    tg = await serve_telegram(telegram_staff_lang="en")
    bill = user(1002, "Bill", lang="en")
    async with tg.app.db.sessions.begin() as s:
        await staff_repo.identify(s, "telegram", str(BOB["id"]), "Bob")
    await tg.say(bill, "I need a deep clean tomorrow at 3pm at 88 Jianguo Road apt 1203, phone 13800001111, "
                       "can Bob come?")
    summary = tg.fake.last(1002)
    assert "· Requested: Bob\n" in summary["text"]
    assert await tg.press(bill, summary, "Confirm") == 200
    await tg.flush()
    assert "👤 The customer asked for Bob: Bob, please claim this one" in tg.card()["text"]


# ---------------------------------------------------------------- the dashboard
async def test_the_dashboard_shows_whom_the_customer_asked_for_and_offers_them_first(make_app) -> None:
    from tests.test_web import ADMIN, BOOKING, Visitor, _account, _app, _order, _sign_in, client_of

    app = await _app(make_app)
    await _account(app, "李娜", "staff")
    wang, _ = await _account(app, "王建国", "staff")
    async with client_of(app) as client:
        visitor = Visitor(client)
        await visitor.open()
        await visitor.say(BOOKING)
        summary = (await visitor.say("让王师傅来"))[-1]["text"]
        assert "指定师傅：王建国" in summary
        confirmed = (await visitor.say("确认下单", payload="affirm"))[-1]["text"]
        number = re.search(r"\d{8}-\d{4}", confirmed).group(0)
        order = await _order(app, number)
        assert order.preferred_staff_id == wang and order.assignee_id is None
        await _sign_in(client, ADMIN)
        page = await (await client.get(f"/admin/orders/{order.id}")).text()
    assert re.search(r'<dd id="preferred">王建国</dd>', page)
    assert re.search(rf'<option value="{wang}" selected>王建国', page), "the assign form offers them first"


async def test_the_api_the_exports_and_the_history_name_whom_the_customer_asked_for(make_app) -> None:
    """/api/orders and the orders' CSV had no word of it; the order page's history showed the
    change as "客户指定师傅（编号）: 3"."""
    import csv
    import io

    from tests.test_web import ADMIN, BOOKING, Visitor, _account, _app, _order, _sign_in, client_of

    app = await _app(make_app)
    li, _ = await _account(app, "李娜", "staff")
    wang, _ = await _account(app, "王建国", "staff")
    async with client_of(app) as client:
        visitor = Visitor(client)
        await visitor.open()
        await visitor.say(BOOKING)
        await visitor.say("让王师傅来")
        confirmed = (await visitor.say("确认下单", payload="affirm"))[-1]["text"]
        number = re.search(r"\d{8}-\d{4}", confirmed).group(0)
        ask = (await visitor.say("还是让李师傅来吧"))[-1]["text"]
        assert "指定师傅：王建国 → 李娜" in ask
        await visitor.say("确认修改", payload="affirm")
        order = await _order(app, number)
        assert order.preferred_staff_id == li
        rows = await (await client.get("/api/orders", headers={"Authorization": f"Bearer {ADMIN}"})).json()
        assert [(r["number"], r["preferred_staff"], r["assignee"]) for r in rows] == [(number, "李娜", None)]
        await _sign_in(client, ADMIN)
        page = await (await client.get(f"/admin/orders/{order.id}")).text()
        exported = await (await client.get("/admin/export?kind=orders&format=csv")).text()
    assert "客户指定师傅: 王建国 → 李娜" in page and "编号" not in page
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert (row["number"], row["preferred_staff"], row["assignee"]) == (number, "李娜", "")
    assert wang != li


async def test_the_staff_group_and_the_one_who_has_it_read_a_change_of_the_person_asked_for(
        tg: Harness, clock: Clock) -> None:  # noqa: F811
    """Asked for once booked and claimed: the card names them, its thread says what changed, and
    the assignee is told privately by name (not "3")."""
    order = await tg.book()
    await tg.flush()
    assert await tg.press(BOB, tg.card(), "🙋 接单") == 200
    await tg.flush()
    async with tg.app.db.sessions.begin() as s:
        await staff_repo.identify(s, "telegram", str(CAROL["id"]), "Carol")
    await tg.say(ALICE, "can Carol come?")
    assert "Staff asked for: (none) → Carol" in tg.fake.last(ALICE["id"])["text"], "asked in English, answered so"
    await tg.say(ALICE, "yes")
    assert "We've asked Carol to take it first" in tg.fake.last(ALICE["id"])["text"]
    await tg.flush()
    card = tg.card()["text"]
    assert "· 师傅：Bob" in card and "👤 客户指定：Carol" in card
    said = [m["text"] for (chat, _), m in sorted(tg.fake.messages.items()) if chat == STAFF]
    assert any(f"客户修改了订单 {order.number} 的指定师傅" in t for t in said), said
    private = tg.fake.last(BOB["id"])["text"]
    assert "客户修改了您接的订单" in private and "指定师傅：（无） → Carol" in private
