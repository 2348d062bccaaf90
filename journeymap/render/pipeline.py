"""Rendering one journey to every requested picture, each renderer imported only when used."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from journeymap.model.journey import Journey
from journeymap.render.options import RenderOptions, RenderResult
from journeymap.source.diagnostics import RenderError

#: Picture kind -> module under journeymap.render providing ``render(journey, options)``.
KINDS: dict[str, str] = {"map": "map", "curve": "curve", "flow": "flow", "blueprint": "blueprint"}


def render_journey(
    journey: Journey, options: RenderOptions, kinds: Sequence[str] = tuple(KINDS)
) -> tuple[RenderResult, list[str]]:
    """Render each kind; returns the combined result and one error message per failed kind.

    Kinds run in threads: the map's and flow's external programs (rsvg-convert, dot) work
    on another core while matplotlib draws the curve. Results keep the order of ``kinds``.
    A renderer that fails (a missing program, a timeout) does not stop the others.
    """
    modules = [importlib.import_module(f"journeymap.render.{KINDS[kind]}") for kind in kinds]
    combined = RenderResult()
    errors: list[str] = []
    with ThreadPoolExecutor(max_workers=max(1, len(modules))) as pool:
        futures = [pool.submit(module.render, journey, options) for module in modules]
        for kind, future in zip(kinds, futures, strict=True):
            try:
                result: RenderResult = future.result()
            except RenderError as exc:
                errors.append(f"{kind}: {exc}")
                continue
            combined.artifacts += result.artifacts
            combined.warnings += [f"{kind}: {w}" for w in result.warnings]
    return combined, errors
