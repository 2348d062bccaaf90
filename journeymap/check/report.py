"""Reporters turn diagnostics into text for people, JSON for tools, or GitHub annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from journeymap.source.diagnostics import Diagnostic, printable

#: What JSON leaves raw but a terminal acts on: C1 controls, line/paragraph separators, bidi
#: controls, lone surrogates (JSON escapes C0 controls itself).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_github(value: str, *, property_: bool = False) -> str:
    """``value`` for a workflow command: one line (:func:`printable`), then GitHub's escapes."""
    value = printable(value).replace("%", "%25")
    if property_:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """The closing line: how many files, errors and warnings."""
    errors = sum(d.level == "error" for d in diagnostics)
    noun = "file" if files == 1 else "files"
    if not diagnostics:
        return f"{files} {noun} checked: all valid\n"
    return f"{files} {noun} checked: {errors} error(s), {len(diagnostics) - errors} warning(s)\n"


def text(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """``path:line:col: level: message`` lines, then the summary."""
    return "".join(f"{d}\n" for d in diagnostics) + summary(diagnostics, files)


def as_json(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """A JSON document with every diagnostic's fields."""
    payload = {
        "files": files,
        "errors": sum(d.level == "error" for d in diagnostics),
        "warnings": sum(d.level == "warning" for d in diagnostics),
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "col": d.col,
                "level": d.level,
                "code": d.code,
                "message": d.message,
                "json_path": d.json_path,
            }
            for d in diagnostics
        ],
    }
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def github(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """GitHub Actions workflow commands (annotations on the lines concerned), then the summary."""
    out = []
    for d in diagnostics:
        props = ",".join(
            f"{k}={_escape_github(str(v), property_=True)}"
            for k, v in (
                ("file", d.path),
                ("line", d.line),
                ("col", d.col),
                ("title", f"journeymap {d.code}"),
            )
        )
        out.append(f"::{d.level} {props}::{_escape_github(d.message)}\n")
    return "".join(out) + summary(diagnostics, files)


REPORTERS: dict[str, Callable[[Sequence[Diagnostic], int], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
}
