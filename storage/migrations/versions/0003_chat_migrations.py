"""chat migrations (a Telegram group upgraded to a supergroup)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_migrations',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('old_chat_id', sa.String(length=64), nullable=False),
    sa.Column('new_chat_id', sa.String(length=64), nullable=False),
    sa.Column('migrated_at', storage.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'old_chat_id', name=op.f('pk_chat_migrations'))
    )


def downgrade() -> None:
    op.drop_table('chat_migrations')
