"""Attacks on the command line from outside: hostile file-system states around what each
command writes and reads (symlinks, FIFOs, files that are not ours, formula text in CSV).

Each test fails on the code before its fix.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journeymap.commands.cli import main
from journeymap.source.resources import schema_path

SCHEMA = schema_path().read_bytes()
JOURNEY_TEXT = """\
journeymap: 1
title: Secret
stages:
  - name: S
    touchpoints:
      - {name: A, emotion: 0}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git work tree as the current folder, with a secret file beside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.json").write_text('{"keep": true}', encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_schema_write_replaces_only_a_schema_copy(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``schema --write`` over a file that is not a schema copy (a mistyped path) refuses
    and keeps it; ``--force`` replaces it; an older copy is refreshed without it."""
    (repo / "package.json").write_text('{"name": "app"}', encoding="utf-8")
    assert main(["schema", "--write", "package.json"]) == 1
    assert capsys.readouterr().err == (
        "journeymap: error: package.json exists and is not a journeymap schema copy; nothing "
        "was written (--force replaces it with the schema)\n"
    )
    assert (repo / "package.json").read_text(encoding="utf-8") == '{"name": "app"}'
    assert main(["schema", "--write", "package.json", "--force"]) == 0
    assert (repo / "package.json").read_bytes() == SCHEMA
    older = json.loads(SCHEMA)
    older["title"] = "an older copy"
    (repo / "old.json").write_text(json.dumps(older), encoding="utf-8")
    assert main(["schema", "--write", "old.json"]) == 0
    assert (repo / "old.json").read_bytes() == SCHEMA
    assert capsys.readouterr().out == "wrote package.json\nwrote old.json\n"


def test_schema_write_never_follows_a_planted_folder_link(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ``.journeymap`` link committed to point outside the project would make the refresh
    write there: refused, with or without --force."""
    outside = repo.parent / "outside"
    (repo / ".journeymap").symlink_to(outside, target_is_directory=True)
    for force in ([], ["--force"]):
        argv = ["schema", "--write", ".journeymap/secret.json", *force]
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err == (
            f"journeymap: error: .journeymap/secret.json: its folder .journeymap is a symbolic "
            f"link to {outside}, outside the project; nothing was written (name the real "
            "folder if that is what you mean)\n"
        )
    assert os.listdir(outside) == ["secret.json"]
    assert (outside / "secret.json").read_text(encoding="utf-8") == '{"keep": true}'
    inside = repo / "real"
    inside.mkdir()
    (repo / "alias").symlink_to(inside, target_is_directory=True)
    assert main(["schema", "--write", "alias/journey.schema.json"]) == 0  # stays inside
    assert (inside / "journey.schema.json").read_bytes() == SCHEMA


def test_schema_write_over_a_link_or_a_fifo(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A symlink at PATH is refused (with --force the link itself is replaced, its target
    kept); a FIFO is refused at once, never opened."""
    secret = repo.parent / "outside" / "secret.json"
    (repo / "copy.json").symlink_to(secret)
    assert main(["schema", "--write", "copy.json"]) == 1
    assert "copy.json exists and is a symbolic link; nothing was written" in capsys.readouterr().err
    assert main(["schema", "--write", "copy.json", "--force"]) == 0
    assert not (repo / "copy.json").is_symlink()
    assert secret.read_text(encoding="utf-8") == '{"keep": true}'
    os.mkfifo(repo / "pipe.json")
    for force in ([], ["--force"]):
        assert main(["schema", "--write", "pipe.json", *force]) == 1
        assert capsys.readouterr().err == (
            "journeymap: error: pipe.json is not a regular file (a FIFO, socket or device); "
            "nothing was written\n"
        )
    assert sorted(os.listdir(repo)) == [".git", "copy.json", "pipe.json"]


FORMULAS = [
    "=HYPERLINK(1)",
    "\uff1dHYPERLINK(1)",
    "+1+cmd",
    "\uff0b1",
    "-2+3",
    "\uff0d2",
    "@SUM(1)",
    "\uff20SUM(1)",
    "\tcmd",
    "\rcmd",
    "  =1+1",
    "\u3000\uff1d1",
    "\u00a0@x",
]


def test_the_backlog_csv_neutralises_every_formula_trigger(repo: Path) -> None:
    """The backlog page's CSV download: a cell starting with = + - @ (also full-width, also
    after blanks), a tab or a CR gets a leading ' so a spreadsheet keeps it text. The page's
    own cell() function is run in node on the texts."""
    import re
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node")
    journey = "journeymap: 1\ntitle: T\nstages:\n  - name: S\n    touchpoints:\n"
    journey += "      - name: Pay\n        pain_points: [{text: x, severity: high}]\n"
    (repo / "j.yaml").write_text(journey, encoding="utf-8")
    assert main(["build", "j.yaml", "-o", "site", "--format", "svg"]) == 0
    page = (repo / "site" / "backlog.html").read_text(encoding="utf-8")
    (source,) = re.findall(r"^  function cell\(value\) \{\n.*?\n  \}$", page, re.M | re.S)
    plain = ["plain", "3 days", "a=b", "e-mail", "", " x"]
    script = (
        f"{source}\nprocess.stdout.write(JSON.stringify({json.dumps(FORMULAS + plain)}.map(cell)))"
    )
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    cells = json.loads(done.stdout)
    assert cells[: len(FORMULAS)] == ["\"'" + f.replace('"', '""') + '"' for f in FORMULAS]
    assert cells[len(FORMULAS) :] == [f'"{p}"' for p in plain]


def test_load_reads_only_inside_the_files_project(repo: Path) -> None:
    """``journeymap.load(path)`` without ``root``: a journey that is a symbolic link out of
    its project (to a file the caller never meant) is refused, as on the command line; an
    import anywhere inside the project works, as on the command line."""
    import journeymap
    from journeymap.source.diagnostics import JourneyError

    secret = repo.parent / "outside" / "secret.yaml"
    secret.write_text(JOURNEY_TEXT, encoding="utf-8")
    (repo / "journeys" / "team").mkdir(parents=True)
    (repo / "journeys" / "team" / "link.yaml").symlink_to(secret)
    with pytest.raises(JourneyError) as raised:
        journeymap.load(repo / "journeys" / "team" / "link.yaml")
    (message,) = [str(d) for d in raised.value.diagnostics]
    assert message == (
        f"journeys/team/link.yaml:1:1: error: is a symbolic link to {secret}, outside the "
        "project root (.); journeymap does not follow links out of it"
    )
    assert journeymap.load(secret).title == "Secret"  # named itself: read
    shared = repo / "journeys" / "shared"
    shared.mkdir()
    (shared / "people.yaml").write_text(
        "journeymap: 1\nkind: library\npersonas: [{id: p, name: Pat}]\n", encoding="utf-8"
    )
    team = JOURNEY_TEXT.replace("title: Secret", "title: Team\nimports: [../shared/people.yaml]")
    (repo / "journeys" / "team" / "a.yaml").write_text(team, encoding="utf-8")
    assert journeymap.load("journeys/team/a.yaml").title == "Team"
    with pytest.raises(JourneyError, match="leaves the project root"):
        journeymap.load(str(repo / "journeys/team/a.yaml"), root=repo / "journeys/team")


SUMMARY_TAMPERINGS: dict[str, Callable[[dict[str, Any]], None]] = {
    "title": lambda s: s.update(title="Hacked: send your password to evil.example"),
    "counts and sparkline": lambda s: (
        s.update(touchpoints=999, pain_points={"critical": 7})
        or s["emotion"].update(sparkline=[3, 3, 3])
    ),
}


@pytest.mark.parametrize("tampering", SUMMARY_TAMPERINGS)
def test_a_summary_in_a_committed_manifest_is_made_again(tampering: str, tmp_path: Path) -> None:
    """A well-typed but false summary in the manifest of a committed site (the index, the
    atlas and journeys.json show it) is not reused: the journey is rebuilt and the pages say
    what its source says."""
    from journeymap.render.options import RenderOptions
    from journeymap.site.build import build_site
    from journeymap.site.cache import MANIFEST

    src = tmp_path / "j"
    src.mkdir()
    (src / "one.yaml").write_text(JOURNEY_TEXT.replace("Secret", "One"), encoding="utf-8")
    (src / "two.yaml").write_text(JOURNEY_TEXT.replace("Secret", "Two"), encoding="utf-8")
    site = tmp_path / "site"
    svg = RenderOptions(formats=("svg",))
    assert build_site([src], site, svg, jobs=1).published
    honest = (site / MANIFEST).read_bytes()
    pages = {n: (site / n).read_bytes() for n in ("index.html", "journeys.json")}
    assert build_site([src], site, svg, jobs=1).noop  # an honest manifest is reused
    german = RenderOptions(formats=("svg",), lang="de")  # the project's language applied
    assert build_site([src], tmp_path / "de", german, jobs=1).published
    assert build_site([src], tmp_path / "de", german, jobs=1).noop
    data = json.loads(honest)
    SUMMARY_TAMPERINGS[tampering](data["entries"]["one.yaml"]["summary"])
    (site / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    for name, text in (("index.html", b"Hacked"), ("journeys.json", b"Hacked")):
        (site / name).write_bytes(pages[name].replace(b"One", text))
    report = build_site([src], site, svg, jobs=1)
    assert report.published and not report.noop
    assert report.reused == ["two.yaml"]
    assert (site / MANIFEST).read_bytes() == honest
    assert {n: (site / n).read_bytes() for n in pages} == pages


def test_outputs_never_replace_a_device_fifo_or_a_special_file(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``export -o /dev/null`` (as root) replaced /dev/null itself with a regular file, and
    ``-o /dev/stdout`` the link /dev/stdout. A device, FIFO or folder at the output, a link
    to one, and anything in /dev, /proc or /sys are refused (exit 2), for every command that
    writes. The test uses stand-ins in its own folder, never the real /dev."""
    from journeymap.output import write

    (repo / "j.yaml").write_text(JOURNEY_TEXT, encoding="utf-8")
    os.mkfifo(repo / "pipe.json")
    (repo / "null.json").symlink_to("/dev/null")
    (repo / "folder").mkdir()
    (repo / "folder-link").symlink_to("folder", target_is_directory=True)
    fake_dev = repo / "dev"
    fake_dev.mkdir()
    (repo / "tty").write_text("terminal", encoding="utf-8")
    (fake_dev / "stdout").symlink_to(repo / "tty")  # as /dev/stdout -> /proc/self/fd/1
    monkeypatch.setattr(write, "SPECIAL_FOLDERS", (fake_dev,))
    expected = {
        "pipe.json": "pipe.json is a FIFO, not a regular file",
        "null.json": "null.json is a symbolic link to a device, not a regular file",
        "folder": "folder is a folder, not a regular file",
        "folder-link": "folder-link is a symbolic link to a folder, not a regular file",
        "dev/stdout": f"dev/stdout is in {fake_dev}, among the system's special files",
    }
    for target, message in expected.items():
        for argv in (
            ["export", "j.yaml", "--to", "json", "-o", target],
            ["export", "j.yaml", "--to", "markdown", "-o", target],
        ):
            assert main(argv) == 2, argv
            err = capsys.readouterr().err
            assert err.startswith(f"journeymap: error: {message};"), err
    assert (repo / "null.json").is_symlink() and (fake_dev / "stdout").is_symlink()
    assert (repo / "tty").read_text(encoding="utf-8") == "terminal"
    assert os.listdir(repo / "folder") == []
    # render and cards: their output folder in the special folders is never created
    assert main(["render", "j.yaml", "-o", "dev", "--format", "svg", "--what", "map"]) == 1
    assert "among the system's special files" in capsys.readouterr().err
    assert sorted(os.listdir(fake_dev)) == ["stdout"]


def test_a_bind_mounted_site_folder_fails_before_rendering(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bind mount of a folder of the same file system (same device) was not seen as a
    mount point: the build rendered everything, then failed to rename it ('Device or resource
    busy') and left an empty '.site.old-*' folder behind."""
    import subprocess

    (repo / "j").mkdir()
    (repo / "j" / "a.yaml").write_text(JOURNEY_TEXT, encoding="utf-8")
    (repo / "my site").mkdir()
    if subprocess.run(["mount", "--bind", "my site", "my site"], capture_output=True).returncode:
        pytest.skip("needs mount --bind (root)")
    try:
        assert main(["build", "j", "-o", "my site", "--format", "svg", "-j", "1"]) == 2
        assert capsys.readouterr().err == (
            f"journeymap: error: {repo / 'my site'} is a mount point; a build publishes by "
            "renaming the site folder, so choose a folder inside it\n"
        )
    finally:
        subprocess.run(["umount", "my site"], check=True)
    assert sorted(os.listdir(repo)) == [".git", "j", "my site"]


def test_a_failed_swap_leaves_no_empty_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from journeymap.site import folder

    (repo / "site").mkdir()
    (repo / "staging").mkdir()
    real = os.rename

    def busy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(src).name == "site":
            raise OSError(16, "Device or resource busy")
        real(src, dst)

    monkeypatch.setattr(folder.os, "rename", busy)
    with pytest.raises(OSError):
        folder.swap(repo / "staging", repo / "site")
    assert sorted(os.listdir(repo)) == [".git", "site", "staging"]


def test_a_project_config_linked_out_of_the_project_is_not_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A committed ``journeymap.yaml`` that is a symbolic link to a file outside the project
    (a key, a token) was read by every command, and its keys or parse errors were printed."""
    token = repo.parent / "outside" / "token.txt"
    token.write_text("SECRET-abc: [unclosed\n", encoding="utf-8")
    (repo / "journeys").mkdir()
    (repo / "journeys" / "a.yaml").write_text(JOURNEY_TEXT, encoding="utf-8")
    (repo / "journeymap.yaml").symlink_to(token)
    for argv in (["validate"], ["render", "-o", "out"], ["build", "-o", "site"]):
        assert main(argv) == 1, argv
        assert capsys.readouterr().err == (
            f"journeymap.yaml:1:1: error: is a symbolic link to {token}, outside the project "
            "root (.); journeymap does not follow links out of it\n"
        )
    assert sorted(os.listdir(repo)) == [".git", "journeymap.yaml", "journeys"]
    (repo / "journeymap.yaml").unlink()
    (repo / "cfg").mkdir()
    (repo / "cfg" / "real.yaml").write_text("site: {title: Inner}\n", encoding="utf-8")
    (repo / "journeymap.yaml").symlink_to("cfg/real.yaml")  # inside: read
    assert main(["validate"]) == 0


def test_init_says_it_left_a_fifo_config_alone(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(repo / "journeymap.yaml")
    assert main(["init", "journeys"]) == 0
    out = capsys.readouterr().out
    assert out.endswith(
        "left journeymap.yaml alone: it is not a regular file; no project config was written\n"
    )


def test_limit_errors_in_the_project_config_do_not_point_at_limit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A billion-laughs, too deep or too big journeymap.yaml said 'raise the limit with
    --limit ...', which never applies to the config."""
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 9):
        laughs += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    cases = {
        laughs: "journeymap.yaml:7:8: error: more than 1,000,000 values once aliases are "
        "expanded (a 'billion laughs' file?); use fewer aliases",
        "x: " + "[" * 60 + "]" * 60 + "\n": "journeymap.yaml:1:51: error: nesting deeper than "
        "48 levels; flatten the structure",
        "# " + "x" * 300_000 + "\n": "journeymap.yaml:1:1: error: file is 300,003 bytes, over "
        "the limit of 262,144; split it",
    }
    for text, message in cases.items():
        (repo / "journeymap.yaml").write_text(text, encoding="utf-8")
        assert main(["validate"]) == 1
        assert capsys.readouterr().err == (
            f"{message} (the limits of the project config are fixed)\n"
        )


def test_import_mermaid_never_opens_a_fifo_or_device(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import mermaid FIFO`` blocked forever, and a device was read up to the size limit."""
    os.mkfifo(repo / "diagram.mmd")
    for name in ("diagram.mmd", "/dev/zero"):
        assert main(["import", "mermaid", name, "-o", "out.yaml"]) == 1
        assert capsys.readouterr().err == (
            f"{name}:1:1: error: is not a regular file (a folder, FIFO, socket or device); "
            "journeymap reads only regular files\n"
        )
    assert not (repo / "out.yaml").exists()


def _unblock(fifo: Path, after: float) -> None:
    """Open ``fifo`` for writing after ``after`` s, so code that (wrongly) reads it ends."""
    import threading
    import time

    def write() -> None:
        time.sleep(after)
        with contextlib.suppress(OSError):
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)

    threading.Thread(target=write, daemon=True).start()


def test_templates_never_read_a_link_out_or_a_fifo(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pull request's ``render: templates: tpl`` whose map template is a symbolic link to a
    secret published the secret as the map; a FIFO in the folder hung every build (hashing
    the templates read it)."""
    import time

    secret = repo.parent / "outside" / "secret.j2"
    secret.write_text("TOPSECRET", encoding="utf-8")
    (repo / "j.yaml").write_text(JOURNEY_TEXT, encoding="utf-8")
    (repo / "tpl" / "map").mkdir(parents=True)
    (repo / "tpl" / "map" / "map.svg.j2").symlink_to(secret)
    (repo / "journeymap.yaml").write_text("render: {templates: tpl}\n", encoding="utf-8")
    argv = ["render", "j.yaml", "-o", "out", "--format", "svg", "--what", "map"]
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        f"j.yaml: error: map: template map/map.svg.j2: {repo}/tpl/map/map.svg.j2 is a symbolic "
        f"link to {secret}, outside its folder; journeymap did not read it; if it is one of "
        "yours (--templates), fix it or remove it to use the built-in one\n"
    )
    outputs = [p for p in repo.rglob("*") if p.is_file() and not p.is_symlink()]
    assert not any(b"TOPSECRET" in p.read_bytes() for p in outputs)
    (repo / "tpl" / "map" / "map.svg.j2").unlink()
    os.mkfifo(repo / "tpl" / "notes.fifo")
    _unblock(repo / "tpl" / "notes.fifo", 20)
    started = time.monotonic()
    assert main(["build", "j.yaml", "-o", "site", "--format", "svg", "-j", "1"]) == 0
    assert time.monotonic() - started < 15, "the FIFO was opened"


def test_a_file_output_ending_in_a_slash_or_empty_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``export -o newdir/`` wrote a file named newdir; and every usage error printed its
    usage line glued to the message with a literal backslash-n."""
    (repo / "j.yaml").write_text(JOURNEY_TEXT, encoding="utf-8")
    (repo / "k.yaml").write_text(JOURNEY_TEXT.replace("emotion: 0", "emotion: 1"), "utf-8")
    cases = {
        ("export", "j.yaml", "--to", "json", "-o", "new/"): "-o/--output: 'new/'",
        ("evidence", "j.yaml", "-o", "new/"): "-o/--output: 'new/'",
        ("import", "mermaid", "j.yaml", "-o", "new/"): "-o/--output: 'new/'",
        ("diff", "j.yaml", "k.yaml", "-o", "new/"): "-o/--output: 'new/'",
        ("diff", "j.yaml", "k.yaml", "--image", "new/"): "--image: 'new/'",
    }
    for argv, where in cases.items():
        assert main(list(argv)) == 2
        message, usage, *_ = capsys.readouterr().err.split("\n")
        assert message == (
            f"journeymap: error: argument {where} ends in '/', so it names a folder; give a "
            "file path"
        )
        assert usage.startswith(f"usage: journeymap {argv[0]} ") and "\\n" not in usage
    assert main(["export", "j.yaml", "--to", "json", "-o", ""]) == 2
    assert "argument -o/--output: is empty; give a file path\n" in capsys.readouterr().err
    assert sorted(os.listdir(repo)) == [".git", "j.yaml", "k.yaml"]


def test_a_folder_output_that_is_a_file_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``cards -o FILE`` and ``curve -o FILE`` (not a .svg/.pdf/.png name) failed with
    'Not a directory' or 'File exists' after the work; render already said what was wrong."""
    (repo / "j.yaml").write_text(JOURNEY_TEXT, encoding="utf-8")
    for argv in (["render", "j.yaml"], ["cards", "j.yaml"], ["curve", "j.yaml"]):
        assert main([*argv, "-o", "j.yaml"]) == 2, argv
        assert capsys.readouterr().err == (
            "journeymap: error: -o j.yaml is a file, not a folder; nothing was written\n"
        )
    assert main(["curve", "j.yaml", "-o", "c.svg"]) == 0  # a file name: the file
    assert main(["curve", "j.yaml", "-o", "c.svg"]) == 0  # and again, replaced
    assert sorted(os.listdir(repo)) == [".git", "c.svg", "j.yaml"]
