"""The database schema, as typed SQLAlchemy 2 models.

Every table the product needs lives here so that one Alembic history covers it;
repositories in the sibling modules are the only code that queries them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UtcDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UtcDateTime(), dict[str, Any]: JSON(), Decimal: Numeric(10, 2)}


class OrderStatus(StrEnum):
    """Contract order statuses; the string values are the external interface."""

    PENDING = "pending"          # summary shown, awaiting the customer's confirmation
    CONFIRMED = "confirmed"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Every order a customer or staff member is shown: all but an unconfirmed draft.
BOOKED_STATUSES: tuple[str, ...] = tuple(s.value for s in OrderStatus if s != OrderStatus.PENDING)

# What a customer or the office may still cancel or move: not yet started.
CHANGEABLE_STATUSES: tuple[str, ...] = (OrderStatus.CONFIRMED, OrderStatus.ASSIGNED)

ACTIVE_STATUSES: tuple[str, ...] = (
    OrderStatus.CONFIRMED, OrderStatus.ASSIGNED, OrderStatus.IN_PROGRESS,
)


class UnreachableReason(StrEnum):
    """Why a channel identity can no longer be written to (shown to staff, so kept apart)."""

    UNSUBSCRIBED = "unsubscribed"  # unfollowed the WeChat Official Account
    BLOCKED = "blocked"            # blocked the Telegram bot, or put the account on WeChat's blacklist
    GONE = "gone"                  # the account no longer exists for the channel (deleted, invalid id)


class Customer(Base):
    """A person who books; one row however many channels they write from."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A conversation with a person, outside any order's card thread: when the customer
    # last asked for one, and when staff last wrote to them. While either is recent,
    # the customer's free text goes to staff (`handlers.staff.relay_to_staff`).
    human_requested_at: Mapped[dt.datetime | None] = mapped_column()
    staff_replied_at: Mapped[dt.datetime | None] = mapped_column()

    identities: Mapped[list[ChannelIdentity]] = relationship(back_populates="customer")


class ChannelIdentity(Base):
    """How a customer is reached on one channel (Telegram user id, WeChat openid…)."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    # The conversation to answer in, when it differs from the user id (e.g. a chat id).
    thread_id: Mapped[str | None] = mapped_column(String(128))
    # WeChat allows customer-service messages only within 48 h of the last inbound one.
    last_inbound_at: Mapped[dt.datetime | None] = mapped_column()
    # Set when the channel says we can no longer write to this person (an unsubscribe event,
    # a send refused as blocked); cleared when they write again. While set the worker sends
    # them nothing: every attempt would fail the same way, and staff need to know to call.
    unreachable_since: Mapped[dt.datetime | None] = mapped_column()
    unreachable_reason: Mapped[str | None] = mapped_column(String(16))  # an UnreachableReason
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="identities")


class ServiceRow(Base):
    """A catalog service as of the last sync, so orders keep a valid foreign key."""

    __tablename__ = "services"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal | None] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Staff(Base):
    """A person who fulfils orders; identified by the channel they work in."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16), default="staff")  # owner | dispatcher | staff
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_status_start_at", "status", "start_at"),
        Index("ix_orders_customer_id_created_at", "customer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Human-readable, unique: business-local creation day and a per-day sequence.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.PENDING)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    time: Mapped[dt.time | None] = mapped_column(Time)
    period: Mapped[str | None] = mapped_column(String(16))
    # The appointment's start in UTC (from date + time, or the period's start):
    # what reminders and overdue checks compare against.
    start_at: Mapped[dt.datetime] = mapped_column()
    # Where the visit is: the customer's address, or for a visit at our place (`at_shop`) the
    # business's as it was at booking, in the business's language (`Business.lang`): what the
    # order's history and exports keep. An order still to come is shown the business's
    # address as the catalog has it now, in the reader's language (`Business.where_of`).
    address: Mapped[str] = mapped_column(Text)
    at_shop: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    destination: Mapped[str | None] = mapped_column(Text)  # where a move ends ("从望京搬到回龙观")
    phone: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(120))
    quantity: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    # What the order costs, kept from booking time: `price` per unit (a visit, an item, an
    # hour: the catalog's `price_per`) and `total` for the quantity booked, what the customer
    # was quoted and what revenue counts. None: quoted on site. With `duration_minutes`, how
    # long the visit holds a team (a 4-hour cleaning, 4 hours), set by `storage.orders.terms`
    # alone and again whenever the service, quantity or price change.
    price: Mapped[Decimal | None] = mapped_column()
    total: Mapped[Decimal | None] = mapped_column()
    duration_minutes: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # Who the customer asked to come ("还是上次那个阿姨", "让王师傅来"): shown on the staff card so
    # that person claims it, but anyone may (`storage.staff.transition` does not look at it).
    preferred_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column()
    completed_at: Mapped[dt.datetime | None] = mapped_column()
    cancelled_at: Mapped[dt.datetime | None] = mapped_column()

    customer: Mapped[Customer] = relationship()
    service: Mapped[ServiceRow] = relationship()
    assignee: Mapped[Staff | None] = relationship(foreign_keys=[assignee_id])
    preferred_staff: Mapped[Staff | None] = relationship(foreign_keys=[preferred_staff_id])
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan"
    )
    # The customer's rating and words, for the exports' row (loaded with `storage.orders.FOR_ROWS`)
    review: Mapped[Review | None] = relationship(viewonly=True, uselist=False)


class OrderCounter(Base):
    """Per-day sequence behind order numbers (upserted atomically)."""

    __tablename__ = "order_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)  # YYYYMMDD
    last: Mapped[int] = mapped_column(Integer, default=0)


class OrderEvent(Base):
    """The history of an order: who changed what, and when."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # "customer:12", "staff:3", "system"
    kind: Mapped[str] = mapped_column(String(32))   # created, updated, confirmed, cancelled…
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)  # field -> [old, new]

    order: Mapped[Order] = relationship(back_populates="events")


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScheduledJob(Base):
    """A durable scheduled message (reminder, escalation, review request).

    The table is the queue: workers claim due rows with a lease, so jobs survive
    restarts and run once with several workers. `dedupe_key` (e.g. order:kind)
    stops the same job from being scheduled twice.
    """

    __tablename__ = "scheduled_jobs"
    __table_args__ = (Index("ix_scheduled_jobs_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[dt.datetime] = mapped_column()
    # pending|sending|done|cancelled|failed|skipped
    status: Mapped[str] = mapped_column(String(16), default="pending")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    # When it went out (settled done, within seconds of the send): a review nudge waits its
    # delay from its invitation's real send, not from a due time a catching-up worker missed.
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MessageLog(Base):
    """Every inbound and outbound message, with the channel's own message id.

    The unique key on (channel, direction, channel_message_id) is what makes a
    redelivered update (same Telegram update, WeChat retry) a no-op.
    """

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "direction", "channel_message_id"),
        Index("ix_messages_customer_id_id", "customer_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    channel: Mapped[str] = mapped_column(String(16))
    channel_message_id: Mapped[str | None] = mapped_column(String(128))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StaffCard(Base):
    """An order's card in a staff chat: edited as the order moves, and the
    thread staff reply in to talk to the customer."""

    __tablename__ = "staff_cards"
    __table_args__ = (UniqueConstraint("channel", "chat_id", "message_id"),)

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    # While staff and customer talk through the card, the customer's free text goes to the thread.
    last_staff_reply_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ChatMigration(Base):
    """A chat a channel moved to a new id: a Telegram group upgraded to a supergroup.

    Telegram refuses every call to the old id from then on. Kept in the database,
    not in one process, so every `serve` and `worker` follows the move without a
    restart or a change of JIEDAN_TELEGRAM_STAFF_CHAT_ID.
    """

    __tablename__ = "chat_migrations"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    old_chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    new_chat_id: Mapped[str] = mapped_column(String(64))
    migrated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConversationState(Base):
    """Dialogue state when Redis is not configured, so it survives restarts."""

    __tablename__ = "conversation_states"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
