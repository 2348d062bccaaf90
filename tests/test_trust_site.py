"""The site build removes only what its manifest says it wrote, and trusts nothing in it.

User files in a site are kept (and named); a new output where one stands stops the build;
a garbage, directory or tampered manifest changes nothing and leaks nothing; ``-o .`` and
mount points fail before rendering; temporary folders of a killed build are cleaned up by
the next one; workers exit when the build is killed; a full disk names the path.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import journeymap
from journeymap.commands.cli import main
from journeymap.output import write
from journeymap.render.options import RenderOptions
from journeymap.site.build import SiteError, build_site
from journeymap.site.cache import MANIFEST
from journeymap.site.worker import Outcome, Task, run_task

SVG = RenderOptions(formats=("svg",))


def journey(title: str, emotion: int = 1) -> str:
    return (
        f"journeymap: 1\ntitle: {title}\nstages:\n  - name: Look\n    touchpoints:\n"
        f"      - {{name: Search, emotion: {emotion}}}\n"
    )


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "j"
    folder.mkdir()
    (folder / "one.yaml").write_text(journey("One"), encoding="utf-8")
    (folder / "two.yaml").write_text(journey("Two"), encoding="utf-8")
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_files_a_user_added_are_kept_and_named(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "--format", "svg", "-j", "1"]) == 0
    (site / "CNAME").write_text("example.org")
    (site / "notes").mkdir()
    (site / "notes" / "a.txt").write_text("mine")
    (site / "empty").mkdir()
    (site / "two" / "extra.txt").write_text("mine too")
    (site / "logo.svg").symlink_to("one/map.svg")
    (src / "two.yaml").unlink()
    (src / "one.yaml").write_text(journey("One, changed", 2), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(src), "-o", str(site), "--format", "svg", "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert "kept 5 files journeymap did not build" in out
    for name in ("CNAME", "notes/a.txt", "two/extra.txt", "logo.svg", "empty/"):
        assert name in out
    assert (site / "CNAME").read_text() == "example.org"
    assert (site / "notes" / "a.txt").read_text() == "mine"
    assert (site / "empty").is_dir()
    assert os.readlink(site / "logo.svg") == "one/map.svg"
    assert sorted(p.name for p in (site / "two").iterdir()) == ["extra.txt"]
    assert b"changed" in (site / "one" / "index.html").read_bytes()


def test_a_user_file_where_a_new_output_goes_stops_the_build(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (src / "two.yaml").unlink()
    build_site([src], site, SVG, jobs=1)
    (site / "two").write_text("a user's file called two")
    before = files(site)
    (src / "two.yaml").write_text(journey("Two"), encoding="utf-8")
    with pytest.raises(SiteError, match="did not build where the new site puts its own: two"):
        build_site([src], site, SVG, jobs=1)
    assert files(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


@pytest.mark.parametrize(
    "manifest",
    [
        "garbage {",
        "[]",
        '{"manifest": 2}',
        "directory",
        "symlink",
        "fifo",
    ],
)
def test_a_folder_with_a_garbage_manifest_is_not_treated_as_a_site(
    manifest: str, src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "precious.txt").write_text("keep")
    path = site / MANIFEST
    if manifest == "directory":
        path.mkdir()
        (path / "inside.txt").write_text("keep")
    elif manifest == "symlink":
        path.symlink_to(tmp_path / "elsewhere.json")
    elif manifest == "fifo":
        os.mkfifo(path)
    else:
        path.write_text(manifest)
    before = files(site)
    code = main(["build", str(src), "-o", str(site), "--format", "svg", "-j", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot tell which files" in err and "internal error" not in err
    assert files(site) == before


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Sources and a site built from them once for the module (tests work on copies)."""
    base = tmp_path_factory.mktemp("built")
    folder = base / "j"
    folder.mkdir()
    (folder / "one.yaml").write_text(journey("One"), encoding="utf-8")
    (folder / "two.yaml").write_text(journey("Two"), encoding="utf-8")
    build_site([folder], base / "site", SVG, jobs=1)
    return folder, base / "site"


TAMPERINGS = {
    "slug leaves the site": lambda e: e.update(slug="../../../proc/self"),
    "file outside": lambda e: e["files"].update({"../../../../proc/self/environ": "0" * 64}),
    "environ file": lambda e: e["files"].update({"environ": "0" * 64}) or e.update(slug="proc"),
    "javascript page": lambda e: e["summary"].update(page="javascript:alert(1)"),
    "javascript yaml": lambda e: e["summary"].update(yaml="javascript:alert(1)"),
    "javascript files": lambda e: e["summary"].update(files=["javascript:alert(1)"]),
    "import outside": lambda e: e.update(imports=["../../../../dev/zero"]),
    "absolute import": lambda e: e.update(imports=["/etc/passwd"]),
    "bad hash": lambda e: e.update(hash="x"),
    "title not text": lambda e: e["summary"].update(title=["x"]),
    "extra field": lambda e: e.update(extra=1),
}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_a_tampered_manifest_is_refused_and_nothing_leaks(
    tampering: str, built: tuple[Path, Path], tmp_path: Path
) -> None:
    src, site = tmp_path / "j", tmp_path / "site"
    shutil.copytree(built[0], src)
    shutil.copytree(built[1], site, symlinks=True)
    data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    entries = data["entries"]
    assert isinstance(entries, dict)
    TAMPERINGS[tampering](entries["one.yaml"])
    (site / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    (src / "two.yaml").write_text(journey("Two, changed"), encoding="utf-8")
    before = files(site)
    with pytest.raises(SiteError, match="cannot tell which files"):
        build_site([src], site, SVG, jobs=1)
    assert files(site) == before


def test_a_planted_symlink_among_the_outputs_is_never_copied(src: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CI-SECRET-TOKEN")
    site = tmp_path / "site"
    build_site([src], site, SVG, jobs=1)
    (site / "one" / "map.svg").unlink()
    (site / "one" / "map.svg").symlink_to(secret)
    (src / "two.yaml").write_text(journey("Two, changed"), encoding="utf-8")
    report = build_site([src], site, SVG, jobs=1)
    assert report.published and "one.yaml" not in report.reused
    assert not (site / "one" / "map.svg").is_symlink()
    assert all(b"CI-SECRET-TOKEN" not in data for data in files(site).values())


@pytest.mark.parametrize("where", ["dot", "parent-of-cwd", "mount"])
def test_an_output_that_cannot_be_renamed_fails_before_rendering(
    where: str, src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    cwd = tmp_path / "work" / "deeper"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    target = {"dot": ".", "parent-of-cwd": "..", "mount": "/dev/shm"}[where]
    if where == "mount" and not os.path.ismount(target):
        pytest.skip("no /dev/shm mount point")
    before = sorted(os.listdir(Path(target).resolve().parent))
    started = time.monotonic()
    code = main(["build", str(src), "-o", target, "--format", "svg"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert ("current folder" in err) if where != "mount" else ("mount point" in err)
    assert time.monotonic() - started < 5
    assert sorted(os.listdir(Path(target).resolve().parent)) == before
    assert not list((tmp_path / "work").rglob(MANIFEST))


def built_and_a_dead_pid(src: Path, site: Path) -> int:
    """Build ``site`` from ``src``; the id of a process that has ended."""
    build_site([src], site, SVG, jobs=1)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return dead.pid


def test_a_killed_builds_temporary_folders_are_cleaned_up(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    pid = built_and_a_dead_pid(src, site)
    staging = tmp_path / f".site.build-{pid}-abc123"
    (staging / "one").mkdir(parents=True)
    old = tmp_path / f".site.old-{pid}-def456"
    (old / "site").mkdir(parents=True)
    mine = tmp_path / f".site.build-{os.getpid()}-live"  # a running build's folder
    mine.mkdir()
    (src / "two.yaml").write_text(journey("Two, changed"), encoding="utf-8")
    report = build_site([src], site, SVG, jobs=1)
    assert sorted(report.cleaned) == sorted([staging.name, old.name])
    assert not staging.exists() and not old.exists() and mine.exists()


def test_an_old_site_left_mid_swap_is_put_back(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    old = tmp_path / f".site.old-{built_and_a_dead_pid(src, site)}-x"
    old.mkdir()
    site.rename(old / "site")  # killed between the two renames of the swap
    report = build_site([src], site, SVG, jobs=1)
    assert report.noop and not old.exists()


def _session_processes(sid: int) -> list[int]:
    """Live (non-zombie) processes of session ``sid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            out.append(int(entry.name))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_and_the_forkserver_exit_when_the_build_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "j"
    folder.mkdir()
    big = "".join(f"      - {{name: Step {i}, emotion: {i % 5 - 2}}}\n" for i in range(300))
    for n in range(4):
        text = f"journeymap: 1\ntitle: J{n}\nstages:\n  - name: S\n    touchpoints:\n{big}"
        (folder / f"j{n}.yaml").write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(journeymap.__file__).resolve().parent.parent))
    build = subprocess.Popen(
        [sys.executable, "-m", "journeymap", "build", str(folder), "-o", str(tmp_path / "site"),
         "-j", "2", "--format", "svg,pdf,png"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while len(_session_processes(build.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(_session_processes(build.pid)) >= 3, "workers never started"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while _session_processes(build.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _session_processes(build.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "processes of the killed build are still running"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    report = build_site([folder], tmp_path / "site", SVG, jobs=1)
    assert report.cleaned and report.published
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


def full_disk(task: Task) -> Outcome:
    """A worker whose disk is full."""

    def replace(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dst)

    write.os.replace = replace  # type: ignore[assignment]
    return run_task(task)


def test_a_full_disk_in_a_worker_names_the_path(src: Path, tmp_path: Path) -> None:
    report = build_site([src], tmp_path / "site", SVG, jobs=1, runner=full_disk)
    assert not report.published and len(report.failed) == 2
    for outcome in report.failed:
        (error,) = outcome.errors
        assert "No space left on device" in error
        assert f"{Path(outcome.rel).stem}/" in error and "internal error" not in error


def test_a_full_disk_while_publishing_names_the_path(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def replace(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dst)

    monkeypatch.setattr(write.os, "replace", replace)
    site = tmp_path / "site"
    code = main(["build", str(src), "-o", str(site), "--format", "svg", "-j", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "No space left on device" in err and "index.html" in err
    assert "internal error" not in err
    assert not site.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []
