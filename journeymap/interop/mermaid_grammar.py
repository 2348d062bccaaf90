"""A port of how Mermaid 11 reads a ``journey`` diagram, so import accepts what Mermaid accepts.

Mermaid first preprocesses the text (line endings, YAML front matter, ``%%{...}%%``
directives, whole-line ``%%`` comments), detects the diagram type (``^\\s*journey``, case
sensitive), swaps entity codes such as ``#59;`` for markers, then runs the lexer and grammar of
``journey.jison``. Each step is mirrored here, rule for rule and in Mermaid's order, while every
character keeps the offset it had in the file, so errors point at the file's own line and column.
JavaScript's notions of whitespace, word characters, ``Number()`` and ``trim()`` are spelled out
rather than borrowed from Python's, which differ. ``tests/mermaid/`` checks the port against the
real Mermaid on a recorded corpus.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

#: JavaScript's ``\s``: Python's differs (it adds U+001C..U+001F and U+0085, lacks U+FEFF).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
S = f"[{_JS_SPACE}]"
_JS_SPACES = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_SPACE_RUN = re.compile(f"{S}*")
_LINE_BREAK = re.compile("[\n\u2028\u2029]")  # where JavaScript's multiline ^ matches after
#: Mermaid's own markers for ``#name;`` (ints get a second degree sign).
_INT_MARK, _NAME_MARK, _END_MARK = "\ufb02\u00b0\u00b0", "\ufb02\u00b0", "\u00b6\u00df"
_DOT = "[^\n\r\u2028\u2029]"  # JavaScript's "." without the s flag

FRONT_MATTER = re.compile(
    r"\A([^\S\n\r]*)-{3}" + S + r"*[\n\r](.*?)[\n\r]\1-{3}" + S + r"*[\n\r]+", re.DOTALL
)
DIRECTIVE = re.compile(
    rf"%{{2}}{{{S}*(?:(\w+){S}*:|(\w+)){S}*(?:(\w+)|((?:(?!}}%{{2}}){_DOT}|\r?\n)*))?{S}*(?:}}%{{2}})?",
    re.IGNORECASE | re.ASCII,
)
_COMMENT_REST = re.compile(rf"{_DOT}*\n")
_SEGMENT = re.compile(r"[^\n\r\u2028\u2029]+")  # what JavaScript's "." runs over
_ENTITY = re.compile(r"#(\w+);", re.ASCII)
_TAG = re.compile(r"<(\w+)([^>]*)>", re.ASCII)

_F = re.IGNORECASE | re.ASCII
#: The lexer of journey.jison: (state, pattern, token or None to skip, next state).
LEX_RULES: list[tuple[str, re.Pattern[str], str | None, str | None]] = [
    ("INITIAL", re.compile(r"%(?!\{)[^\n]*", _F), None, None),
    ("INITIAL", re.compile(r"[^\}]%%[^\n]*", _F), None, None),
    ("INITIAL", re.compile(r"[\n]+", _F), "NEWLINE", None),
    ("INITIAL", re.compile(f"{S}+", _F), None, None),
    ("INITIAL", re.compile(r"#[^\n]*", _F), None, None),
    ("INITIAL", re.compile(r"journey(?![A-Za-z0-9_])", _F), "journey", None),
    ("INITIAL", re.compile(rf"title{S}[^#\n;]+", _F), "title", None),
    ("INITIAL", re.compile(rf"accTitle{S}*:{S}*", _F), "acc_title", "acc_title"),
    ("acc_title", re.compile(r"[^\n]*", _F), "acc_title_value", "INITIAL"),
    ("INITIAL", re.compile(rf"accDescr{S}*:{S}*", _F), "acc_descr", "acc_descr"),
    ("acc_descr", re.compile(r"[^\n]*", _F), "acc_descr_value", "INITIAL"),
    ("INITIAL", re.compile(rf"accDescr{S}*\{{{S}*", _F), None, "acc_descr_multiline"),
    ("acc_descr_multiline", re.compile(r"[\}]", _F), None, "INITIAL"),
    ("acc_descr_multiline", re.compile(r"[^\}]*", _F), "acc_descr_multiline_value", None),
    ("INITIAL", re.compile(rf"section{S}[^#:\n;]+", _F), "section", None),
    ("INITIAL", re.compile(r"[^#:\n;]+", _F), "taskName", None),
    ("INITIAL", re.compile(r":[^#\n;]+", _F), "taskData", None),
    ("INITIAL", re.compile(r":", _F), ":", None),
    ("INITIAL", re.compile(r"\Z", _F), "EOF", None),
    ("INITIAL", re.compile(r".", _F), "INVALID", None),
]
#: What the grammar accepts where a statement may start (jison's own list and order).
STATEMENT_START = (
    "EOF",
    "SPACE",
    "NEWLINE",
    "title",
    "acc_title",
    "acc_descr",
    "acc_descr_multiline_value",
    "section",
    "taskName",
)
#: Mermaid does not render a diagram longer than this (``maxTextSize``, which a diagram cannot
#: change), counted in UTF-16 code units after preprocessing.
MAX_TEXT = 50_000


class MermaidError(ValueError):
    """Mermaid rejects the diagram; ``line``/``col`` are 1-based positions in the input.

    ``expected`` and ``got`` are the token names Mermaid's parse error names (empty when the
    error is not a parse error: no journey diagram, bad front matter, too long).
    """

    def __init__(
        self,
        line: int,
        col: int,
        message: str,
        expected: tuple[str, ...] = (),
        got: str | None = None,
    ) -> None:
        super().__init__(f"line {line}, column {col}: {message}")
        self.line = line
        self.col = col
        self.message = message
        self.expected = expected
        self.got = got


@dataclass(frozen=True)
class Task:
    """One task as Mermaid reads it: name, score (``Number()``: may be NaN), actors."""

    name: str
    score: float
    actors: tuple[str, ...]
    line: int
    col: int


@dataclass
class Section:
    """A section and its tasks; ``name`` is None for tasks before the first section."""

    name: str | None
    tasks: list[Task] = field(default_factory=list)
    line: int = 0


@dataclass
class Diagram:
    """What Mermaid's journey database holds after parsing."""

    title: str | None = None
    acc_title: str | None = None
    acc_descr: str | None = None
    sections: list[Section] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        """Every task in order."""
        return [task for section in self.sections for task in section.tasks]


class _Mapped:
    """Text whose every character remembers its offset in the original input."""

    def __init__(self, text: str, offsets: list[int]) -> None:
        self.text = text
        self.offsets = offsets  # one per character, plus one for the end

    @classmethod
    def of(cls, text: str) -> _Mapped:
        return cls(text, list(range(len(text) + 1)))

    def sub(
        self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], end: int | None = None
    ) -> _Mapped:
        """Like ``re.sub`` (on the text up to ``end``); replacement characters take the offset
        of the match's start."""
        parts: list[str] = []
        offsets: list[int] = []
        last = 0
        for match in pattern.finditer(self.text, 0, len(self.text) if end is None else end):
            parts.append(self.text[last : match.start()])
            offsets.extend(self.offsets[last : match.start()])
            new = repl(match)
            parts.append(new)
            offsets.extend([self.offsets[match.start()]] * len(new))
            last = match.end()
        parts.append(self.text[last:])
        offsets.extend(self.offsets[last:])
        return _Mapped("".join(parts), offsets)

    def drop(self, spans: list[tuple[int, int]]) -> _Mapped:
        """Without the characters of ``spans`` (in order, not overlapping)."""
        parts: list[str] = []
        offsets: list[int] = []
        last = 0
        for start, end in spans:
            parts.append(self.text[last:start])
            offsets.extend(self.offsets[last:start])
            last = end
        parts.append(self.text[last:])
        offsets.extend(self.offsets[last:])
        return _Mapped("".join(parts), offsets)

    def slice(self, start: int) -> _Mapped:
        return _Mapped(self.text[start:], self.offsets[start:])


def js_trim(text: str) -> str:
    """JavaScript's ``String.prototype.trim``."""
    return text.strip(_JS_SPACES)


_JS_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)", re.I | re.A)
_JS_RADIX = re.compile(r"0(?:x[0-9a-f]+|o[0-7]+|b[01]+)", re.I | re.A)


def js_number(text: str) -> float:
    """JavaScript's ``Number(text)`` for a string: blank is 0, anything unreadable NaN."""
    text = js_trim(text)
    if not text:
        return 0.0
    if _JS_DECIMAL.fullmatch(text):
        return float(text)
    if _JS_RADIX.fullmatch(text):
        return float(int(text, 0))
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return -math.inf if text[0] == "-" else math.inf
    return math.nan


def _char_reference(number: str) -> str:
    """``&#N;`` as a browser decodes it (Python's ``html.unescape`` drops control codes)."""
    code = int(number)
    if 0x80 <= code <= 0x9F:
        return html.unescape(f"&#{code};")  # the Windows-1252 mapping, as browsers do
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def decode_entities(text: str) -> str:
    """What a reader sees for Mermaid's entity markers: ``#59;`` becomes ``;``."""
    text = re.sub(f"{_INT_MARK}(\\d+){_END_MARK}", lambda m: _char_reference(m.group(1)), text)
    return re.sub(f"{_NAME_MARK}(\\w+){_END_MARK}", lambda m: html.unescape(f"&{m[1]};"), text)


def _encode_entity(match: re.Match[str]) -> str:
    inner = match.group(1)
    mark = _INT_MARK if re.fullmatch(r"\d+", inner, re.ASCII) else _NAME_MARK
    return f"{mark}{inner}{_END_MARK}"


#: js-yaml's JSON schema (Mermaid reads front matter with it): which plain scalars are null,
#: booleans, integers or floats; everything else is a string.
_YAML_NULL = ("", "~", "null", "Null", "NULL")
_YAML_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_YAML_BOOL["FALSE"] = False
_YAML_INT = re.compile(r"[-+]?(?:0b[01]+|0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)", re.ASCII)
_YAML_FLOAT = re.compile(
    r"[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
    re.ASCII,
)
_YAML_TAG = "tag:yaml.org,2002:"
#: A tab js-yaml reads as a separator (after an indicator, before a comment, at the end of a
#: line) becomes a space for PyYAML, which refuses tabs outside quotes; one inside a value is
#: held as a private character and put back.
_YAML_SEPARATOR_TAB = re.compile(r"(?<=[:?,\[\]{}-])[ \t]*\t[ \t]*|[ \t]*\t[ \t]*(?=#|$)", re.M)
_YAML_HELD_TAB = "\ue000"
#: What a JavaScript object's ``toString`` says.
_OBJECT = "[object Object]"
JsValue = None | bool | float | str | list["JsValue"] | dict[str, "JsValue"]


class _YamlJsonLoader(yaml.BaseLoader):
    """PyYAML's composer with untagged plain scalars tagged ``?``, for js-yaml's typing."""

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return "?"
        return str(super().resolve(kind, value, implicit))


def js_number_text(value: float) -> str:
    """JavaScript's ``String(number)``: ``100``, ``1e+21``, ``1.5e-7``, ``Infinity``."""
    if math.isnan(value) or math.isinf(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, power = f"{abs(value)!r}".partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    point += int(power or 0)  # the value is 0.digits x 10^point
    digits = digits.rstrip("0")
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    rest = f".{digits[1:]}" if len(digits) > 1 else ""
    return f"{sign}{digits[0]}{rest}e{'+' if point > 0 else '-'}{abs(point - 1)}"


def _yaml_int(text: str) -> float:
    """js-yaml's integer (signs, ``0b``, ``0o``, ``0x``) as a JavaScript number."""
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    base = {"0b": 2, "0o": 8, "0x": 16}.get(text[:2], 10)
    return float(sign * int(text[2:] if base != 10 else text, base))


def _yaml_float(text: str) -> float:
    text = text.lower()
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    if text in (".inf", ".nan"):
        return sign * math.inf if text == ".inf" else math.nan
    return sign * float(text)


def _yaml_scalar(node: yaml.ScalarNode) -> JsValue:
    """A scalar as js-yaml's JSON schema constructs it (tabs held aside put back)."""
    value = node.value.replace(_YAML_HELD_TAB, "\t")
    tag = node.tag
    if tag == "?":  # untagged plain: the first type that resolves it
        if value in _YAML_NULL:
            return None
        if value in _YAML_BOOL:
            return _YAML_BOOL[value]
        if _YAML_INT.fullmatch(value):
            return _yaml_int(value)
        if _YAML_FLOAT.fullmatch(value):
            return _yaml_float(value)
        return value
    kind = tag.removeprefix(_YAML_TAG)
    if tag in ("!", f"{_YAML_TAG}str"):
        return value
    if kind == "null" and value in _YAML_NULL:
        return None
    if kind == "bool" and value in _YAML_BOOL:
        return _YAML_BOOL[value]
    if kind == "int" and _YAML_INT.fullmatch(value):
        return _yaml_int(value)
    if kind == "float" and _YAML_FLOAT.fullmatch(value):
        return _yaml_float(value)
    if kind in ("null", "bool", "int", "float"):
        raise ValueError(f"cannot resolve a node with !<{tag}> explicit tag")
    raise ValueError(f"unknown tag !<{tag}>")


def _yaml_value(node: yaml.Node) -> JsValue:
    """A YAML node as js-yaml's JSON schema loads it: a duplicate key or an unknown tag is an
    error, as there."""
    if isinstance(node, yaml.ScalarNode):
        return _yaml_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        if node.tag not in ("?", f"{_YAML_TAG}seq"):
            raise ValueError(f"unknown tag !<{node.tag}>")
        return [_yaml_value(item) for item in node.value]
    assert isinstance(node, yaml.MappingNode)
    if node.tag not in ("?", f"{_YAML_TAG}map"):
        raise ValueError(f"unknown tag !<{node.tag}>")
    out: dict[str, JsValue] = {}
    for key, value in node.value:
        name = js_to_string(_yaml_value(key))
        if name in out:
            line = key.start_mark.line + 1
            raise ValueError(f"duplicated mapping key {name!r} (line {line} of the front matter)")
        out[name] = _yaml_value(value)
    return out


def js_to_string(value: JsValue) -> str:
    """JavaScript's ``String(value)`` for what js-yaml loads."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return js_number_text(value)
    if isinstance(value, list):
        return ",".join("" if item is None else js_to_string(item) for item in value)
    if isinstance(value, dict):
        return _OBJECT
    return value


def _held_tabs(body: str) -> str:
    """``body`` with the tabs js-yaml accepts made readable to PyYAML: those after a line's
    indentation, and all of a blank or comment line (tabs that indent are an error to both)."""
    lines = []
    for line in body.split("\n"):
        rest = line.lstrip(" \t")
        indent = line[: len(line) - len(rest)]
        if not rest or rest.startswith("#"):
            indent = indent.replace("\t", " ")
        rest = _YAML_SEPARATOR_TAB.sub(lambda m: " " * len(m.group()), rest)
        lines.append(indent + rest.replace("\t", _YAML_HELD_TAB))
    return "\n".join(lines)


def _front_matter_title(body: str) -> str | None:
    """The ``title`` of YAML front matter as Mermaid reads it (js-yaml, JSON schema): its text,
    None when it is missing or falsy (null, false, 0, NaN, empty)."""
    try:
        node = yaml.compose(_held_tabs(body), Loader=_YamlJsonLoader)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc).splitlines()[0]) from None
    data = None if node is None else _yaml_value(node)
    if not isinstance(data, dict):
        return None
    title = data.get("title")
    falsy = title is None or title is False or title == "" or title == 0
    if falsy or (isinstance(title, float) and math.isnan(title)):
        return None
    return js_to_string(title)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: DOMPurify 3 (Mermaid sanitises titles and accessibility texts with it): the HTML tags it
#: keeps, those it drops with their content, and the attributes it keeps.
_PURE_TAGS = _words(
    "a abbr acronym address area article aside audio b bdi bdo big blink blockquote br button "
    "canvas caption center cite code col colgroup content data datalist dd decorator del "
    "details dfn dialog dir div dl dt element em fieldset figcaption figure font footer form h1 "
    "h2 h3 h4 h5 h6 header hgroup hr i img input ins kbd label legend li main map mark marquee "
    "menu menuitem meter nav nobr ol optgroup option output p picture pre progress q rp rt ruby "
    "s samp search section select shadow slot small source spacer span strike strong sub "
    "summary sup table tbody td tfoot th thead time tr track tt u ul var video wbr"
)
_PURE_DROPPED = _words("script style template noscript iframe noembed noframes xmp")
_PURE_VOID = _words("area br col embed hr img input source track wbr")
_PURE_ATTRS = _words(
    "accept action align alt autocapitalize autocomplete autoplay background bgcolor border "
    "capture cellpadding cellspacing checked cite class clear color cols colspan controls "
    "coords crossorigin datetime decoding default dir disabled download draggable enctype face "
    "for headers height hidden high href hreflang id inputmode integrity ismap kind label lang "
    "list loading loop low max maxlength media method min minlength multiple muted name nonce "
    "noshade novalidate nowrap open optimum pattern placeholder playsinline poster preload "
    "pubdate radiogroup readonly rel required rev reversed role rows rowspan spellcheck scope "
    "selected shape size sizes span srclang start src srcset step style summary tabindex title "
    "translate type usemap valign value width wrap xmlns slot"
)
_PURE_URI = re.compile(
    r"(?:(?:f|ht)tps?|mailto|tel|callto|sms|cid|xmpp|matrix):|[^a-z]|[a-z+.\-]+(?:[^a-z+.\-:]|$)",
    re.IGNORECASE,
)
_PURE_URI_ATTRS = _words("href src xlink:href action background poster cite")
_HTML_LIKE = re.compile(r"<[A-Za-z/!?]")


class _Purifier(HTMLParser):
    """What DOMPurify makes of a text, as text: allowed tags kept (their attributes filtered
    and double-quoted, void tags without ``/``, open ones closed), others dropped (scripts and
    styles with their content), comments dropped, character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.skipping: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            return
        if tag in _PURE_DROPPED:
            self.skipping = tag
            return
        if tag not in _PURE_TAGS:
            return
        kept = "".join(
            f' {name}="{value or ""}"'
            for name, value in dict(attrs).items()
            if (name in _PURE_ATTRS or re.fullmatch(r"(?:data|aria)-[\w.\-]+", name, re.ASCII))
            and (
                name not in _PURE_URI_ATTRS
                or _PURE_URI.match(re.sub(r"[\x00-\x20]", "", value or "")) is not None
            )
        )
        self.out.append(f"<{tag}{kept}>")
        if tag not in _PURE_VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # HTML ignores the '/' of <b/>

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping = None if tag == self.skipping else self.skipping
        elif tag == "br":
            self.out.append("<br>")  # HTML reads </br> as <br>
        elif tag in self.open:
            while self.open:
                closed = self.open.pop()
                self.out.append(f"</{closed}>")
                if closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def purified(text: str) -> str:
    """``text`` as DOMPurify leaves it, read as HTML (``<b>x`` is ``<b>x</b>``, ``x<y`` is
    ``x``, ``&amp;`` is ``&`` as in a browser's text)."""
    if not _HTML_LIKE.search(text):
        return html.unescape(text)
    parser = _Purifier()
    parser.feed(re.sub(r"</?[A-Za-z][^>]*\Z", "", text))  # a tag the text ends in is dropped
    parser.close()
    return "".join(parser.out) + "".join(f"</{tag}>" for tag in reversed(parser.open))


def _position(text: str, offset: int) -> tuple[int, int]:
    return _Lines(text)(offset)


def preprocess(text: str) -> tuple[_Mapped, str | None]:
    """Mermaid's ``preprocessDiagram``: the code to parse and the front-matter title."""
    code = _Mapped.of(text).sub(re.compile(r"\r\n?"), lambda m: "\n")
    code = code.sub(  # a tag matches up to the first '>': none can after the last one
        _TAG,
        lambda m: "<" + m[1] + re.sub(r'="([^"]*)"', r"='\1'", m[2]) + ">",
        code.text.rfind(">") + 1,
    )
    title = None
    front = _front_matter(code.text)
    if front:
        indent, body = front.group(1), front.group(2)
        if indent:
            body = "\n".join(
                line[len(indent) :] if line.startswith(indent) else line
                for line in body.split("\n")
            )
        try:
            title = _front_matter_title(body)
        except ValueError as exc:
            line, col = _position(text, code.offsets[front.start(2)])
            raise MermaidError(line, col, f"Mermaid cannot read the front matter: {exc}") from None
        code = code.slice(front.end())
    code = code.sub(DIRECTIVE, lambda m: "")
    code = code.drop(_comment_lines(code.text))
    start = len(code.text) - len(re.sub(f"^{S}+", "", code.text))
    return code.slice(start), title


def _js_length(text: str) -> int:
    """JavaScript's ``length``: characters beyond U+FFFF count twice (UTF-16)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _front_matter(text: str) -> re.Match[str] | None:
    """``FRONT_MATTER`` at the start of ``text``, tried only when a closing ``---`` follows
    (without one the regular expression takes quadratic time on blank lines)."""
    indent = re.match(r"[^\S\n\r]*", text).group()  # type: ignore[union-attr]
    if not re.search(f"[\n\r]{re.escape(indent)}---{S}*[\n\r]", text):
        return None
    return FRONT_MATTER.match(text)


def _comment_lines(text: str) -> list[tuple[int, int]]:
    """The spans Mermaid's ``/^\\s*%%(?!{)[^\\n]+\\n?/gm`` removes, found in one pass (the
    regular expression itself takes quadratic time on runs of blank lines)."""
    spans, start = [], 0
    while start <= len(text):
        first = _SPACE_RUN.match(text, start).end()  # type: ignore[union-attr]
        if text.startswith("%%", first) and text[first + 2 : first + 3] not in ("", "{", "\n"):
            end = text.find("\n", first + 2)
            end = len(text) if end < 0 else end + 1
            spans.append((start, end))
            start = end
            continue
        # every line start up to `first` meets the same non-blank character: the next one after
        following = _LINE_BREAK.search(text, first)
        if following is None:
            break
        start = following.end()
    return spans


def quirk_semicolons(text: str, keyword: str) -> list[tuple[int, int]]:
    """The ``;`` Mermaid's ``/keyword.*:\\S*#.*;/g`` replace drops (it means the ``;`` of a
    CSS colour such as ``style a fill:#f00;``): the last of each line holding ``keyword``, then
    ``:``, a run of non-blanks to ``#``, then ``;``. Found in one pass, as spans."""
    spans = []
    for segment in _SEGMENT.finditer(text):
        first = text.find(keyword, segment.start(), segment.end())
        last = text.rfind(";", first, segment.end()) if first >= 0 else -1
        colon = False  # a ':' since the last blank, after the keyword
        for char in text[first + len(keyword) : last] if last >= 0 else "":
            if char in _JS_SPACES:
                colon = False
            elif char == ":":
                colon = True
            elif char == "#" and colon:
                spans.append((last, last + 1))
                break
    return spans


def _detected(code: str) -> bool:
    """Mermaid's type detection finds a journey in preprocessed ``code``: after front matter,
    directives and ``%%`` comment lines, the first word is ``journey``."""
    front = _front_matter(code)
    detect = DIRECTIVE.sub("", code[front.end() :] if front else code)
    start = _SPACE_RUN.match(detect).end()  # type: ignore[union-attr]
    while detect.startswith("%%", start):
        rest = _COMMENT_REST.match(detect, start + 2)
        if rest is None:
            break
        start = _SPACE_RUN.match(detect, rest.end()).end()  # type: ignore[union-attr]
    return detect.startswith("journey", start)


def is_journey(text: str) -> bool:
    """True when Mermaid would take ``text`` for a journey diagram (valid or not)."""
    try:
        return _detected(preprocess(text)[0].text)
    except MermaidError:
        return True  # front matter Mermaid cannot read: let parse() say so


def _not_a_journey(text: str, code: _Mapped) -> MermaidError:
    visible = code.text.lstrip()
    offset = code.offsets[len(code.text) - len(visible)] if visible else 0
    line, col = _position(text, offset)
    word = visible.split(None, 1)[0] if visible else ""
    if visible.startswith("---"):
        hint = (
            "Mermaid refuses a diagram beginning with ---: open and close YAML front matter "
            "with un-indented --- lines, then start the diagram with 'journey'"
        )
    elif word.lower().startswith("journey"):
        hint = f"Mermaid knows a journey only by a first word 'journey' in lower case, not {word!r}"
    elif word:
        hint = f"Mermaid reads no journey diagram here: it starts with {word[:40]!r}, not 'journey'"
    else:
        hint = "there is no diagram here: a Mermaid user journey starts with 'journey'"
    return MermaidError(line, col, hint)


def _hint(got: str, value: str, expected: tuple[str, ...]) -> str:
    """Plain words for a parse error, after Mermaid's own ``Expecting ..., got ...``."""
    if expected == ("taskData",):
        if got == ":":
            return "the task has a ':' but no score after it (write 'Task name: 5: Actor')"
        if got == "INVALID":
            code = {";": "#59;", "#": "#35;", "%": "#37;"}.get(value, "an entity code")
            return f"Mermaid ends a task name at {value!r}; write it as {code} to keep it"
        return "a task needs ': score' after its name (write 'Task name: 5: Actor')"
    if got == "journey":
        return "'journey' may only start the diagram: a line cannot begin with the word 'journey'"
    if got == "taskData":
        return (
            "a ':' here starts task data without a task name "
            "(section names cannot contain ':'; write #58; instead)"
        )
    if got == "INVALID":
        return f"Mermaid cannot start a statement with {value!r} (write #59; for ';')"
    if got == "1":
        return "the accDescr { block is never closed with '}'"
    if got == "acc_at_end":
        keyword = value.split(":")[0].strip()
        return f"the diagram ends with an empty '{keyword}:': give it a text or remove the line"
    return f"Mermaid cannot read {value[:40]!r} here"


def _tokens(code: _Mapped) -> list[tuple[str, str, int]]:
    """(token, text, offset into code) as journey.jison's lexer makes them, then ``$end``.

    Like jison's lexer, a token matched once the input is used up is followed by ``$end``
    (shown as '1', jison's number for it).
    """
    text = code.text
    pos, state, out = 0, "INITIAL", []
    while True:
        at_end = pos >= len(text)
        for rule_state, pattern, token, next_state in LEX_RULES:
            match = pattern.match(text, pos) if rule_state == state else None
            if match is not None:
                state = next_state or state
                if token is not None:
                    out.append((token, match.group(), pos))
                pos = match.end()
                break
        if at_end:
            out.append(("1", "", len(text)))
            return out


class _Lines:
    """Line and column (1-based) of offsets into one text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def parse(text: str) -> Diagram:
    """Read one Mermaid journey diagram as Mermaid 11 does; MermaidError where it refuses."""
    code, front_title = preprocess(text)
    size = _js_length(code.text)
    if size > MAX_TEXT:
        raise MermaidError(
            1,
            1,
            f"the diagram has {size:,} characters (UTF-16 code units, after front matter, "
            f"directives and comment lines); Mermaid renders at most {MAX_TEXT:,}",
        )
    if not _detected(code.text):
        raise _not_a_journey(text, code)
    code = code.drop(quirk_semicolons(code.text, "style"))
    code = code.drop(quirk_semicolons(code.text, "classDef"))
    code = code.sub(_ENTITY, _encode_entity)
    code = _Mapped(code.text + "\n", [*code.offsets[:-1], len(text), len(text)])
    diagram = Diagram(title=None if front_title is None else purified(front_title))
    tokens = _tokens(code)
    where = _Lines(text)

    def fail(index: int, expected: tuple[str, ...]) -> MermaidError:
        token, value, offset = tokens[index]
        cause = token
        if token == "1" and tokens[index - 1][0] in ("acc_title_value", "acc_descr_value"):
            # 'accTitle:' then only blanks to the end: its \s* took the line breaks too
            _, value, offset = tokens[index - 2]
            cause = "acc_at_end"
        elif token == "1":  # the input ended inside an accDescr { block: point at its text
            values = [(o, v) for t, v, o in tokens if t == "acc_descr_multiline_value"]
            offset = next((o for o, v in reversed(values) if v), values[-1][0])
        elif expected == ("taskData",):  # did a comment character cut the task name short?
            end = tokens[index - 1][2] + len(tokens[index - 1][1])
            if code.text[end : end + 1] in ("#", "%"):
                offset, cause, value = end, "INVALID", code.text[end]
        line, col = where(code.offsets[offset])
        words = ", ".join(f"'{e}'" for e in expected)
        return MermaidError(
            line,
            col,
            f"{_hint(cause, value, expected)} (Mermaid: expecting {words}, got '{token}')",
            expected,
            token,
        )

    if tokens[0][0] != "journey":
        raise fail(0, ("journey",))
    i = 1
    while True:
        token, value, offset = tokens[i]
        if token == "EOF":
            if tokens[i + 1][0] != "1":
                raise fail(i + 1, ("1",))
            return diagram
        line, col = where(code.offsets[offset])
        if token == "NEWLINE":
            pass
        elif token == "title":
            diagram.title = decode_entities(purified(value[6:]))
        elif token in ("acc_title", "acc_descr"):
            if tokens[i + 1][0] != f"{token}_value":
                raise fail(i + 1, (f"{token}_value",))
            i += 1
            content = decode_entities(purified(js_trim(tokens[i][1])))
            if token == "acc_title":
                diagram.acc_title = re.sub(f"^{S}+", "", content)
            else:
                diagram.acc_descr = re.sub(f"\n{S}+", "\n", content)
        elif token == "acc_descr_multiline_value":
            text_ = decode_entities(purified(js_trim(value)))
            diagram.acc_descr = re.sub(f"\n{S}+", "\n", text_)
        elif token == "section":
            diagram.sections.append(Section(decode_entities(value[8:]), line=line))
        elif token == "taskName":
            if tokens[i + 1][0] != "taskData":
                raise fail(i + 1, ("taskData",))
            i += 1
            pieces = tokens[i][1][1:].split(":")
            actors = pieces[1].split(",") if len(pieces) > 1 else []
            task = Task(
                decode_entities(value),
                js_number(pieces[0]),  # Number() sees a code's marker: #52; is NaN
                tuple(decode_entities(js_trim(a)) for a in actors),
                line,
                col,
            )
            if not diagram.sections:
                diagram.sections.append(Section(None, line=line))
            diagram.sections[-1].tasks.append(task)
        else:
            raise fail(i, STATEMENT_START)
        i += 1
