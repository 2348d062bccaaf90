"""The validation corpus: every file in tests/cases/ with the exact diagnostics it must give.

Each invalid or warning case carries its expectations as comments (or, for files that cannot
hold ASCII comments, a sidecar ``.expect`` file)::

    # expect: LINE:COL LEVEL: message            (the exact message)
    # expect: LINE:COL LEVEL: start ...          (a message that names paths: its start)
    # expect: other.yaml:LINE:COL LEVEL: message (a diagnostic in another file)

Messages are compared as a person sees them (``printable``: a newline in user text is ``\\n``).

Adding a case means adding a file: the tests below collect them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journeymap.check.validate import validate_file
from journeymap.commands.cli import main
from journeymap.source.diagnostics import printable

CASES = Path(__file__).parent / "cases"
EXPECT = re.compile(
    rb"^# expect: (?:(?P<file>[^\s:]+):)?(?P<line>\d+):(?P<col>\d+) "
    rb"(?P<level>error|warning): (?P<message>.*)$",
    re.MULTILINE,
)


def _cases(folder: str) -> list[Path]:
    return sorted((CASES / folder).glob("*.yaml"))


def _expectations(case: Path) -> list[tuple[Path, int, int, str, str]]:
    sidecar = case.with_suffix(".expect")
    raw = sidecar.read_bytes() if sidecar.exists() else case.read_bytes()
    found = []
    for m in EXPECT.finditer(raw):
        file = (case.parent / m["file"].decode()).resolve() if m["file"] else case.resolve()
        found.append(
            (file, int(m["line"]), int(m["col"]), m["level"].decode(), m["message"].decode("utf-8"))
        )
    assert found, f"{case.name} has no '# expect:' line"
    return found


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.stem)
def test_valid_case_has_no_diagnostics(case: Path) -> None:
    result = validate_file(case, root=case.parent)
    assert [str(d) for d in result.diagnostics] == []
    assert result.journey is not None or result.library


@pytest.mark.parametrize("case", _cases("invalid") + _cases("warnings"), ids=lambda p: p.stem)
def test_case_gives_exactly_the_expected_diagnostics(case: Path) -> None:
    # Each case's folder is its project root, whatever checkout (git work tree) holds it.
    result = validate_file(case, root=case.parent)
    expected = _expectations(case)
    assert len(result.diagnostics) == len(expected), [str(d) for d in result.diagnostics]
    for (file, line, col, level, message), diag in zip(expected, result.diagnostics, strict=True):
        assert Path(diag.path).resolve() == file
        assert (diag.line, diag.col, diag.level) == (line, col, level), str(diag)
        shown = printable(diag.message)
        if message.endswith(" ..."):
            assert shown.startswith(message.removesuffix("..."))
        else:
            assert shown == message


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.stem)
def test_cli_exits_1_with_location_and_no_traceback(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The corpus's expectations hold with the case's folder as the root.
    assert main(["validate", "--root", str(case.parent), str(case)]) == 1
    out, err = capsys.readouterr()
    _, line, col, _, _ = _expectations(case)[0]
    assert f":{line}:{col}: error: " in out
    assert "Traceback" not in out + err


@pytest.mark.parametrize("case", _cases("warnings"), ids=lambda p: p.stem)
def test_warnings_pass_unless_strict(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(case)]) == 0
    assert main(["validate", "--strict", str(case)]) == 1


def test_messages_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    import subprocess
    import sys

    case = tmp_path / "order.yaml"
    tps = "".join(f"      - {{name: t{i}}}\n" for i in range(12))
    case.write_text(
        f"journeymap: 1\ntitle: t\nstages:\n  - name: s\n    touchpoints:\n"
        f"      - {{name: a, next: [zz]}}\n{tps}"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-m", "journeymap", "validate", str(case)],
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed},
            check=False,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert "known touchpoints: a, t0, t1, t2" in outputs.pop()
