"""Orders as flat rows, for the admin API and for CSV/Excel exports.

One row shape serves both, so a spreadsheet and the API never disagree. Money: `price`
is what the order costs, the total the customer was quoted for the quantity booked (what
revenue counts); `unit_price` is the price of one unit (a visit, an item or an hour, as
the catalog prices the service), both as at booking time; `duration_minutes` is how long
the visit holds a team (the hours booked, for an hourly service).

Times: an instant (`created_at`, `completed_at`…) is written in the business's time zone
(`tz`), as the owner reads the rest of the day: an ISO string with its offset in CSV and
JSON, a plain date-time in Excel, which has no time zones. Excel gets dates, times and
instants as its own types (sorting, filters and date arithmetic work), money as numbers
shown to the currency's decimals (two for yuan, none for yen: `storage.money`); CSV writes
money to them too ("298.00", "15000"), JSON as a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from storage.catalog import DEFAULT_CURRENCY, Business
from storage.customers import out_of_reach
from storage.models import Customer, Order, Review
from storage.money import excel_format, fixed_text

COLUMNS: tuple[str, ...] = (
    "id", "number", "status", "service", "date", "time", "period", "address", "destination", "phone", "name",
    "quantity", "unit_price", "price", "duration_minutes", "notes", "channel", "customer_id", "assignee",
    "created_at", "confirmed_at", "completed_at", "cancelled_at", "rating", "reachable", "unreachable_reason",
    # added last, so a sheet read by position keeps its columns: whom the customer asked to come
    "preferred_staff",
    # and after it what the customer wrote with their rating
    "review",
)


def order_row(o: Order, tz: ZoneInfo | None = None, business: Business | None = None) -> dict[str, Any]:
    """`o` with its customer's identities, the staff member asked for and its review loaded
    (`storage.orders.FOR_ROWS`); the staff by name (the assignee, the one asked for); its
    instants in `tz` (the business's; None: as stored, UTC); a visit at our place at our
    address as `business` has it now when still to come, in the business's language
    (`Business.where_of`; None: as the order keeps it). Whether
    our messages can reach the customer now, on the channel they wrote from last, and if
    not why ("unsubscribed", "blocked", "gone"), so whoever reads it knows to phone."""
    gone = out_of_reach(o.customer.identities)
    return {
        "id": o.id,
        "number": o.number,
        "status": o.status,
        "service": o.service_id,
        "date": o.date.isoformat(),
        "time": o.time.strftime("%H:%M") if o.time else None,
        "period": o.period,
        "address": business.where_of(o, business.lang) if business is not None else o.address,
        "destination": o.destination,
        "phone": o.phone,
        "name": o.name,
        "quantity": o.quantity,
        "unit_price": _money(o.price),
        "price": _money(o.total),
        "duration_minutes": o.duration_minutes,
        "notes": o.notes,
        "channel": o.channel,
        "customer_id": o.customer_id,
        "assignee": o.assignee.name if o.assignee is not None else None,
        "created_at": instant(o.created_at, tz),
        "confirmed_at": instant(o.confirmed_at, tz),
        "completed_at": instant(o.completed_at, tz),
        "cancelled_at": instant(o.cancelled_at, tz),
        "rating": o.rating,
        "reachable": gone is None and bool(o.customer.identities),
        "unreachable_reason": gone.unreachable_reason if gone is not None else None,
        "preferred_staff": o.preferred_staff.name if o.preferred_staff is not None else None,
        "review": o.review.comment if o.review is not None else None,
    }


def instant(at: dt.datetime | None, tz: ZoneInfo | None) -> str | None:
    """`at` as ISO 8601 with its offset, in `tz` when given, to the second (what a person
    reads in a sheet): "2026-11-25T13:00:00+08:00"."""
    if at is None:
        return None
    return (at.astimezone(tz) if tz is not None else at).isoformat(timespec="seconds")


def _money(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] = COLUMNS, *,
           currency: str = DEFAULT_CURRENCY) -> str:
    """Rows as CSV with a header; `columns` for row shapes other than orders; money in the
    business's `currency`."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: csv_value(k, v, currency) for k, v in r.items()})
    return buf.getvalue()


def csv_value(column: str, value: Any, currency: str = DEFAULT_CURRENCY) -> Any:
    """What a CSV cell holds: empty for nothing, money to all the currency's decimals
    ("298.00" as a price is written, not Python's "298.0"; "15000" yen: `storage.money`)."""
    if value is None:
        return ""
    if _kind_of(column) == "money":
        return fixed_text(value, currency)
    return value


def to_xlsx(rows: Iterable[dict[str, Any]], columns: Sequence[str] = COLUMNS, title: str = "orders", *,
            currency: str = DEFAULT_CURRENCY) -> bytes:
    """Rows as one Excel sheet named `title`, header frozen; dates, times and instants as
    Excel's own (`excel_value`), shown as 2026-11-25, 10:00 and 2026-11-25 13:00; money
    as numbers shown to the `currency`'s decimals."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(columns))
    for r in rows:
        ws.append([excel_value(c, r.get(c)) for c in columns])
    formats = {**_EXCEL_FORMATS, "money": excel_format(currency)}
    for index, column in enumerate(columns, start=1):
        shown = formats.get(_kind_of(column))
        if shown:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = shown
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


MONEY_COLUMNS = frozenset({"unit_price", "price"})
_EXCEL_FORMATS = {"date": "yyyy-mm-dd", "time": "hh:mm", "instant": "yyyy-mm-dd hh:mm"}


def _kind_of(column: str) -> str | None:
    """What a column holds, by the rows' naming: `…_at` an instant, `date` and `last_order`
    a day, `time` a time of day, `price` and `unit_price` money."""
    if column in MONEY_COLUMNS:
        return "money"
    if column.endswith("_at"):
        return "instant"
    if column in ("date", "last_order"):
        return "date"
    return "time" if column == "time" else None


def excel_value(column: str, value: Any) -> Any:
    """A row's ISO text as the Excel type its column holds; an instant as the wall-clock
    time its text says (already the business's, see `instant`): Excel has no time zones."""
    kind = _kind_of(column)
    if not isinstance(value, str) or kind in (None, "money"):
        return value
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    return dt.datetime.fromisoformat(value).replace(tzinfo=None)


CUSTOMER_COLUMNS: tuple[str, ...] = ("id", "name", "phone", "lang", "tags", "visits", "last_order",
                                     "created_at", "last_seen_at")
REVIEW_COLUMNS: tuple[str, ...] = ("order_id", "number", "service", "date", "assignee", "rating",
                                   "comment", "created_at")


def customer_row(c: Customer, visits: int, last_order: Any, tz: ZoneInfo | None = None) -> dict[str, Any]:
    return {
        "id": c.id, "name": c.display_name, "phone": c.phone, "lang": c.lang,
        "tags": ", ".join(c.tags or []), "visits": visits,
        "last_order": last_order.isoformat() if last_order else None,
        "created_at": instant(c.created_at, tz), "last_seen_at": instant(c.last_seen_at, tz),
    }


def review_row(r: Review, o: Order, tz: ZoneInfo | None = None) -> dict[str, Any]:
    """A review beside its order (the reports' list and the reviews export); its time in `tz`."""
    return {
        "order_id": o.id, "number": o.number, "service": o.service_id, "date": o.date.isoformat(),
        "assignee": o.assignee.name if o.assignee is not None else None, "rating": r.rating,
        "comment": r.comment, "created_at": instant(r.created_at, tz),
    }
