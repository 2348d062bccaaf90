"""``journeymap serve [PATH...]``: a live preview of the site that follows every save."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from journeymap.commands.arguments import add_paths, add_theme
from journeymap.commands.options import (
    add_limit_option,
    existing_paths,
    parse_limits,
    templates_folder,
)

if TYPE_CHECKING:
    from journeymap.site.build import BuildReport
    from journeymap.site.serve import Inputs

HELP = "preview the site in a browser; it rebuilds and the page reloads on every save"
EXAMPLES = """\
examples:
  journeymap serve                      the configured journeys at http://127.0.0.1:8000/
  journeymap serve journeys/bank.yaml --port 0      one journey, on any free port
  journeymap serve --templates my-templates         see template edits as you save them
"""
DEFAULT_PORT = 8000


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``serve``."""
    add_paths(parser)
    parser.add_argument(
        "-p",
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; 0 picks a free one, printed)",
    )
    parser.add_argument(
        "--title",
        metavar="TEXT",
        help="title of the index page (default: Customer journeys, in the site's language)",
    )
    add_theme(parser)
    parser.add_argument(
        "--templates", metavar="DIR", help="folder searched for templates before the built-in ones"
    )
    add_limit_option(parser)


def inputs(args: argparse.Namespace) -> Inputs:
    """What to build, from the command line and the project config (``args.project``)."""
    from journeymap.commands.project import (
        config_places,
        default_paths,
        input_values,
        journey_files,
    )
    from journeymap.render.options import RenderOptions
    from journeymap.site.serve import Inputs

    project = args.project
    sources = existing_paths(args.paths) if args.paths else default_paths(project)
    folder = templates_folder(args.templates)
    templates = folder.resolve() if folder is not None else None
    return Inputs(
        tuple(sources),
        RenderOptions(
            formats=("svg",),
            theme=args.theme,
            templates=templates,
            lang=project.config.lang,
            deck=project.config.deck(),
            **project.config.axis_options(),
        ),
        parse_limits(args.limit),
        settings=(project.config.path,) if project.config.path else (),
        awaited=() if project.config.path else config_places(args.root, input_values(args)),
        root=project.root,
        title=args.title,
        keep=set(journey_files(project, sources)).__contains__,
        evidence=project.config.evidence,
    )


def _reader(argv: list[str]) -> Inputs:
    """The inputs as they are now: the command line parsed again with the current config."""
    from journeymap.commands.cli import UsageError, build_parser, parse
    from journeymap.site.serve import InputsError
    from journeymap.source.diagnostics import JourneyError

    try:
        return inputs(parse(build_parser(), argv))
    except JourneyError as exc:  # a broken journeymap.yaml
        raise InputsError(str(d) for d in exc.diagnostics) from None
    except UsageError as exc:  # e.g. its 'journeys' names a folder that is gone
        raise InputsError([f"journeymap: error: {exc}"]) from None


def _report(report: BuildReport | None, problems: tuple[str, ...], seconds: float) -> None:
    """One line per build on stderr, with the located errors of a failed one."""
    from journeymap.source.diagnostics import printable

    if report is None or not report.published:
        for line in problems:
            print(printable(line), file=sys.stderr)
        print(
            "serve: NOT rebuilt: the page shows the errors; fix them and save "
            "(the last good build stays one click away)",
            file=sys.stderr,
        )
        return
    built = [printable(o.rel) for o in report.outcomes if o.ok and not o.library]
    what = ", ".join(built) if built else "the index"
    print(
        f"serve: rebuilt {what} in {seconds:.2f} s; {len(report.reused)} unchanged",
        file=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    """Build into a temporary folder, serve it, rebuild on change until Ctrl-C (exit 130)."""
    from journeymap.commands.cli import EXIT_INTERRUPTED, UsageError
    from journeymap.site import serve

    inputs(args)  # usage errors now, before anything starts
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be between 0 and 65535 (0 picks a free port)")
    serve.preload_workers()
    live = serve.LiveSite(lambda: _reader(args.argv))
    server: serve.PreviewServer | None = None
    try:
        with serve.interrupts():
            try:
                server = serve.PreviewServer(live, args.port)
            except OSError as exc:
                raise UsageError(
                    f"--port {args.port}: cannot listen on 127.0.0.1 ({exc.strerror or exc}); "
                    "choose another port, or --port 0 for a free one"
                ) from None
            server.start()
            print(f"Serving {server.url} (Ctrl-C to stop)", flush=True)
            serve.watch(live, lambda report: _report(report, live.status.problems, live.seconds))
    except KeyboardInterrupt:
        pass
    finally:
        with serve.uninterrupted():
            if server is not None:
                server.close()
            live.close()
            serve.stop_workers()
    print("serve: stopped; the temporary site was removed", file=sys.stderr)
    return EXIT_INTERRUPTED
