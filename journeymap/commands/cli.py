"""The ``journeymap`` command line: parses arguments, runs one command, owns the exit code.

Each command lives in ``journeymap/commands/<name>.py`` with ``HELP``, ``configure(parser)``
and ``run(args) -> int``. Command modules import heavy libraries only inside ``run`` so
``--help`` and ``validate`` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence

from journeymap import __version__
from journeymap.source.diagnostics import printable

#: Command name -> module name under journeymap.commands, in the order ``--help`` lists them.
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "render": "render",
    "curve": "curve",
    "cards": "cards",
    "build": "build",
    "serve": "serve",
    "diff": "diff",
    "export": "export",
    "evidence": "evidence",
    "import": "import_",
    "schema": "schema",
    "init": "init",
}

#: Commands that read journeys: they take ``--root`` and the project config.
PROJECT_COMMANDS = frozenset(
    {"validate", "render", "curve", "cards", "build", "serve", "diff", "export", "evidence"}
)

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A wrong command line: the CLI prints the message (and ``usage``) and exits 2."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        #: The command's usage lines (our own text, printed as it is).
        self.usage = usage


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every usage error takes one path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, self.format_usage().rstrip())


def build_parser() -> ArgumentParser:
    """The parser with every available command registered."""
    from journeymap.commands.project import add_root_option

    parser = ArgumentParser(
        prog="journeymap",
        description="Customer journeys in YAML to journey maps, emotion curves, "
        "flow diagrams and role-play cards. Settings come from journeymap.yaml at the "
        "project root when there is one; options given here override them.",
        epilog="Run 'journeymap COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"journeymap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(f"journeymap.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"journeymap.commands.{module_name}":
                raise
            continue
        command = sub.add_parser(
            name,
            help=module.HELP,
            description=module.HELP[0].upper() + module.HELP[1:] + ".",
            epilog=getattr(module, "EXAMPLES", None),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.configure(command)
        if name in PROJECT_COMMANDS:
            add_root_option(command)
        command.set_defaults(run=module.run, command_parser=command)
    return parser


def parse(parser: ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv``; for a command that reads journeys, open its project and parse again
    with the project config's settings as defaults, so the command line wins."""
    from journeymap.commands.project import config_defaults, input_values, open_project

    args = parser.parse_args(argv)
    if getattr(args, "command", None) in PROJECT_COMMANDS:
        project = open_project(args.root, input_values(args))
        args.command_parser.set_defaults(**config_defaults(args.command, project.config))
        args = parser.parse_args(argv)
        args.project = project
    args.argv = list(sys.argv[1:] if argv is None else argv)  # serve parses again on change
    return args


def entry() -> None:
    """The console script: run ``main`` and exit with its code.

    Once the command has finished, Ctrl-C can no longer cut the interpreter's shutdown
    short (which would end the process by signal instead of with the command's code).
    """
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 invalid input, 2 usage error)."""
    from journeymap.output.write import OutputError
    from journeymap.source.diagnostics import JourneyError

    parser = build_parser()
    try:
        args = parse(parser, argv)
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        return int(args.run(args))
    except (UsageError, OutputError) as exc:  # OutputError: an output that must not be written
        print(printable(f"journeymap: error: {exc}"), file=sys.stderr)
        if isinstance(exc, UsageError) and exc.usage:
            print(exc.usage, file=sys.stderr)
        return EXIT_USAGE
    except JourneyError as exc:  # an invalid project config
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print(
            "journeymap: interrupted; finished outputs were kept, none was left half-written",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (journeymap ... | head); nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""  # none: "error: Connection refused"
        print(printable(f"journeymap: error: {where}{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # a bug of ours: say so briefly, never a traceback
        if os.environ.get("JOURNEYMAP_DEBUG"):
            raise
        print(
            f"journeymap: internal error: {type(exc).__name__}: {printable(str(exc))}\n"
            "This is a bug in journeymap; set JOURNEYMAP_DEBUG=1 to see the traceback "
            "and please report it.",
            file=sys.stderr,
        )
        return 70
