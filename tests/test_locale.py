"""Message catalogs, the ``lang`` field, and outputs with no English built-in word."""

from __future__ import annotations

import html
import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel import Locale

import journeymap
from journeymap.check.validate import validate_file
from journeymap.model.journey import SEVERITIES
from journeymap.model.lang import LANGUAGES
from journeymap.render.cards import CardOptions
from journeymap.render.cards import render as render_cards
from journeymap.render.map.svg import render_svg
from journeymap.render.options import RenderOptions
from journeymap.text.locale import CATALOGS, FSI, LRI, PDI, RLI, catalog, messages

#: A journey whose every user word is a made-up token (Q1, Q2, ...), so any real word
#: in its outputs is one of journeymap's own.
JOURNEY = """\
journeymap: 1
title: Qa
lang: {lang}
summary: Qb
personas:
  - {{id: p1, name: Qc, role: Qd, goals: [Qe], needs: [Qf], frustrations: [Qg], quote: Qh}}
  - {{id: p2, name: Qi}}
channels: [{{id: c1, name: Qj}}]
stages:
  - name: Qk
    goal: Ql
    touchpoints:
      - name: Qm
        channel: c1
        action: Qn
        thought: Qo
        emotion: {{p1: -2, p2: 1}}
        moment_of_truth: true
        owner: Qp
        backstage: Qq
        metrics: {{Qr: 4.5}}
        pain_points:
          - {{text: Qs, severity: critical, owner: Qt}}
          - {{text: Qu, severity: low}}
        opportunities: [Qv]
  - name: Qw
    touchpoints:
      - name: Qx
        emotion: {{p1: -3}}
        pain_points: [{{text: Qy, severity: medium}}, {{text: Qz, severity: high}}]
scenarios:
  - title: Qaa
    touchpoint: qx
    persona: p1
    customer: {{brief: Qab, opening_line: Qac}}
    staff: {{objective: Qad, guidance: [Qae], avoid: [Qaf]}}
    debrief: [Qag]
"""
#: Words that are the same in English and elsewhere, or not words at all.
_NEUTRAL = {"journeymap", "html", "pdf", "min", "moment", "scenario", "personas", "neutral"}
_WORD = re.compile(r"[^\W\d_]{3,}")


def _placeholders(message: object) -> set[str]:
    forms = message.values() if isinstance(message, dict) else [message]
    return {
        name
        for form in forms
        for _, name, _, _ in string.Formatter().parse(str(form))
        if name is not None
    }


def test_catalog_files_are_the_languages() -> None:
    assert sorted(p.stem for p in CATALOGS.glob("*.json")) == sorted(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_message_with_its_slots(lang: str) -> None:
    english, own = catalog("en"), catalog(lang)
    assert sorted(own) == sorted(english), f"{lang}: missing or extra message ids"
    categories = {"other", *Locale.parse(lang).plural_form.tags}
    for key, message in english.items():
        theirs = own[key]
        assert isinstance(theirs, dict) == isinstance(message, dict), key
        if isinstance(theirs, dict):
            assert set(theirs) == categories, f"{lang} {key}: plural forms {sorted(theirs)}"
        slots = _placeholders(message) - {"n"}
        assert _placeholders(theirs) - {"n"} == slots, f"{lang} {key}: slots differ"


def test_plural_rules_numbers_lists_and_quotes_follow_the_language() -> None:
    de, pl, ar, ja = messages("de"), messages("pl"), messages("ar"), messages("ja")
    assert de.count("count.cards", 1) == "1 Karte"
    assert de.count("count.cards", 3) == "3 Karten"
    assert [pl.count("count.cards", n) for n in (1, 2, 5, 22)] == [
        "1 karta", "2 karty", "5 kart", "22 karty",
    ]  # fmt: skip
    assert ar.count("count.cards", 2) == "بطاقتان"
    assert de.number(1234.5) == "1.234,5"
    assert de.join(["a", "b", "c"]) == "a, b und c"
    assert de.quote("Hallo") == "„Hallo“"
    assert ja.quote("はい") == "「はい」"
    assert messages("fr").quote("oui") == "«\u00a0oui\u00a0»"
    assert ja.sentences(["一。", "二。"]) == "一。二。"


def test_user_text_is_isolated_in_right_to_left_languages_only() -> None:
    assert messages("en")("map.goal", goal="Pay") == "Goal: Pay"
    assert messages("he")("map.goal", goal="Apple Pay") == f"מטרה: {FSI}Apple Pay{PDI}"
    assert messages("en")("map.goal", goal="שלום") == f"Goal: {FSI}שלום{PDI}"


def test_a_slot_built_from_isolated_slots_keeps_the_language_direction() -> None:
    fa = messages("fa")
    person = fa("person.role", name="Sara", role="دانشجو، 23 ساله")
    assert person == f"{FSI}Sara{PDI} ({FSI}دانشجو، 23 ساله{PDI})"
    # FSI would find no strong letter outside the inner isolates and run it left to right
    assert fa("staff.arrives", customer=person) == f"{RLI}{person}{PDI} نزد شما می‌آید."
    en = messages("en")
    assert en("staff.arrives", customer=en("person.role", name="דנה", role="x")).startswith(LRI)


def test_region_tags_use_their_language_and_unknown_ones_fall_back() -> None:
    assert messages("pt-BR").language == "pt"
    assert messages("xx").language == "en"


def _validate(tmp_path: Path, lang: str) -> list[str]:
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(lang=lang), encoding="utf-8")
    return [str(d) for d in validate_file(path).diagnostics if d.level == "error"]


def test_unknown_language_is_a_located_error_listing_the_supported(tmp_path: Path) -> None:
    assert _validate(tmp_path, "pt-BR") == []
    (error,) = _validate(tmp_path, "xx")
    assert error.startswith(f"{tmp_path / 'j.yaml'}:3:7: error: lang 'xx'")
    assert ", ".join(LANGUAGES) in error
    (error,) = _validate(tmp_path, "'de de'")
    assert "not a BCP 47 language tag" in error


def _journey(tmp_path: Path, lang: str) -> journeymap.Journey:
    path = tmp_path / f"{lang}.yaml"
    path.write_text(JOURNEY.format(lang=lang), encoding="utf-8")
    return journeymap.load(path)


def _svg_text(svg: bytes) -> str:
    shown = ("text", "title", "desc")
    root = ET.fromstring(svg)
    return " ".join(e.text or "" for e in root.iter() if e.tag.rsplit("}", 1)[-1] in shown)


def _html_text(page: bytes) -> str:
    text = page.decode("utf-8")
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    attrs = " ".join(re.findall(r'data-text="([^"]*)"', text))
    return html.unescape(re.sub(r"<[^>]+>", " ", text) + " " + attrs)


def _english_words(lang: str) -> set[str]:
    """Words of the English catalog that the language's own catalog never uses."""

    def words(lang: str) -> set[str]:
        found: set[str] = set()
        for message in catalog(lang).values():
            for form in message.values() if isinstance(message, dict) else [message]:
                found |= {w.lower() for w in _WORD.findall(re.sub(r"\{\w+\}", " ", form))}
        return found

    return words("en") - words(lang) - _NEUTRAL


def _leftover_english(text: str, lang: str) -> set[str]:
    english = _english_words(lang)
    found = {w.lower() for w in _WORD.findall(text)}
    found = {w for w in found if not re.fullmatch(r"q[a-z]{1,2}", w)}
    return found & english


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_map_cards_and_their_html_show_no_english_word(tmp_path: Path, lang: str) -> None:
    journey = _journey(tmp_path, lang)
    svg = render_svg(journey, RenderOptions(formats=("svg",)))
    assert _leftover_english(_svg_text(svg), lang) == set()
    from journeymap.render.flow.svg import render_svg as flow_svg

    flow = flow_svg(journey, RenderOptions(formats=("svg",)))
    assert _leftover_english(_svg_text(flow), lang) == set()
    deck = render_cards(journey, CardOptions(formats=("html",)))
    page = deck.artifacts[0].data
    assert f'lang="{lang}"'.encode() in page
    assert _leftover_english(_html_text(page), lang) == set()
    assert len("".join(_html_text(page).split())) > 1000  # the cards are there, in words


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_site_journey_page_shows_no_english_word(tmp_path: Path, lang: str) -> None:
    from journeymap.site.pages import journey_page

    journey = _journey(tmp_path, lang)
    files = ["curve.svg", "flow.svg", "cards.html", "cards.pdf"]
    page = journey_page(journey, tmp_path, files, None, ["Qnote"])
    direction = "rtl" if lang in ("ar", "he", "fa", "ur") else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">'.encode() in page
    text = _html_text(re.sub(rb"<ul class=\"files\">.*?</ul>", b"", page, flags=re.S))
    assert _leftover_english(text, lang) == set()


def test_english_words_are_found_when_they_are_there(tmp_path: Path) -> None:
    svg = render_svg(_journey(tmp_path, "en"), RenderOptions(formats=("svg",)))
    assert {"touchpoints", "legend", "goal"} <= _leftover_english(_svg_text(svg), "de")


def _rtl_journey(tmp_path: Path, lang: str) -> journeymap.Journey:
    text = JOURNEY.format(lang=lang).replace("title: Qa", "title: שלום Apple Pay")
    path = tmp_path / f"{lang}.yaml"
    path.write_text(text, encoding="utf-8")
    return journeymap.load(path)


def _placed(root: ET.Element) -> dict[str, tuple[float, float]]:
    """Element id -> absolute x of its group's left edge and the group's width."""
    found: dict[str, tuple[float, float]] = {}
    for group in root.iter(f"{{{SVG_NS}}}g"):
        gid, move = group.get("id"), group.get("transform", "")
        rect = group.find(f"{{{SVG_NS}}}rect")
        if gid and move.startswith("translate(") and rect is not None:
            x = float(move[len("translate(") :].split()[0])
            found[gid] = (x, float(rect.get("width", "0")))
    return found


SVG_NS = "http://www.w3.org/2000/svg"


@pytest.mark.parametrize("lang", ["ar", "he", "fa", "ur"])
def test_right_to_left_maps_are_mirrored(tmp_path: Path, lang: str) -> None:
    svg = render_svg(_rtl_journey(tmp_path, lang), RenderOptions(formats=("svg",)))
    root = ET.fromstring(svg)
    width = float(root.get("width", "0"))
    boxes = _placed(root)
    first, second = boxes[f"jm-{lang}-stage-qk"], boxes[f"jm-{lang}-stage-qw"]
    assert first[0] > second[0], "the first stage is the rightmost column"
    label = boxes[f"jm-{lang}-lane-touchpoints"]
    assert label[0] + label[1] == pytest.approx(width - 24)
    cells = [box for gid, box in boxes.items() if "-touchpoints-" in gid]
    assert cells and all(x + w <= label[0] + 0.01 for x, w in cells), "lane labels on the right"
    card = boxes[f"jm-{lang}-persona-p1"]
    assert card[0] + card[1] == pytest.approx(width - 24), "persona cards on the right"
    for text in root.iter(f"{{{SVG_NS}}}text"):
        assert text.get("direction") == "rtl" or text.get("text-anchor") == "end", text.text


def test_left_to_right_maps_are_not_mirrored(tmp_path: Path) -> None:
    root = ET.fromstring(render_svg(_journey(tmp_path, "de"), RenderOptions(formats=("svg",))))
    boxes = _placed(root)
    assert boxes["jm-de-stage-qk"][0] < boxes["jm-de-stage-qw"][0]
    assert not any(t.get("text-anchor") == "end" for t in root.iter(f"{{{SVG_NS}}}text"))


def test_bidi_isolates_keep_user_text_and_signed_numbers_in_order(tmp_path: Path) -> None:
    he = messages("he")
    assert he.number(-2) == "\u2066\u22122\u2069"
    assert he.number(3) == "3"
    assert messages("en").number(-2) == "\u22122"
    svg = render_svg(_rtl_journey(tmp_path, "he"), RenderOptions(formats=("svg",))).decode()
    assert f"מפת מסע לקוח: {FSI}שלום Apple Pay{PDI}" in svg
    assert f"מטרה: {FSI}Ql{PDI}" in svg


@pytest.mark.exe
def test_arabic_pdf_uses_noto_sans_arabic_and_its_words_read_back(tmp_path: Path) -> None:
    import subprocess

    from journeymap.output.convert import svg_to_pdf

    path = tmp_path / "ar.yaml"
    path.write_text(JOURNEY.format(lang="ar").replace("Qa", "فتح حساب"), encoding="utf-8")
    pdf = svg_to_pdf(render_svg(journeymap.load(path), RenderOptions(formats=("svg",))))
    (tmp_path / "map.pdf").write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "map.pdf")], capture_output=True, text=True)
    assert "NotoSansArabic" in fonts.stdout
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "map.pdf"), "-"], capture_output=True, text=True
    ).stdout
    words = re.sub("[\u202a-\u202e]", "", text).split()
    for word in ("فتح", "حساب", "نقاط", "التواصل", "المشاعر"):
        assert word in words, word


def test_project_config_lang_is_checked_and_used(tmp_path: Path) -> None:
    from journeymap.check.config import read_config
    from journeymap.source.diagnostics import JourneyError

    config = tmp_path / "journeymap.yaml"
    config.write_text("lang: sv\n", encoding="utf-8")
    with pytest.raises(JourneyError) as caught:
        read_config(config)
    assert str(caught.value.diagnostics[0]).startswith(f"{config}:1:7: error: lang 'sv'")
    config.write_text("lang: pt-BR\n", encoding="utf-8")
    assert read_config(config).lang == "pt-BR"


@pytest.mark.exe
def test_curve_pdf_honours_the_paper(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from journeymap.render import curve

    result = curve.render(_journey(tmp_path, "de"), RenderOptions(formats=("pdf",), paper="a3"))
    (tmp_path / "curve.pdf").write_bytes(result.artifacts[0].data)
    box = PdfReader(tmp_path / "curve.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)


def _curve_text(result: journeymap.RenderResult) -> str:
    root = ET.fromstring(result.artifacts[0].data)
    return " ".join("".join(t.itertext()) for t in root.iter(f"{{{SVG_NS}}}text"))


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_curve_comparison_and_empty_curve_show_no_english_word(tmp_path: Path, lang: str) -> None:
    from journeymap.render import curve

    before = _journey(tmp_path, lang)
    path = tmp_path / "after.yaml"
    future = "state: future\nscale: {min: 1, max: 5}"
    after = JOURNEY.format(lang=lang).replace("summary: Qb", future)
    path.write_text(after.replace("p1: -2, p2: 1", "p1: 2, p2: 4").replace("p1: -3", "p1: 5"))
    options = RenderOptions(formats=("svg",))
    result = curve.render_comparison([before, journeymap.load(path)], options)
    text = _curve_text(result)
    m = messages(lang)
    assert m.plain("compare.best") in text and m.plain("compare.vs").strip() in text
    assert _leftover_english(text, lang) == set()
    path.write_text(JOURNEY.format(lang=lang).split("stages:")[0] + "stages: [{name: Qk}]\n")
    empty = _curve_text(curve.render(journeymap.load(path), options))
    assert "".join(m.plain("curve.empty.touchpoints").split()) in "".join(empty.split())
    assert _leftover_english(empty, lang) == set()


def _site_pages(tmp_path: Path, lang: str) -> dict[str, bytes]:
    """The index and every atlas page of a two-journey site in ``lang``."""
    from journeymap.site.atlas import aggregate, atlas_pages
    from journeymap.site.pages import index_page, site_messages, summary

    second = tmp_path / "second.yaml"
    text = JOURNEY.format(lang=lang).replace("title: Qa", "title: Qba\nowner: Qbb\ntags: [Qbc]", 1)
    second.write_text(text.replace("name: Qj}", "name: Qbd}"), encoding="utf-8")
    journeys = [_journey(tmp_path, lang), journeymap.load(second)]
    summaries = [summary(j, f"j{i}", f"j{i}.yaml", ["map.svg"]) for i, j in enumerate(journeys)]
    summaries[1]["levels"] = {  # the second details a stage of the first: the index's tree
        "details": [],
        "part_of": [{"title": "Qa", "page": "j0/index.html"}],
    }
    detail = {"file": "j1.yaml", "title": "Qba", "stage": "Qbe", "touchpoint": None}
    summaries[0]["levels"] = {"details": [dict(detail, page="j1/index.html")], "part_of": []}
    atlas = aggregate(summaries)
    assert [node["title"] for node in atlas["tree"]] == ["Qa"]
    m = site_messages(summaries)
    pages = atlas_pages(atlas, None, m("site.journeys"), m)
    return {"index.html": index_page(summaries, None, None, atlas, m), **pages}


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_the_trends_page_shows_no_english_word(tmp_path: Path, lang: str) -> None:
    from journeymap.site.pages import site_messages, summary
    from journeymap.site.trends import rows, trends_page

    journey = _journey(tmp_path, lang)
    summaries = [
        summary(journey, "j0", "j0.yaml", ["map.svg"]),
        dict(summary(journey, "j1", "j1.yaml", []), title="Qbf"),
    ]
    point = {"emotion": 0.5, "measured": 0.25, "pain_points": dict.fromkeys(SEVERITIES, 1)}
    series = {"j0/index.html": [dict(point, commit="a" * 40, date="2026-01-02")] * 2}
    m = site_messages(summaries)
    page = trends_page(rows(summaries, series, m), 5, None, m("site.journeys"), m).decode()
    assert f'<html lang="{lang}"' in page and "2026-01-02" in page
    text = _html_text(page.encode())
    attrs = re.findall(r'(?:aria-label|title|data-label)="([^"]*)"', page)
    text += " " + html.unescape(" ".join(attrs))
    assert _leftover_english(text, lang) == set()


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_site_index_and_atlas_pages_show_no_english_word(tmp_path: Path, lang: str) -> None:
    pages = _site_pages(tmp_path, lang)
    assert {"index.html", "backlog.html", "channels.html"} < set(pages)
    assert any(name.startswith("owner-") for name in pages)
    assert any(name.startswith("persona-") for name in pages)
    direction = "rtl" if lang in ("ar", "he", "fa", "ur") else "ltr"
    for name, page in pages.items():
        assert f'<html lang="{lang}" dir="{direction}">'.encode() in page, name
        text = _html_text(re.sub(rb"<script>.*?</script>", b"", page, flags=re.S))
        attrs = re.findall(r'(?:placeholder|aria-label|title|data-label)="([^"]*)"', page.decode())
        text += " " + html.unescape(" ".join(attrs))
        text = text.replace("journeys.json", "")  # a file name
        assert _leftover_english(text, lang) == set(), name
    assert messages(lang)("site.journeys").encode() in pages["index.html"]
    assert html.escape(messages(lang)("atlas.levels", n=1)).encode() in pages["index.html"]


def test_a_site_of_mixed_languages_is_english_unless_the_project_says(tmp_path: Path) -> None:
    from journeymap.site.pages import site_messages

    assert site_messages([{"lang": "de"}, {"lang": "de"}]).language == "de"
    assert site_messages([{"lang": "de"}, {"lang": "he"}]).language == "en"
    assert site_messages([{"lang": "de"}, {"lang": "he"}], "he").direction == "rtl"
    assert site_messages([], "fr").language == "fr"


def test_a_site_uses_the_project_language_for_journeys_that_set_none(tmp_path: Path) -> None:
    from journeymap.site.build import build_site

    (tmp_path / "in").mkdir()
    plain = JOURNEY.format(lang="en").replace("lang: en\n", "")
    (tmp_path / "in" / "a.yaml").write_text(plain, encoding="utf-8")
    (tmp_path / "in" / "b.yaml").write_text(JOURNEY.format(lang="fr"), encoding="utf-8")
    options = RenderOptions(formats=("svg",), lang="de")
    assert build_site([tmp_path / "in"], tmp_path / "site", options, jobs=1).published
    site = tmp_path / "site"
    assert b'<html lang="de" dir="ltr">' in (site / "a" / "index.html").read_bytes()
    assert b'<html lang="fr" dir="ltr">' in (site / "b" / "index.html").read_bytes()
    index = (site / "index.html").read_bytes()  # the journeys differ: the project's language
    assert b'<html lang="de" dir="ltr">' in index and b"Customer Journeys" in index
    assert b'<html lang="de" dir="ltr">' in (site / "backlog.html").read_bytes()


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_diff_summary_shows_no_english_word(tmp_path: Path, lang: str) -> None:
    from journeymap.interop.diff import compare, to_markdown

    old = _journey(tmp_path, lang)
    changed = JOURNEY.format(lang=lang).replace(
        "name: Qx\n", "name: Qxx\n        id: qx\n        at: 2h\n"
    )
    changed = changed.replace("p1: -3", "p1: 2").replace("Qr: 4.5", "Qr: 3")
    changed = changed.replace("{text: Qy, severity: medium}", "{text: Qyy, severity: high}")
    changed = changed.replace(
        "  - name: Qw\n", "  - name: Qwa\n    touchpoints: [{name: Qwb}]\n  - name: Qw\n"
    )
    path = tmp_path / "new.yaml"
    path.write_text(changed, encoding="utf-8")
    text = to_markdown(compare(old, journeymap.load(path)))
    for heading in ("diff.stages", "lane.touchpoints", "diff.emotions", "lane.pain_points"):
        assert f"### {messages(lang).plain(heading)}" in text, heading
    assert messages(lang).plain("diff.time.at", touchpoint="Qxx", old="—", new="") in text
    words = re.sub(r"`[^`]*`", " ", text)  # ids
    assert _leftover_english(words, lang) == set()


def _flow_nodes(svg: bytes) -> list[tuple[float, float]]:
    """(x, y) of each touchpoint box of a flow SVG, in journey order."""
    root = ET.fromstring(svg)
    boxes = []
    for group in root.iter(f"{{{SVG_NS}}}g"):
        if "node" in group.get("class", "").split():
            rect = group.find(f"{{{SVG_NS}}}rect")
            assert rect is not None
            boxes.append((float(rect.get("x", "0")), float(rect.get("y", "0"))))
    return boxes


@pytest.mark.parametrize("lang", ["ar", "he", "fa", "ur", "de"])
def test_right_to_left_flows_are_mirrored_and_keep_signed_numbers(
    tmp_path: Path, lang: str
) -> None:
    from journeymap.render.flow.svg import render_svg as flow_svg

    text = JOURNEY.format(lang=lang).replace(
        "  - name: Qw\n    touchpoints:\n",
        "  - name: Qw\n    touchpoints:\n      - {name: Qwa, emotion: {p1: 2}}\n",
    )
    path = tmp_path / "j.yaml"
    path.write_text(text, encoding="utf-8")
    svg = flow_svg(journeymap.load(path), RenderOptions(formats=("svg",)))
    nodes = _flow_nodes(svg)
    rows = {y: [x for x, top in nodes if top == y] for _, y in nodes}
    rtl = lang != "de"
    assert all(xs == sorted(xs, reverse=rtl) for xs in rows.values()), "reading order"
    assert any(len(xs) > 1 for xs in rows.values())
    root = ET.fromstring(svg)
    width = float(root.get("width", "0"))
    assert (nodes[0][0] > width / 2) == rtl, "the first touchpoint is on the start side"
    texts = list(root.iter(f"{{{SVG_NS}}}text"))
    title = next(t for t in texts if t.get("class") == "t-title")
    if rtl:
        assert float(title.get("x", "0")) == pytest.approx(width - 20), "title on the right"
        assert all(t.get("direction") == "rtl" or t.get("text-anchor") == "end" for t in texts)
        chips = [t.text or "" for t in texts if t.get("class") == "t-chip"]
        assert f"{LRI}\u22122{PDI}" in chips and f"{LRI}+1{PDI}" in chips, chips
    else:
        assert float(title.get("x", "0")) == 20 and "\u22122" in svg.decode()


@pytest.mark.exe
def test_arabic_curve_and_flow_pdfs_use_noto_sans_arabic_and_read_back(tmp_path: Path) -> None:
    import subprocess

    from journeymap.render import curve
    from journeymap.render.flow import svg as flow

    path = tmp_path / "ar.yaml"
    path.write_text(JOURNEY.format(lang="ar").replace("Qa", "فتح حساب"), encoding="utf-8")
    journey = journeymap.load(path)
    options = RenderOptions(formats=("pdf",))
    for name, result in (
        ("curve", curve.render(journey, options)),
        ("flow", flow.render(journey, options)),
    ):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(next(a.data for a in result.artifacts if a.name.endswith(".pdf")))
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "NotoSansArabic" in fonts, name
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        words = re.sub("[\u202a-\u202e]", "", text).split()
        assert "فتح" in words and "حساب" in words, (name, words[:20])


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_markdown_export_and_flow_dot_show_no_english_word(tmp_path: Path, lang: str) -> None:
    from journeymap.interop.export import to_markdown
    from journeymap.render.flow.dot import build_dot

    text = JOURNEY.format(lang=lang).replace("summary: Qb", "summary: Qb\nowner: Qbo\ntags: [Qbt]")
    path = tmp_path / "j.yaml"
    path.write_text(text, encoding="utf-8")
    journey = journeymap.load(path)
    markdown = to_markdown(journey)
    assert (
        f"**{messages(lang).plain('atlas.label', label=messages(lang).plain('export.feels'))}**"
        in markdown
    )
    assert _leftover_english(markdown, lang) == set()
    dot = build_dot(journey)
    labels = " ".join(re.findall(r'label="((?:[^"\\]|\\.)*)"', dot))
    assert labels and _leftover_english(labels.replace("\\n", " "), lang) == set()


@pytest.mark.parametrize("lang", ["de", "ja", "ar"])
def test_the_implicit_persona_is_named_in_the_journeys_language(lang: str, tmp_path: Path) -> None:
    from journeymap.check.validate import load
    from journeymap.render.map.svg import render_svg
    from journeymap.render.options import RenderOptions

    text = f"journeymap: 1\ntitle: T\nlang: {lang}\nstages:\n  - name: S\n"
    text += "    touchpoints:\n      - {name: A, emotion: 1}\n"
    (tmp_path / "j.yaml").write_text(text, encoding="utf-8")
    svg = render_svg(load(tmp_path / "j.yaml"), RenderOptions()).decode()
    assert "Customer" not in svg
    assert messages(lang).plain("persona.implicit") in svg


def test_arabic_durations_stand_where_their_dual_form_is_right() -> None:
    """CLDR gives Arabic durations in the nominative ("يومان", two days); after a preposition
    ("بعد يومان") the dual must be genitive, after a verb accusative ("يستغرق يومين"): no message
    puts either before a duration."""
    from journeymap.text.locale import messages

    m = messages("ar")
    assert m.plain("time.later", time=m.elapsed(2 * 86400)) == "يومان لاحقًا"
    assert m.plain("blueprint.at", time=m.elapsed(2 * 3600)) == "ساعتان من البداية"
    for key in ("time.later", "blueprint.at", "blueprint.wait", "blueprint.lasts"):
        before = str(m._message(key)).split("{time}")[0].split()
        assert not before or before[-1] not in ("بعد", "عند", "من", "في", "خلال", "يستغرق"), key
    assert m.plain("blueprint.lasts", time=m.elapsed(2 * 60)) == "المدة: دقيقتان"
