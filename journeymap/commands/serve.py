"""``journeymap serve [PATH]``: a live preview of the site that follows every save."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from journeymap.commands.options import add_limit_option, existing_paths, parse_limits

if TYPE_CHECKING:
    from journeymap.site.build import BuildReport

HELP = "preview the site in a browser; rebuilds and reloads the page on every save"
DEFAULT_PORT = 8000


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``serve``."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="journey files or folders (default: journeys/ if there is one, else .)",
    )
    parser.add_argument(
        "-p",
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument("--theme", choices=("default", "print"), default="default")
    parser.add_argument("--templates", metavar="DIR", help="folder of templates to use first")
    add_limit_option(parser)


def _default_paths() -> list[str]:
    return ["journeys"] if Path("journeys").is_dir() else ["."]


def _report(report: BuildReport | None, problems: tuple[str, ...], seconds: float) -> None:
    """One line per build on stderr, with the located errors of a failed one."""
    if report is None or not report.published:
        for line in problems:
            print(line, file=sys.stderr)
        print(
            "serve: NOT rebuilt: the page shows the errors; fix them and save "
            "(the last good build stays one click away)",
            file=sys.stderr,
        )
        return
    built = [o.rel for o in report.outcomes if o.ok and not o.library]
    what = ", ".join(built) if built else "index"
    print(
        f"serve: rebuilt {what} in {seconds:.2f} s; {len(report.reused)} unchanged",
        file=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    """Build into a temporary folder, serve it, rebuild on change until Ctrl-C (exit 130)."""
    from journeymap.commands.cli import EXIT_INTERRUPTED, UsageError
    from journeymap.render.options import RenderOptions
    from journeymap.site import serve

    sources = tuple(existing_paths(args.paths or _default_paths()))
    limits = parse_limits(args.limit)
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be between 0 and 65535 (0 picks a free port)")
    templates = Path(args.templates).resolve() if args.templates else None
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {args.templates}: no such folder")
    options = RenderOptions(formats=("svg",), theme=args.theme, templates=templates)

    def read_inputs() -> serve.Inputs:
        return serve.Inputs(sources, options, limits)

    serve.preload_workers()
    live = serve.LiveSite(read_inputs)
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
