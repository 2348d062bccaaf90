"""The built site in headless Chromium: index lists every journey, no errors, filter works."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from chromium import FLAGS, require_chromium

from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site

pytestmark = [pytest.mark.browser, pytest.mark.exe, pytest.mark.slow]

_RESULT = re.compile(r'<pre id="jm-result">(.*?)</pre>', re.DOTALL)
#: Runs first: records script errors, failed resource loads and console.error calls.
CATCHER = (
    "<script>window.__errors = [];"
    "window.addEventListener('error', function (e) { window.__errors.push("
    "e.message || ('failed to load ' + (e.target.src || e.target.href))); }, true);"
    "var __ce = console.error; console.error = function () {"
    " window.__errors.push(Array.prototype.join.call(arguments, ' '));"
    " __ce.apply(console, arguments); };"
    "</script>"
)


def probe(page: Path, script: str, width: int = 1400) -> Any:
    """Load a copy of ``page`` beside it (relative links still resolve) and run ``script``
    in a window ``width`` px wide."""
    binary = require_chromium()
    source = page.read_text(encoding="utf-8")
    runner = (
        "<script>window.addEventListener('load', function () { var out;"
        f" try {{ out = JSON.stringify((function () {{ {script} }})()); }}"
        " catch (e) { out = JSON.stringify({error: String(e)}); }"
        " var pre = document.createElement('pre'); pre.id = 'jm-result';"
        " pre.textContent = out; document.body.appendChild(pre); });</script>"
    )
    copy = page.parent / f"_probe-{page.name}"
    copy.write_text(
        source.replace("<head>", "<head>" + CATCHER, 1).replace("</body>", runner + "</body>"),
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--allow-file-access-from-files",
             f"--window-size={width},900",
             "--virtual-time-budget=5000", "--dump-dom", copy.as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    copy.unlink()
    match = _RESULT.search(proc.stdout)
    assert match, proc.stderr[-2000:]
    return json.loads(html.unescape(match.group(1)))


class Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v or "" for k, v in attrs if k in ("href", "src") and tag != "use"]


@pytest.fixture(scope="module")
def site(examples: Path) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "examples"
        shutil.copytree(examples, src)
        out = Path(tmp) / "site"
        report = build_site([src], out, RenderOptions(formats=("svg",)), jobs=4)
        assert report.published and not report.failed
        yield out


@pytest.fixture(scope="module")
def examples() -> Path:
    return Path(__file__).resolve().parent.parent / "examples"


INDEX_SCRIPT = """
const rows = () => Array.from(document.querySelectorAll('tr.journey'));
const visible = () => rows().filter(r => !r.hidden).map(r => r.querySelector('a').textContent);
const all = visible();
const text = document.getElementById('filter-text');
text.value = 'returns';
text.dispatchEvent(new Event('input'));
const byText = visible();
text.value = '';
text.dispatchEvent(new Event('input'));
const tag = document.getElementById('filter-tag');
tag.value = 'target-state';
tag.dispatchEvent(new Event('change'));
const byTag = visible();
const broken = Array.from(document.images).filter(i => !i.complete || !i.naturalWidth);
return {all: all, byText: byText, byTag: byTag, count: document.getElementById('filter-count')
  .textContent, errors: window.__errors, broken: broken.map(i => i.src)};
"""

PAGE_SCRIPT = """
const broken = Array.from(document.images).filter(i => !i.complete || !i.naturalWidth);
const drawn = {};
document.querySelectorAll('.viewer').forEach(v => {
  const svg = v.querySelector('.viewer-stage > .viewer-content > svg');
  drawn[v.className.replace('viewer viewer-', '')] = [svg.querySelectorAll('*').length + 1,
    svg.textContent, svg.querySelectorAll('a[href]').length];
});
return {images: document.images.length, broken: broken.map(i => i.src),
  svg: document.querySelectorAll('.viewer-map .viewer-stage > .viewer-content svg').length,
  packed: document.querySelectorAll('script.viewer-svg').length, drawn: drawn,
  errors: window.__errors};
"""


def drawing(svg: Path) -> list[Any]:
    """What the page's viewer should show of ``svg``: its elements, its text, its links."""
    root = ET.parse(svg).getroot()
    links = [a for a in root.iter("{http://www.w3.org/2000/svg}a") if a.get("href")]
    return [sum(1 for _ in root.iter()), "".join(root.itertext()), len(links)]


def test_index_lists_every_journey_and_filters(site: Path) -> None:
    summaries = json.loads((site / "journeys.json").read_text(encoding="utf-8"))["journeys"]
    result = probe(site / "index.html", INDEX_SCRIPT)
    assert result.get("errors") == [] and result["broken"] == []
    assert sorted(result["all"]) == sorted(j["title"] for j in summaries)
    assert len(result["all"]) == len(summaries)
    assert sorted(result["byText"]) == [
        "Returning an online order (current)",
        "Returning an online order (future)",
    ]
    assert result["byTag"] == ["Returning an online order (future)"]
    assert result["count"] == f"1 of {len(summaries)}"


def test_every_page_loads_without_errors_and_every_link_resolves(
    site: Path, examples: Path
) -> None:
    pages = [site / "index.html", *sorted(site.glob("*/index.html"))]
    assert len(pages) == 1 + len(list(examples.glob("*.yaml")))
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            target = link.split("#", 1)[0]
            assert "://" not in link and not link.startswith("/"), (page, link)
            assert not target or (page.parent / target).is_file(), (page, link)
    for page in pages[1:]:
        result = probe(page, PAGE_SCRIPT)
        assert result["errors"] == [] and result["broken"] == [], (page, result)
        assert result["images"] >= 1 and result["svg"] == 1, (page, result)
        # the viewer unpacked every drawing the page carries: the files' very elements
        assert result["packed"] == 0 and "map" in result["drawn"], page
        for kind, seen in result["drawn"].items():
            assert seen == drawing(page.parent / f"{kind}.svg"), (page, kind)
