"""``python -m journeymap``."""

from journeymap.cli import entry

entry()
