"""The nineteenth QA pass, as English-speaking customers in Beijing: "cancel the window
cleaning" with a regular and a window cleaning booked asked "which one?" (the "cleaning" in
its name is a regular cleaning's synonym); "what bookings do i have" started a booking; a
flat's number said bare after its tower ("…, Jianwai SOHO tower B 1502") was cut off the
address; an estate named between the units and the street ("Flat 2101, Tower B, Central
Park, 6 Chaoyangmenwai Ave") was dropped and the units moved behind the street. Each is
checked on what the customer sees and what the order stores."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

PHONE = "+86 138 1234 5678"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


async def _booked(c: Customer, *messages: str) -> str:
    """The messages said, then "yes" to the summary they end at: its reply."""
    for text in messages:
        await c.say(text)
    return await c.say("yes")


# ----- a service named inside another's name is not a second one -----------------------------
async def test_cancel_the_window_cleaning_of_two_cleanings(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "regular cleaning tmrw noon, 3 hours, Unit 806, Tower A, Parkview Green, Dongcheng, " + PHONE)
    await _booked(c, "also book window cleaning on friday at 9", "same address")
    reply = await c.say("cancel the window cleaning")
    assert "Which one" not in reply and "Window cleaning" in reply and "Regular cleaning" not in reply, reply
    assert "cancelled" in (await c.say("yes")).lower()
    orders = await all_orders(app)
    assert [(o.service_id, o.status) for o in orders] == [("daily_cleaning", "confirmed"),
                                                          ("window_cleaning", "cancelled")]


# ----- "what bookings do i have" is a question about them --------------------------------------
@pytest.mark.parametrize("text", ["what bookings do i have", "my bookings", "what are my bookings?",
                                  "do i have any bookings", "show me my appointments", "what do i have now",
                                  "what do i have booked"])
def test_my_bookings_asks_for_them(parser: NluParser, text: str) -> None:
    assert parser.parse(text).intent == "status"


async def test_my_bookings_while_asked_which_lists_them(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "deep clean saturday 10am at Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang, " + PHONE)
    await _booked(c, "pest control sunday 3pm", "same address")
    assert "Which one" in await c.say("reschedule my booking")
    reply = await c.say("what bookings do i have")
    assert "Your recent orders" in reply and "couldn't tell" not in reply, reply
    assert len(await all_orders(app)) == 2


# ----- the whole address is kept ---------------------------------------------------------------
@pytest.mark.parametrize(("text", "address"), [
    ("8 Guanghua Rd, Jianwai SOHO tower B 1502", "8 Guanghua Rd, Jianwai SOHO tower B 1502"),
    ("8 Guanghua Rd, Jianwai SOHO tower B, 1502, phone 13812345678", "8 Guanghua Rd, Jianwai SOHO tower B, 1502"),
    ("Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave", "Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave"),
    ("Room 5, Park View, 8 Dongsanhuan Rd", "Room 5, Park View, 8 Dongsanhuan Rd"),
    ("8 Guanghua Rd tower B 10:30", "8 Guanghua Rd tower B"),  # a time is no flat
])
def test_english_address_keeps_its_flat_and_estate(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text).slots["address"] == address


async def test_multi_line_booking_keeps_the_flat(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("hello\nneed my aircon cleaned, 2 units\ntomorrow half past two\n"
                        "address: 8 Guanghua Rd, Jianwai SOHO tower B 1502\nphone 13812345678")
    assert "· Address: 8 Guanghua Rd, Jianwai SOHO tower B 1502\n" in reply, reply
    await c.say("confirm")
    [order] = await all_orders(app)
    assert (order.address, order.quantity, order.status) == ("8 Guanghua Rd, Jianwai SOHO tower B 1502", 2, "confirmed")


async def test_estate_between_units_and_street_is_kept(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tmrw 9am")
    reply = await c.say("Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave")
    assert "Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave" in reply, reply
    await _booked(c, "13800001111")
    [order] = await all_orders(app)
    assert order.address == "Flat 2101, Tower B, Central Park, 6 Chaoyangmenwai Ave"


# ----- "how long will it take?" once booked is answered, not passed to staff ---------------------
@pytest.mark.parametrize(("lang", "question", "length"), [
    ("en", "how long will it take", "takes about 45 min"), ("zh", "要多久？", "需要大约45分钟")])
async def test_how_long_once_booked_gives_the_orders_length(make_app, lang: str, question: str, length: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await _booked(c, "locked out of my apartment!! pls come asap", "Room 2304, Building 7, Wanda Plaza, Chaoyang",
                  "15601234567")
    reply = await c.say(question)
    assert length in reply and "passed your question" not in reply and "转给" not in reply, reply
    [order] = await all_orders(app)
    # the lockout is the locksmith's note (tests/test_qa11_en.py); the question is not added to it
    assert (order.status, order.notes) == ("confirmed", "locked out of my apartment")


# ----- a bare number answered to "what's the address?" is no address: the hour of the morning said --
async def test_bare_number_to_the_address_question_is_the_hour_of_the_part_of_day(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("hi there! need someone to clean 3 aircons on sunday morning")
    reply = await c.say("10")
    assert "Sun 29 Nov, 10:00." in reply and "What's the address?" in reply and "morning, 10." not in reply, reply
    reply = await c.say("Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang")
    assert "Which phone number" in reply, reply
    await _booked(c, PHONE)
    [order] = await all_orders(app)
    assert (order.address, order.quantity, order.time.hour) == ("Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang", 3, 10)


async def test_bare_number_to_the_address_question_with_the_hour_known_changes_nothing(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("need a cleaner tmrw at 2pm")
    reply = await c.say("10")
    assert "didn't catch that" in reply and "What's the address?" in reply and "10:00" not in reply, reply
    await _booked(c, "Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang", PHONE)
    [order] = await all_orders(app)
    assert (order.address, order.time.hour) == ("Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang", 14)


# ----- "10 instead of 9" moves the visit to 10 -------------------------------------------------
@pytest.mark.parametrize("text", ["actually can we do 10 instead of 9", "10 instead of 9 pls",
                                  "could you come at ten instead of nine?"])
async def test_hour_instead_of_the_booked_one_moves_the_visit(make_app, text: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "need a plumber tmrw 9am, my sink is clogged, No. 17 Dongzhimen Outer St, apt 2-301, 13700001111")
    reply = await c.say(text)
    assert "09:00 → Wed 25 Nov, 10:00" in reply, reply
    assert "10:00" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.time.hour, order.status) == (10, "confirmed")


def test_make_it_n_instead_of_m_is_left_alone(parser: NluParser) -> None:
    """"make it 3 instead of 2" may be how many (hours, appliances): no hour is read from it."""
    assert "time" not in parser.parse("make it 3 instead of 2").slots


# ----- "tuesdays at 2pm" names the day ----------------------------------------------------------
async def test_weekday_said_in_the_plural_is_the_day(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("hello, i want to book a cleaner every week, tuesdays at 2pm")
    assert "Tue 01 Dec, 14:00" in reply and "Which day?" not in reply, reply
    await _booked(c, "Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang", "13812345678")
    [order] = await all_orders(app)
    assert (order.date.isoformat(), order.time.hour, order.status) == ("2026-12-01", 14, "confirmed")


# ----- "sorry, 4pm not 3" puts the hour right, never the flat ("Apt 1203" → "Apt 1204pm") --------
CLEANING_3PM = "cleaning tmrw 3pm, Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang, 13812345678"


@pytest.mark.parametrize("text", ["sorry, 4pm not 3", "sorry, 4 not 3", "4:00 not 3"])
async def test_hour_put_right_at_the_summary_keeps_the_address(make_app, text: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(CLEANING_3PM)
    reply = await c.say(text)
    assert "· When: Wed 25 Nov, 16:00\n" in reply and "· Address: Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang\n" in reply, reply
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.time.hour, order.address) == (16, "Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang")


async def test_hour_put_right_once_booked_moves_the_visit(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, CLEANING_3PM)
    reply = await c.say("sorry, 4pm not 3")
    assert "15:00 → Wed 25 Nov, 16:00" in reply, reply
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.time.hour, order.address) == (16, "Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang")


@pytest.mark.parametrize(("text", "replaces"), [
    ("sorry, 4pm not 3", None), ("4:30 not 3", None), ("sorry, 4 not 3", None),
    ("the flat is 1503 not 1203", [("1203", "1503")])])
def test_a_time_is_no_part_of_the_address(parser: NluParser, text: str, replaces) -> None:
    assert parser.parse(text).flags.get("replaces") == replaces


# ----- "3hrs" is 3 hours; "… and name is Mike" is the name ---------------------------------------
async def test_hours_written_together_are_booked(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("cleaning sat 2pm 3hrs Apt 1203 Bldg 4 Sanlitun SOHO Chaoyang 13812345678")
    assert "· Service: Regular cleaning (3 hours)\n" in reply and "× 3 hours = ¥135" in reply, reply
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.quantity, order.total, order.duration_minutes) == (3, 135, 180)


@pytest.mark.parametrize(("text", "quantity"), [("cleaning for 3hr", 3), ("clean 2aircons tmrw 2pm", 2),
                                                ("deep clean 3rd floor", None)])
def test_count_written_together(parser: NluParser, text: str, quantity: int | None) -> None:
    assert parser.parse(text).slots.get("quantity") == quantity


async def test_name_after_the_phone_and_is_kept(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("book deep cleaning for next tuesday 10am")
    await c.say("my address is 12 Xiaoyun Rd, Apt 5C, Chaoyang")
    reply = await c.say("my phone is 138 1234 5678 and name is Mike")
    assert "· Name: Mike\n" in reply, reply
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.phone, order.name) == ("13812345678", "Mike")


# ----- "ok thx, and for pest control?" after a price: that price, and "ok thx" on no note ---------
async def test_thanks_then_another_price_is_priced(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("how much for window cleaning")
    reply = await c.say("ok thx, and for pest control?")
    assert reply.startswith("Pest control: ¥260") and "Got it" not in reply, reply
    assert not await all_orders(app)


@pytest.mark.parametrize("text", ["ok thx, pest control tmrw 3pm", "cool, pest control tmrw 3pm",
                                  "great thanks! pest control tmrw 3pm"])
def test_chat_words_are_no_note(parser: NluParser, text: str) -> None:
    r = parser.parse(text)
    assert r.slots["service"] == "pest_control" and "note" not in r.flags


# ----- "cancel the second one" with one order open names none: it is not cancelled unasked ------
@pytest.mark.parametrize("text", ["cancel the second one", "cancel my booking for friday"])
async def test_cancel_naming_no_open_order_shows_the_one_there_is(make_app, text: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, CLEANING_3PM)
    reply = await c.say(text)
    assert "That doesn't match the one order you have open" in reply and "Cancel this order?" not in reply, reply
    assert "nothing changes" in (await c.say("no")).lower()
    [order] = await all_orders(app)
    assert order.status == "confirmed"


async def test_yes_to_the_one_open_order_goes_on_to_cancel_it(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, CLEANING_3PM)
    await c.say("cancel the second one")
    assert "Cancel this order?" in await c.say("yes")
    await c.say("yes")
    [order] = await all_orders(app)
    assert order.status == "cancelled"


async def test_cancel_naming_the_one_order_still_asks_to_confirm_it(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "deep clean tmrw 2pm, Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang, 13812345678")
    assert "Cancel this order?" in await c.say("cancel the cleaning")


# ----- "do you speak english?" is answered; "…on thursday from 9" is 9:00 -----------------------
@pytest.mark.parametrize(("lang", "question", "answer"), [
    ("en", "do you speak english?", "I can chat with you in English or Chinese"),
    ("zh", "你会说英语吗？", "中文、英文都能聊")])
async def test_language_question_is_answered_not_passed_on(make_app, lang: str, question: str, answer: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(question)
    assert answer in reply and "passed your question" not in reply and "转给" not in reply, reply
    reply = await c.say("ok great. i need a cleaner for 4 hrs on thursday from 9")
    assert "Regular cleaning (4 hours), Thu 26 Nov, 09:00" in reply, reply


@pytest.mark.parametrize(("text", "language"), [("do u speak English", True), ("english ok?", True),
                                                ("可以用中文吗", True),
                                                ("is it possible to have an english speaking cleaner?", False)])
def test_language_question(parser: NluParser, text: str, language: bool) -> None:
    assert bool(parser.parse(text).flags.get("language")) is language


@pytest.mark.parametrize(("text", "time"), [("cleaning thursday from 9", "09:00"),
                                            ("cleaning thursday from 9 onwards", "09:00"),
                                            ("moving from 5 Guanghua Dongli to 8 Xinyuan Rd", None)])
def test_from_an_hour_is_the_start(parser: NluParser, text: str, time: str | None) -> None:
    assert parser.parse(text).slots.get("time") == time


# ----- "wed 1st dec" (a Tuesday) is pointed out ---------------------------------------------------
async def test_short_weekday_before_a_date_that_is_not_its_own_is_pointed_out(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("need an end of tenancy deep clean")
    reply = await c.say("wed 1st dec 9am")
    assert "1 Dec is a Tuesday, not a Wednesday" in reply and "Tue 01 Dec, 09:00" in reply, reply


@pytest.mark.parametrize(("text", "said"), [("wed 1 dec", 2), ("tue 1st dec", None), ("i will be home on wed", None)])
def test_short_weekday_beside_a_date(parser: NluParser, text: str, said: int | None) -> None:
    assert parser.parse(text).flags.get("said_weekday") == said


# ----- a "Thanks!" on the line under the address is not part of it --------------------------------
async def test_thanks_under_the_address_stays_off_it(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("Hello,\nI'd like a regular cleaning tomorrow from 10 to 1.\n"
                        "Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang\nThanks!")
    assert "Regular cleaning (3 hours), Wed 25 Nov, 10:00, Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang." in reply, reply
    await _booked(c, PHONE)
    [order] = await all_orders(app)
    assert (order.address, order.quantity) == ("Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang", 3)


@pytest.mark.parametrize(("text", "address"), [
    ("Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang Thanks!", "Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang"),
    ("12 Baker Street, London Thanks", "12 Baker Street, London"),
    ("Apt 5, Park View, Chaoyang District", "Apt 5, Park View, Chaoyang District")])
def test_place_words_end_before_a_courtesy(parser: NluParser, text: str, address: str) -> None:
    assert parser.parse(text).slots["address"] == address


# ----- "2 cleaners for 3 hours" books 3 hours, the cleaners on the note -----------------------------
@pytest.mark.parametrize(("lang", "text", "heads"), [
    ("en", "i need 2 cleaners for 3 hours tomorrow at 9am", "2 cleaners"),
    ("zh", "明天上午9点两个阿姨打扫3小时", "两个阿姨")])
async def test_people_and_hours_book_the_hours(make_app, lang: str, text: str, heads: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(text)
    await c.say("Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang" if lang == "en" else "朝阳区三里屯SOHO 4号楼1203")
    reply = await c.say("13812345678")
    assert ("× 3 hours = ¥135" if lang == "en" else "× 3小时 = ¥135") in reply and heads in reply, reply
    await c.say("yes")
    [order] = await all_orders(app)
    assert (order.quantity, order.total, order.notes) == (3, 135, heads)


# ----- "is my cleaner coming?" asks after the order --------------------------------------------------
@pytest.mark.parametrize("text", ["is my cleaner coming?", "is the plumber on his way", "are the movers still coming?",
                                  "how long until they arrive?", "还有哪些订单", "我有几个预约"])
def test_is_my_cleaner_coming_asks_after_the_order(parser: NluParser, text: str) -> None:
    assert parser.parse(text).intent == "status"


async def test_is_my_cleaner_coming_lists_the_order_not_passed_on(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, CLEANING_3PM)
    reply = await c.say("is my cleaner coming?")
    assert "Your recent orders" in reply and "passed your question" not in reply, reply


# ----- "ok thanks bye" says goodbye; at the summary it still confirms -------------------------------
async def test_ok_thanks_bye_mid_booking_is_answered(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("i need a cleaner")
    assert "Bye!" in await c.say("ok thanks bye")


async def test_ok_thanks_bye_at_the_summary_confirms(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(CLEANING_3PM)
    assert "Booked!" in await c.say("ok thanks bye")
    [order] = await all_orders(app)
    assert order.status == "confirmed"


# ----- a service booked already is not offered again for the same visit ------------------------------
async def test_service_booked_already_is_not_offered_again(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await _booked(c, "deep clean saturday 9:30am, Apt 1203, Bldg 4, Sanlitun SOHO, Chaoyang, 13812345678")
    await c.say("also need my windows done, same day after the deep clean")
    await c.say("saturday 2pm")
    reply = await c.say("same address")
    assert "· Service: Window cleaning\n" in reply and "Deep cleaning: extra" not in reply, reply
    await c.say("yes")
    assert "deep" not in (await c.say("thanks")).lower()
    assert [o.service_id for o in await all_orders(app)] == ["deep_cleaning", "window_cleaning"]
