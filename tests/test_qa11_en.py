"""QA round 11, an English-speaking customer: the flat sent alone after the street ("Apt 5B")
joins the address; "typo, should be apt 1302" at the summary puts the flat right."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders

SUMMARY_FIRST = "window cleaning tmrw 3pm, 88 Jianguo Rd apt 1203, 13812345678"


# ----- 1. the flat sent alone after the street ----------------------------------------
@pytest.mark.parametrize("street, flat, address", [
    ("12 Sanlitun Rd", "Apt 5B", "12 Sanlitun Rd, Apt 5B"),
    ("21 Xinyuan South Rd", "apt 12c", "21 Xinyuan South Rd, apt 12c"),
    ("Jianwai SOHO Tower 2", "Rm 1203", "Jianwai SOHO Tower 2, Rm 1203"),
    ("12 Sanlitun Rd", "unit 3", "12 Sanlitun Rd, unit 3"),
])
async def test_the_flat_sent_after_the_street_joins_the_address(make_app, street: str, flat: str,
                                                                address: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a deep clean tomorrow 3pm")
    await c.say(street)
    asked = await c.say(flat)
    assert "didn't catch" not in asked and address in asked and "phone number" in asked
    summary = await c.say("13812345678")
    assert f"Address: {address}\n" in summary
    await c.say("yes")
    assert [o.address for o in await all_orders(app)] == [address]


async def test_the_flat_sent_at_the_summary_joins_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("I need a deep clean tomorrow 3pm")
    await c.say("12 Sanlitun Rd")
    await c.say("13812345678")
    summary = await c.say("Apt 5B")
    assert "Please check your order" in summary and "Address: 12 Sanlitun Rd, Apt 5B\n" in summary


async def test_the_room_sent_alone_in_chinese_joins_the_address_too(make_app) -> None:
    """"门牌号是1503" and "1203室" said while collecting replaced the whole address."""
    app = await make_app()
    for n, (room, address) in enumerate((("门牌号是1503", "朝阳区望京SOHO T1 1503"),
                                         ("1203室", "朝阳区望京SOHO T1 1203室"))):
        c = Customer(app, user=f"u{n}")
        await c.say("明天下午3点深度保洁")
        await c.say("朝阳区望京SOHO T1")
        assert address in await c.say(room)
        assert f"地址：{address}\n" in await c.say("13812345678")


# ----- 2. the flat put right at the summary -------------------------------------------
@pytest.mark.parametrize("fix", ["typo, should be apt 1302", "sorry it's apt 1302 not 1203"])
async def test_the_flat_put_right_at_the_summary(make_app, fix: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(SUMMARY_FIRST)
    summary = await c.say(fix)
    assert "Please check your order" in summary and "Address: 88 Jianguo Rd apt 1302\n" in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.address, order.notes) == ("88 Jianguo Rd apt 1302", None)
