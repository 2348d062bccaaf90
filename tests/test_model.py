"""The model built from files: words resolved, defaults filled, per-persona views."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap
from journeymap import JourneyError

CASES = Path(__file__).parent / "cases"


def test_emotions_defaults_and_channels() -> None:
    journey = journeymap.load(CASES / "valid" / "per-persona.yaml")
    look, buy = journey.touchpoints
    assert look.emotions == {"ann": 2, "bo": -1}  # "Happy" resolved case-insensitively
    assert look.channel_name == "Website"
    assert look.personas == ("ann", "bo")  # default: everyone
    assert look.next == ("buy",)  # default: the following touchpoint
    assert buy.next == ()  # explicit empty list ends the journey
    assert buy.emotion("bo") is None  # a gap, not zero
    assert journey.persona("ann").color == "#123"
    assert journey.persona("bo").color.startswith("#")
    assert journey.scenarios[0].touchpoint == "look"


def test_for_persona_keeps_only_their_touchpoints() -> None:
    journey = journeymap.load(CASES / "valid" / "per-persona.yaml").for_persona("bo")
    assert [tp.id for tp in journey.touchpoints] == ["look"]
    assert journey.touchpoints[0].next == ()
    assert [p.id for p in journey.personas] == ["bo"]
    assert journey.id == "per-persona-bo"  # distinct SVG ids for each view


def test_journey_without_personas_gets_an_implicit_one() -> None:
    journey = journeymap.load(CASES / "valid" / "custom-scale.yaml")
    (persona,) = journey.personas
    assert persona.implicit
    assert [tp.emotion(persona.id) for tp in journey.touchpoints] == [5, 3]
    assert journey.scale.describe(5) == "begeistert"


def test_imported_personas_are_merged() -> None:
    journey = journeymap.load(CASES / "valid" / "imports-library.yaml")
    assert [p.id for p in journey.personas] == ["ann"]


def test_load_raises_with_every_diagnostic() -> None:
    with pytest.raises(JourneyError) as info:
        journeymap.load(CASES / "invalid" / "unknown-scenario-refs.yaml")
    assert len(info.value.diagnostics) == 2
    assert "unknown touchpoint 'lok'" in str(info.value)


def test_bank_example_builds(examples: Path) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    assert journey.id == "bank"
    assert len(journey.personas) == 3
    assert len(journey.stages) == 6
    assert len(journey.scenarios) == 2


def test_for_persona_follows_links_through_skipped_touchpoints(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(
        "journeymap: 1\ntitle: t\npersonas:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"
        "stages:\n  - name: s\n    touchpoints:\n"
        "      - {name: one, personas: [a, b]}\n"
        "      - {name: two, personas: [b], next: [three, one]}\n"
        "      - {name: three, personas: [a, b]}\n"
        "      - {name: four, personas: [a]}\n"
    )
    journey = journeymap.load(path).for_persona("a")
    assert [(tp.id, tp.next) for tp in journey.touchpoints] == [
        ("one", ("three",)),  # one -> two (skipped) -> three, and two's loop back to one
        ("three", ("four",)),
        ("four", ()),
    ]
