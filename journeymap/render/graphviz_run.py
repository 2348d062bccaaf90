"""Running the ``dot`` program: with a timeout, on stdin/stdout, never writing files."""

from __future__ import annotations

import shutil
import subprocess

from journeymap.diagnostics import RenderError, ToolMissingError

INSTALL_HINT = (
    "install Graphviz to draw flow diagrams: 'sudo apt install graphviz' (Debian/Ubuntu), "
    "'brew install graphviz' (macOS) or 'choco install graphviz' (Windows)"
)


def dot_program() -> str | None:
    """The path of the ``dot`` program, or None when Graphviz is not installed."""
    return shutil.which("dot")


def run_dot(source: str, fmt: str = "svg", *, timeout: float = 60.0) -> bytes:
    """``source`` laid out by ``dot -T<fmt>``; the output bytes.

    Raises ToolMissingError when ``dot`` is not installed and RenderError when it fails
    or runs longer than ``timeout`` seconds (it is then killed).
    """
    program = dot_program()
    if program is None:
        raise ToolMissingError(f"the 'dot' program was not found; {INSTALL_HINT}")
    try:
        done = subprocess.run(
            [program, f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(
            f"'dot' took longer than {timeout:g} s and was stopped; the flow diagram is too "
            "dense to lay out: raise the timeout or split the journey"
        ) from exc
    except OSError as exc:
        raise ToolMissingError(f"could not run 'dot' ({exc.strerror}); {INSTALL_HINT}") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"'dot' failed (exit {done.returncode}): {detail}")
    return done.stdout
