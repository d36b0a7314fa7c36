"""What every benchmark prints first: the machine and how busy it was.

Figures from a shared 2-core box are noisy; printing nproc, the CPU model and
the load average beside them is what makes two runs comparable (or not).
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def facts() -> str:
    return (f"machine: {cpu_model()}, nproc {os.cpu_count()}, Python {platform.python_version()} "
            f"({sys.implementation.name}), load average {load_average()}")


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the most resident memory the process ever had (Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent not idle since boot (Linux /proc/stat): what
    every process on the machine used, the database servers and the load included."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def pg_admin_dsn() -> str:
    return os.environ.get("JIEDAN_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def redis_url() -> str:
    """A Redis db number of the benchmarks' own (never flushed: keys are deleted one by one)."""
    return os.environ.get("JIEDAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


async def _admin(sql: str) -> None:
    """Run one statement on the shared server's admin database."""
    import asyncpg

    conn = await asyncpg.connect(_admin_dsn())
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _admin_dsn() -> str:
    from sqlalchemy.engine import make_url

    return make_url(pg_admin_dsn()).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_pg_database(name: str) -> str:
    """CREATE DATABASE `name` on the shared server; returns its URL (the caller drops it)."""
    from sqlalchemy.engine import make_url

    await _admin(f'CREATE DATABASE "{name}"')
    return make_url(pg_admin_dsn()).set(database=name).render_as_string(hide_password=False)


async def pg_sessions_opened(name: str) -> int | None:
    """How many connections were ever opened to database `name` (PostgreSQL 14+): pool churn shows here."""
    import asyncpg

    conn = await asyncpg.connect(_admin_dsn())
    try:
        return await conn.fetchval("SELECT sessions FROM pg_stat_database WHERE datname = $1", name)
    except asyncpg.PostgresError:
        return None
    finally:
        await conn.close()


async def drop_pg_database(name: str) -> None:
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
