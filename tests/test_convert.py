"""SVG to PDF and PNG with rsvg-convert: text, fonts, paper, determinism, safety."""

from __future__ import annotations

import io
import shutil
import stat
import struct
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from journeymap.output import convert
from journeymap.output.convert import (
    assert_self_contained,
    paper_args,
    svg_size,
    svg_to_pdf,
    svg_to_png,
    svgs_to_pdf,
)
from journeymap.render.options import PAPERS
from journeymap.source.diagnostics import RenderError, ToolMissingError
from journeymap.text.fit import FONT_FAMILY

HAVE_RSVG = shutil.which("rsvg-convert") is not None
rsvg = pytest.mark.skipif(not HAVE_RSVG, reason="needs rsvg-convert")


def _svg(width: float = 400, height: float = 200, body: str = "") -> bytes:
    text = (
        f'<text x="10" y="40" font-family="{FONT_FAMILY}" font-size="20">Journey map</text>'
        f'<text x="10" y="80" font-family="{FONT_FAMILY}" font-size="20">申し込み</text>'
        f'<text x="390" y="120" direction="rtl" font-family="{FONT_FAMILY}" font-size="20">'
        "مرحبا بالعالم</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<rect width="{width}" height="{height}" fill="white"/>{body or text}</svg>'
    ).encode()


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _fake_rsvg(folder: Path, script: str) -> None:
    """Put a shell script named rsvg-convert in ``folder``."""
    path = folder / "rsvg-convert"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


# Self-containment and sizes -------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '<image href="/etc/passwd" width="1" height="1"/>',
        '<image xlink:href="file:///tmp/x.png" width="1" height="1"/>',
        '<use href="other.svg#a"/>',
        '<image href="https://example.com/x.png" width="1" height="1"/>',
        "<style>@import 'x.css';</style>",
        "<style>rect { fill: url(other.svg#g) }</style>",
        '<rect style="fill: url( \'pattern.svg#p\' )" width="1" height="1"/>',
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="x.svg"/>',
    ],
)
def test_outside_references_are_refused(body: str) -> None:
    with pytest.raises(RenderError, match=r"refer|XInclude"):
        assert_self_contained(_svg(body=body))


def test_entities_and_bad_xml_are_refused() -> None:
    evil = b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>'
    with pytest.raises(RenderError, match="entities"):
        assert_self_contained(evil)
    with pytest.raises(RenderError, match="well-formed"):
        assert_self_contained(b"<svg><g></svg>")


def test_fragments_and_data_urls_are_fine() -> None:
    body = (
        '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="1" height="1"/>'
        '<use href="#g"/><image xlink:href="data:image/png;base64,AAAA" width="1" height="1"/>'
        "<style>rect { fill: url(#g) }</style>"
    )
    assert_self_contained(_svg(body=body))


def test_svg_size_units_and_viewbox() -> None:
    assert svg_size(_svg(300, 150)) == (300, 150)
    assert svg_size(b'<svg width="72pt" height="1in"/>') == (96, 96)
    assert svg_size(b'<svg viewBox="0 0 120 80"/>') == (120, 80)
    assert svg_size(b'<svg width="100%" height="100%" viewBox="0,0,50,20"/>') == (50, 20)
    with pytest.raises(RenderError, match="width"):
        svg_size(b"<svg/>")


def test_paper_args() -> None:
    assert paper_args(_svg(), "fit") == []
    with pytest.raises(ValueError, match="a4"):
        paper_args(_svg(), "a5")


# PDF ------------------------------------------------------------------------------------


def _text_of(pdf: bytes) -> str:
    run = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return run.stdout.decode("utf-8")


@pytest.mark.exe
@rsvg
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_pdf_has_selectable_text_in_three_scripts() -> None:
    text = _text_of(svg_to_pdf(_svg()))
    assert "Journey map" in text
    assert "申し込み" in text
    letters = "".join(c for c in text if "\u0600" <= c <= "\u06ff")
    assert letters == "مرحبابالعالم"


@pytest.mark.exe
@rsvg
def test_pdf_embeds_its_fonts() -> None:
    reader = PdfReader(io.BytesIO(svg_to_pdf(_svg())))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor_of = descendants[0].get_object() if descendants else font
        descriptor = descriptor_of["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
        embedded.append(str(descriptor["/FontName"]))
    assert any("DejaVuSans" in name for name in embedded)
    assert any("NotoSansCJK" in name for name in embedded)


@pytest.mark.exe
@rsvg
def test_pdf_is_byte_identical_and_dated_by_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = svg_to_pdf(_svg())
    assert svg_to_pdf(_svg()) == first
    assert b"/CreationDate (D:19700101000000Z)" in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = svg_to_pdf(_svg())
    assert svg_to_pdf(_svg()) == dated
    reader = PdfReader(io.BytesIO(dated))
    assert reader.metadata is not None
    assert reader.metadata.creation_date is not None
    assert int(reader.metadata.creation_date.timestamp()) == 1700000000
    assert len(reader.pages) == 1


@pytest.mark.exe
@rsvg
def test_fit_paper_is_the_drawing_size() -> None:
    box = PdfReader(io.BytesIO(svg_to_pdf(_svg(400, 200)))).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((300, 150))


@pytest.mark.exe
@rsvg
@pytest.mark.parametrize(
    ("paper", "size"),
    [
        ("a4", (841.89, 595.28)),
        ("a3", (1190.55, 841.89)),
        ("a2", (1683.78, 1190.55)),
        ("a1", (2383.94, 1683.78)),
        ("letter", (792, 612)),
        ("tabloid", (1224, 792)),
    ],
)
def test_paper_sizes_are_landscape(paper: str, size: tuple[float, float]) -> None:
    box = PdfReader(io.BytesIO(svg_to_pdf(_svg(), paper=paper))).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.05)


@pytest.mark.exe
@rsvg
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm")
@pytest.mark.parametrize(("width", "height"), [(2000, 300), (300, 900), (50, 40)])
def test_drawing_is_scaled_and_centred_on_paper(width: int, height: int, tmp_path: Path) -> None:
    """A black drawing on A4 at 72 dpi: its ink box is centred and touches the margins."""
    from matplotlib import image

    body = f'<rect width="{width}" height="{height}" fill="black"/>'
    (tmp_path / "page.pdf").write_bytes(svg_to_pdf(_svg(width, height, body), paper="a4"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-singlefile", "page.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    pixels = image.imread(tmp_path / "page.png")[:, :, :3].max(axis=2)
    rows = [i for i, row in enumerate(pixels) if row.min() < 0.5]
    cols = [i for i, col in enumerate(pixels.T) if col.min() < 0.5]
    page_h, page_w = pixels.shape
    left, right = cols[0], page_w - 1 - cols[-1]
    top, bottom = rows[0], page_h - 1 - rows[-1]
    assert abs(left - right) <= 2 and abs(top - bottom) <= 2
    margin = 10 * 72 / 25.4
    assert min(left, top) == pytest.approx(margin, abs=2)


@pytest.mark.exe
@rsvg
def test_many_svgs_make_a_multi_page_pdf() -> None:
    pages = [_svg(400, 200), _svg(300, 450), _svg(100, 100)]
    pdf = svgs_to_pdf(pages)
    reader = PdfReader(io.BytesIO(pdf))
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert sizes == [(300, 150), (225, 337.5), (75, 75)]
    assert svgs_to_pdf(pages) == pdf
    assert "Journey map" in reader.pages[2].extract_text()
    with pytest.raises(ValueError):
        svgs_to_pdf([])


# PNG ------------------------------------------------------------------------------------


@pytest.mark.exe
@rsvg
def test_png_size_follows_dpi_and_is_deterministic() -> None:
    assert _png_size(svg_to_png(_svg(400, 200))) == (400, 200)
    assert _png_size(svg_to_png(_svg(400, 200), dpi=192)) == (800, 400)
    assert _png_size(svg_to_png(_svg(400, 200), dpi=300)) == (1250, 625)
    assert svg_to_png(_svg(), dpi=150) == svg_to_png(_svg(), dpi=150)
    with pytest.raises(ValueError):
        svg_to_png(_svg(), dpi=0)


# Failures -------------------------------------------------------------------------------


def test_missing_rsvg_convert(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError, match=r"librsvg2-bin.*brew.*choco"):
        svg_to_pdf(_svg())
    with pytest.raises(ToolMissingError):
        svg_to_png(_svg())


def test_failure_message_carries_stderr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fake_rsvg(tmp_path, "echo 'cannot render: broken gradient' >&2; exit 3")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match=r"exit 3\): cannot render: broken gradient"):
        svg_to_png(_svg())


def test_runs_in_an_empty_folder_without_arguments_naming_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_rsvg(tmp_path, f'echo "args:$*"; echo "files:$({shutil.which("ls")} -A)."')
    monkeypatch.setenv("PATH", str(tmp_path))
    out = svg_to_png(_svg()).decode()
    assert "files:." in out
    assert ".svg" not in out.split("files:")[0]


def test_timeout_stops_the_program(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fake_rsvg(tmp_path, f"exec {shutil.which('sleep')} 30")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match=r"took longer than 0\.5 s and was stopped"):
        svg_to_png(_svg(), timeout=0.5)


@pytest.mark.exe
@rsvg
def test_real_rsvg_failure_is_a_render_error() -> None:
    with pytest.raises(RenderError, match=r"'rsvg-convert' failed.*dimensions"):
        svg_to_pdf(b'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>')


def test_every_paper_option_is_known() -> None:
    assert {"fit", *convert.PAPER_MM, *(f"{p}:fit" for p in convert.PAPER_MM)} == set(PAPERS)


@pytest.mark.exe
def test_huge_drawings_are_scaled_to_librsvg_limit() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40000" height="100">'
        b'<rect width="40000" height="100" fill="#123"/></svg>'
    )
    png = svg_to_png(svg)
    width = int.from_bytes(png[16:20], "big")
    assert width == 32000
    assert svg_to_pdf(svg).startswith(b"%PDF")


@pytest.mark.exe
@rsvg
@pytest.mark.parametrize("unit, px", [("", 1.0), ("px", 1.0), ("pt", 96 / 72), ("in", 96.0)])
def test_png_size_follows_dpi_whatever_the_svg_unit(unit: str, px: float) -> None:
    """matplotlib and Graphviz write ``pt``; the PNG must grow with dpi exactly as for ``px``."""
    w, h = (3, 1) if unit == "in" else (300, 100)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}{unit}" height="{h}{unit}" '
        f'viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="white"/></svg>'
    ).encode()
    for dpi in (96, 192, 300):
        width, height = _png_size(svg_to_png(svg, dpi=dpi))
        assert width == pytest.approx(w * px * dpi / 96, abs=1)
        assert height == pytest.approx(h * px * dpi / 96, abs=1)


def _line(text: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60">'
        '<rect width="400" height="60" fill="#fff"/>'
        f'<text x="10" y="40" font-size="28" font-family="{FONT_FAMILY}">{text}</text></svg>'
    ).encode()


def _ink(png: bytes, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    """Within ``box``: the ink's left and right edge, and the count of coloured pixels."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    inked = [x for x in range(image.width) for y in range(image.height)
             if min(image.getpixel((x, y))) < 128]  # fmt: skip
    pixels = [image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)]
    colour = sum(1 for p in pixels if max(p) - min(p) > 80)
    return min(inked, default=0), max(inked, default=0), colour


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("pdftocairo") is None, reason="needs poppler-utils")
def test_emoji_are_drawn_in_colour_and_digits_keep_their_spacing() -> None:
    if not Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf").is_file():
        pytest.skip("needs fonts-noto-color-emoji")
    plain = convert.svg_to_png(_line("0123456789"))
    with_emoji = convert.svg_to_png(_line("0123456789 ☕😊"), dpi=96)
    assert struct.unpack(">II", with_emoji[16:24]) == (400, 60)
    digits = _ink(plain, (0, 0, 200, 60))
    same = _ink(with_emoji, (0, 0, 200, 60))
    assert abs(same[0] - digits[0]) <= 1 and abs(same[1] - digits[1]) <= 2, (digits, same)
    assert _ink(with_emoji, (200, 0, 400, 60))[2] > 150, "the emoji are in colour"
    # text-style symbols and emoji-free drawings keep librsvg's own PNG, byte for byte
    for text in ("0123456789", "⚠ ★ −2"):
        argv = ["rsvg-convert", "--format=png", "--zoom=1"]
        direct = subprocess.run(argv, input=_line(text), capture_output=True, check=True).stdout
        assert convert.svg_to_png(_line(text)) == direct
