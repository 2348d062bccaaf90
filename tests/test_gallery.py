"""docs/gallery/ is what the code draws today: every view of every example, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("pdftocairo") is None, reason="needs poppler-utils")
def test_gallery_has_not_drifted() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "make_gallery.py"), "--check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_readme_opens_with_a_map_and_links_the_gallery() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme.split("\n## ", 1)[0]
    assert "](docs/gallery/bank-map.svg)" in head
    assert "(docs/gallery.md)" in head
    assert (ROOT / "docs" / "gallery" / "bank-map.svg").is_file()
