"""Running the ``dot`` program: with a timeout, on stdin/stdout, never writing files."""

from __future__ import annotations

import shutil

from journeymap.output.programs import run_program
from journeymap.source.diagnostics import ToolMissingError

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
    return run_program(
        [program, f"-T{fmt}"],
        source.encode("utf-8"),
        timeout=timeout,
        install_hint=INSTALL_HINT,
        too_slow_hint="the flow diagram is too dense to lay out: raise the timeout or split "
        "the journey",
    )
