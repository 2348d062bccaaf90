"""The site cache fingerprints evidence files (size, modification time, streamed sha256), with
no size limit: a big export is not read again, nor its journey rebuilt, while it is unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeymap.render.options import RenderOptions
from journeymap.site.build import SiteError, build_site
from journeymap.site.cache import MANIFEST, RACY_NS
from journeymap.site.worker import Outcome, Task, run_task

SVG = RenderOptions(formats=("svg",))
JOURNEY = """\
journeymap: 1
title: Big survey
evidence:
  - id: survey
    file: survey.csv
    scale: csat
    columns: {comment: comment}
stages:
  - id: s
    name: Stage
    touchpoints:
      - id: a
        name: Alpha
        emotion: 1
"""
ROW = "a,4," + "x" * 100 + "\n"
#: Over the 10 MiB limit of a source file, which the cache used to read evidence with.
ROWS = 12 * 1024 * 1024 // len(ROW) + 1
DAY_NS = 86_400 * 10**9


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "journeys"
    folder.mkdir()
    (folder / "big.yaml").write_text(JOURNEY, encoding="utf-8")
    with (folder / "survey.csv").open("w", encoding="utf-8") as out:
        out.write("touchpoint,score,comment\n")
        out.writelines(ROW for _ in range(ROWS))
    _age(folder / "survey.csv")
    return folder


def _age(path: Path, days: int = 1) -> None:
    """Set ``path``'s modification time ``days`` back (out of the racy window)."""
    stamp = path.stat().st_mtime_ns - days * DAY_NS
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The inode numbers of the files streamed through sha256 (in this process)."""
    seen: list[int] = []
    real = hashlib.file_digest

    def spy(handle: Any, digest: Any, **kwargs: Any) -> Any:
        seen.append(os.fstat(handle.fileno()).st_ino)
        return real(handle, digest, **kwargs)

    monkeypatch.setattr(hashlib, "file_digest", spy)
    yield seen


def _manifest(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    return data


def test_a_big_export_is_fingerprinted_and_its_journey_reused(
    project: Path, tmp_path: Path, hashed: list[int]
) -> None:
    site = tmp_path / "site"
    size = (project / "survey.csv").stat().st_size
    assert size > 12 * 1024 * 1024
    assert build_site([project], site, SVG, jobs=1).published
    entry = _manifest(site)["entries"]["big.yaml"]
    info = (project / "survey.csv").stat()
    sha = hashlib.sha256((project / "survey.csv").read_bytes()).hexdigest()
    assert entry["imports"] == ["survey.csv"]
    assert entry["fingerprints"] == {"survey.csv": [size, info.st_mtime_ns, sha]}
    hashed.clear()
    again = build_site([project], site, SVG, jobs=1)
    assert again.reused == ["big.yaml"] and again.noop
    assert info.st_ino not in hashed  # same size and time: not read again


def test_a_touched_file_is_read_again_and_reused_a_changed_one_rebuilds(
    project: Path, tmp_path: Path, hashed: list[int]
) -> None:
    site = tmp_path / "site"
    data = project / "survey.csv"
    build_site([project], site, SVG, jobs=1)
    # A fresh checkout: new times, same bytes. Read again, and the journey is reused.
    _age(data, days=-1)
    hashed.clear()
    report = build_site([project], site, SVG, jobs=1)
    assert report.reused == ["big.yaml"] and hashed.count(data.stat().st_ino) == 1
    # One score changed, same size: rebuilt, with the new figures.
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("a,4,", "a,1,", 1), encoding="utf-8")
    _age(data, days=2)
    report = build_site([project], site, SVG, jobs=1)
    assert report.reused == [] and [o.rel for o in report.outcomes] == ["big.yaml"]
    summary = _manifest(site)["entries"]["big.yaml"]["summary"]
    mean = summary["evidence"]["measures"][0]["mean"]
    assert mean == pytest.approx((4 * (ROWS - 1) + 1) / ROWS, abs=1e-4)


def test_a_file_changed_within_the_racy_window_is_not_fingerprinted(
    project: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    data = project / "survey.csv"
    now = os.stat(data).st_mtime_ns + 5 * DAY_NS  # "now" for the file: just written
    os.utime(data, ns=(now, now))
    assert RACY_NS >= 10**9
    build_site([project], site, SVG, jobs=1)
    entry = _manifest(site)["entries"]["big.yaml"]
    # The file's time is in the future of the clock: it may still change within its tick.
    assert entry["imports"] == ["survey.csv"] and entry["fingerprints"] == {}


def slow_build(task: Task) -> Outcome:
    """A worker on a loaded machine: its journey takes longer than the racy window."""
    time.sleep(RACY_NS / 1e9 + 0.5)
    return run_task(task)


def test_a_same_size_edit_within_the_same_second_is_seen_however_long_the_build(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "journeys"
    folder.mkdir()
    (folder / "big.yaml").write_text(JOURNEY, encoding="utf-8")
    data = folder / "survey.csv"
    data.write_text("touchpoint,score,comment\na,4,fine\n", encoding="utf-8")
    second = data.stat().st_mtime_ns // 10**9 * 10**9  # a file system with whole seconds
    os.utime(data, ns=(second, second))
    site = tmp_path / "site"
    assert build_site([folder], site, SVG, jobs=1, runner=slow_build).published
    assert _manifest(site)["entries"]["big.yaml"]["fingerprints"] == {}
    # Edited again within that second: same size, same modification time.
    data.write_text("touchpoint,score,comment\na,1,fine\n", encoding="utf-8")
    os.utime(data, ns=(second, second))
    report = build_site([folder], site, SVG, jobs=1)
    assert [o.rel for o in report.outcomes] == ["big.yaml"] and report.reused == []
    measure = _manifest(site)["entries"]["big.yaml"]["summary"]["evidence"]["measures"][0]
    assert measure["mean"] == 1
    # Settled (written long before the build): kept, and the next build is a no-op.
    _age(data)
    build_site([folder], site, SVG, jobs=1)
    assert list(_manifest(site)["entries"]["big.yaml"]["fingerprints"]) == ["survey.csv"]
    assert build_site([folder], site, SVG, jobs=1).noop


TAMPERINGS = {
    "not an object": lambda e: e.update(fingerprints=[1, 2]),
    "not imported": lambda e: e["fingerprints"].update({"other.csv": [1, 1, "0" * 64]}),
    "negative size": lambda e: e["fingerprints"]["survey.csv"].__setitem__(0, -1),
    "size is text": lambda e: e["fingerprints"]["survey.csv"].__setitem__(0, "1"),
    "bool time": lambda e: e["fingerprints"]["survey.csv"].__setitem__(1, True),
    "bad sha": lambda e: e["fingerprints"]["survey.csv"].__setitem__(2, "../../etc/passwd"),
    "too long": lambda e: e["fingerprints"]["survey.csv"].append(0),
}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_a_tampered_fingerprint_is_refused(tampering: str, project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site([project], site, SVG, jobs=1)
    data = _manifest(site)
    TAMPERINGS[tampering](data["entries"]["big.yaml"])
    (site / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    before = sorted(p.name for p in site.rglob("*"))
    with pytest.raises(SiteError, match="cannot tell which files"):
        build_site([project], site, SVG, jobs=1)
    assert sorted(p.name for p in site.rglob("*")) == before


def test_a_forged_digest_with_the_right_size_and_time_only_rebuilds(
    project: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build_site([project], site, SVG, jobs=1)
    data = _manifest(site)
    data["entries"]["big.yaml"]["fingerprints"]["survey.csv"][2] = "0" * 64
    (site / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    report = build_site([project], site, SVG, jobs=1)
    assert report.reused == [] and report.published  # the journey's hash no longer matched


def test_an_evidence_folder_linked_out_of_the_project_is_never_fingerprinted(
    project: Path, tmp_path: Path, hashed: list[int]
) -> None:
    site = tmp_path / "site"
    build_site([project], site, SVG, jobs=1)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.move(project / "survey.csv", outside / "survey.csv")
    data = _manifest(site)
    data["entries"]["big.yaml"]["imports"] = ["linked/survey.csv"]
    data["entries"]["big.yaml"]["fingerprints"] = {}
    (site / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    (project / "linked").symlink_to(outside)
    hashed.clear()
    report = build_site([project], site, SVG, jobs=1, keep_going=True)
    # The link out of the project was not followed.
    assert (outside / "survey.csv").stat().st_ino not in hashed
    assert report.reused == [] and [o.rel for o in report.failed] == ["big.yaml"]
