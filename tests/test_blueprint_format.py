"""The blueprint and time keys: reading times, the model they build, and that they change no
other picture (a file with them renders the map, curve and flow exactly as the same file
without them)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from journeymap.check.validate import load
from journeymap.model.duration import DurationError, parse_duration
from journeymap.model.journey import Action, Actor, Journey
from journeymap.render import curve
from journeymap.render.flow.dot import build_dot
from journeymap.render.map.svg import render_svg
from journeymap.render.options import RenderOptions
from journeymap.source.loader import parse

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
VALID = ROOT / "tests" / "cases" / "valid" / "blueprint-and-time.yaml"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0s", 0),
        ("90 s", 90),
        ("3 min", 180),
        ("2 h", 7200),
        ("3 days", 259200),
        ("1 h 30 min", 5400),
        ("1.5 h", 5400),
        ("2 weeks", 1209600),
        ("P3D", 259200),
        ("PT90S", 90),
        ("PT1H30M", 5400),
        ("P1W2D", 777600),
        ("pt1m", 60),
    ],
)
def test_times_are_read_in_seconds(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "3", "P", "PT", "-3 s", "soon", "3 parsecs", "P1M", "P1Y"])
def test_unreadable_times_say_what_to_write(text: str) -> None:
    with pytest.raises(DurationError, match="write"):
        parse_duration(text)


def test_the_model_holds_lanes_actors_times_and_fail_points() -> None:
    journey = load(VALID)
    assert journey.actors[1] == Actor("core", "Core banking", "system", "#0072B2")
    assert journey.actors[2] == Actor("post", "post", "staff", None)
    form, wait, arrives, first = journey.touchpoints
    assert form.evidence == ("Paper form", "Receipt")
    assert form.frontstage == (Action("Greets the customer"), Action("Checks the ID", "clerk"))
    assert form.backstage == "Scans the form"
    assert form.backstage_actions == (Action("Scans the form"),)
    assert form.support == (Action("Stores the application", "core"),)
    assert [n.fail_point for n in form.pain_points] == [True, False]
    assert (form.at, form.duration) == (0, 90)
    assert wait.backstage == "Prints the card; Posts it"
    assert wait.backstage_actions == (Action("Prints the card", "post"), Action("Posts it"))
    assert (wait.at, arrives.at, arrives.duration, first.at) == (5400, 7200, 259200, 777600)
    assert journey.stages[0].duration == 259200
    assert journey.has_blueprint


_KEYS = ("evidence", "frontstage", "support", "at", "duration")


def _strip(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without any blueprint or time key (a list backstage as the map's one text)."""
    data.pop("actors", None)
    for stage in data["stages"]:
        stage.pop("duration", None)
        for tp in stage.get("touchpoints") or ():
            for key in _KEYS:
                tp.pop(key, None)
            if isinstance(tp.get("backstage"), list):
                steps = [s if isinstance(s, str) else s["text"] for s in tp["backstage"]]
                tp["backstage"] = "; ".join(steps)
            for note in tp.get("pain_points") or ():
                if isinstance(note, dict):
                    note.pop("fail_point", None)
    return data


def _without_waits(dot: str) -> str:
    """The DOT source without the wait labels ``at`` puts on edges (tested on their own)."""
    return re.sub(r'(-> n\d+ \[)label="[^"]*" ?', r"\1", dot).replace(" []", "")


def _pictures(journey: Journey) -> list[bytes]:
    options = RenderOptions(formats=("svg",))
    pictures = [
        render_svg(journey, options),
        _without_waits(build_dot(journey)).encode(),
    ]
    return pictures + [a.data for a in curve.render(journey, options).artifacts]


def _written(tmp_path: Path, name: str, data: dict[str, Any]) -> Journey:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "j.yaml").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for sub in ("shared", "data"):  # libraries, and the evidence exports
        if (ROOT / "examples" / sub).is_dir():
            (folder / sub).mkdir()
            for lib in (ROOT / "examples" / sub).iterdir():
                (folder / sub / lib.name).write_bytes(lib.read_bytes())
    return load(folder / "j.yaml")


@pytest.mark.parametrize("path", [*EXAMPLES, VALID], ids=lambda p: p.stem)
def test_blueprint_keys_change_no_other_picture(path: Path, tmp_path: Path) -> None:
    data = parse(path.read_text(encoding="utf-8"), str(path)).data
    whole = _written(tmp_path, "whole", data)
    stripped = _written(tmp_path, "stripped", _strip(data))
    assert _pictures(stripped) == _pictures(whole)


def test_flow_edges_carry_the_wait_between_timed_touchpoints() -> None:
    dot = build_dot(load(VALID))
    assert '\tn0 -> n1 [label="88 minutes"]' in dot  # 1 h 30 min less the 90 s form
    assert '\tn1 -> n2 [label="30 minutes"]' in dot
    assert '\tn2 -> n3 [label="6 days"]' in dot  # P1W2D less PT2H and 3 days
