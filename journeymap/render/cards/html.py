"""``cards.html``: each card's text as paragraphs that flow, on the layout's exact positions.

The layout (``layout.py``) places every line. The page states where a card's text starts
once; its paragraphs follow one another at their gaps and their lines at the line pitch, so
no line carries coordinates. Browsers (Chromium, WebKit) place boxes in layout units of
1/64 px: a ``top``, a margin or a height is truncated to them, a ``line-height`` rounded.
Lines that flow would so drift up to a unit from where a box placed at the line's own ``top``
is, which moves a line by a device pixel now and then. The flow is therefore computed in
those units: each paragraph's gap is the one that puts its first line on the unit its own
``top`` gives, and where a later line of a paragraph would drift, an empty block 1/64 px high
(``<i>``, or ``<b>`` pulling up as much) sets it back. Every line lands on the unit it had
as a box of its own, so the page renders pixel for pixel as when each line was one.

A line that continues its paragraph follows a newline (a ``<br>`` between two wide
characters), so that a phone, whose screen shows each card on its own with its text wrapped
anew (the template's screen rules), reads the newline as a space and drops the ``<br>``.

Lines whose characters could take another bidi level than the paragraph's (a number or a
quoted name in right-to-left text, Arabic in an English deck, an isolate) are paragraphs of
their own: Chromium resolves bidi over a paragraph, so a line would take levels from the
line above. Styles are shared classes with short names, given out by use, written once.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from journeymap.render.marks import num

if TYPE_CHECKING:
    from journeymap.render.cards.layout import Card, Line, Placed, Sheet

#: Layout units per CSS px.
UNITS = 64
#: Kinds of line in a card's text flow; the others (band labels, footers, the centred text
#: of a card's back) are placed one by one.
FLOW_KINDS = frozenset({"title", "strong", "heading", "text", "quote", "bullet", "bullet-mark"})
#: What text and attribute values escape (text needs no quotes escaped).
TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;"})
#: Bidi classes that keep a line out of a shared paragraph, by direction (right-to-left?).
_OTHER_LEVEL = {
    False: frozenset({"R", "AL", "AN"}),
    True: frozenset({"L", "EN", "AN"}),
}
_EXPLICIT = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "B", "S"})
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Around a class number until :meth:`Styles.finish` names it.
_OPEN, _CLOSE = "\x00", "\x01"


def _hundredths(value: float) -> int:
    """``value`` as :func:`num` writes it, in hundredths of a px."""
    return int(f"{value:.2f}".replace(".", ""))


@lru_cache(maxsize=8192)
def units(value: float) -> int:
    """A length as the page writes it (two decimals) in layout units, truncated as
    browsers do."""
    hundredths = _hundredths(value)
    whole = abs(hundredths) * UNITS // 100
    return whole if hundredths >= 0 else -whole


@lru_cache(maxsize=8192)
def line_units(value: float) -> int:
    """A ``line-height`` as the page writes it, in layout units (rounded, as browsers do;
    two decimals never fall halfway)."""
    return (_hundredths(value) * UNITS * 2 + 100) // 200


@lru_cache(maxsize=8192)
def length(count: int) -> str:
    """The shortest length (``1.23px``) that is ``count`` layout units once truncated."""
    if count >= 0:
        hundredths = -(-count * 100 // UNITS)  # ceil: under 0.64 unit above, truncated back
        return f"{num(hundredths / 100)}px"
    return exact(count)


def exact(count: int) -> str:
    """``count`` layout units as an exact length (``-0.015625px``)."""
    return f"{Decimal(count) / UNITS:f}px"


@lru_cache(maxsize=4096)
def plain(text: str, rtl: bool) -> bool:
    """True when every character of ``text`` is at the paragraph's own bidi level: no run of
    the other direction, no number in right-to-left text, no embedding or isolate."""
    if not rtl and text.isascii():
        return "\t" not in text
    barred = _OTHER_LEVEL[rtl] | _EXPLICIT
    return not any(unicodedata.bidirectional(char) in barred for char in text)


class Styles:
    """Declaration blocks, each given a class once; the names are handed out by use (the
    most used shortest) when the page is done, by :meth:`finish`."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str], int] = {}
        self.uses: Counter[int] = Counter()

    def __call__(self, declarations: str, before: str = "") -> str:
        """A stand-in for the class of ``declarations`` (and of its ``::before``)."""
        number = self.numbers.setdefault((declarations, before), len(self.numbers))
        self.uses[number] += 1
        return f"{_OPEN}{number}{_CLOSE}"

    def finish(self, parts: list[str]) -> tuple[str, list[str]]:
        """The style rules, and ``parts`` with their classes named."""
        ranked = sorted(self.numbers.items(), key=lambda item: (-self.uses[item[1]], item[1]))
        names: dict[str, str] = {}
        rules = []
        for rank, ((declarations, before), key) in enumerate(ranked):
            name = names[str(key)] = _name(rank)
            rules.append(f".{name}{{{declarations}}}")
            if before:
                rules.append(f".{name}::before{{{before}}}")
        named = []
        for part in parts:
            first, *pieces = part.split(_OPEN)
            out = [first]
            for piece in pieces:
                number, rest = piece.split(_CLOSE, 1)
                out += (names[number], rest)
            named.append("".join(out))
        return "\n".join(rules), named


def _name(rank: int) -> str:
    """``a`` ... ``Z``, then ``aa`` ...: never one of the page's fixed class names."""
    name = ""
    rank += 1
    while rank:
        rank, digit = divmod(rank - 1, len(_LETTERS))
        name = _LETTERS[digit] + name
    return name


class Page:
    """Writes the sheets of one ``cards.html``, collecting its classes in ``styles``."""

    def __init__(self, sheets: tuple[Sheet, ...], fills: dict[str, str], rtl: bool) -> None:
        self.styles = Styles()
        self.fills = fills
        self.rtl = rtl
        self.side = "right" if rtl else "left"
        self.fonts: dict[tuple[str, float, float, bool], str] = {}
        # A line placed on its own shares a class with those of the same style and place;
        # one alone says where it is in a style attribute.
        self.places = Counter(
            self._place_key(line)
            for sheet in sheets
            for placed in sheet.cards
            for line in placed.card.lines
            if line.kind not in FLOW_KINDS
        )

    def sheet(self, sheet: Sheet) -> str:
        """The cards and cut marks of one sheet."""
        out = [self._card(placed) for placed in sheet.cards]
        for x1, y1, x2, y2 in sheet.marks:
            box = (
                f"position:absolute;background:#000000;left:{num(min(x1, x2) - 0.3)}px;"
                f"top:{num(min(y1, y2) - 0.3)}px;width:{num(abs(x2 - x1) + 0.6)}px;"
                f"height:{num(abs(y2 - y1) + 0.6)}px"
            )
            out.append(f"<div class={self.styles(box)}></div>")
        return "\n".join(out)

    def _font(self, line: Line) -> str:
        key = (line.kind, line.size, line.pitch, line.bold)
        font = self.fonts.get(key)
        if font is None:
            bold = ";font-weight:bold" if line.bold else ""
            font = self.fonts[key] = (
                f"color:{self.fills[line.kind]};font-size:{num(line.size)}px;"
                f"line-height:{num(line.pitch)}px{bold}"
            )
        return font

    def _place_key(self, line: Line) -> tuple[str, float, float, bool, str, str]:
        return (line.kind, line.size, line.pitch, line.bold, num(line.x), num(line.y))

    def _card(self, placed: Placed) -> str:
        """A card: its band, the lines placed on their own before its text, the text as one
        column, then the lines after it (the footer)."""
        card = placed.card
        box = (
            f"left:{num(placed.x)}px;top:{num(placed.y)}px;"
            f"width:{num(card.width)}px;height:{num(card.height)}px"
        )
        band = (
            f"left:{num(card.pad)}px;top:{num(card.pad)}px;width:{num(card.inner_width)}px;"
            f"height:{num(card.band)}px;background:{card.colour}"
        )
        out = [
            f'<div class="card card-{card.kind} {self.styles(box)}">'
            f'<div class="band {self.styles(band)}"></div>'
        ]
        body = [i for i, line in enumerate(card.lines) if line.kind in FLOW_KINDS]
        if not body:
            return "".join([*out, self._placed(card.lines), "</div>"])
        start, end = body[0], body[-1] + 1
        flow = [line for line in card.lines[start:end] if line.kind in FLOW_KINDS]
        others = [line for line in card.lines[start:end] if line.kind not in FLOW_KINDS]
        out.append(self._placed(card.lines[:start]))
        column, stray = self._column(card, flow)
        out.append(column)
        out += (self._placed([*others, *stray, *card.lines[end:]]), "</div>")
        return "".join(out)

    def _placed(self, lines: tuple[Line, ...] | list[Line]) -> str:
        """Lines each placed at its own ``left`` (``right``) and ``top``; the lines of a
        footer that follow one another exactly, to the unit, as one paragraph."""
        out = []
        index = 0
        while index < len(lines):
            group = [lines[index]]
            index += 1
            while index < len(lines) and self._joins(group[-1], lines[index]):
                group.append(lines[index])
                index += 1
            line = group[0]
            where = f"{self.side}:{num(line.x)}px;top:{num(line.y)}px"
            font = self._font(line)
            if self.places[self._place_key(line)] > 1:
                attrs = f"class={self.styles(f'position:absolute;{where};{font}')}"
            else:
                attrs = f"class={self.styles(f'position:absolute;{font}')} style={where}"
            text = "\n".join(member.text for member in group)
            if line.furniture:
                out.append(f'<p {attrs} data-text="{text.translate(ATTR_ESCAPES)}">')
            else:
                out.append(f"<p {attrs}>{_text(text)}")
        return "".join(out)

    def _joins(self, above: Line, line: Line, exact: bool = True) -> bool:
        """True when ``line`` goes on ``above``'s paragraph: same style and place across,
        directly below it (to the unit when ``exact``: no block may set it back), neither
        empty nor at another bidi level."""
        if exact:
            below = units(line.y) == units(above.y) + line_units(above.pitch)
        else:
            below = abs(above.y + above.pitch - line.y) < 1e-6
        return (
            below
            and (above.kind, above.size, above.pitch, above.bold, above.x)
            == (line.kind, line.size, line.pitch, line.bold, line.x)
            and "" not in (above.text, line.text)
            and plain(above.text, self.rtl)
            and plain(line.text, self.rtl)
        )

    def _column(self, card: Card, lines: list[Line]) -> tuple[str, list[Line]]:
        """The card's text as one column of paragraphs (``<p>``, their end tags left out as
        HTML allows), and the lines that could not go in it."""
        side, styles = self.side, self.styles
        left = units(card.pad)
        where = f"position:absolute;{side}:{num(card.pad)}px;top:{num(lines[0].y)}px"
        out = [f"<div class={styles(where)}>"]
        stray: list[Line] = []
        bottom = units(lines[0].y)  # where the next line box starts, in units
        above: Line | None = None
        mark: Line | None = None
        for index, line in enumerate(lines):
            if line.kind == "bullet-mark":
                nxt = lines[index + 1] if index + 1 < len(lines) else None
                if nxt is not None and _marks(line, nxt):
                    mark = line
                else:
                    stray.append(line)
                continue
            top = units(line.y)
            if above is not None and mark is None and self._joins(above, line, exact=False):
                shift = top - bottom
                out.append(_joint(above.text, line.text))
                if shift:
                    out.append(_nudge(shift, styles))
                out.append(_text(line.text))
            else:
                declarations = [self._font(line)]
                if top != bottom:
                    declarations.append(f"margin-top:{length(top - bottom)}")
                indent = units(line.x) - left
                if indent:
                    declarations.append(f"margin-{side}:{length(indent)}")
                before = ""
                if mark is not None:
                    offset = length(units(mark.x) - left)
                    before = (
                        f'content:"{mark.text}";position:absolute;{side}:{offset};'
                        f"color:{self.fills[mark.kind]}"
                    )
                    mark = None
                out.append(f"<p class={styles(';'.join(declarations), before)}>{_text(line.text)}")
            bottom = top + line_units(line.pitch)
            above = line
        out.append("</div>")
        return "".join(out), stray


def _marks(mark: Line, bullet: Line) -> bool:
    """True when ``mark`` can be drawn as ``bullet``'s generated ``::before``: on its line,
    in its size, with no character that would need escaping in CSS."""
    return (
        bullet.kind == "bullet"
        and (mark.y, mark.size, mark.pitch, mark.bold)
        == (bullet.y, bullet.size, bullet.pitch, bullet.bold)
        and mark.text != ""
        and not set(mark.text) & set('"\\\n<>')
    )


def _joint(above: str, line: str) -> str:
    """What ends ``above`` where ``line`` continues its paragraph: a newline, which a phone's
    reflowed card reads as a space; a ``<br>``, which it drops, between two wide characters
    (Chinese, Japanese), whose script puts no space there."""
    if above and line and _wide(above[-1]) and _wide(line[0]):
        return "<br>"
    return "\n"


def _wide(char: str) -> bool:
    """True for a full-width character of a script written without spaces (CJK ideographs,
    kana, fullwidth forms); not Hangul, since Korean puts spaces between words."""
    return unicodedata.east_asian_width(char) in ("W", "F") and not (
        "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f" or "\uac00" <= char <= "\ud7af"
    )


def _text(text: str) -> str:
    """Text for a paragraph; an empty one takes a ``<br>``, without which it has no line."""
    return text.translate(TEXT_ESCAPES) if text else "<br>"


def _nudge(shift: int, styles: Styles) -> str:
    """An empty block that moves the next line ``shift`` units down (up when negative)."""
    if shift == 1:
        return "<i></i>"
    if shift == -1:
        return "<b></b>"
    if shift > 0:
        return f"<i class={styles(f'height:{exact(shift)}')}></i>"
    return f"<b class={styles(f'margin-top:{exact(shift)}')}></b>"
