"""journeymap: customer journeys in YAML to maps, curves, flows and role-play cards.

The library API::

    import journeymap
    journey = journeymap.load("journeys/bank.yaml")   # raises journeymap.JourneyError
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from journeymap.model.journey import Journey
from journeymap.source.diagnostics import Diagnostic, JourneyError

if TYPE_CHECKING:
    from journeymap.check.validate import load, validate_file

__all__ = ["Diagnostic", "Journey", "JourneyError", "__version__", "load", "validate_file"]


def __getattr__(name: str) -> object:
    # load/validate_file pull in the loader and jsonschema: only when asked for.
    if name in ("load", "validate_file"):
        from journeymap.check import validate

        return getattr(validate, name)
    raise AttributeError(name)
