"""The eighth QA pass: a part of the address put right, at the summary and after booking
("门牌号是1503", "是T2不是T1", "the flat is 1503 not 1203"), while a whole new address
said instead still replaces the whole address."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders

CLEAN = "明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678"
CLEAN_EN = "Deep clean tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678"


# ----- at the summary --------------------------------------------------------------
async def test_a_room_number_alone_at_the_summary_fixes_the_room(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(CLEAN)
    said = await c.say("门牌号是1503")
    assert "地址：朝阳区望京SOHO T1-1503" in said and "门牌号是1503" not in said
    assert "预约成功" in await c.say("确认")
    assert [o.address for o in await all_orders(app)] == ["朝阳区望京SOHO T1-1503"]


async def test_a_whole_address_with_a_room_still_replaces_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(CLEAN)
    said = await c.say("门牌号是1503，地址是海淀区中关村大街1号")
    assert "地址：海淀区中关村大街1号" in said
    await c.say("确认")
    assert [o.address for o in await all_orders(app)] == ["海淀区中关村大街1号"]


async def test_english_the_flat_is_x_not_y_replaces_the_number_only(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(CLEAN_EN)
    said = await c.say("yes, but the flat is 1503 not 1203")
    assert "88 Jianguo Road apt 1503" in said and "is 1503" not in said
    await c.say("yes")
    assert [o.address for o in await all_orders(app)] == ["88 Jianguo Road apt 1503"]


def test_the_readings() -> None:
    from nlu.corrections import part_fixes, room_only

    assert part_fixes("yes, but the flat is 1503 not 1203") == [("1203", "1503")]
    assert part_fixes("it is Apt 5 not Apt 3") == [("Apt 3", "Apt 5")]
    assert room_only("门牌号是1503") and room_only("room number is 1503")
    assert not room_only("海淀区中关村大街1号 门牌号是1503") and not room_only(None)


# ----- after booking: the amend flow, with only the part named replaced ---------------
async def booked(app, user: str = "u1", lang: str | None = None) -> Customer:
    c = Customer(app, user=user, lang=lang)
    await c.say(CLEAN_EN if lang == "en" else CLEAN)
    await c.say("yes" if lang == "en" else "确认")
    return c


@pytest.mark.parametrize("lang, words, old, new", [
    (None, "门牌号是1503", "朝阳区望京SOHO T1-1203", "朝阳区望京SOHO T1-1503"),
    (None, "对 但是地址是T2不是T1", "朝阳区望京SOHO T1-1203", "朝阳区望京SOHO T2-1203"),
    ("en", "the apartment number is 1503", "88 Jianguo Road apt 1203", "88 Jianguo Road apt 1503"),
    (None, "地址改成海淀区中关村大街1号", "朝阳区望京SOHO T1-1203", "海淀区中关村大街1号"),  # a whole one: all of it
])
async def test_an_address_put_right_after_booking_asks_old_to_new(make_app, lang, words, old, new) -> None:
    app = await make_app()
    c = await booked(app, lang=lang)
    asked = await c.say(words)
    assert f"{old} → {new}\n" in asked and ("Shall I change it?" if lang else "确定修改吗？") in asked
    await c.say("yes" if lang else "1")
    assert [o.address for o in await all_orders(app)] == [new]


async def test_a_part_the_address_does_not_hold_changes_nothing_after_booking(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    said = await c.say("是T3不是T5")
    assert "确定修改吗" not in said
    assert [o.address for o in await all_orders(app)] == ["朝阳区望京SOHO T1-1203"]
