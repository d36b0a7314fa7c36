"""Instructions per message in the handlers' hot path, counted by valgrind's callgrind.

On a shared VM, CPU seconds per message move by ±25% between two runs of the
same code, so a change worth 3% cannot be seen with a clock. An instruction
count can: callgrind counts what the CPU was asked to do, not how long it
took, and gives the same total for the same code and inputs whatever else the
host is doing. It is 50-100x slower, so the run is small.

It runs `bench/profile_turns.py` (whole bookings through `Conversations.handle`,
no HTTP) twice under callgrind, with fewer and with more customers, and divides
the difference in instructions by the difference in messages: start-up and
imports cancel out. The database and Redis servers' own work is not counted.

  python bench/instructions.py                 # SQLite, ~3 min
  python bench/instructions.py --pg --redis    # PostgreSQL + Redis, ~4 min

Compare two versions of the code by running it on each; differences under
about 1% are noise from timing-dependent paths (event-loop polls, retries).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import ROOT, facts  # noqa: E402

MESSAGES = re.compile(r"^(\d+) messages in", re.MULTILINE)
TOTAL = re.compile(r"^(?:summary|totals): (\d+)", re.MULTILINE)


def counted(customers: int, extra: list[str], out_dir: str) -> tuple[int, int]:
    """(messages, instructions) of one profile_turns run under callgrind."""
    out = Path(out_dir) / f"callgrind.{customers}"
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
         str(ROOT / "bench" / "profile_turns.py"), "--no-profile", "--customers", str(customers), *extra],
        capture_output=True, text=True, cwd=ROOT, check=False)
    messages = MESSAGES.search(run.stdout)
    total = TOTAL.search(out.read_text()) if out.exists() else None
    if run.returncode != 0 or messages is None or total is None:
        raise SystemExit(f"the run with {customers} customers failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return int(messages.group(1)), int(total.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pg", action="store_true", help="PostgreSQL (its own database) instead of SQLite")
    ap.add_argument("--redis", action="store_true")
    ap.add_argument("--small", type=int, default=50, help="customers in the smaller run")
    ap.add_argument("--large", type=int, default=150, help="customers in the larger run")
    ap.add_argument("--concurrency", type=int, default=16)
    a = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install -y valgrind)")
    extra = ["--concurrency", str(a.concurrency), *(["--pg"] if a.pg else []), *(["--redis"] if a.redis else [])]
    print(facts())
    with tempfile.TemporaryDirectory(prefix="jiedan-callgrind-") as tmp, ThreadPoolExecutor(2) as pool:
        small, large = pool.map(lambda n: counted(n, extra, tmp), (a.small, a.large))
    per_message = (large[1] - small[1]) / (large[0] - small[0])
    setup = ("PostgreSQL" if a.pg else "SQLite") + (" + Redis" if a.redis else "")
    print(f"{setup}, {a.concurrency} customers at once: {small[0]} messages = {small[1]:,} instructions, "
          f"{large[0]} messages = {large[1]:,}")
    print(f"instructions per message (handlers, this process only): {per_message / 1e6:.2f} M")


if __name__ == "__main__":
    main()
