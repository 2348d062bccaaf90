"""``journeymap serve``: the live site, the loopback server, its safety, and a clean stop."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from serving import FIRST_EMOTION, Preview, journey_text, session_processes

from journeymap.commands.cli import main
from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site
from journeymap.site.serve import (
    EVENTS,
    Inputs,
    LiveSite,
    PreviewServer,
    inject,
    problems_of,
    resolve,
)
from journeymap.site.stamps import STAMPS

SVG_ONLY = RenderOptions(formats=("svg",))


def make_journeys(folder: Path) -> Path:
    folder.mkdir()
    (folder / "thirty.yaml").write_text(journey_text(touchpoints=10), encoding="utf-8")
    (folder / "other.yaml").write_text(journey_text("Other", touchpoints=5), encoding="utf-8")
    return folder


@contextlib.contextmanager
def serving(journeys: Path) -> Iterator[tuple[LiveSite, PreviewServer]]:
    live = LiveSite(lambda: Inputs((journeys,), SVG_ONLY), jobs=1)
    server = PreviewServer(live, 0)
    try:
        live.rebuild()
        server.start()
        yield live, server
    finally:
        server.close()
        live.close()


@pytest.fixture
def journeys(tmp_path: Path) -> Path:
    return make_journeys(tmp_path / "journeys")


@pytest.fixture
def served(journeys: Path) -> Iterator[tuple[LiveSite, PreviewServer]]:
    """A preview of its own, for tests that edit the journeys."""
    with serving(journeys) as pair:
        yield pair


@pytest.fixture(scope="module")
def shared_journeys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_journeys(tmp_path_factory.mktemp("shared") / "journeys")


@pytest.fixture(scope="module")
def shared(shared_journeys: Path) -> Iterator[tuple[LiveSite, PreviewServer]]:
    """One preview for the tests that only read (built once)."""
    with serving(shared_journeys) as pair:
        yield pair


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    """Status, headers and body of one GET (the path is sent exactly as given)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{server.server_port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self, page: bytes) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page.decode("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_serves_the_site_with_the_reload_script_added_to_pages_only(
    shared: tuple[LiveSite, PreviewServer], tmp_path: Path, shared_journeys: Path
) -> None:
    live, server = shared
    assert server.server_address[0] == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.server_port}/"
    status, headers, page = get(server, "/thirty/index.html")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert page.count(b"new EventSource(") == 1 and page.rstrip().endswith(b"</html>")
    assert b"<h1>Thirty steps</h1>" in page and b'id="jm-live-errors"' not in page
    assert get(server, "/thirty/map.svg")[1]["Content-Type"] == "image/svg+xml"
    assert get(server, "/thirty/source.yaml")[2] == journey_text(touchpoints=10).encode()
    # The files themselves are exactly what `journeymap build` makes: no script in them.
    built = tmp_path / "built"
    build_site([shared_journeys], built, SVG_ONLY, jobs=1)

    def files(site: Path) -> dict[str, bytes]:  # the stamps name this machine's inodes
        found = {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }
        return {k: v for k, v in found.items() if k != STAMPS}

    ours, theirs = files(live.site), files(built)
    assert ours == theirs
    assert not any(b"EventSource" in data for data in ours.values())


def test_folder_redirects_and_missing_pages(shared: tuple[LiveSite, PreviewServer]) -> None:
    _, server = shared
    status, headers, _ = get(server, "/thirty")
    assert status == 301 and headers["Location"] == "/thirty/"
    assert get(server, "/thirty/")[2] == get(server, "/thirty/index.html")[2]
    status, _, page = get(server, "/nothing-here.html")
    assert status == 404 and b"new EventSource(" in page  # reloads once the journey exists


TRAVERSALS = (
    "/../../../../etc/passwd",
    "/thirty/../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/thirty/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%5c..%5cetc%5cpasswd",
    "/etc/passwd%00.html",
    "//etc/passwd",
    "/.journeymap-cache.json",
    "/.journeymap-stamps.json",
    "/%ff%fe",
    "/escape/passwd",
    "/thirty/escape.svg",
    "/escape",
)


def test_nothing_outside_the_site_is_served(
    shared: tuple[LiveSite, PreviewServer], tmp_path: Path
) -> None:
    live, server = shared
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    planted = [live.site / "escape", live.site / "thirty" / "escape.svg"]
    planted[0].symlink_to(tmp_path)  # planted links must not be followed
    planted[1].symlink_to(secret)
    planted.append(live.site / "thirty" / "fifo.svg")
    os.mkfifo(planted[-1])  # nor anything but a regular file read
    try:
        for path in (*TRAVERSALS, "/thirty/fifo.svg"):
            status, _, body = get(server, path)
            assert status == 404, path
            assert b"TOP SECRET" not in body and b"root:" not in body
    finally:
        for path in planted:
            path.unlink()


def test_resolve_keeps_inside_the_site(tmp_path: Path) -> None:
    site = tmp_path.resolve() / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("x", encoding="utf-8")
    assert resolve(site, "/") == site / "index.html"
    assert resolve(site, "/a/") == site / "a" / "index.html"
    assert resolve(site, "/a") == "/a/"
    assert resolve(site, "/a/./index.html") == site / "a" / "index.html"
    assert resolve(site, "/a/../a/index.html") is None
    assert resolve(site, "/a%2f..%2f..%2fx") is None


def test_other_host_names_are_refused(shared: tuple[LiveSite, PreviewServer]) -> None:
    """A page elsewhere that points its own name at 127.0.0.1 cannot read the preview."""
    _, server = shared
    assert get(server, "/", host="attacker.example")[0] == 403
    assert get(server, "/", host=f"attacker.example:{server.server_port}")[0] == 403
    assert get(server, "/", host=f"localhost:{server.server_port}")[0] == 200


def test_invalid_edit_shows_escaped_located_errors_and_keeps_the_last_good_site(
    served: tuple[LiveSite, PreviewServer], journeys: Path
) -> None:
    live, server = served
    good = get(server, "/thirty/index.html")[2]
    before = live.status.generation
    bad = journey_text("Now broken", emotion='"<img src=x onerror=alert(1)>"')
    (journeys / "thirty.yaml").write_text(bad, encoding="utf-8")
    report = live.rebuild()
    assert report is not None and not report.published
    assert live.status.generation == before + 1
    line, col = FIRST_EMOTION
    assert live.status.problems and live.status.problems[0].startswith(
        f"{journeys / 'thirty.yaml'}:{line}:{col}: error: "
    )
    status, _, page = get(server, "/thirty/index.html")
    assert status == 200
    parsed = Elements(page)
    assert ("img", {"src": "x", "onerror": "alert(1)"}) not in parsed.tags
    text = "".join(parsed.text)
    assert f"thirty.yaml:{line}:{col}: error: unknown emotion word '<img src=x" in text
    assert ("button", {"type": "button", "id": "jm-live-hide"}) in parsed.tags
    assert b"<h1>Thirty steps</h1>" in page  # the last good page is still underneath
    assert (
        page.replace(page[page.index(b'<div id="jm-live">') :], b"")
        == good[: good.index(b'<div id="jm-live">')]
    )
    # The other journey is unchanged; a fix publishes again and the errors go away.
    (journeys / "thirty.yaml").write_text(journey_text("Fixed"), encoding="utf-8")
    report = live.rebuild()
    assert report is not None and report.published and report.reused == ["other.yaml"]
    page = get(server, "/thirty/index.html")[2]
    assert b"<h1>Fixed</h1>" in page and b'id="jm-live-errors"' not in page


def test_first_build_failing_still_serves_the_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("journeymap: 1\ntitle: [unclosed\n", encoding="utf-8")
    live = LiveSite(lambda: Inputs((tmp_path / "bad.yaml",), SVG_ONLY), jobs=1)
    server = PreviewServer(live, 0)
    server.start()
    try:
        live.rebuild()
        status, _, page = get(server, "/")
        assert status == 200 and b"Waiting for a good build" in page
        (problem,) = live.status.problems
        assert problem.startswith(f"{tmp_path / 'bad.yaml'}:") and ": error: " in problem
        assert problem in "".join(Elements(page).text)
        assert b'id="jm-live-hide"' not in page  # there is no good build to go back to
    finally:
        server.close()
        live.close()


def test_event_stream_says_reload_after_a_rebuild(
    served: tuple[LiveSite, PreviewServer], journeys: Path
) -> None:
    live, server = served
    generation = live.status.generation
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as sock:
        sock.sendall(
            f"GET {EVENTS}?since={generation} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        )
        stream = sock.makefile("rb")
        assert stream.readline().startswith(b"HTTP/1.0 200")
        (journeys / "other.yaml").write_text(journey_text("Other 2", touchpoints=5), "utf-8")
        started = time.monotonic()
        live.rebuild()
        lines = [stream.readline() for _ in range(12)]
        assert b"event: reload\n" in lines, lines
        assert f"data: {generation + 1}\n".encode() in lines
        assert time.monotonic() - started < 10
    # A page that missed the rebuild (older generation) is told to reload at once.
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as sock:
        sock.sendall(f"GET {EVENTS}?since=0 HTTP/1.0\r\n\r\n".encode())
        assert b"event: reload" in sock.makefile("rb").read()


def test_close_ends_open_streams_threads_and_the_temporary_folder(journeys: Path) -> None:
    before = set(threading.enumerate())
    live = LiveSite(lambda: Inputs((journeys,), SVG_ONLY), jobs=1)
    server = PreviewServer(live, 0)
    live.rebuild()
    server.start()
    sockets = [socket.create_connection(("127.0.0.1", server.server_port)) for _ in range(3)]
    sockets[0].sendall(f"GET {EVENTS}?since={live.status.generation} HTTP/1.0\r\n\r\n".encode())
    sockets[1].sendall(b"GET / HTTP/1.0\r\n")  # a request that never ends
    time.sleep(0.3)
    started = time.monotonic()
    server.close()
    live.close()
    assert time.monotonic() - started < 5
    assert set(threading.enumerate()) <= before
    assert not live.folder.exists()
    for sock in sockets:
        sock.close()


def test_rebuild_follows_template_changes(journeys: Path, tmp_path: Path) -> None:
    (journeys / "thirty.yaml").unlink()
    templates = tmp_path / "templates" / "site"
    templates.mkdir(parents=True)
    builtin = Path(__file__).resolve().parent.parent / "templates" / "site" / "index.html.j2"
    index = templates / "index.html.j2"
    index.write_text(builtin.read_text(encoding="utf-8").replace("<body>", "<body>MARK-1"), "utf-8")
    options = RenderOptions(formats=("svg",), templates=templates.parent)
    live = LiveSite(lambda: Inputs((journeys,), options), jobs=1)
    try:
        live.rebuild()
        assert "MARK-1" in (live.site / "index.html").read_text(encoding="utf-8")
        folders, _ = live.watched()
        assert templates.parent.resolve() in folders
        index.write_text(index.read_text(encoding="utf-8").replace("MARK-1", "MARK-2"), "utf-8")
        live.rebuild(templates_changed=True)
        assert "MARK-2" in (live.site / "index.html").read_text(encoding="utf-8")
    finally:
        live.close()


def test_watched_files_include_imports_and_settings(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    lib = tmp_path / "shared" / "people.yaml"
    lib.write_text("journeymap: 1\nkind: library\npersonas:\n  - {id: p, name: Pat}\n", "utf-8")
    journey = tmp_path / "a.yaml"
    text = journey_text().replace("personas:\n  - {id: sam, name: Sam, role: busy parent}\n", "")
    journey.write_text(text.replace("stages:", "imports: [shared/people.yaml]\nstages:"), "utf-8")
    config = tmp_path / "journeymap.yaml"
    config.write_text("# project config\n", encoding="utf-8")
    live = LiveSite(lambda: Inputs((journey,), SVG_ONLY, settings=(config,)), jobs=1)
    try:
        report = live.rebuild()
        assert report is not None and report.published, problems_of(report)
        _, files = live.watched()
        assert {journey.resolve(), lib.resolve(), config.resolve()} <= files
    finally:
        live.close()


def test_the_workers_warm_up_builds_the_starter_journey() -> None:
    """Else every rebuild would silently start cold (about twice as slow)."""
    from journeymap.site.serve import WORKER_MODULES
    from journeymap.site.warm import warm

    assert WORKER_MODULES == ("journeymap.site.warm",)
    assert warm()


def test_inject_puts_the_snippet_before_the_last_body_end() -> None:
    assert inject(b"<p>a</p></BODY></html>", "<s>") == b"<p>a</p><s></BODY></html>"
    assert inject(b"<svg/>", "<s>") == b"<svg/><s>"


def test_command_line_errors(capsys: pytest.CaptureFixture[str], journeys: Path) -> None:
    assert main(["serve", str(journeys), "--port", "70000"]) == 2
    assert "--port must be between 0 and 65535" in capsys.readouterr().err
    assert main(["serve", str(journeys / "missing.yaml")]) == 2
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["serve", str(journeys), "--port", str(busy.getsockname()[1])]) == 2
    err = capsys.readouterr().err
    assert "cannot listen on 127.0.0.1" in err and "--port 0" in err


def people(name: str) -> str:
    """A library declaring the persona ``sam`` called ``name``."""
    return f"journeymap: 1\nkind: library\npersonas:\n  - {{id: sam, name: {name}}}\n"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def test_follows_the_project_config_and_sigterm_leaves_nothing_behind(
    journeys: Path, tmp_path: Path
) -> None:
    """The config is read again on change (a broken one shows its located error); SIGTERM
    stops the preview like Ctrl-C (tested with the browser, in test_serve_browser.py)."""
    config = tmp_path / "journeymap.yaml"
    config.write_text("journeys: [journeys]\nsite: {title: First title}\n", encoding="utf-8")
    (tmp_path / "shared").mkdir()
    library = tmp_path / "shared" / "people.yaml"
    library.write_text(people("Pat"), encoding="utf-8")
    team = journey_text("Team", touchpoints=5).replace(
        "personas:\n  - {id: sam, name: Sam, role: busy parent}\n", ""
    )
    team = team.replace("stages:", "imports: [../shared/people.yaml]\nstages:")
    (journeys / "team.yaml").write_text(team, encoding="utf-8")
    temp = tmp_path / "tmp"
    with Preview(["--port", "0"], tmp_path, temp) as preview:
        preview.wait_stderr("serve: rebuilt")
        assert len([n for n in os.listdir(temp) if n.startswith("journeymap-serve-")]) == 1
        assert "<h1>First title</h1>" in fetch(preview.url)
        # A changed journey is rebuilt alone.
        (journeys / "other.yaml").write_text(journey_text("Other 3", touchpoints=5), "utf-8")
        assert "rebuilt other.yaml " in preview.wait_stderr("serve: rebuilt")
        # An import outside the journeys folder is watched, also after a save by renaming.
        for name in ("Pat Q", "Pat R"):
            replacement = library.with_name(".people.yaml.new")
            replacement.write_text(people(name), encoding="utf-8")
            os.replace(replacement, library)
            assert "rebuilt team.yaml " in preview.wait_stderr("serve: rebuilt")
            assert name in fetch(preview.url + "team/")
        # A changed config applies at once; a broken one is shown, located, in the page.
        config.write_text("journeys: [journeys]\nsite: {title: Second}\n", encoding="utf-8")
        assert "thirty.yaml" in preview.wait_stderr("serve: rebuilt")  # the title: all again
        assert "<h1>Second</h1>" in fetch(preview.url)
        config.write_text("journeys: [journeys]\nsite: {titel: Third}\n", encoding="utf-8")
        preview.wait_stderr("serve: NOT rebuilt")
        located = [line for line in preview.stderr if line.startswith("journeymap.yaml:2:")]
        assert located and ": error: " in located[0], preview.stderr
        page = fetch(preview.url)
        assert 'id="jm-live-errors"' in page and "<h1>Second</h1>" in page
        assert located[0].strip() in "".join(Elements(page.encode()).text)
        code = preview.stop(signal.SIGTERM)
    assert code == 130, preview.stderr
    assert "serve: stopped; the temporary site was removed" in "".join(preview.stderr)
    assert "Traceback" not in "".join(preview.stderr)
    assert os.listdir(temp) == []
    assert session_processes(preview.process.pid) == []


def test_a_project_config_created_after_the_start_is_watched(
    journeys: Path, tmp_path: Path
) -> None:
    """No journeymap.yaml at the start: one created later (broken first, then fixed) is seen
    within a second and applied, and then watched as the config itself."""
    (tmp_path / ".git").mkdir()  # the project's top: where a config would be found
    temp = tmp_path / "tmp"
    config = tmp_path / "journeymap.yaml"
    with Preview(["journeys", "--port", "0"], tmp_path, temp) as preview:
        preview.wait_stderr("serve: rebuilt")
        assert "<h1>Customer journeys</h1>" in fetch(preview.url)
        config.write_text("site: {titel: Created}\n", encoding="utf-8")
        preview.wait_stderr("serve: NOT rebuilt", timeout=10)
        assert any(line.startswith("journeymap.yaml:1:") for line in preview.stderr)
        time.sleep(1.5)  # seen once, not rebuilt again and again
        assert sum("NOT rebuilt" in line for line in preview.stderr) == 1, preview.stderr
        started = time.monotonic()
        config.write_text("site: {title: Created later}\n", encoding="utf-8")
        preview.wait_stderr("serve: rebuilt", timeout=10)
        assert time.monotonic() - started < 5
        assert "<h1>Created later</h1>" in fetch(preview.url)
        config.write_text("site: {title: Edited}\n", encoding="utf-8")
        preview.wait_stderr("serve: rebuilt", timeout=10)
        assert "<h1>Edited</h1>" in fetch(preview.url)
        assert preview.stop() == 130


def test_a_config_created_inside_a_watched_folder(tmp_path: Path) -> None:
    """Serving the project folder itself: its new config arrives as a folder event."""
    (tmp_path / ".git").mkdir()
    make_journeys(tmp_path / "journeys")
    with Preview([".", "--port", "0"], tmp_path, tmp_path / ".tmp") as preview:
        preview.wait_stderr("serve: rebuilt")
        (tmp_path / "journeymap.yaml").write_text("site: {title: Here}\n", encoding="utf-8")
        preview.wait_stderr("serve: rebuilt", timeout=10)
        assert "<h1>Here</h1>" in fetch(preview.url)
        time.sleep(1)
        assert sum("serve: rebuilt" in line for line in preview.stderr) == 2, preview.stderr
        assert preview.stop() == 130
