"""Checking ``journeymap.yaml`` against its schema, with located messages."""

from __future__ import annotations

from pathlib import Path

from journeymap.check.schema import Checker
from journeymap.model.lang import lang_problem
from journeymap.source.config import Config, config_schema, from_data, read_document
from journeymap.source.diagnostics import Diagnostic, JourneyError
from journeymap.source.loader import json_path


def read_config(path: Path) -> Config:
    """The project config at ``path``; JourneyError with every problem, located."""
    doc = read_document(path)
    data = {} if doc.data is None else doc.data
    schema = config_schema()
    problems = Checker(schema).check(data, schema)
    lang = data.get("lang") if isinstance(data, dict) else None
    wrong_lang = lang_problem(lang) if isinstance(lang, str) and not problems else None
    if wrong_lang:
        mark = doc.locate(("lang",))
        located = Diagnostic(
            doc.path, mark.line, mark.col, "error", wrong_lang, "$.lang", "unknown-lang"
        )
        raise JourneyError([located])
    if problems:
        diagnostics = []
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
    return from_data(path, data)
