"""``journeymap serve``: a live preview of the site.

:class:`LiveSite` builds the site into a temporary folder with the incremental site build
(:func:`journeymap.site.build.build_site`) and keeps the last good build when an edit breaks a
journey; :class:`PreviewServer` serves that folder on loopback only, adding a small script to
each HTML page it sends (never to the files) that reloads the page after a rebuild and shows
the errors of a failed one; :func:`watch` rebuilds whenever a watched file changes.
"""

from __future__ import annotations

import contextlib
import http.server
import multiprocessing
import os
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from journeymap.render.options import RenderOptions
from journeymap.site.build import BuildReport, build_site
from journeymap.site.cache import Manifest
from journeymap.source.config import SharedEvidence
from journeymap.source.limits import DEFAULT_LIMITS, Limits
from journeymap.source.resources import templates_dir

#: The server-sent events stream that tells a page to reload.
EVENTS = "/_journeymap/events"
#: Seconds between keep-alive comments on an idle event stream (finds closed tabs).
KEEPALIVE = 10.0
#: Watcher timing in milliseconds: changes closer together than STEP are one rebuild.
STEP_MS, DEBOUNCE_MS = 30, 400
#: How often ``watch`` looks for a file of ``Inputs.awaited`` (a project config created).
AWAIT_MS = 300
#: What the fork server imports before forking workers: the warm-up builds a journey once,
#: so the fresh worker of each rebuild starts warm (``warm`` imports the rest).
WORKER_MODULES = ("journeymap.site.warm",)
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".yaml": "text/plain; charset=utf-8",
    ".dot": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
}


@dataclass(frozen=True)
class Inputs:
    """What to build: read again before every rebuild, so a changed project config counts."""

    sources: tuple[Path, ...]
    options: RenderOptions
    limits: Limits = DEFAULT_LIMITS
    #: Files that decide the inputs themselves (the project config): watched too.
    settings: tuple[Path, ...] = ()
    #: Files whose creation changes the inputs (where a project config would be found when
    #: there is none yet): looked for every ``AWAIT_MS``, as their folders are not watched.
    awaited: tuple[Path, ...] = ()
    #: Imports may reach anywhere inside it (default: the common folder of ``sources``).
    root: Path | None = None
    title: str | None = None
    #: Which of the files found are journeys (default: all).
    keep: Callable[[Path], bool] | None = None
    #: The project config's evidence for its journeys.
    evidence: SharedEvidence | None = None

    @property
    def import_root(self) -> Path:
        """The folder import paths are relative to."""
        from journeymap.check.validate import root_of

        return self.root.resolve() if self.root else root_of(self.sources)


class InputsError(Exception):
    """The inputs cannot be read (a broken project config); carries located messages."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Status:
    """What open pages should show: bumped ``generation`` means "reload"."""

    generation: int = 0
    #: Located errors of the last build; empty when it was published.
    problems: tuple[str, ...] = ()


def problems_of(report: BuildReport) -> tuple[str, ...]:
    """The errors of a build, one line each: ``path:line:col: error: message`` first."""
    lines = [str(d) for o in report.failed for d in o.diagnostics if d.level == "error"]
    lines = sorted(dict.fromkeys(lines))
    lines += [f"{o.rel}: error: {e}" for o in report.failed for e in o.errors]
    return tuple(lines)


def preload_workers() -> None:
    """Let the fork server import the renderers once, so the fresh worker of each rebuild
    starts warm (call before the first build)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        multiprocessing.get_context("forkserver").set_forkserver_preload(list(WORKER_MODULES))


def stop_workers() -> None:
    """End and wait for multiprocessing's fork server and resource tracker, through the
    hooks its own tests use, so that no helper process outlives the preview."""
    from multiprocessing import forkserver, resource_tracker

    for helper in (forkserver._forkserver, resource_tracker._resource_tracker):
        stop = getattr(helper, "_stop", None)
        if stop is not None:
            with contextlib.suppress(OSError):
                stop()


class LiveSite:
    """The site in a temporary folder, rebuilt on demand; the last good build stays."""

    def __init__(self, read_inputs: Callable[[], Inputs], jobs: int | None = None) -> None:
        self.read_inputs = read_inputs
        self.jobs = jobs
        self.folder = Path(tempfile.mkdtemp(prefix="journeymap-serve-")).resolve()
        self.site = self.folder / "site"
        #: Held while a build may swap the site folder; a request that misses waits for it.
        self.building = threading.Lock()
        self.changed = threading.Condition()
        self.status = Status()
        self.inputs: Inputs | None = None
        self._failed_imports: set[Path] = set()
        #: How long the last build took.
        self.seconds = 0.0

    def rebuild(self, templates_changed: bool = False) -> BuildReport | None:
        """Build what changed; None when the inputs themselves are broken."""
        from journeymap.render.templating import forget_templates

        if templates_changed:  # compiled templates are cached here and in the fork server
            forget_templates()
            stop_workers()
        try:
            inputs = self.read_inputs()
        except InputsError as exc:
            self._publish(False, exc.problems)
            return None
        self.inputs = inputs
        started = time.monotonic()
        with self.building:
            report = build_site(
                list(inputs.sources), self.site, inputs.options, limits=inputs.limits,
                jobs=self.jobs, root=inputs.root, title=inputs.title, keep=inputs.keep,
                evidence=inputs.evidence,
                own_cache=True,  # self.folder is a private temporary folder of ours
            )  # fmt: skip
        self.seconds = time.monotonic() - started
        root = inputs.import_root
        self._failed_imports = {root / rel for o in report.failed for rel in o.imports}
        self._publish(report.published, problems_of(report))
        return report

    def _publish(self, published: bool, problems: tuple[str, ...]) -> None:
        with self.changed:
            if published or problems != self.status.problems:
                self.status = Status(self.status.generation + 1, problems)
                self.changed.notify_all()

    def watched(self) -> tuple[set[Path], set[Path]]:
        """(folders watched with their subfolders, single files) that exist now."""
        inputs = self.inputs
        if inputs is None:
            return set(), set()
        folders = {templates_dir()}
        if inputs.options.templates is not None:
            folders.add(inputs.options.templates)
        files = set(inputs.settings) | set(inputs.awaited) | self._failed_imports
        for source in inputs.sources:
            (folders if source.is_dir() else files).add(source)
        manifest = Manifest.read(self.site)
        if manifest is not None:
            root = inputs.import_root
            files |= {root / rel for e in manifest.entries.values() for rel in e.imports}
        folders = {f.resolve() for f in folders if f.is_dir()}
        inside = {f.resolve() for f in files if f.is_file()}
        return folders, {f for f in inside if not any(f.is_relative_to(d) for d in folders)}

    def is_template(self, path: Path) -> bool:
        """True for a file under the built-in or the user's templates folder."""
        folders = [templates_dir()]
        if self.inputs is not None and self.inputs.options.templates is not None:
            folders.append(self.inputs.options.templates)
        return any(path.is_relative_to(f.resolve()) for f in folders)

    def close(self) -> None:
        """Remove the temporary folder."""
        shutil.rmtree(self.folder, ignore_errors=True)


def watch(
    live: LiveSite,
    on_build: Callable[[BuildReport | None], None],
    stop: threading.Event | None = None,
) -> None:
    """Rebuild whenever a watched file changes; returns when ``stop`` is set.

    Ctrl-C (or SIGTERM, see :func:`interrupts`) raises KeyboardInterrupt. The watcher is made
    anew before each build, so a save during a build is never missed and a file replaced by
    an editor's rename is watched again.
    """
    from watchfiles._rust_notify import RustNotify

    templates_changed = False
    while stop is None or not stop.is_set():
        folders, files = live.watched()
        try:
            notify = RustNotify(
                [str(p) for p in sorted(folders | files)], False, False, 50, True, True
            )
        except FileNotFoundError:  # a file went away in between: look again
            continue
        with notify:
            report = live.rebuild(templates_changed)
            if report is None or not report.noop:
                on_build(report)
            if live.watched() != (folders, files):
                continue
            awaited = live.inputs.awaited if live.inputs is not None else ()
            while True:
                changes = notify.watch(DEBOUNCE_MS, STEP_MS, AWAIT_MS if awaited else 0, stop)
                if changes == "signal":
                    raise KeyboardInterrupt
                if changes == "timeout":  # a config created (then watched as a file)
                    if any(p.is_file() and not _seen(p, folders, files) for p in awaited):
                        break
                    continue
                if isinstance(changes, str):  # "stop"
                    return
                paths = [Path(p) for _, p in changes]
                if any(_relevant(p, folders, files) for p in paths):
                    templates_changed = any(live.is_template(p) for p in paths)
                    break


def _seen(path: Path, folders: set[Path], files: set[Path]) -> bool:
    """True when ``path`` is watched already, alone or in a folder."""
    path = path.resolve()
    return path in files or any(path.is_relative_to(d) for d in folders)


def _relevant(path: Path, folders: set[Path], files: set[Path]) -> bool:
    """A watched file, or a visible file in a watched folder (not an editor's swap file)."""
    if path in files:
        return True
    for folder in folders:
        if path.is_relative_to(folder):
            parts = path.relative_to(folder).parts
            return not any(p.startswith(".") or p.endswith(("~", ".swp", ".swx")) for p in parts)
    return False


@contextlib.contextmanager
def interrupts() -> Iterator[None]:
    """SIGTERM ends the preview as Ctrl-C does: KeyboardInterrupt in the main thread."""

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM while cleaning up, so a second one cannot cut it short."""
    blocked = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in blocked}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def resolve(site: Path, url_path: str) -> Path | str | None:
    """The regular file under ``site`` that a request path names.

    Returns a Path, a redirect target (``str``) for a folder named without its trailing
    slash, or None: for ``..`` or hidden names, anything reached through a symbolic link,
    and anything that is not a regular file inside ``site`` (``site`` is a resolved path).
    """
    text = unquote(url_path, errors="replace")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if any(p.startswith(".") or "\\" in p or "\0" in p or "\ufffd" in p for p in parts):
        return None
    target = site.joinpath(*parts)
    if target.is_dir() and not target.is_symlink():
        if not text.endswith("/"):
            return "/" + "".join(quote(p) + "/" for p in parts)
        target = target / "index.html"
    if os.path.realpath(target) != str(target) or not target.is_relative_to(site):
        return None
    return target


def _open_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (never following a symbolic link)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def live_snippet(status: Status, has_site: bool, templates: Path | None) -> str:
    """The HTML the server adds before ``</body>`` of every page it sends."""
    from journeymap.render.templating import environment

    template = environment(templates).get_template("serve/live.html.j2")
    return template.render(
        generation=status.generation, problems=list(status.problems), has_site=has_site,
        events=EVENTS,
    )  # fmt: skip


def inject(page: bytes, snippet: str) -> bytes:
    """``page`` with ``snippet`` before its last ``</body>`` (or at its end)."""
    text = page.decode("utf-8", errors="replace")
    at = text.lower().rfind("</body>")
    at = len(text) if at < 0 else at
    return (text[:at] + snippet + text[at:]).encode("utf-8")


class PreviewServer(http.server.ThreadingHTTPServer):
    """HTTP on 127.0.0.1 for one :class:`LiveSite`; ``close`` ends every connection."""

    daemon_threads = False  # server_close joins every request thread
    block_on_close = True

    def __init__(self, live: LiveSite, port: int) -> None:
        self.live = live
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        super().__init__(("127.0.0.1", port), _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse name look-up."""
        http.server.socketserver.TCPServer.server_bind(self)  # type: ignore[attr-defined]
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self.server_port}/"

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._guard:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._guard:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (a reloading tab, Ctrl-C) is no error worth a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError) or self.stopping.is_set():
            return
        super().handle_error(request, client_address)

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self.serve_forever, args=(0.05,), name="journeymap-serve"
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving, end open connections (event streams too) and join every thread."""
        self.stopping.set()
        with self.live.changed:
            self.live.changed.notify_all()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        with self._guard:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        self.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of the temporary site, plus the reload event stream."""

    server: PreviewServer
    protocol_version = "HTTP/1.0"
    timeout = 30

    def version_string(self) -> str:
        """The Server header."""
        return "journeymap-serve"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds, not requests."""

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _host_ok(self) -> bool:
        """Only our own names in Host: a page of another site that points its name at
        127.0.0.1 (DNS rebinding) cannot read the preview."""
        host = (self.headers.get("Host") or "127.0.0.1").lower()
        name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
        return name in ("127.0.0.1", "localhost") and port in ("", str(self.server.server_port))

    def _respond(self, body: bool) -> None:
        if not self._host_ok():
            self._send(403, b"forbidden host\n", "text/plain; charset=utf-8", body)
            return
        url = urlsplit(self.path)
        if url.path == EVENTS:
            if body:
                self._events(url.query)
            else:
                self._send(200, b"", "text/event-stream", body)
            return
        live = self.server.live
        target = resolve(live.site, url.path)
        if isinstance(target, str):
            self.send_response(301)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = _open_regular(target) if isinstance(target, Path) else None
        if data is None and target is not None:
            with live.building:  # a rebuild may be swapping the folder: wait and look again
                target = resolve(live.site, url.path)
                data = _open_regular(target) if isinstance(target, Path) else None
        status = live.status
        has_site = (live.site / "index.html").is_file()
        templates = live.inputs.options.templates if live.inputs else None
        if data is None:
            code = 200 if url.path == "/" else 404
            page = _fallback(code, templates)
            self._send(
                code, inject(page, live_snippet(status, False, templates)), _TYPES[".html"], body
            )
            return
        assert isinstance(target, Path)
        kind = _TYPES.get(target.suffix, "application/octet-stream")
        if target.suffix == ".html":
            data = inject(data, live_snippet(status, has_site, templates))
        self._send(200, data, kind, body)

    def _send(self, code: int, data: bytes, kind: str, body: bool) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self._common_headers()
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")

    def _events(self, query: str) -> None:
        """Server-sent events: ``reload`` once the status moved past the page's generation."""
        try:
            since = int(parse_qs(query).get("since", ["-1"])[0])
        except ValueError:
            since = -1
        live, stopping = self.server.live, self.server.stopping
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self._common_headers()
        self.end_headers()
        try:
            while not stopping.is_set():
                with live.changed:
                    live.changed.wait_for(
                        lambda: live.status.generation != since or stopping.is_set(), KEEPALIVE
                    )
                    generation = live.status.generation
                if stopping.is_set():
                    return
                if generation != since:
                    self.wfile.write(f"event: reload\ndata: {generation}\n\n".encode())
                    self.wfile.flush()
                    return
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except OSError:  # the tab was closed
            return


def _fallback(code: int, templates: Path | None) -> bytes:
    """A plain page for a missing file, or for ``/`` before the first good build."""
    from journeymap.render.templating import environment

    template = environment(templates).get_template("serve/missing.html.j2")
    return template.render(code=code).encode("utf-8")
