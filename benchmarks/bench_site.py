"""Benchmark ``journeymap build``: a cold build and a no-op rebuild of synthetic journeys.

Usage: ``python benchmarks/bench_site.py [--journeys 200] [--jobs 2] [--format svg,pdf,png]``.
Each journey has 10 stages x 5 touchpoints and 3 personas. Both builds run the real command
line in a fresh process, so the no-op figure includes Python start-up.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EMOTIONS = ("angry", "frustrated", "uneasy", "neutral", "satisfied", "happy", "delighted")


def journey(n: int) -> str:
    """Synthetic journey number ``n``: 10 stages x 5 touchpoints, 3 personas."""
    lines = [
        "journeymap: 1",
        f"title: Synthetic journey {n}",
        f"owner: Team {n % 7}",
        f"tags: [synthetic, group-{n % 5}]",
        "personas:",
    ]
    for p, color in enumerate(("#0072B2", "#D55E00", "#009E73")):
        lines += [f"  - id: p{p}", f"    name: Persona {p}", f"    color: '{color}'"]
    lines.append("stages:")
    for s in range(10):
        lines += [f"  - id: s{s}", f"    name: Stage {s} of journey {n}", "    touchpoints:"]
        for t in range(5):
            i = s * 5 + t
            emotion = ", ".join(f"p{p}: {EMOTIONS[(i * (p + 2) + n) % 7]}" for p in range(3))
            lines += [
                f"      - id: t{i}",
                f"        name: Touchpoint {i} with a longer name",
                "        channel: web" if i % 2 else "        channel: phone",
                f"        action: The customer does step {i} of the synthetic journey.",
                f"        emotion: {{{emotion}}}",
                "        pain_points:",
                f"          - text: Pain point at step {i}",
                "            severity: medium",
                "        opportunities: [Make it better]",
            ]
    return "\n".join(lines) + "\n"


def timed(command: list[str]) -> float:
    """Seconds ``command`` took; exits when it fails."""
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{proc.stdout}{proc.stderr[-3000:]}")
    return elapsed


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--format", default="svg,pdf,png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "journeys"
        src.mkdir()
        for n in range(args.journeys):
            (src / f"journey-{n:03d}.yaml").write_text(journey(n), encoding="utf-8")
        site = Path(tmp) / "site"
        command = [sys.executable, "-m", "journeymap", "build", str(src), "-o", str(site),
                   "--jobs", str(args.jobs), "--format", args.format]  # fmt: skip
        cold = timed(command)
        noop = min(timed(command) for _ in range(3))
        (src / "journey-000.yaml").write_text(journey(1000), encoding="utf-8")
        one = timed(command)
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        print(f"journeys: {args.journeys} (10 stages x 5 touchpoints, 3 personas)")
        print(f"formats: {args.format}; jobs: {args.jobs}")
        print(f"cold build: {cold:.1f} s ({cold / args.journeys:.2f} s per journey)")
        print(f"no-op rebuild (whole CLI process, best of 3): {noop:.2f} s")
        print(f"one journey changed: {one:.1f} s")
        print(f"site size: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
