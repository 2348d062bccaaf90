"""Shared fixtures."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# Tests never write into the working tree: no example database, no ./.hypothesis folder.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="journeymap-hypothesis-"))
settings.register_profile("journeymap", database=None)
settings.load_profile("journeymap")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def examples() -> Path:
    """The examples folder of the checkout."""
    return EXAMPLES
