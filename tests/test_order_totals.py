"""An order's total and length follow its quantity: what the customer was quoted is what
revenue, reports, `/api/orders` and the exports show, and an hourly booking holds the
hours booked. The unit price and the quantity stay visible beside the total."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from handlers import reports as R
from storage import orders as order_repo
from storage.catalog import demo_catalog
from storage.db import Database
from storage.export import COLUMNS, order_row, to_csv
from storage.migrate import head_revision, upgrade
from storage.models import OrderStatus
from tests.reminder_helpers import staff_do, wire
from tests.test_dialogue import Customer, all_orders
from tests.test_web import ADMIN, _app, client_of

TZ = ZoneInfo("Asia/Shanghai")
AIRCON = "明天上午10点来清洗3台空调，朝阳区望京SOHO T1-1203，13812345678"
FOUR_HOURS = "明天上午10点做4个小时保洁，朝阳区望京SOHO T1-1203，13812345678"


async def _booked(app, text_: str, user: str = "u1") -> Customer:
    c = Customer(app, user=user)
    assert "请核对订单" in await c.say(text_)
    assert "预约成功" in await c.say("确认")
    return c


async def _rows(app) -> list[dict]:
    async with app.db.sessions() as s:
        return [order_row(o) for o in await order_repo.listing(s)]


def test_terms_come_from_the_quote_and_the_hours_booked() -> None:
    cat = demo_catalog()
    aircon = order_repo.terms(cat.get("appliance_cleaning"), 3, Decimal("150"))
    assert aircon == {"price": Decimal("150"), "total": Decimal("450"), "duration_minutes": 270}, "90 min each"
    hours = order_repo.terms(cat.get("daily_cleaning"), 4, Decimal("45"))
    assert (hours["total"], hours["duration_minutes"]) == (Decimal("180"), 240)
    rooms = order_repo.terms(cat.get("deep_cleaning"), 3, Decimal("298"))
    assert (rooms["total"], rooms["duration_minutes"]) == (Decimal("298"), 180), "three rooms are one visit"
    on_site = order_repo.terms(cat.get("daily_cleaning"), 4, None)
    assert (on_site["total"], on_site["duration_minutes"]) == (None, 240), "no price still has a length"
    assert order_repo.terms(None, 3, Decimal("99")) == {
        "price": Decimal("99"), "total": Decimal("99"), "duration_minutes": order_repo.UNKNOWN_DURATION}


def test_a_quantity_change_without_its_terms_is_refused() -> None:
    from types import SimpleNamespace as NS

    order = NS(quantity=3, price=Decimal("150"), total=Decimal("450"), duration_minutes=90)
    with pytest.raises(ValueError, match="terms"):
        order_repo.update_fields(None, order, {"quantity": 4}, actor="test")  # type: ignore[arg-type]


async def test_a_booking_keeps_unit_price_total_and_length(make_app) -> None:
    app = await make_app()
    await _booked(app, AIRCON)
    await _booked(app, FOUR_HOURS, user="u2")
    aircon, cleaning = await all_orders(app)
    assert (aircon.quantity, aircon.price, aircon.total, aircon.duration_minutes) == (3, 150, 450, 270)
    assert (cleaning.quantity, cleaning.price, cleaning.total, cleaning.duration_minutes) == (4, 45, 180, 240)


async def test_exports_and_the_api_show_the_total_beside_the_unit_price(make_app) -> None:
    app = await _app(make_app)
    await _booked(app, AIRCON)
    [row] = await _rows(app)
    assert (row["quantity"], row["unit_price"], row["price"], row["duration_minutes"]) == (3, 150.0, 450.0, 270)
    [line] = list(csv.DictReader(io.StringIO(to_csv([row]))))
    assert (line["unit_price"], line["price"], line["quantity"]) == ("150.00", "450.00", "3")
    assert {"unit_price", "price", "quantity", "duration_minutes"} <= set(COLUMNS)
    async with client_of(app) as client:
        resp = await client.get("/api/orders", headers={"Authorization": f"Bearer {ADMIN}"})
        [api] = await resp.json()
    assert (api["quantity"], api["unit_price"], api["price"]) == (3, 150.0, 450.0)


async def test_revenue_counts_what_the_customer_was_quoted(make_app) -> None:
    app = await make_app()
    await _booked(app, AIRCON)
    async with app.db.sessions.begin() as s:
        [o] = await order_repo.listing(s)
        order_repo.set_status(s, o, OrderStatus.COMPLETED, actor="test")
    async with app.db.sessions() as s:
        orders = await order_repo.between(s, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    report = R.build(orders, tz=TZ, group="month")
    assert report["totals"]["revenue"] == 450.0
    assert report["by_service"][0]["revenue"] == 450.0


async def test_a_booked_quantity_changed_from_the_chat_moves_total_and_length(make_app) -> None:
    app = await make_app()
    c = await _booked(app, AIRCON)
    ask = await c.say("改成4台")
    assert "数量：3 → 4" in ask and "确定修改吗" in ask
    done = await c.say("确认修改")
    assert "已改好" in done and "¥150 每台 × 4 = ¥600" in done
    [o] = await all_orders(app)
    assert (o.status, o.quantity, o.price, o.total, o.duration_minutes) == ("confirmed", 4, 150, 600, 360)
    d = await _booked(app, FOUR_HOURS, user="u2")
    await d.say("时长改成3小时")
    await d.say("确认修改")
    cleaning = (await all_orders(app))[1]
    assert (cleaning.quantity, cleaning.total, cleaning.duration_minutes) == (3, 135, 180)
    async with app.db.sessions() as s:
        [event] = [e for e in await order_repo.events_of(s, o.id) if e.kind == "amended"]
    assert event.changes["quantity"] == [3, 4]
    assert [Decimal(v) for v in event.changes["total"]] == [450, 600]


async def test_a_quantity_alone_without_words_of_change_still_books(make_app) -> None:
    app = await make_app()
    c = await _booked(app, AIRCON)
    assert "确定修改吗" not in await c.say("我要洗4台")
    [o] = await all_orders(app)
    assert o.quantity == 3


ONE_TEAM = """
business: {name: 小王家政, hours: "08:00-20:00", capacity: 1}
services:
  - {id: cleaning, name: {zh: 保洁}, synonyms: [打扫, 保洁], duration_minutes: 120, price: 45, price_per: hour}
"""


async def _one_team(make_app, tmp_path: Path):  # noqa: ANN202 - the app
    path = tmp_path / "shop.yaml"
    path.write_text(ONE_TEAM, encoding="utf-8")
    return await make_app(catalog=str(path))


async def test_an_hourly_booking_holds_its_hours_on_the_calendar(make_app, tmp_path: Path) -> None:
    app = await _one_team(make_app, tmp_path)
    await _booked(app, "明天上午10点做4个小时保洁，望京SOHO T1-1203，13812345678")
    c = Customer(app, user="u2")
    # 10:00-14:00 is taken: at 12:30 the team is still there (with the catalog's 2 hours it was free)
    reply = await c.say("明天中午12点半保洁，望京SOHO T2-1505，13900001111")
    assert "请核对订单" not in reply
    assert "14:00" in reply, reply


OLD_ORDER = {"status": "completed", "customer_id": 1, "date": "2026-11-28", "start_at": "2026-11-28 01:00:00",
             "address": "望京SOHO", "phone": "13812345678", "channel": "console", "lang": "zh",
             "created_at": "2026-11-26 00:00:00", "updated_at": "2026-11-26 00:00:00"}


async def _database_at_0006(tmp_path: Path, services: dict[str, int], orders: list[dict]) -> Database:
    """A database as migration 0006 left it, with `services` (id -> duration) and `orders`."""
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    await upgrade(database, "0006")
    async with database.engine.begin() as conn:
        await conn.execute(text("PRAGMA foreign_keys=OFF"))  # for an order whose service is long gone
        await conn.execute(text("INSERT INTO customers (id, lang, tags, created_at, last_seen_at) "
                                "VALUES (1, 'zh', '[]', '2026-11-26', '2026-11-26')"))
        for sid, minutes in services.items():
            await conn.execute(text("INSERT INTO services (id, name_zh, name_en, duration_minutes, active, updated_at) "
                                    "VALUES (:id, 'x', 'x', :minutes, 1, '2026-11-26')"), {"id": sid, "minutes": minutes})
        for order in orders:
            values = {**OLD_ORDER, **order}
            await conn.execute(text(f"INSERT INTO orders ({', '.join(values)}) "
                                    f"VALUES ({', '.join(':' + k for k in values)})"), values)
    return database


async def _terms_of(database: Database) -> list[tuple[str, float | None, int]]:
    async with database.engine.connect() as conn:
        got = (await conn.execute(text("SELECT number, total, duration_minutes FROM orders ORDER BY number"))).all()
    await database.dispose()
    return [(n, None if t is None else float(t), m) for n, t, m in got]


async def test_old_orders_get_their_total_and_length_on_upgrade(tmp_path: Path) -> None:
    """Migration 0007, with the catalog `jiedan db upgrade` hands in."""
    database = await _database_at_0006(
        tmp_path, {"appliance_cleaning": 90, "daily_cleaning": 120, "deep_cleaning": 180},
        [{"number": n, "service_id": sid, "quantity": q, "price": p}
         for n, sid, q, p in (("A", "appliance_cleaning", 3, 150), ("B", "daily_cleaning", 4, 45),
                              ("C", "deep_cleaning", 3, 298), ("D", "appliance_cleaning", None, 150),
                              ("E", "daily_cleaning", 4, None))])
    await upgrade(database, catalog=demo_catalog())
    assert await _terms_of(database) == [
        ("A", 450.0, 270), ("B", 180.0, 240), ("C", 298.0, 180), ("D", 150.0, 90), ("E", None, 240)]


async def test_without_a_catalog_old_orders_are_one_visit(tmp_path: Path) -> None:
    """The alembic CLI hands in no catalog: each order is one visit at its unit price, as
    long as its service (or an hour, for a service the table never had)."""
    database = await _database_at_0006(tmp_path, {"daily_cleaning": 120}, [
        {"number": "A", "service_id": "daily_cleaning", "quantity": 4, "price": 45},
        {"number": "B", "service_id": "gone", "quantity": 3, "price": 150}])
    async with database.engine.begin() as conn:
        await conn.execute(text("INSERT INTO order_events (order_id, at, actor, kind, changes) "
                                "VALUES (1, '2026-11-26', 'system', 'created', '{}')"))
    await upgrade(database)
    async with database.engine.connect() as conn:  # `orders` altered in place, not rebuilt and cascaded
        assert (await conn.execute(text("SELECT count(*) FROM order_events"))).scalar() == 1
    assert await _terms_of(database) == [("A", 45.0, 120), ("B", 150.0, 60)]


async def test_jiedan_db_upgrade_brings_an_existing_database_up_to_totals(tmp_path: Path) -> None:
    """`jiedan db upgrade` (this checkout's code) hands the catalog to migration 0007, and
    the export shows the total it backfilled."""
    import asyncio

    from tests.test_cli import run

    database = await _database_at_0006(tmp_path, {"appliance_cleaning": 90}, [
        {"number": "A", "service_id": "appliance_cleaning", "quantity": 3, "price": 150}])
    await database.dispose()
    env = {"JIEDAN_DATABASE_URL": f"sqlite:///{tmp_path / 'old.db'}",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    up = await asyncio.to_thread(run, ["db", "upgrade"], tmp_path, env=env)
    assert up.returncode == 0, up.stderr
    assert f"revision {head_revision()}" in up.stdout, "0007 and whatever came after it"
    out = await asyncio.to_thread(run, ["export", "--format", "csv"], tmp_path, env=env)
    [line] = list(csv.DictReader(io.StringIO(out.stdout)))
    assert (line["quantity"], line["unit_price"], line["price"], line["duration_minutes"]) == (
        "3", "150.00", "450.00", "270")


async def test_more_hours_are_booked_only_while_the_team_is_free(make_app, tmp_path: Path) -> None:
    app = await _one_team(make_app, tmp_path)
    c = await _booked(app, "明天上午10点做2个小时保洁，望京SOHO T1-1203，13812345678")
    await _booked(app, "明天下午1点保洁，望京SOHO T2-1505，13900001111", user="u2")
    await c.say("时长改成3小时")  # 10:00-13:00: the team is free until the next visit
    assert "已改好" in await c.say("确认修改")
    assert "确定修改吗" in await c.say("时长改成4小时")  # 10:00-14:00 would run into it
    refused = await c.say("确认修改")
    assert "排满" in refused and "已改好" not in refused
    first = (await all_orders(app))[0]
    assert (first.quantity, first.total, first.duration_minutes) == (3, 135, 180)


async def test_a_booking_for_more_hours_than_are_free_is_not_promised(make_app, tmp_path: Path) -> None:
    app = await _one_team(make_app, tmp_path)
    await _booked(app, "明天下午2点保洁，望京SOHO T1-1203，13812345678")
    c = Customer(app, user="u2")
    # 10:00-15:00 runs into the 14:00 visit, though 10:00 for the catalog's 2 hours would not
    assert "请核对订单" not in await c.say("明天上午10点做5个小时保洁，望京SOHO T2-1505，13900001111")
    assert "请核对订单" in await Customer(app, user="u3").say(
        "明天上午10点做4个小时保洁，望京SOHO T3-1, 13900002222")


async def test_an_english_customer_changes_the_hours(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("regular cleaning for 4 hours tomorrow at 10am, 12 Baker Street, 13812345678")
    assert "Booked" in await c.say("confirm")
    ask = await c.say("make it 3 hours")
    assert "Quantity: 4 → 3" in ask
    done = await c.say("yes")
    assert "¥45 per hour × 3 hours = ¥135" in done
    [o] = await all_orders(app)
    assert (o.quantity, o.total, o.duration_minutes) == (3, 135, 180)


async def test_the_assigned_technician_reads_the_new_quantity_and_total_as_money(make_app, clock) -> None:
    app = await make_app()
    sent = wire(app, clock)
    c = await _booked(app, AIRCON)
    [order] = await all_orders(app)
    await staff_do(app, order.id, "claim")
    await c.say("改成4台")
    await c.say("确认修改")
    clock.advance(minutes=1)
    await app.worker.run_once()
    [(_, to, msg)] = [x for x in sent.staff if x[2].template == "staff_order_amended"]
    assert not to.is_group
    assert "数量：3 → 4" in msg.reply.text and "参考价：¥450 → ¥600" in msg.reply.text, msg.reply.text
