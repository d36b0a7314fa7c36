"""Storage on SQLite and PostgreSQL: numbering, identities, de-duplication, state."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from openpyxl import load_workbook
from redis.asyncio import Redis
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from storage import customers, messages
from storage import orders as order_repo
from storage.catalog import CatalogError, demo_catalog, parse_catalog
from storage.db import Database, async_url, is_sqlite
from storage.export import COLUMNS, order_row, to_csv, to_xlsx
from storage.locks import LocalLocks, RedisLocks
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import ChannelIdentity, Customer, Order, OrderStatus
from storage.services import sync_catalog
from storage.state import RedisStateStore, SqlStateStore
from tests.conftest import REDIS_URL, _dsn

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def db(db_url: str):
    database = Database(db_url)
    await upgrade(database)
    async with database.sessions.begin() as s:
        await sync_catalog(s, demo_catalog())
    yield database
    await database.dispose()


def _draft(**kw) -> order_repo.OrderDraft:
    base = dict(service_id="deep_cleaning", date=dt.date(2026, 11, 25), time=dt.time(15, 0),
                start_at=dt.datetime(2026, 11, 25, 15, 0, tzinfo=TZ), address="望京SOHO T1-1203",
                phone="13812345678", price=Decimal("298"), total=Decimal("298"), duration_minutes=180)
    base.update(kw)
    return order_repo.OrderDraft(**base)


def test_async_url_maps_plain_urls_to_async_drivers() -> None:
    assert async_url("sqlite:///jiedan.db") == "sqlite+aiosqlite:///jiedan.db"
    assert async_url("postgresql://u:p@h:5432/d") == "postgresql+asyncpg://u:p@h:5432/d"
    assert async_url("postgresql+asyncpg://h/d") == "postgresql+asyncpg://h/d"
    with pytest.raises(ValueError, match="unsupported"):
        async_url("mysql://h/d")


async def test_a_pooled_connection_the_server_closed_is_replaced(db: Database) -> None:
    if is_sqlite(db.engine):
        pytest.skip("PostgreSQL: the server side of a pooled connection")
    async with db.engine.connect() as conn:
        pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    admin = await asyncpg.connect(_dsn(db.url))  # ends the pooled connection's session
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the socket's end reaches the event loop
    async with db.sessions.begin() as s:
        assert (await s.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid


async def test_upgrade_is_idempotent(db: Database) -> None:
    await upgrade(db)
    assert await current_revision(db) == head_revision()


def _schema_drift(connection) -> list:  # noqa: ANN001 - a sync Connection
    from alembic.migration import MigrationContext
    from alembic.autogenerate import compare_metadata

    from storage.models import Base

    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


async def test_the_migrations_build_the_schema_the_models_describe(db: Database) -> None:
    """A model changed without a migration (or a migration that differs from its model)
    works in tests that create tables from the models, then fails on a real upgrade."""
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_schema_drift) == []


async def test_order_numbers_are_per_day_and_unique_under_concurrency(db: Database) -> None:
    day = dt.date(2026, 11, 24)

    async def one() -> str:
        async with db.sessions.begin() as s:
            return await order_repo.next_number(s, day)

    numbers = [await one() for _ in range(3)]
    assert numbers == ["20261124-0001", "20261124-0002", "20261124-0003"]
    many = await asyncio.gather(*(one() for _ in range(20)))
    assert len(set(many)) == 20
    async with db.sessions.begin() as s:
        assert await order_repo.next_number(s, dt.date(2026, 11, 25)) == "20261125-0001"


async def test_identify_creates_once_and_links_channels(db: Database) -> None:
    async with db.sessions.begin() as s:
        c1, i1 = await customers.identify(s, "telegram", "42", display_name="Ann")
    async with db.sessions.begin() as s:
        c2, _ = await customers.identify(s, "telegram", "42")
        c3, _ = await customers.identify(s, "wechat", "oABC")
    assert c1.id == c2.id != c3.id
    assert c2.display_name == "Ann"


async def test_identify_race_yields_one_customer(db: Database) -> None:
    async def first_contact() -> int:
        async with db.sessions.begin() as s:
            c, _ = await customers.identify(s, "wechat", "o-race")
            return c.id

    ids = await asyncio.gather(*(first_contact() for _ in range(5)), return_exceptions=True)
    ok = {i for i in ids if isinstance(i, int)}
    assert len(ok) == 1, ids


async def test_identify_writes_last_seen_at_most_once_a_minute(db: Database) -> None:
    t0 = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.timezone.utc)

    async def message_at(at: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
        async with db.sessions.begin() as s:
            await customers.identify(s, "wechat", "oSeen", now=at)
        async with db.sessions() as s:
            row = (await s.execute(select(Customer.last_seen_at, ChannelIdentity.last_inbound_at)
                                   .join(ChannelIdentity.customer))).one()
            return row[0], row[1]

    assert await message_at(t0) == (t0, t0)
    assert await message_at(t0 + dt.timedelta(seconds=59)) == (t0, t0), "a stamp under a minute old is kept"
    later = t0 + dt.timedelta(seconds=61)
    assert await message_at(later) == (later, later)
    assert customers.needs_touch(t0, t0 + dt.timedelta(seconds=1), t0 + dt.timedelta(seconds=2)), \
        "written at once when the customer has written from another channel since"


async def test_order_create_update_status_history(db: Database) -> None:
    async with db.sessions.begin() as s:
        cust, _ = await customers.identify(s, "console", "u1")
        order = await order_repo.create(s, _draft(), customer_id=cust.id, channel="console",
                                        lang="zh", actor="customer:1", local_day=dt.date(2026, 11, 24))
        assert order.status == OrderStatus.PENDING
        diff = order_repo.update_fields(s, order, {"date": dt.date(2026, 11, 26), "phone": "13812345678"},
                                        actor="customer:1")
        assert diff == {"date": ["2026-11-25", "2026-11-26"]}  # unchanged phone is not history
        order_repo.set_status(s, order, OrderStatus.CONFIRMED, actor="customer:1")
        oid = order.id
    async with db.sessions() as s:
        got = await order_repo.by_number(s, "20261124-0001")
        assert got is not None and got.status == "confirmed" and got.confirmed_at is not None
        assert got.start_at == dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.timezone.utc)
        kinds = [e.kind for e in await order_repo.events_of(s, oid)]
        assert kinds == ["created", "updated", "confirmed"]
        with pytest.raises(ValueError, match="not editable"):
            order_repo.update_fields(s, got, {"status": "completed"}, actor="x")


async def test_inbound_redelivery_is_detected(db: Database) -> None:
    async with db.sessions.begin() as s:
        cust, _ = await customers.identify(s, "telegram", "7")
        assert await messages.record_inbound(s, channel="telegram", channel_message_id="u100",
                                             customer_id=cust.id, text="hi")
    async with db.sessions.begin() as s:
        assert not await messages.record_inbound(s, channel="telegram", channel_message_id="u100",
                                                 customer_id=cust.id, text="hi")
        # Messages without a channel id (the console) are never mistaken for repeats.
        assert await messages.record_inbound(s, channel="console", channel_message_id=None,
                                             customer_id=cust.id, text="a")
        assert await messages.record_inbound(s, channel="console", channel_message_id=None,
                                             customer_id=cust.id, text="a")
        assert await messages.seen_inbound(s, "telegram", "u100")


async def test_sql_state_store_round_trip(db: Database) -> None:
    store = SqlStateStore(db)
    assert await store.load("console:x") is None
    await store.save("console:x", {"stage": "collecting", "draft": {"service": "moving"}})
    await store.save("console:x", {"stage": "confirming", "draft": {"service": "moving"}})
    assert (await store.load("console:x"))["stage"] == "confirming"
    await store.clear("console:x")
    assert await store.load("console:x") is None


async def test_redis_state_store_and_locks() -> None:
    redis = Redis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:"
    try:
        store = RedisStateStore(redis, prefix=prefix)
        await store.save("k", {"lang": "en", "draft": {"date": "2026-11-25"}})
        assert await store.load("k") == {"lang": "en", "draft": {"date": "2026-11-25"}}
        assert 0 < await redis.ttl(prefix + "k") <= 30 * 24 * 3600
        await store.clear("k")
        assert await store.load("k") is None

        locks = RedisLocks(redis, prefix=prefix + "lock:")
        order: list[str] = []

        async def critical(tag: str) -> None:
            async with locks.hold("cust"):
                order.append(f"{tag}-in")
                await asyncio.sleep(0.05)
                order.append(f"{tag}-out")

        await asyncio.gather(critical("a"), critical("b"))
        assert order in (["a-in", "a-out", "b-in", "b-out"], ["b-in", "b-out", "a-in", "a-out"])
    finally:
        await redis.aclose()


async def test_a_redis_lock_carries_the_state_in_and_out_of_a_turn() -> None:
    redis = Redis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:"
    try:
        store = RedisStateStore(redis, prefix=prefix + "conv:")
        locks = RedisLocks(redis, prefix=prefix + "lock:")
        async with locks.hold("cust", store) as held:
            assert held.state is None
            held.keep = {"lang": "en", "stage": "collecting"}
        assert await store.load("cust") == {"lang": "en", "stage": "collecting"}
        assert 0 < await redis.ttl(prefix + "conv:cust") <= 30 * 24 * 3600
        assert await redis.get(prefix + "lock:cust") is None, "released"
        async with locks.hold("cust", store) as held:
            assert held.state == {"lang": "en", "stage": "collecting"}
            await redis.set(prefix + "lock:cust", "someone-else", ex=5)  # our lease ran out meanwhile
            held.keep = {"lang": "zh"}
        assert await redis.get(prefix + "lock:cust") == b"someone-else", "only the owner releases"
        assert await store.load("cust") == {"lang": "zh"}, "a committed turn's state is kept"
        async with locks.hold("other", store) as held:
            pass  # nothing to keep (a redelivery): no state is written
        assert await store.load("other") is None
    finally:
        keys = [k async for k in redis.scan_iter(match=prefix + "*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


async def test_local_locks_carry_a_state_store_in_and_out(db: Database) -> None:
    store, locks = SqlStateStore(db), LocalLocks()
    async with locks.hold("console:y", store) as held:
        assert held.state is None
        held.keep = {"stage": "collecting"}
    async with locks.hold("console:y", store) as held:
        assert held.state == {"stage": "collecting"}
    async with locks.hold("console:y") as held:
        assert held.state is None, "without a store the caller keeps the state"


async def test_local_locks_serialise_and_forget_idle_keys() -> None:
    locks = LocalLocks()
    active = 0
    peak = 0

    async def critical() -> None:
        nonlocal active, peak
        async with locks.hold("k"):
            active += 1
            peak = max(peak, active)
            await asyncio.sleep(0.01)
            active -= 1

    await asyncio.gather(*(critical() for _ in range(5)))
    assert peak == 1
    assert locks._locks == {}


def test_catalog_validation_gives_clear_errors() -> None:
    cat = demo_catalog()
    assert len(cat.services) >= 8
    assert all(s.names.get("zh") and s.names.get("en") for s in cat.services)
    with pytest.raises(CatalogError, match="not valid YAML"):
        parse_catalog("services: [", "x.yaml")
    with pytest.raises(CatalogError, match="duplicate service ids: a"):
        parse_catalog("business: {name: B}\nservices:\n - {id: a, name: {zh: 甲}}\n - {id: a, name: {zh: 乙}}")
    with pytest.raises(CatalogError, match="x.yaml"):
        parse_catalog("just text", "x.yaml")


def test_the_business_name_is_one_string_or_one_per_language() -> None:
    one = parse_catalog("business: {name: 小王开锁}\nservices:\n - {id: a, name: {zh: 开锁}}")
    assert (one.business.name_in("zh"), one.business.name_in("en")) == ("小王开锁", "小王开锁")
    both = demo_catalog().business
    assert (both.name_in("zh"), both.name_in("en")) == ("示例家政", "Demo Home Services")
    with pytest.raises(CatalogError, match="name"):
        parse_catalog("business: {name: ''}\nservices:\n - {id: a, name: {zh: 开锁}}")


async def test_export_rows_csv_and_xlsx(db: Database) -> None:
    async with db.sessions.begin() as s:
        cust, _ = await customers.identify(s, "console", "u1")
        await order_repo.create(s, _draft(name="王女士", quantity=2), customer_id=cust.id,
                                channel="console", lang="zh", actor="t", local_day=dt.date(2026, 11, 24))
    async with db.sessions() as s:
        rows = [order_row(o) for o in await order_repo.listing(s)]
    assert rows[0]["service"] == "deep_cleaning" and rows[0]["time"] == "15:00"
    assert rows[0]["date"] == "2026-11-25" and rows[0]["name"] == "王女士" and rows[0]["quantity"] == 2
    assert (rows[0]["reachable"], rows[0]["unreachable_reason"]) == (True, None)
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert parsed[0]["address"] == "望京SOHO T1-1203" and parsed[0]["assignee"] == ""
    wb = load_workbook(io.BytesIO(to_xlsx(rows)))
    sheet = wb["orders"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.cell(row=2, column=COLUMNS.index("phone") + 1).value == "13812345678"


async def test_customer_listing_filters_tags_and_order_days_in_sql(db: Database) -> None:
    async with db.sessions.begin() as s:
        a, _ = await customers.identify(s, "console", "a")
        b, _ = await customers.identify(s, "console", "b")
        customers.set_tags(a, ["常客", "50%_off"])
        customers.set_tags(b, ["VIP"])
    async with db.sessions() as s:
        assert [c.id for c, _, _ in await customers.listing(s, tag="常客")] == [a.id]
        assert [c.id for c, _, _ in await customers.listing(s, tag="50%_off")] == [a.id]
        assert await customers.listing(s, tag="50") == [], "a tag matches whole, not a part of one"
        assert len(await customers.listing(s, limit=1)) == 1
        no_orders = await customers.listing(s, last_between=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
        assert no_orders == [], "no order in the range, not listed"


async def test_a_moves_destination_kept_in_its_note_becomes_its_field(tmp_path) -> None:  # noqa: ANN001
    """Migration 0006: orders booked when the destination went into the note, "→ 回龙观"."""
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    await upgrade(database, "0005")
    row = ("'{n}', 'confirmed', 1, 'moving', '2026-11-28', '2026-11-28 01:00:00', '望京SOHO', '13812345678', "
           "'console', 'zh', '2026-11-26 00:00:00', '2026-11-26 00:00:00', {notes}")
    async with database.engine.begin() as conn:
        await conn.execute(text("PRAGMA foreign_keys=OFF"))
        for n, notes in (("A", "'→ 回龙观'"), ("B", "'家里有猫；→ 回龙观'"), ("C", "'带梯子'"), ("D", "NULL")):
            await conn.execute(text(
                "INSERT INTO orders (number, status, customer_id, service_id, date, start_at, address, phone, "
                f"channel, lang, created_at, updated_at, notes) VALUES ({row.format(n=n, notes=notes)})"))
    await upgrade(database)
    async with database.engine.connect() as conn:
        got = (await conn.execute(text("SELECT number, destination, notes FROM orders ORDER BY number"))).all()
    await database.dispose()
    assert [tuple(r) for r in got] == [("A", "回龙观", None), ("B", None, "家里有猫；→ 回龙观"),
                                       ("C", None, "带梯子"), ("D", None, None)]


def _downgrade_on(connection, revision: str) -> None:  # noqa: ANN001 - a sync Connection
    from alembic import command

    from storage.migrate import alembic_config

    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, revision)


async def test_migration_0008_gives_orders_a_preferred_staff_member_keeping_their_history(db_url: str) -> None:
    """Migration 0008 on an order booked before it: the order, its events and its assignee
    stay, it asked for no one, and a staff member can then be asked for (sqlite and postgresql)."""
    database = Database(db_url)
    await upgrade(database)
    async with database.engine.begin() as conn:
        await conn.run_sync(_downgrade_on, "0007")
    async with database.sessions.begin() as s:
        await sync_catalog(s, demo_catalog())
    async with database.engine.begin() as conn:
        await conn.execute(text("INSERT INTO customers (id, lang, tags, created_at, last_seen_at) "
                                "VALUES (1, 'zh', '[]', '2026-11-26', '2026-11-26')"))
        await conn.execute(text("INSERT INTO staff (id, name, channel, external_id, role, active, created_at) "
                                "VALUES (1, '王师傅', 'web', 'w', 'staff', true, '2026-11-26')"))
        await conn.execute(text(
            "INSERT INTO orders (id, number, status, customer_id, service_id, date, start_at, address, phone, "
            "channel, lang, assignee_id, duration_minutes, created_at, updated_at) VALUES (1, 'A', 'completed', 1, "
            "'deep_cleaning', '2026-11-25', '2026-11-25 07:00:00', '望京SOHO', '13812345678', 'console', 'zh', 1, "
            "180, '2026-11-24', '2026-11-24')"))
        await conn.execute(text("INSERT INTO order_events (order_id, at, actor, kind, changes) "
                                "VALUES (1, '2026-11-24', 'system', 'created', '{}')"))
    await upgrade(database)
    assert await current_revision(database) == head_revision()
    async with database.engine.connect() as conn:
        row = (await conn.execute(text("SELECT number, assignee_id, preferred_staff_id FROM orders"))).one()
        events = (await conn.execute(text("SELECT count(*) FROM order_events"))).scalar()
    assert (tuple(row), events) == (("A", 1, None), 1), "altered in place, not rebuilt and cascaded"
    async with database.sessions.begin() as s:
        order = await order_repo.get(s, 1)
        order.preferred_staff_id = 1
    async with database.sessions() as s:
        order = await s.get(Order, 1, options=[selectinload(Order.preferred_staff)])
        assert (order.preferred_staff_id, order.preferred_staff.name) == (1, "王师傅")
    await database.dispose()
