"""Flow diagrams: exact DOT, escaping against injection, edges, the dot program, determinism."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from factories_curve_flow import bank, journey
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeymap.model.journey import Journey
from journeymap.output.graphviz import run_dot
from journeymap.render.flow import svg as flow
from journeymap.render.flow.dot import build_dot, escape_label
from journeymap.render.options import RenderOptions
from journeymap.source.diagnostics import RenderError, ToolMissingError

SVG = "{http://www.w3.org/2000/svg}"
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed")


def branching() -> Journey:
    return journey(
        [
            (
                "Find",
                [
                    {"id": "ad", "name": "Sees an ad", "channel": "social",
                     "emotions": {"ana": 1}, "next": ["site"]},
                    {"id": "site", "name": "Visits the site", "channel": "web",
                     "emotions": {"ana": -2}, "pain": ["high", "low"], "next": ["call", "apply"]},
                ],
            ),
            (
                "Apply",
                [
                    {"id": "call", "name": "Calls", "channel": "phone", "emotions": {},
                     "next": ["site"]},
                    {"id": "apply", "name": "Applies", "channel": "web",
                     "emotions": {"ana": 3}, "truth": True},
                ],
            ),
        ],
        title="Branches",
    )  # fmt: skip


EXPECTED = r"""digraph journey {
	graph [fontname="DejaVu Sans" fontsize=16 label="Branches (current state)\nfill: the worst emotion (dark red = negative, light blue = positive); heavy border: moment of truth; dashed orange arrow: channel switch" labelloc=t nodesep=0.35 rankdir=LR ranksep=0.6]
	node [fontname="DejaVu Sans" fontsize=11 margin="0.15,0.08" shape=box style="rounded,filled"]
	edge [color="#555555" fontname="DejaVu Sans" fontsize=9]
	subgraph cluster_0 {
		color="#bbbbbb" fillcolor="#fafafa" fontsize=13 label=Find style="rounded,filled"
		n0 [label="Sees an ad\n[social]\n+1 satisfied" fillcolor="#aed1e0"]
		n1 [label="Visits the site\n[web]\n−2 frustrated\n⚠ 2 pain points" fillcolor="#c33c29" fontcolor="#ffffff"]
	}
	subgraph cluster_1 {
		color="#bbbbbb" fillcolor="#fafafa" fontsize=13 label=Apply style="rounded,filled"
		n2 [label="Calls\n[phone]" fillcolor="#f2f2f2"]
		n3 [label="Applies\n[web]\n+3 delighted\n★ moment of truth" fillcolor="#eaf2fb" penwidth=3.5]
	}
	n0 -> n1 [color="#D55E00" penwidth=2 style=dashed]
	n1 -> n2 [color="#D55E00" penwidth=2 style=dashed]
	n1 -> n3
	n2 -> n1 [color="#D55E00" penwidth=2 style=dashed]
}
"""  # noqa: E501


def test_dot_source_is_exact() -> None:
    assert build_dot(branching()) == EXPECTED


def test_edges_default_to_file_order_when_no_touchpoint_has_next() -> None:
    j = journey([("A", [{"name": "one"}, {"name": "two"}]), ("B", [{"name": "three"}])])
    edges = [line.strip() for line in build_dot(j).splitlines() if "->" in line]
    assert edges == ["n0 -> n1", "n1 -> n2"]


def test_several_personas_each_show_their_number() -> None:
    source = build_dot(bank())
    assert "Ana the student: +1 satisfied" in source
    assert "_Cleo (retired): −3 angry" in source


HOSTILE = [
    'Quote " and \\" and \\\\" end',
    "\\N \\G \\E \\T \\H \\L \\l \\r \\n backslashes \\",
    '<<img src="/etc/passwd"/>>',
    "<b>bold</b>",
    "}; n99 [label=x]; subgraph cluster_x { n0 -> n99 } //",
    "line one\nline two\r\nthree",
    "] -> [ ; , = { }",
    "node",
    "-4.2",
    'URL="http://example.com" href=x',
]


def test_escape_label_neutralises_backslashes_and_quotes() -> None:
    assert escape_label('a\\Nb"c') == 'a\\\\Nb\\"c'
    assert escape_label("one\ntwo") == "one\\ntwo"


@pytest.mark.exe
@needs_dot
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_labels_cannot_change_the_graph(name: str) -> None:
    j = journey(
        [(name, [{"name": name, "channel": name}, {"name": "after"}])],
        (("ana", name, "#0072B2"),),
        title=name,
    )
    source = build_dot(j)
    assert "=<" not in source  # never an HTML-like label
    graph = json.loads(run_dot(source, "json"))
    names = {o["_gvid"]: o["name"] for o in graph["objects"]}
    assert sorted(names.values()) == ["cluster_0", "n0", "n1"]
    assert [(names[e["tail"]], names[e["head"]]) for e in graph["edges"]] == [("n0", "n1")]
    assert not any(key in obj for obj in graph["objects"] for key in ("URL", "href", "image"))
    svg = ET.fromstring(run_dot(source, "svg"))
    shown = "".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text"))
    assert "".join(name.split()) in "".join(shown.split())
    assert svg.find(f".//{SVG}image") is None


@pytest.mark.exe
@needs_dot
@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \\\"<>{}[];=\n'NGl&-"), min_size=1, max_size=30))
def test_any_text_is_shown_literally(name: str) -> None:
    j = journey([("Stage", [{"name": name}, {"name": "next"}])])
    svg = ET.fromstring(run_dot(build_dot(j), "svg"))
    nodes = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) == 2
    shown = "".join("".join(t.itertext()) for t in nodes[0].iter(f"{SVG}text"))
    assert "".join(name.split()) == "".join(shown.split())


def test_flow_svg_needs_no_graphviz(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = flow.render(bank(), RenderOptions(formats=("svg",)))
    assert [a.name for a in result.artifacts] == ["flow.dot", "flow.svg"]
    assert result.warnings == []


def test_dot_format_alone_needs_no_program() -> None:
    result = flow.render(bank(), RenderOptions(formats=("dot",)))
    assert [a.name for a in result.artifacts] == ["flow.dot"]
    assert result.warnings == []
    assert result.artifacts[0].data == build_dot(bank()).encode("utf-8")


def test_run_dot_without_graphviz_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError, match="choco install graphviz"):
        run_dot("digraph { a }")


def test_run_dot_stops_after_the_timeout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(RenderError, match=r"longer than 0\.3 s"):
        run_dot("digraph { a }", timeout=0.3)


@pytest.mark.exe
@needs_dot
def test_run_dot_reports_failure() -> None:
    with pytest.raises(RenderError, match="'dot' failed"):
        run_dot("digraph { a -> }")


def test_flow_svg_has_stages_nodes_and_styled_edges() -> None:
    result = flow.render(branching(), RenderOptions(formats=("svg",)))
    assert [a.name for a in result.artifacts] == ["flow.dot", "flow.svg"]
    svg = ET.fromstring(result.artifacts[1].data)
    groups: dict[str | None, list[ET.Element]] = {}
    for g in svg.iter(f"{SVG}g"):
        groups.setdefault(g.get("class"), []).append(g)
    assert len(groups["stage"]) == 2 and len(groups["node"]) + len(groups["node mot"]) == 4
    edges = [p for p in svg.iter(f"{SVG}path") if "edge" in (p.get("class") or "")]
    assert len(edges) == 4
    assert len([e for e in edges if e.get("stroke-dasharray")]) == 3  # social>web>phone>web
    (truth,) = groups["node mot"]
    assert truth.get("data-touchpoint") == "apply"
    assert truth.find(f"{SVG}rect").get("stroke-width") == "4"  # type: ignore[union-attr]


@pytest.mark.exe
def test_flow_bytes_are_identical_and_pdf_png_are_real() -> None:
    first = flow.render(bank(), RenderOptions())
    second = flow.render(bank(), RenderOptions())
    assert [a.name for a in first.artifacts] == ["flow.dot", "flow.svg", "flow.pdf", "flow.png"]
    assert [a.data for a in first.artifacts] == [a.data for a in second.artifacts]
    pdf = PdfReader(io.BytesIO(first.artifacts[2].data))
    assert "Compares accounts" in pdf.pages[0].extract_text()
    assert first.artifacts[3].data.startswith(b"\x89PNG")


def test_empty_stage_and_unknown_next_are_skipped() -> None:
    j = journey([("Empty", []), ("Full", [{"name": "a", "next": ["gone"]}, {"name": "b"}])])
    source = build_dot(j)
    assert "cluster_0" not in source and "cluster_1" in source
    assert "->" not in source


def test_subprocess_is_not_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real = subprocess.run

    def spy(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        assert not kwargs.get("shell")
        return real(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    if not HAS_DOT:
        pytest.skip("Graphviz 'dot' is not installed")
    monkeypatch.setattr(subprocess, "run", spy)
    run_dot("digraph { a }", timeout=10)
    assert calls[0][1:] == ["-Tsvg"]
