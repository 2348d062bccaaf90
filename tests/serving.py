"""Helpers for the ``journeymap serve`` tests: a journey to edit, and a preview process that is
always stopped (every wait bounded)."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path


def journey_text(title: str = "Thirty steps", touchpoints: int = 30, emotion: str = "1") -> str:
    """A valid journey with ``touchpoints`` over five stages; the first emotion is ``emotion``."""
    lines = [
        "journeymap: 1",
        f"title: {title}",
        "personas:",
        "  - {id: sam, name: Sam, role: busy parent}",
        "stages:",
    ]
    per_stage = touchpoints // 5
    for stage in range(5):
        lines += [f"  - name: Stage {stage}", "    touchpoints:"]
        for i in range(stage * per_stage, (stage + 1) * per_stage):
            lines += [
                f"      - name: Step {i}",
                "        channel: web",
                f"        emotion: {emotion if i == 0 else (i % 5) - 1}",
                "        opportunities: [Make it quicker]",
            ]
    return "\n".join(lines) + "\n"


#: The line and column of the first touchpoint's emotion value in :func:`journey_text`.
FIRST_EMOTION = (10, 18)


def session_processes(sid: int) -> list[int]:
    """Process ids of the live (non-zombie) processes in session ``sid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry))
    return found


class Preview:
    """``journeymap serve`` in its own session; ``stop`` (or leaving the ``with``) ends it."""

    def __init__(self, args: list[str], cwd: Path, tmpdir: Path) -> None:
        tmpdir.mkdir(exist_ok=True)
        env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "journeymap", "serve", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        self._out, self._err = self.process.stdout.fileno(), self.process.stderr.fileno()
        #: Every stderr line so far.
        self.stderr: list[str] = []
        self._pending = {self._out: b"", self._err: b""}
        self._lines: dict[int, list[str]] = {self._out: [], self._err: []}
        self._selector = selectors.DefaultSelector()
        for fd in (self._out, self._err):
            self._selector.register(fd, selectors.EVENT_READ)
        try:
            line = self.wait_line(self._out, "Serving http", 60)
        except BaseException:
            self.stop()
            raise
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line
        self.url = match.group(0)

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def wait_line(self, fd: int, text: str, timeout: float) -> str:
        """The next line on ``fd`` (stdout or stderr) containing ``text``."""
        deadline = time.monotonic() + timeout
        while True:
            while self._lines[fd]:
                line = self._lines[fd].pop(0)
                if text in line:
                    return line
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {text!r} within {timeout} s: {''.join(self.stderr)}")
            for key, _ in self._selector.select(left):
                ready = int(key.fd)
                chunk = os.read(ready, 65536)
                if not chunk:
                    self._selector.unregister(ready)
                    if not self._selector.get_map():
                        raise AssertionError(f"serve ended: {''.join(self.stderr)}")
                    continue
                *lines, self._pending[ready] = (self._pending[ready] + chunk).split(b"\n")
                decoded = [f"{line.decode()}\n" for line in lines]
                self._lines[ready] += decoded
                if ready == self._err:
                    self.stderr += decoded

    def wait_stderr(self, text: str, timeout: float = 30) -> str:
        """The next stderr line containing ``text``."""
        return self.wait_line(self._err, text, timeout)

    def stop(self, signum: int = signal.SIGINT, timeout: float = 30) -> int:
        """Send ``signum``, wait for the exit (killing the session after ``timeout``)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                _, rest = self.process.communicate(timeout=timeout)
                self.stderr.append(rest.decode())
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.communicate(timeout=10)
                raise AssertionError("serve did not stop within the timeout") from None
        self._selector.close()
        return self.process.returncode
