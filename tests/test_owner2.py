"""The owner's reports and exports, as an owner reads them (owner round 2).

Findings fixed here:
- A technician who claimed an order and then released it was missing from the staff
  table: it listed only the orders' holders, so an owner could not see who drops orders.
  The table now has a row for everyone who claimed, with how many they claimed, released
  and finished.
- The CSV export wrote money as "298.0"; now with the currency's two decimals, "298.00"
  (Excel keeps numbers, shown 0.00).
- An order's `created_at`/`confirmed_at` and the events of a field change were stamped with
  the real clock, not the service's: with a test's (or a replayed) clock the export said the
  order was created days away from its own history.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace as NS
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select

from handlers import reports as R
from storage.models import OrderEvent
from tests.test_staff_owner_qa3 import (  # noqa: F401
    DAVE, DAVE_BOOKING, DAY, _export, _order, _owner_day, _rated_day, fake, serve_telegram,
)
from tests.test_telegram import BOB, CAROL, STAFF
from tests.test_web import ADMIN, client_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _released_then_taken() -> list[Any]:
    """Bob claimed two minutes after confirmation and released at 30; Carol claimed at 45
    and did the visit."""
    start = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.timezone.utc)
    confirmed = start - dt.timedelta(hours=14)
    after = lambda minutes: confirmed + dt.timedelta(minutes=minutes)  # noqa: E731
    events = [NS(kind="claim", actor="staff:1", at=after(2)), NS(kind="release", actor="staff:1", at=after(30)),
              NS(kind="claim", actor="staff:2", at=after(45)), NS(kind="start", actor="staff:2", at=start),
              NS(kind="done", actor="staff:2", at=start + dt.timedelta(hours=3))]
    return [NS(id=1, number="n1", status="completed", service_id="deep_cleaning", channel="telegram",
               date=start.date(), start_at=start, total=298, rating=5, confirmed_at=confirmed,
               completed_at=start + dt.timedelta(hours=3), assignee=NS(id=2, name="Carol"), events=events)]


def test_a_technician_who_released_an_order_has_a_row_with_the_claim_and_release() -> None:
    orders = _released_then_taken()
    assert R.claimers(orders) == {1, 2}
    rows = {s["name"]: s for s in R.build(orders, tz=SHANGHAI, names={1: "Bob", 2: "Carol"})["staff"]}
    assert set(rows) == {"Bob", "Carol"}
    bob, carol = rows["Bob"], rows["Carol"]
    assert (bob["claimed"], bob["released"], bob["done"]) == (1, 1, 0)
    assert bob["median_minutes_to_claim"] == 2.0, "his own claim's speed is his"
    assert bob["on_time_rate"] is None and bob["average_rating"] is None
    assert (carol["claimed"], carol["released"], carol["done"]) == (1, 0, 1)
    assert carol["median_minutes_to_claim"] == 45.0 and carol["average_rating"] == 5.0


def test_a_claimer_whose_name_is_unknown_is_still_listed() -> None:
    [bob, carol] = R.build(_released_then_taken(), tz=SHANGHAI)["staff"]
    assert (carol["name"], bob["staff_id"], bob["claimed"], bob["released"]) == ("Carol", 1, 1, 1)
    assert bob["name"] == "#1"


async def test_the_owners_staff_table_shows_who_released_an_order(serve_telegram, clock) -> None:  # noqa: F811
    tg = await _owner_day(serve_telegram)
    for line in DAVE_BOOKING:
        await tg.say(DAVE, line)
    assert await tg.press(DAVE, tg.fake.last(1002), "Confirm") == 200
    await tg.flush()
    card = tg.fake.last(STAFF)
    await tg.press(BOB, card, "🙋 接单")
    await tg.flush()
    await tg.press(BOB, tg.fake.message(STAFF, card["message_id"]), "↩️ 退回")
    await tg.flush()
    await tg.press(CAROL, tg.fake.message(STAFF, card["message_id"]), "🙋 接单")
    await tg.flush()
    async with client_of(tg.app) as client:
        resp = await client.get(f"/api/reports?{DAY}", headers={"Authorization": f"Bearer {ADMIN}"})
        assert resp.status == 200
        staff = {s["name"]: s for s in (await resp.json())["staff"]}
    assert (staff["Bob"]["claimed"], staff["Bob"]["released"], staff["Bob"]["done"]) == (1, 1, 0), staff
    assert (staff["Carol"]["claimed"], staff["Carol"]["released"]) == (1, 0), staff


async def test_csv_money_has_two_decimals_and_excel_keeps_numbers(serve_telegram, clock) -> None:  # noqa: F811
    tg, _ = await _rated_day(serve_telegram, clock)
    [row] = list(csv.DictReader(io.StringIO((await _export(tg, "orders", "csv")).decode("utf-8-sig"))))
    assert (row["price"], row["unit_price"]) == ("298.00", "298.00"), row
    sheet = load_workbook(io.BytesIO(await _export(tg, "orders", "xlsx"))).active
    header = [c.value for c in sheet[1]]
    price = sheet.cell(row=2, column=header.index("price") + 1)
    assert price.value == 298 and isinstance(price.value, (int, float)) and price.number_format == "0.00"


async def test_an_orders_times_and_history_follow_the_services_clock(serve_telegram, clock) -> None:  # noqa: F811
    """The test clock is 2026-11-24 20:00 Shanghai; the real one is not."""
    tg = await _owner_day(serve_telegram)
    booked_at = clock.now
    for line in DAVE_BOOKING[:2]:
        await tg.say(DAVE, line)
    clock.now = booked_at + dt.timedelta(minutes=3)
    await tg.say(DAVE, "13912345678")  # the summary: the pending order is created
    clock.now = booked_at + dt.timedelta(minutes=4)
    await tg.say(DAVE, "make it 11am instead")  # the pending order's fields change
    clock.now = booked_at + dt.timedelta(minutes=5)
    assert await tg.press(DAVE, tg.fake.last(1002), "Confirm") == 200
    order = await _order(tg, "0001")
    assert order.time == dt.time(11, 0), order.time
    async with tg.app.db.sessions() as s:
        events = list((await s.execute(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                       .order_by(OrderEvent.id))).scalars())
    at = {e.kind: e.at for e in events}
    assert order.created_at == at["created"] == booked_at + dt.timedelta(minutes=3), order.created_at
    assert at["updated"] == booked_at + dt.timedelta(minutes=4), [(e.kind, e.at) for e in events]
    assert order.confirmed_at == at["confirmed"] == booked_at + dt.timedelta(minutes=5), order.confirmed_at
