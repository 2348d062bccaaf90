"""Build the static site: hash inputs, reuse what is unchanged, render the rest in a process
pool, write the index, and publish by swapping a finished temporary folder into place.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymap.model.slug import folder_names
from journeymap.render.options import RenderOptions
from journeymap.site.cache import (
    MANIFEST,
    Entry,
    Fingerprints,
    Manifest,
    file_digest,
    journey_hash,
    site_key,
)
from journeymap.site.folder import SiteError as SiteError
from journeymap.site.folder import (
    carry_over,
    check_target,
    clean_stale,
    is_real_folder,
    link,
    owned,
    read_manifest,
    staging_folder,
    swap,
)
from journeymap.site.levels import (
    Plan,
    expected,
    file_key,
    parents,
    summary_files,
    summary_levels,
)
from journeymap.site.stamps import STAMPS, Stamp, holds
from journeymap.site.stamps import read as read_stamps
from journeymap.site.stamps import write as write_stamps
from journeymap.site.worker import Outcome, Task, in_project_lang, run_task, watch_parent
from journeymap.source.config import SharedEvidence
from journeymap.source.files import resolved
from journeymap.source.limits import DEFAULT_LIMITS, Limits
from journeymap.source.resources import schema_path, templates_dir

if TYPE_CHECKING:
    from journeymap.check.validate import Session

#: Optional renderers whose presence changes the outputs (part of the cache key).
OPTIONAL_MODULES: tuple[str, ...] = ("journeymap.render.map.svg", "journeymap.render.cards")
CRASHED = (
    "the worker process building this journey crashed (a segfault or a killed program); "
    "the other journeys were not affected"
)

Progress = Callable[[int, int, Outcome], None]
Runner = Callable[[Task], Outcome]


@dataclass
class BuildReport:
    """What a build did."""

    #: Every source's outcome, for the sources that were (re)built, in source order.
    outcomes: list[Outcome] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: Files in the old site that journeymap did not write, kept in the new one.
    kept: list[str] = field(default_factory=list)
    #: Temporary folders of killed builds that this build removed.
    cleaned: list[str] = field(default_factory=list)
    #: True when nothing changed and nothing was written.
    noop: bool = False
    #: Things the user should know that stopped nothing (a version skipped in the trends).
    warnings: list[str] = field(default_factory=list)
    published: bool = False

    @property
    def failed(self) -> list[Outcome]:
        """Outcomes with errors."""
        return [o for o in self.outcomes if not o.ok]


def assign_slugs(rels: list[str], libraries: set[str]) -> dict[str, str]:
    """A unique, case-insensitive output folder per journey source (libraries get none).

    The folder is the journey id (the file name's slug); when several files share one, each
    uses its slugged relative path instead (``a/Bank.yaml`` -> ``a-bank``).
    """
    journeys = sorted(rel for rel in rels if rel not in libraries)
    return dict(zip(journeys, folder_names(journeys), strict=True))


def _key(
    options: RenderOptions, limits: Limits, title: str | None, evidence: SharedEvidence | None
) -> str:
    """The site key: tool version, options, limits, title, optional renderers, templates,
    the config's evidence declarations (their files count in each journey's hash)."""
    folders = [templates_dir()] + ([options.templates] if options.templates else [])
    described: dict[str, Any] = {
        "render": {k: v for k, v in dataclasses.asdict(options).items() if k != "templates"},
        "user_templates": options.templates is not None,
        "limits": dataclasses.asdict(limits),
        "title": title,
        "optional": {m: importlib.util.find_spec(m) is not None for m in OPTIONAL_MODULES},
        "evidence": evidence.doc.data if evidence else None,
    }
    described["render"]["formats"] = list(options.formats)
    return site_key(described, folders)


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where available (fast, no inherited state), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` now: cancel queued work and end running workers (on interrupt)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()


@contextlib.contextmanager
def _pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_context(), initializer=watch_parent, initargs=(os.getpid(),)
    )
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


#: Set by SIGINT/SIGTERM while a build runs; checked between waits (see ``_signals_as_flag``).
_STOP = threading.Event()
#: How often, in seconds, the build looks at ``_STOP`` while it waits for workers.
_POLL = 0.2


def _check_stop() -> None:
    """Raise KeyboardInterrupt here, at a safe point, when a signal asked the build to stop."""
    if _STOP.is_set():
        raise KeyboardInterrupt


def _result(future: Future[Outcome], task: Task) -> Outcome:
    """The outcome of ``future``; a bug in the worker becomes this journey's error."""
    while not wait([future], timeout=_POLL).done:
        _check_stop()
    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as exc:  # an internal error while building one journey
        return Outcome(task.rel, errors=[f"internal error: {type(exc).__name__}: {exc}"])


def run_tasks(
    tasks: list[Task], jobs: int, runner: Runner, done: Callable[[Outcome], None]
) -> dict[str, Outcome]:
    """Run every task in worker processes, at most ``jobs`` at a time.

    When a worker crashes the pool breaks; the tasks that were running are re-run one by one
    in a fresh single-worker pool (the one that crashes again gets the error), the others
    continue in a new pool.
    """
    results: dict[str, Outcome] = {}
    queue = deque(tasks)
    while queue:
        suspects: list[Task] = []
        with _pool(jobs) as pool:
            running: dict[Future[Outcome], Task] = {}
            while (queue or running) and not suspects:
                while queue and len(running) < jobs:
                    task = queue.popleft()
                    running[pool.submit(runner, task)] = task
                finished, _ = wait(running, timeout=_POLL, return_when=FIRST_COMPLETED)
                _check_stop()
                for future in sorted(finished, key=lambda f: running[f].rel):
                    task = running.pop(future)
                    try:
                        results[task.rel] = _result(future, task)
                    except BrokenProcessPool:
                        suspects.append(task)
                        continue
                    done(results[task.rel])
            suspects += running.values()
        for task in sorted(suspects, key=lambda t: t.rel):
            with _pool(1) as alone:
                try:
                    results[task.rel] = _result(alone.submit(runner, task), task)
                except BrokenProcessPool:
                    results[task.rel] = Outcome(task.rel, errors=[CRASHED])
            done(results[task.rel])
    return results


@contextlib.contextmanager
def _signals_as_flag() -> Iterator[None]:
    """SIGINT and SIGTERM (Ctrl-C, a cancelled CI job) only set ``_STOP``; the build raises
    KeyboardInterrupt at its next check and unwinds, removing its temporary folders.

    A handler that raised at once could fire inside ``concurrent.futures`` while it holds a
    future's lock, and the executor would then hang at exit waiting for that lock.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _STOP.clear()

    def stop(_signum: int, _frame: object) -> None:
        _STOP.set()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def build_site(
    sources: list[Path],
    site: Path,
    options: RenderOptions,
    *,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    keep_going: bool = False,
    progress: Progress | None = None,
    runner: Runner = run_task,
    root: Path | None = None,
    title: str | None = None,
    keep: Callable[[Path], bool] | None = None,
    evidence: SharedEvidence | None = None,
    own_cache: bool = False,
    history: int = 0,
) -> BuildReport:
    """Build (or update) the site at ``site`` from the journey files and folders ``sources``.

    Without ``keep_going`` any invalid journey leaves the old site untouched; with it the
    site is published without the failed journeys. ``runner`` does one journey's work in a
    worker process (tests substitute one that crashes). Imports may reach anywhere inside
    ``root`` (default: the common folder of ``sources``); ``title`` heads the index page
    (default: "Customer journeys" in the site's language);
    ``keep`` says which of the files found are journeys (default: all); ``evidence`` is the
    project config's evidence for its journeys; ``history`` asks for the trends of each
    journey over its last ``history`` commits (``trends.html``, ``history.json``). The old
    manifest is untrusted unless ``own_cache`` (a private folder only this process wrote, as
    ``serve``'s): each summary it gives is then made again from its journey, and a journey
    whose summary differs is rebuilt.
    """
    from journeymap.check.validate import Session, declares_library, root_of
    from journeymap.source.files import discover

    start = time.time_ns()  # a file changed after this (or just before) is never trusted
    site = check_target(site, sources)
    report = BuildReport(cleaned=clean_stale(site))
    old = read_manifest(site)
    files, _ = discover(sources, skip=[site])
    files = [f for f in files if keep is None or keep(f)]
    top = root_of(sources)
    rels = {_relative(f, top): f for f in files}
    root = root.resolve() if root else top
    key = _key(options, limits, title, evidence)
    entries = old.entries if old is not None and old.key == key else {}
    report.removed = sorted(set(old.entries if old else ()) - set(rels))
    prints = Fingerprints((p for e in entries.values() for p in e.fingerprints.items()), start)
    hashes = {
        rel: journey_hash(key, root, path, entries[rel].imports, limits, prints)
        for rel, path in rels.items()
        if rel in entries
    }
    stamps = read_stamps(site) if entries else {}
    reuse = {rel for rel in hashes if _unchanged(entries[rel], hashes[rel], site, stamps)}
    # The manifest this machine wrote, untouched since, says true; any other (committed,
    # copied, edited) is checked: each summary it gives is made again from its journey.
    trusted = own_cache or holds(site, stamps, MANIFEST)
    reader = Session(root, limits, evidence)  # the size-checked reader of validate
    if not trusted:
        reuse = {
            rel for rel in reuse if _summary_holds(entries[rel], rels[rel], rel, reader, options)
        }
    libraries = {rel for rel in reuse if entries[rel].library} | {
        rel for rel in set(rels) - reuse if declares_library(reader.read(rels[rel])[0])
    }
    slugs = assign_slugs(list(rels), libraries)
    pages = _pages(rels, slugs, root)
    known = {
        rel: (entries[rel].summary, []) if rel in reuse else _declared(reader, rels[rel], root)
        for rel in rels
        if rel in slugs
    }
    plans = _plans(known, slugs, pages)
    reuse = {rel for rel in reuse if rel not in slugs or _planned(entries[rel].summary, plans[rel])}
    trend = _history(site, old, key, rels, slugs, root, limits, history, report)
    if (
        old is not None
        and _same_history(site, old, trend)
        and reuse == set(rels)
        and not report.removed
        and all(entries[rel].slug == slugs.get(rel) for rel in rels)
        and (site / "index.html").is_file()
    ):
        report.noop = True
        report.reused = sorted(reuse)
        return report
    with _signals_as_flag():
        return _rebuild(
            site, root, rels, slugs, reuse, old, key, options, limits, jobs, keep_going,
            progress, runner, report, title, evidence, prints, plans, pages, trend,
        )  # fmt: skip


@dataclass(frozen=True)
class Trend:
    """The trends of a site's journeys (``build --history N``)."""

    count: int
    #: Per journey page, its points oldest first.
    series: dict[str, list[dict[str, Any]]]
    #: ``history.json``: the series and the point cache of the next build.
    data: bytes


def _history(
    site: Path,
    old: Manifest | None,
    key: str,
    rels: dict[str, Path],
    slugs: dict[str, str],
    root: Path,
    limits: Limits,
    count: int,
    report: BuildReport,
) -> Trend | None:
    """The trends over the last ``count`` commits (None when not asked for); the points of
    the old site's ``history.json`` are reused. SiteError when there is no history to read."""
    from journeymap.check.validate import Session
    from journeymap.site import history

    if count <= 0:
        return None

    def load(path: Path, folder: Path) -> tuple[Any, str]:
        result = Session(folder, limits).validate(path)
        first = next((d for d in result.diagnostics if d.level == "error"), None)
        why = f"line {first.line}: {first.message}" if first else "it is not a journey there"
        return result.journey, "" if result.journey is not None else why

    cache = history.read_cache(_owned(site, old, history.HISTORY), key)
    journeys = {f"{slugs[rel]}/index.html": rels[rel] for rel in slugs}
    try:
        series, warnings = history.trends(journeys, root, count, limits, load, cache)
    except history.GitError as exc:
        raise SiteError(f"--history: {exc}") from None
    report.warnings += warnings
    return Trend(count, series, history.history_json(key, count, series, cache))


def _owned(site: Path, old: Manifest | None, name: str) -> bytes | None:
    """The bytes of the top-level file ``name`` the old site's build wrote (a regular file
    of at most 64 MiB), else None."""
    from journeymap.site.cache import MAX_MANIFEST_BYTES
    from journeymap.source.files import NotRegularError, open_regular

    if old is None or name not in old.top:
        return None
    try:
        with open_regular(site / name, follow=False) as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except (NotRegularError, OSError):
        return None
    return data if len(data) <= MAX_MANIFEST_BYTES else None


def _same_history(site: Path, old: Manifest, trend: Trend | None) -> bool:
    """Whether the old site's trends are what this build would write (none for none)."""
    from journeymap.site.history import HISTORY

    if trend is None:
        return HISTORY not in old.top
    return _owned(site, old, HISTORY) == trend.data


def _pages(rels: dict[str, Path], slugs: dict[str, str], root: Path) -> dict[str, str]:
    """Each journey's site page by its file below the import root (how levels name it)."""
    out = {}
    for rel, path in rels.items():
        key = file_key(resolved(path), root)
        if rel in slugs and key is not None:
            out[key] = f"{slugs[rel]}/index.html"
    return out


def _declared(reader: Any, path: Path, root: Path) -> tuple[dict[str, Any], list[str]]:
    """A journey to be built: its title and the files of the sub-journeys it names, read
    from its document (before it is validated) to plan its levels."""
    from journeymap.check.levels import targets, title_of

    doc = reader.read(path)[0]
    if doc is None:
        return {"title": path.stem}, []
    files = [file_key(t, root) for t in targets(doc, path)]
    return {"title": title_of(doc, path)}, [f for f in files if f is not None]


def _plans(
    known: dict[str, tuple[dict[str, Any], list[str]]],
    slugs: dict[str, str],
    pages: dict[str, str],
) -> dict[str, Plan]:
    """Each journey's levels plan, from each journey's (summary or title, sub-journey files;
    a built summary's own files are used when the list is empty)."""
    named = [
        (summary["title"], f"{slugs[rel]}/index.html", files or summary_files(summary))
        for rel, (summary, files) in known.items()
    ]
    up = parents(named, pages)
    by_page = {page: title for title, page, _ in named}
    titles = {file: by_page[page] for file, page in pages.items() if page in by_page}
    return {rel: Plan(pages, titles, up.get(f"{slugs[rel]}/index.html", ())) for rel in known}


def _planned(summary: dict[str, Any], plan: Plan) -> bool:
    """Whether a journey built with ``summary`` has the levels ``plan`` calls for."""
    levels = summary.get("levels")
    return isinstance(levels, dict) and levels == expected(levels, plan)


def _relative(file: Path, root: Path) -> str:
    """``file``'s path below ``root`` (its folder resolved, not the file: a link stays itself)."""
    return (file.parent.resolve() / file.name).relative_to(root).as_posix()


def _summary_holds(
    entry: Entry, source: Path, rel: str, reader: Session, options: RenderOptions
) -> bool:
    """True when the summary an old manifest gives (shown on the index and the atlas pages)
    is the one the journey makes now: a committed site is anyone's to edit, so a summary is
    reused only when it says what the source says."""
    from journeymap.site.pages import summary

    if entry.library or entry.slug is None:
        return True
    journey = reader.validate(source).journey
    if journey is None:
        return False
    journey = in_project_lang(journey, reader, source, options.lang)
    made = summary(journey, entry.slug, rel, sorted(entry.files))
    levels = entry.summary.get("levels")
    if isinstance(levels, dict) and reader.root is not None:
        # the sub-journeys it names are the journey's; their pages and its parents are
        # the site's, checked against the plan (``_planned``)
        named = summary_levels(journey, reader.root)["details"]
        if [dict(d, page=None) for d in levels.get("details", [])] == named:
            made["levels"] = levels
    return bool(json.loads(json.dumps(made)) == entry.summary)


def _unchanged(entry: Entry, hash_: str, site: Path, stamps: dict[str, Stamp]) -> bool:
    """The old entry matches this hash, and each file it lists is in the old site's real
    folder, a regular file with the bytes the manifest records (known without reading it
    when the file is the one this machine wrote, by its stamp)."""
    if entry.hash != hash_:
        return False
    if entry.library:
        return True
    folder = site / str(entry.slug)
    return is_real_folder(folder) and all(
        digest
        and (holds(site, stamps, f"{entry.slug}/{name}") or file_digest(folder / name) == digest)
        for name, digest in entry.files.items()
    )


def _rebuild(
    site: Path,
    root: Path,
    rels: dict[str, Path],
    slugs: dict[str, str],
    reuse: set[str],
    old: Manifest | None,
    key: str,
    options: RenderOptions,
    limits: Limits,
    jobs: int | None,
    keep_going: bool,
    progress: Progress | None,
    runner: Runner,
    report: BuildReport,
    title: str | None,
    evidence: SharedEvidence | None,
    prints: Fingerprints,
    plans: dict[str, Plan],
    site_pages: dict[str, str],
    trend: Trend | None,
) -> BuildReport:
    """Build a fresh folder beside ``site`` from reused and newly rendered outputs, then swap."""
    from journeymap.output.write import write_bytes
    from journeymap.site import history, pages, trends
    from journeymap.site.atlas import aggregate, atlas_pages, public

    entries = old.entries if old is not None else {}
    staging = staging_folder(site)
    try:
        manifest = Manifest(key)
        for rel in sorted(reuse):
            old_slug = entries[rel].slug
            entry = dataclasses.replace(
                entries[rel], slug=slugs.get(rel), fingerprints=prints.of(entries[rel].imports)
            )
            if entry.slug is not None and old_slug is not None:
                for name in entry.files:
                    link(site / old_slug / name, staging / entry.slug / name)
                entry.summary = _moved(entry.summary, old_slug, entry.slug)
            manifest.entries[rel] = entry
        report.reused = sorted(reuse)

        def task(rel: str) -> Task:
            slug = slugs.get(rel, "")
            folder, opts = staging / (slug or "_"), dataclasses.replace(options)
            plan = plans.get(rel, no_plan)
            return Task(rels[rel], rel, root, slug, folder, opts, limits, evidence, plan)

        no_plan = Plan({})

        def run(batch: list[Task]) -> None:
            counter = [0]

            def done(outcome: Outcome) -> None:
                counter[0] += 1
                if progress is not None:
                    progress(counter[0], len(batch), outcome)

            results = run_tasks(batch, jobs or os.cpu_count() or 1, runner, done) if batch else {}
            for outcome in (results[t.rel] for t in batch):
                manifest.entries.pop(outcome.rel, None)
                if not outcome.ok:
                    continue
                slug = None if outcome.library else slugs.get(outcome.rel)
                manifest.entries[outcome.rel] = Entry(
                    hash=journey_hash(
                        key, root, rels[outcome.rel], outcome.imports, limits, prints
                    ),
                    imports=outcome.imports,
                    fingerprints=prints.of(outcome.imports),
                    library=outcome.library,
                    slug=slug,
                    files={n: file_digest(staging / str(slug) / n) for n in outcome.files},
                    summary=outcome.summary,
                )
            kept = [o for o in report.outcomes if o.rel not in results]
            report.outcomes = sorted([*kept, *results.values()], key=lambda o: o.rel)

        run([task(rel) for rel in sorted(set(rels) - reuse)])
        if report.failed and not keep_going:
            return report
        # A journey that failed is no page to link to: plan the levels again from what was
        # built, and rebuild the journeys whose levels now differ.
        built = {rel: e for rel, e in manifest.entries.items() if not e.library}
        live = {e.summary["page"] for e in built.values()}
        site_pages = {k: v for k, v in site_pages.items() if v in live}
        plans = _plans({rel: (e.summary, []) for rel, e in built.items()}, slugs, site_pages)
        again = sorted(rel for rel, e in built.items() if not _planned(e.summary, plans[rel]))
        for rel in again:
            shutil.rmtree(staging / str(slugs[rel]), ignore_errors=True)
        report.reused = [r for r in report.reused if r not in again]
        run([task(rel) for rel in again])
        if report.failed and not keep_going:
            return report
        summaries = [e.summary for e in manifest.entries.values() if not e.library]
        atlas = aggregate(summaries)
        atlas["trends"] = trend is not None  # the index links the trends page
        m = pages.site_messages(summaries, options.lang)
        heading = m("site.journeys") if title is None else title
        top = {
            "index.html": pages.index_page(summaries, options.templates, heading, atlas, m),
            "journeys.json": pages.journeys_json(summaries, public(atlas)),
            "journey.schema.json": schema_path().read_bytes(),  # for editors
            **atlas_pages(atlas, options.templates, heading, m),
        }
        if trend is not None:
            rows = trends.rows(summaries, trend.series, m)
            top["trends.html"] = trends.trends_page(
                rows, trend.count, options.templates, heading, m
            )
            top[history.HISTORY] = trend.data
        manifest.top = sorted([*top, STAMPS])
        for name, data in top.items():
            write_bytes(staging / name, data)
        write_bytes(staging / MANIFEST, manifest.dumps())
        if old is not None:
            report.kept = carry_over(site, staging, owned(old))
        _check_stop()  # the last moment to stop; after this the new site is published
        swap(staging, site)
        report.published = True
        write_stamps(site, owned(manifest) | {MANIFEST})
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _moved(summary: dict[str, object], old: str | None, new: str) -> dict[str, object]:
    """A summary whose site paths point into folder ``new`` instead of ``old``."""
    if old == new or old is None:
        return summary

    def move(path: str) -> str:
        return new + path[len(old) :] if path.startswith(f"{old}/") else path

    out = dict(summary)
    for name in ("page", "yaml"):
        out[name] = move(str(out[name]))
    out["files"] = [move(str(p)) for p in out["files"]]  # type: ignore[attr-defined]
    return out
