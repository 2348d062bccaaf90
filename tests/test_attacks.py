"""Regressions for holes an outside attack on main found (issues 11 and 12).

Each test builds a small hostile project in a temporary folder and runs the command the way
CI would on a pull request; it fails on the code before its fix.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from journeymap.commands.cli import main

JOURNEY = """\
journeymap: 1
title: Beta
personas: [{id: bob, name: Bob}]
stages:
  - name: One
    touchpoints:
      - {name: Start, emotion: 0, personas: [bob]}
      - {name: End, emotion: 2, personas: [bob]}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team repository: journeys/b.yaml and a journeymap.yaml, as the current folder."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "journeys").mkdir()
    (repo / "journeys" / "b.yaml").write_text(JOURNEY, encoding="utf-8")
    (repo / "journeymap.yaml").write_text("output: out\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    return repo


@pytest.mark.parametrize(
    "payload",
    [
        '{{ cycler.__init__.__globals__.os.system("touch pwned") }}',
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        '{% set x = lipsum.__globals__ %}{{ x["os"].system("touch pwned") }}',
    ],
)
def test_templates_from_a_pull_request_cannot_run_code(
    project: Path, payload: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template folder named by the project config is sandboxed: an attempt to reach
    Python is that template's error (exit 1), and nothing runs."""
    from journeymap.render.templating import forget_templates, templates_dir

    own = project / "tpl" / "map"
    own.mkdir(parents=True)
    builtin = (templates_dir() / "map" / "map.svg.j2").read_text(encoding="utf-8")
    (own / "map.svg.j2").write_text(payload + "\n" + builtin, encoding="utf-8")
    (project / "journeymap.yaml").write_text(
        "output: out\nrender:\n  templates: tpl\n", encoding="utf-8"
    )
    forget_templates()
    try:
        code = main(["render", "journeys/b.yaml", "--what", "map", "--format", "svg"])
    finally:
        forget_templates()
    err = capsys.readouterr().err
    assert code == 1, err
    assert "template map/map.svg.j2" in err and "Traceback" not in err
    assert not (project / "pwned").exists()
    assert not (project / "out" / "b" / "map.svg").exists()


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ("journeys: [journeys, /etc]\n", "journeys[1]"),
        ("journeys: [../elsewhere]\n", "journeys[0]"),
        ("journeys: [link]\n", "journeys[0]"),
        ("output: ..\n", "output"),
        ("site: {output: /tmp}\n", "site.output"),
        ("render: {templates: /}\n", "render.templates"),
    ],
)
def test_a_config_cannot_point_outside_the_project(
    project: Path, config: str, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Paths in a pull request's journeymap.yaml (journeys, outputs, templates) stay inside
    the project, also through a symlink: a located error, nothing read or written."""
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text(JOURNEY, encoding="utf-8")
    (project / "link").symlink_to(elsewhere)
    (project / "journeymap.yaml").write_text(config, encoding="utf-8")
    before = sorted(p.name for p in project.parent.iterdir())
    for argv in (["validate"], ["render", "--format", "svg", "--what", "map", "-o", "out"]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 1, err
        assert "journeymap.yaml:1:" in err and f"'{key}' leaves the project" in err, err
        assert "secret.yaml" not in err
    assert sorted(p.name for p in project.parent.iterdir()) == before
    assert not (project / "out").exists()


def test_a_changed_evidence_file_rebuilds_its_journey(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An evidence file outside the journeys folder is an input of the site cache: when a
    comment is deleted from the export (a customer asked), the next build drops it instead
    of saying 'up to date' and publishing it again."""
    (project / "data").mkdir()
    survey = project / "data" / "survey.csv"
    survey.write_text("touchpoint,score,verbatim\nstart,9,call Ann Example\n", encoding="utf-8")
    journey = JOURNEY.replace(
        "stages:",
        "evidence:\n  - {id: s, file: ../data/survey.csv, columns: {comment: verbatim}}\nstages:",
    ).replace("{name: Start,", "{id: start, name: Start,")
    (project / "journeys" / "b.yaml").write_text(journey, encoding="utf-8")
    argv = ["build", "journeys", "-o", "site", "-j", "1", "--format", "svg"]
    assert main(argv) == 0, capsys.readouterr().err
    page = project / "site" / "b" / "index.html"
    assert "call Ann Example" in page.read_text(encoding="utf-8")
    survey.write_text("touchpoint,score,verbatim\nstart,9,\n", encoding="utf-8")
    assert main(argv) == 0, capsys.readouterr().err
    assert "call Ann Example" not in page.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_diff_git_reads_the_evidence_files_at_the_revision(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journey with evidence diffs against its committed version: the evidence files it
    names are read at REV too (before, the old version failed: 'evidence file not found')."""
    import subprocess

    (project / ".git").rmdir()
    (project / "data").mkdir()
    (project / "data" / "survey.csv").write_text("touchpoint,score\nstart,9\n", encoding="utf-8")
    journey = JOURNEY.replace(
        "stages:", "evidence:\n  - {id: s, file: ../data/survey.csv}\nstages:"
    ).replace("{name: Start,", "{id: start, name: Start,")
    path = project / "journeys" / "b.yaml"
    path.write_text(journey, encoding="utf-8")
    git = ["git", "-c", "user.name=a", "-c", "user.email=a@b"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    path.write_text(journey.replace("emotion: 2", "emotion: -2"), encoding="utf-8")
    code = main(["diff", "--git", "HEAD", "journeys/b.yaml"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "| End | Bob | happy (+2) | frustrated (-2) | -4 |" in out


def _with_evidence(project: Path, source: str, name: str, data: bytes) -> None:
    (project / "data").mkdir(exist_ok=True)
    (project / "data" / name).write_bytes(data)
    journey = JOURNEY.replace(
        "stages:", f"evidence:\n  - {{id: s, file: ../data/{name}, {source}}}\nstages:"
    ).replace("{name: Start,", "{id: start, name: Start,")
    (project / "journeys" / "b.yaml").write_text(journey, encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "data", "expected"),
    [
        ("format: jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "is not a JSON object"),
        ("format: jsonl", b'{"touchpoint": "start", "c": "' + b"x" * 3_000_000 + b'"}\n',
         "is not a JSON object"),
        ("encoding: rot13", b"touchpoint,score\nstart,9\n", "unknown encoding 'rot13'"),
        ("encoding: utf-16", b"touchpoint,score\nstart,9\n", "is not valid utf-16 text"),
    ],
    ids=["deep-json", "3-mb-line", "rot13", "utf-16-no-bom"],
)  # fmt: skip
def test_hostile_evidence_files_are_located_problems(
    project: Path, source: str, data: bytes, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON nested 100,000 deep, a 3 MB JSON line, a codec that is not a text encoding and
    UTF-16 without a byte order mark: each a located message, never 'internal error'."""
    _with_evidence(project, source, "x.data", data)
    code = main(["validate", "journeys/b.yaml"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "internal error" not in err, err
    assert expected in out, out


def test_a_json_lines_survey_is_counted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A survey in JSON Lines has no metric column: its rows are answers, not analytics rows
    'naming no metric' (every row was skipped before)."""
    rows = b'{"touchpoint": "start", "score": 9}\r\n{"touchpoint": "start", "score": 10}\n'
    _with_evidence(project, "format: jsonl", "s.jsonl", rows)
    code = main(["evidence", "journeys/b.yaml", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "no metric" not in err
    assert '"n": 2' in out, out


@pytest.mark.parametrize("plant", ["fifo", "deep-json", "journeymap-link", "vscode-link"])
def test_init_writes_nothing_through_planted_editor_files(
    project: Path, plant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO at .vscode/settings.json (init blocked forever), JSON nested 100,000 deep
    (RecursionError), or .journeymap / .vscode linked out of the project (the schema copy was
    written through the link): init leaves each alone, says so, and finishes."""
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    vscode = project / ".vscode"
    if plant == "fifo":
        vscode.mkdir()
        os.mkfifo(vscode / "settings.json")
    elif plant == "deep-json":
        vscode.mkdir()
        (vscode / "settings.json").write_text("[" * 100_000, encoding="utf-8")
    elif plant == "journeymap-link":
        (project / ".journeymap").symlink_to(elsewhere)
    else:
        vscode.symlink_to(elsewhere)
    code = main(["init", "journeys/new"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "internal error" not in err
    assert ("left " in out and "alone" in out) or "as it is" in out, out
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("name", ["n\nl.yaml", "back\\slash.yaml", "shared/li\nb.yaml"])
def test_a_file_name_the_manifest_refuses_fails_alone_and_later_builds_still_run(
    project: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journey (or a library it imports) whose path holds a newline or a backslash was
    published, and its name written into the manifest the next build refuses: every later
    build (and serve: 'internal error') stopped until the site was deleted by hand."""
    journeys = project / "journeys"
    (journeys / "shared").mkdir()
    if name.startswith("shared/"):
        library = "journeymap: 1\nkind: library\npersonas: [{id: bob, name: Bob}]\n"
        (journeys / name).write_text(library, encoding="utf-8")
        journey = JOURNEY.replace(
            "personas: [{id: bob, name: Bob}]", 'imports: ["shared/li\\nb.yaml"]'
        )
        (journeys / "imp.yaml").write_text(journey, encoding="utf-8")
    else:
        (journeys / name).write_text(JOURNEY, encoding="utf-8")
    argv = ["build", "journeys", "-o", "site", "-j", "1", "--format", "svg", "--keep-going"]
    for _ in range(2):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 1, err
        assert "cannot tell which files" not in err and "internal error" not in err, err
        assert "its path holds a control character or a backslash; rename the file" in err
        assert (project / "site" / "b" / "index.html").is_file()


def test_control_characters_in_evidence_never_reach_an_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Comments and metric names come from a data export no one validated: an ESC or a line
    break in them reached the terminal and the Markdown raw, and made the map's SVG not XML."""
    import xml.etree.ElementTree as ET

    hostile = "a\n::error::pwn \x1b[31m red\u2028x"
    survey = f'touchpoint,score,verbatim\nstart,9,"{hostile}"\n'
    _with_evidence(project, "columns: {comment: verbatim}", "s.csv", survey.encode())
    for fmt in ("text", "markdown"):
        assert main(["evidence", "journeys/b.yaml", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\u2028" not in out and "\n::error" not in out, out
    argv = ["render", "journeys/b.yaml", "-o", "out", "--what", "map", "--format", "svg"]
    assert main(argv) == 0, capsys.readouterr().err
    ET.parse(project / "out" / "b" / "map.svg")  # well-formed XML
    analytics = 'touchpoint,metric,value\nstart,"\x1b[2Jtime\nx",1\n'
    layout = "kind: analytics, columns: {metric: metric, score: value}, scale: {min: 0, max: 9}"
    _with_evidence(project, layout, "a.csv", analytics.encode())
    assert main(["evidence", "journeys/b.yaml", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "2Jtime" in out and "time\nx" not in out, out
