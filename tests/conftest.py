"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Tests never write into the working tree: no example database in ./.hypothesis.
settings.register_profile("journeymap", database=None)
settings.load_profile("journeymap")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def examples() -> Path:
    """The examples folder of the checkout."""
    return EXAMPLES
