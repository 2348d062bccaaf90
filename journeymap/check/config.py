"""Checking ``journeymap.yaml`` against its schema, with located messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from journeymap.check.evidence import check_sources
from journeymap.check.schema import Checker
from journeymap.model.duration import DurationError, parse_duration
from journeymap.model.lang import lang_problem
from journeymap.source.config import (
    Config,
    config_schema,
    from_data,
    read_document,
    with_evidence,
)
from journeymap.source.diagnostics import Diagnostic, JourneyError, display_path
from journeymap.source.files import resolved
from journeymap.source.loader import Document, json_path


def read_config(path: Path) -> Config:
    """The project config at ``path``; JourneyError with every problem, located."""
    doc = read_document(path)
    data = {} if doc.data is None else doc.data
    schema = config_schema()
    problems = Checker(schema).check(data, schema)
    lang = data.get("lang") if isinstance(data, dict) else None
    wrong_lang = lang_problem(lang) if isinstance(lang, str) else None
    diagnostics = []
    if wrong_lang:  # says what to write, where the schema's pattern would only quote itself
        problems = [p for p in problems if tuple(p.path) != ("lang",)]
        mark = doc.locate(("lang",))
        diagnostics.append(
            Diagnostic(doc.path, mark.line, mark.col, "error", wrong_lang, "$.lang", "unknown-lang")
        )
    if problems or diagnostics:
        for problem in problems:
            mark = doc.locate_key(problem.path) if problem.at_key else doc.locate(problem.path)
            diagnostics.append(
                Diagnostic(
                    doc.path,
                    mark.line,
                    mark.col,
                    "error",
                    f"{problem.message} (project config; see docs/config.md)",
                    json_path(problem.path),
                    problem.code,
                )
            )
        raise JourneyError(diagnostics)
    config = replace(from_data(path, data), time=_times(doc, data.get("time", {})))
    base = path.resolve().parent
    outside = []
    for where, target in _paths(config, data):
        if not target.is_relative_to(base):
            mark = doc.locate(where)
            message = (
                f"'{json_path(where)[2:]}' leaves the project ({display_path(base)}): the "
                "config names only files and folders inside it; to read or write elsewhere, "
                "give the path on the command line"
            )
            outside.append(
                Diagnostic(
                    doc.path,
                    mark.line,
                    mark.col,
                    "error",
                    message,
                    json_path(where),
                    "outside-project",
                )
            )
    if outside:
        raise JourneyError(outside)
    if "evidence" in data:  # ids, encodings, dates, files (in the project, regular)
        declared = [
            replace(d, message=f"{d.message} (project config; see docs/config.md)")
            for d in check_sources(doc, base)
        ]
        if declared:
            raise JourneyError(sorted(declared))
    return with_evidence(config, doc)


def _times(doc: Document, section: dict[str, str]) -> dict[str, float]:
    """The ``time:`` thresholds in seconds; JourneyError locating each unreadable or zero one."""
    seconds: dict[str, float] = {}
    problems = []
    for key, text in section.items():
        try:
            value = parse_duration(text)
            if value <= 0:
                raise DurationError(f"'{text}' is no time at all; give a wait longer than zero")
        except DurationError as exc:
            mark = doc.locate(("time", key))
            message = f"time.{key}: {exc} (project config; see docs/config.md)"
            problems.append(
                Diagnostic(
                    doc.path, mark.line, mark.col, "error", message, f"$.time.{key}", "bad-time"
                )
            )
            continue
        seconds[key] = value
    if problems:
        raise JourneyError(problems)
    return seconds


def _paths(config: Config, data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Path]]:
    """(where in the config, resolved path) of every path the config names: a pull request
    that changes ``journeymap.yaml`` must not point a command at files outside the project
    (``journeys: [/home]``, ``output: ..``, a symlink out of the tree)."""
    for i, target in enumerate(config.journeys):
        yield ("journeys", i), target
    if config.output is not None:
        yield ("output",), config.output
    if "templates" in config.render:
        yield ("render", "templates"), config.render["templates"]
    if "output" in config.site:
        yield ("site", "output"), config.site["output"]
    base = config.path.parent if config.path else Path.cwd()
    for i, item in enumerate(data.get("evidence") or ()):
        for k, name in enumerate(item.get("journeys") or ()):
            yield ("evidence", i, "journeys", k), resolved(base / name)
