"""Time the curve and flow renderers on a synthetic 500-touchpoint journey.

Run ``python benchmarks/bench_curve_flow.py``; prints seconds per renderer and format.
The target: curve and flow as SVG together in under 3 s.
"""

from __future__ import annotations

import time

from journeymap.model.journey import Journey, Note, Persona, Stage, Touchpoint
from journeymap.render import curve
from journeymap.render.flow import svg as flow
from journeymap.render.options import RenderOptions

CHANNELS = ("web", "app", "phone", "branch")


def synthetic(touchpoints: int = 500, stages: int = 20) -> Journey:
    """A journey with ``touchpoints`` spread over ``stages``, two personas, some branches."""
    personas = (Persona("ana", "Ana", "#0072B2"), Persona("ben", "Ben", "#D55E00"))
    per_stage = touchpoints // stages
    built = []
    for s in range(stages):
        tps = []
        for k in range(per_stage):
            i = s * per_stage + k
            nxt = [f"t{i + 1}"] if i + 1 < touchpoints else []
            if i % 37 == 5 and i + 3 < touchpoints:
                nxt.append(f"t{i + 3}")
            emotions = {"ana": i % 7 - 3}
            if i % 5:
                emotions["ben"] = (i * 3) % 7 - 3
            tps.append(
                Touchpoint(
                    id=f"t{i}",
                    name=f"Touchpoint {i} of the synthetic journey",
                    stage_id=f"s{s}",
                    index=i,
                    channel=CHANNELS[(i // 3) % len(CHANNELS)],
                    channel_name=CHANNELS[(i // 3) % len(CHANNELS)],
                    personas=tuple(emotions),
                    emotions=emotions,
                    pain_points=(Note("slow", "high"),) if i % 11 == 0 else (),
                    moment_of_truth=i % 50 == 0,
                    next=tuple(nxt),
                )
            )
        built.append(Stage(f"s{s}", f"Stage {s}", s, touchpoints=tuple(tps)))
    return Journey("bench", "Synthetic benchmark journey", tuple(built), personas)


def timed(label: str, func: object, *args: object) -> float:
    start = time.perf_counter()
    result = func(*args)  # type: ignore[operator]
    took = time.perf_counter() - start
    sizes = ", ".join(f"{a.name} {len(a.data) // 1024} KiB" for a in result.artifacts)
    print(f"{label:<28} {took:6.2f} s   {sizes}")
    return took


def main() -> None:
    journey = synthetic()
    print(f"{len(journey.touchpoints)} touchpoints, {len(journey.stages)} stages")
    svg = RenderOptions(formats=("svg",))
    # The first curve pays for importing matplotlib and building its font cache.
    total = timed("curve svg (cold)", curve.render, journey, svg)
    total += timed("flow svg", flow.render, journey, svg)
    print(f"{'curve + flow svg':<28} {total:6.2f} s   (target: under 3 s)")
    timed("curve svg (warm)", curve.render, journey, svg)
    timed("curve png", curve.render, journey, RenderOptions(formats=("png",)))
    timed("curve pdf", curve.render, journey, RenderOptions(formats=("pdf",)))


if __name__ == "__main__":
    main()
