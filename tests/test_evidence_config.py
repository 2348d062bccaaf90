"""``evidence:`` in journeymap.yaml: sources shared by the journeys they name, or by all."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from journeymap.commands.cli import main

JOURNEY = """\
journeymap: 1
title: {title}
stages:
  - id: buy
    name: Buy
    touchpoints:
      - id: {first}
        name: {first_name}
        emotion: neutral
        pain_points: [Slow]
      - id: pay
        name: Payment
        emotion: satisfied
{own}"""

#: Rows of two journeys in one export: checkout's cart and pay, returns' label and pay.
SURVEY = """\
step,rating,said
cart,1,slow
cart,2,
Payment,5,fine
label,4,
label,5,easy
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project: journeys/checkout.yaml, journeys/returns/returns.yaml, data/survey.csv."""
    (tmp_path / "journeys" / "returns").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    write(tmp_path / "journeys" / "checkout.yaml", "Checkout", "cart", "Shopping cart")
    write(tmp_path / "journeys" / "returns" / "returns.yaml", "Returns", "label", "Print label")
    (tmp_path / "data" / "survey.csv").write_text(SURVEY, encoding="utf-8")
    (tmp_path / ".git").mkdir()  # the project root, even before a config exists
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, title: str, first: str, first_name: str, own: str = "") -> None:
    path.write_text(
        JOURNEY.format(title=title, first=first, first_name=first_name, own=own), "utf-8"
    )


def config(root: Path, sources: str) -> None:
    (root / "journeymap.yaml").write_text("journeys: [journeys]\nevidence:\n" + sources, "utf-8")


SHARED = """\
  - id: survey
    file: data/survey.csv
    scale: csat
    columns: {touchpoint: step, score: rating, comment: said}
"""


def measures(capsys: pytest.CaptureFixture[str], file: str) -> list[tuple[str, str, int]]:
    assert main(["evidence", "--format", "json", file]) == 0
    data = json.loads(capsys.readouterr().out)
    return [(m["touchpoint"], m["source"], m["n"]) for m in data["measures"]]


def test_a_source_for_all_journeys_measures_each_one_without_warnings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config(project, SHARED)
    assert main(["validate"]) == 0
    # The other journey's rows are no unknown touchpoints.
    assert capsys.readouterr().out == "2 files checked: all valid\n"
    assert measures(capsys, "journeys/checkout.yaml") == [
        ("cart", "survey", 2),
        ("pay", "survey", 1),
    ]
    assert measures(capsys, "journeys/returns/returns.yaml") == [
        ("label", "survey", 2),
        ("pay", "survey", 1),
    ]


def test_journeys_narrows_a_source_to_files_and_folders(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config(project, SHARED + "    journeys: [journeys/returns]\n")
    assert measures(capsys, "journeys/checkout.yaml") == []
    assert [m[0] for m in measures(capsys, "journeys/returns/returns.yaml")] == ["label", "pay"]
    # A source naming one journey file is that journey's own: unknown touchpoints warn.
    config(project, SHARED + "    journeys: [journeys/checkout.yaml]\n")
    assert main(["validate", "journeys/checkout.yaml"]) == 0
    assert capsys.readouterr().out == (
        "data/survey.csv:5:1: warning: 2 rows name touchpoint 'label', which the journey does "
        "not have; they are skipped\n1 file checked: 0 error(s), 1 warning(s)\n"
    )


def test_a_journey_s_own_source_of_the_same_id_replaces_the_shared_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "data" / "own.csv").write_text("touchpoint,score\ncart,5\n", encoding="utf-8")
    own = "evidence:\n  - id: survey\n    file: ../data/own.csv\n    scale: csat\n"
    write(project / "journeys" / "checkout.yaml", "Checkout", "cart", "Shopping cart", own)
    config(project, SHARED)
    assert measures(capsys, "journeys/checkout.yaml") == [("cart", "survey", 1)]


def test_the_map_and_site_show_shared_evidence_and_others_render_as_before(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config(project, SHARED + "    journeys: [journeys/checkout.yaml]\n")
    assert main(["render", "-o", "out", "--what", "map", "--format", "svg"]) == 0
    assert b"lane-measured" in (project / "out" / "checkout" / "map.svg").read_bytes()
    assert b"measured" not in (project / "out" / "returns" / "map.svg").read_bytes()
    assert main(["build", "-o", "site"]) == 0
    index = json.loads((project / "site" / "journeys.json").read_text(encoding="utf-8"))
    by_title = {j["title"]: j for j in index["journeys"]}
    assert by_title["Checkout"]["evidence"]["measures"][0]["n"] == 2
    assert "evidence" not in by_title["Returns"]
    # The build depends on the declaration: narrowing it rebuilds, with returns measured now.
    config(project, SHARED)
    capsys.readouterr()
    assert main(["build", "-o", "site"]) == 0
    index = json.loads((project / "site" / "journeys.json").read_text(encoding="utf-8"))
    assert {j["title"]: "evidence" in j for j in index["journeys"]} == {
        "Checkout": True,
        "Returns": True,
    }
    # ... and so do the shared file's bytes.
    (project / "data" / "survey.csv").write_text(SURVEY + "cart,5,\n", encoding="utf-8")
    assert main(["build", "-o", "site"]) == 0
    index = json.loads((project / "site" / "journeys.json").read_text(encoding="utf-8"))
    checkout = next(j for j in index["journeys"] if j["title"] == "Checkout")
    assert checkout["evidence"]["measures"][0]["n"] == 3


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (
            SHARED.replace("data/survey.csv", "../outside.csv"),
            "journeymap.yaml:4:11: error: evidence file '../outside.csv' leaves the project "
            "(.); keep data files inside it (project config; see docs/config.md)",
        ),
        (
            SHARED.replace("data/survey.csv", "data/gone.csv"),
            "journeymap.yaml:4:11: error: evidence file 'data/gone.csv' not found (looked for "
            "data/gone.csv) (project config; see docs/config.md)",
        ),
        (
            SHARED + "    journeys: [../elsewhere]\n",
            "journeymap.yaml:7:16: error: 'evidence[0].journeys[0]' leaves the project (.): the "
            "config names only files and folders inside it; to read or write elsewhere, give "
            "the path on the command line",
        ),
        (
            SHARED + SHARED,
            "journeymap.yaml:7:9: error: evidence id 'survey' is used twice; give each source "
            "its own id (project config; see docs/config.md)",
        ),
        (
            SHARED + "    colour: red\n",
            "journeymap.yaml:7:5: error: unknown key 'colour' in evidence[0]; did you mean "
            "'columns'? (project config; see docs/config.md)",
        ),
    ],
)
def test_bad_declarations_are_located_config_errors_before_anything_is_read(
    project: Path, capsys: pytest.CaptureFixture[str], sources: str, message: str
) -> None:
    (project.parent / "outside.csv").write_text("touchpoint,score\ncart,1\n", encoding="utf-8")
    config(project, sources)
    assert main(["render", "-o", "out"]) == 1
    assert capsys.readouterr().err == message + "\n"
    assert not (project / "out").exists()


def test_a_symlink_out_of_the_project_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = project.parent / "secret.csv"
    secret.write_text("touchpoint,score\ncart,1\n", encoding="utf-8")
    os.symlink(secret, project / "data" / "link.csv")
    config(project, SHARED.replace("survey.csv", "link.csv"))
    assert main(["validate"]) == 1
    assert "evidence file 'data/link.csv' leaves the project" in capsys.readouterr().err


def test_a_file_that_cannot_be_read_is_located_in_the_config(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config(project, SHARED.replace("comment: said", "comment: remarks"))
    assert main(["validate", "journeys/checkout.yaml"]) == 1
    assert capsys.readouterr().out == (
        "journeymap.yaml:6:57: error: evidence file 'data/survey.csv' has no column 'remarks' "
        "for the comment; its header has: step, rating, said\n"
        "1 file checked: 1 error(s), 0 warning(s)\n"
    )


def test_stale_shared_evidence_warns_at_the_config(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "data" / "dated.csv").write_text(
        "step,rating,day\ncart,3,2026-01-02\n", encoding="utf-8"
    )
    config(
        project,
        "  - id: dated\n    file: data/dated.csv\n    scale: csat\n"
        "    columns: {touchpoint: step, score: rating, date: day}\n    max_age: 30\n"
        "    journeys: [journeys/checkout.yaml]\n",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772323200")  # 2026-03-01
    assert main(["validate", "journeys/checkout.yaml"]) == 0
    out = capsys.readouterr().out
    assert "journeymap.yaml:7:14: warning: evidence 'dated' is stale: its newest answer is " in out


def test_the_config_schema_declares_the_journey_s_source_plus_journeys() -> None:
    from journeymap.check.schema import journey_schema
    from journeymap.source.config import config_schema

    def shape(node: object) -> object:
        if isinstance(node, dict):
            return {k: shape(v) for k, v in node.items() if k not in ("description", "title")}
        return [shape(v) for v in node] if isinstance(node, list) else node

    own = journey_schema()["$defs"]["evidence_source"]
    shared = dict(config_schema()["$defs"]["evidence_source"])
    shared["properties"] = dict(shared["properties"])
    assert shared["properties"].pop("journeys")["items"] == {"type": "string", "minLength": 1}
    assert shape(shared) == shape(own)
