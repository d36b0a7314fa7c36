"""A returning customer (one with an earlier order) books again without being asked
everything from scratch: the last address is offered with the address question, the
phone on file is said to be the one used, something added right after a booking is
offered for the same visit, and "还是上次那个服务" books the last order's service (and, since
QA 17, its address: only the day and time are asked)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog

from tests.conftest import Clock
from tests.reminder_helpers import Customer as ReminderCustomer
from tests.test_dialogue import Customer, all_orders
from tests.test_reviews import completed, review_of

NLU = NluParser(demo_catalog())
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))
ADDRESS = "朝阳区建国路88号1号楼101"
EN_ADDRESS = "88 Jianguo Road apt 1203"
PHONE = "13800001111"


async def booked(app, lang: str = "zh", address: str | None = None, when: str | None = None) -> Customer:
    """A customer with one confirmed deep clean, in `lang`."""
    c = Customer(app, lang=lang)
    if lang == "zh":
        await c.say(f"{when or '明天上午10点'}深度保洁，{address or ADDRESS}，{PHONE}")
        assert "预约成功" in await c.say("确认")
    else:
        await c.say(f"deep clean {when or 'tomorrow at 10am'}, {address or EN_ADDRESS}, {PHONE}")
        await c.say("yes")
    return c


# ----- 1. the last address offered with the address question ------------------------------------
@pytest.mark.parametrize(("lang", "book", "asked"), [
    ("zh", "后天下午3点修空调", "上次是“朝阳区建国路88号1号楼101”，还是这里吗？"),
    ("en", "appliance repair the day after tomorrow at 3pm", "Last time it was “88 Jianguo Road apt 1203”: same place?"),
])
async def test_the_address_question_offers_the_last_address(make_app, lang: str, book: str, asked: str) -> None:
    app = await make_app()
    c = await booked(app, lang)
    assert asked in await c.say(book)
    assert c.payloads == ["same_address", "deny"]
    assert [ch.label for ch in c.last.choices] == (["就这个地址", "换个地址"] if lang == "zh"
                                                   else ["Same address", "Different address"])


@pytest.mark.parametrize(("lang", "yes"), [
    ("zh", "1"), ("zh", "是的"), ("zh", "还是那里"), ("zh", "就这个地址"), ("zh", "地址跟上次一样"),
    ("en", "1"), ("en", "yes"), ("en", "same as last time"), ("en", "Same address"),
])
async def test_taking_the_offered_address_books_it(make_app, lang: str, yes: str) -> None:
    app = await make_app()
    c = await booked(app, lang)
    await c.say("后天下午3点修空调" if lang == "zh" else "appliance repair the day after tomorrow at 3pm")
    summary = await c.say(yes)
    address = ADDRESS if lang == "zh" else EN_ADDRESS
    assert f"{'地址：' if lang == 'zh' else 'Address: '}{address}" in summary, summary
    # the phone is the one on file, and the summary says so
    assert (f"电话：{PHONE}（沿用您上次留的号码）" if lang == "zh"
            else f"Phone: {PHONE} (the one you gave last time)") in summary
    await c.say("确认" if lang == "zh" else "yes")
    orders = await all_orders(app)
    assert [(o.service_id, o.address, o.phone, o.status) for o in orders][1] == (
        "appliance_repair", address, PHONE, "confirmed")


async def test_a_new_address_instead_is_taken(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天下午3点修空调")
    summary = await c.say("海淀区知春路甲48号盈都大厦C座3单元12A")
    assert "地址：海淀区知春路甲48号盈都大厦C座3单元12A" in summary
    await c.say("确认")
    assert (await all_orders(app))[1].address == "海淀区知春路甲48号盈都大厦C座3单元12A"


@pytest.mark.parametrize("no", ["2", "换个地址", "不是"])
async def test_declining_the_offer_asks_for_the_address_plainly(make_app, no: str) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天下午3点修空调")
    asked = await c.say(no)
    assert "请问服务地址是？请写到门牌号" in asked and "上次是" not in asked and c.payloads == []
    assert "地址：海淀区知春路1号2号楼301" in await c.say("海淀区知春路1号2号楼301")


@pytest.mark.parametrize("no", ["different address", "a new address", "we moved"])
async def test_declining_the_offer_in_words_in_english(make_app, no: str) -> None:
    app = await make_app()
    c = await booked(app, "en")
    await c.say("appliance repair the day after tomorrow at 3pm")
    asked = await c.say(no)
    assert "address" in asked and "Last time" not in asked and "didn't" not in asked and c.payloads == []


@pytest.mark.parametrize("no", ["地址不一样", "换个地方"])
async def test_declining_the_offer_in_other_words(make_app, no: str) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天下午3点修空调")
    asked = await c.say(no)
    assert "请问服务地址是？请写到门牌号" in asked and "上次是" not in asked and c.payloads == []


async def test_the_latest_of_several_addresses_is_offered(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天上午9点擦玻璃，海淀区知春路1号2号楼301")
    await c.say("确认")
    asked = await c.say("下周一下午3点修空调")
    assert "上次是“海淀区知春路1号2号楼301”" in asked and ADDRESS not in asked


async def test_a_first_time_customer_is_asked_as_before(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    asked = await c.say("后天下午3点修空调")
    assert "请写到门牌号" in asked and "上次" not in asked and c.payloads == []
    await c.say(ADDRESS)
    summary = await c.say(PHONE)
    assert f"电话：{PHONE}\n" in summary and "沿用" not in summary


async def test_a_returning_customer_who_types_the_number_is_not_told_it_was_on_file(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    summary = await c.say(f"后天下午3点修空调，{ADDRESS}，{PHONE}")
    assert f"电话：{PHONE}\n" in summary and "沿用" not in summary


# ----- 2. something added once a booking is confirmed ---------------------------------------------
@pytest.mark.parametrize(("lang", "add", "offer", "yes"), [
    ("zh", "加个擦玻璃", "您还要擦玻璃（¥180）：也约在11月25日（周三）10:00、同一地址吗？", "好的"),
    ("zh", "再加个擦玻璃", "您还要擦玻璃（¥180）", "好"),
    ("en", "also add window cleaning", "shall I book it for Wed 25 Nov, 10:00 at the same address?", "yes"),
])
async def test_an_addition_after_the_booking_is_offered_for_the_same_visit(
        make_app, lang: str, add: str, offer: str, yes: str) -> None:
    app = await make_app()
    c = await booked(app, lang)
    offered = await c.say(add)
    assert offer in offered and ("哪天" not in offered and "Which day" not in offered), offered
    summary = await c.say(yes)
    assert ("服务：擦玻璃" if lang == "zh" else "Service: Window cleaning") in summary, summary
    await c.say("确认" if lang == "zh" else "yes")
    first, added = await all_orders(app)
    assert (added.service_id, added.date, added.time, added.address, added.phone, added.status) == (
        "window_cleaning", first.date, first.time, first.address, PHONE, "confirmed")


async def test_an_addition_later_goes_with_the_only_upcoming_visit(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("你们几点上班")  # something else in between: the just-confirmed order is no longer "just"
    assert "也约在11月25日（周三）10:00、同一地址吗" in await c.say("加个擦玻璃")


async def test_an_addition_with_its_own_day_is_a_booking_of_its_own(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    reply = await c.say("加个擦玻璃，下周一上午9点")
    assert "也约在" not in reply and "上次是“朝阳区建国路88号1号楼101”" in reply, reply


async def test_an_addition_with_two_upcoming_visits_and_none_just_booked_is_a_new_booking(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天上午9点修空调")
    await c.say("1")
    assert "预约成功" in await c.say("确认")
    await c.say("你们几点上班")
    reply = await c.say("加个擦玻璃")
    assert "也约在" not in reply and "哪天" in reply


# ----- 3. "the same as last time" books the last order's service ----------------------------------
@pytest.mark.parametrize(("lang", "again", "asked"), [
    ("zh", "还是上次那个服务", "深度保洁"),
    ("zh", "再约一次", "深度保洁"),
    ("zh", "老样子", "深度保洁"),
    ("en", "same as last time", "Deep cleaning"),
    ("en", "book it again", "Deep cleaning"),
])
async def test_the_same_as_last_time_books_the_last_service(make_app, lang: str, again: str, asked: str) -> None:
    app = await make_app()
    c = await booked(app, lang)
    reply = await c.say(again)
    assert asked in reply and ("哪天" in reply or "Which day" in reply), reply
    zh = lang == "zh"
    # the last order's address goes with its service: only the day and time are asked (qa17)
    summary = await c.say("下周一上午9点" if zh else "next Monday at 9am")
    assert ("服务：深度保洁" if zh else "Service: Deep cleaning") in summary, summary
    assert (f"地址：{ADDRESS}" if zh else f"Address: {EN_ADDRESS}") in summary, summary
    await c.say("确认" if zh else "yes")
    again_booked = (await all_orders(app))[1]
    assert (again_booked.service_id, again_booked.address, again_booked.phone, again_booked.status) == (
        "deep_cleaning", ADDRESS if zh else EN_ADDRESS, PHONE, "confirmed")


async def test_the_same_again_with_a_day_goes_straight_to_the_summary(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    reply = await c.say("再约一次，下周一上午9点")
    assert "服务：深度保洁" in reply and f"地址：{ADDRESS}" in reply and c.payloads[0] == "affirm", reply


async def test_the_same_again_with_no_order_before_asks_the_service(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("再约一次")
    assert "service:deep_cleaning" in c.payloads and await all_orders(app) == []


@pytest.mark.parametrize("text", ["跟上次一样好，老样子很满意", "same as last time, great job"])
async def test_the_same_words_in_a_review_comment_are_the_comment(make_app, clock: Clock, text: str) -> None:
    app, _, order = await completed(make_app, clock)
    c = ReminderCustomer(app)
    await c.say(payload="rate:5")
    reply = await c.say(text)
    assert "哪天" not in reply and "Which day" not in reply, reply
    assert (await review_of(app, order.id))[1].comment == text
    assert len(await all_orders(app)) == 1


@pytest.mark.parametrize(("text", "expected", "flag"), [
    ("还是上次那个服务", None, "repeat"), ("再约一次", None, "repeat"), ("book it again", None, "repeat"),
    ("same as last time", None, "repeat"), ("same as last time", "address", "same_address"),
    ("还是那里", "address", "same_address"), ("跟上次一样", "address", "same_address"),
])
def test_the_words_for_last_time_are_read(text: str, expected: str | None, flag: str) -> None:
    r = NLU.parse(text, now=NOW, expected=expected)
    assert r.flags.get(flag) and not r.slots, r
    assert not r.flags.get("repeat" if flag == "same_address" else "same_address")


@pytest.mark.parametrize("text", ["窗户没擦干净，能再来一次吗", "还是上次那个阿姨吗", "再加个擦玻璃"])
def test_other_words_are_no_repeat(text: str) -> None:
    assert not NLU.parse(text, now=NOW).flags.get("repeat")


async def test_the_last_order_is_read_once_for_its_name_and_its_address(make_app) -> None:
    """A returning customer's new booking takes the name of their last order and offers its
    address in the same turn: one SELECT of that order, not one for each."""
    from sqlalchemy import event

    app = await make_app()
    c = await booked(app)
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement.lower())

    event.listen(app.db.engine.sync_engine, "before_cursor_execute", record)
    try:
        assert "上次是“朝阳区建国路88号1号楼101”" in await c.say("后天下午3点修空调")
    finally:
        event.remove(app.db.engine.sync_engine, "before_cursor_execute", record)
    lookups = [q for q in seen if q.lstrip().startswith("select") and "from orders" in q and "limit" in q]
    assert len(lookups) == 1, lookups
