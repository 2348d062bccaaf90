"""Property-based tests: any valid journey renders; any broken file gives located diagnostics.

Budgets are small (``max_examples`` 30-60, no deadline) so the suite stays fast; the
strategies aim at the awkward corners (any Unicode text, empty stages, loops, gaps).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.check.validate import validate_file
from journeymap.output.graphviz import run_dot
from journeymap.render.flow.dot import build_dot, flow_edges
from journeymap.render.map.svg import render_svg
from journeymap.render.options import RenderOptions

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: Examples that import nothing, so a mutated copy stands alone in a temporary folder.
SEEDS = [EXAMPLES / n for n in ("bank.yaml", "saas-onboarding.yaml", "clinic-de.yaml")]
SVG = "{http://www.w3.org/2000/svg}"
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Any character a journey may hold: no surrogates, no controls but tab and newline,
#: no U+FFFE/U+FFFF (the validator rejects those with its own diagnostic).
CHARS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from("\t\n <>&\"'{}[]$\\%#")
TEXT = st.text(CHARS, min_size=1, max_size=40).filter(lambda s: s.strip() != "")


@st.composite
def journeys(draw: st.DrawFn) -> dict[str, Any]:
    """A valid journey as YAML data: any text, 1-3 personas, stages with 0-4 touchpoints."""
    personas = [{"id": f"p{i}", "name": draw(TEXT)} for i in range(draw(st.integers(1, 3)))]
    stage_sizes = draw(st.lists(st.integers(0, 4), min_size=1, max_size=4))
    if sum(stage_sizes) == 0:
        stage_sizes[0] = 1
    ids = [f"t{i}" for i in range(sum(stage_sizes))]
    stages = []
    count = 0
    for s, size in enumerate(stage_sizes):
        touchpoints = []
        for _ in range(size):
            tp: dict[str, Any] = {"id": ids[count], "name": draw(TEXT)}
            count += 1
            if draw(st.booleans()):
                tp["thought"] = draw(TEXT)
            emotions = {p["id"]: draw(st.integers(-3, 3)) for p in personas if draw(st.booleans())}
            if emotions:
                tp["emotion"] = emotions
            if draw(st.booleans()):
                tp["pain_points"] = [draw(TEXT)]
            if draw(st.booleans()):
                tp["next"] = draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
            touchpoints.append(tp)
        stages.append({"id": f"s{s}", "name": draw(TEXT), "touchpoints": touchpoints})
    return {"journeymap": 1, "title": draw(TEXT), "personas": personas, "stages": stages}


def _write(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "j.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")
@SETTINGS
@given(journeys())
def test_any_valid_journey_renders_map_and_flow(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = validate_file(_write(Path(tmp), data))
    assert result.ok, [str(d) for d in result.diagnostics]
    journey = result.journey
    assert journey is not None
    svg = ET.fromstring(render_svg(journey, RenderOptions()))
    shown = "".join("".join(svg.itertext()).split())
    assert "".join(journey.title.split()) in shown
    assert svg.find(f".//{SVG}script") is None and svg.find(f".//{SVG}foreignObject") is None
    graph = json.loads(run_dot(build_dot(journey), "json"))
    names = {o["name"] for o in graph.get("objects", [])}
    assert {f"n{i}" for i in range(len(journey.touchpoints))} <= names
    assert len(graph.get("edges", [])) == len(flow_edges(journey))


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    """One random damage: cut, delete a line, overwrite bytes, or retype a value."""
    kind = data.draw(st.sampled_from(["truncate", "delete-line", "bytes", "retype", "dedent"]))
    lines = raw.split(b"\n")
    if kind == "truncate":
        return raw[: data.draw(st.integers(0, len(raw)))]
    if kind == "delete-line":
        del lines[data.draw(st.integers(0, len(lines) - 1))]
    elif kind == "bytes":
        at = data.draw(st.integers(0, len(raw) - 1))
        junk = data.draw(st.binary(min_size=1, max_size=8))
        return raw[:at] + junk + raw[at + len(junk) :]
    elif kind == "retype":
        keyed = [i for i, line in enumerate(lines) if b": " in line]
        i = data.draw(st.sampled_from(keyed))
        key, _, _ = lines[i].partition(b": ")
        value = data.draw(st.sampled_from([b"[1, 2]", b"{a: b}", b"12", b"true", b"null", b"~"]))
        lines[i] = key + b": " + value
    else:
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i].lstrip(b" ")
    return b"\n".join(lines)


@SETTINGS
@given(st.sampled_from(SEEDS), st.data())
def test_damaged_files_give_located_diagnostics(seed: Path, data: st.DataObject) -> None:
    damaged = _mutate(seed.read_bytes(), data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / seed.name
        path.write_bytes(damaged)
        result = validate_file(path)
    for diagnostic in result.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.col >= 1, str(diagnostic)
        assert diagnostic.message
    if not result.ok:
        assert result.journey is None


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "noise.yaml"
        path.write_bytes(b"journeymap: 1\n" + raw)
        result = validate_file(path)
    assert not result.ok or result.journey is not None
    assert all(d.line >= 1 for d in result.diagnostics)
