"""Measure and wrap text with the advance widths of the layout font, DejaVu Sans.

The widths ship in ``journeymap/text/fonts/metrics.json`` (see ``journeymap.text.fonts.build``), so
layout is the same on every machine. Characters DejaVu Sans lacks are measured on the
wide side (East Asian wide: 1 em, right-to-left letters: the widest Noto Sans Arabic
letter, anything else: 1.3 em), so text never overflows when a fallback font draws it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from array import array
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

#: The ``font-family`` renderers put on SVG text: the layout font, then glyph fallbacks.
FONT_FAMILY = "DejaVu Sans, Noto Sans CJK JP, Noto Sans Arabic, sans-serif"

#: Fonts drawn before the layout font for lines in these scripts (fonts-noto-core): their
#: shapes and joins are the script's own, and ``pdftotext`` reads the words back.
_SCRIPT_FONTS: tuple[tuple[str, str], ...] = (
    ("\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff", "Noto Sans Arabic"),
    ("\u0590-\u05ff\ufb1d-\ufb4f", "Noto Sans Hebrew"),
)

_METRICS = Path(__file__).parent / "fonts" / "metrics.json"
#: Width in em of a character nothing is known about (emoji are about 1.25 em).
_UNKNOWN_EM = 1.3
_BREAK_SPACE = re.compile(r"[^\S\u00a0\u202f\u2007]+")
#: Scripts broken between any two characters.
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f"
    "\u3190-\u31ff\u3200-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_HAS_CJK = re.compile(f"[{_CJK}]")
#: Characters that must not start a line (closing punctuation, small kana, prolonged mark).
_NO_START = frozenset(
    ")]}>,.!?:;%、。，．・：；？！）］｝〉》」』】〕〗〙〟’”ー々〻ゝゞヽヾ…‥"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "ｧｨｩｪｫｯｬｭｮｰ"
)
#: Characters that must not end a line (opening punctuation).
_NO_END = frozenset("([{<（［｛〈《「『【〔〖〘〝‘“")
#: Marks and joiners that continue the character before them.
_MARKS = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a"
    "\ufe00-\ufe0f\ufe20-\ufe2f\u200d\U000e0100-\U000e01ef"
)
_OPEN = re.escape("".join(sorted(_NO_END)))
_CLOSE = re.escape("".join(sorted(_NO_START)))
#: A breakable piece of a word with CJK in it: opening punctuation, then one CJK
#: character or a run of other characters, then marks and closing punctuation.
_CJK_TOKEN = re.compile(
    f"(?:[{_OPEN}][{_MARKS}]*)*(?:[{_CJK}]|[^{_CJK}{_OPEN}]+|[{_OPEN}]$)"
    f"[{_MARKS}]*(?:[{_CLOSE}][{_MARKS}]*)*"
)


_ABSENT = 0xFFFF


class _Widths(dict[str, float]):
    """Character -> advance in em, filled on first use from the font's advance table;
    characters the font lacks get a safe estimate."""

    def __init__(self, face: dict[str, Any], rtl_em: float) -> None:
        super().__init__()
        self.scale = 1.0 / face["units_per_em"]
        self.rtl_em = rtl_em
        self.words: dict[str, float] = {}
        #: Advance in font units by BMP code point (``_ABSENT`` where the font has no glyph).
        self.bmp = array("H", [_ABSENT]) * 0x10000
        self.astral: dict[int, int] = {}
        for first, *widths in face["runs"]:
            if first + len(widths) <= 0x10000:
                self.bmp[first : first + len(widths)] = array("H", widths)
            else:
                self.astral.update(zip(range(first, first + len(widths)), widths, strict=True))

    def covers(self, char: str) -> bool:
        """True when the layout font has a glyph for ``char``."""
        code = ord(char)
        units = self.bmp[code] if code < 0x10000 else self.astral.get(code, _ABSENT)
        return units != _ABSENT

    def measure(self, text: str) -> float:
        """Width of ``text`` in em; results are remembered."""
        cached = self.words.get(text)
        if cached is None:
            cached = sum(map(self.__getitem__, text))
            if len(self.words) > 200_000:
                self.words.clear()
            self.words[text] = cached
        return cached

    def __missing__(self, char: str) -> float:
        code = ord(char)
        units = self.bmp[code] if code < 0x10000 else self.astral.get(code, _ABSENT)
        if units == _ABSENT:
            width = _fallback_em(char, self.rtl_em)
        elif 0x1F000 <= code <= 0x1FAFF:
            # Emoji may be drawn by a colour emoji font even where the layout font has them.
            width = max(units * self.scale, _UNKNOWN_EM)
        else:
            width = units * self.scale
        self[char] = width
        return width


def _fallback_em(char: str, rtl_em: float) -> float:
    """Estimated width of a character the layout font lacks, erring wide."""
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf", "Cc") or char == "\u200d":
        return 0.0
    if unicodedata.bidirectional(char) in ("R", "AL"):
        return rtl_em
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return _UNKNOWN_EM


@cache
def _faces() -> tuple[_Widths, _Widths]:
    """The regular and bold width tables, loaded once."""
    table = json.loads(_METRICS.read_text(encoding="utf-8"))
    rtl_em = float(table["arabic_em"])
    return _Widths(table["faces"]["regular"], rtl_em), _Widths(table["faces"]["bold"], rtl_em)


def _table(bold: bool) -> _Widths:
    return _faces()[1 if bold else 0]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of ``text`` on one line at font ``size`` px (advance widths, no kerning)."""
    widths = _table(bold)
    return sum(map(widths.__getitem__, text)) * size


def clusters(text: str) -> list[str]:
    """Split ``text`` into clusters that must stay together: a base character with its
    combining marks, variation selectors, emoji modifiers and tags, ZWJ-joined characters,
    and regional-indicator pairs (flags)."""
    result: list[str] = []
    join_next = False
    for char in text:
        code = ord(char)
        attach = result and (
            join_next
            or unicodedata.combining(char)
            or unicodedata.category(char) in ("Mn", "Me", "Mc")
            or code == 0x200D
            or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF
            or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F
            or (_is_regional(code) and _open_flag(result[-1]))
        )
        if attach:
            result[-1] += char
        else:
            result.append(char)
        join_next = code == 0x200D
    return result


def _is_regional(code: int) -> bool:
    return 0x1F1E6 <= code <= 0x1F1FF


def _open_flag(cluster: str) -> bool:
    """True when ``cluster`` is a lone regional indicator waiting for its pair."""
    return len(cluster) == 1 and _is_regional(ord(cluster))


def _cjk_units(word: str) -> list[str]:
    """Split a word at the places CJK text may break: before and after every CJK
    character, except before closing punctuation, after opening punctuation, and
    inside a cluster."""
    return _CJK_TOKEN.findall(word)


def _break_long(unit: str, width_em: float, widths: _Widths) -> list[str]:
    """Break a unit wider than ``width_em`` at cluster boundaries (at least one per line)."""
    pieces: list[str] = []
    current = ""
    used = 0.0
    for cluster in clusters(unit):
        w = sum(map(widths.__getitem__, cluster))
        if current and used + w > width_em:
            pieces.append(current)
            current, used = "", 0.0
        current += cluster
        used += w
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy-wrap ``text`` into lines no wider than ``width`` px at font ``size`` px.

    Breaks at spaces (runs of which collapse), between CJK characters, and at explicit
    newlines; a word wider than the line is broken between clusters. Works on logical
    order, so right-to-left text wraps correctly when the renderer reorders each line.
    An empty text gives no lines; a blank line in the text stays an empty line.
    """
    if size <= 0:
        raise ValueError(f"font size must be positive, not {size}")
    return list(_wrapped(text, width, size, bold))


@lru_cache(maxsize=20_000)
def _wrapped(text: str, width: float, size: float, bold: bool) -> tuple[str, ...]:
    """The lines of :func:`wrap`, remembered: card fitting wraps the same text at the same
    size several times (each role's card at the deck's size, after fitting)."""
    widths = _table(bold)
    width_em = width / size
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = [word for word in _BREAK_SPACE.split(paragraph) if word]
        if not words:
            lines.append("")
        elif _HAS_CJK.search(paragraph):
            units: list[str] = []
            for word in words:
                pieces = _cjk_units(word) if _HAS_CJK.search(word) else [word]
                pieces[0] = " " + pieces[0]
                units.extend(pieces)
            units[0] = units[0][1:]
            _fill(units, width_em, widths, lines)
        else:
            _fill([words[0], *(" " + word for word in words[1:])], width_em, widths, lines)
    while lines and not lines[-1]:
        lines.pop()
    return tuple(lines)


def _fill(units: list[str], width_em: float, widths: _Widths, lines: list[str]) -> None:
    """Append to ``lines`` the greedy lines of ``units``: unbreakable pieces of which those
    that follow a space start with one (dropped at the start of a line)."""
    line = ""
    used = 0.0
    measure = widths.measure
    known = widths.words.get
    for unit in units:
        w = known(unit)
        if w is None:
            w = measure(unit)
        if line and used + w <= width_em:
            line += unit
            used += w
            continue
        if line:
            lines.append(line)
        if unit[0] == " ":
            unit = unit[1:]
            w = measure(unit)
        if w <= width_em:
            line, used = unit, w
            continue
        *full, line = _break_long(unit, width_em, widths)
        lines.extend(full)
        used = measure(line)
    lines.append(line)


def family_for(text: str) -> str | None:
    """The ``font-family`` for a line holding Arabic or Hebrew letters (that script's Noto
    font first, the layout font for the rest), or None for the default family."""
    for letters, font in _SCRIPT_FONTS:
        if re.search(f"[{letters}]", text):
            return f"{font}, {FONT_FAMILY}"
    return None


_SVG_TEXT = re.compile(r"(<text\b[^>]*?font-family: )'DejaVu Sans'([^>]*>)([^<]*)")


def script_fonts(svg: str) -> str:
    """``svg`` (matplotlib's, one font named per ``<text>``) with each text holding Arabic
    or Hebrew letters set in that script's Noto font first, as the map does: DejaVu Sans
    has Arabic letters too, and librsvg would otherwise embed those in the PDF."""

    def swap(match: re.Match[str]) -> str:
        family = family_for(match.group(3))
        if family is None:
            return match.group(0)
        return f"{match.group(1)}{family}{match.group(2)}{match.group(3)}"

    return _SVG_TEXT.sub(swap, svg)


def has_arabic(text: str) -> bool:
    """True when ``text`` holds Arabic letters (drawn with Noto Sans Arabic)."""
    return re.search(f"[{_SCRIPT_FONTS[0][0]}]", text) is not None


def upright(text: str) -> bool:
    """True for text whose script has no italic (CJK, Arabic, Hebrew): a renderer must not
    slant it, and marks a quotation by colour instead."""
    return bool(_HAS_CJK.search(text)) or family_for(text) is not None


def is_rtl(text: str) -> bool:
    """True when the first strongly directional character of ``text`` is right-to-left;
    renderers then start the line at the right edge with ``direction="rtl"``."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


# Missing glyphs -------------------------------------------------------------------------

_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0xE0000, 0xE007F))
#: Font files that prove a package is installed, for systems without ``fc-list``.
_PACKAGE_FILES: dict[str, tuple[str, ...]] = {
    "fonts-noto-cjk": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
    "fonts-noto-color-emoji": ("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",),
    "fonts-noto-core": ("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",),
}


def _package_for(char: str) -> str:
    """The Debian package whose fonts draw ``char``."""
    code = ord(char)
    if _HAS_CJK.match(char):
        return "fonts-noto-cjk"
    if any(low <= code <= high for low, high in _EMOJI_RANGES):
        return "fonts-noto-color-emoji"
    return "fonts-noto-core"


@cache
def _installed_coverage() -> frozenset[int] | None:
    """Every code point some installed font covers (one ``fc-list`` call), or None."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        run = subprocess.run(
            [fc_list, "--format", "%{charset}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    ranges: set[tuple[int, int]] = set()
    for token in run.stdout.split():
        low, _, high = token.partition("-")
        ranges.add((int(low, 16), int(high or low, 16)))
    covered: set[int] = set()
    for first, last in ranges:
        covered.update(range(first, last + 1))
    return frozenset(covered)


def _covered(char: str) -> bool:
    coverage = _installed_coverage()
    if coverage is not None:
        return ord(char) in coverage
    return any(Path(p).exists() for p in _PACKAGE_FILES[_package_for(char)])


def missing_glyph_warnings(text: str) -> list[str]:
    """One warning per font package needed for characters no installed font covers.

    Text the layout font covers costs one set difference; installed fonts are listed
    once per process (``fc-list``), and only when some character needs a fallback.
    """
    layout = _table(False)
    candidates = {c for c in set(text) if not layout.covers(c)}
    needy = sorted(
        c
        for c in candidates
        if unicodedata.category(c)[0] not in "CZM" and c not in "\n\t" and not _covered(c)
    )
    by_package: dict[str, list[str]] = {}
    for char in needy:
        by_package.setdefault(_package_for(char), []).append(char)
    return [
        f"no installed font has glyphs for {_describe(chars)}; "
        f"install the font package {package} (Debian/Ubuntu: apt install {package})"
        for package, chars in sorted(by_package.items())
    ]


def _describe(chars: Iterable[str]) -> str:
    items = [f"{c} (U+{ord(c):04X})" for c in chars]
    shown = ", ".join(items[:5])
    return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")
