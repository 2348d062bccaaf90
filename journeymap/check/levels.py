"""Sub-journeys (``journey:`` on a stage or touchpoint), checked like imports.

A reference must stay inside the project root and name an existing journey file (not a
library); following references from a journey must never lead back to it (the cycle is
shown). Each file of the tree below a journey is read once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from journeymap.source.diagnostics import Diagnostic, display_path
from journeymap.source.files import looked_for, resolved
from journeymap.source.loader import Document, Path_, json_path

#: Reads one file: its document (None when it does not parse) and its problems.
Reader = Callable[[Path], tuple[Document | None, list[Diagnostic]]]


def references(doc: Document) -> Iterator[tuple[Path_, str]]:
    """Each ``journey:`` of a document's stages and touchpoints that is text, with its path."""
    data = doc.data if isinstance(doc.data, dict) else {}
    stages = data.get("stages")
    for i, stage in enumerate(stages if isinstance(stages, list) else []):
        if not isinstance(stage, dict):
            continue
        if isinstance(stage.get("journey"), str):
            yield ("stages", i, "journey"), stage["journey"]
        tps = stage.get("touchpoints")
        for k, tp in enumerate(tps if isinstance(tps, list) else []):
            if isinstance(tp, dict) and isinstance(tp.get("journey"), str):
                yield ("stages", i, "touchpoints", k, "journey"), tp["journey"]


def targets(doc: Document, file: Path) -> list[Path]:
    """The resolved files a document's ``journey:`` references name, in file order."""
    here = file.resolve().parent
    return [resolved(here / rel) for _, rel in references(doc)]


def title_of(doc: Document | None, path: Path) -> str:
    """A journey's title for a link to it (its file's name when it has none)."""
    title = doc.data.get("title") if doc is not None and isinstance(doc.data, dict) else None
    return title if isinstance(title, str) and title.strip() else path.stem


def check_levels(
    doc: Document,
    file: Path,
    root: Path,
    read: Reader,
    links: dict[Path, list[Path]] | None = None,
) -> tuple[list[Diagnostic], dict[Path, str]]:
    """Problems of ``doc``'s sub-journey references, and the title of each one it names.

    Problems deeper in the tree are each file's own (reported when it is validated), except
    a cycle back to ``doc``, reported at the reference that starts it. ``links`` keeps each
    file's resolved references across calls (a chain of n files checked file by file walked
    the chain n times, resolving every path again: 300 files took 15 s).
    """
    problems: list[Diagnostic] = []
    titles: dict[Path, str] = {}
    start = file.resolve()
    for where, rel in references(doc):
        target = resolved(start.parent / rel)  # a loop: not found, not a crash
        message = _problem(rel, target, root, read)
        if message:
            problems.append(_at(doc, where, message[0], message[1]))
            continue
        found, _ = read(target)
        titles[target] = title_of(found, target)
        cycle = _cycle(start, target, root, read, {} if links is None else links)
        if cycle:
            shown = " -> ".join(display_path(p) for p in (start, *cycle))
            problems.append(_at(doc, where, f"sub-journey cycle: {shown}", "level-cycle"))
    return problems, titles


def _problem(rel: str, target: Path, root: Path, read: Reader) -> tuple[str, str] | None:
    """Why ``target`` cannot be a sub-journey (message, code), or None."""
    if not target.is_relative_to(root):
        return (
            f"sub-journey '{rel}' leaves the project root ({display_path(root)}); keep "
            "detailed journeys inside it (or choose the root with --root)",
            "bad-level",
        )
    try:
        regular, there = target.is_file(), target.exists()
    except OSError as exc:  # a name too long for the file system
        return f"sub-journey '{rel}' cannot be read: {exc.strerror}", "bad-level"
    if there and not regular:
        return (
            f"sub-journey '{rel}' is not a regular file ({display_path(target)}); "
            "name a journey file",
            "bad-level",
        )
    if not regular:
        return f"sub-journey '{rel}' not found (looked for {looked_for(target)})", "bad-level"
    found, problems = read(target)
    if found is None:
        first = problems[0] if problems else None
        why = f": {first.path}:{first.line}:{first.col}: {first.message}" if first else ""
        return f"sub-journey '{rel}' cannot be read{why}", "bad-level"
    if not isinstance(found.data, dict) or "journeymap" not in found.data:
        return (
            f"sub-journey '{rel}' is not a journey (it has no 'journeymap: 1'); name a "
            "journey file",
            "bad-level",
        )
    if found.data.get("kind") == "library":
        return (
            f"sub-journey '{rel}' is a library (kind: library), not a journey; name a "
            "journey file, or list a library under 'imports'",
            "bad-level",
        )
    return None


def _cycle(
    start: Path, first: Path, root: Path, read: Reader, links: dict[Path, list[Path]]
) -> tuple[Path, ...] | None:
    """The files from ``first`` back to ``start`` when following references (inside
    ``root``, depth first, each file once) gets there, else None."""
    seen = {first}
    stack: list[tuple[Path, ...]] = [(first,)]
    while stack:
        chain = stack.pop()
        if chain[-1] == start:
            return chain
        here = chain[-1]
        if here not in links:
            inside = here.is_relative_to(root) and _regular(here)
            doc, _ = read(here) if inside else (None, [])
            links[here] = [] if doc is None else targets(doc, here)
        for target in reversed(links[here]):
            if target == start or target not in seen:
                seen.add(target)
                stack.append((*chain, target))
    return None


def _regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (False when it cannot even be looked at)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _at(doc: Document, where: Path_, message: str, code: str) -> Diagnostic:
    mark = doc.locate(where)
    return Diagnostic(doc.path, mark.line, mark.col, "error", message, json_path(where), code)
