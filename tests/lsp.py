"""A minimal Language Server Protocol client for tests: the real yaml-language-server over stdio.

``.ci/setup --test`` installs the npm package into ``.cache/node`` (git-ignored). Tests using
it are marked ``exe`` and skip, with the reason, when node or the package is missing.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / ".cache" / "node" / "node_modules" / "yaml-language-server" / "bin"
SERVER = SERVER / "yaml-language-server"


def require_server() -> list[str]:
    """The command that starts the server, or skip (fail on CI) when it cannot run."""
    node = shutil.which("node")
    if node is None or not SERVER.exists():
        reason = (
            "node is not installed"
            if node is None
            else f"yaml-language-server is not installed in {SERVER.parents[2]} "
            "(run: bash .ci/setup --test)"
        )
        if os.environ.get("CI") and shutil.which("npm"):
            pytest.fail(f"{reason}; .ci/setup --test must install it")
        pytest.skip(reason)
    return [node, str(SERVER), "--stdio"]


class Client:
    """Speaks JSON-RPC with one server process; answers its configuration requests."""

    def __init__(self, workspace: Path, settings: dict[str, Any]) -> None:
        self.workspace = workspace
        self.settings = settings
        self.proc = subprocess.Popen(
            require_server(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=workspace,
        )
        self.next_id = 0
        self.responses: dict[int, queue.Queue[Any]] = {}
        self.notifications: queue.Queue[dict[str, Any]] = queue.Queue()
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(out.read(length))
            if "id" in message and "method" in message:
                self._answer(message)
            elif "id" in message:
                with self.lock:
                    box = self.responses.setdefault(message["id"], queue.Queue())
                box.put(message)
            else:
                self.notifications.put(message)

    def _answer(self, request: dict[str, Any]) -> None:
        result: Any = None
        if request["method"] == "workspace/configuration":
            result = [
                self.settings.get(item.get("section", ""), None)
                for item in request["params"]["items"]
            ]
        self._send({"id": request["id"], "result": result})

    def request(self, method: str, params: Any, timeout: float = 30.0) -> Any:
        """Send a request and wait for its result."""
        with self.lock:
            self.next_id += 1
            ident = self.next_id
            box = self.responses.setdefault(ident, queue.Queue())
        self._send({"id": ident, "method": method, "params": params})
        reply = box.get(timeout=timeout)
        assert "error" not in reply, reply
        return reply["result"]

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self._send({"method": method, "params": params})

    def start(self) -> None:
        """The initialize handshake, then the settings."""
        uri = self.workspace.as_uri()
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "repo"}],
                "capabilities": {
                    "workspace": {"configuration": True},
                    "textDocument": {
                        "completion": {"completionItem": {"snippetSupport": True}},
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {},
                    },
                },
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def open(self, path: Path, text: str) -> str:
        """Open a document; returns its URI."""
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        return uri

    def diagnostics(self, uri: str, timeout: float = 30.0) -> list[dict[str, Any]]:
        """The next diagnostics the server publishes for ``uri``."""
        while True:
            message = self.notifications.get(timeout=timeout)
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params["uri"] == uri:
                return list(params["diagnostics"])

    def completion(self, uri: str, line: int, character: int) -> list[dict[str, Any]]:
        """Completion items at a 0-based position."""
        result = self.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        items = result["items"] if isinstance(result, dict) else result
        return list(items or [])

    def hover(self, uri: str, line: int, character: int) -> str:
        """Hover text at a 0-based position ('' when none)."""
        result = self.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        if not result:
            return ""
        contents = result["contents"]
        return str(contents["value"] if isinstance(contents, dict) else contents)

    def close(self) -> None:
        """Shut the server down, wait for it and close its pipes."""
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        finally:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.close()
            self.reader.join(timeout=10)
            self.proc.stdout.close()
