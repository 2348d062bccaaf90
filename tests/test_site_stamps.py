"""A site this machine built is reused on its stamps alone; any other is checked as untrusted.

The stamps (device, inode, status-change time, modification time, size of every file the build
wrote) cannot be carried by a copy, a checkout or a cache restore, and an edit in place
changes the status-change time: such a site's manifest is checked summary by summary and its
files byte by byte, as before stamps existed.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from journeymap.render.options import RenderOptions
from journeymap.site import build
from journeymap.site.build import build_site
from journeymap.site.cache import MANIFEST
from journeymap.site.stamps import STAMPS, read

SVG = RenderOptions(formats=("svg",))
JOURNEY = """journeymap: 1
title: {title}
stages:
  - name: Look
    touchpoints:
      - {{name: Search, emotion: 1}}
"""


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "j"
    src.mkdir()
    for title in ("One", "Two"):
        (src / f"{title.lower()}.yaml").write_text(JOURNEY.format(title=title), encoding="utf-8")
    site = tmp_path / "site"
    assert build_site([src], site, SVG, jobs=1).published
    return src, site


class Counted:
    """Counts the summary checks and the file digests a build makes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.summaries = self.digests = 0
        holds, digest = build._summary_holds, build.file_digest

        def counted_holds(*args: object, **kwargs: object) -> bool:
            self.summaries += 1
            return holds(*args, **kwargs)  # type: ignore[arg-type]

        def counted_digest(path: Path) -> str:
            self.digests += 1
            return digest(path)

        monkeypatch.setattr(build, "_summary_holds", counted_holds)
        monkeypatch.setattr(build, "file_digest", counted_digest)


def test_a_site_built_here_is_reused_without_reading_it(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, site = built
    stamps = read(site)
    assert MANIFEST in stamps and "one/map.svg" in stamps and "index.html" in stamps
    assert STAMPS not in stamps
    counted = Counted(monkeypatch)
    report = build_site([src], site, SVG, jobs=1)
    assert report.noop
    assert (counted.summaries, counted.digests) == (0, 0)


def test_a_copied_site_is_checked_summary_by_summary(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy (like a checkout of a committed site) keeps the stamps file but not the stamps."""
    src, site = built
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    assert (copy / STAMPS).read_bytes() == (site / STAMPS).read_bytes()
    counted = Counted(monkeypatch)
    assert build_site([src], copy, SVG, jobs=1).noop  # true summaries: still nothing to write
    assert counted.summaries == 2 and counted.digests > 0


def test_a_page_edited_in_place_is_read_and_rebuilt(built: tuple[Path, Path]) -> None:
    src, site = built
    page = site / "one" / "map.svg"
    data = page.read_bytes()
    with page.open("r+b") as handle:  # same inode, same size, same modification time
        handle.write(b"X" + data[1:])
    info = page.stat()
    os.utime(page, ns=(info.st_atime_ns, read(site)["one/map.svg"][3]))
    report = build_site([src], site, SVG, jobs=1)
    assert [o.rel for o in report.outcomes] == ["one.yaml"]
    assert page.read_bytes() == data


def test_a_forged_stamps_file_is_only_less_trust(built: tuple[Path, Path]) -> None:
    src, site = built
    for garbage in (b"", b"[]", b'{"stamps": 1, "files": {"index.html": [1, 2]}}', b"\xff"):
        (site / STAMPS).write_bytes(garbage)
        assert read(site) == {}
        assert build_site([src], site, SVG, jobs=1).noop
    (site / STAMPS).unlink()
    (site / STAMPS).symlink_to(site / MANIFEST)
    assert read(site) == {}
    assert build_site([src], site, SVG, jobs=1).noop


def test_a_rebuild_stamps_what_it_wrote(built: tuple[Path, Path]) -> None:
    src, site = built
    (src / "two.yaml").write_text(JOURNEY.format(title="Two again"), encoding="utf-8")
    report = build_site([src], site, SVG, jobs=1)
    assert [o.rel for o in report.outcomes] == ["two.yaml"]
    stamps = read(site)
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    for rel, entry in manifest["entries"].items():
        for name in entry["files"]:
            assert f"{entry['slug']}/{name}" in stamps, (rel, name)
    assert STAMPS in manifest["top"] and not report.kept
    assert build_site([src], site, SVG, jobs=1).noop
