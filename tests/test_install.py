"""The README's first command on a machine with only Debian's own Python (PEP 668).

Debian 13 and Ubuntu 24.04 are checked by hand in a chroot (root, debootstrap, downloads):
docs/install.md has the steps and the last results.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _readme_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = [
        c
        for c in re.findall(r"```sh\n(.*?)\n```", readme, re.S)
        if "render" in c and ".ci/setup" in c
    ]
    return command


_TOP_LEVEL_OUTPUTS = {".git", ".venv", ".cache", "out", "site"}
_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache")


def _untracked(folder: str, names: list[str]) -> set[str]:
    """What a fresh clone would not have: outputs at the top level, caches anywhere.

    Top-level only for "site" and "out": journeymap/site is the package.
    """
    ignored = set(_ANYWHERE(folder, names))
    if Path(folder) == ROOT:
        ignored |= _TOP_LEVEL_OUTPUTS & set(names)
    return ignored


@pytest.mark.exe
@pytest.mark.slow
def test_the_first_readme_command_works_with_only_the_system_python(tmp_path: Path) -> None:
    if not (SYSTEM_PYTHON.exists() and Path("/etc/debian_version").exists()):
        if os.environ.get("CI"):
            pytest.fail("Debian's python3 is missing; bash .ci/setup --test installs it")
        pytest.skip("needs Debian's /usr/bin/python3")
    checkout = tmp_path / "journeymap"
    shutil.copytree(
        ROOT,
        checkout,
        ignore=_untracked,
    )
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",  # no pyenv, no venv: python3 is Debian's
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        ["bash", "-c", _readme_command()],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    config = (checkout / ".venv" / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "home = /usr/bin" in config
    assert "include-system-site-packages = false" in config
    for name in ("map.svg", "map.pdf", "map.png", "cards.html", "cards.pdf"):
        assert (checkout / "out" / "bank" / name).stat().st_size > 0, name
    # Nothing was installed into the system Python.
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import journeymap"], cwd="/", env=env)
    assert probe.returncode != 0
    # Run again: the venv is reused, nothing is installed.
    again = subprocess.run(
        ["bash", ".ci/setup"], cwd=checkout, env=env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0 and "installing" not in again.stdout + again.stderr
