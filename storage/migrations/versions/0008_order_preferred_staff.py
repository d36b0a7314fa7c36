"""the staff member a customer asked for, a field of the order

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 14:00:00.000000

"还是上次那个阿姨来", "让王师傅来": until now lost, or left in the order's note as words no
one matched to a person. Existing orders asked for no one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


_FK = 'fk_orders_preferred_staff_id_staff'


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Added in place, its foreign key in the column: a batch would rebuild `orders` for the
        # key, and dropping the old table cascades into every order's events, jobs and reviews
        # (as 0007 explains). SQLite takes a REFERENCES clause on a column added NULL.
        op.execute(f"ALTER TABLE orders ADD COLUMN preferred_staff_id INTEGER CONSTRAINT {_FK} "
                   "REFERENCES staff (id)")
        return
    op.add_column('orders', sa.Column('preferred_staff_id', sa.Integer(), nullable=True))
    op.create_foreign_key(_FK, 'orders', 'staff', ['preferred_staff_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('preferred_staff_id')
