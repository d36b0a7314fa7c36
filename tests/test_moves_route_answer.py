"""A move's route said as an answer without 搬 ("从望京西园三区到五道口华清嘉园", "昌平回龙观到
朝阳双井"), at any step of a move being booked, gives both ends: the pickup address and where
the move goes. It was kept whole as the address, the destination asked again and lost, or not
understood at all. A day or an hour ("3点到5点"), a change ("地址改到…") or
what is moved ("东西拉到…") is no route."""

from __future__ import annotations

import pytest

from nlu.address import find_said_route
from tests.test_dialogue import Customer
from tests.test_moves_labels import zh


@pytest.mark.parametrize(("text", "route"), [
    ("从望京西园三区到五道口华清嘉园", ("望京西园三区", "五道口华清嘉园")),
    ("昌平回龙观到朝阳双井", ("昌平回龙观", "朝阳双井")),
    ("明天从昌平回龙观到朝阳双井", ("昌平回龙观", "朝阳双井")),
    ("3点到5点", None),
    ("明天到后天", None),
    ("送到朝阳双井", None),
    ("东西送到了", None),
    ("从卧室到客厅", None),
    ("地址改到朝阳双井", None),  # a change asked for: the dialogue's, not a route
    ("东西拉到朝阳双井", None),
    ("师傅直接到朝阳双井", None),
    ("那就到朝阳双井吧", None),
    ("昌平回龙观到朝阳双井吧", ("昌平回龙观", "朝阳双井")),
])
def test_a_route_needs_a_place_on_both_sides(text: str, route: tuple[str, str] | None) -> None:
    assert find_said_route(text) == route


async def test_a_route_to_where_from_gives_both_ends(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("搬家，明天早上8点")
    reply = await c.say("从望京西园三区到五道口华清嘉园")
    assert "搬到哪里" not in reply, "the destination was said"
    summary = await c.say("13211112222")
    assert zh(summary) == ("望京西园三区", "五道口华清嘉园")


@pytest.mark.parametrize("route", ["从昌平回龙观到朝阳双井", "昌平回龙观到朝阳双井"])
async def test_a_route_at_the_time_or_address_step(make_app, route: str) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("搬家")
    await c.say("明天早上8点")
    assert "没太明白" not in await c.say(route)
    assert zh(await c.say("13211112222")) == ("昌平回龙观", "朝阳双井")
    other = Customer(app, user="u2")
    await other.say("搬家")
    await other.say(route)  # to "约哪天、几点？"
    await other.say("明天早上8点")
    assert zh(await other.say("13211112222")) == ("昌平回龙观", "朝阳双井")
