"""Role-play cards: scenarios, card contents, layout, duplex order, HTML and PDF output."""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

import journeymap
from journeymap.model.journey import SEVERITIES, Journey, Note, Persona, Scenario, Stage, Touchpoint
from journeymap.render.cards import CardOptions, render
from journeymap.render.cards.layout import Geometry
from journeymap.render.cards.render import build_deck
from journeymap.render.cards.scenarios import collect, select
from journeymap.text import fit
from tests.card_page import read

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HTML_ONLY = CardOptions(formats=("html",))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _cards(html: bytes, furniture: bool = True) -> list[tuple[str, str]]:
    """(kind, text) of each card; without band labels and footers when not ``furniture``,
    so a brief continued on the next card reads as one text."""
    return [(kind, _norm(" ".join(lines))) for kind, lines in read(html, furniture).cards]


def _artifact(journey: Journey, options: CardOptions, name: str) -> bytes:
    return next(a.data for a in render(journey, options).artifacts if a.name == name)


def _journey(
    *,
    title: str = "Returning a parcel",
    brief: str = "You bought the wrong size and want your money back before the weekend.",
    description: str | None = "Works shifts at a hospital.",
    goals: tuple[str, ...] = ("Get a refund within a week",),
    scenarios: int = 1,
) -> Journey:
    """A small journey: two touchpoints, one persona, pain points of every severity."""
    persona = Persona(
        "ana",
        "Ana Lima",
        "#0072B2",
        role="Nurse",
        description=description,
        goals=goals,
        frustrations=("Being put on hold",),
    )
    first = Touchpoint(
        "order",
        "Place the order",
        "buy",
        0,
        channel="web",
        channel_name="website",
        action="I order two pairs of shoes.",
        emotions={"ana": 2},
    )
    notes = tuple(Note(f"Pain of severity {s} at the returns desk", s) for s in SEVERITIES)
    second = Touchpoint(
        "return",
        "Return at the desk",
        "after",
        1,
        channel="store",
        channel_name="store",
        action="I queue at the returns desk.",
        thought="Why is there only one till open?",
        emotions={"ana": -2},
        pain_points=notes,
        opportunities=(Note("Open a second till when the queue is longer than five"),),
        backstage="Refunds over 100 need a supervisor.",
    )
    stages = (
        Stage("buy", "Buy", 0, touchpoints=(first,)),
        Stage("after", "After sales", 1, goal="Refund the same day", touchpoints=(second,)),
    )
    authored = tuple(
        Scenario(
            f"s{i}",
            f"{title} {i}",
            touchpoint="order",
            persona="ana",
            difficulty="hard",
            customer_brief=brief,
            opening_line="Hello?",
            staff_objective="Agree a refund date.",
            guidance=("Offer a gift card first.",),
            avoid=("Reading policy aloud",),
            debrief=("What changed her mind?",),
        )
        for i in range(1, scenarios + 1)
    )
    return Journey("returns", title, stages, (persona,), scenarios=authored)


def test_bank_deck_has_authored_and_one_generated_per_uncovered_pain_point() -> None:
    journey = journeymap.load(EXAMPLES / "bank.yaml")
    covered = {s.touchpoint for s in journey.scenarios}
    expected = [
        note.text
        for tp in journey.touchpoints
        if tp.id not in covered
        for note in tp.pain_points
        if note.severity != "low"
    ]
    plays = collect(journey)
    assert len([p for p in plays if p.source == "authored"]) == 2
    generated = [p for p in plays if p.source == "generated"]
    assert [p.pain_point.text for p in generated if p.pain_point] == expected
    assert len(expected) >= 3
    assert len(collect(journey, "generated")) == len(expected)
    assert [p.source for p in collect(journey, "authored")] == ["authored", "authored"]


def test_roles_see_only_their_own_brief() -> None:
    journey = journeymap.load(EXAMPLES / "bank.yaml")
    cards = _cards(_artifact(journey, HTML_ONLY, "cards.html"), furniture=False)
    customer = " ".join(text for kind, text in cards if kind == "customer")
    staff = " ".join(text for kind, text in cards if kind == "staff")
    for scenario in journey.scenarios:
        for line in (*scenario.guidance, *scenario.avoid, scenario.staff_objective or ""):
            assert _norm(line) not in customer
        assert _norm(scenario.customer_brief or "") in customer
        assert _norm(scenario.customer_brief or "") not in staff
        assert _norm(scenario.opening_line or "") not in staff
    for play in collect(journey, "generated"):
        assert play.touchpoint is not None
        for opportunity in play.touchpoint.opportunities:
            assert _norm(opportunity.text) in staff
            assert _norm(opportunity.text) not in customer
        brief = next(s for s in play.customer if s.heading == "What bothers you").paragraphs[0]
        assert brief in customer and brief not in staff


def test_no_empty_headings_ids_or_reprs() -> None:
    journey = _journey(description=None, goals=())
    html = _artifact(journey, HTML_ONLY, "cards.html")
    text = " ".join(t for _, t in _cards(html))
    assert "WHAT YOU WANT" not in text
    assert not re.search(r"\bNone\b|\bana\b|Note\(|Persona\(", text)
    deck = build_deck(journey, collect(journey), Geometry("a4", 4), False)
    kinds = [line.kind for s in deck.sheets for p in s.cards for line in p.card.lines]
    following = [after for kind, after in itertools.pairwise(kinds) if kind == "heading"]
    assert following and set(following) <= {"text", "quote", "bullet-mark"}
    assert kinds[-1] != "heading"


def test_long_text_shrinks_then_continues_and_loses_nothing() -> None:
    words = [f"word{i}" for i in range(900)]
    journey = _journey(brief=" ".join(words))
    cards = _cards(
        _artifact(journey, CardOptions(formats=("html",), source="authored"), "cards.html")
    )
    customer = [text for kind, text in cards if kind == "customer"]
    assert len(customer) >= 2
    assert "CUSTOMER · CONTINUED" in customer[1]
    joined = " ".join(customer)
    assert all(f"{w} " in joined + " " for w in words)
    facilitator = " ".join(text for kind, text in cards if kind == "facilitator")
    assert f"customer cards 1–{len(customer)}" in facilitator


class _Text(HTMLParser):
    """The text nodes of a page, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_a_word_longer_than_a_card_continues_whole_and_wraps_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    word = "".join(f"Unbreakable{i:04d}" for i in range(400))
    note = "A pain point told at great length " + " ".join(["again"] * 60)
    journey = _journey(title=f"T{word}", brief=f"B{word}")
    tp = replace(journey.touchpoints[1], pain_points=(Note(note, "critical"),))
    stages = (journey.stages[0], replace(journey.stages[1], touchpoints=(tp,)))
    journey = replace(journey, stages=stages)
    calls: list[int] = []
    real_wrap = fit.wrap

    def counting_wrap(text: str, *args: object, **kwargs: object) -> list[str]:
        if len(text) > 1000:
            calls.append(len(text))
        return real_wrap(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fit, "wrap", counting_wrap)
    deck = build_deck(journey, collect(journey), Geometry("a4", 4), True)
    monkeypatch.undo()
    lines = [line.text for sheet in deck.sheets for p in sheet.cards for line in p.card.lines]
    assert not any("…" in line for line in lines)
    # Six long texts laid out, each wrapped at the base size and at the floor size only, not
    # at each of the eight sizes between (48 wraps).
    assert len(calls) <= 2 * 6
    html = _artifact(journey, HTML_ONLY, "cards.html")
    parser = _Text()
    parser.feed(html.decode("utf-8"))
    shown = "".join("".join(parser.parts).split())
    assert f"B{word}" in shown and f"T{word}" in shown
    assert "".join(note.split()) in shown
    customer = [text for kind, text in _cards(html) if kind == "customer"]
    assert len(customer) > 3 and "CUSTOMER · CONTINUED" in customer[1]


@pytest.mark.parametrize(("per_page", "slots"), [(1, 1), (2, 2), (4, 4)])
def test_duplex_order_counts_and_long_edge_mirroring(per_page: int, slots: int) -> None:
    journey = _journey(scenarios=3)
    plays = collect(journey, "authored")
    geometry = Geometry("a4", per_page)
    plain = build_deck(journey, plays, geometry, duplex=False)
    deck = build_deck(journey, plays, geometry, duplex=True)
    fronts = -(-deck.card_count // slots)
    facilitator = sum(1 for s in deck.sheets if s.kind == "facilitator")
    assert deck.card_count == 9
    assert len(plain.sheets) == facilitator + fronts
    padded = facilitator + facilitator % 2
    assert len(deck.sheets) == padded + 2 * fronts
    kinds = [s.kind for s in deck.sheets[padded:]]
    assert kinds == ["front", "back"] * fronts
    for front, back in zip(deck.sheets[padded::2], deck.sheets[padded + 1 :: 2], strict=True):
        assert len(front.cards) == len(back.cards)
        for f, b in zip(front.cards, back.cards, strict=True):
            assert b.card.kind == f.card.kind
            assert b.y == f.y
            assert b.x == pytest.approx(front.width - f.x - f.card.width, abs=0.01)


def test_filters_and_deterministic_shuffle() -> None:
    journey = journeymap.load(EXAMPLES / "bank.yaml")
    plays = collect(journey)
    assert all(p.difficulty == "hard" for p in select(plays, difficulty="hard"))
    assert {p.stage.id for p in select(plays, stage="verify") if p.stage} == {"verify"}
    assert all(
        p.persona is None or p.persona.id == "student" for p in select(plays, persona="student")
    )
    once, again = select(plays, shuffle=7), select(plays, shuffle=7)
    assert [p.id for p in once] == [p.id for p in again] != [p.id for p in plays]
    with pytest.raises(ValueError, match="newcomer, student, switcher"):
        render(journey, CardOptions(persona="nobody"))


def test_hostile_text_is_printed_literally_in_html() -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }} {% raw %} http://example.com/x.png"
    html = _artifact(_journey(title=hostile, brief=hostile), HTML_ONLY, "cards.html").decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and ">49" not in html and " 49 " not in html
    assert "src=" not in html and "url(" not in html


def test_templates_are_overridable(tmp_path: Path) -> None:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "cards.html.j2").write_text(
        "<p>{{ deck.title }} has {{ deck.card_count }} cards</p>\n", encoding="utf-8"
    )
    html = _artifact(
        _journey(title="<b>x</b>"), CardOptions(formats=("html",), templates=tmp_path), "cards.html"
    )
    assert html.decode() == "<p>&lt;b&gt;x&lt;/b&gt; has 12 cards</p>\n"


@pytest.mark.exe
def test_pdf_has_every_title_is_deterministic_and_literal() -> None:
    from pypdf import PdfReader

    journey = journeymap.load(EXAMPLES / "bank.yaml")
    options = CardOptions(duplex=True)
    first = render(journey, options)
    second = render(journey, options)
    assert [a.data for a in first.artifacts] == [a.data for a in second.artifacts]
    pdf = next(a.data for a in first.artifacts if a.name == "cards.pdf")
    reader = PdfReader(io.BytesIO(pdf))
    text = _norm(" ".join(page.extract_text() for page in reader.pages))
    for play in collect(journey):
        assert _norm(play.title).replace("…", "") in text.replace("…", "")
    deck = build_deck(journey, collect(journey), Geometry("a4", 4), True)
    assert len(reader.pages) == len(deck.sheets)
    hostile = "<script>alert(1)</script> {{ 7*7 }}"
    pdf = _artifact(_journey(title=hostile), CardOptions(formats=("pdf",)), "cards.pdf")
    assert hostile in _norm(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


@pytest.mark.exe
@pytest.mark.browser
@pytest.mark.parametrize("per_page", [1, 2, 4])
def test_no_card_overflows_in_chromium(tmp_path: Path, per_page: int) -> None:
    from tests.chromium import evaluate

    journey = journeymap.load(EXAMPLES / "bank.yaml")
    page = tmp_path / "cards.html"
    page.write_bytes(
        _artifact(journey, CardOptions(formats=("html",), per_page=per_page), "cards.html")
    )
    result = evaluate(
        page,
        """
        const bad = []; let lines = 0;
        const range = document.createRange();
        for (const card of document.querySelectorAll('.card')) {
          const box = card.getBoundingClientRect();
          const pad = card.querySelector('.band').getBoundingClientRect().left - box.left - 1;
          const inside = r => r.left >= box.left + pad && r.right <= box.right - pad &&
                              r.top >= box.top + pad && r.bottom <= box.bottom - pad;
          for (const line of card.querySelectorAll('p')) {
            range.selectNodeContents(line);
            const rects = [...range.getClientRects()].filter(r => r.width > 0);
            if (line.dataset.text !== undefined) rects.push(line.getBoundingClientRect());
            lines += rects.length;
            if (!rects.every(inside)) bad.push(line.textContent || line.dataset.text);
          }
        }
        return {bad: bad.slice(0, 5), lines: lines,
                cards: document.querySelectorAll('.card').length};
        """,
        width=1200,  # wider than a sheet: the sheets as printed (a phone shows cards alone)
    )
    assert result["lines"] > 100
    assert result["bad"] == []


def test_cli_usage_errors_and_output(tmp_path: Path) -> None:
    from journeymap.commands.cli import main

    bank = str(EXAMPLES / "bank.yaml")
    assert main(["cards", bank, "-o", str(tmp_path), "--stage", "nowhere"]) == 2
    assert (
        main(["cards", bank, "-o", str(tmp_path), "--format", "html", "--difficulty", "hard"]) == 0
    )
    html = (tmp_path / "bank" / "cards.html").read_text(encoding="utf-8")
    assert "A new arrival calls after the ID check failed" in html
    assert not (tmp_path / "bank" / "cards.pdf").exists()
