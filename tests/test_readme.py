"""The README's examples work: its YAML validates cleanly and its Python runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journeymap.commands.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _block(language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", README, re.DOTALL)
    assert match, f"README has no {language} block"
    return match.group(1)


def test_readme_journey_is_valid_without_warnings(tmp_path: Path) -> None:
    path = tmp_path / "cake.yaml"
    path.write_text(_block("yaml"), encoding="utf-8")
    assert main(["validate", "--strict", str(path)]) == 0


def test_readme_python_runs(
    examples: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(examples.parent)
    code = _block("python").replace("journeys/bank.yaml", "examples/bank.yaml")
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out == ""  # the bank example has no diagnostics
