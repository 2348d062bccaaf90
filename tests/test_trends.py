"""Trends from git history (``build --history N``): each journey's mean emotion, pain points
by severity and measured score over the commits that changed it, dated by the commits,
read with git safely and cached in the site's ``history.json``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from journeymap.commands.cli import main
from journeymap.render.options import RenderOptions
from journeymap.site import history
from journeymap.site.build import SiteError, build_site

FIXTURE = Path(__file__).parent / "atlas"
SCHEMAS = Path(__file__).parent.parent / "schemas"
OPTIONS = RenderOptions(formats=("svg",))

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org")
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def commit(repo: Path, date: str, edit: tuple[str, str, str] | None = None) -> None:
    """Change ``file`` (replace ``old`` by ``new``) and commit it on ``date`` (UTC)."""
    if edit:
        name, old, new = edit
        text = (repo / name).read_text(encoding="utf-8")
        assert old in text
        (repo / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", date, date=f"{date}T23:30:00+00:00")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The atlas journeys, gamma changed in three more commits (one of them broken)."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo)
    git(repo, "init", "-q")
    commit(repo, "2026-01-05")
    commit(repo, "2026-02-10", ("gamma.yaml", "severity: low", "severity: high"))
    commit(repo, "2026-03-01", ("gamma.yaml", "emotion: 1\n", "emotion: -2\n"))
    commit(repo, "2026-03-02", ("gamma.yaml", "stages:", "stages: [\n"))
    commit(repo, "2026-03-03", ("gamma.yaml", "stages: [\n", "stages:"))
    commit(repo, "2026-03-04", ("alpha.yaml", "title:", "summary: unrelated\ntitle:"))
    return repo


def series(site: Path) -> dict[str, list[tuple[str, float | None, dict[str, int]]]]:
    data = json.loads((site / "history.json").read_text(encoding="utf-8"))
    return {
        page: [(p["date"], p["emotion"], p["pain_points"]) for p in points]
        for page, points in data["journeys"].items()
    }


def pains(critical: int = 0, high: int = 0, medium: int = 0, low: int = 0) -> dict[str, int]:
    return {"critical": critical, "high": high, "medium": medium, "low": low}


def test_trends_are_computed_per_commit_and_dated_by_the_commits(repo: Path) -> None:
    site = repo.parent / "site"
    report = build_site([repo], site, OPTIONS, jobs=1, root=repo, history=10)
    assert report.published and not report.failed
    got = series(site)
    # gamma: emotion 1 on -3..3 is 4/6; later -2 is 1/6; the broken commit is skipped
    assert got["gamma/index.html"] == [
        ("2026-01-05", 0.6667, pains(low=1)),
        ("2026-02-10", 0.6667, pains(high=1)),
        ("2026-03-01", 0.1667, pains(high=1)),
        ("2026-03-03", 0.1667, pains(high=1)),
    ]
    # alpha: Ana 1 and Ben -1 at Search, -2 for Ana at Call: mean of 4/6, 2/6, 1/6
    assert got["alpha/index.html"] == [
        ("2026-01-05", 0.3889, pains(critical=1, high=1)),
        ("2026-03-04", 0.3889, pains(critical=1, high=1)),
    ]
    assert [d for d, _, _ in got["beta/index.html"]] == ["2026-01-05"]
    (warning,) = report.warnings
    assert re.fullmatch(
        r"gamma\.yaml at [0-9a-f]{12}: skipped in the trends: line \d+: .*", warning
    ), warning
    page = (site / "trends.html").read_text(encoding="utf-8")
    assert "2026-01-05 – 2026-03-03" in page
    assert page.count('<svg class="trend emotion"') == 3
    assert "<title>2026-03-01 · " in page  # each point titled with its commit's date
    assert '<a href="trends.html">Trends</a>' in (site / "index.html").read_text(encoding="utf-8")
    schema = json.loads((SCHEMAS / "history.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(
        json.loads((site / "history.json").read_text(encoding="utf-8"))
    )


class NavLinks(HTMLParser):
    """The (href, text) of each link in the atlas navigation bar of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav" and ("class", "atlas-nav") in attrs:
            self.depth = 1
        elif self.depth and tag == "a":
            self.links.append([dict(attrs).get("href") or "", ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.depth and self.links:
            self.links[-1][1] += data


def nav_links(page: Path) -> list[tuple[str, str]]:
    parsed = NavLinks()
    parsed.feed(page.read_text(encoding="utf-8"))
    return [(href, text) for href, text in parsed.links]


@pytest.mark.parametrize(("lang", "word"), [("en", "Trends"), ("de", "Trends"), ("ja", "推移")])
def test_every_atlas_page_links_the_trends_only_when_there_are_trends(
    repo: Path, lang: str, word: str
) -> None:
    options = RenderOptions(formats=("svg",), lang=lang)
    with_trends, without = repo.parent / "with", repo.parent / "without"
    build_site([repo], with_trends, options, jobs=1, root=repo, history=10)
    build_site([repo], without, options, jobs=1, root=repo)
    pages = sorted(p.name for p in with_trends.glob("*.html") if p.name != "index.html")
    assert {"backlog.html", "channels.html", "trends.html"} <= set(pages)
    assert any(p.startswith("owner") for p in pages) and any(p.startswith("persona") for p in pages)
    for name in pages:
        links = nav_links(with_trends / name)
        nav = ["index.html", "backlog.html", "channels.html", "trends.html"]
        assert [h for h, _ in links] == nav, name
        assert links[-1] == ("trends.html", word), name
        assert (with_trends / links[-1][0]).is_file()
    for name in sorted(p.name for p in without.glob("*.html") if p.name != "index.html"):
        assert [h for h, _ in nav_links(without / name)] == [
            "index.html", "backlog.html", "channels.html"
        ], name  # fmt: skip


def test_dates_come_from_the_commits_not_the_clock(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # +14:00: 23:30 UTC is the next day there
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    a, b = repo.parent / "a", repo.parent / "b"
    build_site([repo], a, OPTIONS, jobs=1, root=repo, history=3)
    monkeypatch.setenv("TZ", "UTC")
    build_site([repo], b, OPTIONS, jobs=1, root=repo, history=3)
    assert (a / "trends.html").read_bytes() == (b / "trends.html").read_bytes()
    assert [d for d, _, _ in series(a)["gamma/index.html"]] == [
        "2026-03-01",
        "2026-03-03",
    ]  # the last 3 commits touching gamma, less the broken one


def test_a_rebuild_reads_only_new_commits(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = repo.parent / "site"
    build_site([repo], site, OPTIONS, jobs=1, root=repo, history=10)
    assert build_site([repo], site, OPTIONS, jobs=1, root=repo, history=10).noop
    measured: list[str] = []
    real = history._measure

    def counting(sha: str, path: Path, *rest: object) -> dict[str, object]:
        measured.append(path.name)
        return real(sha, path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(history, "_measure", counting)
    commit(repo, "2026-04-01", ("beta.yaml", "severity: medium", "severity: critical"))
    report = build_site([repo], site, OPTIONS, jobs=1, root=repo, history=10)
    assert measured == ["beta.yaml"]  # one new commit; every other point from the cache
    assert series(site)["beta/index.html"][-1] == ("2026-04-01", 0.5, pains(critical=1))
    assert len(report.warnings) == 1  # the broken commit is still named
    # a commit touching no journey changes nothing: the site stays up to date
    (repo / "notes.txt").write_text("x", encoding="utf-8")
    commit(repo, "2026-04-02")
    assert build_site([repo], site, OPTIONS, jobs=1, root=repo, history=10).noop
    # without --history the trends go away
    build_site([repo], site, OPTIONS, jobs=1, root=repo)
    assert not (site / "trends.html").exists() and not (site / "history.json").exists()


def test_a_tampered_history_cache_is_not_believed(repo: Path) -> None:
    site = repo.parent / "site"
    build_site([repo], site, OPTIONS, jobs=1, root=repo, history=10)
    data = json.loads((site / "history.json").read_text(encoding="utf-8"))
    for key in data["cache"]:
        if "skipped" not in data["cache"][key]:
            data["cache"][key]["emotion"] = 7  # outside 0..1: the whole entry is dropped
    (site / "history.json").write_text(json.dumps(data), encoding="utf-8")
    commit(repo, "2026-05-01", ("beta.yaml", "severity: medium", "severity: low"))
    build_site([repo], site, OPTIONS, jobs=1, root=repo, history=10)
    assert all(e is None or 0 <= e <= 1 for points in series(site).values() for _, e, _ in points)
    assert series(site)["gamma/index.html"][0] == ("2026-01-05", 0.6667, pains(low=1))


def test_a_folder_outside_git_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "plain"
    shutil.copytree(FIXTURE, src)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(SiteError) as caught:
        build_site([src], tmp_path / "site", OPTIONS, jobs=1, root=src, history=5)
    assert str(caught.value) == (
        f"--history: {src} is not inside a git repository, so it has no history to read "
        "(run 'git init' and commit the journeys, or build without --history)"
    )
    assert not (tmp_path / "site").exists()
    code = main(
        ["build", str(src), "-o", str(tmp_path / "s2"), "--root", str(src), "--history", "5"]
    )
    assert code == 2
    assert "is not inside a git repository" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-1", "x", "501", "1e3"])
def test_history_takes_a_count_of_commits(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(FIXTURE), "-o", str(tmp_path / "s"), "--history", value]) == 2
    assert "argument --history: " in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_revisions_never_become_options(repo: Path) -> None:
    for rev in ("--output=/tmp/x", "-n1", "HEAD\n"):
        with pytest.raises(history.GitError, match="is not a revision"):
            history.commit_of(rev, repo)
    assert re.fullmatch("[0-9a-f]{40}", history.commit_of("HEAD", repo))


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 390])
def test_the_trends_page_fits_the_width(repo: Path, width: int, tmp_path: Path) -> None:
    from test_atlas_browser import sized

    site = repo.parent / "site"
    build_site([repo], site, OPTIONS, jobs=1, root=repo, history=10)
    with sized(width) as browser:
        browser.navigate((site / "trends.html").as_uri())
        seen = json.loads(
            browser.evaluate(
                "JSON.stringify({scroll: document.documentElement.scrollWidth,"
                " dots: document.querySelectorAll('svg.trend.emotion circle').length,"
                " titled: Array.from(document.querySelectorAll('svg.trend circle title'))"
                ".every(t => /^\\S* ?\\d{4}-\\d\\d-\\d\\d · [0-9a-f]{7}: /.test(t.textContent))})"
            )
        )
        browser.screenshot(tmp_path / f"trends-{width}.png")
    assert seen == {"scroll": width, "dots": 4 + 2 + 1, "titled": True}
