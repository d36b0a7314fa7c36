"""What a repair or a locksmith's customer says happened goes on the note, and nothing else:
"fix my washing machine tomorrow, it won't drain" noted "washing machine tomorrow, it won't
drain" (the day the booking's, not the technician's); "I'm locked out, … 5 Sanlitun Rd" and
"钥匙锁屋里了，…" booked a locksmith with no note of being shut out. Checked on the parse, and on
the summary and the order stored."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- the fault, without the day said between the thing and it -------------------------
@pytest.mark.parametrize(("text", "date", "note"), [
    ("fix my washing machine tomorrow, it won't drain", "2026-11-25", "washing machine, it won't drain"),
    ("repair my fridge on friday, it's not cooling", "2026-11-27", "fridge, it's not cooling"),
    # with no comma: no drain unclogging asked for either
    ("fix my washing machine tomorrow it won't drain", "2026-11-25", "washing machine, it won't drain"),
    ("修一下洗衣机明天上午，不排水", "2026-11-25", "洗衣机，不排水"),
    ("can you fix my fridge on friday morning? it's not cooling", "2026-11-27", "fridge, it's not cooling"),
    ("repair the fridge at 88 Jianguo Road tomorrow, it's not cooling", "2026-11-25", "fridge, it's not cooling"),
    ("还有，热水器是万家乐的，不出热水", None, "热水器是万家乐的，不出热水"),  # its words between kept
    ("热水器是万家乐的明天来修，不出热水", "2026-11-25", "热水器是万家乐的，不出热水"),
])
def test_the_day_between_the_thing_and_its_fault_is_the_bookings(
        parser: NluParser, text: str, date: str | None, note: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots.get("service"), r.slots.get("date"), r.flags.get("note")) == ("appliance_repair", date, note)


async def test_the_fault_alone_is_on_the_summary_and_the_order(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("fix my washing machine tomorrow, it won't drain")
    await c.say("10am")
    await c.say("12 Baker Street")
    summary = await c.say("13812345678")
    assert "· When: Wed 25 Nov, 10:00\n" in summary and "· Notes: washing machine, it won't drain\n" in summary, summary
    [order] = await all_orders(app)
    assert (order.date, order.notes) == (dt.date(2026, 11, 25), "washing machine, it won't drain")


# ----- being shut out, noted for the locksmith --------------------------------------------
@pytest.mark.parametrize(("text", "note"), [
    ("I'm locked out, can someone come now? 5 Sanlitun Rd", "locked out"),
    ("locked myself out of my flat, 5 Sanlitun Rd", "locked myself out of my flat"),
    ("lost my keys, need a locksmith today", "lost my keys"),
    ("钥匙锁屋里了，能马上来吗？三里屯路5号", "钥匙锁屋里了"),
    ("钥匙丢了，被锁在门外了", "钥匙丢了，被锁在门外了"),
    ("你们几点开门？我钥匙丢了进不去", "钥匙丢了进不去"),
    ("钥匙落在家里了，进不去", "钥匙落在家里了，进不去"),
    ("我被反锁在家里了", "被反锁在家里了"),
    ("keys locked inside my flat", "keys locked inside my flat"),  # a locksmith, too
    ("I left my keys inside, can't get in", "left my keys inside, can't get in"),
    ("需要开锁，明天上午", None),  # the service alone: nothing happened to note
])
def test_being_shut_out_is_noted(parser: NluParser, text: str, note: str | None) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots.get("service"), r.flags.get("note")) == ("lock_service", note)


@pytest.mark.parametrize(("lang", "text", "address", "note", "line"), [
    ("en", "I'm locked out, can someone come now? 5 Sanlitun Rd", "5 Sanlitun Rd", "locked out", "· Notes: locked out\n"),
    ("zh", "钥匙锁屋里了，能马上来吗？三里屯路5号", "三里屯路5号", "钥匙锁屋里了", "· 备注：钥匙锁屋里了\n"),
])
async def test_the_locksmith_summary_says_what_happened(
        make_app, lang: str, text: str, address: str, note: str, line: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(text)
    summary = await c.say("13812345678")
    assert line in summary, summary
    [order] = await all_orders(app)
    assert (order.service_id, order.address, order.notes) == ("lock_service", address, note)
