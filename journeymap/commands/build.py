"""``journeymap build SRC -o SITE``: a static site of every journey, rebuilt incrementally."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TextIO

from journeymap.commands.options import (
    DPI,
    JOBS,
    add_limit_option,
    existing_paths,
    parse_limits,
    parse_list,
)
from journeymap.render.options import FORMATS
from journeymap.source.diagnostics import printable

if TYPE_CHECKING:
    from journeymap.site.worker import Outcome

HELP = "render every journey under SRC into a static site (incremental, parallel)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``build``."""
    parser.add_argument("sources", nargs="+", metavar="SRC", help="journey files or folders")
    parser.add_argument("-o", "--output", required=True, metavar="SITE", help="site folder")
    parser.add_argument(
        "--format",
        default=",".join(FORMATS),
        metavar="LIST",
        help="picture formats among svg, pdf, png (default: all; svg is always made)",
    )
    parser.add_argument("--theme", choices=("default", "print"), default="default")
    parser.add_argument("--templates", metavar="DIR", help="folder of templates to use first")
    parser.add_argument(
        "--paper",
        choices=("fit", "a4", "a3", "a2", "a1", "letter", "tabloid"),
        default="fit",
        help="page size of the map PDF (default: fit)",
    )
    parser.add_argument(
        "--dpi", type=DPI, default=96, help="PNG resolution, 10 to 1200 (default: 96)"
    )
    parser.add_argument(
        "-j", "--jobs", type=JOBS, metavar="N", help="worker processes (default: CPU cores)"
    )
    parser.add_argument(
        "-k",
        "--keep-going",
        action="store_true",
        help="publish the valid journeys even when some fail (still exits 1)",
    )
    add_limit_option(parser)


class Progress:
    """A progress bar on a terminal; one plain line per journey in CI or when piped."""

    def __init__(self, stream: TextIO, bar: bool) -> None:
        self.stream = stream
        self.bar = bar

    def __call__(self, done: int, total: int, outcome: Outcome) -> None:
        rel, ok = outcome.rel, outcome.ok
        done_word = "checked" if outcome.library else "built"
        if self.bar:
            width = 30
            filled = width * done // max(total, 1)
            line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {printable(rel)}"
            self.stream.write(line[:100].ljust(100))
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(
                f"[{done}/{total}] {done_word if ok else 'FAILED'} {printable(rel)}\n"
            )
        self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Build the site; exit 1 when any journey failed (the site is kept as it was unless -k)."""
    from pathlib import Path

    from journeymap.commands.cli import UsageError
    from journeymap.render.options import RenderOptions
    from journeymap.site.build import SiteError, build_site

    sources = existing_paths(args.sources)
    limits = parse_limits(args.limit)
    formats = parse_list(args.format, FORMATS, "--format")
    templates = Path(args.templates) if args.templates else None
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates}: no such folder")
    options = RenderOptions(
        formats=tuple(f for f in FORMATS if f in formats or f == "svg"),
        theme=args.theme,
        templates=templates,
        paper=args.paper,
        dpi=args.dpi,
    )
    bar = sys.stderr.isatty() and not os.environ.get("CI")
    try:
        report = build_site(
            sources,
            Path(args.output),
            options,
            limits=limits,
            jobs=args.jobs,
            keep_going=args.keep_going,
            progress=Progress(sys.stderr, bar),
        )
    except SiteError as exc:
        raise UsageError(str(exc)) from None
    diagnostics = sorted({d for o in report.outcomes for d in o.diagnostics})
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    for outcome in report.outcomes:
        for error in outcome.errors:
            print(printable(f"{outcome.rel}: error: {error}"), file=sys.stderr)
        for note in outcome.notes:
            print(printable(f"{outcome.rel}: note: {note}"), file=sys.stderr)
    if report.noop:
        print(f"{printable(args.output)}: up to date ({len(report.reused)} files unchanged)")
        return 0
    built = [o for o in report.outcomes if o.ok and not o.library]
    failed = report.failed
    state = "published" if report.published else "NOT published (the old site is unchanged)"
    print(
        f"{printable(args.output)}: {state}; {len(built)} rendered, {len(report.reused)} reused, "
        f"{len(report.removed)} removed, {len(failed)} failed"
    )
    if failed and not report.published:
        print("fix the errors above, or use --keep-going to publish the rest", file=sys.stderr)
    return 1 if failed else 0
