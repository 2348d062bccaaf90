"""The project a command runs in: its root (``--root``), its ``journeymap.yaml``, its journeys.

``cli`` opens the project once per run, fills the command's defaults from the config (so the
command line still wins) and hands the Project to the command as ``args.project``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeymap.source.config import Config, Project

ROOT_HELP = (
    "project root; imports may not leave it (default: the folder of journeymap.yaml, "
    "else the git work tree, else the current folder)"
)


def add_root_option(parser: argparse.ArgumentParser) -> None:
    """``--root DIR``, for every command that reads journeys."""
    parser.add_argument("--root", metavar="DIR", help=ROOT_HELP)


def input_values(args: argparse.Namespace) -> list[str]:
    """The file and folder arguments of any command, whatever it calls them."""
    for name in ("paths", "sources", "files", "file"):
        value = getattr(args, name, None)
        if value:
            return [value] if isinstance(value, str) else list(value)
    return []


def open_project(root_option: str | None, values: list[str]) -> Project:
    """The project of the inputs ``values`` (or of the current folder when there are none).

    Raises UsageError for a bad ``--root`` and JourneyError for an invalid config.
    """
    from journeymap.check.config import read_config
    from journeymap.commands.cli import UsageError
    from journeymap.source.config import CONFIG_NAME, Config, Project, find_project
    from journeymap.source.files import resolved

    if root_option is not None:
        root = resolved(Path(root_option))
        if not root_option or not root.is_dir():  # '' is no folder (Path reads it as '.')
            raise UsageError(f"--root {root_option or repr('')}: no such folder")
        config_file: Path | None = root / CONFIG_NAME
        if config_file is not None and not config_file.is_file():
            config_file = None
    else:
        root, config_file = find_project(_start(values))
    config = read_config(config_file) if config_file is not None else Config()
    return Project(root, config)


def _start(values: list[str]) -> Path:
    """The folder the project is looked for from: the common folder of the inputs that exist,
    else the current folder."""
    from journeymap.source.files import resolved

    existing = [Path(v) for v in values if Path(v).exists()]
    # A file's own folder, not its target's: a committed link to a secret elsewhere must not
    # make that folder the project (then the link would lead inside it and be read).
    folders = [resolved(p) if p.is_dir() else resolved(p.parent) for p in existing]
    return Path(os.path.commonpath(folders)) if folders else Path.cwd()


def config_places(root_option: str | None, values: list[str]) -> tuple[Path, ...]:
    """Every path where :func:`open_project` would find a project config for these inputs
    (so ``serve`` can see one created after it started)."""
    from journeymap.source.config import CONFIG_NAME
    from journeymap.source.config import config_places as places

    if root_option is not None:
        return (Path(root_option).resolve() / CONFIG_NAME,)
    return places(_start(values))


def journey_files(project: Project, paths: list[Path]) -> list[Path]:
    """The YAML files under ``paths`` (folders searched), without the config and what the
    config excludes; a file named on the command line is kept unless it is the config."""
    from journeymap.source.files import discover, resolved

    files, _ = discover(paths)
    named = {resolved(p) for p in paths if p.is_file()}
    return [
        f
        for f in files
        if resolved(f) != project.config.path
        and (resolved(f) in named or not project.is_excluded(f))
    ]


def require_journeys(paths: list[Path], files: list[Path]) -> None:
    """UsageError when only folders were given and they hold no journey file: a wrong path
    in CI would otherwise pass as "0 files checked". Files named on the command line (as
    pre-commit passes them, all of them perhaps workflows the project skips) never are."""
    from journeymap.commands.cli import UsageError
    from journeymap.source.diagnostics import display_path, printable

    if files or any(not p.is_dir() for p in paths):
        return
    where = ", ".join(printable(display_path(p)) for p in paths)
    raise UsageError(
        f"no journey files in {where}: a journey is a .yaml or .yml file (folders are searched, "
        "without what journeymap.yaml excludes)"
    )


def default_paths(project: Project) -> list[Path]:
    """What a command without PATH arguments works on: the config's ``journeys``, else the
    ``journeys/`` folder of the root; UsageError when there is neither."""
    from journeymap.commands.cli import UsageError
    from journeymap.source.config import CONFIG_NAME
    from journeymap.source.diagnostics import display_path

    if project.config.journeys:
        missing = [display_path(p) for p in project.config.journeys if not p.exists()]
        if missing:
            raise UsageError(
                f"{display_path(project.config.path or CONFIG_NAME)}: 'journeys' names "
                f"{', '.join(missing)}, which does not exist"
            )
        return [Path(display_path(p)) for p in project.config.journeys]
    folder = project.root / "journeys"
    if folder.is_dir():
        return [Path(display_path(folder))]
    raise UsageError(
        "give a PATH, or list the journey folders under 'journeys:' in journeymap.yaml "
        "(or keep them in a journeys/ folder at the project root)"
    )


def _shown(path: Path) -> str:
    from journeymap.source.diagnostics import display_path

    return display_path(path)


def _joined(values: list[Any]) -> str:
    return ",".join(str(v) for v in values)


#: Command -> (argument dest, config getter); only settings the config gives are applied.
_DEFAULTS: dict[str, dict[str, Callable[[Config], Any]]] = {
    "render": {
        "output": lambda c: c.output and _shown(c.output),
        "format": lambda c: c.render.get("formats") and _joined(c.render["formats"]),
        "what": lambda c: c.render.get("what") and _joined(c.render["what"]),
        "theme": lambda c: c.render.get("theme"),
        "paper": lambda c: c.render.get("paper"),
        "dpi": lambda c: c.render.get("dpi"),
        "templates": lambda c: c.render.get("templates") and _shown(c.render["templates"]),
        "measured": lambda c: c.render.get("measured"),
    },
    "curve": {
        "output": lambda c: c.output and _shown(c.output),
        "theme": lambda c: c.render.get("theme"),
        "dpi": lambda c: c.render.get("dpi"),
        "measured": lambda c: c.render.get("measured"),
    },
    "cards": {
        "output": lambda c: c.output and _shown(c.output),
        "paper": lambda c: c.cards.get("paper"),
        "per_page": lambda c: c.cards.get("per_page"),
        "duplex": lambda c: c.cards.get("duplex"),
        "comments": lambda c: c.cards.get("comments"),
        "format": lambda c: c.cards.get("formats") and _joined(c.cards["formats"]),
        "templates": lambda c: c.render.get("templates") and _shown(c.render["templates"]),
    },
    "build": {
        "output": lambda c: c.site.get("output") and _shown(c.site["output"]),
        "title": lambda c: c.site.get("title"),
        "format": lambda c: (
            c.render.get("formats")
            and _joined([f for f in c.render["formats"] if f != "dot"] or ["svg"])
        ),
        "theme": lambda c: c.render.get("theme"),
        "paper": lambda c: c.render.get("paper"),
        "dpi": lambda c: c.render.get("dpi"),
        "templates": lambda c: c.render.get("templates") and _shown(c.render["templates"]),
    },
    "serve": {
        "title": lambda c: c.site.get("title"),
        "theme": lambda c: c.render.get("theme"),
        "templates": lambda c: c.render.get("templates") and _shown(c.render["templates"]),
    },
}


def config_defaults(command: str, config: Config) -> dict[str, Any]:
    """Argument defaults the config sets for ``command``, including its ``limits``."""
    out = {dest: get(config) for dest, get in _DEFAULTS.get(command, {}).items()}
    out = {dest: value for dest, value in out.items() if value is not None}
    if config.limits:
        out["limit"] = [f"{name}={value}" for name, value in sorted(config.limits.items())]
    return out


def require_output(args: argparse.Namespace, what: str = "OUT", key: str = "output") -> str:
    """``-o``, given or from the config; UsageError saying how to give it."""
    from journeymap.commands.cli import UsageError

    if not args.output:
        raise UsageError(f"give -o {what} (or set '{key}:' in journeymap.yaml)")
    return str(args.output)


def output_folder(args: argparse.Namespace) -> Path:
    """``-o OUT`` of a command that writes into a folder; UsageError when it, or a folder on
    its way, is a file, a dangling link or a link loop."""
    from journeymap.commands.cli import UsageError
    from journeymap.output.write import folder_problem

    out = Path(require_output(args))
    problem = folder_problem(out)
    if problem is not None:
        raise UsageError(f"-o {problem}; nothing was written")
    return out


def having(
    journeys: list[tuple[Any, str]], option: str, wanted: str, ids: Callable[[Any], list[str]]
) -> list[tuple[Any, str]]:
    """The (journey, name) pairs whose ``ids`` hold ``wanted``; a note on stderr for each one
    skipped, and a UsageError listing the known ids when no journey has it."""
    import sys

    from journeymap.commands.cli import UsageError
    from journeymap.source.diagnostics import display_path, printable

    kept = [(j, name) for j, name in journeys if wanted in ids(j)]
    if journeys and not kept:
        known = sorted({i for j, _ in journeys for i in ids(j)})
        raise UsageError(
            f"{option} {wanted}: no journey has such a {option[2:]}; choose from "
            f"{', '.join(known) or '(none declared)'}"
        )
    for journey, _ in journeys:
        if wanted not in ids(journey):
            print(
                printable(
                    f"{display_path(journey.source or journey.id)}: note: skipped: no "
                    f"{option[2:]} '{wanted}' here (it has {', '.join(ids(journey)) or 'none'})"
                ),
                file=sys.stderr,
            )
    return kept
