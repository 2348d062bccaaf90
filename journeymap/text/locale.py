"""journeymap's own words in the journey's language: message catalogs plus CLDR conventions.

Each language has one catalog, ``journeymap/text/catalogs/<lang>.json``, mapping stable ids
to whole sentences with named slots (``"map.goal": "Goal: {goal}"``). A message that varies
with a number maps CLDR plural categories to sentences (``{"one": ..., "other": ...}``);
babel says which category a number takes in a language, and formats numbers and lists
the CLDR way. Quotation marks come from the catalog's ``quote`` message (babel carries no
CLDR delimiters). An id a catalog lacks falls back to English (a test fails for the shipped
catalogs). User text goes into slots as given: never re-cased, and in a right-to-left
language, or whenever it holds right-to-left letters, wrapped in Unicode isolates so the
bidi algorithm cannot reorder it with the words around it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Literal

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit

from journeymap.model.journey import DEFAULT_SCALE_LABELS, Journey, Scale
from journeymap.model.lang import DEFAULT_LANG, LANGUAGES, is_rtl_language, language_of

CATALOGS = Path(__file__).parent / "catalogs"
#: First strong isolate, left-to-right isolate and pop directional isolate.
FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"
#: Right-to-left isolate, and every bidi isolate control.
RLI = "\u2067"
ISOLATES = frozenset((FSI, LRI, RLI, PDI))

Message = str | Mapping[str, str]
#: Units of elapsed times, largest first: (seconds, CLDR unit).
_UNITS = ((604800.0, "week"), (86400.0, "day"), (3600.0, "hour"), (60.0, "minute"), (1.0, "second"))
#: Characters that show a text is already quoted.
QUOTES = frozenset("\"'“”„‘’‚«»‹›「」『』")
#: Marks that end a sentence.
STOPS = frozenset(".!?…。！？؟۔")
#: Full stops: a message's full stop after a slot that already ends a sentence is dropped.
FULL_STOPS = frozenset(".。۔")
#: Marks that go on with a sentence: a slot's own full stop before them is dropped.
CONTINUERS = frozenset(",;:、，；：،؛")
#: What may close around a sentence's last mark: quotation marks, isolates, spaces.
CLOSERS = frozenset("\"'“”’‘»«›‹」』") | {PDI, " ", "\u00a0", "\u202f"}
#: Words whose full stop is an abbreviation's (English, German, French, Spanish, ...).
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "etc",
        "approx",
        "incl",
        "vs",
        "no",
        "nr",
        "ca",
        "bzw",
        "usw",
        "ggf",
        "vgl",
        "mme",
        "mlle",
        "cie",
        "sra",
        "sr",
        "dña",
    ]
)
#: Whitespace after CJK punctuation (YAML folds a line break into a space there).
_CJK_SPACE = re.compile(r"(?<=[。、，．！？：；」』）]) ")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def clean(text: str | None) -> str:
    """``text`` with runs of spaces, tabs and line breaks collapsed to one space (no-break
    spaces are kept: French puts them before ``:``), and none after CJK punctuation."""
    return _CJK_SPACE.sub("", _SPACES.sub(" ", text or "").strip(" "))


def _last_mark(text: str) -> tuple[int, str]:
    """The index and character of ``text``'s last mark, looking through closing quotes,
    isolates and spaces; ``(-1, "")`` for a text of closers only."""
    index = len(text) - 1
    while index >= 0 and text[index] in CLOSERS:
        index -= 1
    return index, text[index] if index >= 0 else ""


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends in a sentence mark, inside quotes or isolates or not."""
    return _last_mark(text)[1] in STOPS


def join_punctuation(value: str, after: str) -> tuple[str, str]:
    """A slot value and the message text that follows it, with their punctuation met the
    language's way: the message's full stop is dropped after a value that ends a sentence
    (``“Is it open?”`` then ``.``), a repeated ``?`` or ``!`` is said once, and a value's
    own full stop gives way to a comma, colon or semicolon of the message."""
    if not after or not value:
        return value, after
    index, mark = _last_mark(value)
    first = after[0]
    if first in FULL_STOPS and mark in STOPS:
        return value, after[1:]
    if first in "?!？！؟" and mark == first:
        return value, after[1:]
    if first in CONTINUERS and mark in FULL_STOPS and not _abbreviation(value[: index + 1]):
        return value[:index] + value[index + 1 :], after
    return value, after


def _abbreviation(text: str) -> bool:
    """True when ``text`` ends in an abbreviation's full stop (``Dr.``, ``U.K.``, ``etc.``,
    an ellipsis ``...``) rather than a sentence's."""
    word = text.rsplit(None, 1)[-1] if text.split() else ""
    stem = word[:-1]
    return "." in stem or stem.lower() in _ABBREVIATIONS


def fill(message: str, values: Mapping[str, str]) -> str:
    """``message`` with its ``{slots}`` replaced by ``values``, punctuation joined by
    ``join_punctuation`` where a slot meets the message's own marks."""
    out: list[str] = []
    for literal, field in _parsed(message):
        if out and literal:
            out[-1], literal = join_punctuation(out[-1], literal)
        out.append(literal)
        if field is not None:
            out.append(values[field])
    return "".join(out)


@cache
def _parsed(message: str) -> tuple[tuple[str, str | None], ...]:
    """``message`` cut into (literal text, slot name or None) pairs, once per message."""
    return tuple((literal, field) for literal, field, _, _ in Formatter().parse(message))


@cache
def catalog(language: str) -> Mapping[str, Message]:
    """The messages of ``language`` as shipped (no fallback)."""
    if language not in LANGUAGES:
        raise KeyError(language)
    data: dict[str, Message] = json.loads(
        (CATALOGS / f"{language}.json").read_text(encoding="utf-8")
    )
    return data


def has_rtl(text: str) -> bool:
    """True when ``text`` holds a right-to-left letter."""
    return not text.isascii() and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


class Messages:
    """The built-in words of one language; call it with an id and slot values."""

    def __init__(self, tag: str = DEFAULT_LANG) -> None:
        self.tag = tag
        self.language = language_of(tag) or DEFAULT_LANG
        self.rtl = is_rtl_language(self.language)
        self.locale = Locale.parse(self.language)
        self._own = catalog(self.language)
        self._english = catalog(DEFAULT_LANG)
        self._numbers: dict[int, str] = {}  # int -> its text, formatted once

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``, for HTML ``dir`` and SVG ``direction``."""
        return "rtl" if self.rtl else "ltr"

    def _message(self, key: str) -> Message:
        found = self._own.get(key)
        return found if found is not None else self._english[key]

    def slot(self, value: object) -> str:
        """A slot value as text: numbers the CLDR way; text isolated where bidi needs it."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            text = str(value)
            if not text or not (self.rtl or has_rtl(text)):
                return text
            # A value built from other isolated slots ("{name} ({role})") has no strong
            # letter of its own for FSI to find: it takes the language's direction.
            composed = any(c in ISOLATES for c in text)
            opener = (RLI if self.rtl else LRI) if composed else FSI
            return f"{opener}{text}{PDI}"
        return self.number(value)

    def __call__(self, key: str, /, **slots: object) -> str:
        """The message ``key`` with its slots filled."""
        message = self._message(key)
        if not isinstance(message, str):
            raise TypeError(f"message {key!r} varies with a number; use count()")
        return fill(message, {k: self.slot(v) for k, v in slots.items()})

    def plain(self, key: str, /, **slots: object) -> str:
        """The message ``key`` with its slots filled and no isolates added (for drawing
        engines without bidi, such as matplotlib)."""
        message = self._message(key)
        if not isinstance(message, str):
            raise TypeError(f"message {key!r} varies with a number; use count()")
        values = {k: v if isinstance(v, str) else self.slot(v) for k, v in slots.items()}
        return fill(message, values)

    def count(self, key: str, n: int, /, **slots: object) -> str:
        """The message ``key`` in the plural form ``n`` takes, with ``{n}`` and the slots."""
        message = self._message(key)
        if isinstance(message, str):
            raise TypeError(f"message {key!r} does not vary with a number")
        category = self.locale.plural_form(abs(n))
        form = message.get(category) or message["other"]
        values = {k: self.slot(v) for k, v in slots.items()}
        return fill(form, {**values, "n": self.number(n)})

    def count_parts(self, key: str, n: int, /) -> tuple[str, str, str]:
        """``count(key, n)`` cut around its number (text before, the number, text after), so
        a page can set the number apart; forms without ``{n}`` (Arabic duals) are all before."""
        message = self._message(key)
        if isinstance(message, str):
            raise TypeError(f"message {key!r} does not vary with a number")
        form = message.get(self.locale.plural_form(abs(n))) or message["other"]
        before, found, after = form.partition("{n}")
        return (before, self.number(n), after) if found else (before, "", "")

    def elapsed(self, seconds: float, length: Literal["long", "short"] = "long") -> str:
        """``seconds`` as CLDR unit words, in the largest unit whose whole count is within
        5 % (90 s stays "90 seconds", 2 days 5 min is "2 days"); ``length`` ``short`` gives
        CLDR's abbreviations ("2 days", "25 min", "1 hr")."""
        for size, unit in _UNITS:
            count = round(seconds / size)
            if count >= 1 and abs(count * size - seconds) <= 0.05 * seconds:
                return str(
                    format_unit(count, f"duration-{unit}", length=length, locale=self.locale)
                )
        rounded = round(seconds, 1)
        return str(format_unit(rounded, "duration-second", length=length, locale=self.locale))

    def span(self, seconds: float) -> str:
        """``seconds`` in at most two CLDR units, the rest dropped (``2 days and 5 minutes``,
        ``3 weeks``); ``elapsed`` rounds to one unit instead."""
        whole = round(seconds)
        if whole and whole % 604800 == 0:
            return str(format_unit(whole // 604800, "duration-week", locale=self.locale))
        parts = []
        for size, unit in _UNITS[1:]:
            count, whole = divmod(whole, int(size))
            if count:
                parts.append(str(format_unit(count, f"duration-{unit}", locale=self.locale)))
        if not parts:
            return str(format_unit(round(seconds, 1), "duration-second", locale=self.locale))
        return format_list(parts[:2], locale=self.locale)

    def number(self, value: float) -> str:
        """``value`` in the language's digits and separators (``1.234,5`` in German)."""
        if type(value) is not int:
            return self._number(value)
        known = self._numbers.get(value)
        if known is None:
            known = self._number(value)
            if len(self._numbers) < 10_000:  # counts repeat; a long-lived serve stays small
                self._numbers[value] = known
        return known

    def _number(self, value: float) -> str:
        text = format_decimal(value, locale=self.locale, group_separator=True)
        text = text.replace("-", "\u2212")
        if self.rtl and text[:1] in "\u2212+":
            return f"{LRI}{text}{PDI}"  # the sign stays left of the digits
        return text

    def signed(self, value: float, digits: int = 2) -> str:
        """``value`` with its sign and ``digits`` decimals (``+0,50`` in German)."""
        pattern = "0." + "0" * digits if digits else "0"
        text = format_decimal(abs(value), format=pattern, locale=self.locale)
        text = ("\u2212" if value < 0 else "+") + text
        return f"{LRI}{text}{PDI}" if self.rtl else text

    def join(self, items: Iterable[str]) -> str:
        """``a, b and c`` in the language (``a, b und c``, ``a、b、c``)."""
        return format_list([self.slot(i) for i in items], locale=self.locale)

    def quote(self, text: str) -> str:
        """``text`` in the language's quotation marks, unless it is already quoted whole;
        its own marks inside it become the inner ones (``“say ‘no’”``, ``„sag ‚nein‘“``),
        and corner brackets close without a full stop of their own (``「着いた」``)."""
        if _quoted_whole(text):
            return self.slot(text)
        opening, _, closing = str(self._message("quote")).partition("{text}")
        left, _, right = str(self._message("quote.inner")).partition("{text}")
        text = _requote(text, opening.strip(), closing.strip(), left, right)
        if closing.strip() == "」" and text.endswith("。") and not text.endswith("。。"):
            text = text[:-1]
        return self("quote", text=text)

    def scale_word(self, scale: Scale, value: int) -> str | None:
        """The scale's word for ``value``; a default word in the journey's language."""
        word = scale.word(value)
        if word is not None and word == DEFAULT_SCALE_LABELS.get(value):
            return self(f"scale.{value}")
        return word

    def describe(self, scale: Scale, value: int) -> str:
        """The scale's word for ``value``, else the number."""
        word = self.scale_word(scale, value)
        return word if word is not None else self.number(value)

    def sentences(self, parts: Iterable[str]) -> str:
        """Sentences run together the language's way (a space, or nothing after 。), each
        ending in a full stop unless it ends in punctuation of its own."""
        return self("sentence.sep").join(self.sentence(p) for p in parts if p)

    def sentence(self, text: str) -> str:
        """``text`` ending in the language's full stop unless it already ends a sentence
        (``?``, ``…``, ``。``, also inside closing quotes: ``“Is it open?”``)."""
        text = clean(text)
        if text and not ends_sentence(text):
            text += self("stop")
        return text


def _quoted_whole(text: str) -> bool:
    """True when ``text`` opens and closes with quotation marks and has no other pair."""
    return len(text) > 1 and text[0] in QUOTES and text[-1] in QUOTES


def _requote(text: str, opening: str, closing: str, left: str, right: str) -> str:
    """``text`` with the language's own outer marks made its inner marks (a quote in a
    quote); other marks, straight quotes among them, stay as the user typed them."""
    if opening and closing and opening != closing:
        pattern = re.compile(
            f"{re.escape(opening)}([^{re.escape(opening + closing)}]+){re.escape(closing)}"
        )
        text = pattern.sub(lambda found: f"{left}{found.group(1)}{right}", text)
    return text


@cache
def messages(tag: str = DEFAULT_LANG) -> Messages:
    """The messages for the language tag ``tag`` (an unsupported one gives English)."""
    return Messages(tag)


def localised(journey: Journey) -> Journey:
    """``journey`` with the built-in name of its implicit persona (a journey that names no
    persona has one, "Customer") in the journey's language; other journeys as they are."""
    if not any(p.implicit for p in journey.personas):
        return journey
    name = messages(journey.lang).plain("persona.implicit")
    people = tuple(replace(p, name=name) if p.implicit else p for p in journey.personas)
    return replace(journey, personas=people)
