"""``python -m journeymap``."""

from journeymap.commands.cli import entry

entry()
