"""One command for the performance tables: ``python benchmarks/run.py [--quick]``.

The first table is against the anchor, mermaid-cli drawing Mermaid's "My working day"
journey (see ``anchor.py``): each of our figures and mmdc are run in turns in the same session
(A B A B ...), and the table gives medians and their ratio, which drifts far less than the
absolute times on a shared machine.

Every measurement is a fresh process (cold: interpreter start and imports included), timed
from outside, with its peak memory (the process, or its largest worker) read from
``getrusage``. Each row also shows the floor: parsing the same YAML with libyaml alone.
The result is printed as Markdown, ready for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from anchor import find_mmdc

#: Runs the journeymap CLI in-process, then reports peak RSS (self, and largest child).
_WRAPPER = (
    "import resource, sys\n"
    "from journeymap.commands.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'MAXRSS {me} {kids}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)
_FLOOR = (
    "import resource, sys, yaml\n"
    "with open(sys.argv[1], 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)\n"
    "print(f'MAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} 0', file=sys.stderr)\n"
)


def synthetic(touchpoints: int, personas: int = 5, per_stage: int = 10, seed: int = 1) -> str:
    """A realistic-looking journey with every lane filled."""
    rng = random.Random(seed)
    lines = [
        "journeymap: 1",
        f"title: Synthetic journey of {touchpoints} touchpoints",
        "summary: Generated for benchmarks.",
        "owner: Benchmarks",
        "tags: [bench]",
        "personas:",
    ]
    lines += [
        f"  - {{id: p{p}, name: Persona {p}, role: Tester {p}, goals: [Finish]}}"
        for p in range(personas)
    ]
    lines.append("stages:")
    for s in range(max(1, touchpoints // per_stage)):
        lines += [f"  - name: Stage {s}", "    goal: Get through this stage", "    touchpoints:"]
        for t in range(per_stage):
            i = s * per_stage + t
            emotions = ", ".join(f"p{p}: {rng.randint(-1, 3)}" for p in range(personas))
            lines += [
                f"      - name: Touchpoint {i} with a realistic name",
                f"        channel: {rng.choice(['web', 'app', 'phone', 'branch'])}",
                f"        action: The customer does step {i} and waits for an answer",
                f'        thought: "Why does step {i} take so long? I have other things to do."',
                f"        emotion: {{{emotions}}}",
                "        pain_points:",
                f"          - {{text: Slow answer at step {i}, severity: medium}}",
                "        opportunities: [Answer within a minute]",
                "        metrics: {csat: 3.5, minutes: 4}",
                f"        moment_of_truth: {'true' if i % 7 == 0 else 'false'}",
            ]
    return "\n".join(lines) + "\n"


def measure(argv: list[str], repeat: int, floor: bool = False) -> tuple[float, float]:
    """Median seconds and peak MiB of ``journeymap ARGV`` (or the parse floor) cold."""
    times, peaks = [], []
    for _ in range(repeat):
        code = _FLOOR if floor else _WRAPPER
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"failed: journeymap {' '.join(argv)}\n{proc.stderr[-3000:]}")
        line = next(x for x in proc.stderr.splitlines() if x.startswith("MAXRSS"))
        me, kids = map(int, line.split()[1:])
        peaks.append(max(me, kids) / 1024)
    return statistics.median(times), max(peaks)


def timed(argv: list[str]) -> float:
    """Seconds one run of ``argv`` took; exits when it fails."""
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{proc.stderr[-3000:]}")
    return elapsed


def anchor_table(runs: int, tmp: Path) -> list[str]:
    """Our single-journey figures against mmdc, run in turns, as medians and ratios."""
    mmdc, described = find_mmdc(tmp)
    if mmdc is None:
        return [f"(no anchor: {described}; the ratio table is skipped)"]
    src = tmp / "anchor-30.yaml"
    src.write_text(synthetic(30, personas=3), encoding="utf-8")
    out = tmp / "anchor-out"
    everything = "all outputs (map, curve, flow: SVG, PDF, PNG)"
    ours = {
        "map SVG": ["render", str(src), "-o", str(out), "--what", "map", "--format", "svg"],
        everything: ["render", str(src), "-o", str(out)],
        "validate": ["validate", str(src)],
    }
    targets = {
        "map SVG": "keep about 0.1x",
        "all outputs (map, curve, flow: SVG, PDF, PNG)": "<= 0.5x",
    }
    commands = {"mmdc": mmdc} | {
        name: [sys.executable, "-c", _WRAPPER, *argv] for name, argv in ours.items()
    }
    for argv in commands.values():  # warm the disk cache and npm's first start
        timed(argv)
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for k in range(runs):
        # Alternate with the anchor, rotating our figures so none always runs first.
        ours_order = names[1:][k % (len(names) - 1) :] + names[1:][: k % (len(names) - 1)]
        for name in ours_order:
            times["mmdc"].append(timed(commands["mmdc"]))
            times[name].append(timed(commands[name]))
    anchor = statistics.median(times["mmdc"])
    rows = [
        f"Anchor: {described}, median of {len(times['mmdc'])} runs: {anchor:.2f} s.",
        "",
        "| 30 touchpoints, 3 personas | journeymap (median) | ratio to mmdc | target |",
        "|---|---|---|---|",
    ]
    for name in ours:
        median = statistics.median(times[name])
        rows.append(
            f"| {name} | {median:.2f} s | {median / anchor:.2f}x | {targets.get(name, '')} |"
        )
    return rows


def journeys_table(sizes: list[int], repeat: int, tmp: Path) -> list[str]:
    rows = [
        "| journey | parse only (floor) | validate | map SVG | all outputs | cards | peak MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        src = tmp / f"j{size}.yaml"
        src.write_text(synthetic(size), encoding="utf-8")
        out = tmp / f"out{size}"
        floor, _ = measure([str(src)], repeat, floor=True)
        validate, m1 = measure(["validate", str(src)], repeat)
        svg, m2 = measure(
            ["render", str(src), "-o", str(out), "--what", "map", "--format", "svg"], repeat
        )
        every, m3 = measure(["render", str(src), "-o", str(out)], max(1, repeat - 2))
        cards, m4 = measure(["cards", str(src), "-o", str(out)], max(1, repeat - 2))
        rows.append(
            f"| {size} touchpoints | {floor:.2f} s | {validate:.2f} s | {svg:.2f} s | "
            f"{every:.2f} s | {cards:.2f} s | {max(m1, m2, m3, m4):.0f} |"
        )
    return rows


#: Builds a site in-process and prints the workers' own accounting as JSON.
_SITE = (
    "import json, sys, time\n"
    "from pathlib import Path\n"
    "from journeymap.render.options import RenderOptions\n"
    "from journeymap.site.build import build_site\n"
    "start = time.perf_counter()\n"
    "report = build_site([Path(sys.argv[1])], Path(sys.argv[2]), RenderOptions(formats=('svg',)),"
    " jobs=2)\n"
    "wall = time.perf_counter() - start\n"
    "steps = {}\n"
    "for o in report.outcomes:\n"
    "    for k, v in o.steps.items(): steps[k] = steps.get(k, 0) + v\n"
    "print(json.dumps({'wall': wall, 'built': len(report.outcomes), 'noop': report.noop,"
    " 'cpu': sum(o.cpu_seconds for o in report.outcomes),"
    " 'peak': max([o.peak_mib for o in report.outcomes] or [0]), 'steps': steps}))\n"
)


def _site(src: Path, site: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", _SITE, str(src), str(site)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"site build failed:\n{proc.stderr[-3000:]}")
    stats: dict[str, float] = json.loads(proc.stdout.splitlines()[-1])
    return stats


def site_table(count: int, tmp: Path) -> list[str]:
    """Cold, no-op and one-changed builds with the default formats; the workers' accounting."""
    src = tmp / f"site-src-{count}"
    src.mkdir()
    for n in range(count):
        text = synthetic(50, personas=3, per_stage=5, seed=n).replace(
            "title: Synthetic journey of 50 touchpoints", f"title: Journey {n:03d}"
        )
        (src / f"journey-{n:03d}.yaml").write_text(text, encoding="utf-8")
    site = tmp / f"site-{count}"
    cold = _site(src, site)
    weight = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / count / 2**20
    noop = statistics.median(_site(src, site)["wall"] for _ in range(3))
    first = src / "journey-000.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("Journey 000", "Changed"))
    one = _site(src, site)
    steps = ", ".join(f"{k} {v / count:.2f} s" for k, v in sorted(cold["steps"].items()))
    return [
        f"| {count} journeys (10 stages x 5 touchpoints, 3 personas), SVG | "
        f"{cold['wall']:.1f} s | {cold['cpu'] / count:.2f} s ({steps}) | {noop:.2f} s | "
        f"{one['wall']:.2f} s | {weight:.2f} MiB | {cold['peak']:.0f} MiB |"
    ]


SITE_HEAD = [
    "| site | cold build, 2 jobs | CPU per journey (wall per step) | no-op rebuild | "
    "one journey changed | weight per journey | peak per worker |",
    "|---|---|---|---|---|---|---|",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer sizes, one run each")
    parser.add_argument("--no-site", action="store_true", help="skip the 200-journey build")
    parser.add_argument("--runs", type=int, default=5, help="turns against the anchor (>= 5)")
    args = parser.parse_args()
    sizes = [30, 500] if args.quick else [30, 100, 500, 2000]
    repeat = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        lines = anchor_table(max(5, args.runs), tmp)
        lines += ["", *journeys_table(sizes, repeat, tmp)]
        if not args.no_site:
            counts = [20] if args.quick else [20, 200]
            lines += ["", *SITE_HEAD, *(row for n in counts for row in site_table(n, tmp))]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
