"""The Mermaid grammar port against the real Mermaid, on a recorded corpus.

``tests/mermaid/corpus/*.mmd`` holds journey diagrams from Mermaid's own docs, specs and e2e
tests, from other public repositories, and edge cases of the grammar; each ``*.json`` beside it
is what Mermaid 11 itself said (``tests/mermaid/refresh.py`` records it in headless Chromium).
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import mermaid_oracle
import pytest

from journeymap.interop.mermaid_grammar import MermaidError, js_trim, parse

CASES = sorted(mermaid_oracle.CORPUS.glob("*.mmd"))


def _text(value: str | None) -> str | None:
    return None if value is None else js_trim(value) or None


def _score(value: float | str) -> float | str:
    if isinstance(value, str):
        return value
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return int(value) if value == int(value) else value


def _actors(people: list[str] | tuple[str, ...]) -> list[str]:
    # An empty actor ("Task: 5:") names nobody; a repeated one is one person.
    return list(dict.fromkeys(p for p in people if p))


def mermaid_reads(result: dict[str, Any]) -> dict[str, Any]:
    """Mermaid's recorded result in a comparable form.

    Outer whitespace of names is not significant (SVG text shows none). Title and accessibility
    texts pass through DOMPurify, which writes ``&`` as ``&amp;``: compared unescaped.
    """
    if not result["accepted"]:
        return {"accepted": False, "got": result["error"].get("token")}
    return {
        "accepted": True,
        "title": _text(html.unescape(result["title"] or "")),
        "acc_title": _text(html.unescape(result["accTitle"] or "")),
        "acc_descr": _text(html.unescape(result["accDescr"] or "")),
        "sections": [js_trim(s) for s in result["sections"]],
        "tasks": [
            [js_trim(t["section"]), js_trim(t["task"]), _score(t["score"]), _actors(t["people"])]
            for t in result["tasks"]
        ],
    }


def we_read(text: str) -> dict[str, Any]:
    """Our grammar port's reading of ``text`` in the same form."""
    try:
        diagram = parse(text)
    except MermaidError as exc:
        return {"accepted": False, "got": exc.got}
    return {
        "accepted": True,
        "title": _text(diagram.title),
        "acc_title": _text(diagram.acc_title),
        "acc_descr": _text(diagram.acc_descr),
        "sections": [js_trim(s.name) for s in diagram.sections if s.name is not None],
        "tasks": [
            [js_trim(s.name or ""), js_trim(t.name), _score(t.score), _actors(t.actors)]
            for s in diagram.sections
            for t in s.tasks
        ],
    }


def _source(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_the_corpus_is_large_and_mixed() -> None:
    names = [p.stem for p in CASES]
    assert len(names) >= 80
    assert sum(n.startswith("mermaid-") for n in names) >= 15
    assert sum(n.startswith("public-") for n in names) >= 5
    recorded = [json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in CASES]
    assert {r["mermaid"] for r in recorded} == {"11.17.2"}
    assert 15 <= sum(not r["accepted"] for r in recorded) < len(recorded) - 40


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_we_read_each_diagram_as_mermaid_does(path: Path) -> None:
    recorded = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert we_read(_source(path)) == mermaid_reads(recorded)


@pytest.mark.browser
def test_the_recorded_results_are_what_mermaid_says_today() -> None:
    if not mermaid_oracle.available():
        pytest.skip("needs chromium and tests/mermaid/refresh.py --install")
    live = mermaid_oracle.ask([_source(p) for p in CASES])
    for path, result in zip(CASES, live, strict=True):
        recorded = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert mermaid_reads(result) == mermaid_reads(recorded), path.name
