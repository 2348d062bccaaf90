"""The safe YAML loader: types, positions, and hostile input that must fail fast."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeymap.check.validate import validate_file
from journeymap.source.limits import Limits
from journeymap.source.loader import YamlError, load_bytes

CASES = Path(__file__).parent / "cases"


def test_yaml_1_2_scalars_keep_text_as_text() -> None:
    doc = load_bytes(
        b"a: no\nb: 2024-02-30\nc: on\nd: [1, -2, 0.5, true, false, ~]\ne: '1'\n", "f.yaml"
    )
    assert doc.data == {
        "a": "no",
        "b": "2024-02-30",
        "c": "on",
        "d": [1, -2, 0.5, True, False, None],
        "e": "1",
    }


def test_positions_count_characters_not_bytes() -> None:
    doc = load_bytes("ééé: x\nk:\n  - 1\n  - zz\n".encode(), "f.yaml")
    assert doc.locate(("ééé",)) == doc.positions[("ééé",)]
    assert (doc.positions[("ééé",)].line, doc.positions[("ééé",)].col) == (1, 6)
    assert (doc.positions[("k", 1)].line, doc.positions[("k", 1)].col) == (4, 5)
    assert doc.locate_key(("k",)).col == 1


def test_billion_laughs_fails_in_well_under_a_second() -> None:
    start = time.perf_counter()
    result = validate_file(CASES / "invalid" / "billion-laughs.yaml")
    assert time.perf_counter() - start < 0.5
    assert result.diagnostics[0].code == "too-many-nodes"


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    source = f"journeymap: 1\ntitle: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(YamlError, match=r"tag !!python/object/apply:os\.system is not allowed"):
        load_bytes(source.encode(), "f.yaml")
    assert not marker.exists()


def test_deep_nesting_cannot_crash_the_process(tmp_path: Path) -> None:
    # libyaml's C composer segfaults near 25,000 levels; we must stop long before building.
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", "validate", str(deep)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "deep.yaml:1:" in proc.stdout and "nesting deeper than" in proc.stdout


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"journeymap: 1\ntitle: x\nsummary: " + b"a" * 5000 + b"\n")
    result = validate_file(big, limits=Limits(max_bytes=1000))
    assert result.diagnostics[0].code == "too-large"
    assert "file is 5,033 bytes, over the limit of 1,000" in result.diagnostics[0].message


def test_text_length_limit() -> None:
    with pytest.raises(YamlError, match="over the limit of 10"):
        load_bytes(b"a: " + b"x" * 11 + b"\n", "f.yaml", Limits(max_text=10))


def test_alias_expansion_is_counted() -> None:
    source = b"a: &a [1, 2, 3, 4]\nb: [*a, *a, *a]\n"
    assert load_bytes(source, "f.yaml").data["b"][2] == [1, 2, 3, 4]
    with pytest.raises(YamlError, match="more than 10 values"):
        load_bytes(source, "f.yaml", Limits(max_nodes=10))


def test_touchpoint_limit(tmp_path: Path) -> None:
    tps = "".join(f"      - name: t{i}\n" for i in range(6))
    path = tmp_path / "many.yaml"
    path.write_text(f"journeymap: 1\ntitle: x\nstages:\n  - name: s\n    touchpoints:\n{tps}")
    result = validate_file(path, limits=Limits(max_touchpoints=5))
    assert [d.code for d in result.diagnostics] == ["too-many-touchpoints"]


def test_every_truncation_of_every_example_is_a_located_error() -> None:
    """A file cut anywhere (an editor mid-save, a bad merge) is explained, never a crash."""
    examples = sorted((Path(__file__).resolve().parent.parent / "examples").rglob("*.yaml"))
    for example in examples:
        raw = example.read_bytes()
        for cut in range(1, len(raw), max(1, len(raw) // 60)):
            try:
                load_bytes(raw[:cut], "cut.yaml")
            except YamlError as exc:
                assert str(exc).startswith("cut.yaml:"), (example, cut, str(exc))
