"""cards.html: compact (paragraphs that flow, shared classes) and every line exactly where the
layout puts it, to Chromium's 1/64 px, as if each line were a box placed on its own."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

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
    # A desktop window, wider than a sheet: the page shows the sheets as printed.
    want, got = evaluate(reference, _MEASURE, width=1200), evaluate(page, _MEASURE, width=1200)
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


#: On the page as shown: how wide it scrolls, each card's box, each text line's box with its
#: card's index and font size, each band label's box with its band's, the text as read.
_PHONE = """
const cards = [...document.querySelectorAll('.card')];
const out = {width: innerWidth, scroll: document.documentElement.scrollWidth, lines: [],
  cards: cards.map(c => { const r = c.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; }), labels: [],
  text: cards.map(c => c.innerText), offsets: cards.map(c => [c.offsetLeft, c.offsetTop]),
  sheets: [...document.querySelectorAll('.sheet')].map(s => { const r = s.getBoundingClientRect();
    return [r.width, r.height]; })};
const range = document.createRange();
cards.forEach((card, index) => {
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    range.selectNodeContents(node);
    const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
    for (const r of range.getClientRects()) if (r.width > 0)
      out.lines.push([index, r.left, r.top, r.right, r.bottom, size]);
  }
  const band = card.querySelector('.band');
  if (!band) return;
  const b = band.getBoundingClientRect();
  for (const label of card.querySelectorAll('.band ~ p[data-text]')) {
    const r = label.getBoundingClientRect();
    if (r.top < b.bottom) out.labels.push([index, [b.left, b.top, b.right, b.bottom],
      [r.left, r.top, r.right, r.bottom], getComputedStyle(label, '::before').content]);
  }
});
return out;
"""


def _shown(page: Path, width: int, media: str) -> dict[str, Any]:
    from devtools import Browser

    with Browser(width=width) as browser:
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        browser.send("Emulation.setEmulatedMedia", {"media": media})
        browser.navigate(page.as_uri())
        return json.loads(browser.evaluate(f"JSON.stringify((() => {{ {_PHONE} }})())"))


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "per_page", "paper"),
    [
        ("clinic-de.yaml", 4, "a4"),
        ("bakery-ar.yaml", 2, "a4"),
        ("hotel-ja.yaml", 1, "letter"),
    ],
)
def test_a_phone_shows_each_card_whole_and_print_keeps_the_sheets(
    tmp_path: Path, name: str, per_page: int, paper: str
) -> None:
    journey = journeymap.load(EXAMPLES / name)
    options = CardOptions(formats=("html",), per_page=per_page, paper=paper)
    page = tmp_path / "cards.html"
    page.write_bytes(render(journey, options).artifacts[0].data)
    local = localised(journey)
    deck = build_deck(local, collect(local), Geometry(paper, per_page), False)
    phone = _shown(page, 390, "screen")
    assert phone["scroll"] <= phone["width"] == 390
    for left, _, right, _ in phone["cards"]:
        assert left >= 0 and right <= 390
    assert len(phone["lines"]) > 100
    for index, left, top, right, bottom, size in phone["lines"]:
        card = phone["cards"][index]
        assert card[0] <= left and right <= card[2] and card[1] <= top and bottom <= card[3]
        assert size >= 8
    # No two lines of a card overlap.
    for a, b in itertools.combinations(phone["lines"], 2):
        if a[0] == b[0]:
            overlap_x = min(a[3], b[3]) - max(a[1], b[1])
            overlap_y = min(a[4], b[4]) - max(a[2], b[2])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)
    # Every card's band carries its labels, inside it.
    assert len({label[0] for label in phone["labels"]}) == len(phone["cards"])
    for _, (bl, bt, br, bb), (left, top, right, bottom), _ in phone["labels"]:
        assert bl <= left and right <= br and bt <= top and bottom <= bb
    # Lines joined on the phone read as the journey wrote them: no space where the printed
    # line of Japanese broke, and German words keep theirs.
    text = "\n".join(phone["text"])
    wide = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff] [\u3040-\u30ff\u4e00-\u9fff]")
    written = set(wide.findall((EXAMPLES / name).read_text(encoding="utf-8")))  # "佐藤 健"
    assert set(wide.findall(text)) <= written
    assert not re.search(r"[a-zäöüß][A-ZÄÖÜ]", text)  # "Karte.Schneiden", "dieBeobachter"
    # Printed, every sheet keeps its size and every card its place on it, whatever the width.
    printed = _shown(page, 390, "print")
    mm = 96 / 25.4
    assert printed["sheets"] == [
        [pytest.approx(deck.width_mm * mm, abs=0.5), pytest.approx(deck.height_mm * mm, abs=0.5)]
    ] * len(deck.sheets)
    placed = [p for sheet in deck.sheets for p in sheet.cards]
    boxes = zip(printed["cards"], printed["offsets"], placed, strict=True)
    for (left, top, right, bottom), (x, y), card in boxes:
        assert right - left == pytest.approx(card.card.width, abs=0.5)
        assert bottom - top == pytest.approx(card.card.height, abs=0.5)
        assert (x, y) == (pytest.approx(card.x, abs=1), pytest.approx(card.y, abs=1))
