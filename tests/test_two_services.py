"""More than one service in a booking: one visit with something more for it, or a
second booking said while the first is under way. The order has one service, so
either the rest goes on the visit's note or it is booked next; never lost."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize(("text", "service", "also"), [
    ("明天上午10点做2个小时保洁，再擦玻璃，朝阳区望京SOHO T1-1203", "daily_cleaning", "再擦玻璃"),
    ("深度保洁，顺便擦玻璃，明天下午3点", "deep_cleaning", "顺便擦玻璃"),
    ("来我家做保洁，门锁坏了也顺便看看", "daily_cleaning", "门锁坏了也顺便看看"),
])
def test_one_visit_is_for_the_first_service_and_notes_the_others(
        parser: NluParser, text: str, service: str, also: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots["service"], r.flags.get("also")) == ("book", service, also)


def test_two_visits_are_still_two_requests_and_one_service_no_visit(parser: NluParser) -> None:
    r = parser.parse("明天上午做个深度保洁，后天下午修空调", now=NOW)
    assert "also" not in r.flags and r.flags["more"]["slots"]["service"] == "appliance_repair"
    assert "also" not in parser.parse("明天上午10点深度保洁，朝阳区望京SOHO T1-1203", now=NOW).flags
    assert "also" not in parser.parse("不对，不是擦玻璃，是深度保洁", now=NOW).flags   # a correction


def test_another_request_needs_its_own_when_and_a_draft_with_one() -> None:
    draft = {"service": "appliance_repair", "date": "2026-11-26", "time": "15:00"}
    assert S.another_request(draft, {"service": "window_cleaning", "date": "2026-11-30"})
    assert not S.another_request(draft, {"service": "window_cleaning"})              # what, not when
    assert not S.another_request({"service": "appliance_repair"}, {"service": "window_cleaning", "date": "2026-11-30"})
    assert not S.another_request(draft, {"service": "appliance_repair", "date": "2026-11-30"})


async def test_a_second_service_for_the_visit_goes_on_its_note(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("明天上午10点做2个小时保洁，再擦玻璃，朝阳区望京SOHO T1-1203，13812345678")
    assert "日常保洁（2小时）" in summary and "备注：再擦玻璃" in summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("daily_cleaning", "再擦玻璃")


async def test_adding_a_service_at_the_summary_keeps_the_booked_one(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678")
    summary = await c.say("再加个擦玻璃")
    assert "服务：深度保洁" in summary and "备注：再加个擦玻璃" in summary


async def test_another_service_with_its_own_day_is_booked_next_not_instead(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("后天下午3点修空调")
    await c.say("海淀区知春路甲48号盈都大厦C座3单元12A")
    queued = await c.say("下周一上午9点擦玻璃")
    assert "先约家电维修" in queued and "再约擦玻璃" in queued and "电话" in queued
    assert "服务：家电维修" in await c.say("13812345678")
    following = await c.say("确认")
    assert "预约成功" in following and "服务：擦玻璃" in following
    assert "预约成功" in await c.say("确认")
    assert sorted(o.service_id for o in await all_orders(app)) == ["appliance_repair", "window_cleaning"]


async def test_a_correction_still_replaces_the_service(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("后天下午3点修空调")
    answer = await c.say("不对，改成下周一上午9点擦玻璃")
    assert "擦玻璃" in answer and "先约" not in answer


@pytest.mark.parametrize(("text", "recurring"), [
    ("想找个固定的小时工 每周二周五上午 每次3小时", True),
    ("每两周来一次深度保洁，下周六上午", True),
    ("weekly cleaning every Tuesday 9am", True),
    ("每天都来吗", False),            # a question, not an arrangement
    ("明天上午深度保洁", False),
])
def test_a_standing_arrangement_is_flagged(parser: NluParser, text: str, recurring: bool) -> None:
    assert bool(parser.parse(text, now=NOW).flags.get("recurring")) is recurring


async def test_a_standing_arrangement_books_the_first_visit_and_notes_the_wish(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    first = await c.say("想找个固定的小时工 每周四周六上午 每次3小时")
    assert "第一次" in first and "地址" in first
    await c.say("朝阳区望京SOHO T1-1203")
    summary = await c.say("13812345678")
    # the arrangement's words, marked, not the whole message ("每次3小时" is the booking's 3 hours)
    assert "备注：🔁固定的小时工 每周四周六上午\n" in summary and "日常保洁（3小时）" in summary


@pytest.mark.parametrize(("text", "words"), [
    ("每周五下午三点保洁，朝阳区望京SOHO T1-1203，13812345678", "每周五下午三点"),
    ("每周二、周四下午3点保洁", "每周二、周四下午3点"),
    ("每周一次保洁，周六上午", "每周一次"),
    ("每两周来一次深度保洁，下周六上午", "每两周"),
    ("regular cleaning every Tuesday and Friday at 9am, 12 Baker Street", "every Tuesday and Friday at 9am"),
    ("weekly cleaning please, Saturday morning", "weekly"),
])
def test_a_standing_arrangement_is_read_as_its_own_words(parser: NluParser, text: str, words: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("recurring") == words


@pytest.mark.parametrize(("text", "lang", "when", "note"), [
    ("每周二下午三点保洁，朝阳区望京SOHO T1-1203，13812345678", None, "12月1日（周二）15:00", "备注：🔁每周二下午三点\n"),
    ("regular cleaning every Tuesday 3pm at 12 Baker Street Flat 3, 13812345678", "en", "Tue 01 Dec, 15:00",
     "Notes: 🔁every Tuesday 3pm\n"),
])
async def test_a_weekly_visit_named_today_after_its_hour_starts_next_week(
        make_app, text: str, lang: str | None, when: str, note: str) -> None:
    """Said on a Tuesday at 20:00: "每周二下午三点" is next Tuesday's 15:00, not "that time has passed,
    pick another" for today; the note holds the arrangement, not the address and phone again."""
    app = await make_app()
    c = Customer(app, lang=lang)
    summary = await c.say(text)
    assert ("第一次" if lang is None else "first one") in summary
    assert when in summary and note in summary
    assert "已经过了" not in summary and "already passed" not in summary
    await c.say("确认" if lang is None else "yes")
    [o] = await all_orders(app)
    assert (o.date.isoformat(), o.notes, o.status) == ("2026-12-01", note.split("：" if lang is None else ": ")[1].strip(),
                                                       "confirmed")


async def test_a_weekly_visit_named_today_before_its_hour_is_today(make_app, clock) -> None:
    clock.now = clock.now.replace(hour=10)
    app = await make_app()
    summary = await Customer(app).say("每周二下午三点保洁，朝阳区望京SOHO T1-1203，13812345678")
    assert "11月24日（周二）15:00" in summary and "备注：🔁每周二下午三点\n" in summary


async def test_a_weekly_visit_named_today_after_the_last_start_starts_next_week(make_app, clock) -> None:
    """At 22:30 no visit can start today at all ("day_over", not only "time_past"): still next week's."""
    clock.now = clock.now.replace(hour=22, minute=30)  # Tuesday 22:30
    app = await make_app()
    summary = await Customer(app).say("每周二下午三点保洁，朝阳区望京SOHO T1-1203，13812345678")
    assert "12月1日（周二）15:00" in summary and "备注：🔁每周二下午三点" in summary and "上门时间" not in summary.split("请核对")[0]


# ----- a second booking's day and count, said once for both --------------------------------
@pytest.mark.parametrize(("text", "more"), [
    ("明天上午深度保洁，下午再洗两台空调", {"service": "appliance_cleaning", "date": "2026-11-25",
                                            "period": "afternoon", "quantity": 2, "notes": "空调"}),
    ("deep clean tomorrow 9am and window cleaning at 2pm", {"service": "window_cleaning", "date": "2026-11-25",
                                                            "time": "14:00"}),
])
def test_a_second_booking_is_on_the_first_ones_day_unless_it_names_its_own(
        parser: NluParser, text: str, more: dict) -> None:
    assert parser.parse(text, now=NOW).flags["more"]["slots"] == more


async def test_the_second_booking_goes_straight_to_its_summary(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午深度保洁，下午再洗两台空调，地址朝阳区望京SOHO T1-1203，电话13812345678")
    second = await c.say("确认")
    assert "服务：家电清洗 × 2" in second and "时间：11月25日（周三）下午" in second and "备注：空调" in second
    await c.say("确认")
    first, other = await all_orders(app)
    assert (first.service_id, first.period) == ("deep_cleaning", "morning")
    assert (other.service_id, other.quantity, other.date, other.period) == \
        ("appliance_cleaning", 2, first.date, "afternoon")
