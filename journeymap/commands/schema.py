"""``journeymap schema``: print the JSON Schema of the journey format."""

from __future__ import annotations

import argparse
import sys

HELP = "print the JSON Schema of the journey format (for editors and other validators)"


def configure(parser: argparse.ArgumentParser) -> None:
    """``schema`` takes no arguments."""


def run(args: argparse.Namespace) -> int:
    """Write the schema file's text to stdout."""
    from journeymap.source.resources import schema_path

    sys.stdout.write(schema_path().read_text(encoding="utf-8"))
    return 0
