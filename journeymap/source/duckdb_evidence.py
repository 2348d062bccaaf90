"""Evidence read with DuckDB: Parquet files, and ``query:`` SQL over a CSV or Parquet export.

The optional ``duckdb`` extra (``pip install 'journeymap[duckdb]'``) is imported only here,
only when a source asks for it. The aggregation is the one :mod:`journeymap.source.evidence`
does in Python, pushed into SQL: the same bad-row reasons, counts, sums, NPS bands, dates and
comment picks per (touchpoint, persona) value, so the result is the same :class:`Reading` and
everything after it (matching, measures, lints) is shared. A warehouse-sized file is grouped by
DuckDB's own engine instead of being streamed through Python row by row.

A journey is untrusted input, so its SQL runs sandboxed: the connection may read the one
declared file and nothing else (no other file, no network, no extensions), its configuration
is locked, the query must parse as one SELECT statement (the declared file is writable to
DuckDB: ``COPY ... TO`` it overwrote the user's data) and it is stopped after
``QUERY_SECONDS``.
"""

from __future__ import annotations

import heapq
import threading
from pathlib import Path
from typing import Any

from journeymap.source.diagnostics import printable
from journeymap.source.evidence import (
    COMMENTS,
    MAX_COMMENT,
    MAX_KEYS,
    MAX_METRICS,
    EvidenceError,
    Layout,
    Moments,
    Reading,
    Tally,
)

INSTALL = "pip install 'journeymap[duckdb]'"
#: DuckDB's memory for one file; beyond it the query fails with a message (nothing spills:
#: the sandbox writes no files).
MEMORY_LIMIT = "2GB"
#: The longest one file's reading may take (a query that never ends would hang a CI build).
QUERY_SECONDS = 300.0
#: Why a query is refused before it runs.
NOT_ONE_SELECT = (
    "has a query that is not one SELECT statement: "
    "the query must be one SELECT statement over the table 'source'"
)


def _quoted(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _name(text: str) -> str:
    """An SQL identifier."""
    return '"' + text.replace('"', '""') + '"'


def _module(key: str) -> Any:
    """The duckdb module; EvidenceError (at the source's ``key``) when it is not installed."""
    try:
        import duckdb
    except ImportError:
        why = "to run its query" if key == "query" else "to read Parquet"
        raise EvidenceError(
            0, f"needs DuckDB {why}, which is not installed: {INSTALL}", key=key
        ) from None
    return duckdb


def connect(duckdb: Any, path: Path) -> Any:
    """A DuckDB connection that may read ``path`` and nothing else, its settings locked."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "memory_limit": MEMORY_LIMIT,
    }
    con = duckdb.connect(":memory:", config=config)
    con.execute(f"SET allowed_paths = [{_quoted(str(path))}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def read_table(
    path: Path, layout: Layout, fmt: str, query: str | None = None, delimiter: str = ","
) -> Reading:
    """Fold ``path`` (Parquet, or CSV with ``query``) into tallies with DuckDB.

    ``query`` is SQL over a table named ``source`` (the file); its result's columns are the
    ones ``layout`` names. Raises EvidenceError when the extra is missing, the file cannot be
    read, a named column is missing or the query fails.
    """
    key = "query" if query else "format"
    duckdb = _module(key)
    con = connect(duckdb, path)
    timer = threading.Timer(QUERY_SECONDS, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        if query is not None:
            _one_select(con, query)
        if fmt == "parquet":
            table = f"read_parquet({_quoted(str(path))})"
        else:
            table = (
                f"read_csv({_quoted(str(path))}, header = true, all_varchar = true, "
                f"delim = {_quoted(delimiter)})"
            )
        con.execute(f"CREATE VIEW source AS SELECT * FROM {table}")
        relation = f"(\n{query}\n)" if query else "source"
        described = con.execute(f"DESCRIBE SELECT * FROM {relation} AS q").fetchall()
        classed = _classified(relation, [row[0] for row in described], layout, query)
        con.execute(f"CREATE TEMP VIEW classed AS {classed}")
        return _reading(con, layout, "query row" if query else "row")
    except duckdb.Error as exc:
        what = "the query" if query else "DuckDB"
        if isinstance(exc, duckdb.InterruptException):
            message = (
                f"it ran longer than {QUERY_SECONDS:g} s and was stopped "
                "(make it read less, or filter earlier)"
            )
        else:
            message = printable(" ".join(str(exc).split()))
        raise EvidenceError(0, f"could not be read by {what}: {message}", key=key) from None
    finally:
        timer.cancel()
        con.close()


def _one_select(con: Any, query: str) -> None:
    """EvidenceError unless ``query`` parses as one SELECT statement."""
    import duckdb

    statements = con.extract_statements(query)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise EvidenceError(0, NOT_ONE_SELECT, key="query")


def _classified(relation: str, names: list[str], layout: Layout, query: str | None) -> str:
    """SQL: each row with its line, values as text, and why it is skipped (or NULL)."""
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    where = "the query's result" if query else "the file"

    def column(role: str, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in names:
            raise EvidenceError(
                1, f"has no column '{name}' for the {role}; {where} has: {shown}", column=role
            )
        return f"CAST({_name(name)} AS VARCHAR)"

    tp = column("touchpoint", layout.touchpoint)
    who = column("persona", layout.persona)
    score = column("score", layout.score)
    metric = column("metric", layout.metric)
    comment = column("comment", layout.comment)
    day = column("date", layout.date)
    since = "NULL" if layout.since is None else _quoted(layout.since)
    until = "NULL" if layout.until is None else _quoted(layout.until)
    return f"""
        WITH raw AS (
            SELECT row_number() OVER () AS line,
                coalesce(trim({tp}), '') AS tp,
                {f"coalesce(trim({who}), '')" if who else "''"} AS who,
                TRY_CAST(trim({score}) AS DOUBLE) AS score,
                {f"trim({metric})" if metric else "NULL"} AS metric,
                {comment or "NULL"} AS comment,
                {f"coalesce(substr({day}, 1, 10), '')" if day else "''"} AS day
            FROM {relation} AS q
        )
        SELECT *,
            CASE
                WHEN tp = '' THEN 'no-touchpoint'
                WHEN score IS NULL THEN 'score'
                WHEN isnan(score) OR score < {layout.low!r} OR score > {layout.high!r}
                    THEN 'range'
                WHEN day <> '' AND (NOT regexp_full_match(day, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')
                    OR TRY_CAST(day AS DATE) IS NULL) THEN 'date'
                WHEN {"true" if metric else "false"} AND coalesce(metric, '') = '' THEN 'no-metric'
            END AS bad,
            day <> '' AND (({since} IS NOT NULL AND day < {since})
                OR ({until} IS NOT NULL AND day > {until})) AS outside
        FROM raw
    """


def _reading(con: Any, layout: Layout, unit: str) -> Reading:
    """The Reading of the ``classed`` view: totals, bad rows, tallies and comments."""
    reading = Reading(unit=unit)
    rows, used, outside = con.execute(
        "SELECT count(*), count(*) FILTER (bad IS NULL AND NOT outside),"
        " count(*) FILTER (bad IS NULL AND outside) FROM classed"
    ).fetchone()
    reading.rows, reading.used, reading.outside = rows, used, outside
    for reason, count, lines in con.execute(
        "SELECT bad, count(*), min(line, 5) FROM classed WHERE bad IS NOT NULL GROUP BY bad"
    ).fetchall():
        reading.bad[reason] = (count, sorted(lines))
    analytics = layout.metric is not None
    # The first MAX_KEYS (touchpoint, persona) keys by first row, and the first MAX_METRICS
    # metrics of each, are kept in DuckDB: fetching every group of a file with millions of
    # distinct touchpoints took 2 GB of Python memory for 58 MB of CSV.
    con.execute(
        f"""CREATE TEMP TABLE grouped AS
        WITH g AS (
            SELECT tp, who, metric, count(*) AS n, sum(score) AS total,
                sum(score * score) AS squares, count(*) FILTER (score >= 9) AS high,
                count(*) FILTER (score >= 7 AND score < 9) AS middle,
                count(*) FILTER (score < 7) AS low, min(nullif(day, '')) AS first,
                max(nullif(day, '')) AS last, min(line) AS line
            FROM classed WHERE bad IS NULL AND NOT outside GROUP BY tp, who, metric
        ), k AS (
            SELECT *, min(line) OVER (PARTITION BY tp, who) AS key_line,
                row_number() OVER (PARTITION BY tp, who ORDER BY line) AS metric_rank
            FROM g
        )
        SELECT *, dense_rank() OVER (ORDER BY key_line) <= {MAX_KEYS}
            AND ({"false" if analytics else "true"} OR metric_rank <= {MAX_METRICS}) AS kept
        FROM k"""
    )
    skipped, lines = con.execute(
        "SELECT sum(n), list(line ORDER BY line)[1:5] FROM grouped WHERE NOT kept"
    ).fetchone()
    if skipped:
        reading.bad["keys"] = (int(skipped), sorted(lines))
    groups = con.execute(
        """SELECT tp, who, metric, n, total, squares, high, middle, low, first, last, line
        FROM grouped WHERE kept ORDER BY line"""
    ).fetchall()
    tallies = reading.tallies
    for tp, who, metric, n, total, squares, high, middle, low, first, last, line in groups:
        tally = tallies.get((tp, who))
        if tally is None:
            tally = tallies[(tp, who)] = Tally(line=line)
        moments = Moments(n, total, squares)
        if analytics:
            tally.metrics.setdefault(printable(metric), Moments()).merge(moments)
        else:
            tally.scores.merge(moments)
            if layout.nps:
                tally.promoters += high
                tally.passives += middle
                tally.detractors += low
        tally.first_date = min(filter(None, (tally.first_date, first)), default=None)
        tally.last_date = max(filter(None, (tally.last_date, last)), default=None)
        tally.line = min(tally.line, line)
    if layout.comment is not None:
        _comments(con, layout, tallies)
    return reading


def _comments(con: Any, layout: Layout, tallies: dict[tuple[str, str], Tally]) -> None:
    """The ``COMMENTS`` best comments of each tally, distinct texts, ranked as the Python
    reader ranks them (most recent, or lowest score, then the latest line)."""
    order = "day DESC, line DESC" if layout.pick == "recent" else "score, day DESC, line DESC"
    picked = con.execute(
        f"""WITH c AS (
            SELECT tp, who, score, day, line,
                CASE WHEN length(t) > {MAX_COMMENT}
                    THEN rtrim(substr(t, 1, {MAX_COMMENT - 1})) || '…' ELSE t END AS text
            FROM (SELECT *, trim(comment, ' \t\n\r') AS t FROM classed AS r
                  WHERE bad IS NULL AND NOT outside AND comment IS NOT NULL
                  AND EXISTS (SELECT 1 FROM grouped AS g WHERE g.kept AND g.tp = r.tp
                      AND g.who = r.who AND g.metric IS NOT DISTINCT FROM r.metric))
            WHERE t <> ''
        ), distinct_texts AS (
            SELECT * FROM c
            QUALIFY row_number() OVER (PARTITION BY tp, who, text ORDER BY {order}) = 1
        )
        SELECT tp, who, text, score, day, line FROM distinct_texts
        QUALIFY row_number() OVER (PARTITION BY tp, who ORDER BY {order}) <= {COMMENTS}"""
    ).fetchall()
    for tp, who, text, score, day, line in picked:
        tally = tallies.get((tp, who))
        if tally is None:
            continue
        rank = (day, line) if layout.pick == "recent" else (-score, day, line)
        heapq.heappush(tally.comments, (rank, text, score, day or None))
