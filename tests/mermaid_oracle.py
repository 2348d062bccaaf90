"""The real Mermaid parser as an oracle: its verdict on journey diagrams and what it reads.

``tests/mermaid/harness/harness.html`` loads Mermaid (installed from the npm registry into the
git-ignored ``tests/mermaid/harness/node_modules/`` by ``tests/mermaid/refresh.py``) in headless
Chromium, parses and renders each diagram, and dumps the results as JSON. The recorded results
live in ``tests/mermaid/corpus/*.json`` so the suite runs without a browser.
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

from chromium import FLAGS

HERE = Path(__file__).resolve().parent / "mermaid"
HARNESS = HERE / "harness"
CORPUS = HERE / "corpus"
MERMAID_JS = HARNESS / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_RESULT = re.compile(r'<pre id="jm-result">(.*?)</pre>', re.DOTALL)


def available() -> bool:
    """True when Chromium and the installed Mermaid package are both here."""
    return CHROMIUM is not None and MERMAID_JS.is_file()


def version() -> str:
    """The installed Mermaid version."""
    package = json.loads((MERMAID_JS.parent.parent / "package.json").read_text(encoding="utf-8"))
    return str(package["version"])


def ask(texts: list[str], timeout: float = 300.0) -> list[dict[str, Any]]:
    """Mermaid's result for each diagram text, in order (see harness.html for the fields)."""
    assert CHROMIUM is not None and MERMAID_JS.is_file(), "run tests/mermaid/refresh.py --install"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "harness.html"
        shutil.copy(HARNESS / "harness.html", page)
        (Path(tmp) / "node_modules").symlink_to(HARNESS / "node_modules")
        corpus = json.dumps(texts).replace("</", "<\\/")
        (Path(tmp) / "corpus.js").write_text(f"window.CORPUS = {corpus};\n", encoding="utf-8")
        proc = subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={tmp}/profile",
                "--allow-file-access-from-files",
                "--virtual-time-budget=600000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    match = _RESULT.search(proc.stdout)
    if not match:
        raise AssertionError(f"the Mermaid harness gave no result; stderr:\n{proc.stderr[-3000:]}")
    results: list[dict[str, Any]] = json.loads(html.unescape(match.group(1)))["results"]
    broken = [r["harness_error"] for r in results if "harness_error" in r]
    assert not broken, broken[0]
    assert len(results) == len(texts), (len(results), len(texts))
    return results
