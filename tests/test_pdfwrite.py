"""Tests for the direct PDF writer: text read back, fonts, page sizes, determinism, fallback,
and the bank deck drawn the same as rsvg-convert draws it."""

from __future__ import annotations

import importlib
import io
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pypdf import PdfReader

import journeymap
from journeymap.output import pdfwrite
from journeymap.render.cards import CardOptions, render
from journeymap.render.cards.layout import Geometry
from journeymap.render.cards.scenarios import collect
from journeymap.render.templating import environment
from journeymap.text import fit

cards_render = importlib.import_module("journeymap.render.cards.render")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LINES = (
    "Plain ASCII: the quick brown fox, 0123456789 & <tags> \"quotes\" 'too'",
    "Typography: “curly” ‘single’ – en — em … • · € £ ±",
    "Accents: café, naïve, Ærøskøbing, Straße, Łódź, İstanbul",
    "Greek and Cyrillic: Καλημέρα, Здравствуйте",
    "  Leading and  double  spaces kept",
)


def _svg(
    body: str,
    width: str = "210mm",
    height: str = "297mm",
    box: str = "0 0 793.7 1122.52",
    root_extra: str = "",
) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="{box}" font-family="{fit.FONT_FAMILY}"{root_extra}>\n{body}\n</svg>'
    ).encode()


def _text(line: str, y: float, bold: bool = False, extra: str = "") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="40" y="{y}" font-size="12"{weight} fill="#222" xml:space="preserve"{extra}>'
        f"{escape(line)}</text>"
    )


def _lines_page(lines: Sequence[str]) -> bytes:
    body = [
        '<rect width="793.7" height="1122.52" fill="#FFFFFF"/>',
        '<g transform="translate(10 20)" class="card">',
        '<rect x="20" y="20" width="700" height="30" rx="3" fill="#005A8C"/>',
    ]
    body += [_text(line, 80 + 30 * i, bold=i % 2 == 1) for i, line in enumerate(lines)]
    body += ["</g>", '<line x1="0" y1="5" x2="50" y2="5" stroke="#000000" stroke-width="0.6"/>']
    return _svg("\n".join(body))


def _pdf(pages: Sequence[bytes]) -> bytes:
    pdf = pdfwrite.svgs_to_pdf(pages)
    assert pdf is not None
    return pdf


def _deck_pages(journey: journeymap.Journey) -> list[bytes]:
    """The SVG sheets ``journeymap cards`` makes for a journey (A4, 4 per page, duplex)."""
    deck = cards_render.build_deck(journey, collect(journey), Geometry("a4", 4), True)
    context = {
        "deck": deck,
        "n": cards_render.num,
        "fills": cards_render._FILLS,
        "font": fit.FONT_FAMILY,
        "family_for": fit.family_for,
    }
    template = environment(None).get_template("cards/sheet.svg.j2")
    return [template.render(context, sheet=sheet).encode() for sheet in deck.sheets]


def test_text_reads_back_with_pypdf() -> None:
    reader = PdfReader(io.BytesIO(_pdf([_lines_page(LINES)])), strict=True)
    extracted = reader.pages[0].extract_text().splitlines()
    assert [line.strip() for line in extracted] == [line.strip() for line in LINES]


@pytest.mark.exe
def test_text_reads_back_with_pdftotext(tmp_path: Path) -> None:
    path = tmp_path / "lines.pdf"
    path.write_bytes(_pdf([_lines_page(LINES)]))
    run = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    got = [line for line in run.stdout.replace("\f", "").splitlines() if line]
    # pdftotext rebuilds spaces from gaps between glyphs, so runs of spaces come back as one.
    assert got == [re.sub(" +", " ", line.strip()) for line in LINES]


@pytest.mark.exe
def test_fonts_are_embedded_subsets_with_unicode_maps(tmp_path: Path) -> None:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(_pdf([_lines_page(LINES)]))
    run = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in run.stdout.splitlines()[2:]]
    assert sorted(row[0].split("+")[1] for row in rows) == ["DejaVuSans", "DejaVuSans-Bold"]
    for row in rows:
        assert re.fullmatch(r"[A-Z]{6}\+DejaVuSans(-Bold)?", row[0])
        assert row[1:4] == ["CID", "TrueType", "Identity-H"]
        assert row[4:7] == ["yes", "yes", "yes"]


def test_subset_tag_follows_the_glyph_set() -> None:
    def tags(line: str) -> list[str]:
        return re.findall(rb"/BaseFont /([A-Z]{6})\+DejaVuSans ", _pdf([_lines_page([line])]))

    assert tags("abc") == tags("cab")
    assert tags("abc") != tags("abd")


@pytest.mark.parametrize(
    ("width", "height", "box", "points"),
    [
        ("210mm", "297mm", "0 0 793.7 1122.52", (595.2756, 841.8898)),
        ("297mm", "210mm", "0 0 1122.52 793.7", (841.8898, 595.2756)),
        ("215.9mm", "279.4mm", "0 0 816 1056", (612.0, 792.0)),
    ],
)
def test_page_size_is_the_svg_size(
    width: str, height: str, box: str, points: tuple[float, float]
) -> None:
    page = _svg(_text("Hello", 50), width, height, box)
    reader = PdfReader(io.BytesIO(_pdf([page, _lines_page(LINES)])), strict=True)
    assert [float(v) for v in reader.pages[0].mediabox] == pytest.approx([0, 0, *points])
    assert [float(v) for v in reader.pages[1].mediabox] == pytest.approx([0, 0, 595.2756, 841.8898])


def test_bytes_are_deterministic_and_carry_no_date() -> None:
    first = _pdf([_lines_page(LINES), _lines_page(LINES[:2])])
    assert first == _pdf([_lines_page(LINES), _lines_page(LINES[:2])])
    assert b"CreationDate" not in first and b"ModDate" not in first
    assert first.startswith(b"%PDF-1.7") and first.endswith(b"%%EOF\n")


def test_anchored_text_is_placed_with_the_layout_widths() -> None:
    line = "Centred title"
    page = _svg(f'<text x="400" y="50" font-size="20" text-anchor="middle">{line}</text>')
    content = PdfReader(io.BytesIO(_pdf([page]))).pages[0].get_contents()
    assert content is not None
    match = re.search(rb"1 0 0 -1 (\S+) 50 Tm", content.get_data())
    assert match is not None
    x = float(match[1])
    assert x == pytest.approx(400 - fit.text_width(line, 20) / 2, abs=0.01)


@pytest.mark.parametrize(
    "page",
    [
        _svg(_text("مرحبا بالعالم", 50)),
        _svg(_text("שלום", 50)),
        _svg(_text("日本語のテキスト", 50)),
        _svg(_text("combining e\u0301", 50)),
        _svg(_text("soft\u00adhyphen", 50)),
        _svg(_text("left to right", 50, extra=' direction="rtl"')),
        _svg('<path d="M0 0 L10 10" stroke="#000"/>'),
        _svg('<g transform="rotate(90)">' + _text("turned", 50) + "</g>"),
        _svg('<text x="1" y="50" font-size="12"><tspan>child</tspan></text>'),
        _svg('<text x="1" y="50" font-size="12" style="fill:red">styled</text>'),
        _svg('<text x="1" y="50" font-size="12" font-family="Serif">serif</text>'),
        _svg('<rect width="5" height="5" fill="red"/>'),
        _svg('<rect width="5" height="5" fill="#000" opacity="0.5"/>'),
        _svg("<style>.a{fill:red}</style>"),
        _svg("", width="100%"),
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg/>',
        b"<svg",
    ],
    ids=[
        "arabic",
        "hebrew",
        "cjk",
        "combining",
        "soft-hyphen",
        "rtl",
        "path",
        "rotate",
        "tspan",
        "style-attribute",
        "other-font",
        "named-colour",
        "opacity",
        "style-element",
        "percent-size",
        "entity",
        "broken",
    ],
)
def test_anything_else_falls_back(page: bytes) -> None:
    assert pdfwrite.svgs_to_pdf([_lines_page(LINES), page]) is None


def test_no_pages_falls_back() -> None:
    assert pdfwrite.svgs_to_pdf([]) is None


def test_the_card_deck_goes_through_the_fast_writer() -> None:
    journey = journeymap.load(EXAMPLES / "bank.yaml")
    pdf = render(journey, CardOptions(formats=("pdf",))).artifacts[0].data
    assert re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSans ", pdf)
    assert b"cairo" not in pdf


@pytest.mark.exe
def test_an_overridden_sheet_with_a_path_falls_back_to_rsvg(tmp_path: Path) -> None:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "sheet.svg.j2").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        'viewBox="0 0 210 297"><path d="M0 0 L100 100" stroke="#000"/></svg>',
        encoding="utf-8",
    )
    journey = journeymap.load(EXAMPLES / "bank.yaml")
    options = CardOptions(formats=("pdf",), templates=tmp_path)
    pdf = render(journey, options).artifacts[0].data
    assert b"cairo" in pdf


def _raster(tmp_path: Path, name: str, pdf: bytes) -> list[bytes]:
    """Every page as an 8-bit grey bitmap (PGM) at 50 dpi."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(path), str(tmp_path / name)], check=True)
    return [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.pgm"))]


def _pixels(pgm: bytes) -> tuple[tuple[int, int], bytes]:
    fields = pgm.split(maxsplit=4)
    return (int(fields[1]), int(fields[2])), fields[4]


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs rsvg-convert")
def test_bank_deck_looks_like_the_rsvg_one(tmp_path: Path) -> None:
    from journeymap.output import convert

    pages = _deck_pages(journeymap.load(EXAMPLES / "bank.yaml"))
    fast = _raster(tmp_path, "fast", _pdf(pages))
    slow = _raster(tmp_path, "rsvg", convert.svgs_to_pdf(pages))
    assert len(fast) == len(slow) == len(pages)
    for ours, theirs in zip(fast, slow, strict=True):
        (size, a), (other, b) = _pixels(ours), _pixels(theirs)
        assert size == other
        # Same ink within 2 % (no kerning here, kerning in rsvg) and rows of ink in the
        # same places (same baselines, rules and bands).
        ink_a, ink_b = sum(255 - v for v in a), sum(255 - v for v in b)
        assert abs(ink_a - ink_b) <= 0.02 * max(ink_b, 1)
        width = size[0]
        rows_a = [sum(255 - v for v in a[r * width : (r + 1) * width]) for r in range(size[1])]
        rows_b = [sum(255 - v for v in b[r * width : (r + 1) * width]) for r in range(size[1])]
        moved = sum(abs(x - y) for x, y in zip(rows_a, rows_b, strict=True))
        assert moved <= 0.05 * max(ink_b, 1)
