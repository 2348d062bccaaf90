"""Reading evidence files (survey answers, analytics) in one streaming pass.

A CSV or JSON Lines file is read row by row with the standard library and folded into a
:class:`Tally` per (touchpoint, persona) value as written in the file: counts and sums, never
the rows, so memory stays constant however long the file is. Rows that cannot be used are
counted by reason with their first line numbers; they never stop the reading. Matching the
file's touchpoint values to the journey happens later (``check.evidence``).
"""

from __future__ import annotations

import codecs
import csv
import heapq
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from journeymap.source.diagnostics import printable
from journeymap.source.files import NotRegularError, open_regular, resolved

Pick = Literal["recent", "lowest"]

#: Bytes in one evidence file (a million survey rows take about 60 MB).
MAX_BYTES = 2 * 1024 * 1024 * 1024
#: Characters kept of one comment (the rest is cut off with an ellipsis).
MAX_COMMENT = 500
#: Comments kept per touchpoint (and persona).
COMMENTS = 3
#: Line numbers kept per kind of bad row.
FIRST_LINES = 5
#: Distinct (touchpoint, persona) values kept; rows naming further ones count as bad.
MAX_KEYS = 10_000
#: Distinct metric names of an analytics file.
MAX_METRICS = 100

#: An e-mail address (its local part may hold % and ', as o'brien@ does).
_EMAIL = re.compile(r"[\w.+%'-]+@[\w-]+(?:\.[\w-]+)+")
#: A phone number: 7 digits or more, with up to two separators between them, so an area code
#: in brackets goes too ('+1 (555) 123-4567' kept '+1 (555) '); an ISO date is no number.
_PHONE = re.compile(r"(?<![\w(])(?!\d{4}-\d\d-\d\d(?!\d))[+(]?\d(?:[\s()./-]{0,2}\d){6,}(?![\w])")

#: Why a row was skipped: (one row ..., rows ...).
REASONS: dict[str, tuple[str, str]] = {
    "score": ("has a score that is not a number", "have a score that is not a number"),
    "range": ("has a score outside the scale", "have a score outside the scale"),
    "ragged": (
        "has a different number of fields than the header",
        "have a different number of fields than the header",
    ),
    "field": (
        "cannot be read as CSV (a field over 128 KiB, or a stray quote)",
        "cannot be read as CSV (a field over 128 KiB, or a stray quote)",
    ),
    "json": ("is not a JSON object", "are not a JSON object"),
    "date": (
        "has a date that is not an ISO date (YYYY-MM-DD)",
        "have a date that is not an ISO date (YYYY-MM-DD)",
    ),
    "no-touchpoint": ("names no touchpoint", "name no touchpoint"),
    "no-metric": ("names no metric", "name no metric"),
    "keys": (
        f"names a touchpoint or metric beyond the first {MAX_KEYS:,}",
        f"name touchpoints or metrics beyond the first {MAX_KEYS:,}",
    ),
}


def mask(text: str) -> str:
    """``text`` with e-mail addresses and phone numbers replaced by ``[e-mail]``, ``[phone]``,
    and control characters, line breaks and bidi controls written as escapes (``\\x1b``):
    journey text is refused them by validation, but a data export is not checked, and raw
    they reached the terminal and Markdown and made the map's SVG not XML."""
    return _PHONE.sub("[phone]", _EMAIL.sub("[e-mail]", printable(text)))


class EvidenceError(Exception):
    """The file cannot be read at all; ``column`` names the ``columns`` entry at fault."""

    def __init__(
        self, line: int, message: str, column: str | None = None, key: str | None = None
    ) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.column = column
        #: The source's key at fault (``query``, ``format``), when it is not a column.
        self.key = key


@dataclass
class Moments:
    """Count, sum and sum of squares of some numbers."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def add(self, value: float) -> None:
        """Count ``value`` in."""
        self.n += 1
        self.total += value
        self.squares += value * value

    def merge(self, other: Moments) -> None:
        """Count ``other``'s numbers in."""
        self.n += other.n
        self.total += other.total
        self.squares += other.squares


@dataclass
class Tally:
    """What the rows of one (touchpoint, persona) value add up to."""

    scores: Moments = field(default_factory=Moments)
    #: Scores 9-10, 7-8 and 0-6 of an NPS survey.
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    first_date: str | None = None
    last_date: str | None = None
    #: Analytics: metric name -> its values.
    metrics: dict[str, Moments] = field(default_factory=dict)
    #: A min-heap of (rank, comment, score, date): the ``COMMENTS`` highest ranks.
    comments: list[tuple[tuple[Any, ...], str, float, str | None]] = field(default_factory=list)
    #: The first line that named this value.
    line: int = 0

    def merge(self, other: Tally) -> None:
        """Count ``other`` in (two spellings of one touchpoint)."""
        self.scores.merge(other.scores)
        self.promoters += other.promoters
        self.passives += other.passives
        self.detractors += other.detractors
        self.first_date = _earliest(self.first_date, other.first_date)
        self.last_date = _latest(self.last_date, other.last_date)
        for name, moments in other.metrics.items():
            self.metrics.setdefault(name, Moments()).merge(moments)
        for item in other.comments:
            _keep(self.comments, item)
        self.line = min(self.line, other.line) if self.line else other.line

    def picked(self) -> list[tuple[str, float, str | None]]:
        """The kept comments, best first, masked: (text, score, date)."""
        return [(mask(text), score, day) for _, text, score, day in sorted(self.comments)[::-1]]


def _earliest(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


def _keep(heap: list[tuple[tuple[Any, ...], str, float, str | None]], item: Any) -> None:
    """Keep ``item`` among the ``COMMENTS`` highest ranks of distinct texts: a text kept
    already keeps its best-ranked answer (the most recent, or the lowest score)."""
    for i, kept in enumerate(heap):
        if kept[1] == item[1]:
            if item > kept:
                heap[i] = item
                heapq.heapify(heap)
            return
    if len(heap) < COMMENTS:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


@dataclass
class Reading:
    """Everything one pass over an evidence file found."""

    #: (touchpoint value, persona value or "") -> its tally.
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    rows: int = 0
    used: int = 0
    #: Rows outside ``since``/``until``.
    outside: int = 0
    #: Reason -> (rows, first line numbers).
    bad: dict[str, tuple[int, list[int]]] = field(default_factory=dict)
    #: What the numbers count: lines of a text file, rows of a table or of a query's result.
    unit: str = "line"

    def skip(self, reason: str, line: int) -> None:
        """Count one unusable row."""
        count, lines = self.bad.get(reason, (0, []))
        if len(lines) < FIRST_LINES:
            lines.append(line)
        self.bad[reason] = (count + 1, lines)


@dataclass(frozen=True)
class Layout:
    """How to read one file: its columns and the scale its scores use."""

    touchpoint: str = "touchpoint"
    score: str = "score"
    metric: str | None = None
    comment: str | None = None
    persona: str | None = None
    date: str | None = None
    low: float = 0.0
    high: float = 10.0
    #: Count promoters, passives and detractors (a 0-10 NPS scale).
    nps: bool = False
    since: str | None = None
    until: str | None = None
    pick: Pick = "recent"


def open_data(path: Path, limit: int = MAX_BYTES) -> io.BufferedReader:
    """``path`` open for reading through the source files' safe opener: only a regular file
    (a FIFO, a device or a folder is refused without blocking), at most ``limit`` bytes."""
    try:
        handle = open_regular(path)
    except NotRegularError:
        raise EvidenceError(0, "is not a regular file (a folder, FIFO or device)") from None
    size = os.fstat(handle.fileno()).st_size
    if size > limit or size == 0:
        handle.close()
        raise EvidenceError(
            0,
            f"is {size:,} bytes, more than the limit of {limit:,} bytes"
            if size
            else "is empty; export the data with a header row",
        )
    return handle


def read(
    path: Path,
    layout: Layout,
    fmt: Literal["csv", "jsonl", "parquet"] = "csv",
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    query: str | None = None,
) -> Reading:
    """Fold every row of ``path`` into tallies (one pass, constant memory); a Parquet file,
    or ``query`` SQL over the file, with DuckDB (the optional extra).

    Raises :class:`EvidenceError` when the file cannot be used at all (not a regular file,
    empty, a missing column, undecodable text, DuckDB missing) and ``OSError`` when it cannot
    be opened.
    """
    raw = open_data(path)
    if fmt == "parquet" or query is not None:
        raw.close()
        from journeymap.source.duckdb_evidence import read_table

        return read_table(resolved(path), layout, fmt, query, delimiter)
    reading = Reading()
    with io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict") as handle:
        try:
            if fmt == "csv":
                reader = csv.reader(handle, delimiter=delimiter)
                header = _header(reader, delimiter)
                where = _positions(header, layout)
                _fold(
                    reader, lambda: reader.line_num, where, len(header), "ragged", layout, reading
                )
            else:
                lines = _Lines(handle)
                _fold(
                    _json_rows(lines, layout),
                    lines.at,
                    _json_positions(layout),
                    6,
                    "json",
                    layout,
                    reading,
                )
        except UnicodeError as exc:  # also UTF-16 without a byte order mark
            line, reason = _bad_line(path, encoding)
            if line == 0:
                reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
            raise EvidenceError(
                max(line, 1),
                f"is not valid {encoding} text ({reason}); "
                "set 'encoding:' to the file's encoding (for example cp1252)",
            ) from None
    return reading


def _bad_line(path: Path, encoding: str) -> tuple[int, str]:
    """The first line of ``path`` that does not decode as ``encoding``, and why; (0, "")
    when no line alone fails. The text is decoded in blocks, so the error itself does not
    say where it is (the rows counted so far lag behind)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with open_data(path) as raw:
        for number, line in enumerate(raw, 1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError as exc:
                return number, exc.reason
            except UnicodeError:
                break
    return 0, ""


def _header(reader: Any, delimiter: str) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise EvidenceError(1, "is empty; export the data with a header row") from None
    except csv.Error as exc:
        raise EvidenceError(1, f"has a header that cannot be read as CSV ({exc})") from None
    if len(header) == 1:
        for other in (";", "\t", "|", ","):
            if other != delimiter and other in header[0]:
                shown = {"\t": "\\t", ";": ";", "|": "|", ",": ","}[other]
                raise EvidenceError(
                    1,
                    "has one column only; its fields seem to be separated by "
                    f"'{shown}': set 'delimiter: \"{shown}\"' on the source (or export with "
                    "commas)",
                )
    return [name.strip() for name in header]


def _positions(header: list[str], layout: Layout) -> tuple[int, int, int, int, int, int]:
    """Where each wanted column is in ``header``: touchpoint, persona, score, metric,
    comment, date (-1: not read)."""
    index = {name: i for i, name in reversed(list(enumerate(header)))}
    shown = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")

    def find(key: str, name: str | None) -> int:
        if name is None:
            return -1
        if name in index:
            return index[name]
        raise EvidenceError(
            1, f"has no column '{name}' for the {key}; its header has: {shown}", column=key
        )

    return (
        find("touchpoint", layout.touchpoint),
        find("persona", layout.persona),
        find("score", layout.score),
        find("metric", layout.metric),
        find("comment", layout.comment),
        find("date", layout.date),
    )


#: The longest JSON Lines row read; a longer one is a bad row, read past in pieces (so a
#: file that is one huge line costs constant memory, like CSV's field limit).
MAX_LINE = 1024 * 1024


class _Lines:
    """The lines of a text file, counted; a line over ``MAX_LINE`` characters comes out as
    ``""`` followed by nothing of it (so it is a bad row)."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        while text := self.handle.readline(MAX_LINE + 1):
            self.line += 1
            if len(text) > MAX_LINE:
                while text and not text.endswith(("\n", "\r")):
                    text = self.handle.readline(MAX_LINE)
                text = "\0"  # not JSON: counted as a bad row
            yield text

    def at(self) -> int:
        """The number of the line last read."""
        return self.line


def _json_positions(layout: Layout) -> tuple[int, int, int, int, int, int]:
    """Where :func:`_json_rows` puts each wanted field; -1 for one not read (as CSV's
    :func:`_positions`: a survey reads no metric, so it is not taken for analytics)."""
    a, b, c, d, e, f = (i if key else -1 for i, key in enumerate(_json_keys(layout)))
    return a, b, c, d, e, f


def _json_keys(layout: Layout) -> tuple[str | None, ...]:
    """The keys read from each JSON object: touchpoint, persona, score, metric, comment, date."""
    return (
        layout.touchpoint, layout.persona, layout.score, layout.metric, layout.comment,
        layout.date,
    )  # fmt: skip


def _json_rows(lines: _Lines, layout: Layout) -> Iterator[list[str]]:
    keys = _json_keys(layout)
    for text in lines:
        if not text.strip():
            continue
        try:
            item = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: '[[[[...' nested too deep
            item = None
        if not isinstance(item, dict):
            yield ["not an object"]  # counted as a bad row
            continue
        yield [_text(item.get(k)) if k else "" for k in keys]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _fold(
    rows: Iterator[list[str]],
    line_of: Callable[[], int],
    where: tuple[int, int, int, int, int, int],
    width: int,
    ragged: str,
    layout: Layout,
    reading: Reading,
) -> None:
    """The hot loop: each row into its tally (a CSV error skips one record, then goes on)."""
    tallies = reading.tallies
    skip = reading.skip
    t, p, s, m, c, d = where
    low, high, nps, recent = layout.low, layout.high, layout.nps, layout.pick == "recent"
    since, until = layout.since, layout.until
    analytics = m >= 0
    dates: dict[str, bool] = {}
    rows_seen = used = outside = 0
    while True:
        try:
            for row in rows:
                rows_seen += 1
                if len(row) != width:
                    if row:
                        skip(ragged, line_of())
                    else:
                        rows_seen -= 1  # a blank line
                    continue
                tp = row[t].strip()
                if not tp:
                    skip("no-touchpoint", line_of())
                    continue
                try:
                    score = float(row[s])
                except ValueError:
                    skip("score", line_of())
                    continue
                if not low <= score <= high:  # also NaN
                    skip("range", line_of())
                    continue
                day = row[d][:10] if d >= 0 else ""
                if day:
                    valid = dates.get(day)
                    if valid is None:
                        valid = _is_date(day)
                        if len(dates) < 100_000:
                            dates[day] = valid
                    if not valid:
                        skip("date", line_of())
                        continue
                    if (since is not None and day < since) or (until is not None and day > until):
                        outside += 1
                        continue
                key = (tp, row[p].strip() if p >= 0 else "")
                tally = tallies.get(key)
                if tally is None:
                    if len(tallies) >= MAX_KEYS:
                        skip("keys", line_of())
                        continue
                    tally = tallies[key] = Tally(line=line_of())
                if analytics:
                    metric = printable(row[m].strip())  # a name is shown
                    if not metric:
                        skip("no-metric", line_of())
                        continue
                    moments = tally.metrics.get(metric)
                    if moments is None:
                        if len(tally.metrics) >= MAX_METRICS:
                            skip("keys", line_of())
                            continue
                        moments = tally.metrics[metric] = Moments()
                    moments.add(score)
                else:
                    scores = tally.scores
                    scores.n += 1
                    scores.total += score
                    scores.squares += score * score
                    if nps:
                        if score >= 9:
                            tally.promoters += 1
                        elif score >= 7:
                            tally.passives += 1
                        else:
                            tally.detractors += 1
                if day:
                    if tally.first_date is None or day < tally.first_date:
                        tally.first_date = day
                    if tally.last_date is None or day > tally.last_date:
                        tally.last_date = day
                comment = row[c] if c >= 0 else ""
                if comment and not comment.isspace():
                    line = line_of()
                    rank = (day, line) if recent else (-score, day, line)
                    heap = tally.comments
                    if len(heap) < COMMENTS or rank > heap[0][0]:
                        text = comment.strip()
                        if len(text) > MAX_COMMENT:
                            text = text[: MAX_COMMENT - 1].rstrip() + "…"
                        _keep(heap, (rank, text, score, day or None))
                used += 1
            break
        except csv.Error:
            rows_seen += 1
            skip("field", line_of())
    reading.rows, reading.used, reading.outside = rows_seen, used, outside


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def describe_bad(reading: Reading) -> list[tuple[str, int, list[int]]]:
    """(sentence, rows, first lines) for each reason rows were skipped, most rows first."""
    out = []
    for reason, (count, lines) in sorted(reading.bad.items(), key=lambda kv: -kv[1][0]):
        one, many = REASONS[reason]
        words = f"1 row {one}" if count == 1 else f"{count:,} rows {many}"
        out.append((words, count, lines))
    return out
