"""``journeymap render``: where outputs go, usage errors, per-persona views."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from journeymap.commands.cli import main


def _render(*argv: str) -> int:
    return main(["render", *argv])


def test_renders_into_a_folder_per_journey(
    examples: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _render(
            str(examples / "bank.yaml"),
            "-o",
            str(tmp_path),
            "--what",
            "map,flow",
            "--format",
            "svg,dot",
        )
        == 0
    )
    assert sorted(p.name for p in (tmp_path / "bank").iterdir()) == [
        "flow.dot",
        "flow.svg",
        "map.svg",
    ]
    assert f"{tmp_path / 'bank'}/: map.svg flow.dot flow.svg" in capsys.readouterr().out


def test_persona_view_keeps_the_folder_and_changes_svg_ids(examples: Path, tmp_path: Path) -> None:
    assert (
        _render(
            str(examples / "bank.yaml"),
            "-o",
            str(tmp_path),
            "--what",
            "map",
            "--format",
            "svg",
            "--persona",
            "student",
        )
        == 0
    )
    svg = (tmp_path / "bank" / "map.svg").read_text()
    assert 'id="jm-bank-student' in svg


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "svg,gif"], "--format: unknown value gif; choose from svg, pdf, png, dot"),
        (["--what", "poster"], "--what: unknown value poster; choose from map, curve, flow"),
        (["--theme", "neon"], "--theme: unknown value neon; choose one of default, print"),
        (["--theme", "default,print"], "--theme: unknown value default,print; choose one of"),
        (["--paper", "a0"], "--paper: unknown value a0"),
        (["--paper", "a3:fill"], "--paper: unknown value a3:fill"),
        (["--persona", "nobody"], "no journey has such a persona; choose from"),
    ],
)
def test_usage_errors_list_the_valid_choices(
    examples: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    assert _render(str(examples / "bank.yaml"), "-o", str(tmp_path), *argv) == 2
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_output_may_not_be_a_file(examples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = examples / "bank.yaml"
    before = target.read_bytes()
    assert _render(str(target), "-o", str(target)) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_invalid_files_are_reported_and_valid_ones_still_render(
    examples: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(examples / "saas-onboarding.yaml", src / "good.yaml")
    (src / "bad.yaml").write_text("journeymap: 1\ntitle: Bad\nstages: []\n")
    out = tmp_path / "out"
    assert _render(str(src), "-o", str(out), "--what", "map", "--format", "svg") == 1
    assert "bad.yaml:3:9: error: 'stages' needs at least 1 item" in capsys.readouterr().err
    assert (out / "good" / "map.svg").exists()
    assert not (out / "bad").exists()


def test_same_file_names_in_different_folders_do_not_collide(
    examples: Path, tmp_path: Path
) -> None:
    for team in ("Retail", "retail-2"):
        (tmp_path / "src" / team).mkdir(parents=True)
        shutil.copy(examples / "saas-onboarding.yaml", tmp_path / "src" / team / "flow.yaml")
    out = tmp_path / "out"
    assert _render(str(tmp_path / "src"), "-o", str(out), "--what", "flow", "--format", "dot") == 0
    assert sorted(p.name for p in out.iterdir()) == ["retail-2-flow", "retail-flow"]


@pytest.mark.parametrize("what", ["map", "blueprint", "curve", "flow"])
def test_a_journey_without_touchpoints_prints_on_one_sheet(
    what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    empty = Path(__file__).parent / "cases" / "warnings" / "minimal-three-keys.yaml"
    assert main(["render", str(empty), "--what", what, "--paper", "a4", "-o", str(tmp_path)]) == 0
    assert "internal error" not in capsys.readouterr().err
    assert len(PdfReader(tmp_path / empty.stem / f"{what}.pdf").pages) == 1
