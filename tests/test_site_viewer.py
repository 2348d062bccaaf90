"""The site in Chromium at 1,400 and 390 px: no sideways page scroll, and the map and flow
viewer (buttons, keys, wheel, drag, pinch, sticky lane labels, full-size link, details)."""

from __future__ import annotations

import base64
import json
import re
import zlib
from pathlib import Path

import pytest
from test_site_browser import examples, probe, site  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.exe, pytest.mark.slow]

NO_SIDEWAYS = """
return {scroll: document.documentElement.scrollWidth, width: window.innerWidth,
  errors: window.__errors};
"""


@pytest.mark.parametrize("width", [1400, 390])
def test_no_page_scrolls_sideways(site: Path, width: int) -> None:  # noqa: F811
    for page in [site / "index.html", *sorted(site.glob("*/index.html"))]:
        result = probe(page, NO_SIDEWAYS, width)
        assert result["errors"] == [], (page, result)
        assert result["scroll"] <= result["width"], (page.parent.name, result)


VIEWER = """
const out = {errors: window.__errors};
const map = document.querySelector('.viewer-map'), flow = document.querySelector('.viewer-flow');
const stage = map.querySelector('.viewer-stage');
const scale = v => parseFloat(v.getAttribute('data-scale'));
const box = stage.getBoundingClientRect();
out.links = Array.from(document.querySelectorAll('.viewer-full')).map(a => a.getAttribute('href'));
out.start = scale(map);
out.labelsBefore = !map.querySelector('.viewer-labels').hidden;
map.querySelector('[data-action="zoom-in"]').click();
out.zoomIn = scale(map);
stage.dispatchEvent(new KeyboardEvent('keydown', {key: '-', bubbles: true}));
out.keyOut = scale(map);
stage.dispatchEvent(new WheelEvent('wheel', {deltaY: -200, ctrlKey: true, bubbles: true,
  cancelable: true, clientX: box.left + 100, clientY: box.top + 100}));
out.wheel = scale(map);
const pointer = (type, id, x, y) => (type === 'pointerdown' ? stage : window).dispatchEvent(
  new PointerEvent(type, {pointerId: id, clientX: x, clientY: y, bubbles: true}));
pointer('pointerdown', 1, box.left + 400, box.top + 200);
pointer('pointermove', 1, box.left + 100, box.top + 150);
pointer('pointerup', 1, box.left + 100, box.top + 150);
out.panned = parseFloat(map.getAttribute('data-x'));
const labels = map.querySelector('.viewer-labels');
out.labelsAfter = !labels.hidden;
out.labelsLeft = labels.getBoundingClientRect().left - box.left;
out.labelsWidth = labels.getBoundingClientRect().width;
const before = scale(map);
pointer('pointerdown', 2, box.left + 200, box.top + 200);
pointer('pointerdown', 3, box.left + 240, box.top + 200);
pointer('pointermove', 2, box.left + 150, box.top + 200);
pointer('pointermove', 3, box.left + 300, box.top + 200);
pointer('pointerup', 2, 0, 0); pointer('pointerup', 3, 0, 0);
out.pinch = scale(map) / before;
const data = JSON.parse(document.getElementById('jm-touchpoints').textContent);
const withThought = data.find(tp => tp.facts.some(f => f[0] === 'Thought'));
const cell = document.getElementById(withThought.elements[2]);
pointer('pointerdown', 4, 0, 0); pointer('pointerup', 4, 0, 0);
cell.querySelector('text').dispatchEvent(new MouseEvent('click', {bubbles: true}));
const panel = map.querySelector('.viewer-details');
out.mapDetails = panel.hidden ? null : panel.textContent;
out.thought = withThought.facts.find(f => f[0] === 'Thought')[1];
const node = flow.querySelector('[data-touchpoint]');
node.querySelector('text').dispatchEvent(new MouseEvent('click', {bubbles: true}));
const flowPanel = flow.querySelector('.viewer-details');
out.flowDetails = flowPanel.hidden ? null : flowPanel.querySelector('h3').textContent;
out.flowName = data.find(tp => tp.id === node.getAttribute('data-touchpoint')).name;
out.facts = document.querySelector('.facts').textContent.replace(/\\s+/g, ' ');
return out;
"""


@pytest.mark.parametrize("width", [1400, 390])
def test_the_viewer_pans_zooms_keeps_lane_labels_and_shows_details(
    site: Path,  # noqa: F811
    width: int,
) -> None:
    r = probe(site / "bank" / "index.html", VIEWER, width)
    assert r["errors"] == [], r
    assert r["links"] == ["map.svg", "flow.svg", "blueprint.svg"]
    assert all((site / "bank" / link).is_file() for link in r["links"])
    assert r["zoomIn"] == pytest.approx(r["start"] * 1.25, rel=1e-3)
    assert r["keyOut"] == pytest.approx(r["start"], rel=1e-3)
    assert r["wheel"] > r["keyOut"]
    assert r["panned"] < 0 and not r["labelsBefore"] and r["labelsAfter"]
    assert abs(r["labelsLeft"]) < 1 and r["labelsWidth"] > 50
    assert r["pinch"] > 1.5
    assert r["mapDetails"] and r["thought"] in r["mapDetails"]
    assert r["flowDetails"] == r["flowName"]
    assert "team · Tags:" in r["facts"] and "teamretail" not in r["facts"]


def test_cards_links_are_separated(tmp_path: Path) -> None:
    import journeymap
    from journeymap.site.pages import journey_page

    journey = journeymap.load(Path(__file__).resolve().parent.parent / "examples" / "bank.yaml")
    page = journey_page(journey, tmp_path, ["cards.html", "cards.pdf"], None, []).decode()
    assert 'cards (HTML)</a> <span class="sep">·</span> <a href="cards.pdf">' in page


def test_touchpoint_details_hold_the_full_texts(site: Path) -> None:  # noqa: F811
    import journeymap
    from journeymap.site.pages import touchpoint_details

    journey = journeymap.load(site.parent / "examples" / "bank.yaml")
    details = touchpoint_details(journey)
    assert [d["id"] for d in details] == [tp.id for tp in journey.touchpoints]
    thoughts = [f[1] for d in details for f in d["facts"] if f[0] == "Thought"]
    assert thoughts == [tp.thought for tp in journey.touchpoints if tp.thought]
    html = (site / "bank" / "index.html").read_text(encoding="utf-8")
    start = html.index('id="jm-touchpoints">') + len('id="jm-touchpoints">')
    assert json.loads(html[start : html.index("</script>", start)]) == json.loads(
        json.dumps(details)
    )


def test_the_page_carries_each_drawing_packed_not_twice(site: Path) -> None:  # noqa: F811
    # The files beside the page are the drawings; the page holds each once more, packed
    # (raw DEFLATE, base64) for the viewer, which unpacks it from file:// too.
    page = (site / "bank" / "index.html").read_text(encoding="utf-8")
    packed = re.findall(
        r'<div class="viewer viewer-(\w+)".*?<script type="application/x-jm-deflate" '
        r'class="viewer-svg" data-size="(\d+)">([A-Za-z0-9+/=]+)</script>',
        page,
        re.S,
    )
    assert [kind for kind, _, _ in packed] == ["map", "flow", "blueprint"]
    for kind, size, data in packed:
        svg = (site / "bank" / f"{kind}.svg").read_text(encoding="utf-8")
        unpacked = zlib.decompress(base64.b64decode(data), -15).decode()
        assert len(unpacked.encode()) == int(size) and svg.endswith(unpacked), kind
        assert unpacked.startswith("<svg")
        assert len(data) < len(svg) / 4, (kind, len(data), len(svg))
    assert "<svg" not in page  # no drawing inlined as such
    assert page.count('<noscript><img src="map.svg"') == 1  # without a script: the file


LONG_WORDS = """\
journeymap: 1
title: Kfz-Schadenregulierung
lang: de
stages:
  - name: Schadenmeldungsentgegennahme
    touchpoints:
      - name: Unfallschadenmeldungsformularausfüllung
        emotion: -2
        pain_points:
          - Sendungsverfolgungsnummer-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-ohne-Leerzeichen
        opportunities: [Haftpflichtversicherungsnummerneingabefeldüberarbeitung]
"""


def test_a_word_longer_than_a_phone_line_breaks_on_the_journey_page(tmp_path: Path) -> None:
    """The journey page's lists of pain points and opportunities name each touchpoint in
    bold: 'Unfallschadenmeldungsformularausfüllung' ran 27 px past a 390 px screen."""
    from journeymap.render.options import RenderOptions
    from journeymap.site.build import build_site

    src = tmp_path / "journeys"
    src.mkdir()
    (src / "claim.yaml").write_text(LONG_WORDS, encoding="utf-8")
    out = tmp_path / "site"
    assert build_site([src], out, RenderOptions(formats=("svg",)), jobs=1).published
    from devtools import Browser

    for width in (390, 320):  # emulated: a headless window is at least 500 px wide
        with Browser(width=width) as browser:
            metrics = {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False}
            browser.send("Emulation.setDeviceMetricsOverride", metrics)
            browser.navigate((out / "claim" / "index.html").as_uri())
            scroll = browser.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert scroll[0] <= scroll[1] == width, scroll
