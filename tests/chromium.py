"""Headless Chromium for tests: load a page, run a script in it, read back its JSON result.

No WebDriver needed: the script's result is written into the DOM and read with
``--dump-dom``. Tests using it are marked ``browser``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
_RESULT = re.compile(r'<pre id="jm-result">(.*?)</pre>', re.DOTALL)


def require_chromium() -> str:
    """The Chromium binary, or skip the test when it is missing outside CI."""
    if CHROMIUM is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must install it")
        pytest.skip("chromium is not installed")
    return CHROMIUM


def evaluate(page: Path, script: str, timeout: float = 60.0, width: int | None = None) -> Any:
    """Open ``page`` (an .html or .svg file), run ``script`` after load, return its JSON value.

    ``script`` is the body of a function returning a JSON-serialisable value. For an SVG
    file a wrapper HTML page embeds it inline so scripts and layout APIs work. ``width``
    sets the window's width in CSS px (default: Chromium's, 800).
    """
    binary = require_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        if page.suffix == ".svg":
            wrapper = Path(tmp) / "wrapper.html"
            wrapper.write_text(
                "<!DOCTYPE html><html><body style='margin:0'>"
                + page.read_text(encoding="utf-8").split("?>", 1)[-1]
                + "</body></html>",
                encoding="utf-8",
            )
            page = wrapper
        runner = Path(tmp) / "runner.js"
        runner.write_text(
            "window.addEventListener('load', () => { let out;"
            f" try {{ out = JSON.stringify((function() {{ {script} }})()); }}"
            " catch (e) { out = JSON.stringify({error: String(e)}); }"
            " const pre = document.createElement('pre'); pre.id = 'jm-result';"
            " pre.textContent = out; document.body.appendChild(pre); });",
            encoding="utf-8",
        )
        source = page.read_text(encoding="utf-8")
        injected = Path(tmp) / f"injected-{page.name}"
        tag = f'<script src="{runner.as_uri()}"></script>'
        injected.write_text(
            source.replace("</body>", tag + "</body>") if "</body>" in source else source + tag,
            encoding="utf-8",
        )
        proc = subprocess.run(
            [
                binary,
                *FLAGS,
                f"--user-data-dir={tmp}/profile",
                "--allow-file-access-from-files",
                "--virtual-time-budget=5000",
                *([f"--window-size={width},1200"] if width else []),
                "--dump-dom",
                injected.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        match = _RESULT.search(proc.stdout)
        if not match:
            raise AssertionError(f"chromium gave no result; stderr:\n{proc.stderr[-2000:]}")
        return json.loads(html.unescape(match.group(1)))


def screenshot(page: Path, out: Path, width: int = 1600, height: int = 1200) -> Path:
    """Save a PNG screenshot of ``page`` (for looking at it while developing)."""
    binary = require_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                binary,
                *FLAGS,
                f"--user-data-dir={tmp}/profile",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=60,
            check=True,
        )
    return out
