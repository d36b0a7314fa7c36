"""The twenty-first QA pass, as an English customer booking an end-of-lease clean: "do you guys do
move-out cleaning?" started a regular (hourly) cleaning; "ok lets do it. this sunday morning?"
put "ok lets do it" on the technician's note; "its 13611112222, ask for Tom" noted "ask for Tom"
instead of taking Tom as the name to ask for. Each is checked on what the customer sees and what
is stored. The test clock is Tuesday 2026-11-24 20:00 in Shanghai."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders


@pytest.mark.parametrize("lang,said,service", [
    ("en", "do you guys do move-out cleaning?", "Deep cleaning"),
    ("en", "move in cleaning on friday", "Deep cleaning"),
    ("zh", "退租保洁多少钱", "深度保洁"),
    ("zh", "想约个搬家保洁", "深度保洁"),
])
async def test_move_out_cleaning_is_a_deep_cleaning(make_app, lang: str, said: str, service: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert service in reply and "Regular" not in reply and "日常" not in reply, reply


async def test_a_yes_to_the_booking_and_a_name_to_ask_for_are_no_notes(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("hi, do you guys do move-out cleaning?")
    await c.say("ok lets do it. this sunday morning?")
    await c.say("unit 1203, building 5, Yuanyang Tiandi, Chaoyang")
    summary = await c.say("its 13611112222, ask for Tom")
    assert "Notes" not in summary and "lets do it" not in summary, summary
    assert "Tom" in summary, summary
    assert "Booked" in await c.say("yes")
    (order,) = await all_orders(app)
    assert order.service_id == "deep_cleaning" and order.notes in (None, ""), order.notes
    assert order.name == "Tom", order.name


@pytest.mark.parametrize("said", ["sounds good, go ahead, sunday 9am", "yes please book it, sunday 9am"])
async def test_agreeing_words_before_the_day_are_no_note(make_app, said: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep cleaning please")
    await c.say(said)
    await c.say("5 Main Street, Flat 2")
    summary = await c.say("13611112222")
    assert "Notes" not in summary, summary


async def test_ask_for_alone_is_no_name(make_app) -> None:
    """"can I ask for Li Na?" may be one of our staff asked for: not the order's contact name."""
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("can I ask for Li Na?")
    assert "Li Na" in reply, reply
    assert await all_orders(app) == []


@pytest.mark.parametrize("lang,said,proposed", [
    ("en", "actually can we push the cleaning to 2pm", "Sat 28 Nov, 10:00 → Sat 28 Nov, 14:00"),
    ("en", "bump the deep clean to 2pm", "Sat 28 Nov, 10:00 → Sat 28 Nov, 14:00"),
    ("zh", "保洁能推到下午两点吗", "11月28日（周六）10:00 → 11月28日（周六）14:00"),
])
async def test_pushing_a_booked_visit_to_another_hour_moves_it(make_app, lang: str, said: str, proposed: str) -> None:
    """"push the cleaning to 2pm" once a deep cleaning and a locksmith are booked started a new
    regular cleaning ("Which day?"): pushing is moving, and "the cleaning" is the one booked."""
    app = await make_app()
    c = Customer(app, lang=lang)
    for line in ("deep clean saturday 10am, 8 Jianguo Road Apt 3, 13812345678", "yes",
                 "locksmith sunday 2pm same address", "yes"):
        await c.say(line)
    reply = await c.say(said)
    assert proposed in reply, reply
    await c.say("yes" if lang == "en" else "确认")
    orders = await all_orders(app)
    assert [(o.service_id, o.time.hour) for o in orders] == [("deep_cleaning", 14), ("lock_service", 14)]


@pytest.mark.parametrize("between", [None, "师傅接单了吗"])
async def test_the_booked_things_description_goes_on_its_order(make_app, between: str | None) -> None:
    """"洗衣机是滚筒的 海尔的" after booking its repair started the same repair again ("请问约哪天"):
    it describes the washing machine booked, for that order's note."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午十点修洗衣机 朝阳区望京西园三区312号楼802 13912345678")
    assert "预约成功" in await c.say("确认")
    if between:
        await c.say(between)
    reply = await c.say("洗衣机是滚筒的 海尔的")
    assert "哪天" not in reply and "滚筒" in reply, reply
    if "确定修改吗" in reply:  # not right after the booking: shown old → new, and confirmed
        await c.say("确认")
    (order,) = await all_orders(app)
    assert "滚筒" in (order.notes or "") and "海尔" in (order.notes or ""), order.notes


async def test_a_parking_question_answering_which_service_is_passed_on_not_taken_for_one(make_app) -> None:
    """Asked "which service?", "is there parking for the cleaner?" booked a regular cleaning and
    the question was lost; "could someone come do a proper clean" found no service at all."""
    app = await make_app()
    c = Customer(app, lang="en")
    first = await c.say("We just moved in. Could someone come do a proper clean on Friday afternoon?")
    assert "Deep cleaning" in first and "Which service" not in first, first
    reply = await c.say("is there parking for the cleaner?")
    assert "parking" in reply, reply  # passed on, on the booking's note for staff
    await c.say("Flat 12B, 3 Guanghua Road, Chaoyang")
    summary = await c.say("+86 138 1234 5678")
    assert "parking" in summary and "Deep cleaning" in summary, summary


@pytest.mark.parametrize("said,note", [("明天下午保洁，小区可以停车", "小区可以停车"),
                                       ("明天下午保洁，小区里有车位", "小区里有车位")])
async def test_what_the_estate_is_like_is_a_note_not_its_address(make_app, said: str, note: str) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say(said)
    assert "地址" in reply, reply  # still asked for: "小区" names no place
    await c.say("朝阳区望京西园三区312号楼802")
    summary = await c.say("13912345678")
    assert f"地址：朝阳区望京西园三区312号楼802" in summary and note in summary, summary


@pytest.mark.parametrize("said,question", [("do i need to be home?", True), ("does the cleaner speak english?", True),
                                           ("do the cleaners speak english", True), ("do the kitchen first", False)])
async def test_an_instruction_starting_with_do_is_a_note_not_a_question(make_app, said: str, question: bool) -> None:
    """"deep clean sunday 9am, do the kitchen first" reached staff as a question ("❓do the kitchen
    first") and the customer was told it was passed on: "do" asks only of someone."""
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(f"deep clean sunday 9am, {said}")
    await c.say("5 Main Street, Flat 2")
    summary = await c.say("13611112222")
    assert said in summary, summary
    assert ("❓" in summary) is question, summary
