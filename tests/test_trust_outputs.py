"""No command writes over what it reads; external programs get validated arguments.

Attacks of issue 11: ``-o`` naming an input by any spelling (the path, ``..``, a symlink, a
hard link, an imported library) in every writing command, a directory symlink planted at
``OUT/<journey>``, ``diff --git`` values that git would take as options, numeric options out
of range, and the flow PNG at high ``--dpi``.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from trust_corpus import LIB, MERMAID, TRIP

from journeymap.commands.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    """Exit code and stderr of one in-process run; never a traceback."""
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return code, err


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``in/trip.yaml`` importing ``in/lib.yaml``, ``in/old.yaml`` and ``in/trip.mmd``."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "lib.yaml").write_text(LIB, encoding="utf-8")
    (folder / "trip.yaml").write_text(TRIP, encoding="utf-8")
    (folder / "old.yaml").write_text(TRIP.replace("emotion: 1", "emotion: 2"), encoding="utf-8")
    (folder / "trip.mmd").write_text(MERMAID, encoding="utf-8")
    return folder


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file below ``root`` (links not followed) with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


#: Spellings of one input file: the path, a ``..`` detour, a symlink, a hard link.
SPELLINGS: dict[str, Callable[[Path], Path]] = {
    "same": lambda f: f,
    "dotdot": lambda f: f.parent / "sub" / ".." / f.name,
    "symlink": lambda f: _symlink(f),
    "hardlink": lambda f: _hardlink(f),
}


def _symlink(target: Path) -> Path:
    link = target.parent.parent / f"link-{target.name}"
    link.symlink_to(target)
    return link


def _hardlink(target: Path) -> Path:
    link = target.parent.parent / f"hard-{target.stem}.svg"
    os.link(target, link)
    return link


def _command(name: str, tree: Path, output: Path) -> list[str | Path]:
    return {
        "export": ["export", "--to", "json", tree / "trip.yaml", "-o", output],
        "import": ["import", "mermaid", tree / "trip.mmd", "-o", output],
        "diff": ["diff", tree / "old.yaml", tree / "trip.yaml", "-o", output],
        "diff-image": ["diff", tree / "old.yaml", tree / "trip.yaml", "--image", output],
        "curve": ["curve", tree / "old.yaml", tree / "trip.yaml", "-o", output],
    }[name]


INPUT_OF = {
    "export": "trip.yaml",
    "import": "trip.mmd",
    "diff": "old.yaml",
    "diff-image": "trip.yaml",
    "curve": "trip.yaml",
}


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("command", INPUT_OF)
def test_an_output_that_is_an_input_by_any_spelling_is_refused(
    command: str, spelling: str, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "sub").mkdir()
    victim = tree / INPUT_OF[command]
    if command in ("diff-image", "curve") and spelling != "hardlink":
        # these outputs must end in .svg/.pdf/.png: name the input through a .svg alias
        alias = tree / "trip.svg"
        alias.symlink_to(victim)
        victim = alias
    output = SPELLINGS[spelling](victim)
    before = snapshot(tree.parent)
    code, err = run_cli(capsys, *_command(command, tree, output))
    assert code == 2, err
    assert "refusing to overwrite the input" in err
    assert snapshot(tree.parent) == before


def test_export_refuses_to_overwrite_an_imported_library(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(tree)
    trip, lib = tree / "trip.yaml", tree / "lib.yaml"
    code, err = run_cli(capsys, "export", "--to", "json", trip, "-o", lib)
    assert code == 2 and "lib.yaml" in err
    assert snapshot(tree) == before


@pytest.mark.parametrize("command", ["render", "cards"])
def test_a_directory_symlink_planted_at_out_journey_is_not_written_through(
    command: str, tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "trip").symlink_to(elsewhere)
    fmt = ["--format", "svg", "--what", "map"] if command == "render" else ["--format", "html"]
    code, err = run_cli(capsys, command, tree / "trip.yaml", "-o", out, *fmt)
    assert code == 1
    assert "symbolic link" in err
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious.txt"]


def _repo(tmp_path: Path) -> Path:
    """A git repository holding ``j/trip.yaml`` (importing ``j/lib.yaml``) and a big asset."""
    repo = tmp_path / "repo"
    (repo / "j").mkdir(parents=True)
    (repo / "j" / "lib.yaml").write_text(LIB, encoding="utf-8")
    (repo / "j" / "trip.yaml").write_text(TRIP, encoding="utf-8")
    (repo / "j" / "asset.bin").write_bytes(b"\0" * 100_000)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    for argv in (["init", "-q"], ["add", "."], ["commit", "-qm", "one"]):
        subprocess.run(["git", "-C", str(repo), *argv], check=True, env=env)
    (repo / "j" / "trip.yaml").write_text(TRIP.replace("Pay", "Pay now"), encoding="utf-8")
    return repo


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


@needs_git
@pytest.mark.parametrize(
    "rev", ["--output=victim.txt", "-p", "--all", "HEAD\n--output=victim.txt", "", "nosuchrev"]
)
def test_diff_git_revision_can_never_become_an_option(
    rev: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(repo)
    victim = repo / "victim.txt"
    victim.write_text("keep me")
    code, err = run_cli(capsys, "diff", f"--git={rev}", repo / "j" / "trip.yaml")
    assert code == 2, err
    assert "revision" in err
    assert victim.read_text() == "keep me"
    assert sorted(p.name for p in repo.iterdir()) == [".git", "j", "victim.txt"]


@needs_git
def test_diff_git_reads_only_the_journey_and_its_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.site import history  # diff --git reads revisions through it

    repo = _repo(tmp_path)
    calls: list[tuple[str, ...]] = []
    real = history.git

    def spy(where: Path, *args: str) -> bytes:
        calls.append(args)
        return real(where, *args)

    monkeypatch.setattr(history, "git", spy)
    code = main(["diff", "--git", "HEAD", str(repo / "j" / "trip.yaml")])
    out = capsys.readouterr().out
    assert code == 0 and "Pay now" in out
    read = sorted(a[2].split(":", 1)[1] for a in calls if a[:2] == ("cat-file", "blob"))
    assert read == ["j/lib.yaml", "j/trip.yaml"]
    assert not any(a[0] == "archive" for a in calls)
    assert ("rev-parse", "--verify", "-q", "--end-of-options", "HEAD^{commit}") in calls


NUMERIC = [
    ("render", "--timeout"),
    ("render", "--dpi"),
    ("build", "--dpi"),
    ("build", "--jobs"),
    ("curve", "--dpi"),
    ("cards", "--shuffle"),
    ("validate", "--limit"),
]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "0", "-1", "1e30", "x", ""])
@pytest.mark.parametrize(("command", "option"), NUMERIC)
def test_numeric_options_out_of_range_are_usage_errors(
    command: str, option: str, value: str, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if option == "--shuffle" and value in ("0", "-1"):
        return  # any whole number is a seed
    arg = f"max_bytes={value}" if option == "--limit" else value
    argv: list[str | Path] = [command, tree / "trip.yaml", f"{option}={arg}"]
    if command in ("render", "build", "cards"):
        argv += ["-o", tree.parent / "out"]
    before = snapshot(tree.parent)
    code, err = run_cli(capsys, *argv)
    assert code == 2, err
    assert option.lstrip("-") in err
    assert snapshot(tree.parent) == before


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")
def test_flow_png_at_600_dpi_is_scaled_once(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """librsvg's --dpi scaled dot's pt units a second time: 6.25 times too large at 600."""
    out = tmp_path / "out"
    args = ("render", tree / "trip.yaml", "-o", out, "--what", "flow", "--format", "svg,png")
    code, _ = run_cli(capsys, *args, "--dpi", "96")
    assert code == 0
    at_96 = _png_size((out / "trip" / "flow.png").read_bytes())
    code, _ = run_cli(capsys, *args, "--dpi", "600")
    assert code == 0
    at_600 = _png_size((out / "trip" / "flow.png").read_bytes())
    for small, big in zip(at_96, at_600, strict=True):
        assert abs(big - small * 600 / 96) <= 0.01 * big
