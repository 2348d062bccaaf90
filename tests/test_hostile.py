"""Hostile text through every output: shown literally, never markup, never a template.

Each file in ``tests/cases/hostile/`` is a valid journey whose every free-text field carries
one payload (SVG/HTML markup, Jinja syntax, mathtext, DOT syntax, XML specials, control and
bidi characters, emoji and CJK, a 5,000-character word). Every output is parsed back (XML
for SVG, ``html.parser`` for the cards page, ``dot -Tjson`` for DOT, pypdf for PDFs) and
checked for the text, literally, and for anything injected.
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

import journeymap
from journeymap.model.journey import Journey
from journeymap.output.graphviz import run_dot
from journeymap.render.cards import CardOptions
from journeymap.render.cards import render as render_cards
from journeymap.render.flow.dot import flow_edges
from journeymap.render.options import RenderOptions
from journeymap.render.pipeline import render_journey

HOSTILE = Path(__file__).parent / "cases" / "hostile"
CASES = sorted(p.stem for p in HOSTILE.glob("*.yaml"))
#: The 5,000-character word makes every renderer slow; it runs with the slow tests.
FAST = [c for c in CASES if c != "longword"]
PARAMS = [*FAST, pytest.param("longword", marks=pytest.mark.slow)]

Field = Callable[[Journey], str]

#: What each output shows: the fields whose whole text must appear in it.
TITLE: dict[str, Field] = {"title": lambda j: j.title}
NAMES: dict[str, Field] = {
    "stage one": lambda j: j.stages[0].name,
    "stage two": lambda j: j.stages[1].name,
    "touchpoint one": lambda j: j.touchpoints[0].name,
    "touchpoint two": lambda j: j.touchpoints[1].name,
    "touchpoint three": lambda j: j.touchpoints[2].name,
}
PERSONAS: dict[str, Field] = {
    "persona": lambda j: j.personas[0].name,
    "second persona": lambda j: j.personas[1].name,
}
MAP_FIELDS: dict[str, Field] = {
    **TITLE,
    **NAMES,
    **PERSONAS,
    "summary": lambda j: j.summary or "",
    "owner": lambda j: j.owner or "",
    "role": lambda j: j.personas[0].role or "",
    "goal": lambda j: j.personas[0].goals[0],
    "quote": lambda j: j.personas[0].quote or "",
    "stage goal": lambda j: j.stages[0].goal or "",
    "channel": lambda j: j.touchpoints[0].channel_name or "",
    "free channel": lambda j: j.touchpoints[1].channel_name or "",
    "action": lambda j: j.touchpoints[0].action or "",
    "thought": lambda j: j.touchpoints[0].thought or "",
    "pain": lambda j: j.touchpoints[0].pain_points[0].text,
    "pain owner": lambda j: j.touchpoints[0].pain_points[0].owner or "",
    "opportunity": lambda j: j.touchpoints[0].opportunities[0].text,
    "metric": lambda j: next(iter(j.touchpoints[0].metrics)),
    "tp owner": lambda j: j.touchpoints[0].owner or "",
    "backstage": lambda j: j.touchpoints[0].backstage or "",
}
CURVE_FIELDS: dict[str, Field] = {**TITLE, **NAMES, **PERSONAS}
FLOW_FIELDS: dict[str, Field] = {
    **TITLE,
    **NAMES,
    "channel": MAP_FIELDS["channel"],
    "free channel": MAP_FIELDS["free channel"],
}
#: Card fields that carry the role-play itself (the rest are headers, shortened when long).
CARD_BODY: dict[str, Field] = {
    "brief": lambda j: j.scenarios[0].customer_brief or "",
    "opening": lambda j: j.scenarios[0].opening_line or "",
    "objective": lambda j: j.scenarios[0].staff_objective or "",
    "guidance": lambda j: j.scenarios[0].guidance[0],
    "avoid": lambda j: j.scenarios[0].avoid[0],
    "debrief": lambda j: j.scenarios[0].debrief[0],
}
CARD_FIELDS: dict[str, Field] = {
    **TITLE,
    **CARD_BODY,
    "scenario": lambda j: j.scenarios[0].title,
    "persona": PERSONAS["persona"],
    "role": MAP_FIELDS["role"],
    "description": lambda j: j.personas[0].description or "",
    "touchpoint one": NAMES["touchpoint one"],
    "stage one": NAMES["stage one"],
}

#: Elements that run code, load something or nest a document: never in our output.
FORBIDDEN_TAGS = {
    "script",
    "foreignobject",
    "iframe",
    "object",
    "embed",
    "img",
    "image",
    "a",
    "audio",
    "video",
    "animate",
    "set",
    "handler",
    "link",
}
SVG_NS = "{http://www.w3.org/2000/svg}"


@cache
def journey(case: str) -> Journey:
    """The validated journey of one hostile case."""
    return journeymap.load(HOSTILE / f"{case}.yaml")


@cache
def outputs(case: str) -> dict[str, bytes]:
    """Every output of one case by file name, and ``errors``, rendered once per session."""
    j = journey(case)
    result, errors = render_journey(j, RenderOptions(formats=("svg", "pdf", "png", "dot")))
    files = {a.name: a.data for a in result.artifacts}
    files.update({a.name: a.data for a in render_cards(j, CardOptions()).artifacts})
    files["errors"] = "\n".join(errors).encode()
    return files


def squash(text: str) -> str:
    """``text`` without whitespace (outputs wrap lines wherever they like)."""
    return re.sub(r"\s+", "", text)


def svg_text(root: ET.Element) -> str:
    """Every text node of an SVG, in document order."""
    return "".join(root.itertext())


class _Html(HTMLParser):
    """Tags, attributes and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def pdf_text(data: bytes) -> str:
    """The text of every page, read back with pypdf (which keeps hyphens at line ends)."""
    return "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(data)).pages)


_BIDI_RUN = re.compile("[\u202a-\u202e].*?\u202c|[\u2066-\u2068].*?\u2069")


def pdf_words(text: str) -> list[str]:
    """The parts of ``text`` a PDF text extractor can give back in logical order.

    Emoji without a glyph come back as hex boxes, explicit bidi runs come back reordered
    and Arabic comes back in visual order, so these are left out; what stays must be there.
    """
    text = _BIDI_RUN.sub(" ", unicodedata.normalize("NFC", text))
    kept = "".join(
        " " if unicodedata.category(c)[0] in "CSZM" or "\u0600" <= c <= "\u06ff" else c
        for c in text
    )
    return kept.split()


def _plain(text: str) -> bool:
    """True when a PDF read-back can hold ``text`` whole (no emoji, bidi or controls)."""
    return pdf_words(text) == text.split()


#: Map fields clamped when long: the SVG keeps them whole in a <title>, a PDF shows the start.
MAP_CLAMPED = frozenset({"action", "thought", "pain", "opportunity", "backstage", "goal", "quote"})


def assert_shows(
    case: str,
    shown: str,
    fields: dict[str, Field],
    pdf: bool = False,
    clamped: frozenset[str] = frozenset(),
) -> None:
    """Each field's whole text is in ``shown`` (whitespace ignored; PDFs compared in NFC);
    of a ``clamped`` field a PDF need only show the first 12 characters."""
    flat = squash(unicodedata.normalize("NFC", shown) if pdf else shown)
    missing = []
    for name, get in fields.items():
        expected = get(journey(case))
        if pdf and name in clamped and _plain(expected):
            if squash(expected)[:12] not in flat:
                missing.append(name)
        elif pdf and not _plain(expected):
            if not all(word in flat for word in pdf_words(expected)):
                missing.append(name)
        elif squash(expected) not in flat:
            missing.append(name)
    assert not missing, f"{case}: not shown literally: {missing}"


def assert_clean_svg(data: bytes) -> ET.Element:
    """Parse an SVG and check nothing executable or foreign was injected; the root."""
    root = ET.fromstring(data)
    assert root.tag == f"{SVG_NS}svg"
    tags = [e.tag.rsplit("}", 1)[-1].lower() for e in root.iter()]
    assert tags.count("svg") == 1, "a nested <svg> was injected"
    assert not FORBIDDEN_TAGS & set(tags), FORBIDDEN_TAGS & set(tags)
    assert tags.count("style") <= 1
    for element in root.iter():
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), f"event attribute {name} injected"
            assert "javascript:" not in value.lower(), f"{name}={value!r}"
            if local == "href":
                assert value.startswith("#"), f"href to {value!r}"
    return root


@pytest.mark.exe
@pytest.mark.parametrize("case", PARAMS)
def test_every_output_renders(case: str) -> None:
    files = outputs(case)
    assert files["errors"] == b""
    expected = {"flow.dot", "cards.html", "cards.pdf"} | {
        f"{kind}.{fmt}" for kind in ("map", "curve", "flow") for fmt in ("svg", "pdf", "png")
    }
    assert expected <= set(files)
    for name, data in files.items():
        if name.endswith(".png"):
            assert data.startswith(b"\x89PNG\r\n\x1a\n"), name
        if name.endswith(".pdf"):
            assert len(pypdf.PdfReader(BytesIO(data)).pages) >= 1, name


@pytest.mark.exe
@pytest.mark.parametrize("case", PARAMS)
def test_map_shows_text_literally_and_injects_nothing(case: str) -> None:
    files = outputs(case)
    assert "map.svg" in files, files["errors"].decode()
    root = assert_clean_svg(files["map.svg"])
    assert_shows(case, svg_text(root), MAP_FIELDS)
    assert_shows(case, pdf_text(files["map.pdf"]), MAP_FIELDS, pdf=True, clamped=MAP_CLAMPED)


@pytest.mark.exe
@pytest.mark.parametrize("case", PARAMS)
def test_curve_shows_text_literally_and_injects_nothing(case: str) -> None:
    files = outputs(case)
    root = assert_clean_svg(files["curve.svg"])
    assert_shows(case, svg_text(root), CURVE_FIELDS)
    assert_shows(case, pdf_text(files["curve.pdf"]), CURVE_FIELDS, pdf=True)


@pytest.mark.exe
@pytest.mark.parametrize("case", PARAMS)
def test_flow_graph_keeps_its_shape(case: str) -> None:
    """``dot`` reads back exactly our nodes, clusters and edges, with no link or image."""
    j = journey(case)
    graph = json.loads(run_dot(outputs(case)["flow.dot"].decode("utf-8"), "json"))
    objects = graph["objects"]
    names = sorted(o["name"] for o in objects)
    nodes = [f"n{i}" for i in range(len(j.touchpoints))]
    clusters = [f"cluster_{i}" for i in range(len(j.stages))]
    assert names == sorted(nodes + clusters)
    by_id = {o["_gvid"]: o["name"] for o in objects}
    edges = sorted((by_id[e["tail"]], by_id[e["head"]]) for e in graph["edges"])
    assert edges == sorted((f"n{a}", f"n{b}") for a, b in flow_edges(j))
    for obj in [graph, *objects, *graph["edges"]]:
        assert not {"URL", "href", "image", "shapefile", "fontpath"} & set(obj)


@pytest.mark.exe
@pytest.mark.parametrize("case", PARAMS)
def test_flow_shows_text_literally_and_injects_nothing(case: str) -> None:
    files = outputs(case)
    root = assert_clean_svg(files["flow.svg"])
    assert_shows(case, svg_text(root), FLOW_FIELDS)
    clamped = frozenset(FLOW_FIELDS) - {"title"}  # fixed-width nodes; whole in their <title>
    assert_shows(case, pdf_text(files["flow.pdf"]), FLOW_FIELDS, pdf=True, clamped=clamped)


def _card_page(case: str) -> _Html:
    page = _Html()
    page.feed(outputs(case)["cards.html"].decode("utf-8"))
    page.close()
    return page


@pytest.mark.exe
@pytest.mark.parametrize("case", PARAMS)
def test_cards_inject_nothing(case: str) -> None:
    page = _card_page(case)
    tags = [tag for tag, _ in page.tags]
    assert not FORBIDDEN_TAGS & set(tags), FORBIDDEN_TAGS & set(tags)
    assert tags.count("style") == 1 and tags.count("svg") == 0 and tags.count("title") == 1
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), f"<{tag} {name}> injected"
            assert "javascript:" not in (value or "").lower()


@pytest.mark.exe
@pytest.mark.parametrize("case", FAST)
def test_cards_show_text_literally(case: str) -> None:
    assert_shows(case, "".join(_card_page(case).text), CARD_FIELDS)
    assert_shows(case, pdf_text(outputs(case)["cards.pdf"]), CARD_FIELDS, pdf=True)


@pytest.mark.exe
@pytest.mark.slow
def test_cards_keep_every_character_of_a_long_word() -> None:
    assert_shows("longword", "".join(_card_page("longword").text), CARD_BODY)


@pytest.mark.exe
def test_templates_are_never_evaluated() -> None:
    """Jinja syntax comes out as typed: ``{{ 7*7 }}`` never becomes ``49``, comments stay."""
    files = outputs("template")
    shown = [svg_text(ET.fromstring(files[name])) for name in ("map.svg", "curve.svg", "flow.svg")]
    shown.append("".join(_card_page("template").text))
    for text in shown:
        assert "{{ 7*7 }}" in text and "{# hidden #}" in text and "{{ self.__init__" in text
        assert "49" not in text and "<function" not in text


@pytest.mark.exe
def test_outputs_are_deterministic() -> None:
    """The same hostile journey twice gives the same bytes in every vector format."""
    j = journey("markup")
    again, _ = render_journey(j, RenderOptions(formats=("svg", "dot")))
    first = outputs("markup")
    for artifact in again.artifacts:
        assert artifact.data == first[artifact.name], artifact.name
