"""Benchmark: the atlas's aggregate pages for a 200-journey site (target: at most 2 s).

Run with ``python benchmarks/bench_atlas.py [JOURNEYS] [TOUCHPOINTS]``. Builds synthetic
journeys (5 shared personas, a pain point and an opportunity per touchpoint, every fifth
pain point sharing an id across journeys, 20 owners), makes their summaries as the site's
workers do, then times what every build does after the workers: aggregating, and rendering
the backlog, channel, owner and persona pages, the index and ``journeys.json``.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time

from bench_map import synthetic

from journeymap.model.journey import Journey, Note
from journeymap.site import pages
from journeymap.site.atlas import aggregate, atlas_pages, public


def journey(number: int, touchpoints: int) -> Journey:
    """Journey ``number``: the synthetic one with its own title, owners and shared ids."""
    base = synthetic(touchpoints)
    stages = []
    for stage in base.stages:
        tps = []
        for tp in stage.touchpoints:
            k = tp.index
            note = dataclasses.replace(
                tp.pain_points[0], id=f"shared-{k}" if k % 5 == 0 else None, owner=None
            )
            tps.append(
                dataclasses.replace(
                    tp,
                    channel_name=("Website", "Phone", "Store")[(k + number) % 3],
                    owner=f"Team {(number + k) % 20}",
                    pain_points=(note,),
                    opportunities=(Note(f"Idea {k} of journey {number}"),),
                )
            )
        stages.append(dataclasses.replace(stage, touchpoints=tuple(tps)))
    return dataclasses.replace(
        base, id=f"j{number}", title=f"Journey {number}", owner=f"Team {number % 20}",
        stages=tuple(stages), tags=(f"tag{number % 7}",),
    )  # fmt: skip


def summaries(count: int, touchpoints: int) -> list[dict[str, object]]:
    """The summaries the site's workers would keep for ``count`` synthetic journeys."""
    return [pages.summary(journey(n, touchpoints), f"j{n}", f"j{n}.yaml", []) for n in range(count)]


def aggregate_pages(made: list[dict[str, object]]) -> tuple[dict[str, object], dict[str, bytes]]:
    """What every build does after its workers: the atlas data and the top-level pages."""
    data = aggregate(made)  # type: ignore[arg-type]
    m = pages.site_messages(made)  # type: ignore[arg-type]
    out = atlas_pages(data, None, "Bench", m)
    out["index.html"] = pages.index_page(made, None, "Bench", data, m)  # type: ignore[arg-type]
    out["journeys.json"] = pages.journeys_json(made, public(data))  # type: ignore[arg-type]
    return data, out


def main(count: int = 200, touchpoints: int = 12) -> None:
    made = summaries(count, touchpoints)
    times, cpu = [], []
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        data, out = aggregate_pages(made)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    size = sum(len(v) for v in out.values())
    print(
        f"{count} journeys x {touchpoints} touchpoints: {len(data['backlog'])} backlog items,"
        f" {len(out)} pages, {size / 1e6:.1f} MB; aggregate pages in {min(times):.2f} s"
        f" (best of 3; {', '.join(f'{t:.2f}' for t in times)}), CPU {min(cpu):.2f} s"
        f" (median {statistics.median(cpu):.2f} s)"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
