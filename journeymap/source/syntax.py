"""YAML syntax errors in plain words, located where the problem starts, with the fix.

libyaml reports where it gave up: an unclosed quote at the end of the file, a missing ':'
on the line after it, a ':' inside a value as "mapping values are not allowed". ``explain``
reads the text around libyaml's marks and says what the author most likely has to change.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml

_KEY_LINE = re.compile(r"(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[^\s:#'\"][^:#]*?):(?: +|$)")


class Explained(NamedTuple):
    """A 1-based position and the message for it."""

    line: int
    col: int
    message: str


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _row(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``; empty past the end, where libyaml marks end of file."""
    rows = _lines(text)
    return rows[line - 1] if 1 <= line <= len(rows) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, or single-quoted when it holds '"' or '\\'."""
    if '"' in text or "\\" in text:
        return "'" + text.replace("'", "''") + "'"
    return f'"{text}"'


def _unclosed_quote(text: str, line: int, col: int) -> Explained | None:
    row = _row(text, line)
    quote = row[col - 1 : col]
    if quote not in ('"', "'"):
        return None
    return Explained(
        line,
        col,
        f"this {quote} opens a quoted text that is never closed, so it runs to the end of the "
        f"file; add the closing {quote} where the text ends",
    )


def _missing_colon(text: str, line: int, col: int) -> Explained:
    row = _row(text, line)[col - 1 :].split(" #", 1)[0].rstrip()
    key, _, value = row.partition(" ")
    example = f" ({key}: {value.strip()})" if value.strip() else ""
    return Explained(line, col, f"add ':' after '{key}'{example}")


def _sibling_dash(lines: list[str], line: int, indent: int) -> tuple[int, int] | None:
    """The nearest '-' item above ``line`` at another indentation: (line, indent)."""
    for number in range(line - 1, 0, -1):
        row = lines[number - 1]
        stripped = row.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if stripped == "-" or stripped.startswith("- "):
            return (number, _indent(row)) if _indent(row) != indent else None
        if _indent(row) < indent:
            return None
    return None


def _misindented_dash(text: str, line: int) -> Explained | None:
    lines = _lines(text)
    if line > len(lines):
        return None
    row = lines[line - 1]
    stripped = row.lstrip(" ")
    if not (stripped == "-" or stripped.startswith("- ")):
        return None
    found = _sibling_dash(lines, line, _indent(row))
    if found is None:
        return None
    number, spaces = found
    return Explained(
        line,
        _indent(row) + 1,
        f"this '-' is indented {_spaces(_indent(row))}; its siblings use {spaces} "
        f"(the '-' on line {number}); line them up",
    )


def _colon_in_value(text: str, line: int, col: int) -> Explained | None:
    lines = _lines(text)
    row = lines[line - 1]
    match = _KEY_LINE.match(row)
    if match is None:
        return None
    key = match["key"].strip()
    if col - 1 == match.start("key") + len(match["key"]):  # this key's own ':'
        return _colon_missing_above(lines, line) or _misindented_key(lines, line)
    value = row[match.end() :].split(" #", 1)[0].rstrip()
    return Explained(
        line,
        match.end() + 1,
        f"the text of '{key}' holds ': ', which YAML reads as the start of another key; "
        f"quote the text: {key}: {_quoted(value)}",
    )


def _colon_missing_above(lines: list[str], line: int) -> Explained | None:
    """The line above a key is a key without its ':' (``- name Only``), which libyaml read
    as text going on into this line."""
    for number in range(line - 1, 0, -1):
        row = lines[number - 1]
        if not row.strip() or row.lstrip().startswith("#"):
            continue
        if ":" in row.split(" #", 1)[0]:
            return None
        start = re.match(r" *(?:- +)*", row)
        col = start.end() + 1 if start else 1
        return _missing_colon("\n".join(lines), number, col)
    return None


def _misindented_key(lines: list[str], line: int) -> Explained | None:
    """A key indented unlike the key above it, which libyaml read as more text or as the
    end of the mapping."""
    if line > len(lines) or (match := _KEY_LINE.match(lines[line - 1])) is None:
        return None
    spaces = match.start("key")
    for number in range(line - 1, 0, -1):
        above = _KEY_LINE.match(lines[number - 1])
        if above is None:
            continue
        column = above.start("key")
        if column == spaces:
            return None
        return Explained(
            line,
            spaces + 1,
            f"'{match['key'].strip()}' is indented {_spaces(spaces)}, but the key above it "
            f"('{above['key'].strip()}', line {number}) uses {column}; line them up",
        )
    return None


def _open_quote(text: str, line: int) -> Explained | None:
    """A value on or before ``line`` whose opening quote is not closed on its own line."""
    for number, row in enumerate(_lines(text)[:line], 1):
        match = _KEY_LINE.match(row) or re.match(r" *(?:- +)+", row)
        rest = row[match.end() :] if match else ""
        if rest[:1] not in ('"', "'"):
            continue
        quote = rest[0]
        body = rest[1:].replace("\\\\", "").replace('\\"', "") if quote == '"' else rest[1:]
        if quote not in body.replace("''", ""):
            return Explained(
                number,
                match.end() + 1 if match else 1,
                f"this {quote} opens a quoted text that does not end on its line, so YAML reads "
                f"on into the lines below; add the closing {quote} where the text ends",
            )
    return None


def _comment_in_flow(text: str, line: int) -> Explained | None:
    row = _row(text, line)
    found = re.search(r"(?<=[ ,{\[])#", row)
    if found is None:
        return None
    colour = re.match(r"#[0-9a-fA-F]{3,6}\b", row[found.start() :])
    fix = f'; quote it: "{colour.group()}"' if colour else "; quote the text that starts with '#'"
    return Explained(
        line,
        found.start() + 1,
        "'#' after a space starts a comment, so the rest of the line (with the closing "
        f"bracket) is ignored{fix}",
    )


def _text_after_quote(text: str, line: int, col: int) -> Explained | None:
    """A flow item that is a quoted text with more text after its closing quote
    (``["Thanks" e-mail]``): the quotes end the item, so YAML wants a ',' or a bracket."""
    row = _row(text, line)
    before = row[: col - 1].rstrip()
    if len(before) == col - 1 or before[-1:] not in ('"', "'"):
        return None  # not a closing quote, then space, then more text
    quote = before[-1]
    start = before.rfind(quote, 0, len(before) - 1)
    while start > 0 and row[start - 1] not in " [{,":
        start = before.rfind(quote, 0, start)
    if start < 0:
        return None
    end = re.search(r"[,\]}]", row[col - 1 :])
    item = row[start : col - 1 + end.start()] if end else row[start:]
    return Explained(
        line,
        start + 1,
        f"a quoted text ends at its closing {quote}, so no text may follow it inside [ ] or {{ }}; "
        f"put the whole item in quotes: {_quoted(item.rstrip())}",
    )


def explain(text: str, exc: yaml.MarkedYAMLError) -> Explained:
    """Where and how to fix the syntax error ``exc`` of ``text``."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    start = exc.context_mark
    at = (start.line + 1, start.column + 1) if start else (line, col)
    found: Explained | None = None
    if "quoted scalar" in context and "end of stream" in problem:
        found = _unclosed_quote(text, *at)
    elif "simple key" in context and "expected ':'" in problem:
        found = _misindented_dash(text, line) or _missing_colon(text, *at)
    elif problem.startswith("mapping values are not allowed"):
        found = _colon_in_value(text, line, col)
    elif "flow" in context:
        found = _comment_in_flow(text, at[0]) or _text_after_quote(text, line, col)
    elif "expected key" in problem or "expected '-'" in problem:
        found = _misindented_dash(text, line) or _misindented_key(_lines(text), line)
    if found is None or found.message.startswith("YAML"):
        found = _open_quote(text, line) or found
    if found is not None:
        return found
    where = f" ({context})" if context else ""
    return Explained(line, col, f"YAML syntax error: {problem}{where}")
