"""Property: no command writes to, deletes or truncates a file it did not create.

Hypothesis draws a command and an option combination (outputs naming inputs by every
spelling: the path, ``./``, ``..``, symlinks, hard links, folders, ``.``; planted symlinks;
numbers in and out of range) and runs it in a fresh tree. Every file, link and folder that
existed before must be there afterwards, byte for byte and inode for inode, and nothing may
appear in the folder a planted link points at. The run ends with exit 0, 1 or 2, never a
traceback.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trust_corpus import LIB, MERMAID, TRIP

from journeymap.commands.cli import main

#: Output values: inputs and their aliases, folders holding them, planted links, fresh names.
OUTPUTS = [
    "in/trip.yaml", "in/lib.yaml", "in/old.yaml", "in/trip.mmd", "in/./trip.yaml",
    "in/sub/../trip.yaml", "link.yaml", "hard.svg", "hard.json", "in", ".", "..", "out",
    "in-link", "elsewhere", "site", "notes.txt", "fresh.json", "fresh.md", "fresh.svg",
    "fresh.png", "fresh.yaml", "fresh/deeper",
]  # fmt: skip
NUMBERS = ["96", "10", "1200", "0", "-1", "nan", "inf", "1e999", "x"]


def _tree(root: Path) -> None:
    """The starting tree of every example."""
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "lib.yaml").write_text(LIB, encoding="utf-8")
    (folder / "trip.yaml").write_text(TRIP, encoding="utf-8")
    (folder / "old.yaml").write_text(TRIP.replace("emotion: 1", "emotion: 2"), encoding="utf-8")
    (folder / "trip.mmd").write_text(MERMAID, encoding="utf-8")
    (root / "notes.txt").write_text("a user's notes")
    (root / "link.yaml").symlink_to(folder / "trip.yaml")
    os.link(folder / "trip.yaml", root / "hard.svg")
    os.link(folder / "old.yaml", root / "hard.json")
    (root / "in-link").symlink_to(folder)
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "precious.txt").write_text("keep")
    (root / "out").mkdir()
    (root / "out" / "trip").symlink_to(root / "elsewhere")  # planted at OUT/<journey>
    (root / "site").mkdir()
    (root / "site" / "CNAME").write_text("example.org")


def _state(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry below ``root`` (links not followed): kind, inode, bytes or link target."""
    out: dict[str, tuple[object, ...]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            st_ = path.lstat()
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(st_.st_mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st_.st_mode):
                out[rel] = ("dir", st_.st_ino)
            else:
                out[rel] = ("file", st_.st_ino, path.read_bytes())
    return out


@st.composite
def command_lines(draw: st.DrawFn, with_build: bool) -> list[str]:
    """A command line of a writing (or reading) command with drawn options."""
    names = ["export", "import", "diff", "diff-image", "curve", "render", "cards", "validate"]
    command = draw(st.sampled_from(names + (["build"] if with_build else [])))
    out = draw(st.sampled_from(OUTPUTS))
    number = draw(st.sampled_from(NUMBERS))
    journey = draw(st.sampled_from(["in/trip.yaml", "link.yaml", "in", "in-link", "."]))
    if command == "export":
        fmt = draw(st.sampled_from(["json", "markdown", "mermaid"]))
        return ["export", "--to", fmt, draw(st.sampled_from(["in/trip.yaml", "link.yaml"])),
                "-o", out]  # fmt: skip
    if command == "import":
        return ["import", "mermaid", "in/trip.mmd", "-o", out]
    if command == "diff":
        return ["diff", "in/old.yaml", "in/trip.yaml", "-o", out]
    if command == "diff-image":
        return ["diff", "in/old.yaml", "in/trip.yaml", "--image", out]
    if command == "curve":
        return ["curve", "in/old.yaml", "in/trip.yaml", "-o", out, "--dpi", number]
    if command == "render":
        what = draw(st.sampled_from(["map", "curve", "map,curve"]))
        return ["render", journey, "-o", out, "--what", what, "--format", "svg",
                "--timeout", number]  # fmt: skip
    if command == "cards":
        return ["cards", journey, "-o", out, "--format", "html"]
    if command == "build":
        return ["build", journey, "-o", out, "--format", "svg", "-j", "1", "--dpi", number]
    return ["validate", journey, "--limit", f"max_bytes={number}"]


#: The files each single-output command reads (its -o may replace any other file).
READS = {
    "export": ["in/trip.yaml", "in/lib.yaml"],
    "import": ["in/trip.mmd"],
    "diff": ["in/old.yaml", "in/trip.yaml", "in/lib.yaml"],
    "curve": ["in/old.yaml", "in/trip.yaml", "in/lib.yaml"],
}


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st_ = path.stat()
    except OSError:
        return None
    return st_.st_dev, st_.st_ino


def _named_output(argv: list[str], root: Path) -> set[str]:
    """The file a single-output command was told to write, when it is not one it reads:
    replacing that one is what the user asked for."""
    if argv[0] not in READS:
        return set()
    option = "--image" if "--image" in argv else "-o"
    out = argv[argv.index(option) + 1]
    inputs = {_identity(root / rel) for rel in READS[argv[0]]}
    if _identity(root / out) in inputs:
        return set()
    return {os.path.normpath(out)}


def _check(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="journeymap-property-") as tmp:
        root = Path(tmp)
        _tree(root)
        before = _state(root)
        asked = _named_output(argv, root)
        cwd = Path.cwd()
        os.chdir(root)
        try:
            code = main(argv)
        finally:
            os.chdir(cwd)
        err = capsys.readouterr().err
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in err and "internal error" not in err, (argv, err)
        after = _state(root)
        changed = {
            rel: after.get(rel)
            for rel, was in before.items()
            if after.get(rel) != was and rel not in asked
        }
        assert not changed, (argv, err, sorted(changed))
        if "elsewhere" not in argv:  # nothing written through the link planted at out/trip
            assert sorted(p.name for p in (root / "elsewhere").iterdir()) == ["precious.txt"]


_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}


@settings(max_examples=40, **_SETTINGS)  # type: ignore[arg-type]
@given(argv=command_lines(with_build=False))
def test_no_command_changes_a_file_it_did_not_create(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _check(argv, capsys)


@pytest.mark.slow
@settings(max_examples=60, **_SETTINGS)  # type: ignore[arg-type]
@given(argv=command_lines(with_build=True))
def test_no_command_changes_a_file_it_did_not_create_build_included(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _check(argv, capsys)
