"""Time a 200-scenario role-play deck (100 authored, 100 generated) to HTML and PDF.

Run ``python benchmarks/bench_cards.py``; prints seconds per step, then the PDF step alone
(SVG sheets to PDF) with ``journeymap.output.pdfwrite`` and with rsvg-convert.
The target: the whole deck as PDF in under 5 s.
"""

from __future__ import annotations

import time

from journeymap.model.journey import Journey, Note, Persona, Scenario, Stage, Touchpoint
from journeymap.render.cards import CardOptions, render

SEVERITIES = ("medium", "high", "critical")


def synthetic(scenarios: int = 200) -> Journey:
    """A journey with ``scenarios // 2`` authored scenarios and as many uncovered pain points."""
    personas = (
        Persona(
            "ana",
            "Ana Lima",
            "#0072B2",
            role="Nurse",
            description="Works night shifts.",
            goals=("Sort it out in one call",),
            frustrations=("Being put on hold",),
        ),
        Persona("ben", "Ben Cole", "#D55E00", role="Student"),
    )
    half = scenarios // 2
    tps = [
        Touchpoint(
            id=f"t{i}",
            name=f"Moment {i} of the journey",
            stage_id=f"s{i // 20}",
            index=i,
            channel_name="phone",
            action=f"I call about problem number {i} and explain it from the start.",
            thought="Why do I have to explain this again to someone new?",
            emotions={"ana": i % 7 - 3, "ben": (i * 3) % 7 - 3},
            pain_points=(
                Note(
                    f"Problem {i}: the agent cannot see earlier contacts, so the "
                    "customer repeats everything",
                    SEVERITIES[i % 3],
                    owner="Service",
                ),
            ),
            opportunities=(Note("Show the last three contacts on the agent's screen"),),
            backstage="Contacts are stored in two systems that do not talk to each other.",
        )
        for i in range(2 * half)
    ]
    stages = tuple(
        Stage(
            f"s{s}",
            f"Stage {s}",
            s,
            goal="Resolved at first contact",
            touchpoints=tuple(t for t in tps if t.stage_id == f"s{s}"),
        )
        for s in range((2 * half + 19) // 20)
    )
    authored = tuple(
        Scenario(
            f"a{i}",
            f"Hand-written scenario {i}: a customer calls back",
            touchpoint=f"t{i}",
            persona="ana",
            customer_brief="You called twice already. " * 8,
            opening_line="This is the third time I am calling.",
            staff_objective="Resolve it on this call.",
            guidance=("Apologise once, then act.",) * 4,
            avoid=("Transferring the call",),
            debrief=("What changed the customer's mood?",) * 3,
        )
        for i in range(half)
    )
    return Journey("bench", "Benchmark journey", stages, personas, scenarios=authored)


def main() -> None:
    journey = synthetic()
    for formats in (("html",), ("pdf",), ("html", "pdf")):
        start = time.perf_counter()
        result = render(journey, CardOptions(formats=formats, duplex=True))
        elapsed = time.perf_counter() - start
        sizes = ", ".join(f"{a.name} {len(a.data) // 1024} KiB" for a in result.artifacts)
        print(f"{'+'.join(formats):9s} {elapsed:6.2f} s  ({sizes})")
    pdf_step(journey)


def pdf_step(journey: Journey) -> None:
    """Time only the SVG-to-PDF conversion of the deck's sheets, both ways."""
    from journeymap.output import convert, pdfwrite
    from journeymap.render.cards.layout import Geometry
    from journeymap.render.cards.render import _FILLS, build_deck
    from journeymap.render.cards.scenarios import collect
    from journeymap.render.map.svg import num
    from journeymap.render.templating import environment
    from journeymap.text import fit

    deck = build_deck(journey, collect(journey), Geometry("a4", 4), True)
    context = {
        "deck": deck, "n": num, "fills": _FILLS, "font": fit.FONT_FAMILY,
        "family_for": fit.family_for,
    }  # fmt: skip
    template = environment(None).get_template("cards/sheet.svg.j2")
    pages = [template.render(context, sheet=sheet).encode() for sheet in deck.sheets]
    for name, convert_pages in (("pdfwrite", pdfwrite.svgs_to_pdf), ("rsvg", convert.svgs_to_pdf)):
        start = time.perf_counter()
        convert_pages(pages)
        elapsed = time.perf_counter() - start
        print(f"{name:9s} {elapsed:6.2f} s  ({len(pages)} pages, PDF step only, fonts cached)")


if __name__ == "__main__":
    main()
