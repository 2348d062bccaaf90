"""The two kinds of evidence keep their names: a touchpoint's ``evidence`` is the blueprint's
physical evidence (text), the journey's top-level ``evidence:`` its measured data sources; one
file can hold both, each reaches its own place, and a data source under a touchpoint is a
located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.check.validate import load
from journeymap.commands.cli import main
from journeymap.render.blueprint.svg import render_svg
from journeymap.render.options import RenderOptions
from journeymap.site.pages import summary

BOTH = """\
journeymap: 1
title: Bike purchase
evidence:
  - {id: survey, file: survey.csv, kind: survey, scale: csat}
stages:
  - name: Buy
    touchpoints:
      - id: pay
        name: Pay
        emotion: 1
        evidence: [Order confirmation e-mail, Receipt]
        frontstage: [Shop assistant takes the card]
"""


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "survey.csv").write_text("touchpoint,score\npay,4\npay,5\n", encoding="utf-8")
    path = tmp_path / "j.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_file_holds_both_kinds_each_in_its_place(tmp_path: Path) -> None:
    journey = load(_write(tmp_path, BOTH))
    assert [s.id for s in journey.evidence] == ["survey"]
    assert journey.touchpoints[0].evidence == ("Order confirmation e-mail", "Receipt")
    assert [x.n for x in journey.measures("pay")] == [2]
    svg = render_svg(journey, RenderOptions(formats=("svg",))).decode()
    assert "▪ Receipt" in svg and "survey.csv" not in svg
    entry = summary(journey, "j", "j.yaml", [])
    assert entry["blueprint"]["steps"]["physical_evidence"] == 2
    assert entry["evidence"]["measures"][0]["n"] == 2


def test_a_data_source_under_a_touchpoint_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = BOTH.replace(
        "evidence: [Order confirmation e-mail, Receipt]",
        "evidence:\n          - {file: survey.csv, kind: survey}",
    )
    path = _write(tmp_path, text)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    assert f"{path}:12:13: error: 'evidence[0]' must be text, not a mapping" in out.out + out.err
