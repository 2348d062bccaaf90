"""Attacks on measured evidence: a scale up to 1e308 let the squares of its scores sum to
infinity, and the evidence table said 'inf ± nan' and its JSON held NaN (not JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymap.commands.cli import main

JOURNEY = """\
journeymap: 1
title: T
stages:
  - id: buy
    name: Buy
    touchpoints:
      - {{id: pay, name: Pay, emotion: satisfied}}
evidence:
  - id: survey
    file: s.csv
    scale: {{min: {low}, max: {high}}}
"""


def _project(tmp_path: Path, low: str, high: str) -> Path:
    rows = f"touchpoint,score\npay,{high}\npay,{high}\npay,{low}\n"
    (tmp_path / "s.csv").write_text(rows, encoding="utf-8")
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(low=low, high=high), encoding="utf-8")
    return path


def test_a_scale_beyond_a_trillion_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, "-1e308", "1e308")
    assert main(["evidence", "--root", str(tmp_path), "--format", "json", str(path)]) == 1
    err = capsys.readouterr().err.replace(str(tmp_path) + "/", "")
    assert err.splitlines()[:2] == [
        f"j.yaml:11:{col}: error: the scale's {end} {value} is beyond ±1,000,000,000,000; "
        "scores that large add up past what a number holds (rescale the export)"
        for col, end, value in ((18, "min", "-1e+308"), (31, "max", "1e+308"))
    ], err


def test_a_trillion_either_way_gives_finite_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, "-1e12", "1e12")
    assert main(["evidence", "--root", str(tmp_path), "--format", "json", str(path)]) == 0
    out = capsys.readouterr().out
    json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
