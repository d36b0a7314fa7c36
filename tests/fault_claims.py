"""One process of the concurrent-claims fault test: `python -m tests.fault_claims URL ORDER_ID TAG N`.

Runs N concurrent claims of one order, each by a different staff member, each in
its own transaction through `handlers.staff.act` (what every staff front-end
calls), and prints how many it won."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

from handlers import staff as staff_logic
from storage import staff as staff_repo
from storage.catalog import load_catalog
from storage.db import Database


async def main(url: str, order_id: int, tag: str, n: int) -> int:
    db = Database(url, pool_size=n)
    catalog = load_catalog(None)
    now = dt.datetime.now(dt.timezone.utc)
    try:
        async def claim(i: int) -> bool:
            async with db.sessions.begin() as s:
                member = await staff_repo.identify(s, "fault", f"{tag}-{i}", f"staff {tag}-{i}")
                return (await staff_logic.act(s, order_id, "claim", member, catalog, now)).ok

        results = await asyncio.gather(*(claim(i) for i in range(n)))
    finally:
        await db.dispose()
    return sum(results)


if __name__ == "__main__":
    url, order_id, tag, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    print(asyncio.run(main(url, order_id, tag, n)), flush=True)
