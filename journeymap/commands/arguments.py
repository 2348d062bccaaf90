"""Arguments several commands declare alike: same names, metavars, defaults and help."""

from __future__ import annotations

import argparse

from journeymap.commands.options import DPI


def output_file(value: str) -> str:
    """The value of an option naming one file to write: not empty, not ending in '/'."""
    if not value:
        raise argparse.ArgumentTypeError("is empty; give a file path")
    if value.endswith("/"):
        raise argparse.ArgumentTypeError(
            f"{value!r} ends in '/', so it names a folder; give a file path"
        )
    return value


def add_paths(parser: argparse.ArgumentParser, dest: str = "paths", metavar: str = "PATH") -> None:
    """Journey files or folders, optional: without them the project's journeys are used."""
    parser.add_argument(
        dest,
        nargs="*",
        metavar=metavar,
        help="journey files or folders (default: the 'journeys' of journeymap.yaml, "
        "else the journeys/ folder of the project root)",
    )


def add_theme(parser: argparse.ArgumentParser) -> None:
    """``--theme default|print``."""
    parser.add_argument(
        "--theme",
        choices=("default", "print"),
        default="default",
        metavar="THEME",
        help="colours: default or print (grayscale-safe) (default: default)",
    )


def add_dpi(parser: argparse.ArgumentParser) -> None:
    """``--dpi N``."""
    parser.add_argument(
        "--dpi", type=DPI, default=96, metavar="N", help="PNG resolution, 10-1200 (default: 96)"
    )


def add_measured(parser: argparse.ArgumentParser) -> None:
    """``--measured``: the evidence's survey scores on the curve."""
    parser.add_argument(
        "--measured",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="overlay the measured survey scores of the journeys' evidence on the curve, "
        "with 95%% error bars (samples under 30 answers faint and labelled)",
    )


def add_x(parser: argparse.ArgumentParser) -> None:
    """``--x order|time``: the x axis of the map and the curve."""
    parser.add_argument(
        "--x",
        metavar="AXIS",
        help="x axis of the map and the curve: order (one touchpoint after another, the "
        "default) or time (placed by 'at' on a compressed time scale, waits labelled); "
        "default: render: x: in journeymap.yaml, else order",
    )
