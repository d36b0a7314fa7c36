"""What the job is done to goes on the note for every service, not only one priced per item:
"能帮我装个衣柜吗", "assemble an IKEA wardrobe", "明天来修一下空调", "fix my fridge" booked
a furniture assembly or a repair with no word of what to assemble or fix, and the
technician came with the wrong tools."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.mark.parametrize(("text", "service", "note"), [
    ("能帮我装个衣柜吗？", "furniture_assembly", "衣柜"),
    ("I need someone to assemble an IKEA wardrobe next Tuesday afternoon", "furniture_assembly", "wardrobe"),
    ("明天来修一下空调", "appliance_repair", "空调"),
    ("fix my fridge tomorrow", "appliance_repair", "fridge"),
    ("马桶堵了", "drain_unclogging", "马桶堵了"),     # what is wrong with it, as before
])
def test_the_thing_is_noted(text: str, service: str, note: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=NOW)
    assert (r.slots["service"], r.flags.get("note")) == (service, note)


@pytest.mark.parametrize("text", ["装家具", "家电维修", "明天下午保洁"])
def test_a_service_named_by_its_kind_notes_nothing(text: str) -> None:
    assert "note" not in NluParser(demo_catalog()).parse(text, now=NOW).flags


async def test_the_technician_reads_what_to_assemble(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("周六下午装个衣柜，朝阳区建国路88号1号楼101，13800001111")
    assert "· 备注：衣柜" in summary and "× " not in summary
    await c.say("确认")
    (order,) = await all_orders(app)
    assert order.notes == "衣柜"
    en = Customer(app, user="u2", lang="en")
    summary = await en.say("fix my fridge on saturday at 10am, Flat 3, 8 Park Road, 13800002222")
    assert "· Notes: fridge" in summary
