"""Attacks on times ('at', 'duration', the config's time: thresholds): a number of 400 digits
was an infinite time, and every time-axis drawing of the journey was an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.commands.cli import main

BIG = "9" * 400
JOURNEY = """\
journeymap: 1
title: T
stages:
  - name: One
    touchpoints:
      - {{name: A, emotion: 0, at: "0 s"}}
      - {{name: B, emotion: 1, at: "{at}"}}
"""


@pytest.mark.parametrize("at", [f"P{BIG}D", f"{BIG} s", f"P1DT{BIG}S", "P36501D"])
def test_a_time_over_a_century_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at: str
) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(at=at), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["render", str(path), "-o", str(out), "--x", "time", "--format", "svg"])
    err = capsys.readouterr().err
    shown = at if len(at) <= 40 else at[:39] + "…"
    assert code == 1, err
    assert f"j.yaml:7:35: error: at: '{shown}' is longer than 100 years (36,500 days)" in err
    assert "internal error" not in err and not out.exists()


def test_a_century_is_still_a_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(at="P36500D"), encoding="utf-8")
    assert main(["validate", str(path)]) == 0, capsys.readouterr()


def test_an_infinite_threshold_in_the_config_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "journeymap.yaml").write_text(f'time:\n  wait: "P{BIG}D"\n', encoding="utf-8")
    (tmp_path / "j.yaml").write_text(JOURNEY.format(at="1 h"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "j.yaml"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("journeymap.yaml:2:9: error: time.wait: 'P999"), err
    assert "is longer than 100 years" in err
