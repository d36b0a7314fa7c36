"""Keeps the `services` table in step with the catalog YAML."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.catalog import Catalog
from storage.models import ServiceRow


async def sync_catalog(session: AsyncSession, catalog: Catalog) -> None:
    """Upsert every catalog service; ones no longer listed stay (old orders
    point at them) but are marked inactive."""
    rows = {r.id: r for r in (await session.execute(select(ServiceRow))).scalars()}
    listed = set()
    for s in catalog.services:
        listed.add(s.id)
        row = rows.get(s.id) or ServiceRow(id=s.id)
        row.name_zh = s.name_in("zh")
        row.name_en = s.name_in("en")
        row.duration_minutes = s.duration_minutes
        row.price = Decimal(str(s.price)) if s.price is not None else None
        row.active = True
        session.add(row)
    for sid, row in rows.items():
        if sid not in listed:
            row.active = False
