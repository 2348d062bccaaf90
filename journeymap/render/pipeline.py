"""Rendering one journey to every requested picture, each renderer imported only when used."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from journeymap.diagnostics import RenderError
from journeymap.model import Journey
from journeymap.render.options import RenderOptions, RenderResult

#: Picture kind -> module under journeymap.render providing ``render(journey, options)``.
KINDS: dict[str, str] = {"map": "map", "curve": "curve", "flow": "flow"}


def render_journey(
    journey: Journey, options: RenderOptions, kinds: Sequence[str] = tuple(KINDS)
) -> tuple[RenderResult, list[str]]:
    """Render each kind; returns the combined result and one error message per failed kind.

    A renderer that fails (a missing program, a timeout) does not stop the others.
    """
    combined = RenderResult()
    errors: list[str] = []
    for kind in kinds:
        module = importlib.import_module(f"journeymap.render.{KINDS[kind]}")
        try:
            result: RenderResult = module.render(journey, options)
        except RenderError as exc:
            errors.append(f"{kind}: {exc}")
            continue
        combined.artifacts += result.artifacts
        combined.warnings += [f"{kind}: {w}" for w in result.warnings]
    return combined, errors
