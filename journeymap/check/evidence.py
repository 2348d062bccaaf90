"""Checking and reading a journey's ``evidence:`` sources, and the lints that compare them.

``check_sources`` finds the problems of the declarations themselves (duplicate ids, an
encoding Python does not know, a file outside the project or missing), in a journey or in
``journeymap.yaml``; ``shared_sources`` picks the config's sources that apply to a journey;
``measure`` reads each file once (``source.evidence``), matches its touchpoint and persona
values to the journey and attaches a :class:`~journeymap.model.evidence.Measure` per
touchpoint (and persona); ``lint`` warns where assumed and measured disagree.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from journeymap.check.suggest import Vocabulary
from journeymap.model.evidence import EvidenceSource, Measure, sources_of
from journeymap.model.evidence import measure as measure_tally
from journeymap.model.index import Index, fold
from journeymap.model.journey import Journey
from journeymap.model.slug import normalise_id
from journeymap.source.config import SharedEvidence
from journeymap.source.diagnostics import Diagnostic, display_path
from journeymap.source.evidence import (
    EvidenceError,
    Layout,
    Reading,
    Tally,
    describe_bad,
    mask,
    read,
)
from journeymap.source.files import looked_for, resolved
from journeymap.source.loader import Document, Path_, json_path

#: Distinct unknown touchpoint (or persona) values reported one by one per source.
MAX_UNKNOWN = 10


def _at(doc: Document, path: Path_, level: str, message: str, code: str) -> Diagnostic:
    mark = doc.locate(path)
    return Diagnostic(doc.path, mark.line, mark.col, level, message, json_path(path), code)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Declared:
    """A source and where it is declared: item ``index`` of the ``evidence:`` list of ``doc``
    (the journey, or ``journeymap.yaml``)."""

    doc: Document
    index: int
    source: EvidenceSource
    #: Warn about touchpoint values the journey lacks (off for a source shared by several
    #: journeys, whose rows name the others' touchpoints too).
    warn_unknown: bool = True


def declared_in(doc: Document, sources: Sequence[EvidenceSource]) -> list[Declared]:
    """A journey's own sources (built from ``doc``), as declared."""
    return [Declared(doc, i, source) for i, source in enumerate(sources)]


def shared_sources(shared: SharedEvidence, journey: Path, taken: set[str]) -> list[Declared]:
    """The sources of ``journeymap.yaml`` (already checked) that apply to the journey file
    ``journey``: those naming it (or a folder holding it) in ``journeys``, or naming none; a
    journey's own source of the same id (in ``taken``) replaces one."""
    where = journey.resolve()
    out = []
    for i, item in _items(shared.doc):
        named = [resolved(shared.base / p) for p in item.get("journeys") or ()]
        if item["id"] in taken or (named and not any(where.is_relative_to(p) for p in named)):
            continue
        (source,) = sources_of([item], shared.base)
        out.append(Declared(shared.doc, i, source, warn_unknown=named == [where]))
    return out


def _items(doc: Document) -> list[tuple[int, dict[str, Any]]]:
    data = doc.data if isinstance(doc.data, dict) else {}
    items = data.get("evidence")
    return (
        [(i, x) for i, x in enumerate(items) if isinstance(x, dict)]
        if isinstance(items, list)
        else []
    )


#: The largest score a scale may reach either way: the squares of scores near 1e308 summed
#: to infinity, and the evidence table and JSON said 'inf ± nan' (JSON that is not JSON).
MAX_SCALE = 1e12


def check_sources(doc: Document, root: Path) -> list[Diagnostic]:
    """Errors in the ``evidence:`` declarations (after the schema passed)."""
    out: list[Diagnostic] = []
    seen: set[str] = set()
    base = Path(doc.path).parent
    for i, item in _items(doc):
        where: Path_ = ("evidence", i)
        sid = item.get("id")
        if sid in seen:
            out.append(
                _at(
                    doc,
                    (*where, "id"),
                    "error",
                    f"evidence id '{sid}' is used twice; give each source its own id",
                    "duplicate-id",
                )
            )
        seen.add(sid)  # type: ignore[arg-type]
        encoding = item.get("encoding")
        if isinstance(encoding, str):
            try:
                io.TextIOWrapper(io.BytesIO(), encoding=encoding)  # rot13, base64: not text
            except LookupError:
                out.append(
                    _at(
                        doc,
                        (*where, "encoding"),
                        "error",
                        f"unknown encoding '{encoding}'; write one Python knows, "
                        "such as utf-8, cp1252 or latin-1",
                        "bad-value",
                    )
                )
        delimiter = item.get("delimiter")
        if isinstance(delimiter, str) and len(delimiter) != 1:
            out.append(
                _at(
                    doc,
                    (*where, "delimiter"),
                    "error",
                    f"the delimiter is one character, not '{delimiter}' (for a tab write \"\\t\")",
                    "bad-value",
                )
            )
        scale = item.get("scale")
        if isinstance(scale, dict) and scale.get("min", 0) >= scale.get("max", 1):
            out.append(
                _at(
                    doc,
                    (*where, "scale"),
                    "error",
                    "the scale's min must be below its max",
                    "bad-scale",
                )
            )
        ends = scale if isinstance(scale, dict) else {}
        for end in ("min", "max"):
            value = ends.get(end)
            if isinstance(value, int | float) and abs(value) > MAX_SCALE:
                out.append(
                    _at(
                        doc,
                        (*where, "scale", end),
                        "error",
                        f"the scale's {end} {value:g} is beyond ±{MAX_SCALE:,.0f}; scores that "
                        "large add up past what a number holds (rescale the export)",
                        "bad-scale",
                    )
                )
        if item.get("query") is not None and item.get("format") == "jsonl":
            out.append(
                _at(
                    doc,
                    (*where, "query"),
                    "error",
                    "a query runs on a csv or parquet file, not jsonl",
                    "bad-evidence",
                )
            )
        columns = item.get("columns") if isinstance(item.get("columns"), dict) else {}
        if item.get("kind") == "analytics" and not columns.get("metric"):  # type: ignore[union-attr]
            out.append(
                _at(
                    doc,
                    where,
                    "error",
                    "an analytics source names its metric column: columns: {metric: ...}",
                    "bad-evidence",
                )
            )
        since, until = item.get("since"), item.get("until")
        for key in ("since", "until"):
            value = item.get(key)
            if isinstance(value, str) and not _valid_day(value):
                out.append(
                    _at(
                        doc,
                        (*where, key),
                        "error",
                        f"'{value}' is not a date (YYYY-MM-DD)",
                        "bad-value",
                    )
                )
        if isinstance(since, str) and isinstance(until, str) and since > until:
            out.append(
                _at(
                    doc,
                    (*where, "until"),
                    "error",
                    f"'until' ({until}) is before 'since' ({since})",
                    "bad-value",
                )
            )
        file = item.get("file")
        if isinstance(file, str):
            problem = _file_problem(base, file, root)
            if problem:
                out.append(_at(doc, (*where, "file"), "error", problem, "bad-evidence"))
    return out


def _valid_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _file_problem(base: Path, rel: str, root: Path) -> str | None:
    target = resolved(base / rel)  # a loop: not found, not a crash
    if not target.is_relative_to(root):
        return (
            f"evidence file '{rel}' leaves the project ({display_path(root)}); "
            "keep data files inside it"
        )
    if not target.exists():
        return f"evidence file '{rel}' not found (looked for {looked_for(target)})"
    if not target.is_file():
        return f"evidence file '{rel}' is not a regular file"
    return None


def _layout(source: EvidenceSource) -> Layout:
    c = source.columns
    return Layout(
        touchpoint=c.get("touchpoint", "touchpoint"),
        score=c.get("score", "score"),
        metric=c.get("metric"),
        comment=c.get("comment"),
        persona=c.get("persona"),
        date=c.get("date"),
        low=source.low,
        high=source.high,
        nps=source.scale == "nps",
        since=source.since,
        until=source.until,
        pick=source.pick,
    )


class _Matcher:
    """Values of a data file -> ids of the journey: by id, else by name (case-insensitive)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.ids = {i for i, _ in pairs}
        self.by_name: dict[str, str] = {}
        for i, name in pairs:
            self.by_name.setdefault(fold(name), i)
            self.by_name.setdefault(fold(i), i)
        self.vocabulary = Vocabulary([i for i, _ in pairs] + [n for _, n in pairs])

    def find(self, value: str) -> str | None:
        if value in self.ids:
            return value
        nfc = normalise_id(value)
        return nfc if nfc in self.ids else self.by_name.get(fold(nfc))


def measure(journey: Journey, declared: Sequence[Declared]) -> tuple[Journey, list[Diagnostic]]:
    """``journey`` with the ``declared`` sources as its evidence, each read and measured;
    errors and warnings found (located where each source is declared)."""
    out: list[Diagnostic] = []
    measures: list[Measure] = []
    tps = _Matcher([(tp.id, tp.name) for tp in journey.touchpoints])
    people = _Matcher([(p.id, p.name) for p in journey.personas if not p.implicit])
    order = {tp.id: tp.index for tp in journey.touchpoints}
    for declaration in declared:
        doc, i, source = declaration.doc, declaration.index, declaration.source
        items = dict(_items(doc))
        where: Path_ = ("evidence", i)
        shown = display_path(source.file)
        try:
            reading = read(
                source.file,
                _layout(source),
                source.format,
                source.encoding,
                source.delimiter,
                source.query,
            )
        except EvidenceError as exc:
            if exc.column:
                path: Path_ = (
                    (*where, "columns", exc.column)
                    if exc.column in (items.get(i, {}).get("columns") or {})
                    else (*where, "file")
                )
                out.append(
                    _at(
                        doc, path, "error", f"evidence file '{shown}' {exc.message}", "bad-evidence"
                    )
                )
            elif exc.key is not None:
                key = exc.key if exc.key in items.get(i, {}) else "file"
                out.append(
                    _at(
                        doc,
                        (*where, key),
                        "error",
                        f"evidence file '{shown}' {exc.message}",
                        "bad-evidence",
                    )
                )
            elif exc.line <= 0 or "empty" in exc.message:
                out.append(
                    _at(
                        doc,
                        (*where, "file"),
                        "error",
                        f"evidence file '{shown}' {exc.message}",
                        "bad-evidence",
                    )
                )
            else:
                out.append(
                    Diagnostic(
                        shown, exc.line, 1, "error", f"this file {exc.message}", "$", "bad-evidence"
                    )
                )
            continue
        except OSError as exc:
            out.append(
                _at(
                    doc,
                    (*where, "file"),
                    "error",
                    f"cannot read evidence file '{shown}': {exc.strerror or exc}",
                    "io",
                )
            )
            continue
        out += _row_reports(shown, reading)
        found: list[Diagnostic] = []
        measures += _measures(source, reading, tps, people, shown, found, order)
        warn = declaration.warn_unknown
        out += [d for d in found if warn or d.code != "unknown-touchpoint"]
    # A source shared by several journeys that has no rows for this one is not its evidence.
    used = {m.source for m in measures}
    evidence = tuple(d.source for d in declared if d.warn_unknown or d.source.id in used)
    return replace(journey, evidence=evidence, measured=tuple(measures)), out


def _row_reports(shown: str, reading: Reading) -> list[Diagnostic]:
    out = []
    for sentence, count, lines in describe_bad(reading):
        unit = reading.unit + ("" if len(lines) == 1 else "s")
        listed = f"{unit} " + ", ".join(map(str, lines))
        out.append(
            Diagnostic(
                shown,
                lines[0],
                1,
                "warning",
                f"{sentence} and {'is' if count == 1 else 'are'} skipped (first on {listed})",
                "$",
                "bad-rows",
            )
        )
    return out


def _measures(
    source: EvidenceSource,
    reading: Reading,
    tps: _Matcher,
    people: _Matcher,
    shown: str,
    out: list[Diagnostic],
    order: dict[str, int],
) -> list[Measure]:
    overall: dict[str, Tally] = {}
    by_persona: dict[tuple[str, str], Tally] = {}
    unknown: dict[str, Tally] = {}
    unknown_people: dict[str, Tally] = {}
    for (value, who), tally in reading.tallies.items():
        tp = tps.find(value)
        if tp is None:
            _merge(unknown, value, tally)
            continue
        _merge(overall, tp, tally)
        if who:
            persona = people.find(who)
            if persona is None:
                _merge(unknown_people, who, tally)
            else:
                _merge(by_persona, (tp, persona), tally)
    for kind, found, matcher in (("touchpoint", unknown, tps), ("persona", unknown_people, people)):
        ranked = sorted(found.items(), key=lambda kv: kv[1].line)
        for value, tally in ranked[:MAX_UNKNOWN]:
            rows = tally.scores.n + sum(m.n for m in tally.metrics.values())
            action = "are skipped" if kind == "touchpoint" else "count for the touchpoint only"
            hint = matcher.vocabulary.suggest(value)
            out.append(
                Diagnostic(
                    shown,
                    tally.line,
                    1,
                    "warning",
                    f"{'1 row names' if rows == 1 else f'{rows:,} rows name'} {kind} "
                    f"'{mask(value)}', "
                    f"which the journey does not have{hint}; they {action}",
                    "$",
                    f"unknown-{kind}",
                )
            )
        if len(ranked) > MAX_UNKNOWN:
            out.append(
                Diagnostic(
                    shown,
                    ranked[MAX_UNKNOWN][1].line,
                    1,
                    "warning",
                    f"{len(ranked) - MAX_UNKNOWN:,} more unknown {kind} values",
                    "$",
                    f"unknown-{kind}",
                )
            )
    result = [
        measure_tally(source, tp, None, t)
        for tp, t in sorted(overall.items(), key=lambda kv: order.get(kv[0], 0))
    ]
    result += [
        measure_tally(source, tp, p, t)
        for (tp, p), t in sorted(
            by_persona.items(), key=lambda kv: (order.get(kv[0][0], 0), kv[0][1])
        )
    ]
    return result


def _merge(into: dict[Any, Tally], key: Any, tally: Tally) -> None:
    if key in into:
        into[key].merge(tally)
    else:
        into[key] = Tally(line=tally.line)
        into[key].merge(tally)


def today() -> date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return datetime.now(tz=UTC).date()


def lint(
    index: Index, journey: Journey, declared: Sequence[Declared], on: date | None = None
) -> list[Diagnostic]:
    """Warnings: assumed outside measured, pain without evidence, stale evidence (located
    where each source is ``declared``)."""
    out: list[Diagnostic] = []
    entries = {e.id: e for e in index.touchpoints}
    scale = journey.scale
    measured = {m.touchpoint for m in journey.measured if m.n}
    for tp in journey.touchpoints:
        entry = entries.get(tp.id)
        if entry is None:
            continue
        for m in journey.measures(tp.id):
            assumed = tp.mean_emotion
            mapped = m.on_scale(scale.min, scale.max)
            if m.kind != "survey" or assumed is None or mapped is None:
                continue
            value, margin = mapped
            # An assumed emotion is a whole level: it agrees within half a level of the interval.
            if margin is not None and abs(assumed - value) > margin + 0.5:
                key = "emotion" if "emotion" in entry.data else "name"
                out.append(
                    _at(
                        entry.doc,
                        (*entry.path, key),
                        "warning",
                        f"touchpoint '{tp.id}': assumed {_signed(assumed, scale.min)}, "
                        f"customers say {_signed(value, scale.min)} ± {margin:.1f}, "
                        f"n = {m.n:,} (source '{m.source}'); "
                        "check the emotion against the evidence",
                        "assumed-vs-measured",
                    )
                )
        if journey.evidence and tp.pain_points and tp.id not in measured:
            out.append(
                _at(
                    entry.doc,
                    (*entry.path, "pain_points"),
                    "warning",
                    f"touchpoint '{tp.id}' has pain points but no evidence: "
                    "no source has rows for it",
                    "no-evidence",
                )
            )
    day = on or today()
    for declaration in declared:
        doc, i, source = declaration.doc, declaration.index, declaration.source
        if source.max_age is None:
            continue
        dates = [m.last_date for m in journey.measured if m.source == source.id and m.last_date]
        newest = max(dates, default=None)
        if newest is not None and (day - date.fromisoformat(newest)).days > source.max_age:
            age = (day - date.fromisoformat(newest)).days
            out.append(
                _at(
                    doc,
                    ("evidence", i, "max_age"),
                    "warning",
                    f"evidence '{source.id}' is stale: its newest answer is from {newest}, "
                    f"{age} days ago (max_age {source.max_age}); export fresh data",
                    "stale-evidence",
                )
            )
    return out


def _signed(value: float, scale_min: int = -1) -> str:
    """``+1.4``, ``−1`` (a true minus), ``0``; on a scale that does not run through zero
    (1..5) a plain ``4.2``."""
    text = f"{value:+.1f}".replace(".0", "") if value == round(value) else f"{value:+.1f}"
    if text in ("+0", "-0"):
        return "0"
    return text.lstrip("+") if scale_min >= 0 else text.replace("-", "−")
