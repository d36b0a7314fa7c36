"""QA round 10, an English-speaking customer (an expat in Beijing booking a cleaner, a plumber,
a locksmith): a room written "Rm" and a building named after it without a comma ("Rm 1203 Tower 2
Jianwai SOHO") is the address, not lost with the phone said after it; "need a locksmith now" is
the first slot we can do; "deep clean 明天 3pm" and a Chinese address pasted from a map keep the
conversation in English; "wrong address, it's …" is no note, nor "the address is incorrect, it is …" or
"地址有误，应该是…"; "can the cleaner speak english?"
keeps the service booked and notes the question; "actually make it 4pm" once booked moves that
order; "sat 9ish" is Saturday 09:00."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize("text, address", [
    ("Rm 1203, Tower B, Jianwai SOHO", "Rm 1203, Tower B, Jianwai SOHO"),
    ("Rm 1203 Tower 2 Jianwai SOHO", "Rm 1203 Tower 2 Jianwai SOHO"),
    ("rm 1203 tower 2 jianwai soho tomorrow 3pm deep clean", "rm 1203 tower 2 jianwai soho"),
    ("deep clean at Apt 5B Park View Residences tmrw 10am, 13812345678", "Apt 5B Park View Residences"),
])
def test_a_room_and_the_building_after_it_are_the_address(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text, now=NOW).slots["address"] == address


async def test_a_run_on_booking_with_rm_and_a_building_keeps_address_and_phone(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say("book aircon cleaning tmrw 10am, 2 units, Rm 1203 Tower 2 Jianwai SOHO, 13812345678")
    assert "What's the address" not in summary
    assert "Address: Rm 1203 Tower 2 Jianwai SOHO" in summary and "Phone: 13812345678" in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.address, order.phone, order.quantity) == ("Rm 1203 Tower 2 Jianwai SOHO", "13812345678", 2)


async def test_the_room_before_the_tower_stays_in_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("my kitchen sink is clogged, can u send a plumber tmrw 9am")
    await c.say("Rm 1203, Tower B, Jianwai SOHO")
    summary = await c.say("+86 138-1234-5678")
    assert "Address: Rm 1203, Tower B, Jianwai SOHO" in summary and "Notes: Rm 1203" not in summary


@pytest.mark.parametrize("text", ["need a locksmith now", "locked out of my apt!! need locksmith now pls",
                                  "i need a plumber now, water everywhere"])
def test_needing_someone_now_is_as_soon_as_possible(parser: NluParser, text: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("asap")


@pytest.mark.parametrize("text", ["i don't need a cleaner now", "we need a cleaner now and then"])
def test_now_that_is_no_hurry_is_not_asap(parser: NluParser, text: str) -> None:
    assert not parser.parse(text, now=NOW).flags.get("asap")


async def test_a_locked_out_customer_who_says_now_is_not_asked_which_day(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("locked out of my apt!! need locksmith now pls")
    assert "Which day" not in reply and "Tue 24 Nov, 20:30" in reply
    await c.say("12 Sanlitun Rd apt 3A")
    summary = await c.say("13912345678")
    assert "Service: Locksmith" in summary and "When: Tue 24 Nov, 20:30" in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.address, order.status) == ("lock_service", "12 Sanlitun Rd apt 3A", "confirmed")


async def test_an_english_customer_who_writes_the_day_in_chinese_is_answered_in_english(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    asked = await c.say("deep clean 明天 3pm")
    assert "What's the address" in asked and "Wed 25 Nov, 15:00" in asked and "地址" not in asked
    await c.say("Apt 5B 21 Xinyuan South Rd")
    summary = await c.say("13812345678")
    assert "When: Wed 25 Nov, 15:00" in summary and "请核对" not in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert order.lang == "en"


async def test_a_chinese_address_pasted_from_a_map_keeps_the_booking_in_english(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a deep clean tomorrow 3pm")
    asked = await c.say("朝阳区望京SOHO T1-1203")
    assert "phone number" in asked and "电话" not in asked
    summary = await c.say("13812345678")
    assert "Address: 朝阳区望京SOHO T1-1203" in summary and "请核对" not in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.lang, order.address) == ("en", "朝阳区望京SOHO T1-1203")


async def test_a_chinese_customer_still_gets_chinese_for_the_same_words(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "地址" in await c.say("明天 3pm deep clean")
    assert "电话" in await c.say("朝阳区望京SOHO T1-1203")


SUMMARY_FIRST = "window cleaning tmrw 3pm, 88 Jianguo Rd apt 1203, 13812345678"


SAID_WRONG_WITH_THE_RIGHT_ONE = [
    ("wrong address, it's 66 Jianguo Rd apt 1203", "address", "66 Jianguo Rd apt 1203"),
    ("the address is incorrect, it is 66 Jianguo Road, Room 1203", "address", "66 Jianguo Road, Room 1203"),
    ("address is incorrect. it's 66 Jianguo Road, Room 1203", "address", "66 Jianguo Road, Room 1203"),
    ("the address isn't right, it should be 66 Jianguo Road, Room 1203", "address", "66 Jianguo Road, Room 1203"),
    ("that address was wrong, it's 66 Jianguo Road, Room 1203", "address", "66 Jianguo Road, Room 1203"),
    ("sorry wrong number, it's 13987654321", "phone", "13987654321"),
    ("the phone number is incorrect, it's 13987654321", "phone", "13987654321"),
]


@pytest.mark.parametrize("fix, field, value", SAID_WRONG_WITH_THE_RIGHT_ONE)
def test_saying_what_was_wrong_reads_the_right_one_and_no_note(parser: NluParser, fix: str, field: str,
                                                                value: str) -> None:
    result = parser.parse(fix, now=NOW)
    assert result.slots == {field: value}
    assert "note" not in result.flags and result.flags.get("correction")


@pytest.mark.parametrize("fix, address", [
    ("地址不对，是建国路88号1203", "建国路88号1203"),
    ("地址有误，应该是建国路88号1203", "建国路88号1203"),
    ("地址不正确，是建国路88号1203", "建国路88号1203"),
    ("地址应该是建国路88号1203", "建国路88号1203"),
])
def test_saying_in_chinese_the_address_was_wrong_reads_the_right_one_and_no_note(parser: NluParser, fix: str,
                                                                                 address: str) -> None:
    result = parser.parse(fix, now=NOW)
    assert result.slots == {"address": address} and "note" not in result.flags


@pytest.mark.parametrize("text", ["the address isn't right", "address isnt correct", "the address was wrong"])
def test_saying_the_address_is_wrong_alone_is_no_address_but_that_one_is_wrong(parser: NluParser, text: str) -> None:
    result = parser.parse(text, now=NOW)
    assert "address" not in result.slots and result.flags.get("wrong_field") == "address"


@pytest.mark.parametrize("fix, field, value", [
    *SAID_WRONG_WITH_THE_RIGHT_ONE,
    ("my bad, it's 88 Jianguo Rd apt 1302", "address", "88 Jianguo Rd apt 1302"),
])
async def test_saying_what_was_wrong_is_no_note_for_the_technician(make_app, fix: str, field: str,
                                                                   value: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(SUMMARY_FIRST)
    summary = await c.say(fix)
    assert value in summary and "Notes:" not in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert getattr(order, field) == value and order.notes is None


async def test_saying_in_chinese_the_address_was_wrong_is_no_note_for_the_technician(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点深度保洁，朝阳区望京SOHO T1-1203，13812345678")
    summary = await c.say("地址有误，应该是建国路88号1203")
    assert "地址：建国路88号1203" in summary and "备注" not in summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.address, order.notes) == ("建国路88号1203", None)


async def test_saying_the_address_is_wrong_alone_asks_for_it_again(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(SUMMARY_FIRST)
    assert "What's the address?" in await c.say("the address isn't right")
    summary = await c.say("66 Jianguo Road, Room 1203")
    assert "Address: 66 Jianguo Road, Room 1203" in summary and "Notes:" not in summary


BOOKING = "deep clean tomorrow 10am at 88 Jianguo Rd apt 1203, 13812345678"


async def test_a_question_about_the_cleaner_at_the_summary_keeps_the_service_booked(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(BOOKING)
    reply = await c.say("can the cleaner speak english?")
    assert "Service: Deep cleaning" in reply and "Regular cleaning" not in reply
    assert 'I\'ve put your question ("can the cleaner speak english?")' in reply
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("deep_cleaning", "❓can the cleaner speak english?")


async def test_a_question_about_the_cleaner_mid_booking_goes_on_the_note(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 10am")
    reply = await c.say("is the cleaner a woman?")
    assert "passed it on to our team" in reply and "What's the address" in reply
    assert "Regular cleaning" not in reply
    await c.say("88 Jianguo Rd apt 1203")
    summary = await c.say("13812345678")
    assert "Service: Deep cleaning" in summary and "Notes: ❓is the cleaner a woman?" in summary


@pytest.mark.parametrize("text, service", [
    ("can you send a cleaner tomorrow?", "daily_cleaning"),
    ("can your guys fix a washing machine?", "appliance_repair"),
    ("can the plumber come asap?", "drain_unclogging"),
])
def test_asking_for_the_worker_to_come_is_still_a_booking(parser: NluParser, text: str, service: str) -> None:
    result = parser.parse(text, now=NOW)
    assert (result.intent, result.slots.get("service")) == ("book", service)


async def test_make_it_4pm_right_after_booking_moves_the_booked_order(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(BOOKING)
    await c.say("yes")
    asked = await c.say("actually make it 4pm")
    assert "Wed 25 Nov, 10:00 → Wed 25 Nov, 16:00" in asked and "Which service" not in asked
    assert "now Wed 25 Nov, 16:00" in await c.say("yes")
    cancel = await c.say("pls cancel my cleaning")
    assert "Cancel this order?" in cancel and "Regular cleaning" not in cancel
    assert "stays as it is" in await c.say("no keep it")
    [order] = await all_orders(app)
    assert (order.status, order.time.strftime("%H:%M")) == ("confirmed", "16:00")


async def test_make_it_4pm_with_nothing_booked_still_starts_a_booking(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Which service" in await c.say("actually make it 4pm")


@pytest.mark.parametrize("text, date, time", [
    ("need a regular cleaner sat 9ish for 4 hours", "2026-11-28", "09:00"),
    ("deep clean tmrw 3ish", "2026-11-28", "15:00"),
    ("sat around 10", "2026-11-28", "10:00"),
])
def test_an_hour_said_loosely_keeps_its_day(parser: NluParser, text: str, date: str, time: str) -> None:
    slots = parser.parse(text, now=NOW).slots
    assert (slots["date"], slots["time"]) == (date, time)


async def test_a_cleaner_sat_9ish_is_booked_for_that_morning(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("need a regular cleaner sat 9ish for 4 hours")
    assert "Sat 28 Nov, 09:00" in reply and "Which day" not in reply
    await c.say("88 Jianguo Rd apt 1203")
    summary = await c.say("13812345678")
    assert "Regular cleaning (4 hours)" in summary and "When: Sat 28 Nov, 09:00" in summary



@pytest.mark.parametrize("question, what", [
    ("do you have english tutors?", "english tutors"),
    ("hi, do you guys have nannies?", "nannies"),
])
async def test_asking_for_something_we_do_not_do_is_told_so(make_app, question: str, what: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say(question)
    assert f'"{what}" is not something we offer' in reply and "Deep cleaning" in reply
    assert "didn't understand" not in reply and "I take bookings" not in reply


@pytest.mark.parametrize("question", ["do you have availability?", "do you have wechat?",
                                      "do you have english speaking staff?"])
def test_asking_what_we_have_besides_a_service_is_no_unoffered_service(parser: NluParser, question: str) -> None:
    assert "asked_for" not in parser.parse(question, now=NOW).flags


async def test_hi_do_you_have_a_service_we_do_is_its_price(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("hi do you have cleaners?")
    assert "Regular cleaning: ¥45 per hour" in reply and "Shall I book it?" in reply
