"""Schema creation and migration (`jiedan db upgrade`, and on service start)."""

from __future__ import annotations

import functools

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.catalog import Catalog
from storage.db import Database

# Any constant will do: it only has to be the same for every jiedan process.
_PG_MIGRATION_LOCK = 0x6A696564  # "jied"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "storage:migrations")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _upgrade_on(connection: Connection, revision: str, catalog: Catalog | None) -> None:
    if connection.dialect.name == "postgresql":
        # Several processes starting together must not race to create tables.
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    cfg.attributes["catalog"] = catalog
    command.upgrade(cfg, revision)


async def upgrade(db: Database, revision: str = "head", catalog: Catalog | None = None) -> None:
    """`catalog`: the business's, for migrations whose backfill depends on what it says
    (0007: what a quantity of each service costs and how long it takes); without it
    they assume what holds for any service (one visit at the unit price).

    A database already at head is left alone without running Alembic's environment,
    which imports every migration file again (~25 ms on each start)."""
    if revision == "head" and await current_revision(db) == head_revision():
        return
    async with db.engine.begin() as conn:
        await conn.run_sync(_upgrade_on, revision, catalog)


def _current_on(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(_current_on)


@functools.cache
def head_revision() -> str:
    """The newest migration shipped with this code: what `upgrade` leads to."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migration history is empty"
    return head
