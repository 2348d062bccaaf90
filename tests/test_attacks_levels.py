"""Attacks on sub-journeys (``journey:`` on a stage or touchpoint): a name the file system
refuses, a FIFO, and a long chain of details must give located errors, promptly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journeymap.check import levels
from journeymap.check.validate import Session, validate_file

TOP = """\
journeymap: 1
title: Top
stages:
  - name: One
    touchpoints:
      - {{name: T, emotion: 0, journey: "{ref}"}}
"""


def _errors(tmp_path: Path, ref: str) -> list[str]:
    path = tmp_path / "top.yaml"
    path.write_text(TOP.format(ref=ref), encoding="utf-8")
    result = validate_file(path, root=tmp_path)
    return [str(d).replace(str(tmp_path) + "/", "") for d in result.diagnostics]


def test_a_name_too_long_for_the_file_system_is_a_located_error(tmp_path: Path) -> None:
    ref = "x" * 300 + ".yaml"  # validation raised 'File name too long' for the whole run
    assert _errors(tmp_path, ref) == [
        f"top.yaml:6:40: error: sub-journey '{ref}' cannot be read: File name too long"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    assert _errors(tmp_path, "pipe.yaml") == [
        "top.yaml:6:40: error: sub-journey 'pipe.yaml' is not a regular file "
        "(pipe.yaml); name a journey file"
    ]


def test_a_deep_chain_below_a_too_long_name_is_checked(tmp_path: Path) -> None:
    (tmp_path / "mid.yaml").write_text(TOP.format(ref="y" * 300 + ".yaml"), encoding="utf-8")
    errors = _errors(tmp_path, "mid.yaml")  # the cycle search met the long name in mid.yaml
    assert errors == []


def test_a_long_chain_is_followed_once_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 120
    for i in range(n):
        text = TOP.format(ref=f"a{i + 1}.yaml")
        text = text if i + 1 < n else text.replace(f', journey: "a{n}.yaml"', "")
        (tmp_path / f"a{i}.yaml").write_text(text, encoding="utf-8")
    calls = 0
    real = levels.targets

    def counted(doc: levels.Document, file: Path) -> list[Path]:
        nonlocal calls
        calls += 1
        return real(doc, file)

    monkeypatch.setattr(levels, "targets", counted)
    session = Session(root=tmp_path)
    results = [session.validate(tmp_path / f"a{i}.yaml") for i in range(n)]
    assert all(r.ok for r in results)
    assert calls <= n  # was n * (n - 1) / 2: a 300-file chain took 15 s to validate


def _summary(page: str, details: list[str]) -> dict[str, object]:
    return {
        "page": page,
        "title": page.upper(),
        "levels": {"details": [{"page": d, "stage": "S", "touchpoint": None} for d in details]},
    }


def _count(node: dict[str, object]) -> tuple[int, int]:
    """(nodes, depth) of a tree node."""
    kids = [_count(k) for k in node["children"]]  # type: ignore[attr-defined]
    return 1 + sum(n for n, _ in kids), 1 + max((d for _, d in kids), default=0)


def test_the_index_tree_of_a_ladder_of_shared_details_is_bounded() -> None:
    from journeymap.site.levels import MAX_TREE_DEPTH, MAX_TREE_NODES, tree

    rungs = 30  # each a{i} is detailed by b{i} and c{i}, which both name a{i + 1}: 2^30 paths
    summaries = [_summary(f"a{rungs}", [])]
    for i in range(rungs):
        summaries += [
            _summary(f"a{i}", [f"b{i}", f"c{i}"]),
            _summary(f"b{i}", [f"a{i + 1}"]),
            _summary(f"c{i}", [f"a{i + 1}"]),
        ]
    (root,) = tree(summaries)
    nodes, depth = _count(root)
    assert root["page"] == "a0" and MAX_TREE_NODES <= nodes <= MAX_TREE_NODES + 2 * depth
    assert depth == MAX_TREE_DEPTH + 1


def test_the_index_tree_of_a_long_chain_is_cut_at_its_depth() -> None:
    from journeymap.site.levels import MAX_TREE_DEPTH, tree

    n = 1500  # the tree was built recursively: RecursionError, and no site
    (root,) = tree([_summary(f"p{i}", [f"p{i + 1}"] if i + 1 < n else []) for i in range(n)])
    assert _count(root) == (MAX_TREE_DEPTH + 1, MAX_TREE_DEPTH + 1)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".env", "AWS_SECRET=abc123\n"),
        ("creds.yaml", "title: hunter2\ntoken: ghp_x\n"),
        ("list.yaml", "- journeymap\n"),
    ],
)
def test_a_file_that_is_no_journey_is_no_sub_journey(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")  # was valid: its title on the map
    assert _errors(tmp_path, name) == [
        f"top.yaml:6:40: error: sub-journey '{name}' is not a journey (it has no "
        "'journeymap: 1'); name a journey file"
    ]
