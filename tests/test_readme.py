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


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.DOTALL)


def test_readme_has_python_blocks() -> None:
    assert len(_python_blocks()) >= 2  # the validation example and the renderers


@pytest.mark.parametrize("index", range(len(_python_blocks())))
def test_readme_python_block_runs(
    index: int,
    examples: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every Python block of README.md runs as written (journeys/ is the examples folder)."""
    monkeypatch.chdir(examples.parent)
    code = _python_blocks()[index].replace("journeys/bank.yaml", "examples/bank.yaml")
    exec(compile(code, f"README.md python block {index + 1}", "exec"), {})
    assert capsys.readouterr().out == ""  # the bank example has no diagnostics
