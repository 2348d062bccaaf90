"""SVG to PDF and PNG with ``rsvg-convert`` (librsvg: no browser, no network).

rsvg-convert runs in an empty temporary folder with the SVG on stdin, so relative
references resolve to nothing; ``assert_self_contained`` refuses any reference that is
not a fragment or a ``data:`` URL before rsvg-convert sees the file. PDF output is made
byte-identical across runs by fixing its creation date to ``SOURCE_DATE_EPOCH`` (or the
Unix epoch when it is not set).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from journeymap.output.programs import run_program
from journeymap.source.diagnostics import RenderError, ToolMissingError

#: Landscape paper sizes in mm (width, height).
PAPER_MM: dict[str, tuple[float, float]] = {
    "a4": (297.0, 210.0),
    "a3": (420.0, 297.0),
    "a2": (594.0, 420.0),
    "a1": (841.0, 594.0),
    "letter": (279.4, 215.9),
    "tabloid": (431.8, 279.4),
}
#: Margin around a drawing scaled onto a paper size, in mm.
MARGIN_MM = 10.0
_PT_PER_MM = 72 / 25.4
_PX_PER_UNIT = {
    "": 1.0,
    "px": 1.0,
    "pt": 96 / 72,
    "pc": 16.0,
    "mm": 96 / 25.4,
    "cm": 96 / 2.54,
    "in": 96.0,
}
_INSTALL_HINT = (
    "rsvg-convert is not installed; install librsvg2-bin (apt), librsvg (brew), "
    "or rsvg-convert via choco"
)
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XINCLUDE = "{http://www.w3.org/2001/XInclude}"
_SVG_A = "{http://www.w3.org/2000/svg}a"
#: A relative link: no scheme, no host, no backslash or control character.
_RELATIVE = re.compile(r"(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\\\x00-\x20]+")
_CSS_REFERENCE = re.compile(r"url\(\s*['\"]?\s*(?!#|data:)([^'\")\s]*)|@import", re.IGNORECASE)
_LENGTH = re.compile(r"\s*([0-9.eE+-]+)\s*(px|pt|pc|mm|cm|in)?\s*")
_ROOT = re.compile(rb"<svg[\s>]")
_ROOT_SIZE = re.compile(rb'width="[^"]*" height="[^"]*"')
_CREATION_DATE = re.compile(rb"/(CreationDate|ModDate) \(([^)]*)\)")


#: Characters drawn from a colour emoji font: pictographs, flags and skin tones (U+1F000
#: up), the BMP characters whose default presentation is emoji, and any character that VS16
#: asks to be an emoji ("❤️"). Text-style symbols such as ⚠ and ★ stay in the text font.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614"
    "\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce"
    "\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e"
    "\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55]|.\ufe0f"
)
#: Largest side, in px, that librsvg renders (its hard limit is 32,767).
MAX_PX = 32000.0


def assert_self_contained(svg: bytes) -> None:
    """Raise RenderError unless ``svg`` is well-formed and refers to nothing outside itself
    (only ``#fragment`` and ``data:`` references; no entities, XInclude or CSS imports). A
    link (``<a href>``) to a relative address is not a reference: nothing loads it."""
    if b"<!ENTITY" in svg:
        raise RenderError("SVG declares XML entities; refusing to convert it")
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        raise RenderError(f"SVG is not well-formed XML: {error}") from error
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.startswith(_XINCLUDE):
            raise RenderError("SVG uses XInclude; refusing to convert it")
        for name in ("href", _XLINK_HREF):
            target = element.get(name)
            if tag == _SVG_A and target is not None and _RELATIVE.fullmatch(target):
                continue
            if target is not None and not target.startswith(("#", "data:")):
                raise RenderError(f"SVG refers to an outside resource {target!r}")
        styles = [element.get("style") or ""]
        if tag.endswith("}style") or tag == "style":
            styles.append(element.text or "")
        for style in styles:
            match = _CSS_REFERENCE.search(style)
            if match:
                raise RenderError(f"SVG style refers to an outside resource: {match.group(0)!r}")


def svg_size(svg: bytes) -> tuple[float, float]:
    """Width and height of the SVG in CSS px, from its ``width``/``height`` or ``viewBox``."""
    root = ET.fromstring(svg)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    sizes: list[float] = []
    for index, name in enumerate(("width", "height")):
        match = _LENGTH.fullmatch(root.get(name) or "")
        if match:
            sizes.append(float(match.group(1)) * _PX_PER_UNIT[match.group(2) or ""])
        elif len(box) == 4:
            sizes.append(float(box[2 + index]))
        else:
            raise RenderError(f"SVG has no usable {name} or viewBox")
    return sizes[0], sizes[1]


def paper_args(svg: bytes, paper: str) -> list[str]:
    """rsvg-convert options placing the drawing on ``paper``: nothing for ``fit``, else a
    landscape page with the drawing scaled to fit inside the margins and centred."""
    if paper == "fit":
        return []
    paper = paper.removesuffix(":fit")
    if paper not in PAPER_MM:
        choices = ", ".join(["fit", *PAPER_MM])
        raise ValueError(f"unknown paper {paper!r}; choose one of {choices}")
    page_w, page_h = (mm * _PT_PER_MM for mm in PAPER_MM[paper])
    margin = MARGIN_MM * _PT_PER_MM
    width, height = (px * 0.75 for px in svg_size(svg))
    scale = min((page_w - 2 * margin) / width, (page_h - 2 * margin) / height)
    draw_w, draw_h = width * scale, height * scale
    return [
        f"--page-width={page_w:.3f}pt",
        f"--page-height={page_h:.3f}pt",
        f"--left={(page_w - draw_w) / 2:.3f}pt",
        f"--top={(page_h - draw_h) / 2:.3f}pt",
        f"--width={draw_w:.3f}pt",
        f"--height={draw_h:.3f}pt",
        "--keep-aspect-ratio",
    ]


def _fit_zoom(svg: bytes, zoom: float) -> float:
    """``zoom``, reduced where needed so neither side exceeds librsvg's size limit."""
    largest = max(svg_size(svg))
    return min(zoom, MAX_PX / largest) if largest > 0 else zoom


def svg_to_pdf(svg: bytes, *, paper: str = "fit", timeout: float = 60.0) -> bytes:
    """A vector PDF of ``svg`` (fonts embedded as subsets, text selectable).

    ``paper`` is ``fit`` (the SVG's own size, scaled down only past librsvg's limit of
    32,767 px a side) or a landscape size from ``PAPER_MM``.
    """
    assert_self_contained(svg)
    args = paper_args(svg, paper) or [f"--zoom={_fit_zoom(svg, 1.0):.6g}"]
    pdf = _rsvg(["--format=pdf", *args], svg, [], timeout)
    return _fix_dates(pdf)


def svgs_to_pdf(pages: Sequence[bytes], *, timeout: float = 60.0) -> bytes:
    """One PDF with a page per SVG, each page the size of its SVG (one process)."""
    if not pages:
        raise ValueError("svgs_to_pdf needs at least one page")
    for page in pages:
        assert_self_contained(page)
    return _fix_dates(_rsvg(["--format=pdf"], None, list(pages), timeout))


def printable_area(paper: str) -> tuple[float, float]:
    """Width and height, in pt, inside the margins of a landscape ``paper``."""
    page_w, page_h = PAPER_MM[paper.removesuffix(":fit")]
    return ((page_w - 2 * MARGIN_MM) * _PT_PER_MM, (page_h - 2 * MARGIN_MM) * _PT_PER_MM)


def sheet_for(size: tuple[float, float], paper: str) -> tuple[float, float]:
    """Width and height in mm of a ``paper`` sheet turned the way a drawing of ``size`` (px)
    is drawn largest inside the margins: landscape unless portrait is larger."""
    long, short = PAPER_MM[paper.removesuffix(":fit")]

    def fit(sheet: tuple[float, float]) -> float:
        return min((sheet[0] - 2 * MARGIN_MM) / size[0], (sheet[1] - 2 * MARGIN_MM) / size[1])

    return max(((long, short), (short, long)), key=fit)


def paper_scale(size: tuple[float, float], paper: str) -> float:
    """How many pt one px of a drawing of ``size`` becomes on ``paper`` (``sheet_for``)."""
    page_w, page_h = sheet_for(size, paper)
    fit = min((page_w - 2 * MARGIN_MM) / size[0], (page_h - 2 * MARGIN_MM) / size[1])
    return fit * _PT_PER_MM


def svgs_to_paper_pdf(pages: Sequence[bytes], paper: str, *, timeout: float = 60.0) -> bytes:
    """One PDF with a ``paper`` sheet per SVG, each drawing scaled to fit inside the
    margins, centred at the top, on the sheet turned the way it is drawn largest
    (landscape unless portrait is larger)."""
    sheets = []
    for page in pages:
        assert_self_contained(page)
        page_w, page_h = sheet_for(svg_size(page), paper)
        # The root element on, without the XML declaration and DOCTYPE (matplotlib's).
        root = _ROOT.search(page)
        body = page[root.start() :] if root else page
        body = _ROOT_SIZE.sub(
            f'x="{MARGIN_MM}" y="{MARGIN_MM}" width="{page_w - 2 * MARGIN_MM}" '
            f'height="{page_h - 2 * MARGIN_MM}" preserveAspectRatio="xMidYMin meet"'.encode(),
            body,
            count=1,
        )
        sheets.append(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="%gmm" height="%gmm" '
            b'viewBox="0 0 %g %g">%s</svg>' % (page_w, page_h, page_w, page_h, body)
        )
    return svgs_to_pdf(sheets, timeout=timeout)


def svg_to_png(svg: bytes, *, dpi: int = 96, timeout: float = 60.0) -> bytes:
    """A PNG of ``svg`` at ``dpi`` (96 dpi = one pixel per CSS px).

    A drawing so large that a side would pass librsvg's limit of 32,767 px is scaled down
    to fit it. The resolution is applied once, as a zoom: librsvg's own ``--dpi`` would scale
    physical units (Graphviz writes ``pt``) a second time, past the limit at 600 dpi.
    """
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, not {dpi}")
    assert_self_contained(svg)
    zoom = _fit_zoom(svg, dpi / 96)
    pdftocairo = shutil.which("pdftocairo")
    if pdftocairo is not None and _EMOJI.search(svg.decode("utf-8", "replace")):
        return _png_through_pdf(pdftocairo, svg, zoom, timeout)
    return _rsvg(["--format=png", f"--zoom={zoom:.6g}"], svg, [], timeout)


def _png_through_pdf(pdftocairo: str, svg: bytes, zoom: float, timeout: float) -> bytes:
    """The PNG of an SVG holding emoji: librsvg draws colour emoji glyphs only into a PDF
    (into a PNG it draws their outlines in black), so the PDF is rasterised by Poppler's
    pdftocairo, to the size rsvg-convert would give the PNG."""
    width, height = svg_size(svg)
    pdf = _rsvg(["--format=pdf"], svg, [], timeout)
    with tempfile.TemporaryDirectory(prefix="journeymap-png-") as folder:
        Path(folder, "drawing.pdf").write_bytes(pdf)
        size = [str(math.ceil(side * zoom - 1e-6)) for side in (width, height)]
        argv = [pdftocairo, "-png", "-singlefile", "-r", f"{96 * zoom:.6g}"]
        output = run_program(
            [*argv, "-W", size[0], "-H", size[1], "drawing.pdf", "-"],
            b"",
            timeout=timeout,
            install_hint="pdftocairo is not installed; install poppler-utils",
            too_slow_hint="the drawing may be too large for that time limit",
            cwd=folder,
        )
    if not output:
        raise RenderError("'pdftocairo' wrote nothing")
    return output


def source_date_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` from the environment when it is a valid number, else 0."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else 0


def _fix_dates(pdf: bytes) -> bytes:
    """Replace the PDF's dates by ``source_date_epoch()``, keeping every byte offset."""
    stamp = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(source_date_epoch())).encode()

    def replace(match: re.Match[bytes]) -> bytes:
        new = b"/" + match.group(1) + b" (" + stamp + b")"
        # Pad to the old length so the cross-reference offsets stay right.
        return new + b" " * max(0, len(match.group(0)) - len(new))

    fixed = _CREATION_DATE.sub(replace, pdf)
    if len(fixed) != len(pdf):
        raise RenderError("could not normalise the PDF creation date")
    return fixed


def _rsvg(args: list[str], stdin: bytes | None, files: list[bytes], timeout: float) -> bytes:
    """Run rsvg-convert in an empty folder on ``stdin`` or on ``files``; its stdout."""
    program = shutil.which("rsvg-convert")
    if program is None:
        raise ToolMissingError(_INSTALL_HINT)
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(source_date_epoch()))
    with tempfile.TemporaryDirectory(prefix="journeymap-rsvg-") as folder:
        names = []
        for number, data in enumerate(files, start=1):
            name = f"page-{number:04d}.svg"
            Path(folder, name).write_bytes(data)
            names.append(name)
        output = run_program(
            [program, *args, *names],
            stdin if stdin is not None else b"",
            timeout=timeout,
            install_hint=_INSTALL_HINT,
            too_slow_hint="the drawing may be too large for that time limit",
            cwd=folder,
            env=env,
        )
    if not output:
        raise RenderError("'rsvg-convert' wrote nothing")
    return output
