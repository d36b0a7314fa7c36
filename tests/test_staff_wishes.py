"""What customers say about the person we send, beyond tests/test_same_staff.py: the wish asked
as a question ("还是上次那个阿姨来吗", "will it be the same cleaner as last time?"), a staff member
asked for by full name without a title ("让李娜来", "can Li Na come?"), a person and a day said
together ("让王师傅周末来"), and English questions about the staff inside a booking's answer
("friday 10am, is the mover a woman?"), which used to book the service their staff word names."""

from __future__ import annotations

import re

import pytest

from nlu.pipeline import NluParser
from storage import staff as staff_repo
from tests.conftest import Clock
from tests.test_dialogue import Customer, all_orders
from tests.test_nlu_flags import NOW, parser  # noqa: F401  (fixture)
from tests.test_same_staff import EN_BOOKING, ZH_BOOKING, _booked_before, _staff_id


# ---------------------------------------------------------------- a question about the staff, mid-booking
@pytest.mark.parametrize("text, slots, asks", [
    ("friday 10am, is the mover a woman?", {"date": "2026-11-27", "time": "10:00"}, "is the mover a woman?"),
    ("88 Jianguo Road Apt 5, is the cleaner a woman?", {"address": "88 Jianguo Road Apt 5"}, "is the cleaner a woman?"),
    ("tomorrow 3pm, how many movers will come?", {"date": "2026-11-25", "time": "15:00"}, "how many movers will come?"),
    ("周五上午10点，师傅是女的吗", {"date": "2026-11-27", "time": "10:00"}, "师傅是女的吗"),
])
def test_a_staff_question_beside_an_answer_is_passed_on_and_books_no_service(parser: NluParser, text: str,  # noqa: F811
                                                                             slots: dict, asks: str) -> None:
    """"mover", "cleaner" in a question about the person named the moving or cleaning service,
    which took the clause, so the question was neither a note nor passed on."""
    got = parser.parse(text, now=NOW, expected="date")
    assert (got.slots, got.flags.get("asks")) == (slots, asks)


def test_a_staff_question_led_by_by_the_way_is_no_second_service(parser: NluParser) -> None:  # noqa: F811
    """Its clause, cut without the question mark, was no question: "cleaner" asked for a daily clean too."""
    got = parser.parse("deep clean tomorrow 3pm at 88 Jianguo Road Apt 5, by the way is the cleaner a woman?", now=NOW)
    assert (got.slots["service"], got.flags.get("asks")) == ("deep_cleaning", "by the way is the cleaner a woman?")
    assert not got.flags.keys() & {"also", "also_services"}


@pytest.mark.parametrize("lang, start, answer, question, noted, address, service", [
    ("en", "I need a deep clean", "friday 10am, is the cleaner a woman?", "is the cleaner a woman?",
     'your question ("is the cleaner a woman?")', "88 Jianguo Road Apt 5", "Deep cleaning"),
    ("en", "I need to move house", "friday 10am, how many movers will come?", "how many movers will come?",
     'your question ("how many movers will come?")', "from 88 Jianguo Road to 5 Xinyuan St", "Moving"),
    ("zh", "我要深度保洁", "周五上午10点，阿姨是女的吗", "阿姨是女的吗", "您的问题“阿姨是女的吗”已记在订单备注里",
     "望京SOHO T1-1203", "深度保洁"),
])
async def test_a_staff_question_with_the_day_is_passed_on_in_both_languages(
        make_app, lang: str, start: str, answer: str, question: str, noted: str, address: str,
        service: str) -> None:
    app = await make_app(rate_limit=0)
    c = Customer(app, lang=lang)
    await c.say(start)
    reply = await c.say(answer)
    assert noted in reply and ("地址" in reply or "address" in reply), reply
    await c.say(address)
    summary = await c.say("13800001111")
    assert service in summary and "❓" + question in summary and "Regular cleaning" not in summary


# ---------------------------------------------------------------- the same person, asked as a question
@pytest.mark.parametrize("text", [
    "还是上次那个阿姨来吗", "还是上次那个阿姨来吗？", "上次的师傅还来吗", "能让上次那个阿姨来吗",
    "will it be the same cleaner as last time?", "can the same cleaner come?", "are you sending the same cleaner?",
])
def test_the_same_person_asked_as_a_question_is_the_wish(parser: NluParser, text: str) -> None:  # noqa: F811
    """A question about the last time's person coming is no question for staff: a wish, said so."""
    got = parser.parse(text, now=NOW)
    assert (got.flags.get("same_staff"), got.flags.get("asks_staff"), got.slots) == (True, True, {}), got
    assert not got.flags.keys() & {"asks", "note", "staff_named"}


@pytest.mark.parametrize("lang, before, who, start, question, answer, shown", [
    ("zh", ZH_BOOKING, "王师傅", "后天上午10点深度保洁", "还是上次那个阿姨来吗",
     "好的，已记下：会先请上次为您服务的王师傅来", "指定师傅：王师傅（上次为您服务）"),
    ("en", EN_BOOKING, "Li Na", "deep clean on friday 10am", "will it be the same cleaner as last time?",
     "Noted: we'll ask Li Na, who served you last time, first", "· Requested: Li Na (served you last time)"),
])
async def test_asked_whether_the_same_person_comes_we_note_it_and_say_so(
        make_app, clock: Clock, lang: str, before: str, who: str, start: str, question: str, answer: str,
        shown: str) -> None:
    """It used to be "抱歉，我没太明白" (zh) or the question put on the order's notes for staff (en)."""
    app = await make_app(rate_limit=0)
    c = Customer(app, lang=lang)
    await _booked_before(app, clock, c, before, who)
    await c.say(start)
    reply = await c.say(question)
    assert answer in reply and ("地址" in reply or "address" in reply), reply
    assert "已记下指定师傅" not in reply and "your question" not in reply and "没太明白" not in reply
    await c.say("望京SOHO T1-1203" if lang == "zh" else "88 Jianguo Road Apt 5")
    summary = c.last.text if "phone" not in c.last.text and "电话" not in c.last.text else await c.say("13812345670")
    assert shown in summary and "❓" not in summary, summary
    await c.say("确认" if lang == "zh" else "yes")
    new = (await all_orders(app))[-1]
    assert (new.status, new.preferred_staff_id, new.notes) == ("confirmed", await _staff_id(app, who), None)


# ---------------------------------------------------------------- a full name without a title
@pytest.mark.parametrize("text, name, slots", [
    ("让李娜来", "李娜", {}), ("能让李娜来吗", "李娜", {}),
    ("让李娜明天下午来", "李娜", {"date": "2026-11-25", "period": "afternoon"}),
])
def test_a_bare_full_name_asked_to_come_is_left_to_the_staff_list(parser: NluParser, text: str, name: str,  # noqa: F811
                                                                  slots: dict) -> None:
    got = parser.parse(text, now=NOW)
    assert got.flags["staff_maybe"]["name"] == name and got.slots == slots and "staff_named" not in got.flags


@pytest.mark.parametrize("text", ["让物业来", "让我老公来", "别让李娜来", "请保洁来", "找个阿姨来", "让师傅来",
                                  "我让李娜来开门"])
def test_ordinary_words_asked_to_come_are_no_name(parser: NluParser, text: str) -> None:  # noqa: F811
    assert not parser.parse(text, now=NOW).flags.keys() & {"staff_maybe", "staff_named"}


def test_an_english_full_name_is_asked_for_as_said(parser: NluParser) -> None:  # noqa: F811
    got = parser.parse("can Li Na come?", now=NOW)
    assert (got.flags.get("staff_named"), got.flags.get("asks_staff")) == ("Li Na", True)


async def _team(app, *names: str) -> None:
    async with app.db.sessions.begin() as s:
        for i, name in enumerate(names):
            await staff_repo.identify(s, "web", f"s{i}", name)


@pytest.mark.parametrize("lang, booking, ask, answer, shown", [
    ("zh", ZH_BOOKING, "让李娜来", "请核对订单", "指定师傅：李娜\n"),
    ("zh", ZH_BOOKING, "能让李娜来吗", "好的，已记下：会先请李娜来", "指定师傅：李娜\n"),
    ("en", EN_BOOKING, "can Li Na come?", "Noted: we'll ask Li Na first", "· Requested: Li Na\n"),
])
async def test_a_staff_member_asked_for_by_full_name_without_a_title(make_app, lang: str, booking: str, ask: str,
                                                                     answer: str, shown: str) -> None:
    """"让李娜来" at the summary used to change nothing (not understood), "…，让李娜来" went on the notes."""
    app = await make_app(rate_limit=0)
    await _team(app, "李娜", "Li Na", "王建国")
    c = Customer(app, lang=lang)
    await c.say(booking)
    summary = await c.say(ask)
    assert answer in summary and shown in summary and "备注" not in summary and "Notes" not in summary, summary
    await c.say("确认" if lang == "zh" else "yes")
    [order] = await all_orders(app)
    who = "李娜" if lang == "zh" else "Li Na"
    assert (order.preferred_staff_id, order.notes, order.name) == (await _staff_id(app, who), None, None)


async def test_a_bare_name_in_a_booking_is_a_request_only_for_one_of_ours(make_app) -> None:
    app = await make_app(rate_limit=0)
    await _team(app, "李娜")
    c = Customer(app)
    summary = await c.say(f"{ZH_BOOKING}，让李娜来")
    assert "指定师傅：李娜" in summary and "备注" not in summary
    await c.say("取消")
    other = Customer(app, user="u2")
    summary = await other.say(f"{ZH_BOOKING}，让张三来")
    assert "没有找到" not in summary and "指定师傅" not in summary and "备注：让张三来" in summary, "read as before"


# ---------------------------------------------------------------- a person and the day together
@pytest.mark.parametrize("text, name", [("让王师傅周末来", "王师傅"), ("能让王师傅这周末来吗", "王师傅"),
                                        ("让李娜周末来", None)])
def test_the_weekend_a_person_is_asked_to_come_on_is_the_booking_s(parser: NluParser, text: str,  # noqa: F811
                                                                   name: str | None) -> None:
    """"让王师傅周末来" read the person and no day (the FAQ answered "周末" with the opening hours)."""
    got = parser.parse(text, now=NOW)
    assert got.flags.get("staff_named") == name and "faq" not in got.flags
    assert got.flags["day_choice"] == {"kind": "weekend", "dates": ["2026-11-28", "2026-11-29"]}


async def test_a_person_asked_for_the_weekend_is_offered_its_days(make_app) -> None:
    app = await make_app(rate_limit=0)
    await _team(app, "王建国")
    c = Customer(app)
    ask = await c.say("让王师傅周末来")
    assert "已记下指定师傅 王建国" in ask and "约周六还是周日" in ask and "营业" not in ask, ask
    assert "11月29日（周日）" in await c.say("周日") and "什么服务" in c.last.text
    await c.say("深度保洁")
    await c.say("下午3点")
    await c.say("望京SOHO T1-1203")
    summary = await c.say("13812345678")
    assert "11月29日（周日）15:00" in summary and "指定师傅：王建国" in summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert (str(order.date), order.preferred_staff_id) == ("2026-11-29", await _staff_id(app, "王建国"))


async def test_a_person_and_a_day_mid_booking_are_both_echoed(make_app) -> None:
    """"让王师傅明天下午来" echoed the day and not the person asked for."""
    app = await make_app(rate_limit=0)
    await _team(app, "王建国")
    c = Customer(app)
    await c.say("深度保洁")
    ask = await c.say("让王师傅明天下午来")
    assert "好的，深度保洁，11月25日（周三）下午，指定师傅 王建国。" in ask and "地址" in ask, ask


# ---------------------------------------------------------------- the dashboard's history
async def test_the_history_names_a_change_of_the_person_asked_for(make_app) -> None:
    """The order page labelled "让王师傅来" once booked "改联系信息" (contact details changed)."""
    from tests.test_web import ADMIN, BOOKING, Visitor, _account, _app, _order, _sign_in, client_of

    app = await _app(make_app)
    await _account(app, "王建国", "staff")
    async with client_of(app) as client:
        visitor = Visitor(client)
        await visitor.open()
        await visitor.say(BOOKING)
        confirmed = (await visitor.say("确认下单", payload="affirm"))[-1]["text"]
        number = re.search(r"\d{8}-\d{4}", confirmed).group(0)
        assert "指定师傅：（无） → 王建国" in (await visitor.say("让王师傅来"))[-1]["text"]
        await visitor.say("确认修改", payload="affirm")
        await visitor.say("地址写错了，是望京SOHO T2-1203")
        await visitor.say("确认修改", payload="affirm")
        order = await _order(app, number)
        await _sign_in(client, ADMIN)
        zh = await (await client.get(f"/admin/orders/{order.id}")).text()
        en = await (await client.get(f"/admin/orders/{order.id}?lang=en")).text()
    assert re.search(r"<b>改指定师傅</b>.*\n.*客户指定师傅: [^;]* → 王建国", zh), "its own label, then the change"
    assert zh.count("<b>改指定师傅</b>") == 1 and zh.count("<b>改联系信息</b>") == 1, "the address change stays one"
    assert en.count("<b>staff asked for changed</b>") == 1 and en.count("<b>contact details changed</b>") == 1


# ----- the person a complaint is about is not asked for ----------------------------------------
@pytest.mark.parametrize("text", ["上次让王师傅来，他迟到了", "让王师傅来的那次迟到了"])
async def test_the_person_complained_of_is_not_asked_for(make_app, clock: Clock, text: str) -> None:
    """"上次让王师傅来，他迟到了" with an order booked proposed "指定师傅：（无） → 王师傅" (the wish read
    from "让王师傅来") and nobody heard the complaint: now a person is asked for, the order unchanged."""
    from tests.reminder_helpers import wire
    app = await make_app()
    sent = wire(app, clock)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "w", "王师傅")
    c = Customer(app)
    await c.say(ZH_BOOKING)
    await c.say("确认")
    reply = await c.say(text)
    assert "指定师傅" not in reply and "非常抱歉" in reply, reply
    [order] = await all_orders(app)
    assert order.preferred_staff_id is None
    await app.worker.run_once()
    [alert] = [m for _, _, m in sent.staff if m.template == "staff_human_request"]
    assert alert.data["complaint"] == "late" and text in alert.reply.text


# ----- a question amid the booking's words is passed on, not only one at its end ---------------
@pytest.mark.parametrize(("text", "asks"), [
    ("deep clean tomorrow 3pm, is the cleaner a woman? 88 Jianguo Road", "is the cleaner a woman?"),
    ("deep clean tomorrow 3pm and is the cleaner a woman?", "is the cleaner a woman?"),
    ("明天下午深度保洁，阿姨是女的吗？望京SOHO T1-1203", "阿姨是女的吗？"),
    ("deep clean tomorrow 3pm and can you bring a ladder?", "can you bring a ladder?"),
])
def test_a_question_amid_a_booking_is_found(parser: NluParser, text: str, asks: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots["service"], r.flags.get("asks")) == ("book", "deep_cleaning", asks), r


def test_a_bare_may_i_amid_a_booking_is_no_question_to_pass_on(parser: NluParser) -> None:
    assert "asks" not in parser.parse("明天下午三点保洁可以吗？望京SOHO T1-1203", now=NOW).flags
