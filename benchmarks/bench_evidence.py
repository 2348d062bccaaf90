"""Benchmark: reading a survey export of a million rows (target: <= 5 s and <= 150 MiB).

Run with ``python benchmarks/bench_evidence.py [ROWS]``. It writes a seeded CSV of ``ROWS``
(default 1,000,000) survey answers with comments and dates to a temporary folder, then reads
it in a fresh process and prints the wall time, the CPU time and the peak memory
(``ru_maxrss``) of that process, interpreter start and imports included (on a shared
machine the CPU time is the fairer figure). ``generate`` is also used by the tests.
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMENTS = (
    "Quick and easy, thanks!",
    "Took far too long to find the button.",
    "The agent was lovely; mail me at someone@example.com",
    "Call me back on +44 20 7946 0958 please",
    "",
    "",
    "",
)

_READ = (
    "import resource, sys\n"
    "from pathlib import Path\n"
    "from journeymap.source.evidence import Layout, read\n"
    "layout = Layout(comment='comment', persona='segment', date='date', low=0, high=10, nps=True)\n"
    "r = read(Path(sys.argv[1]), layout)\n"
    "use = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(r.rows, r.used, len(r.tallies), use.ru_maxrss, use.ru_utime + use.ru_stime)\n"
)


def generate(path: Path, rows: int, touchpoints: int = 12, seed: int = 7) -> None:
    """A survey export: touchpoint, segment, score (0-10), comment, date; one row in 50 bad."""
    rng = random.Random(seed)
    names = [f"tp-{i}" for i in range(touchpoints)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["touchpoint", "segment", "score", "comment", "date"])
        for i in range(rows):
            score: str | int = min(10, max(0, round(rng.gauss(7, 2.5))))
            if i % 50 == 49:
                score = "n/a"
            out.writerow(
                [
                    names[i % touchpoints],
                    "new" if i % 3 else "returning",
                    score,
                    COMMENTS[i % len(COMMENTS)],
                    f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                ]
            )


def main() -> None:
    """Generate, then time one cold read."""
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.csv"
        start = time.perf_counter()
        generate(path, rows)
        made = time.perf_counter() - start
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _READ, str(path)], capture_output=True, text=True, check=True
        )
        took = time.perf_counter() - start
        total, used, keys, peak, cpu = done.stdout.split()
        size = path.stat().st_size / 1024 / 1024
        print(f"generated {rows:,} rows ({size:.1f} MiB) in {made:.1f} s")
        print(f"read {int(total):,} rows ({int(used):,} used, {keys} tallies) in {took:.2f} s")
        print(f"CPU time {float(cpu):.2f} s (what a machine to itself takes; cold process)")
        print(f"peak memory {int(peak) / 1024:.1f} MiB (cold process, imports included)")


if __name__ == "__main__":
    main()
