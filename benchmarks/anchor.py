"""The anchor: mermaid-cli (``mmdc``) drawing Mermaid's own "My working day" journey.

``find_mmdc`` returns a command line that draws it, installing mermaid-cli from the npm
registry into ``.benchmarks/mmdc/`` on first use. Puppeteer is told not to download a browser
(``PUPPETEER_SKIP_DOWNLOAD=1``) and to drive Debian's Chromium instead, through a puppeteer
config file. Without npm or Chromium it returns the reason instead, and the benchmark prints it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

#: The mermaid-cli release the issue's figures were taken with.
MMDC_VERSION = "11.17.0"
CACHE = Path(__file__).resolve().parent.parent / ".benchmarks" / "mmdc"

#: Mermaid's documentation example, as in its docs: 2 sections, 5 tasks, 2 actors.
WORKING_DAY = """journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
"""

_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _installed() -> Path | None:
    mmdc = CACHE / "node_modules" / ".bin" / "mmdc"
    package = CACHE / "node_modules" / "@mermaid-js" / "mermaid-cli" / "package.json"
    if not (mmdc.exists() and package.exists()):
        return None
    version = json.loads(package.read_text(encoding="utf-8")).get("version")
    return mmdc if version == MMDC_VERSION else None


def find_mmdc(work: Path) -> tuple[list[str] | None, str]:
    """``(argv, description)`` drawing the working-day diagram, or ``(None, why not)``."""
    chromium = _chromium()
    if chromium is None:
        return None, "no Chromium on PATH (Debian: apt-get install chromium)"
    mmdc = _installed()
    if mmdc is None:
        npm = shutil.which("npm")
        if npm is None:
            return None, "npm is not installed, so mermaid-cli cannot be installed"
        CACHE.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        proc = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(CACHE),
                f"@mermaid-js/mermaid-cli@{MMDC_VERSION}",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        mmdc = _installed()
        if proc.returncode != 0 or mmdc is None:
            return None, f"npm could not install mermaid-cli: {proc.stderr.strip()[-300:]}"
    config = work / "puppeteer.json"
    config.write_text(
        json.dumps({"executablePath": chromium, "args": _CHROMIUM_ARGS}), encoding="utf-8"
    )
    source = work / "working-day.mmd"
    source.write_text(WORKING_DAY, encoding="utf-8")
    argv = [str(mmdc), "-p", str(config), "-i", str(source), "-o", str(work / "working-day.svg")]
    return argv, f"mermaid-cli {MMDC_VERSION} with {chromium}"
