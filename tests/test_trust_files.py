"""Odd entries in a journey folder fail that one file, fast, with a located message.

A FIFO named ``x.yaml`` (it used to block forever), symlinks to ``/dev/zero``, out of the
tree, in a loop or to nothing, a file name that is not UTF-8, a huge sparse file, and a
built site inside the journeys folder: through ``validate``, ``render`` and ``build``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

import journeymap
from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site

GOOD = """\
journeymap: 1
title: Good
stages:
  - name: Look
    touchpoints:
      - {name: Search, emotion: 1}
"""


def _odd_tree(tmp_path: Path) -> Path:
    """``project/j/`` with one good journey and every kind of odd entry named like a journey."""
    outside = tmp_path / "secret.yaml"
    outside.write_text("journeymap: 1\ntitle: SECRET-CONTENT\n", encoding="utf-8")
    folder = tmp_path / "project" / "j"
    folder.mkdir(parents=True)
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "outside.yaml").symlink_to(outside)
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    (folder / "dangling.yaml").symlink_to(folder / "missing.yaml")
    (folder / os.fsdecode(b"bad-\xff.yaml")).write_text(GOOD, encoding="utf-8")
    return folder


ODD = {
    "fifo.yaml": "not a regular file",
    "zero.yaml": "outside the project root",
    "outside.yaml": "outside the project root",
    "loop.yaml": "loops",
    "dangling.yaml": "does not exist",
    "bad-\\xff.yaml": "not valid UTF-8",
}


def _cli(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess (a hang would otherwise hang the test run)."""
    env = dict(os.environ, PYTHONPATH=str(Path(journeymap.__file__).resolve().parent.parent))
    return subprocess.run(
        [sys.executable, "-m", "journeymap", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
        errors="backslashreplace",
    )


@pytest.mark.parametrize("command", ["validate", "render", "build"])
def test_odd_entries_fail_alone_and_fast(command: str, tmp_path: Path) -> None:
    folder = _odd_tree(tmp_path)
    out = ["-o", tmp_path / "out"] if command != "validate" else []
    extra = {"render": ["--what", "map", "--format", "svg"], "build": ["-k", "--format", "svg"]}
    started = time.monotonic()
    done = _cli(command, folder, *out, *extra.get(command, []), cwd=folder.parent)
    assert time.monotonic() - started < 60
    text = done.stdout + done.stderr
    assert done.returncode == 1, text
    assert "Traceback" not in text and "internal error" not in text
    assert "SECRET-CONTENT" not in text
    for name, message in ODD.items():
        lines = [line for line in text.splitlines() if name in line and message in line]
        assert lines, f"{name}: no '{message}' in\n{text}"
    if command == "render":
        assert (tmp_path / "out" / "good" / "map.svg").is_file()
    if command == "build":
        site = tmp_path / "out"
        listed = json.loads((site / "journeys.json").read_text(encoding="utf-8"))["journeys"]
        assert [j["source"] for j in listed] == ["good.yaml"]
        published = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
        assert b"SECRET-CONTENT" not in published


def test_build_checks_the_size_before_reading(tmp_path: Path) -> None:
    """A 300 MB (sparse) source used to be read whole by the build before any limit."""
    folder = tmp_path / "j"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    with (folder / "huge.yaml").open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)
    tracemalloc.start()
    try:
        report = build_site([folder], tmp_path / "site", RenderOptions(formats=("svg",)), jobs=1,
                            keep_going=True)  # fmt: skip
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    (failed,) = report.failed
    assert failed.rel == "huge.yaml"
    assert any(d.code == "too-large" for d in failed.diagnostics)


def test_a_site_inside_its_sources_is_never_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "j"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    site = folder / "site"
    options = RenderOptions(formats=("svg",))
    for _ in range(3):
        report = build_site([folder], site, options, jobs=1)
        assert not report.failed
    listed = json.loads((site / "journeys.json").read_text(encoding="utf-8"))["journeys"]
    assert [j["source"] for j in listed] == ["good.yaml"]
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["good"]


def test_folders_holding_a_site_manifest_are_not_searched(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.yaml").write_text(GOOD, encoding="utf-8")
    copy = tmp_path / "published" / "x"
    copy.mkdir(parents=True)
    (copy / "source.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "published" / ".journeymap-cache.json").write_text("{}", encoding="utf-8")
    from journeymap.source.files import discover

    found, _ = discover([tmp_path])
    assert found == [tmp_path / "a" / "x.yaml"]
