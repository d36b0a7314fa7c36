"""How much is booked, said to the customer and stored.

- "明天上午十点清洗空调" (no count) booked one air conditioner unseen: the summary said
  "参考价：¥150 每台" and nothing of how many. Now a service priced by the item is booked for one
  and says so ("家电清洗 × 1", "按1台预约…"), without asking "几台？" (a sensible default is shown,
  never a step added), and a change of it reads "1 → 2", not "（无） → 2".
- The booking-confirmed message said "家电清洗，11月28日（周六）10:00，…" for two air conditioners
  or a 3-hour clean: it now says "× 2" / "（3小时）" and the guide price total, as the summary does.
- After booking, "one more aircon please" answered "Noted: phone 13812345678." (the phone on
  file, never said in that message) and showed the service menu; "add another aircon" offered a
  repair. Now "one more aircon", "add another aircon", "再加一台空调" change the booked order's
  count through the amend confirmation, as "再加一台" did, and a thing not on the order yet
  ("再加一台洗衣机") goes on its notes too; so does a count alone right after booking ("两台").
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))
AIRCON = "明天上午十点清洗空调，朝阳区建国路88号1号楼101，13812345678"
AIRCON_EN = "aircon cleaning tomorrow 10am at Flat 3, 8 Park Road, 13812345678"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- one item by default, shown ------------------------------------------------
async def test_an_appliance_without_a_count_is_one_said_so(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(AIRCON)
    assert "家电清洗 × 1" in summary and "按1台预约" in summary and "改成2台" in summary
    assert "几台" not in summary  # no question added: the default is shown instead
    two = await c.say("两台")
    assert "家电清洗 × 2" in two and "¥150 每台 × 2 = ¥300" in two and "按1台预约" not in two
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (2, Decimal("300"))


async def test_an_appliance_without_a_count_in_english(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say(AIRCON_EN)
    assert "Appliance cleaning × 1" in summary and "Quantity: 1 appliance" in summary
    assert "make it 2 appliances" in summary
    assert "× 2 = ¥300" in await c.say("make it 2 appliances")  # the words the summary suggests work
    await c.say("yes")
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (2, Decimal("300"))


async def test_one_appliance_booked_stores_one(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(AIRCON)
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.quantity, o.total, o.status) == (1, Decimal("150"), "confirmed")


# ----- the confirmation says how much ----------------------------------------------
@pytest.mark.parametrize(("booking", "lang", "amount", "price"), [
    ("明天上午十点清洗两台空调，朝阳区建国路88号1号楼101，13812345678", None,
     "家电清洗 × 2，", "参考价：¥150 每台 × 2 = ¥300"),
    ("明天上午9点日常保洁3小时，朝阳区建国路88号1号楼101，13812345678", None,
     "日常保洁（3小时），", "参考价：¥45 每小时 × 3小时 = ¥135"),
    ("clean 2 aircons tomorrow 10am at Flat 3, 8 Park Road, 13812345678", "en",
     "Appliance cleaning × 2,", "Guide price: ¥150 per appliance × 2 = ¥300"),
    ("deep clean tomorrow 3pm, 12 Baker Street Flat 3, 13812345678", "en",
     "Deep cleaning, ", "Guide price: ¥298"),
])
async def test_the_confirmation_says_how_much_and_the_total(make_app, booking: str, lang: str | None,
                                                           amount: str, price: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    done = await c.say("yes" if lang == "en" else "确认")
    assert ("Booked" if lang == "en" else "预约成功") in done
    assert amount in done and price in done


# ----- one more, once booked ---------------------------------------------------------
@pytest.mark.parametrize(("text", "count", "thing"), [
    ("one more aircon please", 1, "aircon"), ("add another aircon", 1, "aircon"), ("another AC please", 1, "ac"),
    ("add one more air conditioner", 1, "air conditioner"), ("再加一台空调", 1, "空调"),
    ("再加两台空调吧", 2, "空调"), ("多加一台洗衣机", 1, "洗衣机"),
])
def test_more_of_a_thing_named_is_a_change_by_so_much(parser: NluParser, text: str, count: int, thing: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.flags.get("quantity_delta"), r.flags.get("delta_per"), r.flags.get("delta_thing")) == (count, "item", thing)
    assert "quantity" not in r.slots and "service" not in r.slots  # no repair of an aircon instead


@pytest.mark.parametrize("text", ["another day please", "再加一个擦玻璃", "one more thing", "add a window cleaning"])
def test_more_of_what_is_no_thing_counted_is_no_change(parser: NluParser, text: str) -> None:
    assert "delta_thing" not in parser.parse(text, now=NOW).flags


@pytest.mark.parametrize(("said", "after"), [
    ("one more aircon please", 2), ("add another aircon", 2), ("make it 3 aircons", 3), ("one more unit", 2),
])
async def test_one_more_aircon_once_booked_in_english(make_app, said: str, after: int) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(AIRCON_EN)
    assert "Booked" in await c.say("yes")
    ask = await c.say(said)
    assert f"Quantity: 1 → {after}" in ask and "Shall I change it?" in ask
    assert "Noted: phone" not in ask and "Which service" not in ask
    done = await c.say("yes")
    assert f"× {after} = ¥{150 * after}" in done
    [o] = await all_orders(app)
    assert (o.quantity, o.total, o.notes) == (after, Decimal(150 * after), "aircon")


@pytest.mark.parametrize(("said", "notes"), [("再加一台空调", "空调"), ("多加一台", "空调"), ("再加一台洗衣机", "空调；洗衣机")])
async def test_one_more_appliance_once_booked_in_chinese(make_app, said: str, notes: str) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(AIRCON)
    await c.say("确认")
    ask = await c.say(said)
    assert "数量：1 → 2" in ask and "确定修改吗" in ask and "（无）" not in ask
    assert "已改好" in await c.say("确认修改")
    [o] = await all_orders(app)
    assert (o.quantity, o.total, o.notes) == (2, Decimal("300"), notes)


async def test_one_more_at_the_summary_notes_the_thing(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(AIRCON)
    shown = await c.say("再加一台洗衣机")
    assert "家电清洗 × 2" in shown and "备注：空调；洗衣机" in shown


async def test_one_more_with_nothing_booked_starts_a_booking(make_app) -> None:
    """With no order to add it to, "one more aircon" books one, as "一台空调" does."""
    app = await make_app()
    c = Customer(app, lang="en")
    asked = await c.say("one more aircon please")
    assert "Which service" in asked


async def test_the_phone_on_file_is_not_said_as_just_noted(make_app) -> None:
    """A returning customer's phone is taken from their last order, not from the message: the
    reply to a message without one does not say "Noted: phone …"."""
    app = await make_app()
    c = Customer(app)
    await c.say(AIRCON)
    await c.say("确认")
    await c.say("我的订单")
    asked = await c.say("两台")  # not right after the confirmation: a new booking's count, its service to ask
    assert "已记下电话" not in asked and "13812345678" not in asked
    assert "什么服务" in asked


@pytest.mark.parametrize(("lang", "booking", "count", "ask", "yes"), [
    (None, AIRCON, "两台", "数量：1 → 2", "确认修改"),
    ("en", AIRCON_EN, "2 units", "Quantity: 1 → 2", "yes"),
])
async def test_a_count_alone_right_after_booking_is_how_many_were_booked(
        make_app, lang: str | None, booking: str, count: str, ask: str, yes: str) -> None:
    """"两台" right after "预约成功" (the summary showed "× 1") is how many of what was just booked,
    not a new booking asking which service."""
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    await c.say("yes" if lang else "确认")
    assert ask in await c.say(count)
    await c.say(yes)
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (2, Decimal("300"))


async def test_a_count_to_the_change_asked_replaces_it(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(AIRCON)
    await c.say("确认")
    await c.say("再加一台空调")
    assert "数量：1 → 3" in await c.say("三台")


@pytest.mark.parametrize(("text", "alone"), [
    ("两台", True), ("4台吧", True), ("2 units", True), ("2 aircons", True),
    ("我要洗4台", False), ("clean 2 aircons", False), ("明天两台", False),
])
def test_a_count_alone_is_flagged(parser: NluParser, text: str, alone: bool) -> None:
    assert bool(parser.parse(text, now=NOW).flags.get("count_only")) is alone


async def test_a_count_with_more_words_right_after_booking_still_books(make_app) -> None:
    """"我要洗4台" says more than how many: it books, as before (tests/test_order_totals.py)."""
    app = await make_app()
    c = Customer(app)
    await c.say(AIRCON)
    await c.say("确认")
    assert "确定修改吗" not in await c.say("我要洗4台")
    [o] = await all_orders(app)
    assert o.quantity == 1
