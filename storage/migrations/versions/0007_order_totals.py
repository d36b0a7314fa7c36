"""an order's total and length, beside its unit price

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 22:30:00.000000

Until now an order kept only its unit price, so revenue, reports and exports showed
¥150 for three appliances quoted ¥450, and a 4-hour cleaning held a team for the
catalog's 2 hours. Existing orders get the total and length they were quoted with:
one visit at the unit price and the service's duration (the `services` table keeps it,
even for a service gone from the catalog); then, with the catalog handed in by
`storage.migrate.upgrade` (`jiedan db upgrade`, `jiedan serve`), orders of a service
priced per item or hour for a quantity are counted as the summary counted them
(`Service.count_of`, `Service.minutes_for`).
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from alembic import context, op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_orders = sa.table('orders', sa.column('id', sa.Integer()), sa.column('service_id', sa.String()),
                   sa.column('quantity', sa.Integer()), sa.column('price', sa.Numeric(10, 2)),
                   sa.column('total', sa.Numeric(10, 2)), sa.column('duration_minutes', sa.Integer()))


def _by_catalog() -> None:
    """Orders for several items or hours, as the catalog prices and times them."""
    catalog = context.config.attributes.get("catalog")
    if catalog is None:
        return
    conn = op.get_bind()
    for service in catalog.services:
        if service.price_per == "visit":
            continue
        rows = conn.execute(sa.select(_orders.c.id, _orders.c.quantity, _orders.c.price).where(
            _orders.c.service_id == service.id, _orders.c.quantity > 1)).all()
        for row in rows:
            total = None if row.price is None else Decimal(row.price) * service.count_of(row.quantity)
            conn.execute(_orders.update().where(_orders.c.id == row.id).values(
                total=total, duration_minutes=service.minutes_for(row.quantity)))


def upgrade() -> None:
    # Added in place, not NOT NULL afterwards: on SQLite that rebuilds `orders`, and dropping
    # the old table with foreign keys on cascades into every order's events, jobs and reviews.
    # So the column comes NOT NULL with a default (an hour, as for a service nobody knows)
    # that only the ADD needs; every order written since sets its own (`storage.orders.terms`).
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total', sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column('duration_minutes', sa.Integer(), nullable=False, server_default='60'))
    op.execute("UPDATE orders SET total = price, duration_minutes = COALESCE("
               "(SELECT services.duration_minutes FROM services WHERE services.id = orders.service_id), 60)")
    _by_catalog()


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('duration_minutes')
        batch_op.drop_column('total')
