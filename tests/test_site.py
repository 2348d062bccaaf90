"""``journeymap build``: caching, determinism, failures, crash isolation, atomic publish."""

from __future__ import annotations

import json
import os
import shutil
import signal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from journeymap.commands.cli import main
from journeymap.render.options import RenderOptions
from journeymap.site.build import SiteError, assign_slugs, build_site
from journeymap.site.cache import MANIFEST
from journeymap.site.stamps import STAMPS
from journeymap.site.worker import Outcome, Task, run_task

SVG_ONLY = RenderOptions(formats=("svg",))


def journey_yaml(title: str, *, emotion: int = 1, extra: str = "", tag: str = "alpha") -> str:
    """A small valid journey; ``extra`` is appended to the touchpoint."""
    return (
        "journeymap: 1\n"
        f"title: {json.dumps(title)}\n"
        "owner: Team A\n"
        f"tags: [{json.dumps(tag)}]\n"
        "stages:\n"
        "  - name: Only stage\n"
        "    touchpoints:\n"
        "      - name: First\n"
        f"        emotion: {emotion}\n"
        "      - name: Second\n"
        f"        emotion: 0\n{extra}"
    )


def snapshot(site: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file of ``site``: bytes, inode and mtime (to see what was rewritten)."""
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            st = path.stat()
            out[path.relative_to(site).as_posix()] = (path.read_bytes(), st.st_ino, st.st_mtime_ns)
    return out


def contents(site: Path) -> dict[str, bytes]:
    """Every file's bytes but the stamps' (this machine's inodes and times: a local cache)."""
    return {k: v[0] for k, v in snapshot(site).items() if k != STAMPS}


def leftovers(parent: Path, site: Path) -> list[str]:
    """Temporary folders of ours left beside ``site``."""
    return [p.name for p in parent.iterdir() if p.name.startswith(f".{site.name}.")]


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "journeys"
    folder.mkdir()
    one = journey_yaml("One <b>&</b>", tag='say "hi" it\'s')
    (folder / "one.yaml").write_text(one, encoding="utf-8")
    (folder / "two.yaml").write_text(journey_yaml("Two", emotion=-1), encoding="utf-8")
    return folder


def test_build_then_noop_rewrites_nothing(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    report = build_site([src], site, SVG_ONLY, jobs=2)
    assert report.published and not report.failed
    assert sorted(o.rel for o in report.outcomes) == ["one.yaml", "two.yaml"]
    before = snapshot(site)
    assert {"index.html", "journeys.json", MANIFEST, "one/index.html", "one/curve.svg"} <= set(
        before
    )
    again = build_site([src], site, SVG_ONLY, jobs=2)
    assert again.noop and not again.outcomes
    assert snapshot(site) == before
    assert leftovers(tmp_path, site) == []


def test_changed_tool_code_rebuilds_everything(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build_site([src], site, SVG_ONLY, jobs=1)
    assert build_site([src], site, SVG_ONLY, jobs=1).noop
    monkeypatch.setattr("journeymap.site.cache.code_digest", lambda: "a renderer changed")
    report = build_site([src], site, SVG_ONLY, jobs=1)
    assert sorted(o.rel for o in report.outcomes) == ["one.yaml", "two.yaml"]


def test_two_builds_give_identical_bytes(src: Path, tmp_path: Path) -> None:
    """Every file but the stamps, which name this machine's inodes and times (a local cache)."""
    a, b = tmp_path / "a", tmp_path / "b"
    build_site([src], a, SVG_ONLY, jobs=1)
    build_site([src], b, SVG_ONLY, jobs=2)
    assert (a / STAMPS).read_bytes() != (b / STAMPS).read_bytes()
    assert contents(a) == contents(b)


def test_changed_journey_only_is_rebuilt_and_removed_disappears(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site([src], site, SVG_ONLY, jobs=2)
    old = snapshot(site)
    (src / "two.yaml").write_text(journey_yaml("Two changed", emotion=2), encoding="utf-8")
    report = build_site([src], site, SVG_ONLY, jobs=2)
    assert [o.rel for o in report.outcomes] == ["two.yaml"]
    assert report.reused == ["one.yaml"]
    new = snapshot(site)
    assert new["one/curve.svg"][:2] == old["one/curve.svg"][:2]  # same inode: hard-linked
    assert new["two/index.html"][0] != old["two/index.html"][0]
    (src / "one.yaml").unlink()
    report = build_site([src], site, SVG_ONLY, jobs=2)
    assert report.removed == ["one.yaml"] and not (site / "one").exists()
    data = json.loads((site / "journeys.json").read_text(encoding="utf-8"))
    assert [j["title"] for j in data["journeys"]] == ["Two changed"]


def test_imported_library_change_rebuilds_the_importer(tmp_path: Path) -> None:
    src = tmp_path / "j"
    (src / "lib").mkdir(parents=True)
    lib = src / "lib" / "people.yaml"
    lib.write_text(
        "journeymap: 1\nkind: library\npersonas:\n  - {id: p, name: Pat, color: '#0072B2'}\n",
        encoding="utf-8",
    )
    (src / "a.yaml").write_text(
        journey_yaml("A").replace("stages:", "imports: [lib/people.yaml]\nstages:"),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    build_site([src], site, SVG_ONLY, jobs=1)
    assert build_site([src], site, SVG_ONLY, jobs=1).noop
    lib.write_text(lib.read_text(encoding="utf-8").replace("Pat", "Pat Q"), encoding="utf-8")
    report = build_site([src], site, SVG_ONLY, jobs=1)
    assert sorted(o.rel for o in report.outcomes) == ["a.yaml", "lib/people.yaml"]
    assert "Pat Q" in (site / "a" / "index.html").read_text(encoding="utf-8")


def test_invalid_journey_keeps_old_site_unless_keep_going(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site([src], site, SVG_ONLY, jobs=2)
    before = snapshot(site)
    (src / "bad.yaml").write_text("journeymap: 1\ntitle: [unclosed\n", encoding="utf-8")
    report = build_site([src], site, SVG_ONLY, jobs=2)
    assert not report.published
    assert [o.rel for o in report.failed] == ["bad.yaml"]
    assert report.failed[0].diagnostics and report.failed[0].diagnostics[0].level == "error"
    assert snapshot(site) == before
    assert leftovers(tmp_path, site) == []
    report = build_site([src], site, SVG_ONLY, jobs=2, keep_going=True)
    assert report.published and [o.rel for o in report.failed] == ["bad.yaml"]
    assert (site / "one" / "index.html").is_file() and not (site / "bad").exists()


def crash_on_boom(task: Task) -> Outcome:
    """A worker that dies like a segfault for ``boom.yaml``."""
    if task.rel == "boom.yaml":
        os.kill(os.getpid(), signal.SIGSEGV)
    return run_task(task)


def test_worker_crash_is_that_journeys_error(src: Path, tmp_path: Path) -> None:
    (src / "boom.yaml").write_text(journey_yaml("Boom"), encoding="utf-8")
    for i in range(4):
        (src / f"more{i}.yaml").write_text(journey_yaml(f"More {i}"), encoding="utf-8")
    site = tmp_path / "site"
    report = build_site([src], site, SVG_ONLY, jobs=2, keep_going=True, runner=crash_on_boom)
    assert [o.rel for o in report.failed] == ["boom.yaml"]
    assert "crashed" in report.failed[0].errors[0]
    built = sorted(o.rel for o in report.outcomes if o.ok)
    assert built == ["more0.yaml", "more1.yaml", "more2.yaml", "more3.yaml", "one.yaml", "two.yaml"]
    assert all((site / Path(rel).stem / "index.html").is_file() for rel in built)


def test_case_insensitive_unique_output_folders() -> None:
    slugs = assign_slugs(["a/Bank.yaml", "b/bank.yaml", "c.yaml", "lib.yaml"], {"lib.yaml"})
    assert slugs == {"a/Bank.yaml": "a-bank", "b/bank.yaml": "b-bank", "c.yaml": "c"}


def test_colliding_names_build_separately(tmp_path: Path) -> None:
    src = tmp_path / "j"
    for folder in ("a", "b"):
        (src / folder).mkdir(parents=True)
    (src / "a" / "Bank.yaml").write_text(journey_yaml("Upper"), encoding="utf-8")
    (src / "b" / "bank.yaml").write_text(journey_yaml("Lower"), encoding="utf-8")
    site = tmp_path / "site"
    build_site([src], site, SVG_ONLY, jobs=2)
    assert "Upper" in (site / "a-bank" / "index.html").read_text(encoding="utf-8")
    assert "Lower" in (site / "b-bank" / "index.html").read_text(encoding="utf-8")


def test_refuses_to_replace_a_foreign_folder(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "docs"
    site.mkdir()
    (site / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SiteError):
        build_site([src], site, SVG_ONLY, jobs=1)
    assert (site / "precious.txt").read_text(encoding="utf-8") == "keep me"


class Texts(HTMLParser):
    """Collects text, tags and attributes of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.links: list[str] = []
        self.data_tags: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.data_tags += [json.loads(v or "") for k, v in attrs if k == "data-tags"]
        self.links += [v or "" for k, v in attrs if k in ("href", "src")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_user_text_is_escaped_and_links_are_relative(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site([src], site, SVG_ONLY, jobs=1)
    for page in (site / "index.html", site / "one" / "index.html"):
        parsed = Texts()
        parsed.feed(page.read_text(encoding="utf-8"))
        assert "b" not in parsed.tags  # the <b> in the title stayed text
        assert any("One <b>&</b>" in t for t in parsed.text)
        for link in parsed.links:
            if link.startswith("#"):  # the page's view links
                assert f'id="{link[1:]}"' in page.read_text(encoding="utf-8"), link
                continue
            assert "://" not in link and not link.startswith("/"), link
            assert (page.parent / link).is_file(), link
        if page.name == "index.html" and page.parent == site:
            assert sorted(parsed.data_tags) == [["alpha"], ['say "hi" it\'s']]


def test_cli_exit_codes_and_plain_progress(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "--format", "svg", "-j", "2"]) == 0
    err = capsys.readouterr().err
    assert "[2/2] built" in err
    assert main(["build", str(src), "-o", str(site), "--format", "svg"]) == 0
    assert "up to date" in capsys.readouterr().out
    (src / "bad.yaml").write_text("journeymap: 1\nstages: []\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(site), "--format", "svg"]) == 1
    captured = capsys.readouterr()
    assert "bad.yaml" in captured.err and "NOT published" in captured.out
    assert main(["build", str(src), "-o", str(site), "--format", "gif"]) == 2


@pytest.mark.slow
@pytest.mark.exe
def test_examples_build_is_deterministic_and_second_build_is_noop(
    examples: Path, tmp_path: Path
) -> None:
    shutil.copytree(examples, tmp_path / "examples")
    a, b = tmp_path / "a", tmp_path / "b"
    first = build_site([tmp_path / "examples"], a, RenderOptions(), jobs=4)
    assert first.published and not first.failed, [o.errors for o in first.failed]
    build_site([tmp_path / "examples"], b, RenderOptions(), jobs=2)
    assert contents(a) == contents(b)
    before = snapshot(a)
    assert build_site([tmp_path / "examples"], a, RenderOptions(), jobs=4).noop
    assert snapshot(a) == before
    index = json.loads((a / "journeys.json").read_text(encoding="utf-8"))
    assert len(index["journeys"]) == len(list(examples.glob("*.yaml")))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_keeps_old_site_and_leaves_no_temp_folders(
    src: Path, tmp_path: Path, signum: int
) -> None:
    import subprocess
    import sys

    site = tmp_path / "site"
    build_site([src], site, SVG_ONLY, jobs=1)
    before = snapshot(site)
    for i in range(12):
        (src / f"extra{i}.yaml").write_text(journey_yaml(f"Extra {i}"), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "journeymap", "build", str(src), "-o", str(site),
         "--format", "svg", "-j", "1"],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ, "CI": "1"},
    )  # fmt: skip
    assert proc.stderr is not None
    assert proc.stderr.readline().startswith("[1/")  # building has begun
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert snapshot(site) == before
    assert leftovers(tmp_path, site) == []
