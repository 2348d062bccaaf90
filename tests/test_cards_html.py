"""cards.html: compact (paragraphs that flow, shared classes) and every line exactly where the
layout puts it, to Chromium's 1/64 px, as if each line were a box placed on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap
from journeymap.render.cards import CardOptions, render
from journeymap.render.cards import html as cards_html
from journeymap.render.cards.layout import Geometry, Line
from journeymap.render.cards.render import _FILLS, Deck, build_deck
from journeymap.render.cards.scenarios import collect
from journeymap.render.marks import num
from journeymap.text import fit
from journeymap.text.locale import localised
from tests.card_page import read

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_lengths_in_layout_units() -> None:
    assert cards_html.units(124.59) == 7973  # truncated, as browsers place a top
    assert cards_html.units(-0.3) == -19
    assert cards_html.line_units(15.6) == 998 and cards_html.line_units(15.62) == 1000
    for count in (0, 1, 7, 63, 64, 998, 7973, 71841):
        assert cards_html.units(float(cards_html.length(count)[:-2])) == count
    assert cards_html.length(-1) == "-0.015625px"


def _deck(name: str, duplex: bool = False) -> Deck:
    journey = localised(journeymap.load(EXAMPLES / name))
    return build_deck(journey, collect(journey), Geometry("a4", 4), duplex)


def test_page_has_every_line_once_in_order() -> None:
    deck = _deck("bank.yaml", duplex=True)
    page = (
        render(journeymap.load(EXAMPLES / "bank.yaml"), CardOptions(formats=("html",), duplex=True))
        .artifacts[0]
        .data
    )
    shown = read(page)
    cards = [p.card for sheet in deck.sheets for p in sheet.cards]
    assert [kind for kind, _ in shown.cards] == [card.kind for card in cards]
    for card, (_, lines) in zip(cards, shown.cards, strict=True):
        assert lines == [line.text for line in card.lines if line.kind != "bullet-mark"]


def test_page_is_small() -> None:
    page = render(journeymap.load(EXAMPLES / "bank.yaml"), CardOptions(formats=("html",)))
    data = page.artifacts[0].data
    text = sum(
        len(line.text.encode())
        for s in _deck("bank.yaml").sheets
        for p in s.cards
        for line in p.card.lines
    )
    # The lines' own text is about two thirds of the page.
    assert len(data) < 1.6 * text, (len(data), text)
    assert data.count(b" style=") < 100  # lines carry no coordinates


def _reference(deck: Deck) -> str:
    """The deck with every line a box of its own at its ``left``/``right`` and ``top``: the
    placement cards.html must reproduce."""
    side = "right" if deck.dir == "rtl" else "left"
    out = [
        f'<!DOCTYPE html><html lang="{deck.lang}" dir="{deck.dir}"><head><meta charset="utf-8">'
        f"<style>html,body{{margin:0;padding:0}}body{{font-family:{fit.FONT_FAMILY}}}"
        f".sheet{{position:relative;width:{num(deck.width_mm)}mm;height:{num(deck.height_mm)}mm;"
        "overflow:hidden;margin:12px auto}.card{position:absolute;box-sizing:border-box}"
        "div.l{position:absolute;margin:0;white-space:pre}"
        "[data-text]::before{content:attr(data-text)}</style></head><body>"
    ]
    for sheet in deck.sheets:
        out.append('<section class="sheet">')
        for placed in sheet.cards:
            card = placed.card
            out.append(
                f'<div class="card" style="left:{num(placed.x)}px;top:{num(placed.y)}px;'
                f'width:{num(card.width)}px;height:{num(card.height)}px">'
            )
            for line in card.lines:
                out.append(_reference_line(line, side))
            out.append("</div>")
        out.append("</section>")
    return "".join(out) + "</body></html>"


def _reference_line(line: Line, side: str) -> str:
    from html import escape

    style = (
        f"{side}:{num(line.x)}px;top:{num(line.y)}px;color:{_FILLS[line.kind]};"
        f"font-size:{num(line.size)}px;line-height:{num(line.pitch)}px"
        + (";font-weight:bold" if line.bold else "")
    )
    if line.furniture:
        return f'<div class="l" style="{style}" data-text="{escape(line.text)}"></div>'
    return f'<div class="l" style="{style}">{escape(line.text, quote=False)}</div>'


#: Every text line's box (from a Range over each text node) and every generated label's box,
#: in layout units, page order; bullet marks (generated in cards.html) left out.
_MEASURE = """
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!node.data.trim() || node.data === '•') continue;
  range.selectNodeContents(node);
  for (const r of range.getClientRects()) if (r.width > 0)
    out.push(['t', Math.round(r.top * 64), Math.round(r.left * 64), Math.round(r.right * 64)]);
}
for (const el of document.querySelectorAll('[data-text]')) {
  const r = el.getBoundingClientRect();
  const lines = el.dataset.text.split('\\n').length;
  out.push(['f', lines, Math.round(r.top * 64), Math.round(r.left * 64)]);
}
return out;
"""


@pytest.mark.exe
@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "duplex"),
    [
        ("bank.yaml", True),
        ("bakery-ar.yaml", False),
        ("hotel-ja.yaml", False),
        ("mobile-he.yaml", True),
    ],
)
def test_every_line_lands_where_a_box_of_its_own_would(
    tmp_path: Path, name: str, duplex: bool
) -> None:
    from tests.chromium import evaluate

    deck = _deck(name, duplex)
    reference = tmp_path / "reference.html"
    reference.write_text(_reference(deck), encoding="utf-8")
    page = tmp_path / "cards.html"
    options = CardOptions(formats=("html",), duplex=duplex)
    page.write_bytes(render(journeymap.load(EXAMPLES / name), options).artifacts[0].data)
    want, got = evaluate(reference, _MEASURE), evaluate(page, _MEASURE)
    lines = [entry for entry in want if entry[0] == "t"]
    assert len(lines) > 300
    assert [e for e in got if e[0] == "t"] == lines
    # A footer of two lines that follow exactly is one element in cards.html.
    labels = [e[2:] for e in want if e[0] == "f"]
    grouped = [e for e in got if e[0] == "f"]
    assert [e[2:] for e in grouped] == [labels[i] for i in _starts([e[1] for e in grouped])]


def _starts(counts: list[int]) -> list[int]:
    starts, at = [], 0
    for count in counts:
        starts.append(at)
        at += count
    return starts
