"""A person asked for together with something else: a new day for the order booked ("让王师傅后天下午来",
"can Wang come friday afternoon instead?"), a booking again from a review's comment ("can I book her
again for next friday?", "阿姨很好，下周六再请她来"), and questions about who comes in English ("is it
possible to have an english speaking cleaner?"), which used to start bookings of their own."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage import orders as order_repo
from storage import staff as staff_repo
from storage import reviews as review_repo
from tests.conftest import Clock
from tests.test_dialogue import Customer, all_orders
from tests.test_nlu_flags import NOW, parser  # noqa: F401  (fixture)
from tests.test_same_staff import EN_BOOKING, ZH_BOOKING, _booked_before, _staff_id


# ---------------------------------------------------------------- a person and a new day for the order booked
@pytest.mark.parametrize("lang, ask, shown, confirm, done", [
    ("zh", "让王师傅后天下午来", ["11月25日（周三）15:00 → 11月26日（周四）15:00\n指定师傅：（无） → 王师傅\n确定"],
     "确认修改", ["已改好", "已请王师傅优先接单"]),
    ("en", "can Wang come friday afternoon instead?", ["→ Fri 27 Nov, 15:00\nStaff asked for: (none) → Wang\nShall"],
     "yes", ["Done", "We've asked Wang to take it first"]),
])
async def test_a_person_and_a_day_for_the_one_order_booked_move_it_with_them(
        make_app, clock: Clock, lang: str, ask: str, shown: list[str], confirm: str, done: list[str]) -> None:
    """It started a new booking ("请问您需要什么服务？") and the order kept its day and nobody asked for."""
    app = await make_app(rate_limit=0)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "w", "王师傅" if lang == "zh" else "Wang")
    c = Customer(app, lang=lang)
    await c.say(ZH_BOOKING if lang == "zh" else EN_BOOKING)
    await c.say("确认" if lang == "zh" else "yes")
    await c.say("谢谢" if lang == "zh" else "thanks")
    reply = await c.say(ask)
    assert all(s in reply for s in shown) and "什么服务" not in reply and "service" not in reply, reply
    reply = await c.say(confirm)
    assert all(s in reply for s in done), reply
    [order] = await all_orders(app)
    # the afternoon said is that of the 15:00 booked: its hour is kept (qa19zh, "改到后天上午")
    assert (order.date.isoformat(), order.time, order.period) == (
        "2026-11-26" if lang == "zh" else "2026-11-27", dt.time(15, 0), None)
    assert order.preferred_staff_id == await _staff_id(app, "王师傅" if lang == "zh" else "Wang")
    async with app.db.sessions() as s:
        kinds = [e.kind for e in await order_repo.events_of(s, order.id)]
    assert "rescheduled" in kinds and "amended" in kinds, kinds


async def test_with_two_orders_the_person_and_the_day_wait_for_which(make_app, clock: Clock) -> None:
    app = await make_app(rate_limit=0)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "w", "王师傅")
    c = Customer(app)
    for booking in (ZH_BOOKING, "周五上午10点日常保洁，望京SOHO T1-1203"):
        await c.say(booking)
        await c.say("确认")
    first, second = await all_orders(app)
    assert "要改哪一个的时间" in await c.say("让王师傅后天下午来")
    assert "11月26日（周四）15:00\n指定师傅：（无） → 王师傅" in await c.say(first.number)
    assert "已请王师傅优先接单" in await c.say("确认修改")
    first, second = await all_orders(app)
    assert (first.date.isoformat(), first.preferred_staff_id) == ("2026-11-26", await _staff_id(app, "王师傅"))
    assert (second.date.isoformat(), second.preferred_staff_id) == ("2026-11-27", None)


async def test_a_person_asked_for_the_order_s_own_day_and_part_of_it_changes_only_the_person(
        make_app, clock: Clock) -> None:
    """"让王师傅明天下午来" for tomorrow 15:00 offered "15:00 → 下午" (the hour lost) with the person."""
    app = await make_app(rate_limit=0)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "w", "王师傅")
    c = Customer(app)
    await c.say(ZH_BOOKING)
    await c.say("确认")
    await c.say("谢谢")
    reply = await c.say("让王师傅明天下午来")
    assert "指定师傅：（无） → 王师傅" in reply and "→ 11月25日" not in reply, reply
    assert "已改好" in await c.say("确认修改")
    [order] = await all_orders(app)
    assert (order.date.isoformat(), order.time.strftime("%H:%M"), order.preferred_staff_id) == (
        "2026-11-25", "15:00", await _staff_id(app, "王师傅"))


# ---------------------------------------------------------------- booked again from a review's comment
@pytest.mark.parametrize("lang, comment, hour, when, same, stored", [
    ("en", "she was great, can I book her again for next friday?", "10am", ("2026-12-04", "10:00"), True,
     "she was great"),
    ("zh", "下周六上午再约一次", None, ("2026-12-05", None), False, None),
    ("zh", "阿姨很好，下周六再请她来", "上午10点", ("2026-12-05", "10:00"), True, "阿姨很好"),
])
async def test_a_booking_again_at_the_review_s_comment_is_the_last_one_again(
        make_app, clock: Clock, lang: str, comment: str, hour: str | None, when: tuple, same: bool,
        stored: str | None) -> None:
    """It asked "which service?" as if nothing had been booked before, and the person was forgotten."""
    app = await make_app(rate_limit=0)
    c = Customer(app, lang=lang)
    who = "王师傅" if lang == "zh" else "Li Na"
    await _booked_before(app, clock, c, ZH_BOOKING if lang == "zh" else EN_BOOKING, who)
    await c.say("5星" if lang == "zh" else "5 stars")
    reply = await c.say(comment)
    assert "什么服务" not in reply and "which service" not in reply.lower(), reply
    summary = await c.say(hour) if hour else reply
    assert ("深度保洁" if lang == "zh" else "Deep cleaning") in summary, summary
    assert ((f"指定师傅：{who}（上次为您服务）" if lang == "zh" else f"Requested: {who} (served you last time)")
            in summary) == same, summary
    await c.say("确认" if lang == "zh" else "yes")
    first, again = await all_orders(app)
    assert (again.status, again.service_id, again.address, again.phone) == (
        "confirmed", first.service_id, first.address, first.phone)
    assert (again.date.isoformat(), again.time and again.time.strftime("%H:%M")) == when and again.notes is None
    assert again.preferred_staff_id == (await _staff_id(app, who) if same else None)
    async with app.db.sessions() as s:
        review = await review_repo.of_order(s, first.id)
    assert (review.rating, review.comment) == (5, stored)


# ---------------------------------------------------------------- what kind of person comes, asked in English
@pytest.mark.parametrize("text, asks", [
    ("is it possible to have an english speaking cleaner?", "is it possible to have an english speaking cleaner?"),
    ("will it be a female cleaner?", "will it be a female cleaner?"),
    ("can we get a female cleaner?", "can we get a female cleaner?"),
])
def test_a_wish_for_a_kind_of_cleaner_is_a_question_for_staff_not_a_booking(parser: NluParser, text: str,  # noqa: F811
                                                                            asks: str) -> None:
    """"cleaner" booked a regular cleaning."""
    got = parser.parse(text, now=NOW)
    assert (got.intent, got.slots, got.flags.get("asks")) == ("other", {}, asks)


@pytest.mark.parametrize("text", ["can I have a cleaner tomorrow at 10?", "is it possible to have a cleaner on friday?",
                                  "I need a cleaner tomorrow"])
def test_a_cleaner_asked_for_without_a_kind_is_still_a_booking(parser: NluParser, text: str) -> None:  # noqa: F811
    got = parser.parse(text, now=NOW)
    assert (got.intent, got.slots.get("service"), got.flags.get("asks")) == ("book", "daily_cleaning", None)


def test_a_wish_for_a_kind_of_cleaner_inside_a_booking_adds_no_service(parser: NluParser) -> None:  # noqa: F811
    got = parser.parse("deep clean tomorrow 3pm at 88 Jianguo Road Apt 5, will it be a female cleaner?", now=NOW)
    assert (got.slots["service"], got.flags.get("asks")) == ("deep_cleaning", "will it be a female cleaner?")
    assert not got.flags.keys() & {"also", "also_services"}


async def test_a_wish_for_a_kind_of_cleaner_is_passed_on_or_noted(make_app) -> None:
    app = await make_app(rate_limit=0)
    e = Customer(app, user="e1", lang="en")
    reply = await e.say("is it possible to have an english speaking cleaner?")
    assert "english speaking cleaner" in reply and "Regular cleaning" not in reply, reply
    assert await all_orders(app) == []
    summary = await e.say("deep clean tomorrow 3pm at 88 Jianguo Road Apt 5, phone 13812345679, "
                          "will it be a female cleaner?")
    assert "❓will it be a female cleaner?" in summary and "Regular cleaning" not in summary, summary
    await e.say("yes")
    [order] = await all_orders(app)
    assert order.service_id == "deep_cleaning" and "will it be a female cleaner?" in order.notes
