"""where a move ends, a field of the order

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('destination', sa.Text(), nullable=True))
    # Until now a move's destination was kept as the order's whole note, "→ 回龙观".
    op.execute("UPDATE orders SET destination = substr(notes, 3), notes = NULL "
               "WHERE notes LIKE '→ %' AND notes NOT LIKE '%；%'")


def downgrade() -> None:
    op.execute("UPDATE orders SET notes = '→ ' || destination WHERE destination IS NOT NULL AND notes IS NULL")
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('destination')
