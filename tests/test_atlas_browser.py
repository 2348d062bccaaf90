"""The backlog page in Chromium: sorting, filtering and the CSV of the filtered view, at a
desktop and a phone width, with no horizontal page scroll."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from devtools import Browser

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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("atlas") / "site"
    assert build_site([FIXTURE], out, RenderOptions(formats=("svg",)), jobs=1).published
    return out


@pytest.mark.parametrize("width", [1400, 390])
def test_backlog_sorts_filters_and_downloads(site: Path, width: int, tmp_path: Path) -> None:
    with Browser(width=width) as browser:
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
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
    with Browser(width=width) as browser:
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        for name in PAGES:
            browser.navigate((site / name).as_uri())
            seen[name] = json.loads(browser.evaluate(f"(function () {{ {LAYOUT} }})()"))
            browser.screenshot(tmp_path / f"{name}-{width}.png")
    for name, result in seen.items():
        assert result["scroll"] <= width == result["width"], name
    assert seen["persona-ben.html"]["dots"] == [1, 1]  # Ben takes one touchpoint in each
    assert seen["channels.html"]["pain"] == 1
    assert seen["owner-support.html"]["owned"] == ["Hold music", "=SUM(A1) slow <script>"]
