"""whether an order is a visit at our place

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 00:00:00.000000

An order at the shop kept the shop's address in the customer's language as its address:
exports mixed "朝阳区建国路88号" and "88 Jianguo Rd" for one place, and a shop that moved
left its upcoming orders at the old one. Now the order says it is at our place
(`orders.at_shop`), keeps our address in the business's language (`Business.lang`) for
its history, and is shown our address as the catalog has it (`Business.where_of`).

Existing orders: with the catalog handed in by `storage.migrate.upgrade` (`jiedan db
upgrade`, `jiedan serve`), those of a service done at our place whose address is ours,
in any of its languages, are marked so and keep it in the business's language. Without
it none is marked, and each shows the address it kept, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_orders = sa.table('orders', sa.column('service_id', sa.String()), sa.column('address', sa.Text()),
                   sa.column('at_shop', sa.Boolean()))


def _by_catalog() -> None:
    catalog = context.config.attributes.get("catalog")
    if catalog is None or not catalog.business.address or not catalog.shop_services():
        return
    business = catalog.business
    op.get_bind().execute(_orders.update().where(
        _orders.c.service_id.in_(sorted(catalog.shop_services())),
        _orders.c.address.in_(sorted(set(business.address.values()))),
    ).values(at_shop=True, address=business.address_in(business.lang)))


def upgrade() -> None:
    # Added in place, NOT NULL with its default: a batch would rebuild `orders` on SQLite, and
    # dropping the old table cascades into every order's events, jobs and reviews (see 0007).
    op.add_column('orders', sa.Column('at_shop', sa.Boolean(), nullable=False, server_default=sa.false()))
    _by_catalog()


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('at_shop')
