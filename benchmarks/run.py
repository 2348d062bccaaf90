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
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def synthetic(
    touchpoints: int, personas: int = 5, per_stage: int = 10, seed: int = 1, place: str = ""
) -> str:
    """A realistic-looking journey with every lane filled; ``place`` in its texts makes them
    differ from another journey's (what is made per text, a wrapped line, is then not reused)."""
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
                f"      - name: Touchpoint {i} with a realistic name{place}",
                f"        channel: {rng.choice(['web', 'app', 'phone', 'branch'])}",
                f"        action: The customer does step {i}{place} and waits for an answer",
                f'        thought: "Why does step {i}{place} take so long? I have other things'
                ' to do."',
                f"        emotion: {{{emotions}}}",
                "        pain_points:",
                f"          - {{text: Slow answer at step {i}{place}, severity: medium}}",
                "        opportunities: [Answer within a minute]",
                "        metrics: {csat: 3.5, minutes: 4}",
                f"        moment_of_truth: {'true' if i % 7 == 0 else 'false'}",
            ]
    return "\n".join(lines) + "\n"


def measure(argv: list[str], repeat: int, floor: bool = False) -> tuple[float, float, float]:
    """Median wall seconds, median CPU seconds (user + system, children included) and peak
    MiB of ``journeymap ARGV`` (or the parse floor) cold."""
    times, cpus, peaks = [], [], []
    for _ in range(repeat):
        code = _FLOOR if floor else _WRAPPER
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        err = proc.stderr.read()
        proc.stderr.close()
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"failed: journeymap {' '.join(argv)}\n{err[-3000:]}")
        line = next(x for x in err.splitlines() if x.startswith("MAXRSS"))
        me, kids = map(int, line.split()[1:])
        peaks.append(max(me, kids) / 1024)
    return statistics.median(times), statistics.median(cpus), max(peaks)


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds one run of ``argv`` took, and its CPU seconds (user + system, with every
    child it and they waited for: rsvg-convert, Chromium); exits when it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{err.decode(errors='replace')[-3000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


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
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for k in range(runs):
        # Alternate with the anchor, rotating our figures so none always runs first.
        ours_order = names[1:][k % (len(names) - 1) :] + names[1:][: k % (len(names) - 1)]
        for name in ours_order:
            for run in ("mmdc", name):
                wall, cpu = timed(commands[run])
                times[run].append(wall)
                cpus[run].append(cpu)
    anchor = statistics.median(times["mmdc"])
    anchor_cpu = statistics.median(cpus["mmdc"])
    rows = [
        f"Anchor: {described}, median of {len(times['mmdc'])} runs: {anchor:.2f} s wall, "
        f"{anchor_cpu:.2f} s CPU.",
        "",
        "| 30 touchpoints, 3 personas | wall (median) | wall ratio to mmdc | CPU (median) "
        "| CPU ratio to mmdc | target |",
        "|---|---|---|---|---|---|",
    ]
    for name in ours:
        wall = statistics.median(times[name])
        cpu = statistics.median(cpus[name])
        rows.append(
            f"| {name} | {wall:.2f} s | {wall / anchor:.2f}x | {cpu:.2f} s | "
            f"{cpu / anchor_cpu:.2f}x | {targets.get(name, '')} |"
        )
    return rows


def journeys_table(sizes: list[int], repeat: int, tmp: Path) -> list[str]:
    """Each figure as wall / CPU seconds (CPU: user + system of the process and its children)."""
    rows = [
        "| journey | parse only (floor) | validate | map SVG | all outputs | cards | peak MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        src = tmp / f"j{size}.yaml"
        src.write_text(synthetic(size), encoding="utf-8")
        out = tmp / f"out{size}"
        cells, peaks = [], []
        for argv, runs in (
            ([str(src)], repeat),
            (["validate", str(src)], repeat),
            (["render", str(src), "-o", str(out), "--what", "map", "--format", "svg"], repeat),
            # rsvg-convert may take longer than the default minute on a busy machine.
            (["render", str(src), "-o", str(out), "--timeout", "900"], max(1, repeat - 2)),
            (["cards", str(src), "-o", str(out)], max(1, repeat - 2)),
        ):
            wall, cpu, peak = measure(argv, runs, floor=len(argv) == 1)
            cells.append(f"{wall:.2f} / {cpu:.2f} s")
            peaks.append(peak)
        rows.append(f"| {size} touchpoints | {' | '.join(cells)} | {max(peaks[1:]):.0f} |")
        print(rows[-1], file=sys.stderr, flush=True)  # progress: the table prints at the end
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
    "import resource\n"
    "me = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(json.dumps({'wall': wall, 'built': len(report.outcomes), 'noop': report.noop,"
    " 'cpu': sum(o.cpu_seconds for o in report.outcomes), 'own': me.ru_utime + me.ru_stime,"
    " 'peak': max([o.peak_mib for o in report.outcomes] or [0]), 'steps': steps}))\n"
)


def _site(src: Path, site: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _SITE, str(src), str(site)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"site build failed:\n{proc.stderr[-3000:]}")
    stats: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    return stats


def site_table(count: int, tmp: Path, touchpoints: int = 50) -> list[str]:
    """Cold, no-op and one-changed builds with the default formats; the workers' accounting
    (CPU per journey, peak per worker), and the no-op's own CPU time (it starts no worker)."""
    src = tmp / f"site-src-{count}-{touchpoints}"
    src.mkdir()
    for n in range(count):
        text = synthetic(touchpoints, 3, 5, seed=n, place=f" in {n:03d}").replace(
            f"title: Synthetic journey of {touchpoints} touchpoints", f"title: Journey {n:03d}"
        )
        (src / f"journey-{n:03d}.yaml").write_text(text, encoding="utf-8")
    site = tmp / f"site-{count}-{touchpoints}"
    cold = _site(src, site)
    weight = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / count / 2**20
    noops = [_site(src, site) for _ in range(3)]
    noop = statistics.median(n["wall"] for n in noops)
    noop_cpu = statistics.median(n["own"] for n in noops)
    first = src / "journey-000.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("Journey 000", "Changed"))
    one = _site(src, site)
    steps = ", ".join(f"{k} {v / count:.2f} s" for k, v in sorted(cold["steps"].items()))
    return [
        f"| {count} journeys ({touchpoints // 5} stages x 5 touchpoints, 3 personas), SVG | "
        f"{cold['wall']:.1f} s | {cold['cpu'] / count:.2f} s ({steps}; the parent "
        f"{cold['own']:.1f} s in all) | "
        f"{noop:.2f} s ({noop_cpu:.2f} s CPU) | {one['wall']:.2f} s | {weight:.2f} MiB | "
        f"{cold['peak']:.0f} MiB |"
    ]


SITE_HEAD = [
    "| site | cold build, 2 jobs | CPU per journey (wall per step) | no-op rebuild | "
    "one journey changed | weight per journey | peak per worker |",
    "|---|---|---|---|---|---|---|",
]


def compiled() -> None:
    """Byte-compile journeymap as an installed wheel is: an editable checkout run with
    ``PYTHONDONTWRITEBYTECODE`` (set on this machine) compiles every module in every
    process, 0.2 s of CPU that no installed user pays."""
    import compileall

    package = Path(__file__).resolve().parent.parent / "journeymap"
    if not compileall.compile_dir(str(package), quiet=1):
        sys.exit(f"cannot byte-compile {package}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer sizes, one run each")
    parser.add_argument("--no-site", action="store_true", help="skip the 200-journey build")
    parser.add_argument("--runs", type=int, default=5, help="turns against the anchor (>= 5)")
    parser.add_argument("--anchor-only", action="store_true", help="only the ratio table")
    args = parser.parse_args()
    compiled()
    sizes = [30, 500] if args.quick else [30, 100, 500, 2000]
    repeat = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        lines = anchor_table(max(5, args.runs), tmp)
        print("\n".join(lines), file=sys.stderr, flush=True)
        if not args.anchor_only:
            lines += ["", *journeys_table(sizes, repeat, tmp)]
        if not (args.no_site or args.anchor_only):
            lines += ["", *SITE_HEAD]
            sites = [(20, 50)] if args.quick else [(20, 50), (4, 100), (200, 50)]
            for count, touchpoints in sites:
                lines += site_table(count, tmp, touchpoints)
                print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
