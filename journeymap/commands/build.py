"""``journeymap build SRC -o SITE``: a static site of every journey, rebuilt incrementally."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TextIO

from journeymap.commands.arguments import add_dpi, add_paths, add_theme
from journeymap.commands.options import (
    JOBS,
    add_limit_option,
    existing_paths,
    number_type,
    parse_limits,
    parse_list,
    templates_folder,
)
from journeymap.render.options import FORMATS, PAPERS, SHEETS
from journeymap.source.diagnostics import printable
from journeymap.source.limits import MAX_HISTORY

if TYPE_CHECKING:
    from journeymap.site.worker import Outcome

HELP = "render every journey under SRC into a static site (incremental, parallel)"
EXAMPLES = """\
examples:
  journeymap build journeys -o site          site/index.html and a page per journey
  journeymap build journeys -o site -k --history 20 --title "Retail journeys"
  journeymap build                           the configured journeys into 'site: output:'
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``build``."""
    add_paths(parser, "sources", "SRC")
    parser.add_argument(
        "-o",
        "--output",
        metavar="SITE",
        help="site folder (required unless journeymap.yaml sets 'site: output:')",
    )
    parser.add_argument(
        "--title",
        metavar="TEXT",
        help="title of the index page (default: Customer journeys, in the site's language)",
    )
    parser.add_argument(
        "--format",
        default="svg",
        metavar="LIST",
        help="comma-separated formats among svg, pdf, png (default: svg, which the pages "
        "show; add pdf or png for downloads)",
    )
    add_theme(parser)
    parser.add_argument(
        "--templates", metavar="DIR", help="folder searched for templates before the built-in ones"
    )
    parser.add_argument(
        "--paper",
        choices=PAPERS,
        default="fit",
        metavar="PAPER",
        help="PDF paper (with --format pdf): fit (each view at its own size, the default), "
        f"a sheet ({', '.join(SHEETS)}: pages, all text at least 8 pt) or SHEET:fit (the "
        "whole view shrunk onto one sheet)",
    )
    add_dpi(parser)
    parser.add_argument(
        "-j", "--jobs", type=JOBS, metavar="N", help="worker processes (default: CPU cores)"
    )
    parser.add_argument(
        "-k",
        "--keep-going",
        action="store_true",
        help="publish the valid journeys even when some fail (still exits 1)",
    )
    parser.add_argument(
        "--history",
        type=HISTORY,
        default=0,
        metavar="N",
        help="also show each journey's trends over the last N commits that changed it "
        "(trends.html and history.json, read with git; default: off)",
    )
    add_limit_option(parser)


#: ``--history``: commits per journey.
HISTORY = number_type(int, 1, MAX_HISTORY)


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
    from journeymap.commands.project import (
        default_paths,
        journey_files,
        require_journeys,
        require_output,
    )
    from journeymap.output.write import blocked_folder
    from journeymap.render.options import RenderOptions
    from journeymap.site.build import SiteError, build_site

    output = require_output(args, "SITE", "site: output")
    blocked = blocked_folder(Path(output).parent)  # where the site's folder would be made
    if blocked is not None:
        part, what = blocked
        raise UsageError(f"-o {output}: {part} {what}; nothing was written")
    sources = existing_paths(args.sources) if args.sources else default_paths(args.project)
    journeys = journey_files(args.project, sources)
    require_journeys(sources, journeys)
    limits = parse_limits(args.limit)
    formats = parse_list(args.format, FORMATS, "--format")
    templates = templates_folder(args.templates)
    options = RenderOptions(
        formats=tuple(f for f in FORMATS if f in formats or f == "svg"),
        theme=args.theme,
        templates=templates,
        paper=args.paper,
        dpi=args.dpi,
        lang=args.project.config.lang,
        deck=args.project.config.deck(),
        **args.project.config.axis_options(),
    )
    bar = sys.stderr.isatty() and not os.environ.get("CI")
    try:
        report = build_site(
            sources,
            Path(output),
            options,
            limits=limits,
            jobs=args.jobs,
            keep_going=args.keep_going,
            progress=Progress(sys.stderr, bar),
            root=args.project.root,
            keep=set(journeys).__contains__,
            title=args.title,
            evidence=args.project.config.evidence,
            history=args.history,
        )
    except SiteError as exc:
        raise UsageError(str(exc)) from None
    for warning in report.warnings:
        print(printable(f"journeymap: warning: {warning}"), file=sys.stderr)
    diagnostics = sorted({d for o in report.outcomes for d in o.diagnostics})
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    for outcome in report.outcomes:
        for error in outcome.errors:
            print(printable(f"{outcome.rel}: error: {error}"), file=sys.stderr)
        for note in outcome.notes:
            print(printable(f"{outcome.rel}: note: {note}"), file=sys.stderr)
    if report.cleaned:
        print(
            f"removed {len(report.cleaned)} temporary folders of an interrupted build: "
            f"{', '.join(report.cleaned)}",
            file=sys.stderr,
        )
    if report.kept:
        listed = ", ".join(report.kept[:10]) + (" ..." if len(report.kept) > 10 else "")
        print(
            printable(
                f"{args.output}: kept {len(report.kept)} files journeymap did not build: {listed}"
            )
        )
    if report.noop:
        print(f"{printable(output)}: up to date ({len(report.reused)} files unchanged)")
        return 0
    built = [o for o in report.outcomes if o.ok and not o.library]
    failed = report.failed
    state = "published" if report.published else "NOT published (the old site is unchanged)"
    print(
        f"{printable(output)}: {state}; {len(built)} rendered, {len(report.reused)} reused, "
        f"{len(report.removed)} removed, {len(failed)} failed"
    )
    if failed and not report.published:
        print("fix the errors above, or use --keep-going to publish the rest", file=sys.stderr)
    return 1 if failed else 0
