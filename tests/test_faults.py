"""Faults around ``journeymap render`` and ``journeymap validate``: nothing lost, nothing leaked.

Planted symlinks, ``-o`` at an input, unwritable and full disks, ``dot`` missing or
crashing, SIGINT in the middle of a render, odd files in a folder: each ends in a clear
message and a non-zero exit (or a warning), never a traceback, never a damaged input, never
a half-written or temporary file.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeymap.commands.cli import main
from journeymap.output import write
from journeymap.source.limits import Limits

SMALL = """\
journeymap: 1
title: Faults
personas:
  - {id: ann, name: Ann}
stages:
  - name: Look
    touchpoints:
      - {name: Search, emotion: 1}
      - {name: Compare, emotion: -1}
  - name: Buy
    touchpoints:
      - {name: Pay, emotion: 2}
"""
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")


def journey_file(folder: Path, name: str = "trip.yaml", text: str = SMALL) -> Path:
    """A valid journey file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def big_journey(touchpoints: int) -> str:
    """A valid journey with ``touchpoints`` touchpoints in ten stages."""
    lines = ["journeymap: 1", "title: Big", "stages:"]
    per_stage = touchpoints // 10
    for s in range(10):
        lines += [f"  - name: Stage {s}", "    touchpoints:"]
        lines += [
            f"      - {{name: Step {s}-{t}, emotion: {(s + t) % 7 - 3}, "
            f"thought: Thinking about step {t} of stage {s}}}"
            for t in range(per_stage)
        ]
    return "\n".join(lines) + "\n"


def no_temp_files(root: Path) -> list[Path]:
    """Temporary files left anywhere under ``root`` (write.py names them ``.<name>.*.tmp``)."""
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Run the CLI in-process; exit code, stdout, stderr."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


def test_symlink_at_an_output_pointing_at_the_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = journey_file(tmp_path / "in")
    before = source.read_bytes()
    out = tmp_path / "out"
    (out / "trip").mkdir(parents=True)
    (out / "trip" / "map.svg").symlink_to(source)
    code, _, err = run_cli(capsys, "render", source, "-o", out, "--what", "map", "--format", "svg")
    assert code == 1
    assert "refusing to overwrite the input" in err
    assert source.read_bytes() == before
    assert not no_temp_files(tmp_path)


def test_symlink_at_an_output_pointing_elsewhere_is_replaced_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = journey_file(tmp_path / "in")
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    out = tmp_path / "out"
    (out / "trip").mkdir(parents=True)
    link = out / "trip" / "map.svg"
    link.symlink_to(precious)
    code, _, _ = run_cli(capsys, "render", source, "-o", out, "--what", "map", "--format", "svg")
    assert code == 0
    assert precious.read_text() == "keep me"
    assert not link.is_symlink() and b"<svg" in link.read_bytes()


def test_output_at_the_input_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = journey_file(tmp_path)
    before = source.read_bytes()
    code, _, err = run_cli(capsys, "render", source, "-o", source)
    assert code == 2
    assert "is a file, not a folder; nothing was written" in err
    assert source.read_bytes() == before


def test_output_inside_the_input_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = journey_file(tmp_path)
    before = source.read_bytes()
    code, _, err = run_cli(capsys, "render", source, "-o", source / "out", "--format", "svg")
    assert code == 2
    assert err == (
        f"journeymap: error: -o {source}/out: {source} is a file, not a folder; "
        "nothing was written\n"
    )
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trip.yaml"]


def test_output_folder_that_cannot_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A parent that is a file stands in for an unwritable folder (root ignores modes)."""
    source = journey_file(tmp_path / "in")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    code, _, err = run_cli(capsys, "render", source, "-o", blocker / "out", "--format", "svg")
    assert code == 2
    assert err == (
        f"journeymap: error: -o {blocker}/out: {blocker} is a file, not a folder; "
        "nothing was written\n"
    )
    assert blocker.read_text() == "a file"


def test_disk_full_keeps_the_previous_outputs_and_no_temp_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = journey_file(tmp_path / "in")
    out = tmp_path / "out"
    args = ("render", source, "-o", out, "--what", "map,curve", "--format", "svg")
    assert run_cli(capsys, *args)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(before) == 2
    source.write_text(SMALL.replace("Faults", "Faults, again"), encoding="utf-8")

    def full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dst)

    monkeypatch.setattr(write.os, "replace", full)
    code, _, err = run_cli(capsys, *args)
    assert code == 1
    assert "No space left on device" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not no_temp_files(tmp_path)


def _path_without_dot(tmp_path: Path) -> str:
    """A PATH holding rsvg-convert (when installed) but no ``dot``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    rsvg = shutil.which("rsvg-convert")
    if rsvg:
        (bin_dir / "rsvg-convert").symlink_to(rsvg)
    return str(bin_dir)


@pytest.mark.exe
def test_flow_needs_no_graphviz(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """journeymap lays the flow out itself: no ``dot`` on PATH is no problem."""
    source = journey_file(tmp_path / "in")
    monkeypatch.setenv("PATH", _path_without_dot(tmp_path))
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "render", source, "-o", out, "--format", "svg")
    assert code == 0, err
    names = ["curve.svg", "flow.dot", "flow.svg", "map.svg"]
    assert sorted(p.name for p in (out / "trip").iterdir()) == names
    assert "graphviz" not in err.lower()


@pytest.mark.exe
@pytest.mark.parametrize("how", ["segfault", "garbage"])
def test_a_broken_dot_on_path_changes_nothing(
    how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = journey_file(tmp_path / "in")
    bin_dir = tmp_path / "fake"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    body = "kill -SEGV $$" if how == "segfault" else "echo 'not svg at all'; exit 0"
    fake.write_text(f"#!/bin/sh\ncat >/dev/null\n{body}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "render", source, "-o", out, "--format", "svg,png")
    files = sorted(p.name for p in (out / "trip").iterdir())
    assert code == 0, err
    assert {"map.svg", "map.png", "curve.svg", "curve.png", "flow.svg", "flow.png"} <= set(files)
    assert not no_temp_files(tmp_path)


@pytest.mark.exe
@pytest.mark.slow
def test_sigint_keeps_finished_outputs_and_leaves_no_temp_files(tmp_path: Path) -> None:
    source = journey_file(tmp_path / "in", text=big_journey(300))
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "journeymap", "render", str(source), "-o", str(out)]
    argv += ["--format", "svg,pdf"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    # Time a second, warm run (font caches filled): the delays below must fall inside it.
    started = time.monotonic()
    subprocess.run(argv, capture_output=True, timeout=600, check=True)
    elapsed = time.monotonic() - started
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # Early (validating or drawing) and late (writing): a signal anywhere must be safe.
    for share in (0.3, 0.7):
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(elapsed * share)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert "Traceback" not in err
        if share > 0.5 and proc.returncode == 0:
            assert "interrupted" not in err  # the render won the race: it finished first
        else:
            assert proc.returncode == 130, (share, time.monotonic() - started, err)
            assert "interrupted" in err
        # Same input, deterministic output: every file is the old one or the same new bytes.
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        assert not no_temp_files(tmp_path)


def test_validate_survives_odd_entries_in_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "journeys"
    journey_file(folder, "good.yaml")
    (folder / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (folder / "truncated.yaml").write_text(SMALL[: len(SMALL) // 2 - 7])
    (folder / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (folder / "folder.yaml").mkdir()  # a folder is searched, not read as a file
    code, out, err = run_cli(capsys, "validate", folder)
    assert code == 1
    text = out + err
    for name in ("binary", "truncated", "dangling"):
        assert re.search(rf"{name}\.yaml:\d+:\d+: error: ", text), name
    assert "good.yaml" not in err


def test_journeys_whose_names_differ_only_in_case_get_separate_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    journey_file(folder, "Trip.yaml", SMALL.replace("Faults", "Upper"))
    journey_file(folder, "trip.yaml", SMALL.replace("Faults", "Lower"))
    journey_file(folder / "sub", "TRIP.yml", SMALL.replace("Faults", "Nested"))
    out = tmp_path / "out"
    code, _, _ = run_cli(capsys, "render", folder, "-o", out, "--what", "map", "--format", "svg")
    assert code == 0
    dirs = [p.name for p in out.iterdir()]
    assert len(dirs) == 3 and len({d.casefold() for d in dirs}) == 3, dirs
    titles = sorted((out / d / "map.svg").read_text().split("<title", 1)[1][:80] for d in dirs)
    assert sum("Upper" in t for t in titles) == sum("Lower" in t for t in titles) == 1


def test_output_folders_stay_inside_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """File names that slug to nothing still give distinct folders, all under OUT."""
    folder = tmp_path / "in"
    for name in ("日本.yaml", "中国.yaml", "€.yaml", "_.yaml", "-.yaml"):
        journey_file(folder, name)
    out = tmp_path / "out"
    code, _, _ = run_cli(capsys, "render", folder, "-o", out, "--what", "map", "--format", "svg")
    assert code == 0
    made = [p for p in tmp_path.rglob("map.svg")]
    assert len(made) == 5
    assert all(p.resolve().parent.parent == out.resolve() for p in made)


#: For each limit: a journey that breaks it when the limit is set to 10, and the message.
OVER_TEN = {
    "max_bytes": (SMALL, "over the limit of 10; split it"),
    "max_depth": (
        SMALL.replace(
            "{name: Pay, emotion: 2}", "{name: Pay, metrics: " + "{a: " * 12 + "1" + "}" * 12 + "}"
        ),
        "--limit max_depth=",
    ),
    "max_nodes": (SMALL, "--limit max_nodes="),
    "max_text": (
        SMALL.replace("title: Faults", "title: Faults and more faults"),
        "--limit max_text=",
    ),
    "max_touchpoints": (big_journey(20), "20 touchpoints, over the limit of 10"),
    "max_personas": (
        SMALL.replace(
            "  - {id: ann, name: Ann}\n",
            "".join(f"  - {{id: p{i}, name: P{i}}}\n" for i in range(19))
            + "  - {id: ann, name: Ann}\n",
        ),
        "20 personas (with those imported), over the limit of 10",
    ),
}


@pytest.mark.parametrize("name", sorted(OVER_TEN))
def test_every_limit_is_enforced_and_can_be_raised_from_the_cli(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, message = OVER_TEN[name]
    source = journey_file(tmp_path, text=text)
    code, out, err = run_cli(capsys, "validate", source, "--limit", f"{name}=10")
    assert code == 1
    assert message in (out + err).replace("\n", " ")
    assert f"--limit {name}=" in out + err, "the message says how to raise the limit"
    raised = min(100_000, Limits.ceiling(name))
    code, out, err = run_cli(capsys, "validate", source, "--limit", f"{name}={raised}")
    assert code in (0, 1) and f"--limit {name}" not in out + err
    folder = tmp_path / "out"
    code, _, err = run_cli(capsys, "render", source, "-o", folder, "--limit", f"{name}=10")
    assert code == 1 and message in err.replace("\n", " ") and not folder.exists()


def test_limits_fail_fast_on_a_hostile_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A billion-laughs file and a 1,000-deep nesting end in well under a second each."""
    laughs = ["journeymap: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    deep = "journeymap: 1\ntitle: " + "[" * 1000 + "]" * 1000 + "\n"
    for text, words in (("\n".join(laughs) + "\n", "max_nodes"), (deep, "max_depth")):
        source = journey_file(tmp_path, text=text)
        started = time.monotonic()
        code, out, _ = run_cli(capsys, "validate", source)
        assert time.monotonic() - started < 1.0
        assert code == 1 and f"--limit {words}=" in out


def test_limits_cannot_be_raised_beyond_what_the_code_serves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Nesting costs grow with the square of the depth: 20,000 levels took 29 s and 2 GB."""
    source = journey_file(tmp_path, text=SMALL)
    code, _, err = run_cli(capsys, "validate", source, "--limit", "max_depth=1001")
    assert code == 2 and "--limit max_depth must be between 1 and 1,000" in err
    assert run_cli(capsys, "validate", source, "--limit", "max_depth=1000")[0] == 0


def test_ten_thousand_personas_fail_fast(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = "".join(f"  - {{id: p{i}, name: P{i}}}\n" for i in range(10_000))
    source = journey_file(tmp_path, text=SMALL.replace("  - {id: ann, name: Ann}\n", people))
    started = time.monotonic()
    code, _, err = run_cli(capsys, "render", source, "-o", tmp_path / "out", "--format", "svg")
    assert time.monotonic() - started < 5  # 52 s and 570 MB for one curve before
    assert code == 1 and "10,000 personas (with those imported), over the limit of 100" in err


def test_two_thousand_touchpoints_validate_in_under_a_second(tmp_path: Path) -> None:
    from journeymap.check.validate import validate_file

    source = journey_file(tmp_path, text=big_journey(2000))
    validate_file(source)  # warm imports and caches
    started = time.perf_counter()
    result = validate_file(source)
    assert time.perf_counter() - started < 1.0
    assert result.ok and result.journey is not None and len(result.journey.touchpoints) == 2000
