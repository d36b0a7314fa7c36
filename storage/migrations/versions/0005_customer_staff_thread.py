"""a customer's conversation with a person outside an order

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both nullable: nobody is talking to a person yet, no backfill needed.
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('human_requested_at', storage.types.UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('staff_replied_at', storage.types.UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('staff_replied_at')
        batch_op.drop_column('human_requested_at')
