"""The twentieth QA pass, as Chinese (and some English) customers: work the business does not
do ("顺便除甲醛") went onto a pest-control note as if booked, and "装窗帘杆和挂画" got "请问您需要什么
服务？" again and again; "随便 都行" to "几点方便？" got "没太明白"; "需要带身份证吗 开锁的话" started
a locksmith booking and lost the question; "后天是周几来着" once booked started a booking;
"能便宜点吗" only repeated the price. Each is checked on what the customer sees and what is stored.
The test clock is Tuesday 2026-11-24 20:00 in Shanghai."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_dialogue import Customer, all_orders

ADDRESS_PHONE = "西城区新康小区3号楼2单元501，13700001111"


# ----- work we don't do: said so, never filed under another service ---------------------------
@pytest.mark.parametrize("said,note", [
    (f"明天下午3点灭蟑螂 顺便除甲醛，{ADDRESS_PHONE}", None),
    (f"明天下午3点灭蟑螂，{ADDRESS_PHONE}，顺便除甲醛，家里有猫", "家里有猫"),  # the rest of the note kept
])
async def test_work_we_dont_do_said_inside_a_booking_is_declined_and_kept_off_the_note(make_app, said: str,
                                                                                     note: str | None) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say(said)
    assert "除甲醛" in reply and "不提供" in reply and "除虫灭害" in reply, reply
    assert "预约成功" in await c.say("确认")
    (order,) = await all_orders(app)
    assert order.service_id == "pest_control"
    assert "甲醛" not in (order.notes or "")
    if note:
        assert note in (order.notes or ""), order.notes


@pytest.mark.parametrize("lang,said,what,declined", [
    ("zh", "装窗帘杆和挂画", "装窗帘杆和挂画", "不提供"),
    ("zh", "明天上午除甲醛", "除甲醛", "不提供"),
    ("en", "can you hang some pictures tomorrow?", "hang some pictures", "not something we offer"),
    # its "removal" is no move: no moving booked for it
    ("en", "do you do formaldehyde removal?", "formaldehyde removal", "not something we offer"),
])
async def test_work_we_dont_do_said_alone_is_declined_with_what_we_do(make_app, lang: str, said: str, what: str,
                                                                      declined: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    for _ in range(2):  # said again: declined again, never "which service?" with the words lost
        reply = await c.say(said)
        assert what in reply and declined in reply, reply
        assert "什么服务" not in reply and "没太明白" not in reply, reply
        assert ("家具安装" if lang == "zh" else "Furniture assembly") in reply, reply  # what we do, listed
        assert ("转人工" if lang == "zh" else '"human"') in reply, reply  # and a person for the rest
    assert await all_orders(app) == []


@pytest.mark.parametrize("text,flagged", [
    ("deep cleaning tomorrow 10am, please also wash the curtains", None),  # washed: part of a cleaning
    ("can you clean my curtains?", None),
    ("明天深度保洁，窗帘也洗一下", None),
    ("can you put up curtains?", "put up curtains"),
    ("install a curtain rod", "install a curtain rod"),
])
def test_only_work_we_dont_do_is_flagged(text: str, flagged: str | None) -> None:
    from tests.test_reviews import NLU
    assert NLU.parse(text).flags.get("not_offered") == flagged


# ----- no preference for the time: the first free start, one tap away -------------------------
@pytest.mark.parametrize("lang,booking,any_time,first", [
    ("zh", "明天修空调", "随便 都行", "11月25日（周三）07:00"),
    ("zh", "明天修空调", "都可以", "11月25日（周三）07:00"),
    ("en", "fix my aircon tomorrow", "any time is fine", "Wed 25 Nov, 07:00"),
])
async def test_any_time_offers_the_first_free_start(make_app, lang: str, booking: str, any_time: str,
                                                    first: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    reply = await c.say(any_time)
    assert first in reply and "没太明白" not in reply and "understand" not in reply, reply
    taken = await c.say("1")  # the quick reply
    assert "07:00" in taken and ("地址" in taken or "address" in taken), taken


@pytest.mark.parametrize("lang,booking,any_time,booked", [
    ("zh", "下午修空调", "随便", "11月25日（周三）下午"),  # today's afternoon is over at 20:00
    ("en", "fix my aircon in the afternoon", "whenever", "Wed 25 Nov, afternoon"),
])
async def test_any_day_with_the_part_of_day_known_books_the_first_such(make_app, lang: str, booking: str,
                                                                       any_time: str, booked: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    reply = await c.say(any_time)
    assert booked in reply and ("地址" in reply or "address" in reply), reply


# ----- a question about a service books nothing ------------------------------------------------
async def test_a_locksmith_question_with_its_service_last_books_nothing(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("需要带身份证吗 开锁的话")
    assert "身份证" in reply and "哪天" not in reply and "几点" not in reply, reply
    assert await all_orders(app) == []


# ----- the weekday asked once booked: answered, nothing changed --------------------------------
@pytest.mark.parametrize("lang,asked,answer", [
    ("zh", "后天是周几来着", "11月26日（周四）"),
    ("zh", "明天是周三吗", "11月25日（周三）"),
    ("en", "what day is the day after tomorrow?", "Thu 26 Nov"),
])
async def test_the_weekday_asked_after_booking_is_answered_and_changes_nothing(make_app, lang: str, asked: str,
                                                                              answer: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(f"明天下午3点深度保洁，{ADDRESS_PHONE}")
    assert "预约成功" in await c.say("确认") or lang == "en"
    before = [(o.service_id, o.date, o.time) for o in await all_orders(app)]
    reply = await c.say(asked)
    assert answer in reply, reply
    assert "服务地址" not in reply and "请核对" not in reply and "address" not in reply.lower(), reply
    assert [(o.service_id, o.date, o.time) for o in await all_orders(app)] == before == [
        ("deep_cleaning", dt.date(2026, 11, 25), dt.time(15, 0))]


# ----- asking it cheaper: the listed prices, kindly, and a person to ask ------------------------
@pytest.mark.parametrize("lang,asked,said", [
    ("zh", "能便宜点吗", ("统一的标价", "转人工")),
    ("zh", "太贵了", ("统一的标价", "转人工")),
    ("en", "too expensive", ("same for everyone", "human")),
    ("en", "can you do it cheaper?", ("same for everyone", "human")),
])
async def test_asking_it_cheaper_gets_the_listed_prices_kindly(make_app, lang: str, asked: str,
                                                              said: tuple[str, ...]) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say("深度保洁多少钱" if lang == "zh" else "how much is deep cleaning?")
    reply = await c.say(asked)
    assert all(s in reply for s in said) and "¥298" not in reply, reply
    assert await all_orders(app) == []


async def test_something_valuable_said_is_no_haggling(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(f"明天下午3点深度保洁，{ADDRESS_PHONE}")
    reply = await c.say("东西太贵重了 小心点")  # a remark for the staff, no "too expensive"
    assert "统一的标价" not in reply, reply
