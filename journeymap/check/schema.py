"""Checking data against the published JSON Schema, with messages a person can act on.

A small interpreter for the JSON Schema 2020-12 keywords that ``schemas/journey.schema.json``
uses (``KEYWORDS``). It imports in microseconds, where the ``jsonschema`` package takes
about 90 ms, and it knows which branch of a ``oneOf`` the author meant. The test suite checks
that the schema uses no other keyword and that ``jsonschema`` agrees on every corpus file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from journeymap.check.suggest import suggest
from journeymap.source.resources import schema_path

Path_ = tuple[str | int, ...]

#: Keywords the interpreter evaluates; annotations it ignores are in ``ANNOTATIONS``.
KEYWORDS = frozenset(
    {
        "$ref",
        "if",
        "then",
        "else",
        "type",
        "const",
        "enum",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "required",
        "properties",
        "additionalProperties",
        "propertyNames",
        "minProperties",
        "items",
        "minItems",
        "uniqueItems",
        "oneOf",
        "anyOf",
    }
)
#: Annotations: documentation and editor hints (yaml-language-server reads ``errorMessage``,
#: ``markdownDescription``, ``defaultSnippets`` and ``default``); this interpreter words its
#: own messages.
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "title",
        "description",
        "markdownDescription",
        "errorMessage",
        "defaultSnippets",
        "default",
    }
)
#: Parts of the schema written for editors, skipped here: without a ``scale`` of its own a
#: journey's emotions must be default-scale words or -3..3, which the semantic checks test
#: against the journey's real scale, suggesting the nearest word.
EDITOR_ONLY = frozenset({"#/$defs/default_scale_emotions"})

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "empty",
}
_YES_NO = {"yes": "true", "y": "true", "on": "true", "no": "false", "n": "false", "off": "false"}
#: What an empty mapping should hold instead, by key.
_EMPTY_HELP = {
    "emotion": "give each persona's emotion, like {sam: happy}, or one number or word for "
    "everyone, or leave 'emotion' out",
}
_PATTERN_HELP = {
    "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$": "must be a colour like #1a7f37 or #17f",
    r"^[^\s]+$": "must be an id without spaces",
    "^[-+]?[0-9]+$": "must be an integer",
}


@dataclass(frozen=True)
class SchemaProblem:
    """One way the data breaks the schema."""

    path: Path_
    message: str
    #: Point at the mapping key rather than its value (unknown keys).
    at_key: bool = False
    code: str = "schema"


@cache
def journey_schema() -> dict[str, Any]:
    """The published schema, parsed once."""
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def type_of(value: Any) -> str:
    """The JSON type name of a Python value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _matches_type(value: Any, expected: str) -> bool:
    actual = type_of(value)
    return actual == expected or (expected == "number" and actual == "integer")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def matches_pattern(pattern: str, value: str) -> bool:
    """Whether ``pattern`` matches ALL of ``value``.

    The schema's patterns are anchored ``^...$`` for editors, where ``$`` (ECMA-262) means
    the end of the text; Python's ``$`` also matches before a final newline, so
    ``"#fff\n"`` would pass a colour check. ``fullmatch`` leaves no such gap.
    """
    return _compiled(pattern).fullmatch(value) is not None


def _same(value: Any, expected: Any) -> bool:
    """JSON equality: ``true`` is not ``1``."""
    return type_of(value) == type_of(expected) and value == expected


def label(path: Path_) -> str:
    """How a path reads in a message: ``stages[0]``, ``name``, ``the file``."""
    if not path:
        return "the file"
    parts: list[str] = []
    for part in reversed(path):
        parts.insert(0, f"[{part}]" if isinstance(part, int) else str(part))
        if not isinstance(part, int):
            break
    return "".join(parts)


def _quote(value: Any) -> str:
    """A value as shown in a message; lists and mappings by their kind, never dumped whole."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list | dict):
        return _TYPE_WORDS[type_of(value)]
    return json.dumps(value)


def _canonical(value: Any, shapes: dict[Any, int]) -> int:
    """A number for JSON data, equal for equal data (``true`` is not ``1``).

    Each distinct shape is numbered in ``shapes`` from its children's numbers, so keys stay
    flat: no recursion however deep the data (``--limit max_depth`` may allow 1,000 levels).
    """
    done: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, ready = stack.pop()
        if isinstance(item, list | dict) and not ready:
            stack.append((item, True))
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, False) for child in children)
            continue
        if isinstance(item, dict):
            shape: Any = ("object", frozenset((k, done[id(v)]) for k, v in item.items()))
        elif isinstance(item, list):
            shape = ("array", tuple(done[id(v)] for v in item))
        else:
            shape = (type_of(item), item)
        done[id(item)] = shapes.setdefault(shape, len(shapes))
    return done[id(value)]


def _quote_hint(value: Any, expected: list[str]) -> str:
    """For a number or true/false where text is expected: how to write it as text."""
    if "string" in expected and type_of(value) in ("integer", "number", "boolean"):
        shown = json.dumps(value)
        return f'; if it is text, put it in quotes: "{shown}"'
    return ""


class Checker:
    """Evaluates one schema against data, collecting every problem."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.root
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        resolved: dict[str, Any] = node
        return resolved

    def check(self, value: Any, schema: dict[str, Any], path: Path_ = ()) -> list[SchemaProblem]:
        """Every problem of ``value`` against ``schema``; [] when it is valid."""
        if "$ref" in schema:
            if schema["$ref"] in EDITOR_ONLY:
                return []
            return self.check(value, self.resolve(schema["$ref"]), path)
        problems = self.check_here(value, schema, path)
        if "if" in schema:
            branch = "then" if not self.check(value, schema["if"], path) else "else"
            if branch in schema:
                found = self.check(value, schema[branch], path)
                problems += [p for p in found if p not in problems]
        return problems

    def check_here(self, value: Any, schema: dict[str, Any], path: Path_) -> list[SchemaProblem]:
        """The problems of the keywords beside ``if``/``then``/``else``."""
        if "type" in schema:
            expected = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_matches_type(value, t) for t in expected):
                return [self.type_problem(value, expected, path)]
        if "oneOf" in schema or "anyOf" in schema:
            return self.alternatives(value, schema.get("oneOf") or schema["anyOf"], path)
        problems: list[SchemaProblem] = []
        if "const" in schema and not _same(value, schema["const"]):
            problems.append(
                SchemaProblem(path, f"'{label(path)}' must be {_quote(schema['const'])}")
            )
        if "enum" in schema and not any(_same(value, c) for c in schema["enum"]):
            choices = [str(c) for c in schema["enum"]]
            hint = suggest(str(value), choices) if isinstance(value, str) else ""
            if isinstance(value, str) and value.strip().lower() in choices:
                hint = f"; write it in lower case: {value.strip().lower()}"
            problems.append(
                SchemaProblem(
                    path,
                    f"'{label(path)}' must be one of {', '.join(choices)}, "
                    f"not {_quote(value)}{hint}",
                    code="bad-value",
                )
            )
        if isinstance(value, str):
            problems += self.check_string(value, schema, path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                problems.append(
                    SchemaProblem(path, f"'{label(path)}' must be at least {schema['minimum']}")
                )
            if "maximum" in schema and value > schema["maximum"]:
                problems.append(
                    SchemaProblem(path, f"'{label(path)}' must be at most {schema['maximum']}")
                )
        elif isinstance(value, dict):
            problems += self.check_object(value, schema, path)
        elif isinstance(value, list):
            problems += self.check_array(value, schema, path)
        return problems

    def type_problem(self, value: Any, expected: list[str], path: Path_) -> SchemaProblem:
        words = " or ".join(_TYPE_WORDS[t] for t in expected)
        got = _TYPE_WORDS[type_of(value)]
        if type_of(value) == "number" and "integer" in expected:
            got = f"{value} (not whole)"
        yes_no = _YES_NO.get(value.strip().lower()) if isinstance(value, str) else None
        if expected == ["boolean"] and yes_no:
            message = (
                f"'{label(path)}' must be true or false, not '{value}' (text in YAML 1.2); "
                f"write {yes_no}"
            )
        else:
            message = f"'{label(path)}' must be {words}, not {got}{_quote_hint(value, expected)}"
        return SchemaProblem(path, message, code="type")

    def alternatives(
        self, value: Any, branches: list[dict[str, Any]], path: Path_
    ) -> list[SchemaProblem]:
        results = [self.check(value, branch, path) for branch in branches]
        if any(not r for r in results):
            return []
        # Report the branch whose type fits: that is the form the author was writing.
        for result in results:
            if not (len(result) == 1 and result[0].code == "type" and result[0].path == path):
                return result
        expected = [t for branch in branches for t in _types(branch)]
        return [self.type_problem(value, list(dict.fromkeys(expected)), path)]

    def check_string(self, value: str, schema: dict[str, Any], path: Path_) -> list[SchemaProblem]:
        if "minLength" in schema and len(value) < schema["minLength"]:
            return [SchemaProblem(path, f"'{label(path)}' must not be empty")]
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return [
                SchemaProblem(
                    path, f"'{label(path)}' is {len(value)} characters, over {schema['maxLength']}"
                )
            ]
        pattern = schema.get("pattern")
        if pattern and not matches_pattern(pattern, value):
            help_ = _PATTERN_HELP.get(pattern, f"must match {pattern}")
            return [
                SchemaProblem(
                    path, f"'{label(path)}' {help_}, not {_quote(value)}", code="bad-value"
                )
            ]
        return []

    def check_object(
        self, value: dict[str, Any], schema: dict[str, Any], path: Path_
    ) -> list[SchemaProblem]:
        problems: list[SchemaProblem] = []
        where = "" if not path else f" in {label(path)}"
        for key in schema.get("required", ()):
            if key not in value:
                problems.append(
                    SchemaProblem(path, f"missing required key '{key}'{where}", code="missing-key")
                )
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            help_ = _EMPTY_HELP.get(str(path[-1]) if path else "", "add at least one entry")
            problems.append(SchemaProblem(path, f"'{label(path)}' is an empty mapping; {help_}"))
        properties: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        names = schema.get("propertyNames")
        for key, item in value.items():
            child = (*path, key)
            if names and (found := self.check(key, names, child)):
                problems.append(
                    SchemaProblem(
                        child,
                        f"key '{key}'{where} {found[0].message.split(' ', 1)[1]}",
                        at_key=True,
                        code="bad-key",
                    )
                )
            elif key in properties:
                problems += self.check(item, properties[key], child)
            elif extra is False:
                allowed = sorted(properties)
                hint = suggest(key, allowed) or f"; allowed keys: {', '.join(allowed)}"
                problems.append(
                    SchemaProblem(
                        child, f"unknown key '{key}'{where}{hint}", at_key=True, code="unknown-key"
                    )
                )
            elif isinstance(extra, dict):
                problems += self.check(item, extra, child)
        return problems

    def check_array(
        self, value: list[Any], schema: dict[str, Any], path: Path_
    ) -> list[SchemaProblem]:
        problems: list[SchemaProblem] = []
        name = label(path)
        if "minItems" in schema and len(value) < schema["minItems"]:
            n = schema["minItems"]
            problems.append(
                SchemaProblem(path, f"'{name}' needs at least {n} item{'s' if n != 1 else ''}")
            )
        if schema.get("uniqueItems"):
            seen: set[int] = set()
            shapes: dict[Any, int] = {}
            for index, item in enumerate(value):
                key = _canonical(item, shapes)
                if key in seen:
                    problems.append(
                        SchemaProblem(
                            (*path, index),
                            f"'{name}' lists {_quote(item)} more than once",
                            code="duplicate",
                        )
                    )
                seen.add(key)
        if "items" in schema:
            for index, item in enumerate(value):
                problems += self.check(item, schema["items"], (*path, index))
        return problems


def check(data: Any) -> list[SchemaProblem]:
    """Every way ``data`` breaks the journey schema."""
    schema = journey_schema()
    return Checker(schema).check(data, schema)


def _types(branch: dict[str, Any]) -> list[Any]:
    """The JSON types a schema branch allows (``object`` when it names none)."""
    kind = branch.get("type", "object")
    return kind if isinstance(kind, list) else [kind]
