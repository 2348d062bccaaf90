"""Right-to-left site pages in Chromium: mirrored layout, the viewer starting at the right."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_site_browser import probe

from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site

pytestmark = [pytest.mark.browser, pytest.mark.exe, pytest.mark.slow]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

RTL_PAGE = """
const out = {errors: window.__errors, scroll: document.documentElement.scrollWidth,
  width: window.innerWidth};
const map = document.querySelector('.viewer-map');
const stage = map.querySelector('.viewer-stage');
const box = stage.getBoundingClientRect();
const svg = map.querySelector('.viewer-content svg');
const s = parseFloat(map.getAttribute('data-scale'));
out.x = parseFloat(map.getAttribute('data-x'));
out.home = box.width - svg.viewBox.baseVal.width * s;
const labels = map.querySelector('.viewer-labels');
out.labelsBefore = !labels.hidden;
const pointer = (type, x, y) => (type === 'pointerdown' ? stage : window).dispatchEvent(
  new PointerEvent(type, {pointerId: 1, clientX: x, clientY: y, bubbles: true}));
pointer('pointerdown', box.left + 50, box.top + 200);
pointer('pointermove', box.left + 250, box.top + 200);
pointer('pointerup', box.left + 250, box.top + 200);
out.panned = parseFloat(map.getAttribute('data-x'));
out.labelsAfter = !labels.hidden;
out.labelsRight = box.right - labels.getBoundingClientRect().right;
const card = getComputedStyle(document.querySelector('div.persona'));
out.cardBorder = [card.borderRightWidth, card.borderLeftWidth];
out.title = getComputedStyle(document.querySelector('h1')).textAlign;
return out;
"""
NO_SIDEWAYS = """
return {errors: window.__errors, scroll: document.documentElement.scrollWidth,
  width: window.innerWidth, dir: document.documentElement.dir};
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("in")
    (source / "bakery-ar.yaml").write_bytes((EXAMPLES / "bakery-ar.yaml").read_bytes())
    out = tmp_path_factory.mktemp("site") / "site"
    assert build_site([source], out, RenderOptions(formats=("svg",)), jobs=1).published
    return out


@pytest.mark.parametrize("width", [1400, 390])
def test_a_right_to_left_journey_page_starts_at_the_right(site: Path, width: int) -> None:
    r = probe(site / "bakery-ar" / "index.html", RTL_PAGE, width)
    assert r["errors"] == [], r
    assert r["scroll"] <= r["width"], r
    assert r["x"] == pytest.approx(min(r["home"], 0), abs=1), "the map's right edge is shown"
    assert not r["labelsBefore"], "the map's own lane labels are in view"
    if r["home"] < -250:  # wider than the stage: panning shows the labels on the right
        assert r["panned"] > r["x"] and r["labelsAfter"] and abs(r["labelsRight"]) < 1
    assert r["cardBorder"] == ["6px", "1px"], "persona cards have their colour on the right"
    assert r["title"] == "start"


@pytest.mark.parametrize("width", [1400, 390])
def test_right_to_left_site_pages_fit_the_width(site: Path, width: int) -> None:
    pages = [site / "index.html", site / "backlog.html", site / "channels.html"]
    pages += sorted(site.glob("owner-*.html"))[:1] + sorted(site.glob("persona-*.html"))[:1]
    for page in pages:
        r = probe(page, NO_SIDEWAYS, width)
        assert r["errors"] == [] and r["dir"] == "rtl", (page.name, r)
        assert r["scroll"] <= r["width"], (page.name, r)
