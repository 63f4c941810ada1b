"""What `versus serve` answers over HTTP: files of the output folder, the reload script and
the build state, and nothing else, to nobody else.

Requests must name the loopback address in their Host header: a page on another site that
rebinds its own name to 127.0.0.1 still sends its own name, and gets 403. Paths are decoded
once, refused when they carry '..', NUL or backslashes, and every file is resolved (symlinks
included) and must lie inside the output folder.
"""

from __future__ import annotations

import html
import json
import mimetypes
import sys
import threading
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.rebuild import BUG
from generator.state import STATE_DIR

PREFIX = "/__versus/"
MAX_PATH = 2048  # characters of request path: no page of the site has a longer one
TEXT = "text/plain; charset=utf-8"
NO_SITE = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Versus</title>"
    b"<body><p>No site has been built yet.</p></body></html>"
)

RELOAD_JS = """(function () {
  "use strict";
  var box = null;
  function show(errors) {
    if (!box) {
      box = document.createElement("div");
      box.id = "versus-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;" +
        "padding:2rem;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "Versus could not rebuild the site:\\n\\n" + errors.join("\\n") +
      "\\n\\nFix the file and save: this page reloads by itself.";
  }
  var source = new EventSource("/__versus/events");
  var seen = null;
  source.onmessage = function (ev) {
    var state = JSON.parse(ev.data);
    if (state.errors.length) { show(state.errors); seen = state.generation; return; }
    if (seen !== null && state.generation !== seen) { window.location.reload(); return; }
    if (box) { window.location.reload(); return; }
    seen = state.generation;
  };
})();
"""


@dataclass
class State:
    """What every open tab needs to know: the build generation and current problems."""

    generation: int = 0
    errors: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, errors: list[str]) -> None:
        with self.changed:
            self.generation += 1
            self.errors = errors
            self.changed.notify_all()

    def snapshot(self) -> dict[str, object]:
        return {"generation": self.generation, "errors": list(self.errors)}


class SiteFiles:
    """The output folder as served: only its own files, never while a build publishes."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.lock = threading.Lock()
        # The path of the site's base_url: a site made for https://example.org/sub/ links
        # every page under /sub/, so it is served there too (set after each build).
        self.base = "/"

    def read(self, url_path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path, from the output folder."""
        if len(url_path) > MAX_PATH:
            return 414, TEXT, b"request path too long\n"
        if self.base != "/":
            if not url_path.startswith(self.base):
                return 404, "text/html; charset=utf-8", inject(elsewhere(self.base))
            url_path = url_path[len(self.base) - 1 :]
        try:
            rel = unquote(url_path, errors="strict")
        except UnicodeDecodeError:
            return 400, TEXT, b"bad request path\n"
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if any("\x00" in p or "\\" in p for p in parts):
            return 400, TEXT, b"bad request path\n"
        if ".." in parts or (parts and parts[0] == STATE_DIR):
            return 404, TEXT, b"not found\n"
        root = self.out.resolve()
        with self.lock:
            if not (root / STATE_DIR).is_dir():  # nothing built yet: a page for the overlay
                return 503, "text/html; charset=utf-8", inject(NO_SITE)
            status, target = 200, _inside(root, root.joinpath(*parts))
            if target is not None and target.is_dir():
                target = _inside(root, target / "index.html")
            if target is None or not target.is_file():
                status, target = 404, _inside(root, root / "404.html")
            try:
                body = target.read_bytes() if target is not None else None
            except OSError:
                body = None
        if body is None:
            return 404, TEXT, b"not found\n"
        ctype = mimetypes.guess_type(target.name)[0] if target else None
        ctype = ctype or "application/octet-stream"
        if ctype == "text/html":
            return status, "text/html; charset=utf-8", inject(body)
        return status, ctype, body


def elsewhere(base: str) -> bytes:
    """The answer outside the base path: where the site is."""
    link = html.escape(base)
    return (
        '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Not here</title>'
        f'<p>This site is served under <a href="{link}">{link}</a>, the path of its '
        "base_url.</p></html>"
    ).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a tab's open event stream must not hold up the exit
    stopping = False  # tells event streams to end

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up is no news; anything else is our bug, for the terminal."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        print(f"{BUG}:", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)


def _inside(root: Path, path: Path) -> Path | None:
    """`path` with every symlink resolved, if that is inside `root`."""
    try:
        real = path.resolve()
        real.stat()
    except (OSError, ValueError, RuntimeError):
        return None
    return real if real == root or root in real.parents else None


def inject(html: bytes) -> bytes:
    """Add the reload script to an HTML page (served copy only)."""
    tag = f'<script src="{PREFIX}reload.js"></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


def make_handler(files: SiteFiles, state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "versus-serve"
        timeout = 60  # an idle or stalled client gives its thread back

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return  # keep the terminal for build messages

        def do_GET(self) -> None:  # noqa: N802
            self._answer(head=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(head=True)

        def _answer(self, *, head: bool) -> None:
            try:
                if not self._host_ok():
                    port = self._port()
                    body = f"forbidden: use http://127.0.0.1:{port}/\n".encode()
                    self._send(403, TEXT, body, head)
                    return
                path = urlsplit(self.path).path
                if path == PREFIX + "reload.js":
                    self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode(), head)
                elif path == PREFIX + "state":
                    self._send(200, "application/json", json.dumps(state.snapshot()).encode(), head)
                elif path == PREFIX + "events" and not head:
                    self._events()
                else:
                    self._send(*files.read(path), head)
            except (ConnectionError, TimeoutError):
                return  # the browser went away
            except Exception:  # noqa: BLE001 - our bug: tell the terminal, not the browser
                print(f"{BUG}:", file=sys.stderr)
                traceback.print_exc(file=sys.stderr)
                self.close_connection = True

        def _host_ok(self) -> bool:
            """The DNS-rebinding guard: Host must name this server's loopback address."""
            hosts = self.headers.get_all("Host") or []
            port = self._port()
            allowed = {f"127.0.0.1:{port}", f"localhost:{port}"}
            return len(hosts) == 1 and hosts[0].strip().lower() in allowed

        def _port(self) -> int:
            address: Any = self.server.server_address
            return int(address[1])

        def _send(self, status: int, ctype: str, body: bytes, head: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _events(self) -> None:
            """Server-sent events: the state now, then again after every rebuild."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            while not getattr(self.server, "stopping", False):
                with state.changed:
                    if state.generation == seen:
                        state.changed.wait(timeout=15)
                    snap = state.snapshot()
                if snap["generation"] == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = int(str(snap["generation"]))
                    self.wfile.write(f"data: {json.dumps(snap)}\n\n".encode())
                self.wfile.flush()

    return Handler
