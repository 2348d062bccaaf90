"""The deck: cards laid out once, drawn as ``cards.html`` and as SVG pages for ``cards.pdf``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from journeymap.model.journey import Journey
from journeymap.render.cards import html, layout, scenarios
from journeymap.render.cards.layout import Card, Frame, Geometry, Line, Sheet
from journeymap.render.cards.scenarios import Play
from journeymap.render.cards.text import Section
from journeymap.render.map.svg import num
from journeymap.render.options import Artifact, RenderResult
from journeymap.text import fit
from journeymap.text.locale import Messages, localised, messages

if TYPE_CHECKING:
    from markupsafe import Markup

CARD_FORMATS: tuple[str, ...] = ("html", "pdf")
ROLES: tuple[str, ...] = ("customer", "staff", "observer")
_FILLS: dict[str, str] = {
    "title": "#111111",
    "strong": "#111111",
    "heading": "#555555",
    "text": "#222222",
    "quote": "#00466E",
    "bullet": "#222222",
    "bullet-mark": "#777777",
    "footer": "#6A6A6A",
    "band": "#FFFFFF",
    "back-role": "#111111",
    "back-title": "#222222",
}


@dataclass(frozen=True)
class CardOptions:
    """Choices for a card deck."""

    paper: str = "a4"
    per_page: int = 4
    #: Put a back (scenario title and role) behind every card, for long-edge duplex printing.
    duplex: bool = False
    #: ``authored``, ``generated`` or ``all`` scenarios.
    source: str = "all"
    persona: str | None = None
    stage: str | None = None
    difficulty: str | None = None
    #: Seed for a deterministic shuffle; None keeps journey order.
    shuffle: int | None = None
    #: A folder searched for templates before the built-in ones.
    templates: Path | None = None
    formats: tuple[str, ...] = CARD_FORMATS
    #: Seconds rsvg-convert may run.
    timeout: float = 60.0
    #: Generated scenarios open with a real (masked) customer comment where the evidence has one.
    comments: bool = True


@dataclass(frozen=True)
class Deck:
    """Every page of the deck in print order, and what the templates need to know."""

    title: str
    #: The journey's language tag, its direction (``ltr``/``rtl``) and the page title.
    lang: str
    dir: str
    heading: str
    sheets: tuple[Sheet, ...]
    width_mm: float
    height_mm: float
    scenario_count: int
    card_count: int


def check_options(journey: Journey, options: CardOptions) -> None:
    """Raise ValueError naming the valid choices when an option does not fit the journey."""
    if options.source not in scenarios.SOURCES:
        raise ValueError(f"source must be one of {', '.join(scenarios.SOURCES)}")
    if options.difficulty is not None and options.difficulty not in scenarios.DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {', '.join(scenarios.DIFFICULTIES)}")
    unknown = [f for f in options.formats if f not in CARD_FORMATS]
    if unknown or not options.formats:
        raise ValueError(f"formats must be among {', '.join(CARD_FORMATS)}")
    personas = [p.id for p in journey.personas]
    if options.persona is not None and options.persona not in personas:
        raise ValueError(
            f"unknown persona {options.persona!r}; this journey has: {', '.join(personas)}"
        )
    stages = [s.id for s in journey.stages]
    if options.stage is not None and options.stage not in stages:
        raise ValueError(f"unknown stage {options.stage!r}; this journey has: {', '.join(stages)}")
    Geometry(options.paper, options.per_page)


def render(journey: Journey, options: CardOptions) -> RenderResult:
    """``cards.html`` and/or ``cards.pdf`` for the journey's scenarios (pure: returns bytes).

    Raises ValueError for options that do not fit the journey, and RenderError or
    ToolMissingError when the PDF cannot be made.
    """
    from journeymap.render.templating import environment

    journey = localised(journey)
    check_options(journey, options)
    plays = scenarios.select(
        scenarios.collect(journey, options.source, options.comments),
        persona=options.persona,
        stage=options.stage,
        difficulty=options.difficulty,
        shuffle=options.shuffle,
    )
    deck = build_deck(journey, plays, Geometry(options.paper, options.per_page), options.duplex)
    result = RenderResult()
    if not plays:
        result.warnings.append("no scenario matches the filters; the deck has only its cover")
    result.warnings.extend(fit.missing_glyph_warnings(_all_text(deck)))
    env = environment(options.templates)
    context: dict[str, object] = {
        "deck": deck,
        "n": num,
        "fills": _FILLS,
        "font": fit.FONT_FAMILY,
        "family_for": fit.family_for,
    }
    if "html" in options.formats:
        context["rules"], context["bodies"] = page_parts(deck)
        page = env.get_template("cards/cards.html.j2").render(context)
        result.artifacts.append(Artifact("cards.html", page.encode("utf-8")))
    if "pdf" in options.formats:
        from journeymap.output import convert, pdfwrite

        template = env.get_template("cards/sheet.svg.j2")
        pages = [template.render(context, sheet=sheet).encode("utf-8") for sheet in deck.sheets]
        pdf = pdfwrite.svgs_to_pdf(pages) or convert.svgs_to_pdf(pages, timeout=options.timeout)
        result.artifacts.append(Artifact("cards.pdf", pdf))
    return result


def page_parts(deck: Deck) -> tuple[Markup, list[Markup]]:
    """The style rules of ``cards.html`` and the cards and marks of each sheet (text escaped),
    made here rather than in the template: the sandbox checks every attribute a template
    reads, which for the lines of a large deck was most of its time."""
    from markupsafe import Markup

    page = html.Page(deck.sheets, _FILLS, deck.dir == "rtl")
    rules, named = page.styles.finish([page.sheet(sheet) for sheet in deck.sheets])
    return Markup(rules), [Markup(part) for part in named]


def _all_text(deck: Deck) -> str:
    return "\n".join(
        line.text for sheet in deck.sheets for placed in sheet.cards for line in placed.card.lines
    )


def _numbers(m: Messages, kind: str, first: int, count: int) -> str:
    if count == 1:
        return m(f"handout.{kind}.one", first=first)
    return m(f"handout.{kind}.many", first=first, last=first + count - 1)


def build_deck(journey: Journey, plays: list[Play], geometry: Geometry, duplex: bool) -> Deck:
    """Lay out every card, number them, then the facilitator sheet that refers to them."""
    m = messages(journey.lang)
    frame = layout.card_frame(geometry)
    fronts: list[Card] = []
    backs: list[Card] = []
    handouts: list[list[str]] = []
    total = len(plays)
    for index, play in enumerate(plays, start=1):
        handout = []
        # One body size for the scenario's cards: the smallest that fits each on one card.
        size = min(layout.fitting_size(play.title, getattr(play, kind), frame) for kind in ROLES)
        for kind in ROLES:
            role = m(f"role.{kind}")
            sections: tuple[Section, ...] = getattr(play, kind)
            parts = layout.flow(play.title, sections, frame, size)
            first = len(fronts) + 1
            handout.append(_numbers(m, kind, first, len(parts)))
            for part, lines in enumerate(parts):
                number = first + part
                label = role.upper() + (f" · {m('card.continued').upper()}" if part else "")
                meta = [m("card.scenario_of", index=index, total=total), *_meta(m, play)]
                if part + 1 < len(parts):
                    meta.insert(0, m("card.continues_on", number=number + 1))
                elif part:
                    meta.insert(0, m("card.continued_from", number=number - 1))
                card_lines = (
                    *layout.band_lines(frame, label, m("card.number", number=number)),
                    *lines,
                    *layout.footer_lines(frame, m("list.sep").join(meta)),
                )
                colour = layout.ROLE_COLOURS[kind]
                fronts.append(_card(kind, frame, card_lines, colour))
                backs.append(_back(m, frame, kind, role, play.title, index, number, part > 0))
        handouts.append(handout)
    pages = _facilitator(m, journey, plays, handouts, geometry, len(fronts))
    if duplex and len(pages) % 2:
        pages.append(Sheet(geometry.page_w, geometry.page_h, "blank", (), (), *geometry.mm))
    sheets = pages + layout.sheets_for(fronts, geometry, backs if duplex else None)
    heading = m("cards.title", title=journey.title)
    deck = (journey.title, journey.lang, m.direction, heading, tuple(sheets))
    return Deck(*deck, *geometry.mm, total, len(fronts))


def _meta(m: Messages, play: Play) -> list[str]:
    minutes = m("card.minutes", minutes=play.duration_minutes)
    return [m(f"difficulty.{play.difficulty}"), minutes]


def _card(kind: str, frame: Frame, lines: tuple[Line, ...], colour: str) -> Card:
    return Card(kind, frame.width, frame.height, frame.pad, frame.band, lines, colour)


def _back(
    m: Messages,
    frame: Frame,
    kind: str,
    role: str,
    title: str,
    index: int,
    number: int,
    continued: bool,
) -> Card:
    """The back of a card: its role, large, and the scenario title, centred (left out when
    it does not fit even at the floor size: the front has it in full)."""
    role_size = 2.0 * frame.base
    middle = frame.height / 2 - 2.5 * frame.base
    lines = layout.centred(frame, role, middle, role_size, "back-role", True)
    top = lines[-1].y + lines[-1].pitch + frame.base
    label_size = 0.8 * frame.base
    room = frame.height - frame.pad - top - 2 * frame.base - label_size * 1.3
    lines += layout.centred_fit(frame, title, top, room, 1.1 * frame.base, "back-title")
    label = m("card.back", index=index, number=number)
    label += f" · {m('card.continued')}" if continued else ""
    label_y = lines[-1].y + lines[-1].pitch + 2 * frame.base
    lines += layout.centred(frame, label, label_y, label_size, "footer", False)
    band = layout.band_lines(frame, role.upper(), "")[:1]
    return _card(kind, frame, (*band, *lines), layout.ROLE_COLOURS[kind])


def _facilitator(
    m: Messages,
    journey: Journey,
    plays: list[Play],
    handouts: list[list[str]],
    geometry: Geometry,
    card_count: int,
) -> list[Sheet]:
    """The facilitator sheet: how to run the session, then every scenario with its cards."""
    frame = layout.page_frame(geometry)
    intro = m(
        "facilitator.intro",
        scenarios=m.count("count.scenarios", len(plays)),
        cards=m.count("count.cards", card_count),
        title=m.quote(journey.title),
    )
    sections = [
        Section(paragraphs=(m.sentences([intro, m("facilitator.cut")]),)),
        Section(
            m("head.run"),
            bullets=(m("facilitator.read"), m("facilitator.time"), m("facilitator.debrief")),
        ),
    ]
    if not plays:
        sections.append(Section(paragraphs=(m("facilitator.none"),)))
    for index, (play, handout) in enumerate(zip(plays, handouts, strict=True), start=1):
        facts = []
        if play.stage is not None:
            facts.append(m("facilitator.stage", stage=play.stage.name))
        if play.touchpoint is not None:
            facts.append(m("facilitator.moment", touchpoint=play.touchpoint.name))
        facts.append(m("facilitator.difficulty", difficulty=m(f"difficulty.{play.difficulty}")))
        facts.append(m.count("count.minutes", play.duration_minutes))
        if play.persona is not None and not play.persona.implicit:
            facts.append(m("facilitator.customer", name=play.persona.name))
        facts.append(m(f"facilitator.{play.source}"))
        hand_out = m("facilitator.hand_out", cards=m.join(handout))
        real = play.real_comment
        said: tuple[str, ...] = ()
        if real is not None:
            where = {"source": m.quote(real.source)}
            dated = real.comment.date
            said = (
                m("facilitator.real_comment_dated", **where, date=dated)
                if dated
                else m("facilitator.real_comment", **where),
            )
        sections.append(
            Section(
                paragraphs=(m("list.sep").join(facts), *said, hand_out),
                strong=f"{index}. {play.title}",
                keep=True,
            )
        )
        if play.debrief:
            sections.append(
                Section(m("head.debrief"), bullets=play.debrief, keep=True, joined=True)
            )
    parts = layout.flow(m("head.facilitator"), tuple(sections), frame)
    sheets = []
    for number, lines in enumerate(parts, start=1):
        page = m("facilitator.page", page=number, pages=len(parts))
        band = layout.band_lines(frame, m("role.facilitator").upper(), page)
        card = _card("facilitator", frame, (*band, *lines), layout.ROLE_COLOURS["facilitator"])
        sheets.append(
            Sheet(
                geometry.page_w,
                geometry.page_h,
                "facilitator",
                (layout.Placed(0.0, 0.0, card),),
                (),
                *geometry.mm,
            )
        )
    return sheets
