"""Journeys built in Python for the curve and flow tests (no YAML loader needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from journeymap.model.journey import Journey, Note, Persona, Stage, Touchpoint

Spec = Mapping[str, object]


def journey(
    stages: Sequence[tuple[str, Sequence[Spec]]],
    personas: Sequence[tuple[str, str, str]] = (("ana", "Ana", "#0072B2"),),
    *,
    title: str = "Open an account",
    state: str = "current",
) -> Journey:
    """A journey from ``(stage name, [touchpoint spec, ...])`` pairs.

    A spec holds ``name`` and optionally ``id``, ``channel``, ``emotions``
    (persona id -> value), ``pain`` (severities), ``truth`` and ``next``.
    """
    built = []
    index = 0
    for s, (stage_name, specs) in enumerate(stages):
        tps = []
        for spec in specs:
            emotions = dict(spec.get("emotions", {}))  # type: ignore[call-overload]
            tps.append(
                Touchpoint(
                    id=str(spec.get("id", f"t{index}")),
                    name=str(spec["name"]),
                    stage_id=f"s{s}",
                    index=index,
                    channel=spec.get("channel"),  # type: ignore[arg-type]
                    channel_name=spec.get("channel"),  # type: ignore[arg-type]
                    personas=tuple(emotions) or tuple(p[0] for p in personas),
                    emotions=emotions,
                    pain_points=tuple(
                        Note(f"pain {k}", severity=sev)  # type: ignore[arg-type]
                        for k, sev in enumerate(spec.get("pain", ()))  # type: ignore[arg-type]
                    ),
                    moment_of_truth=bool(spec.get("truth", False)),
                    next=tuple(spec.get("next", ())),  # type: ignore[arg-type]
                )
            )
            index += 1
        built.append(Stage(id=f"s{s}", name=stage_name, index=s, touchpoints=tuple(tps)))
    return Journey(
        id="j",
        title=title,
        stages=tuple(built),
        personas=tuple(Persona(id=p, name=n, color=c) for p, n, c in personas),
        state=state,  # type: ignore[arg-type]
    )


BANK_PERSONAS = (
    ("ana", "Ana the student", "#0072B2"),
    ("ben", "Ben, small business", "#D55E00"),
    ("_cleo", "_Cleo (retired)", "#009E73"),
)


def bank() -> Journey:
    """Three personas, gaps, pain points, moments of truth, channel switches."""
    return journey(
        [
            (
                "Discover",
                [
                    {
                        "name": "Sees an ad costing $5 and $10",
                        "channel": "social",
                        "emotions": {"ana": 1, "ben": 0},
                    },
                    {
                        "name": "Compares accounts online",
                        "channel": "web",
                        "emotions": {"ana": 2, "ben": 1, "_cleo": -1},
                        "pain": ["low"],
                    },
                ],
            ),
            (
                "Apply",
                [
                    {
                        "name": "Fills in the application form",
                        "channel": "web",
                        "emotions": {"ana": 1, "ben": -1, "_cleo": -2},
                        "pain": ["medium", "high"],
                    },
                    {
                        "name": "Uploads ID documents",
                        "channel": "app",
                        "emotions": {"ana": 0, "_cleo": -3},
                        "pain": ["critical"],
                    },
                    {
                        "name": "Calls the helpline",
                        "channel": "phone",
                        "emotions": {"ben": -3, "_cleo": -1},
                        "truth": True,
                    },
                ],
            ),
            (
                "Onboard",
                [
                    {
                        "name": "Receives the card 口座開設",
                        "channel": "post",
                        "emotions": {"ana": 3, "ben": 1, "_cleo": 2},
                        "truth": True,
                    },
                    {
                        "name": "First login",
                        "channel": "app",
                        "emotions": {"ana": 2, "ben": 2, "_cleo": 0},
                    },
                ],
            ),
        ],
        BANK_PERSONAS,
        title="Bank account: $\\frac{$ opening",
    )
