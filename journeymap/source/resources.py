"""Where the data files live: inside the installed package, or at the top of a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def data_dir(name: str) -> Path:
    """The ``schemas`` or ``templates`` folder: in the wheel, or beside the package."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"journeymap is installed without its {name}/ folder")


def schema_path() -> Path:
    """The published JSON Schema of the journey format."""
    return data_dir("schemas") / "journey.schema.json"


def config_schema_path() -> Path:
    """The published JSON Schema of the project config, ``journeymap.yaml``."""
    return data_dir("schemas") / "config.schema.json"


def templates_dir() -> Path:
    """The built-in Jinja2 templates."""
    return data_dir("templates")
