"""The backlog page in Chromium: sorting, filtering and the CSV of the filtered view, at a
desktop and a phone width, with no horizontal page scroll."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from devtools import Browser, DevToolsError

from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).parent / "atlas"

SCRIPT = """
const texts = () => Array.from(document.querySelectorAll("tr.item"))
  .filter(r => !r.hidden).map(r => r.querySelector(".item-text").textContent);
const set = (id, value) => { const el = document.getElementById(id); el.value = value;
  el.dispatchEvent(new Event("change")); };
const out = {width: window.innerWidth, scroll: document.documentElement.scrollWidth};
out.initial = texts();
set("sort-by", "text"); out.byText = texts();
document.querySelector('th button[data-sort="severity"]').click(); out.bySeverity = texts();
set("sort-by", "priority");
set("filter-owners", "Support"); out.support = texts();
out.count = document.getElementById("filter-count").textContent;
out.csv = window.journeymapBacklogCsv();
set("filter-owners", ""); set("filter-personas", "Ben"); out.ben = texts();
set("filter-personas", ""); set("filter-severity", "none"); out.opportunities = texts();
set("filter-severity", ""); set("filter-channels", "email"); out.email = texts();
set("filter-channels", ""); const box = document.getElementById("filter-text");
box.value = "PAY"; box.dispatchEvent(new Event("input")); out.search = texts();
out.scrollAfter = document.documentElement.scrollWidth;
return JSON.stringify(out);
"""


@contextlib.contextmanager
def sized(width: int) -> Iterator[Browser]:
    """Chromium showing pages ``width`` CSS px wide (a desktop or a phone)."""
    with Browser(width=width) as browser:
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        yield browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("atlas") / "site"
    assert build_site([FIXTURE], out, RenderOptions(formats=("svg",)), jobs=1).published
    return out


@pytest.mark.parametrize("width", [1400, 390])
def test_backlog_sorts_filters_and_downloads(site: Path, width: int, tmp_path: Path) -> None:
    with sized(width) as browser:
        browser.navigate((site / "backlog.html").as_uri())
        result = json.loads(browser.evaluate(f"(function () {{ {SCRIPT} }})()"))
        browser.screenshot(tmp_path / f"backlog-{width}.png")
    slow = "=SUM(A1) slow <script>"
    assert result["width"] == width
    assert result["scroll"] <= width and result["scrollAfter"] <= width
    assert result["initial"] == ["Hold music", slow, "Call back", "Spam"]
    assert result["byText"] == [slow, "Call back", "Hold music", "Spam"]
    assert result["bySeverity"] == ["Hold music", slow, "Spam", "Call back"]
    assert result["support"] == ["Hold music", slow]
    assert result["count"] == "2 of 4"
    lines = result["csv"].split("\r\n")
    assert lines[0].startswith('"priority","kind","id","text"')
    assert lines[1].startswith('"16","pain","","Hold music","critical","yes"')
    assert lines[2].startswith('"8","pain","slow","\'=SUM(A1) slow <script>","high"')
    assert len([line for line in lines if line]) == 3
    assert result["ben"] == [slow]
    assert result["opportunities"] == ["Call back"]
    assert result["email"] == ["Spam"]
    assert result["search"] == [slow]  # the touchpoint "Pay" is searched too


PAGES = ("index.html", "channels.html", "owner-support.html", "persona-ben.html")
LAYOUT = """
return JSON.stringify({scroll: document.documentElement.scrollWidth, width: window.innerWidth,
  dots: Array.from(document.querySelectorAll("figure.journey-curve svg"))
    .map(svg => svg.querySelectorAll("circle").length),
  pain: document.querySelectorAll("tr.switch-pain").length,
  owned: Array.from(document.querySelectorAll("tr.owned-item td:nth-child(2) a"))
    .map(a => a.textContent)});
"""


@pytest.mark.parametrize("width", [1400, 390])
def test_atlas_pages_fit_the_width(site: Path, width: int, tmp_path: Path) -> None:
    seen = {}
    with sized(width) as browser:
        for name in PAGES:
            browser.navigate((site / name).as_uri())
            seen[name] = json.loads(browser.evaluate(f"(function () {{ {LAYOUT} }})()"))
            browser.screenshot(tmp_path / f"{name}-{width}.png")
    for name, result in seen.items():
        assert result["scroll"] <= width == result["width"], name
    assert seen["persona-ben.html"]["dots"] == [1, 1]  # Ben takes one touchpoint in each
    assert seen["channels.html"]["pain"] == 1
    assert seen["owner-support.html"]["owned"] == ["Hold music", "=SUM(A1) slow <script>"]


def _quietly(browser: Browser, expression: str, promise: bool = False) -> object:
    """The value of ``expression``; None while a page is being replaced (a link loading)."""
    try:
        params = {"expression": expression, "returnByValue": True, "awaitPromise": promise}
        return browser.send("Runtime.evaluate", params).get("result", {}).get("value")
    except DevToolsError:
        return None


def _settle(browser: Browser, expression: str) -> object:
    """Poll ``expression`` (through page loads) until it is truthy; its value."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        value = _quietly(browser, expression)
        if value:
            return value
        time.sleep(0.02)
    raise DevToolsError(f"timed out waiting for: {expression}")


def click(browser: Browser, selector: str) -> str:
    """Click the middle of the first element matching ``selector`` as a user would (a real
    mouse press, after scrolling it into view, once the page has painted); the address of
    the page that then loads."""
    _settle(browser, "document.readyState === 'complete'")
    frames = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    _quietly(browser, frames, promise=True)
    before = str(_settle(browser, "location.href"))
    box = _settle(
        browser,
        f"(function () {{ const el = document.querySelector({json.dumps(selector)});"
        " el.scrollIntoView({block: 'center', inline: 'center'});"
        " const r = el.getBoundingClientRect();"
        " return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]); })()",
    )
    x, y = json.loads(str(box))
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        browser.send(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
        )
    done = f"location.href !== {json.dumps(before)} && document.readyState === 'complete'"
    return str(_settle(browser, f"{done} && location.href"))


@pytest.mark.parametrize("width", [1400, 390])
def test_level_links_lead_down_and_back_up(site: Path, width: int, tmp_path: Path) -> None:
    with sized(width) as browser:
        browser.navigate((site / "index.html").as_uri())
        browser.screenshot(tmp_path / f"tree-{width}.png")
        # the index's tree, then the stage's badge in the end-to-end map (inline SVG)
        assert click(browser, ".atlas-tree a[href='alpha/index.html']").endswith(
            "/alpha/index.html"
        )
        landed = click(browser, "svg a[href='../gamma/index.html']")
        assert landed == (site / "gamma" / "index.html").as_uri()
        browser.screenshot(tmp_path / f"gamma-{width}.png")
        scroll = browser.evaluate("document.documentElement.scrollWidth")
        assert click(browser, "p.part-of a[href='../beta/index.html']").endswith("/beta/index.html")
        # the touchpoint's badge in the map; then the full-size map's own "part of" badge
        assert click(browser, "svg a[href='../gamma/index.html']").endswith("/gamma/index.html")
        assert click(browser, "a.viewer-full").endswith("/gamma/map.svg")
        browser.screenshot(tmp_path / f"gamma-map-{width}.png")
        back = click(browser, "a[href='../alpha/index.html']")
        assert back == (site / "alpha" / "index.html").as_uri()
    assert scroll <= width
