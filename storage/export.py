"""Orders as flat rows, for the admin API and for CSV/Excel exports.

One row shape serves both, so a spreadsheet and the API never disagree. Money: `price`
is what the order costs, the total the customer was quoted for the quantity booked (what
revenue counts); `unit_price` is the price of one unit (a visit, an item or an hour, as
the catalog prices the service), both as at booking time; `duration_minutes` is how long
the visit holds a team (the hours booked, for an hourly service).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any, Iterable, Sequence

from openpyxl import Workbook

from storage.customers import out_of_reach
from storage.models import Customer, Order, Review

COLUMNS: tuple[str, ...] = (
    "id", "number", "status", "service", "date", "time", "period", "address", "destination", "phone", "name",
    "quantity", "unit_price", "price", "duration_minutes", "notes", "channel", "customer_id", "assignee",
    "created_at", "confirmed_at", "completed_at", "cancelled_at", "rating", "reachable", "unreachable_reason",
    # added last, so a sheet read by position keeps its columns: whom the customer asked to come
    "preferred_staff",
)


def order_row(o: Order) -> dict[str, Any]:
    """`o` with its customer's identities and the staff member asked for loaded
    (`storage.orders.FOR_ROWS`); the staff by name (the assignee, the one asked for). Whether
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
        "address": o.address,
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
        "created_at": o.created_at.isoformat(),
        "confirmed_at": o.confirmed_at.isoformat() if o.confirmed_at else None,
        "completed_at": o.completed_at.isoformat() if o.completed_at else None,
        "cancelled_at": o.cancelled_at.isoformat() if o.cancelled_at else None,
        "rating": o.rating,
        "reachable": gone is None and bool(o.customer.identities),
        "unreachable_reason": gone.unreachable_reason if gone is not None else None,
        "preferred_staff": o.preferred_staff.name if o.preferred_staff is not None else None,
    }


def _money(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] = COLUMNS) -> str:
    """Rows as CSV with a header; `columns` for row shapes other than orders."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return buf.getvalue()


def to_xlsx(rows: Iterable[dict[str, Any]], columns: Sequence[str] = COLUMNS, title: str = "orders") -> bytes:
    """Rows as one Excel sheet named `title`, header frozen."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(columns))
    for r in rows:
        ws.append([r.get(c) for c in columns])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CUSTOMER_COLUMNS: tuple[str, ...] = ("id", "name", "phone", "lang", "tags", "visits", "last_order",
                                     "created_at", "last_seen_at")
REVIEW_COLUMNS: tuple[str, ...] = ("order_id", "number", "service", "date", "assignee", "rating",
                                   "comment", "created_at")


def customer_row(c: Customer, visits: int, last_order: Any) -> dict[str, Any]:
    return {
        "id": c.id, "name": c.display_name, "phone": c.phone, "lang": c.lang,
        "tags": ", ".join(c.tags or []), "visits": visits,
        "last_order": last_order.isoformat() if last_order else None,
        "created_at": c.created_at.isoformat(), "last_seen_at": c.last_seen_at.isoformat(),
    }


def review_row(r: Review, o: Order) -> dict[str, Any]:
    return {
        "order_id": o.id, "number": o.number, "service": o.service_id, "date": o.date.isoformat(),
        "assignee": o.assignee.name if o.assignee is not None else None, "rating": r.rating,
        "comment": r.comment, "created_at": r.created_at.isoformat(),
    }
