"""The built wheel carries schemas/ and templates/ and works outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_validates_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    (wheel,) = dist.glob("journeymap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "journeymap/schemas/journey.schema.json" in names
    assert "journeymap/templates/init/journey.yaml" in names
    assert "journeymap/text/fonts/metrics.json" in names
    # A fresh venv that sees the already-installed dependencies but not our checkout.
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "bank.yaml").write_bytes((ROOT / "examples" / "bank.yaml").read_bytes())
    where = subprocess.run(
        [str(python), "-c", "import journeymap; print(journeymap.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in where.stdout, "the test must run the installed wheel, not the checkout"
    journeymap_bin = venv / "bin" / "journeymap"
    proc = subprocess.run(
        [str(journeymap_bin), "validate", "bank.yaml"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all valid" in proc.stdout
    schema = subprocess.run(
        [str(journeymap_bin), "schema"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert '"$schema"' in schema.stdout
