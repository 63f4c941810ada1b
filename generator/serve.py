"""`versus serve`: build, serve on 127.0.0.1, watch, rebuild what changed, reload tabs.

Standard library HTTP plus watchdog, in the manner of MkDocs' live-reload server: one
thread waits for saves, others serve; builds run in a separate build process forked before
any thread starts (see generator.rebuild for why); a burst of file events gives one
rebuild; the reload script is injected into HTML responses only, never written to the
output folder; a failed build keeps the server running and shows its problems in the tab.

Only for the person at this machine: it listens on 127.0.0.1, answers only requests whose
Host names that address (a web page elsewhere cannot reach it by DNS rebinding), and
never serves a file outside the output folder, nor a folder that versus did not make.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build import BuildOptions, BuildReport
from generator.problems import ContentError, Problem
from generator.rebuild import BUG, BuildProcess, Outcome, run_build
from generator.serve_http import PREFIX, Server, SiteFiles, State, make_handler
from generator.state import STATE_DIR

__all__ = ["PREFIX", "ServeError", "Site", "State", "Watcher", "serve"]

DEBOUNCE = 0.15  # seconds of quiet after the last event before rebuilding
# Seconds of quiet after a rebuild before the search index it left stale is rebuilt: between
# saves pages are published at once, and the index (seconds on a large site) waits.
INDEX_IDLE = 1.0


class ServeError(Exception):
    """serve cannot start (the port, say): one line for the user, exit 1, no traceback."""


class Site(SiteFiles):
    """The output folder, the rebuild that replaces it, and the lock that keeps requests
    away from half-published pages."""

    def __init__(
        self,
        options: BuildOptions,
        on_built: Callable[[BuildReport], None],
        run: Callable[[str], Outcome | None] | None = None,
    ) -> None:
        super().__init__(options.out)
        self.options = options
        self.state = State()
        self.on_built = on_built
        index = dataclasses.replace(options, defer_search=False)
        self.run = run or (lambda what: run_build(index if what == "index" else options))
        self.index_due = False  # the last build left the search index stale (defer_search)

    def rebuild(self, what: str = "build") -> Outcome | None:
        """Build and publish the outcome to open tabs; None when serve stopped first.
        `what="index"` brings a search index left stale up to date: open tabs are not
        reloaded for it (their pages did not change) unless it fails."""
        with self.lock:
            outcome = self.run(what)
            if outcome is None:
                return None
            if outcome.report is not None:
                self.base = outcome.report.base_path
                self.index_due = outcome.report.search_pending
                self.on_built(outcome.report)
        if what != "index" or outcome.errors or self.state.errors:
            self.state.publish(outcome.errors)
        return outcome


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

    def wait_for_burst(self, stop: Any, idle: float | None = None) -> bool | None:
        """Block until events arrived and then none for DEBOUNCE seconds (`stop`: anything
        with is_set(), checked every 0.2 s). False when stopped; None when `idle` seconds
        passed without an event."""
        quiet_since = time.monotonic()
        while not stop.is_set():
            if not self.event.wait(timeout=0.2):
                if idle is not None and time.monotonic() - quiet_since >= idle:
                    return None
                continue
            while time.monotonic() - self.last_event < DEBOUNCE and not stop.is_set():
                time.sleep(DEBOUNCE / 3)
            self.event.clear()
            return not stop.is_set()
        return False


class Stopping:
    """The stop request. A signal handler only sets a flag: taking a lock there (as
    Event.set does) can deadlock on the very lock the interrupted code holds."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event
        self.signalled = False

    def is_set(self) -> bool:
        return self.signalled or self.event.is_set()

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signalled = True


def foreign_folder(out: Path) -> Problem | None:
    """The refusal when `out` exists, is not empty and was not made by versus: serving it
    would hand its files to the browser, and building would replace it."""
    out = out.resolve()
    if not out.exists() or (out / STATE_DIR).is_dir():
        return None
    if out.is_dir() and not any(out.iterdir()):
        return None
    message = "output folder exists and was not made by versus; remove it or choose another --out"
    return Problem(str(out), 1, 1, "", message)


def bind(port: int, handler: Any) -> Server:
    """Listen on 127.0.0.1:port, or on a free port when that one is in use."""
    if not 0 <= port <= 65535:
        raise ServeError(f"--port must be between 0 and 65535, not {port}")
    try:
        return Server(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE or port == 0:
            raise ServeError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    try:
        return Server(("127.0.0.1", 0), handler)
    except OSError as exc:
        raise ServeError(f"cannot listen on 127.0.0.1: {exc.strerror or exc}") from None


def serve(
    options: BuildOptions,
    port: int,
    say: Callable[[str], None],
    on_built: Callable[[BuildReport], None],
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Run until Ctrl-C, SIGTERM or `stop` is set. Raises ContentError (a foreign output
    folder) or ServeError (the port) before listening."""
    stopping = Stopping(stop or threading.Event())
    restore = _on_signals(stopping)  # first: from here on a signal always stops cleanly
    try:
        problem = foreign_folder(options.out)
        if problem is not None:
            raise ContentError([problem])
        options.keep_in_memory = True
        options.defer_search = True  # pages at once; the search index after a quiet second
        builder = BuildProcess(options)  # before any thread exists: see generator.rebuild
        try:
            _serve(options, port, say, on_built, ready, stopping, builder)
        finally:
            builder.close()
        say("Stopped.")
    finally:
        restore()


def _serve(
    options: BuildOptions,
    port: int,
    say: Callable[[str], None],
    on_built: Callable[[BuildReport], None],
    ready: Callable[[str], None] | None,
    stopping: Stopping,
    builder: BuildProcess,
) -> None:
    site = Site(options, on_built, run=lambda what: builder.run(stopping.is_set, what))
    server = bind(port, make_handler(site, site.state))
    try:
        _report(site.rebuild(), say, None)
        if stopping.is_set():
            return
        _live(site, server, options, say, ready, stopping)
    finally:
        server.server_close()


def _live(
    site: Site,
    server: Server,
    options: BuildOptions,
    say: Callable[[str], None],
    ready: Callable[[str], None] | None,
    stopping: Stopping,
) -> None:
    url = f"http://127.0.0.1:{server.server_address[1]}{site.base}"
    watcher = Watcher(ignore=[options.out, options.out.parent / f".{options.out.name}."])
    observer = Observer()
    for folder in [options.content, options.templates]:
        if folder is not None and folder.is_dir():
            observer.schedule(watcher, str(folder), recursive=True)
    observer.start()
    serving = threading.Thread(target=server.serve_forever, name="versus-http", daemon=True)
    serving.start()

    def loop() -> None:
        while True:
            burst = watcher.wait_for_burst(stopping, INDEX_IDLE if site.index_due else None)
            if burst is False:
                return
            what = "build" if burst else "index"
            started = time.perf_counter()
            try:
                outcome = site.rebuild(what)
            except Exception:  # noqa: BLE001 - never let one save end the rebuilds
                outcome = Outcome(errors=[_bug()], detail=traceback.format_exc())
                site.state.publish(outcome.errors)
            if outcome is None:
                return
            if what == "build" or outcome.errors:
                _report(outcome, say, started)

    rebuilds = threading.Thread(target=loop, name="versus-rebuild", daemon=True)
    rebuilds.start()
    say(f"Serving {url} (Ctrl-C to stop); watching {options.content}/ and templates")
    if ready:
        ready(url)
    try:
        while not stopping.is_set():
            stopping.event.wait(0.1)
    finally:
        stopping.event.set()
        server.stopping = True
        with site.state.changed:
            site.state.changed.notify_all()
        rebuilds.join(timeout=2)
        observer.stop()
        server.shutdown()
        observer.join(timeout=2)


def _report(outcome: Outcome | None, say: Callable[[str], None], started: float | None) -> None:
    """Tell the terminal how a rebuild went (the overlay was told by Site.rebuild)."""
    if outcome is None:
        return
    try:
        if outcome.errors:
            say("\n".join(outcome.errors))
        if outcome.detail:
            say(outcome.detail.rstrip())
        if not outcome.errors and started is not None:
            say(f"Rebuilt in {time.perf_counter() - started:.2f}s")
    except Exception:  # noqa: BLE001 - a closed terminal must not stop the rebuilds
        traceback.print_exc(file=sys.stderr)


def _bug() -> str:
    exc = sys.exc_info()[1]
    return f"{BUG}: {type(exc).__name__}: {exc}"


def _on_signals(stopping: Stopping) -> Callable[[], None]:
    """Ctrl-C and SIGTERM set the stop flag (main thread only; a test may run serve in
    another thread). Returns what puts the previous handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    old = {sig: signal.signal(sig, stopping.on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in old.items():
            signal.signal(sig, handler)

    return restore
