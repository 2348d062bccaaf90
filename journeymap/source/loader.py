"""Safe YAML loading that remembers where every value came from.

The document is built from libyaml's event stream by our own non-recursive loop, so no
YAML constructor ever runs (no tags can execute code), nesting depth and alias expansion
are bounded before any large object exists, and every value gets a ``line:col``.

Scalars follow the YAML 1.2 core schema: only ``true``/``false`` are booleans, dates and
words like ``no`` stay text, ``.nan``/``.inf`` are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from journeymap.source.diagnostics import Diagnostic
from journeymap.source.limits import DEFAULT_LIMITS, Limits
from journeymap.source.syntax import explain

Path_ = tuple[str | int, ...]

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}": name
    for name in ("str", "int", "float", "bool", "null", "map", "seq")
}
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_OCT = re.compile(r"0o[0-7]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
#: Characters no journey text may hold: C0/C1 controls but tab, newline and CR; lone
#: surrogates; the noncharacters U+FDD0..U+FDEF, U+FFFE and U+FFFF.
_BAD_CHAR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
#: YAML 1.2 reads NEL, LS and PS (U+0085, U+2028, U+2029) as ordinary characters, as editors
#: do; libyaml (YAML 1.1) breaks lines at them, which moves every later line number and can
#: change the structure. They cross libyaml as noncharacters no journey may hold, and come
#: back in the values.
_NOT_BREAKS = "\x85\u2028\u2029"
_HIDE_BREAKS = str.maketrans(_NOT_BREAKS, "\ufdd0\ufdd1\ufdd2")
_SHOW_BREAKS = str.maketrans("\ufdd0\ufdd1\ufdd2", _NOT_BREAKS)
_MAX_NUMBER_DIGITS = 100
#: First characters of plain scalars that may resolve to something other than text.
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")


class Mark(NamedTuple):
    """A 1-based line and column."""

    line: int
    col: int


@dataclass
class Document:
    """Plain JSON-like data plus the position of every value and mapping key."""

    path: str
    data: Any
    positions: dict[Path_, Mark] = field(default_factory=dict)
    key_positions: dict[Path_, Mark] = field(default_factory=dict)
    #: Empty values followed by a comment on their line (``color: #0072B2``), by position.
    comments: dict[Mark, str] = field(default_factory=dict)

    def locate(self, path: Path_) -> Mark:
        """Where the value at ``path`` starts (or its nearest located ancestor)."""
        for end in range(len(path), -1, -1):
            mark = self.positions.get(path[:end])
            if mark is not None:
                return mark
        return Mark(1, 1)

    def locate_key(self, path: Path_) -> Mark:
        """Where the key of the mapping entry at ``path`` starts (else the value)."""
        return self.key_positions.get(path) or self.locate(path)


class YamlError(Exception):
    """The file cannot be read as a journey; carries one located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def json_path(path: Path_) -> str:
    """``('stages', 0, 'name')`` -> ``$.stages[0].name``."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _fail(file: str, line: int, col: int, message: str, code: str, path: Path_ = ()) -> YamlError:
    return YamlError(Diagnostic(file, line, col, "error", message, json_path(path), code))


def _offset_to_mark(text: str, offset: int) -> Mark:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return Mark(line, offset - start + 1)


def too_large(file: str, size: int, limits: Limits) -> YamlError:
    """The error for a file of ``size`` bytes, over ``limits.max_bytes``."""
    return _fail(
        file,
        1,
        1,
        f"file is {size:,} bytes, over the limit of {limits.max_bytes:,}; split it, "
        f"or raise the limit with --limit max_bytes=N",
        "too-large",
    )


def decode_utf8(raw: bytes, file: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or a located error naming the bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(file, 1, 1, "file is UTF-16; save it as UTF-8", "encoding")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", "replace")
        mark = _offset_to_mark(prefix, len(prefix))
        raise _fail(
            file,
            mark.line,
            mark.col,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            "encoding",
        ) from None


def decode(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The file's text, or a located error for wrong encodings, bad characters and tabs."""
    if len(raw) > limits.max_bytes:
        raise too_large(file, len(raw), limits)
    text = decode_utf8(raw, file)
    if not text.strip():
        raise _fail(
            file,
            1,
            1,
            "file is empty; a journey needs at least 'journeymap: 1', a 'title' and one stage "
            "(run 'journeymap init' for a starter file)",
            "empty",
        )
    bad = _BAD_CHAR.search(text)
    if bad:
        mark = _offset_to_mark(text, bad.start())
        raise _fail(
            file,
            mark.line,
            mark.col,
            f"control character U+{ord(bad.group()):04X} is not allowed; remove it",
            "bad-character",
        )
    tab = re.search(r"^ *\t", text, re.MULTILINE)
    while tab and not text[tab.end() :].split("\n", 1)[0].strip():
        tab = re.compile(r"^ *\t", re.MULTILINE).search(text, tab.end())  # blank line: harmless
    if tab:
        mark = _offset_to_mark(text, tab.end() - 1)
        raise _fail(
            file,
            mark.line,
            mark.col,
            "tab character used for indentation; YAML needs spaces",
            "tab-indent",
        )
    return text


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path_
    start: Mark
    anchor: str | None = None
    nodes: int = 1
    key: str | None = None
    key_mark: Mark | None = None
    merging: bool = False
    merges: list[tuple[dict[str, Any], Mark]] = field(default_factory=list)


def _mark(event: Any) -> Mark:
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1)


class _Builder:
    """Turns the event stream into data and positions, checking as it goes."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.doc = Document(file, None)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.total_nodes = 0
        self.documents = 0
        self.text = ""
        self.hidden_breaks = False

    def fail(self, mark: Mark, message: str, code: str, path: Path_ = ()) -> YamlError:
        return _fail(self.file, mark.line, mark.col, message, code, path)

    def count(self, nodes: int, mark: Mark) -> None:
        self.total_nodes += nodes
        if self.total_nodes > self.limits.max_nodes:
            raise self.fail(
                mark,
                f"more than {self.limits.max_nodes:,} values once aliases are expanded "
                "(a 'billion laughs' file?); use fewer aliases, or raise the limit with "
                "--limit max_nodes=N",
                "too-many-nodes",
            )

    def check_tag(self, event: Any) -> str | None:
        tag = event.tag
        if tag is None or tag == "!":
            return None
        if tag in _STANDARD_TAGS:
            return _STANDARD_TAGS[tag]
        shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:") else tag
        raise self.fail(
            _mark(event),
            f"YAML tag {shown} is not allowed; journey files hold plain text, numbers, "
            "true/false, lists and mappings",
            "yaml-tag",
        )

    def scalar(self, event: Any) -> Any:
        tag = self.check_tag(event)
        value: str = event.value
        if self.hidden_breaks:
            value = value.translate(_SHOW_BREAKS)
        bad = _BAD_CHAR.search(value)
        if bad:
            raise self.fail(
                _mark(event),
                f"text holds the character U+{ord(bad.group()):04X}, which is not allowed; "
                "remove it",
                "bad-character",
            )
        if len(value) > self.limits.max_text:
            raise self.fail(
                _mark(event),
                f"text of {len(value):,} characters, over the limit of {self.limits.max_text:,}; "
                "shorten it, or raise the limit with --limit max_text=N",
                "text-too-long",
            )
        plain = bool(event.implicit[0]) and not event.style
        if tag == "str" or (tag is None and not plain):
            return value
        if tag is None and value and value[0] not in _MAYBE_NOT_TEXT:
            return value  # fast path: a plain word cannot be a number, null or boolean
        return self.resolve(value, tag, _mark(event))

    def resolve(self, value: str, tag: str | None, mark: Mark) -> Any:
        if tag in (None, "null") and value in _NULL:
            return None
        if tag in (None, "bool"):
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
        if tag in (None, "float") and _SPECIAL_FLOAT.fullmatch(value):
            raise self.fail(
                mark,
                f"{value} (not-a-number or infinity) is not allowed; write a finite number",
                "bad-number",
            )
        is_int = _INT.fullmatch(value) or _HEX.fullmatch(value) or _OCT.fullmatch(value)
        is_float = _FLOAT.fullmatch(value)
        if tag in (None, "int", "float") and (is_int or is_float):
            if len(value) > _MAX_NUMBER_DIGITS:
                raise self.fail(
                    mark,
                    f"number with {len(value)} characters is too long; quote it if it is text",
                    "bad-number",
                )
            if is_int and tag != "float":
                return int(value, 0) if value[:2] in ("0x", "0o") else int(value, 10)
            number = float(value)
            if number in (float("inf"), float("-inf")):
                raise self.fail(mark, f"number {value} is too large", "bad-number")
            return number
        if tag is None:
            return value
        raise self.fail(mark, f"{value!r} is not a valid !!{tag} value", "bad-value")

    def add(self, value: Any, mark: Mark, nodes: int, anchor: str | None) -> None:
        """Attach a finished value to the open container (or make it the document)."""
        if anchor is not None:
            self.anchors[anchor] = (value, nodes)
        if not self.stack:
            self.doc.data = value
            self.doc.positions[()] = mark
            return
        top = self.stack[-1]
        top.nodes += nodes
        if isinstance(top.container, list):
            self.doc.positions[(*top.path, len(top.container))] = mark
            top.container.append(value)
        elif top.merging:
            top.merging = False
            self.merge(top, value, mark)
        elif top.key is None:
            self.key(top, value, mark)
        else:
            path = (*top.path, top.key)
            self.doc.positions[path] = mark
            assert top.key_mark is not None
            self.doc.key_positions[path] = top.key_mark
            top.container[top.key] = value
            top.key = None

    def key(self, top: _Frame, value: Any, mark: Mark) -> None:
        assert isinstance(top.container, dict)
        if value is None:
            raise self.fail(mark, "empty mapping key; write a name before the ':'", "empty-key")
        if value == "<<":
            top.merging = True
            return
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        if text in top.container:
            first = self.doc.key_positions.get((*top.path, text))
            where = f" (first at line {first.line})" if first else ""
            raise self.fail(
                mark,
                f"duplicate key '{text}'{where}; YAML would silently keep only the last one, "
                "so remove or rename one",
                "duplicate-key",
                (*top.path, text),
            )
        top.key, top.key_mark = text, mark

    def merge(self, top: _Frame, value: Any, mark: Mark) -> None:
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(s, dict) for s in sources):
            raise self.fail(
                mark, "'<<' merges mappings only: give it a mapping alias like *base", "bad-merge"
            )
        top.merges.extend((s, mark) for s in sources)

    def close(self) -> None:
        frame = self.stack.pop()
        if isinstance(frame.container, dict):
            for source, mark in frame.merges:
                for k, v in source.items():
                    if k not in frame.container:
                        frame.container[k] = v
                        self.doc.positions[(*frame.path, k)] = mark
                        self.doc.key_positions[(*frame.path, k)] = mark
        self.add(frame.container, frame.start, frame.nodes, frame.anchor)

    def too_deep(self, mark: Mark) -> YamlError:
        return self.fail(
            mark,
            f"nesting deeper than {self.limits.max_depth} levels; flatten the structure, or "
            "raise the limit with --limit max_depth=N (at most "
            f"{Limits.ceiling('max_depth'):,})",
            "too-deep",
        )

    def deepening(self, text: str, exc: yaml.MarkedYAMLError) -> Mark:
        """Where the nesting passes ``max_depth``, when libyaml's scanner, which reads ahead of
        the events, stopped at its own limit first: the flow brackets after the deepest
        container opened so far are counted (quoted text and comments skipped)."""
        lines = text.split("\n")
        depth = len(self.stack)
        line, col = self.stack[-1].start if self.stack else Mark(1, 1)
        index = sum(len(row) + 1 for row in lines[: line - 1]) + col - 1
        if self.stack and text[index : index + 1] in ("[", "{"):
            index += 1
        quote = ""
        while index < len(text):
            char = text[index]
            if quote:
                if char == "\\" and quote == '"':
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
                index = text.find("\n", index)
                if index < 0:
                    break
            elif char in "[{":
                if depth >= self.limits.max_depth:
                    row = text.count("\n", 0, index)
                    return Mark(row + 1, index - (text.rfind("\n", 0, index) + 1) + 1)
                depth += 1
            elif char in "]}":
                depth -= 1
            index += 1
        mark = exc.problem_mark
        return Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)

    def open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        self.check_tag(event)
        mark = _mark(event)
        if len(self.stack) >= self.limits.max_depth:
            raise self.too_deep(mark)
        self.count(1, mark)
        path: Path_ = ()
        if self.stack:
            top = self.stack[-1]
            if isinstance(top.container, list):
                path = (*top.path, len(top.container))
            elif top.key is not None:
                path = (*top.path, top.key)
            elif not top.merging:
                raise self.fail(
                    mark, "a mapping key must be plain text, not a list or mapping", "complex-key"
                )
            else:
                path = (*top.path, "<<")
        self.stack.append(_Frame(container, path, mark, anchor=event.anchor))

    def run(self, text: str) -> Document:
        self.text = text
        self.hidden_breaks = any(char in text for char in _NOT_BREAKS)
        loader = yaml.CSafeLoader(text.translate(_HIDE_BREAKS) if self.hidden_breaks else text)
        handlers = {
            yaml.ScalarEvent: self.scalar_event,
            yaml.MappingStartEvent: lambda e: self.open(e, {}),
            yaml.SequenceStartEvent: lambda e: self.open(e, []),
            yaml.MappingEndEvent: lambda e: self.close(),
            yaml.SequenceEndEvent: lambda e: self.close(),
            yaml.AliasEvent: self.alias,
            yaml.DocumentStartEvent: self.document,
        }
        try:
            while True:
                event = loader.get_event()
                if event is None or type(event) is yaml.StreamEndEvent:
                    break
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
        except yaml.MarkedYAMLError as exc:
            if "maximum nesting depth" in (exc.problem or ""):
                raise self.too_deep(self.deepening(text, exc)) from None
            found = explain(text, exc)
            raise _fail(self.file, found.line, found.col, found.message, "yaml-syntax") from None
        except yaml.YAMLError as exc:
            raise _fail(self.file, 1, 1, f"YAML error: {exc}", "yaml-syntax") from None
        finally:
            loader.dispose()
        return self.doc

    def scalar_event(self, event: Any) -> None:
        mark = _mark(event)
        self.count(1, mark)
        value = self.scalar(event)
        if value is None and not event.value:
            line = self.text[event.start_mark.index :].split("\n", 1)[0]
            rest = line.lstrip(" ")
            if rest.startswith("#"):  # the value is where its text became a comment
                mark = Mark(mark.line, mark.col + len(line) - len(rest))
                self.doc.comments[mark] = rest.rstrip()
        self.add(value, mark, 1, event.anchor)

    def alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise self.fail(
                _mark(event),
                f"alias *{event.anchor} names no anchor defined before it (or names the "
                f"value it is inside); define &{event.anchor} earlier",
                "bad-alias",
            )
        value, nodes = self.anchors[event.anchor]
        self.count(nodes, _mark(event))
        self.add(value, _mark(event), nodes, None)

    def document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self.fail(
                _mark(event),
                "a second YAML document ('---') in one file; keep one journey per file",
                "multiple-documents",
            )


def parse(text: str, file: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Build a :class:`Document` from decoded text; raises :class:`YamlError`."""
    return _Builder(file, limits).run(text)


def load_bytes(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Decode and parse a file's bytes; raises :class:`YamlError` with a located message."""
    return parse(decode(raw, file, limits), file, limits)
