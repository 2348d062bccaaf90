"""Mermaid journey export and import, checked against a port of Mermaid's own grammar."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import journeymap
from journeymap.check.validate import validate_file
from journeymap.commands.cli import main
from journeymap.interop.mermaid import MermaidError, export, from_score, parse, to_score, to_yaml
from journeymap.model.journey import Scale

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))

#: The lexer of mermaid's journey.jison, rules in order; jison takes the first rule that matches.
LEX_RULES: list[tuple[str | None, re.Pattern[str]]] = [
    ("NL", re.compile(r"[\n]+")),
    (None, re.compile(r"\s+")),
    (None, re.compile(r"\#[^\n]*")),
    (None, re.compile(r"%%[^\n]*")),
    ("journey", re.compile(r"journey", re.IGNORECASE)),
    ("title", re.compile(r"title\s[^#\n;]+", re.IGNORECASE)),
    ("section", re.compile(r"section\s[^#:\n;]+", re.IGNORECASE)),
    ("taskName", re.compile(r"[^#:\n;]+")),
    ("taskData", re.compile(r":[^#\n;]+")),
    (":", re.compile(r":")),
    ("INVALID", re.compile(r".", re.DOTALL)),
]

DOC_EXAMPLE = """journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
"""


def mermaid_parse(text: str) -> dict[str, object]:
    """Parse like Mermaid does (lexer + grammar + journeyDb.addTask); AssertionError if not."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        for name, pattern in LEX_RULES:
            match = pattern.match(text, pos)
            if match:
                if name is not None:
                    tokens.append((name, match.group()))
                pos = match.end()
                break
    assert tokens and tokens[0][0] == "journey", tokens[:2]
    title = None
    sections: list[tuple[str, list[tuple[str, int, list[str]]]]] = []
    i = 1
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "NL":
            i += 1
        elif kind == "title":
            title = value[6:]
            i += 1
        elif kind == "section":
            sections.append((value[8:], []))
            i += 1
        elif kind == "taskName" and i + 1 < len(tokens) and tokens[i + 1][0] == "taskData":
            pieces = tokens[i + 1][1][1:].split(":")
            assert len(pieces) == 2, tokens[i : i + 2]
            score = int(pieces[0])
            assert 1 <= score <= 5
            actors = [a.strip() for a in pieces[1].split(",")]
            sections[-1][1].append((value.strip(), score, actors))
            i += 2
        else:
            raise AssertionError(f"Mermaid cannot parse token {tokens[i]!r}")
    return {"title": title, "sections": sections}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_to_valid_mermaid(path: Path) -> None:
    journey = journeymap.load(path)
    parsed = mermaid_parse(export(journey))
    sections = parsed["sections"]
    assert isinstance(sections, list)
    assert [len(tasks) for _, tasks in sections] == [len(s.touchpoints) for s in journey.stages]
    names = [parsed["title"], *(n for n, _ in sections)]
    names += [t for _, tasks in sections for t, _, actors in tasks] + [
        a for _, tasks in sections for _, _, actors in tasks for a in actors
    ]
    for name in names:
        assert not set(":#;\n") & set(str(name)), name


def hostile_journey(tmp_path: Path) -> journeymap.Journey:
    data = {
        "journeymap": 1,
        "title": "Returns: #1 priority; really",
        "personas": [
            {"id": "a", "name": "Smith, Jo: #2", "color": "#0072B2"},
            {"id": "b", "name": "Journey Planner", "color": "#D55E00"},
        ],
        "stages": [
            {
                "name": "section 8; notes",
                "touchpoints": [
                    {"name": "Journey planner", "emotion": {"a": -3, "b": 3},
                     "pain_points": ["x"]},
                    {"name": "Title search\nsecond line", "emotion": 1},
                    {"name": "%% not a comment", "personas": ["b"]},
                    {"name": "section: 5: Cat", "emotion": -2, "pain_points": ["y"]},
                ],
            }
        ],
    }  # fmt: skip
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return journeymap.load(path)


def test_hostile_names_stay_inside_mermaid_names(tmp_path: Path) -> None:
    journey = hostile_journey(tmp_path)
    text = export(journey)
    parsed = mermaid_parse(text)
    sections = parsed["sections"]
    assert isinstance(sections, list) and len(sections) == 1
    tasks = sections[0][1]
    assert [score for _, score, _ in tasks] == [3, 4, 3, 2]  # mean of -3 and 3; gap -> 3
    assert tasks[0][2] == ["Smith‚ Jo∶ ♯2", "Journey Planner"]
    back = parse(text)
    assert back.title == journey.title
    assert back.sections[0][0] == "section 8; notes"
    assert [t for t, _, _ in back.sections[0][1]] == [
        "Journey planner",
        "Title search second line",
        "%% not a comment",
        "section: 5: Cat",
    ]
    assert back.sections[0][1][0][2] == ["Smith, Jo: #2", "Journey Planner"]


def test_mermaid_documented_example_imports_to_strictly_valid_yaml(tmp_path: Path) -> None:
    out = tmp_path / "day.yaml"
    source = tmp_path / "day.mmd"
    source.write_text(DOC_EXAMPLE, encoding="utf-8")
    assert main(["import", "mermaid", str(source), "-o", str(out)]) == 0
    result = validate_file(out)
    assert result.diagnostics == []  # not even a lint warning
    journey = result.journey
    assert journey is not None and journey.title == "My working day"
    assert [s.name for s in journey.stages] == ["Go to work", "Go home"]
    assert [p.name for p in journey.personas] == ["Me", "Cat"]
    work = journey.touchpoint("do-work")
    assert work.personas == ("me", "cat") and work.emotions == {"me": -3, "cat": -3}
    assert work.pain_points  # the placeholder that keeps --strict quiet
    assert journey.touchpoint("make-tea").emotions == {"me": 3}
    assert mermaid_parse(export(journey)) == mermaid_parse(DOC_EXAMPLE)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_export_import_keeps_titles_sections_tasks_actors_scores(
    path: Path, tmp_path: Path
) -> None:
    first = export(journeymap.load(path))
    imported = tmp_path / "back.yaml"
    imported.write_text(to_yaml(parse(first)), encoding="utf-8")
    result = validate_file(imported)
    assert result.journey is not None, result.diagnostics
    assert not [d for d in result.diagnostics if d.code != "empty-stage"], result.diagnostics
    assert export(result.journey) == first


def test_scores_round_trip_on_several_scales() -> None:
    for scale in (Scale(), Scale(1, 5, {}), Scale(-2, 2, {}), Scale(0, 10, {})):
        assert [to_score(from_score(s, scale), scale) for s in range(1, 6)] == [1, 2, 3, 4, 5]
        assert to_score(scale.min, scale) == 1 and to_score(scale.max, scale) == 5
    assert [from_score(s) for s in range(1, 6)] == [-3, -1, 0, 2, 3]


def test_fenced_markdown_and_errors(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(f"Intro\n\n```mermaid\n{DOC_EXAMPLE}```\n", encoding="utf-8")
    assert parse(doc.read_text(encoding="utf-8")).title == "My working day"
    with pytest.raises(MermaidError, match="line 1"):
        parse("graph TD\n  A --> B\n")
    with pytest.raises(MermaidError, match="between 1 and 5"):
        parse("journey\n  section S\n    Task: 9: Me\n")
    bad = tmp_path / "bad.mmd"
    bad.write_text("flowchart\n", encoding="utf-8")
    assert main(["import", "mermaid", str(bad)]) == 1


def test_export_command_wraps_markdown_in_a_fence(tmp_path: Path) -> None:
    out = tmp_path / "journey.md"
    assert main(["export", "--to", "mermaid", str(EXAMPLES[0]), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("```mermaid\njourney\n") and text.endswith("```\n")
