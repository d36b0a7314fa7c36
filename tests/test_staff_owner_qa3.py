"""A busy day as the staff group and the owner live it (QA round 3): technicians race for
a card, reply under it in Chinese to an English customer, the customer reschedules and
cancels after a claim, the visit is done and rated; then the owner exports the day.

Findings fixed here:
- An English customer whose Telegram is set to Chinese (language_code zh-hans) booked in
  English, but the thanks for their stars came in Chinese: a button press carries no words,
  and after the booking the channel's language setting overrode the language they wrote in
  (and their customer record turned "zh").
- The exports wrote every time in UTC ("2026-11-25T08:55:00+00:00" for a visit finished at
  16:55 in Shanghai), and the Excel sheet held dates, times and timestamps as text (no
  sorting or filtering by date, no date arithmetic).
- The orders export had the rating but not what the customer wrote with it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from storage.models import Customer, Order
from tests.fake_telegram import buttons, group, user
from tests.test_telegram import ALICE, BOB, CAROL, HOOK_URL, STAFF, Harness, fake, serve_telegram  # noqa: F401
from tests.test_web import ADMIN, _sign_in, client_of

DAVE = user(1002, "Dave")  # writes English; his phone's Telegram is set to Chinese (zh-hans)
DAVE_BOOKING = ["I'd like a deep cleaning tomorrow at 10am", "5 Baker Street apt 3", "13912345678"]
DAY = "since=2026-11-24&until=2026-11-26"


async def _owner_day(serve_telegram: Any) -> Harness:  # noqa: F811
    tg = await serve_telegram(telegram_webhook_url=HOOK_URL, admin_token=ADMIN, web_cookie_secure=False)
    for tech in (BOB, CAROL):
        await tg.say(tech, "/start")  # so the claimer can be written to privately
    return tg


async def _order(tg: Harness, number_end: str) -> Order:
    async with tg.app.db.sessions() as s:
        return (await s.execute(select(Order).where(Order.number.like(f"%{number_end}")))).scalar_one()


async def _daves_visit_done(tg: Harness, clock: Any) -> tuple[Order, dict[str, Any]]:
    """Dave books in English, Carol and Bob race for the card (Carol first), Bob answers
    under it in Chinese, Carol starts and finishes: (the order, the card as first posted)."""
    for line in DAVE_BOOKING:
        await tg.say(DAVE, line)
    assert await tg.press(DAVE, tg.fake.last(1002), "Confirm") == 200
    await tg.flush()
    card = tg.fake.last(STAFF)
    await tg.press(CAROL, card, "🙋 接单")
    await tg.press(BOB, card, "🙋 接单")
    await tg.flush()
    await tg.say(BOB, "好的，明天见", chat=group(STAFF), reply_to=tg.fake.message(STAFF, card["message_id"]))
    await tg.flush()
    order = await _order(tg, "0001")
    clock.now = order.start_at - dt.timedelta(minutes=5)
    await tg.press(CAROL, tg.fake.message(STAFF, card["message_id"]), "▶️ 开始服务")
    clock.now = order.start_at + dt.timedelta(hours=3)
    await tg.press(CAROL, tg.fake.message(STAFF, card["message_id"]), "✅ 完成")
    await tg.flush()
    return await _order(tg, "0001"), card


async def test_an_english_customer_with_a_chinese_telegram_is_thanked_in_english(serve_telegram, clock) -> None:  # noqa: F811
    tg = await _owner_day(serve_telegram)
    order, card = await _daves_visit_done(tg, clock)
    texts = tg.fake.texts(1002)
    assert "👷 A technician (Carol) has taken your order" in texts[-4], texts[-4:]
    assert texts[-3] == f"💬 From support (Bob) about order {order.number}:\n好的，明天见"
    assert "Please rate it from 1 to 5 stars." in texts[-1]
    assert await tg.press(DAVE, tg.fake.last(1002), "5 ★") == 200
    assert tg.fake.texts(1002)[-1].startswith("Thank you for the 5-star rating!"), tg.fake.texts(1002)[-1]
    await tg.say(DAVE, "Carol was great, very thorough")
    assert tg.fake.texts(1002)[-1] == "Got your comment, thank you! We read every one."
    async with tg.app.db.sessions() as s:
        dave = (await s.execute(select(Customer).where(Customer.display_name == "Dave"))).scalar_one()
    assert dave.lang == "en", "the language he writes in, not his phone's setting"


async def test_a_new_customer_is_still_greeted_in_their_telegram_language(serve_telegram) -> None:  # noqa: F811
    """Before any words of theirs, Telegram's language_code is all we know: it still counts."""
    tg = await _owner_day(serve_telegram)
    bill = user(1003, "Bill", lang="en")
    await tg.say(bill, "/start")
    assert "Hello" in tg.fake.texts(1003)[-1]


async def _export(tg: Harness, kind: str, fmt: str) -> bytes:
    async with client_of(tg.app) as client:
        await _sign_in(client, ADMIN)
        resp = await client.get(f"/admin/export?kind={kind}&format={fmt}&{DAY}")
        assert resp.status == 200
        return await resp.read()


async def _rated_day(serve_telegram: Any, clock: Any) -> tuple[Harness, Order]:  # noqa: F811
    tg = await _owner_day(serve_telegram)
    await _daves_visit_done(tg, clock)
    assert await tg.press(DAVE, tg.fake.last(1002), "4 ★") == 200
    await tg.say(DAVE, "Carol was great, but she came without shoe covers")
    return tg, await _order(tg, "0001")


def _sheet(body: bytes) -> list[dict[str, Any]]:
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


async def test_the_excel_export_holds_dates_times_and_money_as_excel_reads_them(serve_telegram, clock) -> None:  # noqa: F811
    tg, order = await _rated_day(serve_telegram, clock)
    [row] = _sheet(await _export(tg, "orders", "xlsx"))
    assert row["date"] == dt.datetime(2026, 11, 25) and row["time"] == dt.time(10, 0), (row["date"], row["time"])
    assert row["price"] == 298 and row["unit_price"] == 298 and row["rating"] == 4
    # Shanghai wall-clock time (Excel has no time zones): finished at 13:05 local
    assert row["completed_at"] == dt.datetime(2026, 11, 25, 13, 0), row["completed_at"]
    assert isinstance(row["created_at"], dt.datetime) and row["created_at"].tzinfo is None
    assert row["review"] == "Carol was great, but she came without shoe covers"
    [review] = _sheet(await _export(tg, "reviews", "xlsx"))
    assert review["date"] == dt.datetime(2026, 11, 25) and review["created_at"] == dt.datetime(2026, 11, 25, 13, 0)
    [customer] = _sheet(await _export(tg, "customers", "xlsx"))
    assert customer["last_order"] == dt.datetime(2026, 11, 25) and customer["lang"] == "en"


async def test_the_csv_export_reads_in_the_business_time_zone(serve_telegram, clock) -> None:  # noqa: F811
    tg, order = await _rated_day(serve_telegram, clock)
    [row] = list(csv.DictReader(io.StringIO((await _export(tg, "orders", "csv")).decode("utf-8-sig"))))
    assert row["completed_at"] == "2026-11-25T13:00:00+08:00", row["completed_at"]
    assert row["date"] == "2026-11-25" and row["time"] == "10:00" and row["price"] == "298.00"
    assert row["review"] == "Carol was great, but she came without shoe covers"
    [review] = list(csv.DictReader(io.StringIO((await _export(tg, "reviews", "csv")).decode("utf-8-sig"))))
    assert review["created_at"] == "2026-11-25T13:00:00+08:00"


async def test_a_command_typed_with_its_number_keeps_the_customers_chinese(serve_telegram) -> None:  # noqa: F811
    """"/order 20261124-0001" is Latin letters, not English: it switched a Chinese customer's
    conversation to English (until the next message, when Telegram's setting masked it)."""
    tg = await _owner_day(serve_telegram)
    order = await tg.book()
    await tg.say(ALICE, f"/order {order.number}")
    assert order.number in tg.fake.texts(1001)[-1]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in tg.fake.texts(1001)[-1]), tg.fake.texts(1001)[-1]
    await tg.say(ALICE, "/cancel")
    assert "确定取消" in buttons(tg.fake.last(1001))


def test_time_to_claim_is_the_claim_of_the_one_who_holds_the_order() -> None:
    """Bob claimed two minutes after the booking and released it; Carol took it 45 minutes
    in. The owner's staff table credited Carol with Bob's two minutes."""
    from types import SimpleNamespace as NS
    from zoneinfo import ZoneInfo

    from handlers import reports as R

    start = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.timezone.utc)  # 10:00 in Shanghai
    confirmed = start - dt.timedelta(hours=14)
    bob, carol = NS(id=1, name="Bob"), NS(id=2, name="Carol")
    after = lambda minutes: confirmed + dt.timedelta(minutes=minutes)  # noqa: E731
    events = [NS(kind="claim", actor="staff:1", at=after(2)), NS(kind="release", actor="staff:1", at=after(30)),
              NS(kind="claim", actor="staff:2", at=after(45)), NS(kind="start", actor="staff:2", at=start),
              NS(kind="done", actor="staff:2", at=start + dt.timedelta(hours=3))]
    order = NS(id=1, number="n1", status="completed", service_id="deep_cleaning", channel="telegram",
               date=start.date(), start_at=start, total=298, rating=5, confirmed_at=confirmed,
               completed_at=start + dt.timedelta(hours=3), assignee=carol, events=events)
    [carols] = [s for s in R.build([order], tz=ZoneInfo("Asia/Shanghai"))["staff"] if s["name"] == "Carol"]
    assert (carols["name"], carols["done"], carols["median_minutes_to_claim"]) == ("Carol", 1, 45.0)
    assert carols["on_time_rate"] == 1.0 and carols["average_rating"] == 5.0
    # Bob has his own row (owner round 2: tests/test_owner2.py), not Carol's figures
    [bobs] = [s for s in R.build([order], tz=ZoneInfo("Asia/Shanghai"), names={1: "Bob", 2: "Carol"})["staff"]
              if s["name"] == bob.name]
    assert (bobs["claimed"], bobs["released"], bobs["done"], bobs["median_minutes_to_claim"]) == (1, 1, 0, 2.0)
