"""Attacks through CI logs and masking: a title, touchpoint name, survey comment or file name
that starts with '::' was printed at the start of a line (a GitHub Actions workflow command:
::error, ::add-mask::, ::stop-commands::), and phone numbers with an area code in brackets
kept it."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.commands.cli import main
from journeymap.source.diagnostics import printable
from journeymap.source.evidence import mask

JOURNEY = """\
journeymap: 1
title: "::error file=a.yaml::pwned"
stages:
  - id: buy
    name: Buy
    touchpoints:
      - {id: pay, name: "  ::stop-commands::tok", emotion: satisfied}
evidence:
  - id: survey
    file: s.csv
    scale: {min: 0, max: 10}
    columns: {touchpoint: step, score: rating, comment: verbatim}
"""


def test_evidence_text_starts_no_line_with_a_workflow_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "s.csv").write_text(
        'step,rating,verbatim\npay,3,"::add-mask::x"\n', encoding="utf-8"
    )
    (tmp_path / "j.yaml").write_text(JOURNEY, encoding="utf-8")
    assert main(["evidence", "--root", str(tmp_path), str(tmp_path / "j.yaml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "\\x3a:error file=a.yaml::pwned"
    assert lines[4].startswith("  \\x3a:stop-commands::tok  all")
    assert lines[-1] == "  \\x3a:stop-commands::tok: “\\x3a:add-mask::x”"
    assert not any(line.lstrip(" ").startswith("::") for line in lines)


def test_a_file_named_like_a_workflow_command_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "::warning::x.yaml").write_text("journeymap: 1\ntitle: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "::warning::x.yaml"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("\\x3a:warning::x.yaml:3:1: error:"), out
    assert not any(line.startswith("::") for line in out.splitlines())


def test_printable_leaves_colons_inside_a_text() -> None:
    assert printable("a::b") == "a::b" and printable(":a") == ":a"
    assert printable(" ::x") == " \\x3a:x"


@pytest.mark.parametrize(
    ("said", "masked"),
    [
        ("call +1 (555) 123-4567 now", "call [phone] now"),
        ("(555) 123-4567", "[phone]"),
        ("+44 (0)20 7946 0958", "[phone]"),
        ("0044.20.7946.0958 or 06 12 34 56 78", "[phone] or [phone]"),
        ("mail o'brien@example.com or a%b@example.org", "mail [e-mail] or [e-mail]"),
        ("on 2026-11-02 10:21, order 12345, 9 of 10", "on 2026-11-02 10:21, order 12345, 9 of 10"),
    ],
)
def test_phone_numbers_and_e_mail_addresses_are_masked_whole(said: str, masked: str) -> None:
    assert mask(said) == masked


def test_unknown_values_of_a_data_file_are_masked_in_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "s.csv").write_text(
        "step,rating,who\npay,3,bob@example.com\njane@example.com +44 20 7946 0958,4,a\n",
        encoding="utf-8",
    )
    (tmp_path / "j.yaml").write_text(
        JOURNEY.replace('"::error file=a.yaml::pwned"', "T")
        .replace("comment: verbatim", "persona: who")
        .replace("stages:", "personas: [{id: a, name: A}]\nstages:")
        .replace('"  ::stop-commands::tok"', "Pay"),
        encoding="utf-8",
    )
    assert main(["validate", "--root", str(tmp_path), str(tmp_path / "j.yaml")]) == 0
    out = capsys.readouterr().out.replace(str(tmp_path) + "/", "")
    assert out.splitlines()[:2] == [
        "s.csv:2:1: warning: 1 row names persona '[e-mail]', which the journey does not have; "
        "they count for the touchpoint only",
        "s.csv:3:1: warning: 1 row names touchpoint '[e-mail] [phone]', which the journey does "
        "not have; they are skipped",
    ]
