"""Evidence through DuckDB (the optional extra): Parquet files and ``query:`` SQL give the same
figures as the Python reader, the SQL is sandboxed, and a missing extra is a located error."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from journeymap.check.validate import validate_file
from journeymap.commands.cli import main
from journeymap.source.evidence import Layout, Reading, read

try:
    import duckdb
except ImportError:  # the tests that need it skip; the missing-extra test runs
    duckdb = None

needs_duckdb = pytest.mark.skipif(
    duckdb is None, reason="the duckdb extra is not installed (pip install 'journeymap[duckdb]')"
)

JOURNEY = """\
journeymap: 1
title: Checkout
personas:
  - id: new
    name: New customer
stages:
  - id: buy
    name: Buy
    touchpoints:
      - id: cart
        name: Shopping cart
        emotion: neutral
      - id: pay
        name: Payment
        emotion: satisfied
evidence:
  - id: survey
    file: {file}
{extra}"""


def _csv(path: Path, rows: int = 3000, seed: int = 7) -> None:
    """A survey export with every kind of row: good ones, and bad scores, ranges, dates and
    touchpoints, repeated comments, personas and blank comments."""
    rng = random.Random(seed)
    lines = ["step,segment,rating,verbatim,day,channel"]
    words = ["Slow", "Card declined", "Easy", "Lovely", "", "Too many steps", "  "]
    for i in range(rows):
        step = rng.choice(["cart", "Payment", "pay", "", "basket"])
        score = rng.choice([str(rng.randint(0, 10)), "x", "11", "nan", "4.5"])
        day = rng.choice([f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}", "", "2026-13-01"])
        who = rng.choice(["new", "", "New customer"])
        said = rng.choice(words)
        lines.append(f'{step},{who},{score},"{said}",{day},{rng.choice(["web", "app"])}')
        if i == 5:
            lines.append("pay,new,9,Found it,2026-03-03,web")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _parquet(csv: Path, parquet: Path, typed: bool = False) -> None:
    con = duckdb.connect()
    if typed:
        select = (
            "SELECT step, segment, TRY_CAST(rating AS DOUBLE) AS rating, verbatim,"
            " TRY_CAST(day AS DATE) AS day, channel"
        )
    else:
        select = "SELECT *"
    con.execute(
        f"COPY ({select} FROM read_csv('{csv}', all_varchar = true, header = true)) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    con.close()


def _layout(**kw: object) -> Layout:
    base: dict[str, object] = dict(
        touchpoint="step", score="rating", comment="verbatim", persona="segment", date="day",
        nps=True, low=0.0, high=10.0,
    )  # fmt: skip
    base.update(kw)
    return Layout(**base)  # type: ignore[arg-type]


def _same(a: Reading, b: Reading, line_offset: int = 1) -> None:
    """Equal readings: every tally's figures and comments, totals and bad rows (the CSV counts
    lines from the header, a table counts rows)."""
    assert (a.rows, a.used, a.outside) == (b.rows, b.used, b.outside)
    assert {r: (n, [x - line_offset for x in lines]) for r, (n, lines) in a.bad.items()} == b.bad
    assert a.tallies.keys() == b.tallies.keys()
    for key, x in a.tallies.items():
        y = b.tallies[key]
        assert (x.scores.n, x.promoters, x.passives, x.detractors) == (
            y.scores.n, y.promoters, y.passives, y.detractors,
        ), key  # fmt: skip
        assert x.scores.total == pytest.approx(y.scores.total)
        assert x.scores.squares == pytest.approx(y.scores.squares)
        assert (x.first_date, x.last_date, x.line - line_offset) == (
            y.first_date, y.last_date, y.line
        ), key  # fmt: skip
        assert x.picked() == y.picked(), key


@needs_duckdb
@pytest.mark.parametrize("pick", ["recent", "lowest"])
def test_a_generated_parquet_file_gives_the_csv_figures(tmp_path: Path, pick: str) -> None:
    csv, parquet = tmp_path / "s.csv", tmp_path / "s.parquet"
    _csv(csv)
    _parquet(csv, parquet)
    layout = _layout(pick=pick, since="2026-02-01", until="2026-08-31")
    python, sql = read(csv, layout), read(parquet, layout, "parquet")
    assert sql.unit == "row" and python.unit == "line"
    assert set(python.bad) == {"no-touchpoint", "score", "range", "date"}
    assert python.outside > 0 and python.used > 500
    _same(python, sql)


@needs_duckdb
def test_typed_columns_and_hand_computed_nps(tmp_path: Path) -> None:
    csv, parquet = tmp_path / "s.csv", tmp_path / "s.parquet"
    csv.write_text(
        "step,segment,rating,verbatim,day,channel\n"
        + "".join(f"cart,new,{s},,2026-05-0{i + 1},web\n" for i, s in enumerate([10, 10, 9, 8, 3])),
        encoding="utf-8",
    )
    _parquet(csv, parquet, typed=True)  # a DOUBLE score and a DATE column
    reading = read(parquet, _layout(), "parquet")
    (tally,) = reading.tallies.values()
    assert (tally.promoters, tally.passives, tally.detractors) == (3, 1, 1)  # NPS 40
    assert (tally.scores.n, tally.scores.total, tally.scores.squares) == (5, 40, 354)
    assert (tally.first_date, tally.last_date) == ("2026-05-01", "2026-05-05")


def _journey(tmp_path: Path, file: str, extra: str = "") -> Path:
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(file=file, extra=extra), encoding="utf-8")
    return path


def _at(path: Path, key: str) -> str:
    """``j.yaml:LINE:COL`` of the value of ``key:`` in the journey."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith(f"{key}:"):
            col = line.index(f"{key}:") + len(key) + 3
            return f"j.yaml:{number}:{col}"
    raise AssertionError(key)


EXTRA = (
    "    scale: nps\n"
    "    columns: {touchpoint: step, score: rating, comment: verbatim, persona: segment,\n"
    "      date: day}\n"
)


@needs_duckdb
def test_a_journey_reads_parquet_like_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _csv(tmp_path / "s.csv")
    _parquet(tmp_path / "s.csv", tmp_path / "s.parquet")
    outputs = []
    for file, fmt in (("s.csv", ""), ("s.parquet", "    format: parquet\n")):
        assert (
            main(["evidence", "--format", "markdown", str(_journey(tmp_path, file, EXTRA + fmt))])
            == 0
        )
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "| Payment |" in outputs[0]
    found = [str(d) for d in validate_file(tmp_path / "j.yaml", root=tmp_path).diagnostics]
    assert any("s.parquet:" in d and "rows name touchpoint 'basket'" in d for d in found)
    assert any("have a score outside the scale and are skipped (first on rows " in d for d in found)


@needs_duckdb
def test_query_selects_rows_with_sql(tmp_path: Path) -> None:
    _csv(tmp_path / "s.csv")
    query = "    query: SELECT * FROM source WHERE channel = 'web'\n"
    web = validate_file(_journey(tmp_path, "s.csv", EXTRA + query), root=tmp_path).journey
    every = validate_file(_journey(tmp_path, "s.csv", EXTRA), root=tmp_path).journey
    assert web is not None and every is not None
    n_web, n_all = web.measures("pay")[0].n, every.measures("pay")[0].n
    rows = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()[1:]
    by_hand = sum(
        1
        for r in rows
        if r.split(",")[0] in ("pay", "Payment")
        and r.endswith(",web")
        and r.split(",")[2] in {str(s) for s in range(11)} | {"4.5"}
        and not r.split(",")[-2].startswith("2026-13")
    )
    assert n_web == by_hand and 0 < n_web < n_all


@needs_duckdb
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT * FROM read_csv('/etc/passwd')",
            "could not be read by the query: Permission Error: Cannot access file "
            '"/etc/passwd" - file system operations are disabled by configuration',
        ),
        ("SELEC * FROM source", "could not be read by the query: Parser Error: syntax error"),
        ("SELECT step, segment FROM source", "has no column 'rating' for the score"),
    ],
)
def test_a_query_is_sandboxed_and_its_errors_are_located(
    tmp_path: Path, query: str, message: str
) -> None:
    _csv(tmp_path / "s.csv")
    path = _journey(tmp_path, "s.csv", EXTRA + f'    query: "{query}"\n')
    result = validate_file(path, root=tmp_path)
    errors = [str(d).replace(str(tmp_path) + "/", "") for d in result.diagnostics]
    assert result.journey is None
    where = _at(path, "query") if "column" not in message else _at(path, "columns")
    assert any(e.startswith(where.rsplit(":", 1)[0]) and message in e for e in errors), errors


@needs_duckdb
def test_a_query_cannot_write_files(tmp_path: Path) -> None:
    _csv(tmp_path / "s.csv")
    target = tmp_path / "leak.csv"
    query = f"    query: \"SELECT * FROM source; COPY source TO '{target}'\"\n"
    result = validate_file(_journey(tmp_path, "s.csv", EXTRA + query), root=tmp_path)
    assert result.journey is None and not target.exists()


@needs_duckdb
def test_a_query_over_jsonl_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.jsonl").write_text('{"step": "pay", "rating": 9}\n', encoding="utf-8")
    extra = "    format: jsonl\n    query: SELECT * FROM source\n"
    found = [
        str(d)
        for d in validate_file(_journey(tmp_path, "s.jsonl", extra), root=tmp_path).diagnostics
    ]
    assert any("a query runs on a csv or parquet file, not jsonl" in d for d in found)


def test_without_the_extra_a_parquet_source_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "s.parquet").write_bytes(b"PAR1 not read: DuckDB is missing PAR1")
    (tmp_path / "s.csv").write_text("touchpoint,score\npay,9\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now fails
    for file, key, what in (
        ("s.parquet", "format", "to read Parquet"),
        ("s.csv", "query", "to run its query"),
    ):
        extra = "    format: parquet\n" if key == "format" else "    query: SELECT * FROM source\n"
        path = _journey(tmp_path, file, extra)
        diagnostics = validate_file(path, root=tmp_path).diagnostics
        assert [str(d).replace(str(tmp_path) + "/", "") for d in diagnostics] == [
            f"{_at(path, key)}: error: evidence file '{file}' needs DuckDB {what}, which is "
            "not installed: pip install 'journeymap[duckdb]'"
        ]
