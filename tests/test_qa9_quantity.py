"""Quantities that make no sense, and a bare number answering "what time?".

A quantity of a service priced by the visit ("改成3个" of a deep clean) was stored as × 3 at
one visit's price; 100 air conditioners or 500 hours were booked unchecked. Now the customer
is told why (and offered a person for a job that size) and nothing changes. A bare "1" to
"改到什么时间？" was the 1st of the month; it is 13:00 of the order's day now.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_dialogue_qa import booked

AIRCON = "明天上午10点来清洗3台空调，朝阳区望京SOHO T1-1203，13812345678"
TOMORROW = dt.date(2026, 11, 25)  # the clock: Tuesday 2026-11-24 20:00


async def _booked(app, text: str, lang: str | None = None) -> Customer:
    c = Customer(app, lang=lang)
    await c.say(text)
    await c.say("确认" if lang is None else "yes")
    [o] = await all_orders(app)
    assert o.status == "confirmed"
    return c


def test_what_the_catalog_refuses() -> None:
    cat = demo_catalog()
    deep, aircon, hourly = (cat.get(s) for s in ("deep_cleaning", "appliance_cleaning", "daily_cleaning"))
    assert [deep.quantity_refused(q) for q in (None, 1, 3)] == [None, None, "per_visit"]
    assert (aircon.most, hourly.most) == (20, 12)  # the defaults, with no max_quantity set
    assert [aircon.quantity_refused(q) for q in (20, 21)] == [None, "too_many"]
    assert [hourly.quantity_refused(q) for q in (12, 500)] == [None, "too_many"]


# ---------------------------------------------------------------- a quantity of a visit
async def test_more_of_a_service_priced_by_the_visit_is_explained_not_stored(make_app) -> None:
    app = await make_app()
    c = await booked(app)  # a deep clean, tomorrow 15:00
    answer = await c.say("改成3个")
    assert "按次收费" in answer and "¥298" in answer and "确定修改吗" not in answer
    assert "多约几次" in answer
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (None, 298)
    # the open question was dropped: a yes now changes nothing
    await c.say("确认")
    [o] = await all_orders(app)
    assert o.quantity is None


async def test_a_visit_quantity_at_the_summary_is_explained_and_left_out(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "请核对订单" in await c.say("明天下午3点来望京SOHO T1-1203做个深度保洁 13812345678")
    answer = await c.say("改成3个")
    assert "按次收费" in answer and "请核对订单" in answer and "× 3" not in answer
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.status, o.quantity, o.total) == ("confirmed", None, 298)


def test_a_count_of_a_service_named_is_a_quantity() -> None:
    parser = NluParser(demo_catalog())
    now = dt.datetime(2026, 11, 24, 20, 0)
    assert parser.parse("3个深度保洁", now=now).slots == {"service": "deep_cleaning", "quantity": 3}
    assert "quantity" not in parser.parse("我要一个深度保洁", now=now).slots  # 一个: "a"


async def test_a_visit_quantity_in_the_booking_is_explained_and_left_out(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    answer = await c.say("明天下午3点来望京SOHO T1-1203做3个深度保洁 13812345678")
    assert "按次收费" in answer and "没有记成 3 个" in answer and "请核对订单" in answer and "× 3" not in answer
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.status, o.quantity, o.total) == ("confirmed", None, 298)


async def test_english_more_of_a_visit_is_explained(make_app) -> None:
    app = await make_app()
    c = await _booked(app, "deep clean tomorrow 3pm at 5 Park Lane phone 13812345678", lang="en")
    answer = await c.say("make it 3 rooms")
    assert "priced per visit" in answer and "Shall I change it?" not in answer
    assert "several visits" in answer
    [o] = await all_orders(app)
    assert o.quantity is None


# ---------------------------------------------------------------- too many
async def test_too_many_items_for_a_booked_order_offer_a_person(make_app) -> None:
    app = await make_app()
    c = await _booked(app, AIRCON)
    answer = await c.say("改成100台")
    assert "最多约 20 台" in answer and "转人工" in answer and "确定修改吗" not in answer
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (3, 450)
    assert "确定修改吗" in await c.say("改成5台")  # within the bound, as before
    await c.say("确认修改")
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (5, 750)


async def test_too_many_items_in_a_booking_are_not_put_down(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    answer = await c.say("明天上午10点来清洗100台空调，朝阳区望京SOHO T1-1203，13812345678")
    assert "最多约 20 台" in answer and "转人工" in answer and "× 100" not in answer
    assert "按1台预约" in answer  # booked as one, and said so
    await c.say("确认")
    [o] = await all_orders(app)
    assert o.quantity == 1


async def test_english_too_many_hours_offer_a_person(make_app) -> None:
    app = await make_app()
    c = await _booked(app, "regular cleaning for 4 hours tomorrow at 10am, 12 Baker Street, 13812345678", lang="en")
    answer = await c.say("make it 500 hours")
    assert "at most 12 hours" in answer and '"human"' in answer and "Shall I change it?" not in answer
    [o] = await all_orders(app)
    assert (o.quantity, o.total) == (4, 180)


SHOP = """
business: {name: 小王家政, hours: "14:00-22:00"}
services:
  - {id: aircon, name: {zh: 空调清洗, en: Aircon cleaning}, synonyms: [洗空调, 空调清洗], duration_minutes: 60,
     price: 100, price_unit: {zh: 每台}, price_per: item, max_quantity: 5}
"""


async def _shop(make_app, tmp_path: Path):  # noqa: ANN202 - the app
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    return await make_app(catalog=str(tmp_path / "shop.yaml"))


async def test_the_catalogs_max_quantity_is_the_bound(make_app, tmp_path: Path) -> None:
    app = await _shop(make_app, tmp_path)
    c = await _booked(app, "明天下午3点洗空调2台，望京SOHO T1-1203，13812345678")
    assert "最多约 5 台" in await c.say("改成6台")
    assert "确定修改吗" in await c.say("改成5台")


# ---------------------------------------------------------------- a bare hour
async def test_a_bare_number_to_the_new_time_question_is_an_hour(make_app) -> None:
    app = await make_app()
    c = await booked(app)  # tomorrow 15:00
    assert "改到什么时间" in await c.say("改时间")
    assert "13:00，确定修改吗" in await c.say("1")
    await c.say("确认修改")
    [o] = await all_orders(app)
    assert (o.date, o.time) == (TOMORROW, dt.time(13, 0))
    await c.say("改时间")
    assert "08:00，确定修改吗" in await c.say("8")
    await c.say("确认修改")
    [o] = await all_orders(app)
    assert (o.date, o.time) == (TOMORROW, dt.time(8, 0))
    await c.say("改时间")
    assert "11月30日（周一）08:00，确定修改吗" in await c.say("30")  # no hour: still a day


async def test_english_bare_number_to_reschedule_is_an_hour(make_app) -> None:
    app = await make_app()
    c = await _booked(app, "deep clean tomorrow 3pm at 5 Park Lane phone 13812345678", lang="en")
    assert "When would you like it instead?" in await c.say("reschedule")
    assert "→ Wed 25 Nov, 09:00" in await c.say("9")
    await c.say("yes")
    [o] = await all_orders(app)
    assert (o.date, o.time) == (TOMORROW, dt.time(9, 0))


async def test_a_bare_number_to_what_time_is_an_hour_and_to_which_day_a_day(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "几点方便" in await c.say("明天来望京SOHO T1-1203做个深度保洁 13812345678")
    assert "13:00" in await c.say("1")
    d = Customer(app, user="u2")
    assert "请问约哪天" in await d.say("望京SOHO T2-1505做个深度保洁 13900001111")
    answer = await d.say("3")
    assert "12月3日" in answer and "几点方便" in answer


async def test_a_bare_hour_is_read_inside_the_opening_hours(make_app, tmp_path: Path) -> None:
    app = await _shop(make_app, tmp_path)  # visits 14:00-22:00
    c = Customer(app)
    assert "几点方便" in await c.say("明天洗空调，望京SOHO T1-1203，13812345678")
    assert "20:00" in await c.say("8")
    await c.say("确认")
    [o] = await all_orders(app)
    assert o.time == dt.time(20, 0)
