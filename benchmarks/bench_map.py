"""Benchmark: journey-map SVG time for a synthetic journey, and how it grows with size.

Run with ``python benchmarks/bench_map.py``. Prints the time for 500 touchpoints and
5 personas, then a table for 100, 250, 500 and 1000 touchpoints with the time per
touchpoint, which stays flat when the cost grows linearly.
"""

from __future__ import annotations

import time

from journeymap.model.journey import PERSONA_PALETTE, Journey, Note, Persona, Stage, Touchpoint
from journeymap.render.map.svg import render_svg
from journeymap.render.options import RenderOptions

SEVERITIES = ("low", "medium", "high", "critical")


def synthetic(touchpoints: int, personas: int = 5, per_stage: int = 10) -> Journey:
    """A journey with every lane filled, ``per_stage`` touchpoints a stage."""
    people = tuple(
        Persona(id=f"p{i}", name=f"Persona {i}", color=PERSONA_PALETTE[i], role="Customer")
        for i in range(personas)
    )
    stages = []
    for s in range(0, touchpoints, per_stage):
        tps = tuple(
            Touchpoint(
                id=f"tp-{k}",
                name=f"Touchpoint number {k} with a longer name",
                stage_id=f"s{s}",
                index=k,
                channel="web",
                channel_name="Website",
                personas=tuple(p.id for p in people),
                action=f"The customer does step {k} and reads the instructions on the page.",
                thought=f"I wonder whether step {k} is the last one; it has taken a while.",
                emotions={p.id: (k * 3 + i) % 7 - 3 for i, p in enumerate(people)},
                pain_points=(Note(f"Problem {k} slows people down.", SEVERITIES[k % 4]),),
                opportunities=(Note(f"Remove step {k} for returning customers."),),
                metrics={"minutes": k % 9, "conversion": 0.5},
                moment_of_truth=k % 17 == 0,
                owner="Digital team",
                backstage="A back-office system checks the data.",
            )
            for k in range(s, min(s + per_stage, touchpoints))
        )
        stages.append(Stage(id=f"s{s}", name=f"Stage {s // per_stage}", index=s, touchpoints=tps))
    return Journey(id="bench", title="Benchmark", stages=tuple(stages), personas=people)


def best_of(journey: Journey, runs: int = 3) -> float:
    """The fastest of ``runs`` SVG renders, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render_svg(journey, RenderOptions(formats=("svg",)))
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    render_svg(synthetic(20), RenderOptions())  # warm up: templates, font tables
    print(f"500 touchpoints x 5 personas: {best_of(synthetic(500)):.3f} s (target < 2 s)")
    print(f"{'touchpoints':>11}  {'seconds':>8}  {'ms/touchpoint':>13}")
    for size in (100, 250, 500, 1000):
        seconds = best_of(synthetic(size))
        print(f"{size:>11}  {seconds:>8.3f}  {1000 * seconds / size:>13.3f}")


if __name__ == "__main__":
    main()
