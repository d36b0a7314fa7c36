"""Correctness gaps under the conversation: what is stamped with which clock, a pin or a
building said again, the shop's address on orders, and money in currencies without
cents. The test clock is Tuesday 2026-11-24 20:00 in Shanghai (days before the wall
clock), so a timestamp taken from the wall clock shows."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from handlers.privacy import PIN
from handlers.reading import location_payload
from nlu.corrections import with_room
from storage import export
from storage import orders as order_repo
from storage.catalog import parse_catalog
from storage.db import Database
from storage.migrate import upgrade
from storage.money import amount_text
from storage.models import ConversationState, MessageLog, Staff, StaffCard
from tests.test_at_shop import HOME, SALON, SHOP_EN, SHOP_ZH, _app_with
from tests.test_dialogue import Customer, all_orders
from tests.test_telegram import BOB, Harness, fake, serve_telegram, tg  # noqa: F401 - fixtures


# ------------------------------------------------------------------ 1. one clock for every stamp
async def test_the_message_log_is_stamped_with_the_apps_clock(make_app, clock) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("你好")
    async with app.db.sessions() as s:
        stamps = list((await s.execute(select(MessageLog.created_at))).scalars())
        saved = (await s.execute(select(ConversationState.updated_at))).scalar_one()
    assert len(stamps) == 2
    assert all(abs(_aware(t) - clock()) < dt.timedelta(seconds=1) for t in stamps), stamps
    assert abs(_aware(saved) - clock()) < dt.timedelta(seconds=1), saved


async def test_a_draft_left_for_over_a_month_by_the_apps_clock_is_forgotten(make_app, clock) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想明年3月2日下午3点做个深度保洁")
    clock.advance(days=31)
    reply = await c.say("朝阳区望京SOHO T1 1203")
    assert "电话" not in reply and "深度保洁" not in reply, reply


async def test_a_draft_is_kept_within_the_month_by_the_apps_clock(make_app, clock) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我想明年3月2日下午3点做个深度保洁")
    clock.advance(days=20)
    assert "电话" in await c.say("朝阳区望京SOHO T1 1203")


async def test_staff_and_their_cards_are_stamped_with_the_apps_clock(tg: Harness, clock) -> None:
    order = await tg.book()
    await tg.flush()
    await tg.press(BOB, tg.card(), "🙋 接单")
    await tg.flush()
    async with tg.app.db.sessions() as s:
        staff = (await s.execute(select(Staff.created_at))).scalars().all()
        cards = (await s.execute(select(StaffCard.created_at))).scalars().all()
        logged = (await s.execute(select(MessageLog.created_at))).scalars().all()
    assert order.created_at is not None
    for t in [*staff, *cards, *logged]:
        assert abs(_aware(t) - clock()) < dt.timedelta(minutes=5), (t, clock())


def _aware(t: dt.datetime) -> dt.datetime:
    """SQLite hands back naive UTC."""
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


# ------------------------------------------------------------------ 2. a later map pin stands
async def test_a_second_pin_while_drafting_replaces_the_first(make_app) -> None:
    app = await make_app()
    c = Customer(app, channel="telegram")
    await c.say("我想明天下午3点做个深度保洁，家里有猫")
    await c.say(payload=location_payload(39.99, 116.47))
    await c.say(payload=location_payload(39.98, 116.46))
    await c.say("朝阳区望京SOHO T1 1203")
    summary = await c.say("13812345678")
    assert "39.980000" in summary and "39.990000" not in summary, summary
    assert "家里有猫" in summary, "the rest of the note is kept"
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert order.notes.count(PIN) == 1 and "116.460000,39.980000" in order.notes, order.notes
    assert "家里有猫" in order.notes, order.notes


async def test_a_second_pin_at_the_summary_replaces_the_first(make_app) -> None:
    app = await make_app()
    c = Customer(app, channel="telegram", lang="en")
    await c.say("deep cleaning tomorrow 3pm, 5 Main Street flat 2, 13812345678")
    await c.say(payload=location_payload(39.99, 116.47))
    summary = await c.say(payload=location_payload(39.98, 116.46))
    assert "39.980000" in summary and "39.990000" not in summary, summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert order.notes.count(PIN) == 1 and "39.980000" in order.notes, order.notes


# ------------------------------------------------------------------ 3. a building said alone
async def test_a_building_alone_after_the_address_replaces_its_building(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点深度保洁")
    await c.say("望京SOHO T1")
    reply = await c.say("4号楼")
    assert "望京SOHO 4号楼" in reply and "T1" not in reply, reply
    summary = await c.say("13812345678")
    assert "望京SOHO 4号楼" in summary and "T1" not in summary, summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert order.address == "望京SOHO 4号楼", order.address


@pytest.mark.parametrize("address,said,fixed", [
    ("望京SOHO T1", "4号楼", "望京SOHO 4号楼"),
    ("朝阳区望京SOHO T1", "5栋", "朝阳区望京SOHO 5栋"),
    ("朝阳区幸福小区A座", "B座", "朝阳区幸福小区B座"),
    ("朝阳区幸福小区T1栋", "4号楼", "朝阳区幸福小区4号楼"),
    # kept as they were: a building's room, a unit that is no building, a street's number
    ("望京SOHO T1-1203", "4号楼", "望京SOHO 4号楼1203"),
    ("望京SOHO T1", "3单元", "望京SOHO T1 3单元"),
    ("朝阳区建国路88号", "4号楼", "朝阳区建国路88号4号楼"),
    ("望京SOHO", "4号楼", "望京SOHO 4号楼"),
])
def test_a_building_alone_puts_right_the_building_an_address_ends_with(address: str, said: str, fixed: str) -> None:
    assert with_room(address, said) == fixed


# ------------------------------------------------------------------ 4. the shop's address on orders
MOVED_ZH = "朝阳区光华路9号1层101"
MOVED_EN = "Room 101, 9 Guanghua Rd"


async def _export(app) -> list[dict]:  # noqa: ANN001
    async with app.db.sessions() as s:
        return [export.order_row(o, None, app.catalog.business) for o in await order_repo.listing(s)]


async def test_an_english_customers_shop_visit_is_kept_in_the_businesss_language(make_app, tmp_path) -> None:
    app = await _app_with(make_app, tmp_path, SALON)
    en = Customer(app, user="en", lang="en")
    summary = await en.say("Manicure on Saturday at 3pm, phone 13812345678")
    assert SHOP_EN in summary, summary
    assert SHOP_EN in await en.say("yes")
    zh = Customer(app, user="zh")
    await zh.say("周六下午两点做美甲，13812345678")
    await zh.say("确认")
    orders = await all_orders(app)
    assert [(o.address, o.at_shop) for o in orders] == [(SHOP_ZH, True), (SHOP_ZH, True)]
    assert [r["address"] for r in await _export(app)] == [SHOP_ZH, SHOP_ZH], "one language in the sheet"
    assert SHOP_EN in await en.say("my orders")


async def test_a_shop_that_moved_shows_its_new_address_on_orders_to_come(make_app, tmp_path, clock) -> None:
    app = await _app_with(make_app, tmp_path, SALON)
    c = Customer(app)
    await c.say("周六下午两点做美甲，13812345678")
    await c.say("确认")
    await c.say("周日下午两点做美甲")
    await c.say("确认")
    first, second = await all_orders(app)
    async with app.db.sessions.begin() as s:  # the first was done before the move
        order = await order_repo.get(s, first.id)
        order_repo.set_status(s, order, "completed", actor="test", now=clock())
    moved = SALON.replace(SHOP_ZH, MOVED_ZH).replace(SHOP_EN, MOVED_EN)
    (tmp_path / "moved").mkdir()
    app2 = await _app_with(make_app, tmp_path / "moved", moved)
    c2 = Customer(app2)
    mine = await c2.say("我的订单")
    to_come, done = mine.split(second.number)[1].split(first.number)
    assert MOVED_ZH in to_come and SHOP_ZH not in to_come, mine
    assert SHOP_ZH in done, "the one done was done at the old place"
    rows = {r["number"]: r["address"] for r in await _export(app2)}
    assert rows == {first.number: SHOP_ZH, second.number: MOVED_ZH}, "history keeps where it was done"
    en = Customer(app2, lang="en")
    assert MOVED_EN in await en.say("order status")


async def test_a_home_visit_keeps_the_customers_address(make_app, tmp_path) -> None:
    app = await _app_with(make_app, tmp_path, SALON)
    c = Customer(app)
    await c.say(f"周六下午两点新娘跟妆，{HOME}，13812345678")
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.address, order.at_shop) == (HOME, False)
    assert [r["address"] for r in await _export(app)] == [HOME]


async def test_old_shop_orders_are_marked_and_kept_in_the_businesss_language_on_upgrade(tmp_path) -> None:
    """Migration 0010, with the catalog `jiedan db upgrade` hands in: a manicure kept in either
    language is marked as at our place and kept in Chinese; a bridal make-up at a home stays."""
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    await upgrade(database, "0009")
    async with database.engine.begin() as conn:
        await conn.execute(text("INSERT INTO customers (id, lang, tags, created_at, last_seen_at) "
                                "VALUES (1, 'zh', '[]', '2026-11-26', '2026-11-26')"))
        for sid in ("manicure", "bridal_makeup"):
            await conn.execute(text("INSERT INTO services (id, name_zh, name_en, duration_minutes, active, updated_at) "
                                    "VALUES (:id, 'x', 'x', 60, 1, '2026-11-26')"), {"id": sid})
        for number, sid, address in (("A", "manicure", SHOP_EN), ("B", "manicure", SHOP_ZH),
                                     ("C", "bridal_makeup", HOME)):
            await conn.execute(text(
                "INSERT INTO orders (number, status, customer_id, service_id, date, start_at, address, phone, "
                "channel, lang, created_at, updated_at, duration_minutes) VALUES (:n, 'confirmed', 1, :sid, "
                "'2026-11-28', '2026-11-28 06:00:00', :address, '13812345678', 'console', 'en', "
                "'2026-11-26', '2026-11-26', 60)"), {"n": number, "sid": sid, "address": address})
    await upgrade(database, catalog=parse_catalog(SALON))
    async with database.engine.connect() as conn:
        got = (await conn.execute(text("SELECT number, address, at_shop FROM orders ORDER BY number"))).all()
    await database.dispose()
    assert [tuple(r) for r in got] == [("A", SHOP_ZH, 1), ("B", SHOP_ZH, 1), ("C", HOME, 0)]


# ------------------------------------------------------------------ 5. money in the currency's units
def _priced(currency: str, price: str) -> str:
    return f"""
business: {{name: {{zh: 测试家政, en: Test Home}}, currency: {currency}}}
services:
  - {{id: deep_cleaning, name: {{zh: 深度保洁, en: Deep cleaning}}, synonyms: [深度清洁, deep clean], price: {price}}}
"""


@pytest.mark.parametrize("currency,price,shown", [
    ("KRW", "1500000", "KRW 1500000"),  # was "1.5e+06"
    ("JPY", "15000", "JPY 15000"),
    ("USD", "29.5", "USD 29.50"),  # was "29.5"
    ("CNY", "298", "¥298"),  # a whole amount in a currency with cents: no ".00" in a chat
])
async def test_a_price_is_written_in_its_currencys_units(make_app, tmp_path, currency, price, shown) -> None:
    app = await _app_with(make_app, tmp_path, _priced(currency, price))
    c = Customer(app, lang="en")
    summary = await c.say("deep cleaning tomorrow 3pm, 5 Main Street flat 2, 13812345678")
    assert shown in summary, summary


@pytest.mark.parametrize("currency,price,csv_text,excel_format", [
    ("JPY", "15000", "15000", "0"),
    ("KRW", "1500000", "1500000", "0"),
    ("CNY", "298", "298.00", "0.00"),
    ("KWD", "12.5", "12.500", "0.000"),
])
async def test_exports_write_money_in_the_currencys_units(make_app, tmp_path, currency, price, csv_text,
                                                          excel_format) -> None:
    app = await _app_with(make_app, tmp_path, _priced(currency, price))
    c = Customer(app, lang="en")
    await c.say("deep cleaning tomorrow 3pm, 5 Main Street flat 2, 13812345678")
    await c.say("yes")
    rows = await _export(app)
    [line] = list(csv.DictReader(io.StringIO(export.to_csv(rows, currency=currency))))
    assert (line["unit_price"], line["price"]) == (csv_text, csv_text)
    sheet = load_workbook(io.BytesIO(export.to_xlsx(rows, currency=currency)))["orders"]
    cell = sheet.cell(row=2, column=export.COLUMNS.index("price") + 1)
    assert (cell.value, cell.number_format) == (float(price), excel_format)


@pytest.mark.parametrize("currency,value,shown", [
    ("JPY", 15000, "15,000"), ("CNY", 298, "298"), ("CNY", 29.5, "29.50"), ("USD", 1234.5, "1,234.50"),
    ("KRW", 1500000.4, "1,500,000"),
])
def test_the_dashboard_writes_money_in_the_currencys_units(currency: str, value: float, shown: str) -> None:
    assert amount_text(value, currency, grouped=True) == shown
