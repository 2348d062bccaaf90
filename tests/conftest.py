"""Shared fixtures."""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# Tests never write into the working tree: no example database, no ./.hypothesis folder.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="journeymap-hypothesis-"))
settings.register_profile("journeymap", database=None)
settings.load_profile("journeymap")

# A suite started in the background of a shell script (``cmd &``) inherits SIGINT ignored,
# and so would every program it starts: the tests that press Ctrl-C need it delivered.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def examples() -> Path:
    """The examples folder of the checkout."""
    return EXAMPLES
