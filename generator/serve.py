"""`versus serve`: build, serve on 127.0.0.1, watch, rebuild what changed, reload tabs.

Standard library HTTP plus watchdog, in the manner of MkDocs' live-reload server: one
thread rebuilds, others serve; a burst of file events gives one rebuild; the reload script
is injected into HTML responses only, never written to the output folder; a failed build
keeps the server running and shows its problems in the open tab.
"""

from __future__ import annotations

import json
import mimetypes
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build import BuildOptions, BuildReport, build
from generator.problems import ContentError, TemplateProblem

PREFIX = "/__versus/"
DEBOUNCE = 0.15  # seconds of quiet after the last event before rebuilding

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


class Site:
    """The output folder plus the lock that keeps requests away from half-published pages."""

    def __init__(self, options: BuildOptions, on_built: Callable[[BuildReport], None]) -> None:
        self.options = options
        self.lock = threading.Lock()
        self.state = State()
        self.on_built = on_built

    def rebuild(self) -> None:
        with self.lock:
            try:
                report = build(self.options)
            except ContentError as exc:
                errors = [str(p) for p in exc.problems]
            except TemplateProblem as exc:
                errors = [str(exc)]
            else:
                errors = []
                self.on_built(report)
        self.state.publish(errors)

    def read(self, url_path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path, from the output folder."""
        root = self.options.out.resolve()
        rel = unquote(url_path).lstrip("/")
        target = (root / rel).resolve()
        if root not in target.parents and target != root:
            return 404, "text/plain", b"not found"
        with self.lock:
            if target.is_dir():
                target = target / "index.html"
            status = 200
            if not target.is_file():
                status, target = 404, root / "404.html"
            try:
                body = target.read_bytes()
            except OSError:
                return 404, "text/plain", b"not found"
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            ctype = "text/html; charset=utf-8"
            body = inject(body)
        return status, ctype, body


def inject(html: bytes) -> bytes:
    """Add the reload script to an HTML page (served copy only)."""
    tag = f'<script src="{PREFIX}reload.js"></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "versus-serve"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return  # keep the terminal for build messages

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            if path == PREFIX + "reload.js":
                self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode())
            elif path == PREFIX + "state":
                body = json.dumps(site.state.snapshot()).encode()
                self._send(200, "application/json", body)
            elif path == PREFIX + "events":
                self._events()
            else:
                self._send(*site.read(path))

        def do_HEAD(self) -> None:  # noqa: N802
            status, ctype, body = site.read(urlsplit(self.path).path)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()

        def _send(self, status: int, ctype: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            """Server-sent events: the state now, then again after every rebuild."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            state = site.state
            seen = -1
            try:
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
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


class Watcher(FileSystemEventHandler):
    """Collects file events; the rebuild loop waits for a quiet moment, then rebuilds once."""

    def __init__(self, ignore: list[Path]) -> None:
        self.ignore = [str(p.resolve()) for p in ignore]
        self.last_event = 0.0
        self.event = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        path = os.fsdecode(event.src_path)
        if any(path.startswith(prefix) for prefix in self.ignore):
            return
        self.last_event = time.monotonic()
        self.event.set()

    def wait_for_burst(self, stop: threading.Event) -> bool:
        """Block until events arrived and then none for DEBOUNCE seconds."""
        while not stop.is_set():
            if not self.event.wait(timeout=0.2):
                continue
            while time.monotonic() - self.last_event < DEBOUNCE:
                time.sleep(DEBOUNCE / 3)
            self.event.clear()
            return True
        return False


def bind(port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Bind 127.0.0.1:port, or a free port when that one is taken."""
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError:
        return ThreadingHTTPServer(("127.0.0.1", 0), handler)


def serve(
    options: BuildOptions,
    port: int,
    say: Callable[[str], None],
    on_built: Callable[[BuildReport], None],
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Run until Ctrl-C (or `stop` is set)."""
    stop = stop or threading.Event()
    options.keep_in_memory = True
    site = Site(options, on_built)
    site.rebuild()
    if site.state.errors:
        say("\n".join(site.state.errors))
    server = bind(port, make_handler(site))
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    watcher = Watcher(ignore=[options.out, options.out.parent / f".{options.out.name}."])
    observer = Observer()
    templates = options.templates
    for folder in [options.content, templates]:
        if folder is not None and folder.is_dir():
            observer.schedule(watcher, str(folder), recursive=True)
    observer.start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"Serving {url} (Ctrl-C to stop); watching {options.content}/ and templates")
    if ready:
        ready(url)

    def loop() -> None:
        while watcher.wait_for_burst(stop):
            started = time.perf_counter()
            site.rebuild()
            if site.state.errors:
                say("\n".join(site.state.errors))
            else:
                say(f"Rebuilt in {time.perf_counter() - started:.2f}s")

    builder = threading.Thread(target=loop, daemon=True)
    builder.start()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        while not stop.is_set():
            stop.wait(0.5)
    except KeyboardInterrupt:
        stop.set()
    finally:
        server.stopping = True  # type: ignore[attr-defined]
        with site.state.changed:
            site.state.changed.notify_all()
        observer.stop()
        server.shutdown()
        server.server_close()
        observer.join(timeout=2)
        builder.join(timeout=10)
        say("Stopped.")
