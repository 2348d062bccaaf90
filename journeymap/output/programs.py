"""Running an external program (dot, rsvg-convert): bytes in, bytes out, bounded in time."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from journeymap.source.diagnostics import RenderError, ToolMissingError


def run_program(
    argv: Sequence[str],
    stdin: bytes,
    *,
    timeout: float,
    install_hint: str,
    too_slow_hint: str,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
) -> bytes:
    """The program's standard output.

    Raises ToolMissingError (with ``install_hint``) when it cannot be started, and
    RenderError when it runs past ``timeout`` seconds (it is killed; ``too_slow_hint`` says
    what to do) or exits non-zero (its standard error goes into the message).
    """
    name = Path(argv[0]).name
    try:
        done = subprocess.run(
            list(argv),
            input=stdin,
            capture_output=True,
            cwd=cwd,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(
            f"'{name}' took longer than {timeout:g} s and was stopped; {too_slow_hint}"
        ) from exc
    except OSError as exc:
        raise ToolMissingError(f"could not run '{name}' ({exc.strerror}); {install_hint}") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip() or "no error message"
        raise RenderError(f"'{name}' failed (exit {done.returncode}): {detail}")
    return done.stdout
