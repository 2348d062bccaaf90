"""Attacks on DuckDB ``query:`` evidence: a journey from a pull request may not change the
declared file (COPY ... TO it with USE_TMP_FILE false overwrote it), run statements beside its
SELECT, or hang the build with a query that never ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.check.validate import validate_file

duckdb = pytest.importorskip("duckdb")

DATA = "step,rating,verbatim\npay,3,Slow\n"

JOURNEY = """\
journeymap: 1
title: Checkout
stages:
  - id: buy
    name: Buy
    touchpoints:
      - {{id: pay, name: Payment, emotion: satisfied}}
evidence:
  - id: survey
    file: s.csv
    scale: {{min: 0, max: 10}}
    columns: {{touchpoint: step, score: rating, comment: verbatim}}
    query: {query}
"""


def _errors(tmp_path: Path, query: str) -> list[str]:
    (tmp_path / "s.csv").write_text(DATA, encoding="utf-8")
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(query=query), encoding="utf-8")
    result = validate_file(path, root=tmp_path)
    return [str(d).replace(str(tmp_path) + "/", "") for d in result.diagnostics]


@pytest.mark.parametrize(
    "query",
    [
        # a statement of its own after the one the reader wraps in parentheses
        "\"SELECT * FROM source) AS q; COPY (SELECT 42 AS x) TO '{data}' (USE_TMP_FILE false);"
        ' SELECT * FROM (SELECT * FROM source"',
        "\"SELECT * FROM source; COPY (SELECT 42 AS x) TO '{data}' (USE_TMP_FILE false)\"",
        "\"COPY (SELECT 42 AS x) TO '{data}' (USE_TMP_FILE false)\"",
    ],
)
def test_a_query_cannot_overwrite_the_declared_file(tmp_path: Path, query: str) -> None:
    errors = _errors(tmp_path, query.format(data=tmp_path / "s.csv"))
    assert (tmp_path / "s.csv").read_text(encoding="utf-8") == DATA
    assert len(errors) == 1 and errors[0].startswith("j.yaml:13:12: error: evidence file"), errors
    assert "must be one SELECT statement" in errors[0] or "Parser Error" in errors[0], errors


@pytest.mark.parametrize("query", ["SET threads = 1", "ATTACH ':memory:' AS m", "PRAGMA version"])
def test_a_query_is_one_select(tmp_path: Path, query: str) -> None:
    assert _errors(tmp_path, f'"{query}"') == [
        "j.yaml:13:12: error: evidence file 's.csv' has a query that is not one SELECT "
        "statement: the query must be one SELECT statement over the table 'source'"
    ]


def test_a_query_may_end_with_a_comment(tmp_path: Path) -> None:
    assert _errors(tmp_path, '"SELECT * FROM source -- all rows"') == []


def test_a_query_that_never_ends_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.source import duckdb_evidence

    monkeypatch.setattr(duckdb_evidence, "QUERY_SECONDS", 0.5)
    query = '"SELECT s.* FROM source AS s, range(1000000000000) AS a WHERE a.range < 0"'
    assert _errors(tmp_path, query) == [
        "j.yaml:13:12: error: evidence file 's.csv' could not be read by the query: it ran "
        "longer than 0.5 s and was stopped (make it read less, or filter earlier)"
    ]


def test_millions_of_distinct_touchpoints_stay_in_duckdb(tmp_path: Path) -> None:
    import tracemalloc

    from journeymap.source.evidence import Layout, read

    path = tmp_path / "many.csv"
    path.write_text(
        "step,rating,verbatim\n" + "".join(f"t{i},5,said {i}\n" for i in range(200_000)),
        encoding="utf-8",
    )
    tracemalloc.start()
    try:
        layout = Layout(touchpoint="step", score="rating", comment="verbatim")
        reading = read(path, layout, query="SELECT * FROM source")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(reading.tallies) == 10_000
    assert reading.bad["keys"] == (190_000, [10_001, 10_002, 10_003, 10_004, 10_005])
    assert peak < 40 * 2**20  # every group and comment was fetched into Python: 110 MiB


@pytest.mark.parametrize("analytics", [False, True])
def test_the_key_and_metric_limits_match_the_python_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, analytics: bool
) -> None:
    import random

    from journeymap.source import duckdb_evidence, evidence

    monkeypatch.setattr(evidence, "MAX_KEYS", 7)
    monkeypatch.setattr(duckdb_evidence, "MAX_KEYS", 7)
    monkeypatch.setattr(evidence, "MAX_METRICS", 3)
    monkeypatch.setattr(duckdb_evidence, "MAX_METRICS", 3)
    rng = random.Random(3)
    rows = [
        f"t{rng.randint(0, 12)},{rng.choice('ab')},m{rng.randint(0, 6)},{rng.randint(0, 10)},"
        f"c{rng.randint(0, 30)}"
        for _ in range(400)
    ]
    path = tmp_path / "s.csv"
    path.write_text("step,who,metric,rating,said\n" + "\n".join(rows) + "\n", encoding="utf-8")
    layout = evidence.Layout(
        touchpoint="step", persona="who", score="rating", comment="said",
        metric="metric" if analytics else None,
    )  # fmt: skip
    python = evidence.read(path, layout)
    sql = evidence.read(path, layout, query="SELECT * FROM source")
    assert python.bad["keys"][0] == sql.bad["keys"][0] > 0
    assert [x - 1 for x in python.bad["keys"][1]] == sql.bad["keys"][1]
    assert python.tallies.keys() == sql.tallies.keys()
    for key, tally in python.tallies.items():
        other = sql.tallies[key]
        assert tally.metrics.keys() == other.metrics.keys()
        assert (tally.scores.n, tally.picked()) == (other.scores.n, other.picked())
