"""The command line: exit codes, report formats, schema, init, and staying fast to start."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.commands.cli import main

CASES = Path(__file__).parent / "cases"
INVALID = CASES / "invalid" / "unknown-key-suggestion.yaml"


def test_validate_examples_ok(examples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict", str(examples)]) == 0
    assert "all valid" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 2
    assert main(["validate", "no/such/file.yaml"]) == 2
    assert main(["validate", "--limit", "bogus=1", str(INVALID)]) == 2
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "no such file or folder: no/such/file.yaml" in err
    assert "unknown limit 'bogus'" in err


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(INVALID)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["errors"] == 1
    (diag,) = payload["diagnostics"]
    assert (diag["line"], diag["col"], diag["code"]) == (5, 5, "unknown-key")
    assert diag["json_path"] == "$.stages[0].touchpionts"


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "github", str(INVALID)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("::error file=")
    assert ",line=5,col=5,title=journeymap unknown-key::unknown key 'touchpionts'" in first


def test_schema_prints_the_published_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].endswith("2020-12/schema")


def test_init_writes_a_valid_starter_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    starter = tmp_path / "journey.yaml"
    before = starter.read_bytes()
    assert main(["validate", "--strict", str(starter)]) == 0
    starter.write_bytes(before + b"# mine\n")
    assert main(["init", str(tmp_path)]) == 1
    assert starter.read_bytes() == before + b"# mine\n"
    assert "already exists" in capsys.readouterr().err


def test_validate_and_help_do_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from journeymap.commands.cli import main\n"
        "for argv in (['--help'], ['validate', 'examples']):\n"
        "    try: main(argv)\n"
        "    except SystemExit: pass\n"
        "heavy = ('matplotlib', 'graphviz', 'jinja2', 'jsonschema')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
        timeout=60,
    )
    assert "HEAVY []" in proc.stdout


def _loaded(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of the modules ``names`` a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport sys\nprint([m for m in {names!r} if m in sys.modules])"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return ast.literal_eval(proc.stdout.strip().splitlines()[-1])


def test_importing_the_package_loads_no_reader() -> None:
    """``import journeymap`` (the model and its errors) loads no reader: YAML, the evidence
    reader and csv/json come with the first file read (0.05 s of CPU less at import)."""
    names = ("yaml", "csv", "json", "journeymap.source.evidence", "journeymap.source.loader")
    assert _loaded("import journeymap", names) == []


def test_the_command_line_loads_no_reader_before_a_command_runs() -> None:
    """Building the parser of every command (what each run does first) loads no reader:
    ``build``'s options once imported the trends module and with it YAML and the evidence
    reader, 0.07 s of CPU on every command."""
    names = (
        "yaml", "csv", "journeymap.source.evidence", "journeymap.source.loader",
        "journeymap.site.history", "jinja2", "matplotlib",
    )  # fmt: skip
    code = "from journeymap.commands.cli import build_parser; build_parser()"
    assert _loaded(code, names) == []


def test_python_m_journeymap_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert proc.stdout.startswith("journeymap ")


@pytest.mark.parametrize("argv", [["validate"], ["render", "-o", "out"], ["build", "-o", "site"]])
def test_a_folder_without_journeys_is_an_error_not_a_silent_pass(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    """A wrong folder in CI passed as "0 files checked" (and build published an empty site);
    files named on the command line, as pre-commit passes them, still may all be skipped."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "notes.txt").write_text("not a journey")
    assert main([*argv, "journeys"]) == 2
    assert capsys.readouterr().err == (
        "journeymap: error: no journey files in journeys: a journey is a .yaml or .yml file "
        "(folders are searched, without what journeymap.yaml excludes)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journeys"]
    workflow = tmp_path / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\n")
    assert main(["validate", "--only-journeys", str(workflow)]) == 0
