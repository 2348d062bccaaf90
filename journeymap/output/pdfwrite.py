"""A small, fast PDF writer for the plain SVG that card sheets are made of.

``svgs_to_pdf(pages)`` draws SVG pages that use only rectangles (rounded or not), lines,
``translate`` groups and single-run text in DejaVu Sans straight into PDF operators, with
DejaVu Sans and DejaVu Sans Bold embedded as TrueType subsets (Type0, Identity-H, with a
ToUnicode map so text stays selectable). It returns None for anything outside that subset
(paths, styles, other transforms, text that needs shaping, bidi or another font) so the
caller can fall back to ``journeymap.output.convert.svgs_to_pdf`` (rsvg-convert).

Text is placed glyph by glyph with the font's own advances and no kerning, exactly as
``journeymap.text.fit`` measured it. Output bytes depend only on the input.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from journeymap.text.fonts.build import DEJAVU_DIR, FACES

_SVG = "{http://www.w3.org/2000/svg}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PT_PER_UNIT = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "pc": 12.0, "px": 0.75}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_LENGTH = re.compile(rf"\s*({_NUMBER})\s*(mm|cm|in|pt|pc|px)?\s*")
_PLAIN = re.compile(rf"\s*({_NUMBER})\s*(?:px)?\s*")
_TRANSLATE = re.compile(rf"\s*translate\(\s*({_NUMBER})(?:\s*,?\s*({_NUMBER}))?\s*\)\s*")
_COLOUR = re.compile(r"\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*")
_SPACES = re.compile(r" +")
#: Bidi classes that need reordering or an explicit embedding.
_BIDI = frozenset({"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
#: General categories that need shaping or have no glyph of their own.
_SHAPED = frozenset({"Mn", "Mc", "Me", "Cf", "Cc", "Cs", "Co", "Cn"})
#: Presentation attributes, inherited by children, with their initial values.
_INHERITED: dict[str, str] = {
    "fill": "#000000",
    "stroke": "none",
    "stroke-width": "1",
    "stroke-dasharray": "none",
    "font-size": "",
    "font-weight": "normal",
    "font-family": "",
    "text-anchor": "start",
    _XML_SPACE: "default",
}
#: Attributes that change nothing without a style sheet (style elements are refused).
_INERT = frozenset({"class", "id"})
_OWN: dict[str, frozenset[str]] = {
    "svg": frozenset({"width", "height", "viewBox", "version"}),
    "g": frozenset({"transform"}),
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry"}),
    "line": frozenset({"x1", "y1", "x2", "y2"}),
    "text": frozenset({"x", "y"}),
}
_ALLOWED: dict[str, frozenset[str]] = {
    tag: own | _INHERITED.keys() | _INERT for tag, own in _OWN.items()
}
#: The inherited attributes that decide how a text run looks.
_TEXT_STYLE = ("font-family", "font-weight", "font-size", "fill", "text-anchor", _XML_SPACE)
_PDF_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")
_KAPPA = 0.5522847498
#: Tables a PDF viewer never reads, removed before subsetting (so never parsed).
_UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "kern", "FFTM", "name")


class Unsupported(Exception):
    """The SVG uses something this writer does not draw."""


@dataclass
class Face:
    """One embedded font: what is needed to map, measure and describe its glyphs."""

    name: str
    path: Path
    units_per_em: int
    #: Code point -> glyph id.
    cmap: dict[int, int]
    advances: list[int]
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    #: Code point -> the glyph id as 4 hex digits, for ``str.translate``.
    hex: dict[int, str] = field(default_factory=dict)
    #: Characters known to be drawable without shaping or bidi.
    plain: set[str] = field(default_factory=set)

    def drawable(self, char: str) -> bool:
        """True when ``char`` has a glyph and needs no shaping, combining or reordering."""
        if char in self.plain:
            return True
        if (
            ord(char) in self.cmap
            and unicodedata.bidirectional(char) not in _BIDI
            and not unicodedata.combining(char)
            and unicodedata.category(char) not in _SHAPED
        ):
            self.plain.add(char)
            return True
        return False


def _font_path(file_name: str, pattern: str) -> Path | None:
    """The DejaVu file in Debian's folder, else wherever fontconfig finds that exact file."""
    path = DEJAVU_DIR / file_name
    if path.is_file():
        return path
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(
            [fc_match, "-f", "%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found and Path(found).name == file_name else None


@cache
def _face(bold: bool) -> Face | None:
    """DejaVu Sans (or Bold), parsed once per process; None when it is not installed."""
    from fontTools.ttLib import TTFont

    kind = "bold" if bold else "regular"
    path = _font_path(FACES[kind], "DejaVu Sans:bold" if bold else "DejaVu Sans:book")
    if path is None:
        return None
    with TTFont(path, lazy=True) as font:
        order = font.getGlyphOrder()
        gid = {name: index for index, name in enumerate(order)}
        metrics = font["hmtx"].metrics
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        face = Face(
            name="DejaVuSans-Bold" if bold else "DejaVuSans",
            path=path,
            units_per_em=head.unitsPerEm,
            cmap={code: gid[name] for code, name in font.getBestCmap().items()},
            advances=[metrics[name][0] for name in order],
            bbox=(head.xMin, head.yMin, head.xMax, head.yMax),
            ascent=hhea.ascent,
            descent=hhea.descent,
            cap_height=getattr(os2, "sCapHeight", hhea.ascent),
        )
        face.hex = {code: f"{glyph:04X}" for code, glyph in face.cmap.items()}
    return face


@lru_cache(maxsize=16)
def _subset(bold: bool, glyphs: tuple[int, ...]) -> bytes:
    """The font file cut down to ``glyphs`` (ids kept), as TrueType bytes."""
    import io
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    face = _face(bold)
    assert face is not None
    options = subset.Options()
    options.retain_gids = True
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = []
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=list(glyphs))
    out = io.BytesIO()
    with TTFont(face.path, lazy=True, recalcTimestamp=False) as font:
        for tag in _UNUSED_TABLES:
            if tag in font:
                del font[tag]
        subsetter.subset(font)
        font.save(out)
    return out.getvalue()


def _num(value: float) -> str:
    """A number as short, stable PDF text."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _plain(value: str | None, default: float | None = None) -> float:
    if value is None:
        if default is None:
            raise Unsupported("missing number")
        return default
    match = _PLAIN.fullmatch(value)
    if match is None:
        raise Unsupported(f"unsupported number {value!r}")
    return float(match.group(1))


def _pdf_number(value: str) -> str:
    """An SVG number as PDF number text (kept as written when PDF can read it as is)."""
    value = value.strip()
    return value if _PDF_NUMBER.fullmatch(value) else _num(_plain(value))


def _to_pt(value: str | None) -> float:
    match = _LENGTH.fullmatch(value or "")
    if match is None:
        raise Unsupported(f"unsupported length {value!r}")
    return float(match.group(1)) * _PT_PER_UNIT[match.group(2) or "px"]


def _colour(value: str) -> str | None:
    """``r g b`` for a hex colour, None for ``none``."""
    if value.strip() == "none":
        return None
    match = _COLOUR.fullmatch(value)
    if match is None:
        raise Unsupported(f"unsupported colour {value!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return " ".join(_num(int(digits[i : i + 2], 16) / 255) for i in (0, 2, 4))


@dataclass(frozen=True)
class _Look:
    """How a text run is drawn, decided once per combination of its style attributes."""

    bold: bool
    size: float
    #: ``/F<n> <size>`` for ``Tf``.
    font: str
    fill: str | None
    anchor: str
    preserve: bool

    @classmethod
    def of(cls, key: tuple[str, ...]) -> _Look:
        """The look for the values of ``_TEXT_STYLE``, or raise Unsupported."""
        family, weight, size, fill, anchor, space = (value.strip() for value in key)
        if family.split(",")[0].strip().strip("'\"").lower() != "dejavu sans":
            raise Unsupported("font other than DejaVu Sans")
        if weight not in ("normal", "400", "bold", "700"):
            raise Unsupported(f"font-weight {weight!r}")
        if anchor not in ("start", "middle", "end"):
            raise Unsupported(f"text-anchor {anchor!r}")
        bold = weight in ("bold", "700")
        points = _plain(size or None)
        font = f"/F{int(bold) + 1} {_pdf_number(size)}"
        return cls(bold, points, font, _colour(fill), anchor, space == "preserve")


@dataclass
class _Page:
    """The content stream of one page being built, with the graphics state it has set."""

    width: float
    height: float
    ops: list[str] = field(default_factory=list)
    fill: str = "0 0 0"
    stroke: str = "0 0 0"
    line_width: float = 1.0
    dash: str = "[] 0"

    def save(self) -> tuple[str, str, float, str]:
        """The graphics state ``q`` saves."""
        return self.fill, self.stroke, self.line_width, self.dash

    def restore(self, saved: tuple[str, str, float, str]) -> None:
        """Track what ``Q`` restores."""
        self.fill, self.stroke, self.line_width, self.dash = saved

    def set_fill(self, colour: str) -> None:
        if colour != self.fill:
            self.fill = colour
            self.ops.append(f"{colour} rg")

    def set_stroke(self, colour: str, width: float, dash: str) -> None:
        if colour != self.stroke:
            self.stroke = colour
            self.ops.append(f"{colour} RG")
        if width != self.line_width:
            self.line_width = width
            self.ops.append(f"{_num(width)} w")
        if dash != self.dash:
            self.dash = dash
            self.ops.append(f"{dash} d")


class _Writer:
    """Translates SVG pages into content streams, collecting the glyphs they use."""

    def __init__(self) -> None:
        self.faces: list[Face] = []
        for bold in (False, True):
            face = _face(bold)
            if face is None:
                raise Unsupported("DejaVu Sans is not installed")
            self.faces.append(face)
        #: Characters drawn in each face.
        self.used: list[set[str]] = [set(), set()]
        self.pages: list[_Page] = []
        self.looks: dict[tuple[str, ...], _Look] = {}

    def add(self, svg: bytes) -> None:
        """Translate one SVG page, or raise Unsupported."""
        if b"<!DOCTYPE" in svg or b"<!ENTITY" in svg:
            raise Unsupported("document type declarations")
        try:
            root = ET.fromstring(svg)
        except ET.ParseError as error:
            raise Unsupported("not well-formed") from error
        if root.tag != f"{_SVG}svg":
            raise Unsupported("root is not svg")
        width, height = _to_pt(root.get("width")), _to_pt(root.get("height"))
        box = [_plain(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
        if len(box) != 4 or box[2] <= 0 or box[3] <= 0 or width <= 0 or height <= 0:
            raise Unsupported("needs width, height and viewBox")
        scale = min(width / box[2], height / box[3])
        left = (width - box[2] * scale) / 2 - box[0] * scale
        top = height - (height - box[3] * scale) / 2 + box[1] * scale
        page = _Page(width, height)
        page.ops.append(f"{_num(scale)} 0 0 {_num(-scale)} {_num(left)} {_num(top)} cm")
        self._children(root, page, dict(_INHERITED), "svg")
        self.pages.append(page)

    def _children(self, element: ET.Element, page: _Page, style: dict[str, str], tag: str) -> None:
        attrib = element.attrib
        if attrib:
            unknown = attrib.keys() - _ALLOWED[tag]
            if unknown:
                raise Unsupported(f"attribute {sorted(unknown)[0]!r} on <{tag}>")
            style = {**style, **attrib}
        if tag == "text":
            self._text(element, page, style)
            return
        if tag == "rect":
            self._rect(element, page, style)
        elif tag == "line":
            self._line(element, page, style)
        if tag == "g" and "transform" in attrib:
            match = _TRANSLATE.fullmatch(attrib["transform"])
            if match is None:
                raise Unsupported("transform other than translate")
            saved = page.save()
            page.ops.append(f"q 1 0 0 1 {_pdf_number(match[1])} {_pdf_number(match[2] or '0')} cm")
            self._each(element, page, style, tag)
            page.restore(saved)
            page.ops.append("Q")
        else:
            self._each(element, page, style, tag)

    def _each(self, element: ET.Element, page: _Page, style: dict[str, str], tag: str) -> None:
        for child in element:
            child_tag = child.tag if isinstance(child.tag, str) else ""
            name = child_tag[len(_SVG) :]
            if not child_tag.startswith(_SVG) or name not in _ALLOWED or name == "svg":
                raise Unsupported(f"element {child_tag!r}")
            if tag != "svg" and tag != "g":
                raise Unsupported(f"children of <{tag}>")
            self._children(child, page, style, name)

    def _stroke(self, page: _Page, style: dict[str, str]) -> str | None:
        colour = _colour(style["stroke"])
        width = _plain(style["stroke-width"])
        if colour is None or width <= 0:
            return None
        dashes = style["stroke-dasharray"].strip()
        dash = "[] 0"
        if dashes != "none":
            values = [_plain(v) for v in dashes.replace(",", " ").split()]
            if any(v < 0 for v in values):
                raise Unsupported("negative dash")
            if sum(values) > 0:
                values = values * (len(values) % 2 + 1)
                dash = f"[{' '.join(_num(v) for v in values)}] 0"
        page.set_stroke(colour, width, dash)
        return colour

    def _rect(self, element: ET.Element, page: _Page, style: dict[str, str]) -> None:
        x, y = _plain(element.get("x"), 0.0), _plain(element.get("y"), 0.0)
        w, h = _plain(element.get("width"), 0.0), _plain(element.get("height"), 0.0)
        if w <= 0 or h <= 0:
            return
        fill = _colour(style["fill"])
        stroke = self._stroke(page, style)
        if fill is None and stroke is None:
            return
        if fill is not None:
            page.set_fill(fill)
        rx_attr, ry_attr = element.get("rx"), element.get("ry")
        rx = _plain(rx_attr if rx_attr is not None else ry_attr, 0.0)
        ry = _plain(ry_attr if ry_attr is not None else rx_attr, 0.0)
        rx, ry = min(max(rx, 0.0), w / 2), min(max(ry, 0.0), h / 2)
        if rx > 0 and ry > 0:
            page.ops.append(_rounded(x, y, w, h, rx, ry))
        else:
            page.ops.append(f"{_num(x)} {_num(y)} {_num(w)} {_num(h)} re")
        page.ops.append("f" if stroke is None else "S" if fill is None else "B")

    def _line(self, element: ET.Element, page: _Page, style: dict[str, str]) -> None:
        if self._stroke(page, style) is not None:
            x1, y1 = _pdf_number(element.get("x1", "0")), _pdf_number(element.get("y1", "0"))
            x2, y2 = _pdf_number(element.get("x2", "0")), _pdf_number(element.get("y2", "0"))
            page.ops.append(f"{x1} {y1} m {x2} {y2} l S")

    def _text(self, element: ET.Element, page: _Page, style: dict[str, str]) -> None:
        if len(element):
            raise Unsupported("text with child elements")
        key = tuple(style[name] for name in _TEXT_STYLE)
        look = self.looks.get(key)
        if look is None:
            look = self.looks[key] = _Look.of(key)
        text = element.text or ""
        if look.preserve:
            text = text.replace("\r\n", " ").translate(_PRESERVE)
        else:
            text = _SPACES.sub(" ", text.translate(_DEFAULT_SPACE)).strip()
        if not text or look.fill is None or look.size <= 0:
            return
        face = self.faces[look.bold]
        chars = set(text)
        if not chars <= face.plain:
            for char in chars - face.plain:
                if not face.drawable(char):
                    raise Unsupported(f"U+{ord(char):04X} needs shaping, bidi or another font")
        self.used[look.bold] |= chars
        x = _pdf_number(element.get("x", "0"))
        if look.anchor != "start":
            advance = sum(face.advances[face.cmap[ord(c)]] for c in text)
            shift = advance * look.size / face.units_per_em / (2 if look.anchor == "middle" else 1)
            x = _num(float(x) - shift)
        page.set_fill(look.fill)
        page.ops.append(
            f"BT {look.font} Tf 1 0 0 -1 {x} {_pdf_number(element.get('y', '0'))} Tm "
            f"<{text.translate(face.hex)}> Tj ET"
        )

    def finish(self) -> bytes:
        """The whole document."""
        pdf = _Objects()
        catalog, pages_ref, resources = pdf.reserve(), pdf.reserve(), pdf.reserve()
        fonts = []
        for bold, face in enumerate(self.faces):
            if self.used[bold]:
                glyphs = {face.cmap[ord(char)] for char in self.used[bold]}
                fonts.append(f"/F{bold + 1} {_font(pdf, face, bool(bold), glyphs)} 0 R")
        pdf.put(resources, f"<< /Font << {' '.join(fonts)} >> >>".encode())
        kids = []
        for page in self.pages:
            content = pdf.stream("\n".join(page.ops).encode("latin-1"))
            box = f"[0 0 {_num(page.width)} {_num(page.height)}]"
            kids.append(
                pdf.add(
                    f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox {box} "
                    f"/Resources {resources} 0 R /Contents {content} 0 R >>".encode()
                )
            )
        refs = " ".join(f"{k} 0 R" for k in kids)
        pdf.put(pages_ref, f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode())
        pdf.put(catalog, f"<< /Type /Catalog /Pages {pages_ref} 0 R >>".encode())
        return pdf.finish(catalog)


_PRESERVE = str.maketrans("\n\r\t", "   ")
_DEFAULT_SPACE = str.maketrans({"\n": "", "\r": "", "\t": " "})


def _rounded(x: float, y: float, w: float, h: float, rx: float, ry: float) -> str:
    """A rounded rectangle as a closed path of lines and Bézier quarter arcs."""
    kx, ky = rx * _KAPPA, ry * _KAPPA
    r, b = x + w, y + h
    points = [
        ("m", (x + rx, y)),
        ("l", (r - rx, y)),
        ("c", (r - rx + kx, y, r, y + ry - ky, r, y + ry)),
        ("l", (r, b - ry)),
        ("c", (r, b - ry + ky, r - rx + kx, b, r - rx, b)),
        ("l", (x + rx, b)),
        ("c", (x + rx - kx, b, x, b - ry + ky, x, b - ry)),
        ("l", (x, y + ry)),
        ("c", (x, y + ry - ky, x + rx - kx, y, x + rx, y)),
    ]
    return " ".join(f"{' '.join(_num(v) for v in args)} {op}" for op, args in points) + " h"


class _Objects:
    """Numbered PDF objects, written out with a cross-reference table."""

    def __init__(self) -> None:
        self.bodies: list[bytes | None] = []

    def reserve(self) -> int:
        self.bodies.append(None)
        return len(self.bodies)

    def put(self, number: int, body: bytes) -> None:
        self.bodies[number - 1] = body

    def add(self, body: bytes) -> int:
        number = self.reserve()
        self.put(number, body)
        return number

    def stream(self, data: bytes, extra: str = "") -> int:
        packed = zlib.compress(data, 6)
        head = f"<< /Length {len(packed)} /Filter /FlateDecode{extra} >>\nstream\n".encode()
        return self.add(head + packed + b"\nendstream")

    def finish(self, root: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.bodies, start=1):
            assert body is not None
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        digest = hashlib.md5(out, usedforsecurity=False).hexdigest().upper()
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += (
            f"trailer\n<< /Size {len(offsets) + 1} /Root {root} 0 R "
            f"/ID [<{digest}> <{digest}>] >>\nstartxref\n{xref}\n%%EOF\n"
        ).encode()
        return bytes(out)


def _font(pdf: _Objects, face: Face, bold: bool, used: set[int]) -> int:
    """Embed ``face`` cut down to the glyphs ``used``; the Type0 font's object number."""
    glyphs = tuple(sorted(used))
    digest = hashlib.sha256(f"{face.name}:{glyphs}".encode()).digest()
    tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
    name = f"{tag}+{face.name}"
    data = _subset(bold, glyphs)
    file = pdf.stream(data, f" /Length1 {len(data)}")
    scale = 1000 / face.units_per_em
    bbox = " ".join(_num(v * scale) for v in face.bbox)
    descriptor = pdf.add(
        f"<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{bbox}] "
        f"/ItalicAngle 0 /Ascent {_num(face.ascent * scale)} "
        f"/Descent {_num(face.descent * scale)} /CapHeight {_num(face.cap_height * scale)} "
        f"/StemV {140 if bold else 80} /FontFile2 {file} 0 R >>".encode()
    )
    widths = " ".join(
        f"{run[0]} [{' '.join(_num(face.advances[g] * scale) for g in run)}]"
        for run in _runs(glyphs)
    )
    cid = pdf.add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /W [{widths}] /CIDToGIDMap /Identity >>".encode()
    )
    unicode_of = {glyph: code for code, glyph in sorted(face.cmap.items(), reverse=True)}
    to_unicode = pdf.stream(_to_unicode([(g, unicode_of[g]) for g in glyphs]))
    return pdf.add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
        f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>".encode()
    )


def _runs(glyphs: tuple[int, ...]) -> Iterator[list[int]]:
    """Consecutive glyph ids grouped, for the /W array."""
    run: list[int] = []
    for glyph in glyphs:
        if run and glyph != run[-1] + 1:
            yield run
            run = []
        run.append(glyph)
    if run:
        yield run


def _to_unicode(pairs: list[tuple[int, int]]) -> bytes:
    """A ToUnicode CMap mapping each glyph id (2-byte code) to its character."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{g:04X}> <{chr(c).encode('utf-16-be').hex().upper()}>" for g, c in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def svgs_to_pdf(pages: Sequence[bytes]) -> bytes | None:
    """One PDF with a page per SVG, or None when a page uses anything this writer does not
    draw (then use ``journeymap.output.convert.svgs_to_pdf``)."""
    if not pages:
        return None
    try:
        writer = _Writer()
        for page in pages:
            writer.add(page)
    except (Unsupported, ValueError):
        return None
    return writer.finish()
