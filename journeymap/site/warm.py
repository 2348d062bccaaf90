"""Warm-up for the workers of ``journeymap serve``: importing this module builds the starter
journey once into a throw-away folder.

Only the fork server of ``serve`` imports it (see ``serve.WORKER_MODULES``). Every rebuild's
fresh worker is forked from that server, so it starts with the schema validator, the compiled
built-in templates, the fonts and matplotlib already loaded: a 30-touchpoint journey then
rebuilds in about half the time. When templates change, ``serve`` restarts the fork server.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from journeymap.render.options import RenderOptions
from journeymap.site.worker import Task, run_task
from journeymap.source.limits import DEFAULT_LIMITS
from journeymap.source.resources import templates_dir


def warm() -> bool:
    """Build the starter journey the way a site worker does; True when it was built (any
    failure only costs speed, so none is raised)."""
    source = templates_dir() / "init" / "journey.yaml"
    with tempfile.TemporaryDirectory(prefix="journeymap-warm-") as folder:
        task = Task(
            source, source.name, source.parent, "warm", Path(folder) / "warm",
            RenderOptions(formats=("svg",)), DEFAULT_LIMITS,
        )  # fmt: skip
        try:
            return run_task(task).ok
        except Exception:
            return False


warm()
