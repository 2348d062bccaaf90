"""Text measuring and wrapping with the shipped DejaVu Sans metrics."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.text import fit
from journeymap.text.fit import (
    FONT_FAMILY,
    is_rtl,
    missing_glyph_warnings,
    text_width,
    wrap,
)
from journeymap.text.fonts import build

HAVE_DEJAVU = all((build.DEJAVU_DIR / name).exists() for name in build.FACES.values())
HAVE_NOTO_ARABIC = build.NOTO_ARABIC.exists() and build.NOTO_ARABIC_BOLD.exists()


def _width(line: str, size: float, bold: bool = False) -> float:
    return text_width(line, size, bold)


# The shipped table ----------------------------------------------------------------------


@pytest.mark.skipif(not (HAVE_DEJAVU and HAVE_NOTO_ARABIC), reason="fonts not installed")
def test_shipped_table_matches_installed_fonts() -> None:
    """Fails when fonts-dejavu-core changed; regenerate: python -m journeymap.text.fonts.build"""
    assert build.TABLE_PATH.read_text(encoding="utf-8") == build.build()


def test_table_loads_fast_without_matplotlib() -> None:
    code = (
        "import sys, time\n"
        "from journeymap.text import fit\n"
        "best = 1.0\n"
        "for _ in range(5):\n"
        "    fit._faces.cache_clear()\n"
        "    start = time.perf_counter()\n"
        "    fit._faces()\n"
        "    best = min(best, time.perf_counter() - start)\n"
        "print(best, 'matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, matplotlib_loaded = out.stdout.split()
    assert float(seconds) < 0.010
    assert matplotlib_loaded == "False"


# Measuring ------------------------------------------------------------------------------


def test_known_advance_widths() -> None:
    # DejaVu Sans: H=1540, e=1260, l=569, o=1253 units of 2048.
    assert text_width("Hello", 2048) == pytest.approx(1540 + 1260 + 569 + 569 + 1253)
    assert text_width("Hello", 10, bold=True) > text_width("Hello", 10)
    assert text_width("", 12) == 0


def test_width_is_additive_and_scales() -> None:
    assert text_width("ab cd", 10) == pytest.approx(
        text_width("ab", 10) + text_width(" ", 10) + text_width("cd", 10)
    )
    assert text_width("abc", 30) == pytest.approx(3 * text_width("abc", 10))


def test_characters_without_a_layout_glyph_err_wide() -> None:
    assert text_width("日本", 10) == pytest.approx(20)
    assert text_width("가", 10) == pytest.approx(10)
    assert text_width("😀", 10) >= 12.5
    # Arabic letters get at least the width of any of their shaped forms.
    assert text_width("ب", 10) >= text_width("\ufe91", 10)
    assert text_width("\u0301", 10) == 0


# Wrapping -------------------------------------------------------------------------------


def test_wrap_greedy_at_spaces() -> None:
    lines = wrap("The quick brown fox jumps over the lazy dog", 100, 12)
    assert lines == ["The quick brown", "fox jumps over", "the lazy dog"]
    assert all(_width(line, 12) <= 100 for line in lines)


def test_whitespace_collapses_and_newlines_break() -> None:
    assert wrap("  a \t b  \n\n c  ", 500, 12) == ["a b", "", "c"]
    assert wrap("a\r\nb\rc", 500, 12) == ["a", "b", "c"]
    assert wrap("", 100, 12) == []
    assert wrap("   \n  ", 100, 12) == []


def test_no_break_space_keeps_words_together() -> None:
    lines = wrap("pay 100\u00a0EUR now please", 60, 12)
    assert "100\u00a0EUR" in lines


def test_long_word_is_broken_without_hyphen() -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitän"
    lines = wrap(f"a {word} b", 80, 12)
    assert lines[0] == "a"
    assert "".join(lines[1:]).replace(" ", "") == word + "b"
    assert all(_width(line, 12) <= 80 for line in lines)
    assert not any(line.endswith("-") for line in lines)


def test_narrow_box_still_puts_one_cluster_per_line() -> None:
    assert wrap("abc", 1, 12) == ["a", "b", "c"]


def test_combining_marks_and_emoji_sequences_stay_whole() -> None:
    text = "e\u0301" * 12
    lines = wrap(text, 20, 12)
    assert len(lines) > 1
    assert all(line.startswith("e") and line.endswith("\u0301") for line in lines)
    family = "👨\u200d👩\u200d👧"
    assert family in wrap(family * 3, 5, 12)
    assert "👍🏽" in wrap("👍🏽👍🏽", 5, 12)
    assert "🇯🇵" in wrap("🇯🇵🇫🇷", 5, 12)


def test_cjk_breaks_between_characters_with_kinsoku() -> None:
    text = "申し込みフォームが長すぎて、途中で諦めた。（本当に）「はい」"
    lines = wrap(text, 80, 12)
    assert "".join(lines) == text
    assert len(lines) > 3
    for line in lines:
        assert _width(line, 12) <= 80
        assert line[0] not in "、。）」ーぁぃぅぇぉっゃゅょ"
        assert line[-1] not in "（「"


def test_cjk_next_to_latin_and_spaces() -> None:
    lines = wrap("日本語 and English 混在テキスト", 60, 12)
    assert " ".join(lines).replace(" ", "") == "日本語andEnglish混在テキスト"
    assert all(_width(line, 12) <= 60 for line in lines)


def test_rtl_wraps_in_logical_order() -> None:
    text = "لم أتمكن من العثور على زر الدفع في التطبيق"
    lines = wrap(text, 100, 12)
    assert " ".join(lines) == text
    assert all(_width(line, 12) <= 100 for line in lines)


def test_is_rtl_uses_first_strong_character() -> None:
    assert is_rtl("مرحبا")
    assert is_rtl("  123 (שלום) abc")
    assert not is_rtl("abc مرحبا")
    assert not is_rtl("123 !")
    assert not is_rtl("")


TEXT = st.text(
    alphabet=st.sampled_from([*"abc XYZ  éü日本語、。「」مرح\u0301\n👍", "🏽", "\u200d"]),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.floats(min_value=1, max_value=400), st.sampled_from([8, 12.5, 30]), st.booleans())
def test_wrap_properties(text: str, width: float, size: float, bold: bool) -> None:
    lines = wrap(text, width, size, bold)
    # Nothing is lost but whitespace.
    assert "".join("".join(lines).split()) == "".join(text.split())
    for line in lines:
        assert line == line.strip(" ")
        assert "  " not in line
        # No line is wider than the box, unless it is one cluster that alone is wider.
        if _width(line, size, bold) > width + 1e-9:
            assert len(fit.clusters(line)) == 1


def test_wrap_is_fast() -> None:
    words = "customer support checkout delivery refund waited frustrated app login password"
    pool = words.split()
    texts = [
        " ".join(f"{pool[(i * 7 + j) % len(pool)]}{(i * j) % 97}" for j in range(9))
        for i in range(2000)
    ]
    assert sum(map(len, texts)) / len(texts) > 75
    best = 1.0
    for _ in range(3):
        fit._faces.cache_clear()
        start = time.perf_counter()
        for text in texts:
            wrap(text, 150, 12)
        best = min(best, time.perf_counter() - start)
    assert best < 0.1


def test_wrap_rejects_bad_size() -> None:
    with pytest.raises(ValueError):
        wrap("a", 10, 0)


# Missing glyphs -------------------------------------------------------------------------


def test_latin_needs_no_font_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> None:
        raise AssertionError("looked up installed fonts for Latin text")

    monkeypatch.setattr(fit, "_installed_coverage", fail)
    assert missing_glyph_warnings("Café — naïve “quotes” 123 ½ € ß") == []


def test_missing_glyphs_name_the_font_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fit, "_installed_coverage", lambda: frozenset())
    warnings = missing_glyph_warnings("日本 ok \u0e01\u0e02 🧿 😀 e\u0301")
    assert len(warnings) == 3
    assert "fonts-noto-cjk" in warnings[0] and "日" in warnings[0]
    assert "fonts-noto-color-emoji" in warnings[1] and "U+1F9FF" in warnings[1]
    assert "fonts-noto-core" in warnings[2] and "U+0E01" in warnings[2]


def test_fallback_to_known_font_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fit, "_installed_coverage", lambda: None)
    monkeypatch.setattr(fit, "_PACKAGE_FILES", {k: () for k in fit._PACKAGE_FILES})
    assert "fonts-noto-cjk" in missing_glyph_warnings("日")[0]


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fc-list")
def test_installed_noto_fonts_cover_cjk_and_arabic() -> None:
    assert missing_glyph_warnings("日本語のテキスト 한국어 مرحبا שלום") == []


# Measuring agrees with real rendering ---------------------------------------------------

SAMPLES = [
    ("Hello World, AVAVA Toffee fi fl ffi", False),
    ("WWW MMM mmm ... ;;; ||| iii", True),
    ("Zażółć gęślą jaźń — Ærøskøbing", False),
    ("日本語のテキスト、「かぎ括弧」。", False),
    ("Mixed 日本 text ok", True),
    ("مرحبا بالعالم، كيف حالك؟", False),
    ("لم أتمكن من العثور على زر الدفع", True),
    ("שלום עולם", False),
]


def _svg(lines: list[tuple[str, bool]], size: float, x: float) -> str:
    rows = []
    for index, (text, bold) in enumerate(lines):
        weight = ' font-weight="bold"' if bold else ""
        rows.append(
            f'<text x="{x}" y="{(index + 1) * size * 2}" font-size="{size}"{weight} '
            f'font-family="{FONT_FAMILY}">{escape(text)}</text>'
        )
    height = (len(lines) + 1) * size * 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="{height}">'
        f'<rect width="100%" height="100%" fill="white"/>{"".join(rows)}</svg>'
    )


def _ink_columns(png: bytes, rows: int, row_height: float) -> list[tuple[int, int]]:
    """Leftmost and rightmost inked column of each text row of a PNG."""
    import io

    from matplotlib import image

    pixels = image.imread(io.BytesIO(png), format="png")
    extents = []
    for index in range(rows):
        top, bottom = int(index * row_height + row_height / 2), int((index + 1.5) * row_height)
        band = pixels[top:bottom, :, :3].min(axis=2).min(axis=0) < 0.9
        columns = [i for i, inked in enumerate(band) if inked]
        extents.append((columns[0], columns[-1] + 1))
    return extents


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs rsvg-convert")
@pytest.mark.parametrize("size", [11, 24])
def test_rsvg_ink_fits_measured_width(size: float) -> None:
    """The drawn text (rsvg-convert, pango, fallback fonts) is never wider than measured."""
    from journeymap.output.convert import svg_to_png

    png = svg_to_png(_svg(SAMPLES, size, 10).encode())
    for (text, bold), (left, right) in zip(
        SAMPLES, _ink_columns(png, len(SAMPLES), size * 2), strict=True
    ):
        measured = text_width(text, size, bold)
        assert right - left <= measured + 1, text
        if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
            # Left-to-right text starts at x and its ink ends within the measured advance.
            assert right <= 10 + measured + 1, text
        if text.isascii():
            assert right - left >= 0.9 * measured, text  # the metrics are real, not padding


@pytest.mark.browser
def test_chromium_text_length_within_measured(tmp_path: Path) -> None:
    """Chromium's advance widths (with kerning and shaping) never exceed ours."""
    from tests.chromium import evaluate

    page = tmp_path / "measure.svg"
    page.write_text(_svg(SAMPLES, 20, 10), encoding="utf-8")
    lengths = evaluate(
        page, "return [...document.querySelectorAll('text')].map(t => t.getComputedTextLength());"
    )
    assert len(lengths) == len(SAMPLES)
    for (text, bold), length in zip(SAMPLES, lengths, strict=True):
        measured = text_width(text, 20, bold)
        assert length <= measured + 0.5, text
        if text.isascii():
            assert length >= 0.95 * measured, text


RTL_LINES = ["مرحبا بالعالم 123", "שלום עולם (abc)", "hello world"]


def _rtl_svg() -> str:
    rows = []
    for index, line in enumerate(RTL_LINES):
        # The map's rule (layout.py): an RTL line starts at the right edge with direction rtl.
        attrs = 'x="500" direction="rtl"' if is_rtl(line) else 'x="100"'
        rows.append(
            f'<text {attrs} y="{(index + 1) * 40}" font-size="20" '
            f'font-family="{FONT_FAMILY}">{escape(line)}</text>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="160">'
        f'<rect width="100%" height="100%" fill="white"/>{"".join(rows)}</svg>'
    )


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs rsvg-convert")
def test_rsvg_draws_rtl_lines_flush_right() -> None:
    from journeymap.output.convert import svg_to_png

    extents = _ink_columns(svg_to_png(_rtl_svg().encode()), len(RTL_LINES), 40)
    for line, (left, right) in zip(RTL_LINES, extents, strict=True):
        assert left >= 100 and right <= 501, line
        assert right - left >= 0.6 * text_width(line, 20), line  # the whole line is drawn
        if is_rtl(line):
            assert right >= 495, line
        else:
            assert left <= 102, line


@pytest.mark.browser
def test_chromium_draws_rtl_lines_flush_right(tmp_path: Path) -> None:
    from tests.chromium import evaluate

    page = tmp_path / "rtl.svg"
    page.write_text(_rtl_svg(), encoding="utf-8")
    boxes = evaluate(
        page,
        "return [...document.querySelectorAll('text')]"
        ".map(t => { const b = t.getBBox(); return [b.x, b.x + b.width]; });",
    )
    for line, (left, right) in zip(RTL_LINES, boxes, strict=True):
        assert left >= 99.5 and right <= 500.5, line
        assert (right if is_rtl(line) else 600 - left) == pytest.approx(500, abs=0.5), line
