"""Command lines against odd file-system states: what an attack script found (attack3).

Each case runs the command as CI would and asserts the exact message and exit code, that
nothing was written and that the file in the way is untouched. Every test here failed on the
code before its fix: a valid 250-byte output name could not be written, a folder on the way
to an output that is a file, a dangling link or a loop gave "File exists" or an internal
error, an empty PATH meant the current folder, a blank journeymap.yaml was a journey error,
unreadable folders and templates were skipped without a word, ``init`` wrote its folder name
into journeymap.yaml unquoted and printed it raw.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from journeymap.commands.cli import main

JOURNEY = """\
journeymap: 1
title: States
personas: [{id: ann, name: Ann}]
stages:
  - name: Look
    touchpoints:
      - {name: Search, emotion: 1}
      - {name: Pay, emotion: -1}
"""
MERMAID = "journey\n  title T\n  section S\n    Buy: 5: Me\n"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding j.yaml (a journey) and d.mmd (a Mermaid diagram), as the current
    folder and the project root (it holds .git)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "j.yaml").write_text(JOURNEY, encoding="utf-8")
    (tmp_path / "d.mmd").write_text(MERMAID, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def link_to_a_file(path: Path) -> None:
    path.with_name("target").write_text("mine")
    path.symlink_to("target")


#: What stands where a folder must be made, and how the message names it.
BLOCKERS: dict[str, tuple[Callable[[Path], object], str]] = {
    "file": (lambda p: p.write_text("mine"), "is a file, not a folder"),
    "fifo": (lambda p: os.mkfifo(p), "is a FIFO, not a folder"),
    "dangling": (
        lambda p: p.symlink_to("nowhere"),
        "is a symbolic link to nowhere, which does not exist",
    ),
    "loop": (lambda p: p.symlink_to(p.name), "is a symbolic link that loops"),
    "link-to-file": (link_to_a_file, "is a symbolic link to a file, not a folder"),
}

#: Commands writing into a folder: argv with OUT for the folder; the option named.
FOLDER_COMMANDS = {
    "render": (["render", "j.yaml", "--format", "svg", "-o", "OUT"], "-o"),
    "cards": (["cards", "j.yaml", "--format", "html", "-o", "OUT"], "-o"),
    "curve": (["curve", "j.yaml", "j.yaml", "-o", "OUT"], "-o"),
    "build": (["build", "j.yaml", "-o", "OUT"], "-o"),
    "init": (["init", "OUT"], "DIR"),
}


@pytest.mark.parametrize("blocker", sorted(BLOCKERS))
@pytest.mark.parametrize("command", sorted(FOLDER_COMMANDS))
def test_a_folder_on_the_way_that_cannot_be_one_is_a_usage_error(
    here: Path, capsys: pytest.CaptureFixture[str], command: str, blocker: str
) -> None:
    """``-o B/out`` where B is a file, a FIFO, a dangling link, a loop or a link to a file:
    exit 2 naming B and what it is, before any work; B untouched, nothing written. (Before:
    "B/out/j: Not a directory", "B: File exists", an internal error for build through a
    loop, and the other journeys of render abandoned.)"""
    make, what = BLOCKERS[blocker]
    make(here / "B")
    before = listing(here)
    argv, option = FOLDER_COMMANDS[command]
    code, out, err = run(capsys, *[a.replace("OUT", "B/out") for a in argv])
    assert (code, out) == (2, "")
    assert err == f"journeymap: error: {option} B/out: B {what}; nothing was written\n"
    assert listing(here) == before
    if blocker in ("file", "link-to-file"):
        assert (here / ("B" if blocker == "file" else "target")).read_text() == "mine"


@pytest.mark.parametrize("blocker", ["dangling", "loop"])
@pytest.mark.parametrize("command", ["render", "cards", "curve"])
def test_an_output_folder_that_is_a_broken_link_is_a_usage_error(
    here: Path, capsys: pytest.CaptureFixture[str], command: str, blocker: str
) -> None:
    """``-o B`` itself a dangling link or a loop (before: "B: File exists", exit 1)."""
    make, what = BLOCKERS[blocker]
    make(here / "B")
    argv, _ = FOLDER_COMMANDS[command]
    code, _, err = run(capsys, *[a.replace("OUT", "B") for a in argv])
    assert code == 2
    assert err == f"journeymap: error: -o B {what}; nothing was written\n"
    assert not (here / "nowhere").exists()


#: Commands writing one file: argv with OUT for it.
FILE_COMMANDS = {
    "export": ["export", "--to", "json", "j.yaml", "-o", "OUT"],
    "evidence": ["evidence", "j.yaml", "-o", "OUT"],
    "diff": ["diff", "j.yaml", "j.yaml", "-o", "OUT"],
    "import": ["import", "mermaid", "d.mmd", "-o", "OUT"],
}


@pytest.mark.parametrize("blocker", ["file", "dangling", "loop"])
@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_a_file_output_under_a_blocker_names_it(
    here: Path, capsys: pytest.CaptureFixture[str], command: str, blocker: str
) -> None:
    """``-o B/x`` of a one-file output: the message names B and what it is (before: "B/x:
    cannot write there: File exists", with B a file or a dangling link)."""
    make, what = BLOCKERS[blocker]
    make(here / "B")
    before = listing(here)
    code, out, err = run(capsys, *[a.replace("OUT", "B/x") for a in FILE_COMMANDS[command]])
    assert (code, out) == (1, "")
    assert err == f"journeymap: error: B/x: cannot write there: B {what}\n"
    assert listing(here) == before


def test_schema_write_under_a_dangling_link_names_the_link(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Shown as written, not as the link's target (before: "nowhere/s.json: ...")."""
    (here / "B").symlink_to("nowhere")
    code, _, err = run(capsys, "schema", "--write", "B/s.json")
    assert code == 1
    assert err == (
        "journeymap: error: B/s.json: B is a symbolic link to nowhere, which does not exist; "
        "nothing was written\n"
    )
    assert not (here / "nowhere").exists()


@pytest.mark.parametrize("command", ["export", "diff", "import"])
def test_an_output_name_of_250_bytes_is_written(
    here: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A name the file system takes (up to 255 bytes) is written: the temporary file beside
    it gets a shortened name (before: "File name too long", as ``.NAME.XXXXXXXX.tmp`` was
    over 255 bytes)."""
    name = "é" * 120 + ".md"  # 243 bytes
    argv = [a.replace("OUT", name) for a in FILE_COMMANDS[command]]
    code, _, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    written = (here / name).read_text(encoding="utf-8")
    if command == "export":
        assert json.loads(written)["title"] == "States"
    assert [p.name for p in here.iterdir() if p.name.endswith(".tmp")] == []


def test_render_names_a_file_at_out_journey_once(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file planted at OUT/<journey> is one error, not one per format (before: four)."""
    (here / "out").mkdir()
    (here / "out" / "j").write_text("mine")
    code, out, err = run(capsys, "render", "j.yaml", "--format", "svg", "-o", "out")
    assert code == 1
    assert err == "journeymap: error: out/j exists and is not a folder; nothing was written there\n"
    assert out == "out/j/: nothing written\n"
    assert (here / "out" / "j").read_text() == "mine"


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", ""],
        ["render", "", "-o", "out"],
        ["cards", "", "-o", "out"],
        ["export", "--to", "json", ""],
        ["evidence", ""],
        ["diff", "", "j.yaml"],
        ["curve", "", "j.yaml", "-o", "c.svg"],
        ["build", "", "-o", "site"],
        ["import", "mermaid", ""],
    ],
    ids=lambda argv: argv[0],
)
def test_an_empty_path_is_a_usage_error(
    here: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """``''`` is no file (before: ``Path('')`` is ``.``, so ``validate ''`` checked the whole
    folder, ``render ''`` drew it and ``export ''`` said ".:1:1: is not a regular file")."""
    before = listing(here)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == (
        "journeymap: error: an empty path ('') names nothing; give a file or folder "
        "('.' is this folder)\n"
    )
    assert listing(here) == before


def test_an_empty_root_is_a_usage_error(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """(Before: ``--root ''`` was the current folder.)"""
    code, out, err = run(capsys, "validate", "--root", "", "j.yaml")
    assert (code, out, err) == (2, "", "journeymap: error: --root '': no such folder\n")


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf", b"  \r\n"])
def test_a_blank_project_config_says_nothing(
    here: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    """A 0-byte, blank or BOM-only journeymap.yaml is an empty config, as one holding only
    comments is (before: "journeymap.yaml:1:1: file is empty; a journey needs at least
    'journeymap: 1', a 'title' and one stage", exit 1, for every command)."""
    (here / "journeymap.yaml").write_bytes(content)
    assert run(capsys, "validate", "j.yaml") == (0, "1 file checked: all valid\n", "")


def test_an_os_error_without_a_file_name_reads_cleanly(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Before: "journeymap: error:: Connection refused", a ``::`` in a CI log line.)"""
    from journeymap.commands import validate

    def refused(args: object) -> int:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(validate, "run", refused)
    assert run(capsys, "validate", "j.yaml") == (1, "", "journeymap: error: Connection refused\n")


def test_a_format_version_is_shown_as_yaml_writes_it(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``journeymap: true`` (before: "format version True", Python's spelling)."""
    (here / "v.yaml").write_text(JOURNEY.replace("journeymap: 1", "journeymap: true"))
    code, out, _ = run(capsys, "validate", "v.yaml")
    assert code == 1
    assert out.splitlines()[0] == (
        "v.yaml:1:13: error: format version true is not supported; this journeymap reads "
        "version 1 (write 'journeymap: 1')"
    )


@pytest.mark.parametrize("folder", ["#drafts", "a: b", "null", "12", "[x", "- x", "x #y"])
def test_init_lists_any_folder_name_as_text_in_the_config(
    here: Path, capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    """The journeymap.yaml ``init`` writes reads back the folder it named (before: written
    unquoted, "#drafts" became a comment, "a: b" a mapping, "null" nothing, "12" a number,
    and every later command failed on the config)."""
    assert run(capsys, "init", folder)[0] == 0
    from journeymap.source.config import read_document

    assert read_document(here / "journeymap.yaml").data["journeys"] == [folder]
    assert run(capsys, "validate") == (0, "1 file checked: all valid\n", "")


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["init", "d\x1b[2J\n::error::x"], "DIR d\\x1b[2J\\n::error::x"),
        (["init", "ok", "--name", "a\rb.yaml"], "--name a\\rb.yaml"),
    ],
)
def test_init_refuses_a_name_with_a_control_character(
    here: Path, capsys: pytest.CaptureFixture[str], argv: list[str], shown: str
) -> None:
    """A name the site manifest refuses is refused before anything is written (before: the
    journey was written, and the settings line printed the name raw: an ANSI sequence and a
    ``::error::`` workflow command at the start of a CI log line)."""
    before = listing(here)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == (
        f"journeymap: error: {shown} holds a control character or a backslash; choose a name "
        "without one (nothing was written)\n"
    )
    assert listing(here) == before


def test_init_escapes_a_bidi_control_in_every_line(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(Before: the .vscode/settings.json line printed U+202E raw, reversing the line.)"""
    code, out, _ = run(capsys, "init", "a\u202eb")
    assert code == 0
    assert "\u202e" not in out
    assert "'yaml.schemas' maps a\\u202eb/**/*.yaml, a\\u202eb/**/*.yml, journeymap.yaml" in out


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is private to this one)."""
    folder = Path(tempfile.mkdtemp(prefix="jm-states-"))
    folder.chmod(0o777)
    (folder / "j.yaml").write_text(JOURNEY, encoding="utf-8")
    (folder / "j.yaml").chmod(0o644)
    (folder / ".git").mkdir(mode=0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def as_user(folder: Path, *argv: str) -> tuple[int, str, str]:
    """journeymap run in ``folder`` by a user the file modes apply to: this one, or, when the
    tests run as root (who may read every file), root without the capabilities that override
    file modes (another uid could not read a checkout in a private folder)."""
    command = [sys.executable, "-m", "journeymap", *argv]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: file modes cannot be tested")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(folder)}
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("mode", [0o000, 0o311])
def test_a_folder_that_cannot_be_listed_is_that_entrys_error(shared: Path, mode: int) -> None:
    """A journey folder the user cannot list fails, located, and the rest is checked (before:
    skipped without a word, "1 file checked: all valid"; named alone, "0 files checked" or
    "journeymap: error: locked/.git: Permission denied")."""
    (shared / "locked").mkdir()
    (shared / "locked" / "x.yaml").write_text(JOURNEY, encoding="utf-8")
    (shared / "locked").chmod(mode)
    message = (
        "locked:1:1: error: cannot list the folder: Permission denied; its journeys were not read\n"
    )
    assert as_user(shared, "validate", ".") == (
        1,
        message + "2 files checked: 1 error(s), 0 warning(s)\n",
        "",
    )
    assert as_user(shared, "validate", "locked") == (
        1,
        message + "1 file checked: 1 error(s), 0 warning(s)\n",
        "",
    )


def test_an_unreadable_project_config_is_a_located_error(shared: Path) -> None:
    """(Before: "journeymap: error: /abs/journeymap.yaml: Permission denied", unlocated.)"""
    (shared / "journeymap.yaml").write_text("journeys: [.]\n")
    (shared / "journeymap.yaml").chmod(0o000)
    assert as_user(shared, "validate", "j.yaml") == (
        1,
        "",
        "journeymap.yaml:1:1: error: cannot read the file: Permission denied\n",
    )


def test_an_unreadable_templates_folder_is_a_usage_error(shared: Path) -> None:
    """(Before: silently drawn with the built-in templates, exit 0.)"""
    (shared / "tpl").mkdir(mode=0o000)
    for command in ("render", "cards", "build"):
        code, out, err = as_user(shared, command, "j.yaml", "--templates", "tpl", "-o", "out")
        assert (code, out) == (2, ""), command
        assert err == (
            "journeymap: error: --templates tpl: cannot list the folder: Permission denied; "
            "nothing was drawn\n"
        )
    assert not (shared / "out").exists()


@pytest.fixture
def loops(here: Path) -> Path:
    """``here`` with two symbolic link loops: loop.yaml (to itself) and a <-> b."""
    (here / "loop.yaml").symlink_to("loop.yaml")
    (here / "a").symlink_to("b")
    (here / "b").symlink_to("a")
    return here


#: A reference to loop.yaml, where it is reported, and the start of the message.
REFERENCES = {
    "import": ("title: States\n", "imports: [loop.yaml]\n", "r.yaml:3:11: error: import"),
    "sub-journey": (
        "  - name: Look\n",
        "    journey: loop.yaml\n",
        "r.yaml:6:14: error: sub-journey",
    ),
    "evidence": (
        "title: States\n",
        "evidence: [{id: s, file: loop.yaml, kind: survey}]\n",
        "r.yaml:3:26: error: evidence file",
    ),
}


@pytest.mark.parametrize("reference", sorted(REFERENCES))
@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "r.yaml"],
        ["render", "r.yaml", "-o", "out"],
        ["export", "--to", "json", "r.yaml"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_reference_to_a_symlink_loop_is_a_located_error(
    loops: Path, capsys: pytest.CaptureFixture[str], reference: str, argv: list[str]
) -> None:
    """An import, sub-journey or evidence file that is a looping link (before: Python 3.11's
    ``Path.resolve`` raised RuntimeError: "internal error", exit 70)."""
    after, added, where = REFERENCES[reference]
    (loops / "r.yaml").write_text(JOURNEY.replace(after, after + added, 1), encoding="utf-8")
    code, out, err = run(capsys, *argv)
    assert code == 1
    message = f"{where} 'loop.yaml' not found (looked for loop.yaml, a symbolic link that loops)"
    assert message in (out + err).splitlines()
    assert not (loops / "out").exists()


@pytest.mark.parametrize(
    ("config", "argv", "message"),
    [
        (
            "journeys: [a]\n",
            ["validate"],
            "journeymap.yaml: 'journeys' names a, which does not exist",
        ),
        (
            "output: a\n",
            ["render", "j.yaml"],
            "-o a is a symbolic link that loops; nothing was written",
        ),
        (
            "render: {templates: a}\n",
            ["render", "j.yaml", "-o", "out"],
            "--templates a: no such folder",
        ),
        ("", ["validate", "--root", "a", "j.yaml"], "--root a: no such folder"),
    ],
)
def test_a_config_or_root_naming_a_symlink_loop_is_a_usage_error(
    loops: Path, capsys: pytest.CaptureFixture[str], config: str, argv: list[str], message: str
) -> None:
    """(Before: "internal error: RuntimeError: Symlink loop from 'a'", exit 70.)"""
    (loops / "journeymap.yaml").write_text(config, encoding="utf-8")
    assert run(capsys, *argv) == (2, "", f"journeymap: error: {message}\n")
    assert not (loops / "out").exists()


def test_github_annotations_name_a_broken_link_as_it_stands(
    loops: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In GitHub Actions a looping link among the journeys is its annotation and a dangling
    one is annotated at the link (before: the loop ended the run with "internal error", exit
    70, and the dangling link's annotation named its missing target, file=nowhere)."""
    (loops / "sub").mkdir()
    (loops / "sub" / "d.yaml").symlink_to("../nowhere")
    (loops / "j.yaml").unlink()
    monkeypatch.setenv("GITHUB_WORKSPACE", str(loops))
    code, out, _ = run(capsys, "validate", "--format", "github", ".")
    assert code == 1
    assert out.splitlines() == [
        "::error file=loop.yaml,line=1,col=1,title=journeymap io::is a symbolic link that "
        "loops; remove or fix the link",
        "::error file=sub/d.yaml,line=1,col=1,title=journeymap io::is a symbolic link to "
        "../nowhere, which does not exist",
        "2 files checked: 2 error(s), 0 warning(s)",
    ]


def test_an_evidence_file_with_a_bad_byte_is_located_at_its_line(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(Before: always "d.csv:1:1: ... after row 0": the rows are counted only at the end,
    and the text is decoded in blocks ahead of the row being read.)"""
    rows = [b"touchpoint,score", *[b"search,5"] * 2000]
    rows[1500] = b"search\xff,5"
    (here / "d.csv").write_bytes(b"\n".join(rows) + b"\n")
    journey = JOURNEY.replace(
        "title: States\n", "title: States\nevidence: [{id: s, file: d.csv, kind: survey}]\n"
    )
    (here / "e.yaml").write_text(journey, encoding="utf-8")
    code, out, _ = run(capsys, "validate", "e.yaml")
    assert code == 1
    assert out.splitlines()[0] == (
        "d.csv:1501:1: error: this file is not valid utf-8-sig text (invalid start byte); "
        "set 'encoding:' to the file's encoding (for example cp1252)"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "j.yaml"],
        ["export", "--to", "json", "j.yaml"],
        ["evidence", "j.yaml"],
        ["render", "j.yaml", "-o", "out"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_journey_named_on_the_command_line_that_links_out_is_not_read(
    here: Path,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    """A committed ``j.yaml -> /elsewhere/secret.yaml``, named as CI names the changed files:
    the project is where the link stands, so the link leads out of it and is refused (before:
    the project was looked for from the target's folder, the link led inside it, and
    ``export`` printed the secret's title)."""
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    secret.write_text(JOURNEY.replace("title: States", "title: SECRET"), encoding="utf-8")
    (here / "j.yaml").unlink()
    (here / "j.yaml").symlink_to(secret)
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert "SECRET" not in out + err
    assert (
        f"j.yaml:1:1: error: is a symbolic link to {secret}, outside the project root (.); "
        "journeymap does not follow links out of it"
    ) in (out + err).splitlines()
    assert not (here / "out").exists()


def git(folder: Path, *argv: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *argv],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_diff_git_names_the_old_version_as_git_does(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken old version is reported at ``HEAD:j.yaml`` (before: at the temporary copy,
    ``/tmp/journeymap-diff-.../j.yaml:1:1``)."""
    (here / ".git").rmdir()
    (here / "j.yaml").write_text("- not a journey\n", encoding="utf-8")
    git(here, "init", "-q")
    git(here, "add", "j.yaml")
    git(here, "commit", "-qm", "old")
    (here / "j.yaml").write_text(JOURNEY, encoding="utf-8")
    code, out, err = run(capsys, "diff", "--git", "HEAD", "j.yaml")
    assert (code, out) == (1, "")
    assert err == "HEAD:j.yaml:1:1: error: 'the file' must be a mapping, not a list\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_diff_git_refuses_a_link_out_of_the_project(
    here: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """(Before: git ran in the link target's folder: "/etc is not inside a git repository
    ... or build without --history".)"""
    (here / ".git").rmdir()
    git(here, "init", "-q")
    git(here, "add", "j.yaml")
    git(here, "commit", "-qm", "old")
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    secret.write_text(JOURNEY, encoding="utf-8")
    (here / "j.yaml").unlink()
    (here / "j.yaml").symlink_to(secret)
    assert run(capsys, "diff", "--git", "HEAD", "j.yaml") == (
        2,
        "",
        f"journeymap: error: j.yaml is a symbolic link to {secret}, outside the project; "
        "--git reads only the project's history (nothing was read)\n",
    )


def test_import_reads_no_link_out_of_the_project(
    here: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import mermaid d.mmd`` with a committed ``d.mmd -> /elsewhere/s.mmd`` (before: read,
    its title printed); the file named by its own path is still read."""
    secret = tmp_path_factory.mktemp("elsewhere") / "s.mmd"
    secret.write_text(MERMAID.replace("title T", "title SECRET"), encoding="utf-8")
    (here / "d.mmd").unlink()
    (here / "d.mmd").symlink_to(secret)
    assert run(capsys, "import", "mermaid", "d.mmd") == (
        1,
        "",
        f"d.mmd:1:1: error: is a symbolic link to {secret}, outside the project root (.); "
        "journeymap does not follow links out of it\n",
    )
    code, out, _ = run(capsys, "import", "mermaid", str(secret))
    assert code == 0 and "title: SECRET\n" in out
