"""Hostile inputs to validation: deep chains, huge vocabularies, shared libraries, and user
text that tries to become a terminal sequence or a GitHub workflow command."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.check import suggest as suggest_module
from journeymap.check import validate as validate_module
from journeymap.check.schema import _PATTERN_HELP, matches_pattern
from journeymap.check.suggest import MAX_COMPARISONS, MAX_LENGTH, Vocabulary
from journeymap.check.validate import validate_file
from journeymap.commands.cli import main
from journeymap.source.diagnostics import Diagnostic, printable

HEAD = "journeymap: 1\ntitle: t\n"
ONE_STAGE = "stages:\n  - name: s\n    touchpoints:\n      - name: a\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- patterns match the whole text ------------------------------------------------------


@pytest.mark.parametrize("pattern", sorted(_PATTERN_HELP))
def test_no_pattern_accepts_a_trailing_newline(pattern: str) -> None:
    good = {"#": "#fff", "[": "abc", "^[-": "12"}[
        next(k for k in ("#", "^[-", "[") if k in pattern)
    ]
    assert matches_pattern(pattern, good)
    for bad in (good + "\n", "\n" + good, good + "\r\n"):
        assert not matches_pattern(pattern, bad), repr(bad)


def test_trailing_newline_colour_is_an_error_not_a_render_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _write(
        tmp_path / "j.yaml",
        HEAD + 'personas:\n  - {id: a, name: A, color: "#fff\\n"}\n' + ONE_STAGE,
    )
    assert main(["render", str(case), "-o", str(tmp_path / "out"), "--format", "svg"]) == 1
    err = capsys.readouterr().err
    assert "j.yaml:4:29: error: 'color' must be a colour" in err
    assert "internal error" not in err


# -- depth: chains of imports and nested lists --------------------------------------------


def test_an_import_chain_1000_deep_validates(tmp_path: Path) -> None:
    for i in range(1000):
        more = f"imports: [c{i + 1}.yaml]\n" if i < 999 else ""
        _write(
            tmp_path / f"c{i}.yaml",
            f"journeymap: 1\nkind: library\n{more}channels: [{{id: x{i}}}]\n",
        )
    journey = _write(tmp_path / "j.yaml", HEAD + "imports: [c0.yaml]\n" + ONE_STAGE)
    result = validate_file(journey)
    assert [str(d) for d in result.diagnostics] == []
    assert len(result.imports) == 1000


def test_a_cycle_at_the_end_of_a_long_chain_is_reported(tmp_path: Path) -> None:
    for i in range(300):
        _write(
            tmp_path / f"c{i}.yaml",
            f"journeymap: 1\nkind: library\nimports: [c{(i + 1) % 300}.yaml]\n",
        )
    journey = _write(tmp_path / "j.yaml", HEAD + "imports: [c0.yaml]\n" + ONE_STAGE)
    codes = [d.code for d in validate_file(journey).diagnostics]
    assert codes == ["import-cycle"]


def test_990_deep_next_list_with_raised_depth_limit_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = "[" * 990 + "]" * 990
    case = _write(tmp_path / "j.yaml", HEAD + ONE_STAGE + f"        next: {deep}\n")
    assert main(["validate", "--limit", "max_depth=1000", str(case)]) == 1
    out = capsys.readouterr().out
    assert "j.yaml:7:16: error: 'next[0]' must be text, not a list" in out


def test_deeply_nested_duplicates_are_found_without_recursion(tmp_path: Path) -> None:
    deep = "[" * 990 + "]" * 990
    case = _write(tmp_path / "j.yaml", HEAD + ONE_STAGE + f"        next: [{deep}, {deep}]\n")
    from journeymap.source.limits import Limits

    codes = {d.code for d in validate_file(case, limits=Limits(max_depth=1000)).diagnostics}
    assert "duplicate" in codes


# -- imports: each file once ---------------------------------------------------------------


def test_a_lattice_of_shared_libraries_reads_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    levels = 18
    for level in range(levels):
        for k in "ab":
            more = (
                f"imports: [l{level + 1}a.yaml, l{level + 1}b.yaml]\n" if level < levels - 1 else ""
            )
            _write(
                tmp_path / f"l{level}{k}.yaml",
                f"journeymap: 1\nkind: library\n{more}channels: [{{id: c{level}{k}}}]\n",
            )
    journey = _write(tmp_path / "j.yaml", HEAD + "imports: [l0a.yaml, l0b.yaml]\n" + ONE_STAGE)
    walked: list[str] = []
    real = validate_module._import_list

    def counting(doc: Any) -> list[tuple[int, str]]:
        walked.append(doc.path)
        return real(doc)

    monkeypatch.setattr(validate_module, "_import_list", counting)
    start = time.perf_counter()
    result = validate_file(journey)
    assert time.perf_counter() - start < 5  # 2^18 paths: 36 s before
    assert result.ok, [str(d) for d in result.diagnostics]
    assert len(walked) == len(set(walked)) == 2 * levels + 1
    assert len(result.imports) == 2 * levels


def test_a_hard_link_is_the_same_file(tmp_path: Path) -> None:
    base = _write(
        tmp_path / "base.yaml", "journeymap: 1\nkind: library\npersonas: [{id: ann, name: Ann}]\n"
    )
    (tmp_path / "same.yaml").hardlink_to(base)
    journey = _write(
        tmp_path / "j.yaml",
        HEAD + "imports: [base.yaml, same.yaml]\nstages:\n  - name: s\n    touchpoints:\n"
        "      - {name: a, personas: [ann]}\n",
    )
    assert [str(d) for d in validate_file(journey).diagnostics] == []


# -- "did you mean" is bounded -------------------------------------------------------------


def test_thousands_of_unknown_ids_make_a_bounded_number_of_comparisons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 3000
    tps = "".join(f"      - {{name: t, id: tp{i}, next: [tpx{i}]}}\n" for i in range(n))
    case = _write(tmp_path / "j.yaml", HEAD + "stages:\n  - name: s\n    touchpoints:\n" + tps)
    compared = []
    real = suggest_module.difflib.get_close_matches

    def counting(word: str, possibilities: list[str], **kw: Any) -> list[str]:
        compared.append(len(possibilities))
        return real(word, possibilities, **kw)

    monkeypatch.setattr(suggest_module.difflib, "get_close_matches", counting)
    start = time.perf_counter()
    result = validate_file(case)
    elapsed = time.perf_counter() - start
    unknown = [d for d in result.diagnostics if d.code == "unknown-reference"]
    assert len(unknown) == n
    assert sum(compared) <= MAX_COMPARISONS + suggest_module.MAX_CANDIDATES
    assert unknown[0].message == "unknown touchpoint 'tpx0'; did you mean 'tp0'?"
    assert unknown[-1].message.startswith("unknown touchpoint 'tpx2999'; known touchpoints: tp0,")
    assert elapsed < 10  # 35 s before


def test_a_long_unknown_word_is_not_compared(tmp_path: Path) -> None:
    alphabet = [chr(0x4E00 + i) for i in range(200)]
    label = "".join(alphabet[(i * 7919) % 200] for i in range(49_000))
    word = "".join(alphabet[(i * 104729) % 199] for i in range(49_000))
    case = _write(
        tmp_path / "j.yaml",
        HEAD
        + f"scale:\n  min: -3\n  max: 3\n  labels:\n    '1': {label}\n"
        + ONE_STAGE
        + f"        emotion: {word}\n",
    )
    start = time.perf_counter()
    (diag,) = validate_file(case).diagnostics
    assert time.perf_counter() - start < 2  # 3.3 s before, 18 s with the attack's word
    assert diag.code == "bad-emotion" and "did you mean" not in diag.message


def test_vocabulary_still_suggests_near_misses() -> None:
    words = Vocabulary(["look", "pay", "checkout", "x" * (MAX_LENGTH + 1)])
    assert words.suggest("chekout") == "; did you mean 'checkout'?"
    assert words.suggest("x" * (MAX_LENGTH + 1)) == ""
    assert words.listing(2) == "look, pay, ..."


# -- user text never becomes a terminal sequence or a workflow command ---------------------

NASTY = "x\n::error file=a::owned\r::add-mask::s\x1b[31m\x9b\u2028\u0085\u202e"


def test_printable_escapes_every_line_break_and_control() -> None:
    shown = printable(NASTY)
    assert shown == "x\\n::error file=a::owned\\r::add-mask::s\\x1b[31m\\x9b\\u2028\\x85\\u202e"
    assert printable("caf\udce9.yaml") == "caf\\xe9.yaml"  # an undecodable file-name byte
    assert printable("Zoë 🙂 عربي\u200d") == "Zoë 🙂 عربي\u200d"


def _nasty_journey(folder: Path) -> Path:
    name = "evil\n::error::x\x1b[2J\x9b.yaml"
    return _write(
        folder / name,
        HEAD
        + 'personas:\n  - {id: a, name: A, color: "red\\r::add-mask::secret\\u2028\\x85"}\n'
        + '"bad\\nkey::error::k": 1\n'
        + ONE_STAGE,
    )


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_reporters_keep_user_text_on_its_line(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _nasty_journey(tmp_path)
    assert main(["validate", "--format", fmt, str(case)]) == 1
    out = capsys.readouterr().out
    for char in ("\x1b", "\x9b", "\u2028", "\u0085", "\r"):
        assert char not in out
    lines = out.splitlines()
    if fmt == "json":
        payload = json.loads(out)
        assert payload["errors"] == 2
        assert "\x1b" in payload["diagnostics"][0]["path"]  # the data itself is kept exact
    elif fmt == "github":
        assert sum(line.startswith("::") for line in lines) == 2
        assert all(line.startswith(("::error file=", "1 file")) for line in lines)
        assert "add-mask" not in "".join(line.split("::", 3)[1] for line in lines[:2])
    else:
        assert len(lines) == 3
        assert all(line.startswith(str(tmp_path)) or line.startswith("1 file") for line in lines)


def test_commands_escape_file_names_they_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _write(
        tmp_path / "a\n::error::b\x1b.yaml", HEAD + "personas: [{id: a, name: A}]\n" + ONE_STAGE
    )
    assert (
        main(["render", str(case), "-o", str(tmp_path / "out"), "--format", "svg", "--what", "map"])
        == 0
    )
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err
    assert not any(line.startswith("::") for line in (out + err).splitlines())


def test_diagnostic_str_is_one_line() -> None:
    d = Diagnostic("a\nb.yaml", 1, 2, "error", "bad 'x\n::error::y'")
    assert str(d) == "a\\nb.yaml:1:2: error: bad 'x\\n::error::y'"


# -- NEL, LS and PS are characters, not line breaks (YAML 1.2, as editors count lines) -------


def test_nel_ls_ps_stay_in_the_text_and_do_not_move_lines(tmp_path: Path) -> None:
    case = _write(
        tmp_path / "j.yaml",
        HEAD.replace("title: t", "title: a\u2028b\u2029c\u0085d")
        + 'summary: "q\u2028r"\n'
        + ONE_STAGE
        + "        emotion: 9\n",
    )
    from journeymap.source.loader import load_bytes

    doc = load_bytes(case.read_bytes(), "j.yaml")
    assert doc.data["title"] == "a\u2028b\u2029c\u0085d"
    assert doc.data["summary"] == "q\u2028r"
    (diag,) = validate_file(case).diagnostics
    assert (diag.line, diag.col) == (8, 18)


def test_the_stand_in_noncharacters_are_refused(tmp_path: Path) -> None:
    case = _write(tmp_path / "j.yaml", HEAD.replace("title: t", "title: a\ufdd1b") + ONE_STAGE)
    (diag,) = validate_file(case).diagnostics
    assert (diag.line, diag.col, diag.code) == (2, 9, "bad-character")


# -- build: "library" comes from the parsed document ---------------------------------------


def test_build_decides_library_from_the_document_not_its_bytes(tmp_path: Path) -> None:
    from journeymap.render.options import RenderOptions
    from journeymap.site.build import build_site

    src = tmp_path / "src"
    _write(
        src / "tricky.yaml",
        'journeymap: 1\ntitle: "A title long enough to wrap onto the next line\nkind: library"\n'
        + ONE_STAGE,
    )
    _write(src / "flow-lib.yaml", "{journeymap: 1, kind: library, personas: [{id: p, name: P}]}\n")
    site = tmp_path / "site"
    report = build_site([src], site, RenderOptions(formats=("svg",)), jobs=1)
    assert not report.failed
    built = {o.rel: o.library for o in report.outcomes}
    assert built == {"tricky.yaml": False, "flow-lib.yaml": True}
    assert (site / "tricky" / "index.html").is_file()
    assert not (site / "flow-lib").exists()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_printable_output_is_one_safe_line_for_any_text(text: str) -> None:
    import unicodedata

    shown = printable(text)
    for char in shown:
        assert unicodedata.category(char) not in ("Cc", "Cs", "Zl", "Zp"), repr(char)
        assert not "\u202a" <= char <= "\u202e" and not "\u2066" <= char <= "\u2069"
    assert printable(shown) == shown
    shown.encode("utf-8")  # never a lone surrogate that cannot be written


def test_emotion_words_are_looked_up_not_searched(tmp_path: Path) -> None:
    labels = "".join(f"    '{i}': w{i}\n" for i in range(-10_000, 10_001))
    tps = "".join(f"      - {{name: t{i}, emotion: w{i % 100}}}\n" for i in range(5_000))
    case = _write(
        tmp_path / "j.yaml",
        HEAD + "scale:\n  min: -100\n  max: 100\n  labels:\n" + labels
        + "stages:\n  - name: s\n    touchpoints:\n" + tps,
    )  # fmt: skip
    start = time.perf_counter()
    result = validate_file(case)
    assert time.perf_counter() - start < 8  # 23 s before: every word folded every label
    codes = {d.code for d in result.diagnostics}
    assert "bad-scale" in codes and "bad-emotion" not in codes  # w0..w99 are on the scale
