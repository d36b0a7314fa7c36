"""A move ends somewhere else: the bot asks where (catalog `needs_destination`), books it
when the new home is not settled yet, lets a bare "搬到…" change the booked move, and lists
each order with where it is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from handlers import amend as A
from handlers import slots as S
from handlers.render import Renderer
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog, parse_catalog
from tests.test_dialogue import Customer, all_orders

NOW = dt.datetime(2026, 11, 24, 20, 0)
PICKUP = "朝阳区望京SOHO T1-1203"
NEW_HOME = "海淀区上地东里5号楼"
A_MOVE = "下周六上午9点搬家"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- the NLU ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["还没定", "新家还没确定", "目的地待定", "还没定，到时候再说", "还不知道搬哪",
                                  "not sure yet", "not decided yet", "we haven't decided yet", "TBD",
                                  "not sure where yet"])
def test_not_settled_yet_is_dont_know(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW, expected="destination")
    assert r.flags.get("dont_know") and not r.slots, r


@pytest.mark.parametrize(("text", "slots", "destination"), [
    (NEW_HOME, {"address": NEW_HOME}, None),                     # bare: the dialogue knows what it asked
    ("to 12 Baker Street", {"address": "12 Baker Street"}, None),
    ("to 5 Marina Bay", {"address": "5 Marina Bay"}, None),      # no street word: read whole, less the "to"
    ("地址写错了，是朝阳区望京SOHO T2-1505", {"address": "朝阳区望京SOHO T2-1505"}, None),  # not "是朝阳区…"
    (f"目的地是{NEW_HOME}", {}, NEW_HOME),                        # no address "目的地是" left over
    (f"新家在{NEW_HOME}", {}, NEW_HOME),
])
def test_the_answer_to_where_to(parser: NluParser, text: str, slots: dict, destination: str | None) -> None:
    for expected in ("destination", "address"):
        r = parser.parse(text, now=NOW, expected=expected)
        assert r.slots == slots and r.flags.get("destination") == destination, (expected, r)


@pytest.mark.parametrize(("text", "destination"), [
    ("moving to 12 Baker Street", "12 Baker Street"),
    ("we're moving to 12 Baker Street, Flat 2", "12 Baker Street, Flat 2"),
    ("change the destination to 7 Hill Road", "7 Hill Road"),
    ("our new home is 7 Hill Road", "7 Hill Road"),
])
def test_where_a_move_ends_said_alone_in_english(parser: NluParser, text: str, destination: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("destination") == destination and "address" not in r.slots, r


def test_english_moves_to_a_time_or_within_a_home_have_no_destination(parser: NluParser) -> None:
    assert "destination" not in parser.parse("move it to Friday", now=NOW).flags
    assert "destination" not in parser.parse("move the sofa to the bedroom tomorrow", now=NOW).flags
    both = parser.parse("moving from 18 Orchard Road to 5 Marina Bay on Saturday", now=NOW)
    assert (both.slots["address"], both.flags["destination"]) == ("18 Orchard Road", "5 Marina Bay")


# ----- the catalog says which services are moves ---------------------------------------------
def test_a_move_is_the_catalogs_word_not_a_service_id() -> None:
    catalog = parse_catalog("business: {name: B}\nservices:\n"
                            "  - {id: removals, name: {zh: 搬迁}, needs_destination: true}\n"
                            "  - {id: moving, name: {zh: 搬家}}\n")
    assert catalog.needs_destination("removals") and not catalog.needs_destination("moving")
    assert not catalog.needs_destination(None) and not catalog.needs_destination("nope")
    demo = demo_catalog()
    assert [s.id for s in demo.services if s.needs_destination] == ["moving"]


# ----- pure rules ------------------------------------------------------------------------------
def test_a_move_is_asked_where_it_ends_after_where_it_starts() -> None:
    d = {"service": "moving", "date": "2026-11-28", "period": "morning"}
    assert S.next_missing(d, needs_destination=True) == "address"
    assert S.next_missing({**d, "address": PICKUP}, needs_destination=True) == "destination"
    assert S.next_missing({**d, "address": PICKUP}) == "phone", "not a move: never asked"
    known = {**d, "address": PICKUP, "destination": NEW_HOME}
    assert S.next_missing(known, needs_destination=True) == "phone"
    unknown = {**d, "address": PICKUP, S.DESTINATION_UNKNOWN: True}
    assert S.next_missing(unknown, needs_destination=True) == "phone"
    assert S.merge(unknown, {"destination": NEW_HOME}) == known, "known after all"


def test_the_answer_to_where_to_is_the_destination() -> None:
    assert S.as_destination({"address": NEW_HOME}) == {"destination": NEW_HOME}
    assert S.as_destination({"address": NEW_HOME, "phone": "1"}) == {"destination": NEW_HOME, "phone": "1"}
    route = {"address": PICKUP, "destination": NEW_HOME}
    assert S.as_destination(route) == route, "从…搬到… says which is which"
    assert S.as_destination({"phone": "1"}) == {"phone": "1"}


# ----- the dialogue: asking where to -----------------------------------------------------------
EN_PICKUP = "18 Orchard Road, Flat 3"


async def asked_where_to(make_app, lang: str = "zh", phone: bool = False) -> tuple[Any, Customer]:
    """The app and a customer booking a move from PICKUP (EN_PICKUP in English), who was just
    asked where it goes; their phone number given already when `phone`."""
    app = await make_app()
    c = Customer(app, lang=None if lang == "zh" else lang)
    tel = "，电话13812345678" if phone else ""
    first = f"{A_MOVE}，地址{PICKUP}{tel}" if lang == "zh" else \
        f"I need movers next Saturday at 9am from {EN_PICKUP}{', phone 13812345678' if phone else ''}"
    asked = await c.say(first)
    assert ("搬到哪里" in asked and "还没定" in asked) if lang == "zh" else "Where are you moving to?" in asked
    return app, c


async def _booked_move(c: Customer, when: str = A_MOVE, pickup: str = PICKUP, to: str = NEW_HOME) -> None:
    await c.say(f"{when}，从{pickup}搬到{to}，电话13812345678")
    assert "预约成功" in await c.say("确认")


async def test_a_move_without_its_destination_is_asked_where_to(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "地址" in await c.say(A_MOVE)
    assert "搬到哪里" in await c.say(PICKUP), "after the address"
    assert "电话" in await c.say(NEW_HOME)
    summary = await c.say("13812345678")
    assert f"地址：{PICKUP}" in summary and f"搬到：{NEW_HOME}" in summary
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.address, o.destination, o.status) == (PICKUP, NEW_HOME, "confirmed")


async def test_搬到_answers_where_to_too_and_a_cleaning_is_never_asked(make_app) -> None:
    app, c = await asked_where_to(make_app, phone=True)
    summary = await c.say(f"搬到{NEW_HOME}")
    assert f"地址：{PICKUP}" in summary and f"搬到：{NEW_HOME}" in summary
    cleaning = Customer(app, user="u2")
    assert "请核对订单" in await cleaning.say(f"明天下午3点深度保洁，地址{PICKUP}，电话13812345678")


async def test_a_move_named_with_both_ends_is_not_asked(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(f"{A_MOVE}，从{PICKUP}搬到{NEW_HOME}，电话13812345678")
    assert "请核对订单" in summary and f"搬到：{NEW_HOME}" in summary


async def test_not_settled_yet_books_the_move_with_its_destination_to_be_confirmed(make_app) -> None:
    app, c = await asked_where_to(make_app)
    answer = await c.say("还没定")
    assert "定了再告诉我" in answer and "电话" in answer and "搬到哪里" not in answer
    assert "搬到：待确认" in await c.say("13812345678")
    assert f"{PICKUP} → 目的地待确认" in await c.say("确认")
    [o] = await all_orders(app)
    assert (o.status, o.destination) == ("confirmed", None)
    assert f"{PICKUP} → 目的地待确认" in await c.say("我的订单")


async def test_not_sure_yet_in_english(make_app) -> None:
    _, c = await asked_where_to(make_app, "en")
    assert "once it's settled" in await c.say("not sure yet")
    assert "Moving to: to be confirmed" in await c.say("13812345678")


async def test_to_a_street_answers_where_to_in_english(make_app) -> None:
    _, c = await asked_where_to(make_app, "en", phone=True)
    summary = await c.say("to 12 Baker Street")
    assert f"Address: {EN_PICKUP}" in summary and "Moving to: 12 Baker Street" in summary


async def test_the_pickup_address_corrected_at_where_to_stays_the_pickup(make_app) -> None:
    _, c = await asked_where_to(make_app)
    assert "搬到哪里" in await c.say("地址写错了，是朝阳区望京SOHO T2-1505")
    summary = await c.say(f"{NEW_HOME}，电话13812345678")
    assert "地址：朝阳区望京SOHO T2-1505" in summary and f"搬到：{NEW_HOME}" in summary


async def test_the_change_menu_of_a_move_offers_where_to(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(f"{A_MOVE}，从{PICKUP}搬到{NEW_HOME}，电话13812345678")
    await c.say("修改")
    assert "change:destination" in c.payloads
    assert "搬到哪里" in await c.say(payload="change:destination")
    assert "搬到：待确认" in await c.say("还没定")
    cleaning = Customer(app, user="u2")
    await cleaning.say(f"明天下午3点深度保洁，地址{PICKUP}，电话13812345678")
    await cleaning.say("修改")
    assert "change:destination" not in cleaning.payloads


# ----- "my orders" ------------------------------------------------------------------------------
async def test_my_orders_says_where_each_one_is(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await _booked_move(c)
    await c.say("明天下午3点深度保洁，地址朝阳区建国路88号")
    await c.say("确认")
    listed = await c.say("我的订单")
    assert f"地址：{PICKUP} → {NEW_HOME}" in listed and "地址：朝阳区建国路88号\n" in listed + "\n"
    en = await Customer(app, lang="en").say("my orders")
    assert f"Address: {PICKUP} → {NEW_HOME}" in en


def test_the_staff_groups_list_of_the_day_still_has_no_addresses() -> None:
    """"My orders" shows the customer's own addresses in full; the staff group's list of
    today's orders is read by everyone there and shows none."""
    class Row:
        number, service_id, date, time, period, status = "20261128-0001", "moving", dt.date(2026, 11, 28), None, \
            "morning", "confirmed"
        address, destination, assignee, quantity = PICKUP, NEW_HOME, None, None

    text = Renderer(demo_catalog()).text("staff_today", "zh", orders=[Row()], day=dt.date(2026, 11, 28))
    assert "20261128-0001" in text and PICKUP not in text and NEW_HOME not in text


# ----- pure rules of changing a booked move -----------------------------------------------------
def test_搬到_names_the_booked_move_not_a_new_one() -> None:
    is_move = demo_catalog().needs_destination
    assert A.about_a_move({"service": "moving", "destination": NEW_HOME}, is_move) == {"destination": NEW_HOME}
    with_day = {"service": "moving", "destination": NEW_HOME, "date": "2026-11-29"}
    assert not A.wants_amend(A.about_a_move(with_day, is_move), f"周日搬到{NEW_HOME}", after_confirmation=False)
    assert A.about_a_move({"service": "deep_cleaning", "address": PICKUP}, is_move) == {
        "service": "deep_cleaning", "address": PICKUP}
    assert A.fits({"destination": NEW_HOME}, True) and not A.fits({"destination": NEW_HOME}, False)
    assert A.fits({"phone": "13900001111"}, False)


# ----- the dialogue: a bare "搬到…" after booking --------------------------------------------
async def test_搬到_alone_changes_the_one_booked_move(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await _booked_move(c)
    await c.say(f"明天下午3点深度保洁，地址{PICKUP}")
    await c.say("确认")
    await c.say("我的订单")  # not right after a confirmation: the move is found among the orders
    ask = await c.say("搬到海淀区上地东里7号楼")
    assert f"搬家目的地：{NEW_HOME} → 海淀区上地东里7号楼" in ask and "确定修改吗" in ask
    assert "已更新" in await c.say("确认修改")
    move, cleaning = await all_orders(app)
    assert (move.address, move.destination) == (PICKUP, "海淀区上地东里7号楼")
    assert (cleaning.address, cleaning.destination) == (PICKUP, None)


async def test_搬到_alone_fills_a_destination_to_be_confirmed(make_app) -> None:
    app, c = await asked_where_to(make_app, phone=True)
    await c.say("还没定")
    await c.say("确认")
    await c.say("我的订单")
    assert f"搬家目的地：（无） → {NEW_HOME}" in await c.say(f"新家在{NEW_HOME}")
    await c.say("确认修改")
    [o] = await all_orders(app)
    assert o.destination == NEW_HOME


async def test_moving_to_alone_in_english(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("movers next Saturday 9am from 18 Orchard Road, phone 13812345678")
    await c.say("to 5 Marina Bay")
    await c.say("yes")
    await c.say("my orders")
    ask = await c.say("we're moving to 12 Baker Street")
    assert "Destination: 5 Marina Bay → 12 Baker Street" in ask
    await c.say("yes")
    [o] = await all_orders(app)
    assert (o.address, o.destination) == ("18 Orchard Road", "12 Baker Street")


async def test_搬到_with_several_moves_asks_which_of_the_moves(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await _booked_move(c)
    await _booked_move(c, "下周日上午搬家", "朝阳区建国路88号", "回龙观")
    await c.say(f"明天下午3点深度保洁，地址{PICKUP}")
    await c.say("确认")
    first, second, cleaning = await all_orders(app)
    await c.say("我的订单")
    ask = await c.say("搬到海淀区上地东里8号楼")
    assert "修改哪一个" in ask and c.payloads == [f"order:{first.number}", f"order:{second.number}"]
    assert "朝阳区建国路88号 → 回龙观" in ask, "each move says where it goes"
    assert "回龙观 → 海淀区上地东里8号楼" in await c.say("2")
    await c.say("确认")
    first, second, _ = await all_orders(app)
    assert (first.destination, second.destination) == (NEW_HOME, "海淀区上地东里8号楼")


async def test_搬到_without_a_booked_move_starts_one(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(f"明天下午3点深度保洁，地址{PICKUP}，电话13812345678")
    await c.say("确认")
    await c.say("我的订单")
    asked = await c.say(f"搬到{NEW_HOME}")
    assert "搬家服务" in asked and "哪天" in asked and "确定修改吗" not in asked
    [cleaning] = await all_orders(app)
    assert cleaning.destination is None


async def test_搬到_with_a_day_is_another_move(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await _booked_move(c)
    await c.say("我的订单")
    answer = await c.say("下下周六上午搬到回龙观")
    assert "确定修改吗" not in answer and "地址" in answer
    [o] = await all_orders(app)
    assert o.destination == NEW_HOME


def test_movers_is_a_moving_word_for_the_route() -> None:
    """"Need movers … from X to Y" lost Y: only move/moves/moving said a route was a move."""
    from datetime import datetime, timedelta, timezone

    from nlu.pipeline import NluParser
    from storage.catalog import demo_catalog

    r = NluParser(demo_catalog()).parse(
        "Need movers on Dec 12 at 9am from 12 Elm Street to 400 Oak Avenue, phone 13900001111",
        now=datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8))))
    assert (r.slots["service"], r.slots["address"], r.flags["destination"]) == (
        "moving", "12 Elm Street", "400 Oak Avenue")
