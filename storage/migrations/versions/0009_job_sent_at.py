"""when a scheduled job was actually sent

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 20:00:00.000000

A review nudge must go a full delay after its invitation went, and a worker catching up
sends invitations late: their due time does not say when they went. Jobs sent before this
kept no send time (NULL); their due time stands in (`storage.jobs.sent_at`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added in place (NULL): a batch would rebuild `scheduled_jobs` on SQLite for nothing.
    op.add_column('scheduled_jobs', sa.Column('sent_at', storage.types.UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scheduled_jobs', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
