"""Validation end to end: read, parse, check the schema, resolve imports, check meaning, build.

``validate_file`` returns diagnostics and, when there are no errors, the Journey; ``load`` is
the one-call library API that raises :class:`~journeymap.source.diagnostics.JourneyError`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from journeymap.check.blueprint import SILENT_WAIT
from journeymap.check.evidence import check_sources, declared_in, measure, shared_sources
from journeymap.check.evidence import lint as lint_evidence
from journeymap.check.levels import check_levels
from journeymap.check.schema import check as schema_check
from journeymap.check.schema import label
from journeymap.check.semantics import Checker
from journeymap.model.builder import build
from journeymap.model.journey import Journey
from journeymap.source.config import SharedEvidence, find_root
from journeymap.source.diagnostics import Diagnostic, JourneyError, display_path
from journeymap.source.files import looked_for, read_source, resolved
from journeymap.source.limits import DEFAULT_LIMITS, Limits
from journeymap.source.loader import Document, YamlError, json_path, load_bytes

SUPPORTED_VERSIONS = (1,)


@dataclass
class Result:
    """What validating one file found."""

    path: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    journey: Journey | None = None
    #: True for a library file (``kind: library``): valid, but nothing to render.
    library: bool = False
    #: Every file this one imports, directly or not (for build caches).
    imports: tuple[Path, ...] = ()

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(d.level == "error" for d in self.diagnostics)


def _diag(
    doc: Document, path: tuple[str | int, ...], message: str, code: str, at_key: bool = False
) -> Diagnostic:
    mark = doc.locate_key(path) if at_key else doc.locate(path)
    return Diagnostic(doc.path, mark.line, mark.col, "error", message, json_path(path), code)


def _structure(doc: Document) -> list[Diagnostic]:
    """Version check first (its own message), then the schema."""
    data = doc.data
    out: list[Diagnostic] = []
    if data is None:
        return [
            _diag(
                doc,
                (),
                "file is empty (only comments or blank lines); a journey needs at least "
                "'journeymap: 1', a 'title' and one stage "
                "(run 'journeymap init' for a starter file)",
                "empty",
            )
        ]
    version = data.get("journeymap") if isinstance(data, dict) else None
    if (
        isinstance(data, dict)
        and "journeymap" in data
        and (isinstance(version, bool) or version not in SUPPORTED_VERSIONS)
    ):
        supported = ", ".join(map(str, SUPPORTED_VERSIONS))
        # As YAML writes it (true, null, [1]), not as Python does (True, None).
        shown = repr(version) if isinstance(version, str) else json.dumps(version)
        shown = shown if len(shown) <= 40 else f"{shown[:39]}…"
        message = (
            f"format version {shown} is not supported; this journeymap reads "
            f"version {supported} (write 'journeymap: 1')"
        )
        if isinstance(version, str) and version.strip() in map(str, SUPPORTED_VERSIONS):
            message = (
                f"the format version is a number, not the text {version!r}; remove the quotes: "
                "journeymap: 1"
            )
        out.append(_diag(doc, ("journeymap",), message, "unsupported-version"))
    for problem in schema_check(data):
        if problem.path == ("journeymap",) and out:
            continue
        message = problem.message
        comment = doc.comments.get(doc.locate(problem.path)) if problem.code == "type" else None
        if comment is not None:
            message = _comment_message(problem.path, comment)
        out.append(_diag(doc, problem.path, message, problem.code, problem.at_key))
    return out


def _comment_message(path: tuple[str | int, ...], comment: str) -> str:
    """An empty value whose text became a comment: ``color: #0072B2``."""
    value = comment.split(" #", 1)[0].strip()
    key = path[-1] if path and isinstance(path[-1], str) else None
    fix = f'{key}: "{value}"' if key else f'"{value}"'
    return (
        f"'{label(path)}' is empty: '{value}' was read as a comment, because '#' after a "
        f"space starts one; put the value in quotes: {fix}"
    )


class Session:
    """Validates files below one root folder, reading each imported library once."""

    def __init__(
        self,
        root: Path | None = None,
        limits: Limits = DEFAULT_LIMITS,
        shared: SharedEvidence | None = None,
        silent_wait: float = SILENT_WAIT,
    ) -> None:
        self.root = root.resolve() if root else None
        self.limits = limits
        #: The ``evidence:`` that ``journeymap.yaml`` declares for its journeys (checked).
        self.shared = shared
        #: Lint ``silent-wait``: the shortest wait (seconds) that needs evidence.
        self.silent_wait = silent_wait
        self._docs: dict[Path, tuple[Document | None, list[Diagnostic]]] = {}
        #: Each file's resolved sub-journey references, for the level-cycle search.
        self._links: dict[Path, list[Path]] = {}

    def read(self, path: Path) -> tuple[Document | None, list[Diagnostic]]:
        """Parse and schema-check one file (cached by absolute path)."""
        key = resolved(path)
        if key not in self._docs:
            shown = display_path(path)
            try:
                doc = load_bytes(read_source(path, self.limits, self.root), shown, self.limits)
                self._docs[key] = (doc, _structure(doc))
            except YamlError as exc:
                self._docs[key] = (None, [exc.diagnostic])
        return self._docs[key]

    def imports(
        self, doc: Document, file: Path
    ) -> tuple[list[Document], list[Diagnostic], list[Path]]:
        """The libraries ``doc`` imports (directly or not), problems found, and all files read.

        Each file is read and listed once, however many paths lead to it (a diamond, a
        lattice, two spellings of one file): its identity is the file, not the path. The
        walk keeps its own stack, so chains of any length work. Libraries come depth-first
        in import order.
        """
        libraries: list[Document] = []
        problems: list[Diagnostic] = []
        files: list[Path] = []
        root = self.root or file.parent.resolve()
        start = file.resolve()
        seen = {_identity(start)}
        active = [_identity(start)]  # the identity of each file on the stack
        on_chain = set(active)
        chain: tuple[Path, ...] = (start,)
        stack = [(doc, start, chain, iter(_import_list(doc)))]
        while stack:
            current, current_file, chain, entries = stack[-1]
            step = next(entries, None)
            if step is None:
                stack.pop()
                on_chain.discard(active.pop())
                continue
            i, rel = step
            where = ("imports", i)
            target = resolved(current_file.parent / rel)  # a loop: not found, not a crash
            if not target.is_relative_to(root):
                problems.append(
                    _diag(
                        current,
                        where,
                        f"import '{rel}' leaves the project root ({display_path(root)}); "
                        "keep shared files inside it (or choose the root with --root)",
                        "bad-import",
                    )
                )
                continue
            if not target.is_file():
                problems.append(
                    _diag(
                        current,
                        where,
                        f"import '{rel}' not found (looked for {looked_for(target)})",
                        "bad-import",
                    )
                )
                continue
            identity = _identity(target)
            if identity in on_chain:
                cycle = " -> ".join(display_path(p) for p in (*chain, target))
                problems.append(_diag(current, where, f"import cycle: {cycle}", "import-cycle"))
                continue
            if identity in seen:
                continue
            seen.add(identity)
            files.append(target)
            lib, lib_problems = self.read(target)
            problems += lib_problems
            if lib is None or lib_problems:
                continue
            libraries.append(lib)
            active.append(identity)
            on_chain.add(identity)
            stack.append((lib, target, (*chain, target), iter(_import_list(lib))))
        return libraries, problems, files

    def validate(self, path: Path) -> Result:
        """Every diagnostic of one file, and its Journey when it has no errors."""
        result = Result(path)
        doc, problems = self.read(path)
        result.diagnostics += problems
        if doc is None:
            return result
        libraries, import_problems, files = self.imports(doc, path)
        result.diagnostics += import_problems
        result.imports = tuple(files)
        data = doc.data if isinstance(doc.data, dict) else {}
        result.library = declares_library(doc)
        checker = Checker(doc, libraries, self.limits)
        checker.silent_wait = self.silent_wait
        result.diagnostics += checker.run()
        level_problems, titles = check_levels(
            doc, path, self.root or path.parent.resolve(), self.read, self._links
        )
        result.diagnostics += level_problems
        if result.ok and "evidence" in data:
            result.diagnostics += check_sources(doc, self.root or path.parent.resolve())
        if result.ok:
            result.diagnostics += checker.lint()
        if result.ok and not result.library:
            journey = build(checker.index, data, path, titles)
            declared = declared_in(doc, journey.evidence)
            if self.shared is not None:
                declared += shared_sources(self.shared, path, {s.id for s in journey.evidence})
            if declared:
                result.imports += tuple(resolved(d.source.file) for d in declared)
                journey, found = measure(journey, declared)
                result.diagnostics += found
                if result.ok:
                    result.diagnostics += lint_evidence(checker.index, journey, declared)
            result.journey = journey if result.ok else None
        result.diagnostics = sorted(set(result.diagnostics))
        return result


def declares_library(doc: Document | None) -> bool:
    """Whether a parsed file says ``kind: library`` at its top level (from the document,
    never from its bytes: a quoted title may hold those words)."""
    return doc is not None and isinstance(doc.data, dict) and doc.data.get("kind") == "library"


def _identity(path: Path) -> tuple[int, int] | Path:
    """What makes two paths one file: device and inode (hard links too), else the path."""
    try:
        stat = path.stat()
    except OSError:
        return path
    return (stat.st_dev, stat.st_ino)


def _import_list(doc: Document) -> list[tuple[int, str]]:
    """The ``imports`` entries of a document that are text, with their positions."""
    entries = doc.data.get("imports") if isinstance(doc.data, dict) else None
    return (
        [(i, rel) for i, rel in enumerate(entries) if isinstance(rel, str)]
        if isinstance(entries, list)
        else []
    )


def root_of(paths: Iterable[Path]) -> Path:
    """The folder tree being processed: the common folder of the given paths."""
    folders = [(p if p.is_dir() else p.parent).resolve() for p in paths]
    return Path(os.path.commonpath(folders)) if folders else Path.cwd()


def project_root_of(path: str | os.PathLike[str]) -> Path:
    """The root a file is confined to when none is given: its project's (the folder of the
    nearest ``journeymap.yaml``, else the top of its git work tree), else its own folder."""
    folder = Path(os.path.abspath(path)).parent
    return find_root(folder)[0] or resolved(folder)


def validate_file(
    path: str | os.PathLike[str],
    root: str | os.PathLike[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Result:
    """Validate one file; neither it (a symbolic link) nor its imports may lead out of
    ``root`` (default: :func:`project_root_of` the file)."""
    return Session(Path(root or project_root_of(path)), limits).validate(Path(path))


def load(
    path: str | os.PathLike[str],
    root: str | os.PathLike[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Journey:
    """The Journey of a file; raises JourneyError carrying every diagnostic on errors.

    A file that is a symbolic link, and every import, must stay inside ``root`` (default: the
    file's project root, as for the command line; see :func:`project_root_of`)."""
    return journey_of(validate_file(path, root, limits))


def journey_of(result: Result) -> Journey:
    """The Journey a validation found; JourneyError carrying every error (or a library note)."""
    if result.journey is None:
        if result.library and result.ok:
            message = "this is a library (kind: library), not a journey; import it from a journey"
            raise JourneyError(
                [
                    Diagnostic(
                        display_path(os.fspath(result.path)),
                        1,
                        1,
                        "error",
                        message,
                        "$.kind",
                        "library",
                    )
                ]
            )
        raise JourneyError([d for d in result.diagnostics if d.level == "error"])
    return result.journey
