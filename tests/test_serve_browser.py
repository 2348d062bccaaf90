"""``journeymap serve`` in real headless Chromium: a save shows in the open page within a
second, a broken edit shows its located error over the last good map, a fix restores the
map, and Ctrl-C leaves nothing behind."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import pytest
from devtools import Browser
from serving import FIRST_EMOTION, Preview, journey_text, session_processes

pytestmark = [pytest.mark.browser, pytest.mark.exe]

#: Seconds from a save to the page showing it (the issue's target).
TARGET = 1.0
H1 = "document.querySelector('main') && document.querySelector('h1').textContent"
#: The page's map is drawn (the SVG inline in the site's pan/zoom viewer).
MAP = "document.querySelector('.viewer-map .viewer-content svg') !== null"
ERRORS = "document.getElementById('jm-live-errors')"
#: What a person sees at the middle of the map: the element there, or the error panel.
SEEN_AT_MAP = (
    "(() => { const map = document.querySelector('.viewer-map .viewer-stage');"
    " if (!map) return null; const r = map.getBoundingClientRect();"
    " const hit = document.elementFromPoint(r.left + 40, r.top + 40);"
    " return hit && (hit.closest('#jm-live-errors') ? 'errors'"
    " : hit.closest('.viewer-map') ? 'map' : hit.tagName); })()"
)


def save(path: Path, text: str) -> float:
    """Write ``text`` as an editor does (a new file renamed over the old); the save time."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return time.monotonic()


def shows(browser: Browser, expression: str, since: float, timeout: float = 10) -> float:
    """Wait until ``expression`` holds in the page; seconds since ``since``."""
    browser.wait_for(expression, timeout=timeout)
    return time.monotonic() - since


def test_edit_save_and_see_it_in_the_open_page(tmp_path: Path) -> None:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    source = journeys / "thirty.yaml"
    source.write_text(journey_text(), encoding="utf-8")
    temp = tmp_path / "tmp"
    with Preview(["--port", "0"], tmp_path, temp) as preview, Browser() as browser:
        preview.wait_stderr("serve: rebuilt")
        browser.navigate(preview.url + "thirty/")
        assert browser.evaluate(H1) == "Thirty steps"
        assert browser.evaluate(MAP) is True
        time.sleep(0.3)  # let the page's event stream connect

        latencies = []
        for i in range(3):
            saved = save(source, journey_text(f"Edited {i}"))
            latencies.append(round(shows(browser, f"{H1} === 'Edited {i}'", saved), 3))
            preview.wait_stderr("serve: rebuilt")
            time.sleep(0.3)
        load = os.getloadavg()[0]
        print(f"\nsave-to-page latency (30 touchpoints, load {load:.1f}): {latencies}")
        # The target holds on a machine that is not oversubscribed (CI); when other work
        # keeps more than twice as many processes busy as there are cores, allow more.
        busy = load > 2 * (os.cpu_count() or 1)
        assert statistics.median(latencies) < (5 * TARGET if busy else TARGET), (load, latencies)

        # A broken edit: its located error replaces the map; the last good map is one click away.
        saved = save(source, journey_text("Broken", emotion="sad"))
        shows(browser, f"!!{ERRORS}", saved)
        line, col = FIRST_EMOTION
        text = browser.evaluate(f"{ERRORS}.innerText")
        assert f"thirty.yaml:{line}:{col}: error: unknown emotion word 'sad'" in text, text
        assert browser.evaluate(SEEN_AT_MAP) == "errors"
        browser.evaluate("document.getElementById('jm-live-hide').click()")
        assert browser.evaluate(SEEN_AT_MAP) == "map"
        assert browser.evaluate(H1) == "Edited 2"  # the last good build
        browser.evaluate("document.getElementById('jm-live-show').click()")
        assert browser.evaluate(SEEN_AT_MAP) == "errors"

        # The fix brings the map back, without the panel.
        saved = save(source, journey_text("Fixed"))
        fixed = shows(browser, f"{H1} === 'Fixed' && !{ERRORS}", saved)
        assert browser.evaluate(SEEN_AT_MAP) == "map"
        print(f"fix-to-page latency: {fixed:.3f}")

        # Ctrl-C: exit 130, no temporary folder, no process left.
        code = preview.stop()
    assert code == 130, preview.stderr
    assert "Traceback" not in "".join(preview.stderr)
    assert os.listdir(temp) == []
    assert session_processes(preview.process.pid) == []
