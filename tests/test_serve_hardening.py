"""`versus serve` under stress: forked render workers, signals in every state, failed
rebuilds of every kind, foreign folders, foreign Host headers and hostile paths.

The subprocess tests run serve as a terminal would (its own session, Ctrl-C sent to the
whole process group) with the default workers, on a catalogue big enough that a rebuild
renders in the process pool. Every wait is for a definite event (a line of output, a state
pushed over the event stream, a worker process appearing); the time limits only turn a
hang into a failure.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from benchmarks.make_catalogue import write_catalogue
from generator import build as build_module
from generator.build import BuildOptions
from generator.cli import main
from generator.rebuild import BUG, _tidy, describe, run_build
from generator.serve import serve
from generator.workers import CHUNK, SERIAL_CHUNKS
from tests.conftest import TEMPLATES, run_cli, snapshot

HANG = 120  # seconds: only ever reached when something hangs
TOOLS = 60  # renaming one tool re-renders ~350 files: more than SERIAL_CHUNKS chunks
SMALL = 24  # ~600 files in all: a full build or a new site title forks the pool
STAGED = 32  # at most this many files of a build are written outside the render chunks


# --- helpers -------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (the kernel's own view, no test hooks)."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _descendants(pid: int) -> dict[int, int]:
    """{pid: depth below `pid`} of every live descendant."""
    tree, found, todo = _children(), {}, [(pid, 0)]
    while todo:
        parent, depth = todo.pop()
        for child in tree.get(parent, []):
            found[child] = depth + 1
            todo.append((child, depth + 1))
    return found


def _session(sid: int) -> list[int]:
    """Live processes of a session: every descendant of serve, orphaned ones too."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] not in ("Z", "X"):
            found.append(int(stat.parent.name))
    return found


class ServeProcess:
    """`versus serve` as a terminal job: own session and process group; output read line
    by line in a thread so that a test can wait for one."""

    def __init__(self, cwd: Path, *args: str) -> None:
        command = [sys.executable, "-m", "generator", "serve", "--port", "0"]
        command += ["--templates", str(TEMPLATES), *args]
        self.proc = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.ended = False
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def ready(self) -> ServeProcess:
        """Wait for the line serve prints once it listens, its signal handlers long set."""
        url = self.wait_for(lambda line: line.startswith("Serving ")).split()[1]
        self.port = int(url.rstrip("/").rsplit(":", 1)[1])
        return self

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def output(self) -> str:
        with self.changed:
            return "\n".join(self.lines)

    def mark(self) -> int:
        with self.changed:
            return len(self.lines)

    def wait_for(self, match: Callable[[str], bool], after: int = 0) -> str:
        deadline = time.monotonic() + HANG
        with self.changed:
            while True:
                for line in self.lines[after:]:
                    if match(line):
                        return line
                if self.ended or time.monotonic() > deadline:
                    pytest.fail("serve ended or hung; its output:\n" + "\n".join(self.lines))
                self.changed.wait(timeout=1)

    def stop(self, sig: signal.Signals, *, ctrl_c: bool) -> str:
        """Send `sig` as the terminal would (Ctrl-C: to the whole process group) and
        return the whole output once serve has exited by itself."""
        if ctrl_c:
            os.killpg(self.proc.pid, sig)
        else:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            pytest.fail("serve did not exit after the signal:\n" + self.output())
        self.reader.join(timeout=HANG)
        return self.output()

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def _catalogue(project: Path, tools: int, *, built: bool) -> Path:
    """A synthetic catalogue (see benchmarks/make_catalogue.py) in `project`, maybe built
    already (as by `make site`)."""
    # Every pair built and every related tool linked: a renamed tool then shows on the
    # pages of each tool related to it, the workload the sizes above assume.
    write_catalogue(tools, project / "content", pairs="all")
    with (project / "content" / "site.yaml").open("a") as f:
        f.write("related_links: 50\n")
    if built:
        result = run_cli("build", "--templates", str(TEMPLATES), cwd=project)
        assert result.returncode == 0, result.stderr
    return project


def _tool(project: Path) -> Path:
    return sorted((project / "content" / "tools").glob("*.yaml"))[0]


def _rename(tool: Path, suffix: str) -> str:
    """Change the tool's display name (every page of the site shows it). Returns it."""
    text = tool.read_text()
    name = re.search(r'^name: "(.*)"$', text, re.M)
    assert name
    new = f"{name.group(1)} {suffix}"
    tool.write_text(text.replace(name.group(0), f'name: "{new}"', 1))
    return new


def _get(port: int, path: str, host: str | None = "") -> tuple[int, bytes]:
    """One GET with a raw path and the given Host (default: the right one; None: none)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host or f"127.0.0.1:{port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _state(port: int) -> dict[str, Any]:
    status, body = _get(port, "/__versus/state")
    assert status == 200
    state: dict[str, Any] = json.loads(body)
    return state


class Events:
    """The event stream an open tab listens to: each next() is the state after a rebuild."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG)
        self.conn.request("GET", "/__versus/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200

    def next(self) -> dict[str, Any]:
        while True:
            line = self.response.readline().decode()
            assert line, "event stream closed"
            if line.startswith("data: "):
                state: dict[str, Any] = json.loads(line[6:])
                return state

    def close(self) -> None:
        self.conn.close()


@contextmanager
def serving(content: Path, out: Path, said: list[str], **kw: Any) -> Iterator[int]:
    """serve() in a thread of this process (so a test can patch the build it forks);
    yields the port, and proves serve stopped when asked."""
    options = BuildOptions(content=content, out=out, templates=TEMPLATES, **kw)
    urls: list[str] = []
    started, stop = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    def run() -> None:
        try:
            serve(
                options,
                0,
                say=said.append,
                on_built=lambda r: said.append(f"built: {r.written} written"),
                ready=lambda url: (urls.append(url), started.set()),
                stop=stop,
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            failed.append(exc)
            started.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(HANG) and not failed, failed
    try:
        yield int(urls[0].rstrip("/").rsplit(":", 1)[1])
    finally:
        stop.set()
        thread.join(timeout=HANG)
    assert not thread.is_alive() and not failed, failed
    assert said[-1] == "Stopped."


# --- forked workers, signals -----------------------------------------------------------


def test_save_broken_save_fixed_save_then_sigterm_with_the_default_workers(
    tmp_path: Path,
) -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: the default is then one worker and no pool forks")
    catalogue = _catalogue(tmp_path, TOOLS, built=True)
    served = ServeProcess(catalogue).ready()  # default workers
    try:
        tool = _tool(catalogue)
        slug, good = tool.stem, tool.read_text()
        assert _get(served.port, f"/tools/{slug}/")[0] == 200

        mark = served.mark()
        name = _rename(tool, "Renamed")
        line = served.wait_for(lambda s: s.startswith("Built "), mark)
        written = int(re.search(r": (\d+) files written", line).group(1))  # type: ignore[union-attr]
        assert (
            written - STAGED > SERIAL_CHUNKS * CHUNK
        )  # so render_all rendered in its process pool
        served.wait_for(lambda s: s.startswith("Rebuilt in "), mark)
        status, page = _get(served.port, f"/tools/{slug}/")
        assert status == 200 and name.encode() in page
        assert _state(served.port)["errors"] == []

        mark = served.mark()
        broken = tool.read_text()
        at = next(i for i, s in enumerate(broken.splitlines(), 1) if s.startswith("  plan: "))
        tool.write_text(re.sub(r"^  plan: \S+$", "  plan: premium", broken, count=1, flags=re.M))
        where = f"content/tools/{slug}.yaml:{at}:9: pricing.plan: "
        error = served.wait_for(lambda s: s.startswith(where), mark)
        assert 'got "premium"' in error
        assert _state(served.port)["errors"] == [error]
        status, page = _get(served.port, f"/tools/{slug}/")  # the last good site is served
        assert status == 200 and name.encode() in page

        mark = served.mark()
        tool.write_text(good)
        served.wait_for(lambda s: s.startswith("Rebuilt in "), mark)
        assert _state(served.port)["errors"] == []
        status, page = _get(served.port, f"/tools/{slug}/")
        assert status == 200 and name.encode() not in page

        output = served.stop(signal.SIGTERM, ctrl_c=False)
    finally:
        served.kill()
    assert served.proc.returncode == 0, output
    assert output.endswith("Stopped.") and "Traceback" not in output
    assert _session(served.proc.pid) == []  # no build process or render worker left
    assert sorted(p.name for p in catalogue.iterdir()) == ["content", "site"]


@pytest.mark.parametrize("when", ["idle", "first-build", "rebuild"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_signals_stop_serve_cleanly_in_every_state(
    tmp_path: Path, sig: signal.Signals, when: str
) -> None:
    """Mid-build means while render workers exist (seen in /proc); --workers 2 so that
    the pool forks on any machine."""
    catalogue = _catalogue(tmp_path, SMALL, built=when != "first-build")
    served = ServeProcess(catalogue, "--workers", "2")
    if when != "first-build":
        served.ready()
    try:
        stream = None
        if when == "idle":
            stream = Events(served.port)  # an open tab: a request that never ends
            assert stream.next()["errors"] == []
        if when == "rebuild":
            site_yaml = catalogue / "content" / "site.yaml"
            site_yaml.write_text(site_yaml.read_text().replace("Versus benchmark", "Renamed"))
        asking = None
        if when != "idle":
            _wait_for_workers(served)
        if when == "rebuild":  # a request waiting for the build to publish
            asking = threading.Thread(target=_ask, args=(served.port,), daemon=True)
            asking.start()
        output = served.stop(sig, ctrl_c=sig == signal.SIGINT)
        if stream is not None:
            stream.close()
        if asking is not None:
            asking.join(timeout=HANG)
            assert not asking.is_alive()
    finally:
        served.kill()
    assert served.proc.returncode == 0, output
    assert output.endswith("Stopped.") and "Traceback" not in output
    assert _session(served.proc.pid) == []  # no build process or render worker left
    leftovers = [p.name for p in catalogue.iterdir() if p.name.startswith(".site")]
    assert leftovers == []  # a cancelled build discards its staging folder


def _ask(port: int) -> None:
    with contextlib.suppress(OSError, http.client.HTTPException):
        _get(port, "/")


def _wait_for_workers(served: ServeProcess) -> None:
    """Until serve's build process has forked render workers (grandchildren of serve)."""
    deadline = time.monotonic() + HANG
    while not any(depth >= 2 for depth in _descendants(served.proc.pid).values()):
        if served.proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail("no render workers appeared:\n" + served.output())
        time.sleep(0.002)


# --- failed rebuilds -------------------------------------------------------------------


def test_an_internal_error_is_reported_as_a_bug_and_the_next_save_rebuilds(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = build_module.build

    def build_failing_once(options: BuildOptions, progress: Any = None) -> Any:
        calls.append(1)
        if len(calls) == 2:  # the first rebuild after the initial build
            raise RuntimeError("injected failure")
        return real(options, progress)

    monkeypatch.setattr("generator.rebuild.build", build_failing_once)
    said: list[str] = []
    tool = fixture_copy / "tools" / "beta.yaml"
    good = tool.read_text()
    with serving(fixture_copy, tmp_path / "site", said) as port:
        events = Events(port)
        generation = events.next()["generation"]
        tool.write_text(good.replace("title: Style references", "title: Style codes"))
        state = events.next()
        assert state["generation"] == generation + 1
        assert state["errors"] == [f"{BUG}: RuntimeError: injected failure"]
        terminal = "\n".join(said)
        assert "Traceback (most recent call last)" in terminal
        assert 'raise RuntimeError("injected failure")' in terminal
        status, page = _get(port, "/compare/alpha-vs-beta/")
        assert status == 200 and b"Style references" in page  # the last good site

        tool.write_text(good.replace("title: Style references", "title: Style marks"))
        while state["errors"]:
            state = events.next()
        status, page = _get(port, "/compare/alpha-vs-beta/")
        assert status == 200 and b"Style marks" in page
        events.close()
    assert said.count("Stopped.") == 1


def test_a_file_system_error_is_reported_with_what_and_where_and_serve_goes_on(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """A directory squatting where the build must publish a file: a real OSError."""
    said: list[str] = []
    out = tmp_path / "site"
    tool = fixture_copy / "tools" / "beta.yaml"
    good = tool.read_text()
    with serving(fixture_copy, out, said) as port:
        events = Events(port)
        events.next()
        (out / "robots.txt").unlink()
        (out / "robots.txt").mkdir()
        tool.write_text(good.replace("title: Style references", "title: Style codes"))
        state = events.next()
        [error] = state["errors"]
        assert error.startswith(f"Could not write {out}: Is a directory; ")
        assert "bug" not in error and "Traceback" not in "\n".join(said)
        assert error in said
        assert _get(port, "/compare/alpha-vs-beta/")[0] == 200  # still serving

        (out / "robots.txt").rmdir()
        tool.write_text(good)
        while state["errors"]:
            state = events.next()
        assert _get(port, "/robots.txt")[0] == 200
        events.close()


def test_a_build_that_ignores_the_cancel_is_killed_and_tidied_after(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = build_module.build
    out = tmp_path / "site"

    def build_that_hangs(options: BuildOptions, progress: Any = None) -> Any:
        calls.append(1)
        if len(calls) == 1:
            return real(options, progress)
        out.with_name(f".site.staging-{os.getpid()}").mkdir()
        threading.Event().wait()  # never checks for the cancel

    monkeypatch.setattr("generator.rebuild.build", build_that_hangs)
    said: list[str] = []
    with serving(fixture_copy, out, said):
        tool = fixture_copy / "tools" / "beta.yaml"
        tool.write_text(tool.read_text().replace("Style references", "Style codes"))
        deadline = time.monotonic() + HANG
        while not list(tmp_path.glob(".site.staging-*")):
            assert time.monotonic() < deadline, said
            time.sleep(0.01)
    assert list(tmp_path.glob(".site*")) == []
    assert (out / "index.html").is_file()


def test_tidy_puts_back_a_site_moved_aside_by_a_killed_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (tmp_path / ".site.old-4242").mkdir()
    (tmp_path / ".site.old-4242" / "index.html").write_text("old")
    (tmp_path / ".site.staging-4242").mkdir()
    _tidy(out, 4242)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (out / "index.html").read_text() == "old"


def test_tidy_finds_the_folders_under_the_names_the_writer_gives(tmp_path: Path) -> None:
    """The writer names its folders `.site.<role>-<pid>-<random>`; tidy must find those, and
    leave another process's alone."""
    out = tmp_path / "site"
    (tmp_path / ".site.old-4242-0a1b2c3d").mkdir()
    (tmp_path / ".site.old-4242-0a1b2c3d" / "index.html").write_text("old")
    (tmp_path / ".site.staging-4242-9f8e7d6c").mkdir()
    (tmp_path / ".site.staging-42420-11111111").mkdir()
    _tidy(out, 4242)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.staging-42420-11111111", "site"]
    assert (out / "index.html").read_text() == "old"


def test_describe_names_the_error_and_the_paths() -> None:
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/srv/site/a.html")
    assert describe(error) == "No space left on device: /srv/site/a.html"
    error = OSError(errno.EACCES, os.strerror(errno.EACCES), "/a", None, "/b")
    assert describe(error) == "Permission denied: /a -> /b"


def test_run_build_turns_an_unwritable_output_into_a_message(
    fixture_copy: Path, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("not a folder")
    out = tmp_path / "file" / "site"
    outcome = run_build(BuildOptions(content=fixture_copy, out=out, templates=TEMPLATES))
    assert outcome.report is None and outcome.detail == ""
    [error] = outcome.errors
    assert error.startswith(f"Could not write the lock file {tmp_path / 'file' / '.site.lock'}: ")
    assert error.endswith(f"; {out} was not changed.")


# --- what is served, and to whom ---------------------------------------------------------


def test_a_foreign_output_folder_is_refused_before_listening(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "passwd").write_text("root:x:0:0\n")
    before = snapshot(foreign)
    result = run_cli(
        "serve",
        *("--content", str(fixture_copy), "--out", str(foreign), "--port", "0"),
        *("--templates", str(TEMPLATES)),
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{foreign}:1:1: output folder exists and was not made by versus; remove it or "
        "choose another --out",
        f"Found 1 problem in 1 file; {foreign} was not changed.",
    ]
    assert snapshot(foreign) == before

    bound: list[int] = []
    monkeypatch.setattr("generator.serve.bind", lambda port, handler: bound.append(port))
    args = ["serve", "--content", str(fixture_copy), "--out", str(foreign), "--port", "0"]
    assert main(args) == 1
    assert bound == []  # refused before anything listened


@pytest.mark.parametrize("port", ["99999", "-1", "65536"])
def test_an_impossible_port_is_one_line_and_exit_2(fixture_copy: Path, port: str) -> None:
    result = run_cli("serve", "--content", str(fixture_copy), "--port", port, cwd=fixture_copy)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"versus serve: --port must be between 0 and 65535, not {port}\n"


def test_a_port_that_cannot_be_bound_is_one_line_and_exit_1(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    def refuse(address: tuple[str, int], handler: Any) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("generator.serve.Server", refuse)
    out = str(tmp_path / "site")
    assert main(["serve", "--content", str(fixture_copy), "--out", out, "--port", "80"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "versus serve: cannot listen on 127.0.0.1:80: Permission denied\n"
    assert "Traceback" not in captured.out


def test_a_port_in_use_falls_back_to_a_free_one(fixture_copy: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        shutil.copytree(fixture_copy, tmp_path / "project" / "content")
        served = ServeProcess(tmp_path / "project", "--port", str(port)).ready()
        try:
            assert served.port != port
            output = served.stop(signal.SIGTERM, ctrl_c=False)
        finally:
            served.kill()
    assert served.proc.returncode == 0 and "Traceback" not in output


@pytest.fixture
def live(fixture_copy: Path, tmp_path: Path) -> Iterator[tuple[int, Path, list[str]]]:
    """A running serve of the fixture, with a secret beside its output folder."""
    said: list[str] = []
    (tmp_path / "secret.txt").write_text("TOP-SECRET\n")
    with serving(fixture_copy, tmp_path / "site", said) as port:
        yield port, tmp_path / "site", said


@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "localhost.evil.example:{port}", None],
    ids=["rebinding", "no-port", "other-port", "suffix", "missing"],
)
def test_foreign_host_headers_get_403(live: tuple[int, Path, list[str]], host: str | None) -> None:
    port = live[0]
    for path in ["/", "/compare/alpha-vs-beta/", "/__versus/state", "/__versus/events"]:
        status, body = _get(port, path, None if host is None else host.format(port=port))
        assert status == 403
        assert body == f"forbidden: use http://127.0.0.1:{port}/\n".encode()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_loopback_host_is_served(live: tuple[int, Path, list[str]], host: str) -> None:
    port = live[0]
    status, body = _get(port, "/compare/alpha-vs-beta/", host.format(port=port))
    assert status == 200 and b"/__versus/reload.js" in body


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/../secret.txt", 404),
        ("/../../../../etc/passwd", 404),
        ("/%2e%2e/secret.txt", 404),
        ("/%2E%2E%2Fsecret.txt", 404),
        ("/..%2f..%2f..%2fetc%2fpasswd", 404),
        ("/compare/%2e%2e/%2e%2e/%2e%2e/secret.txt", 404),
        ("//etc/passwd", 404),
        (f"{Path('/etc/passwd')}", 404),
        ("/index.html%00", 400),
        ("/%00/../secret.txt", 400),
        ("/..%5csecret.txt", 400),
        ("/%ff%fe", 400),
        ("/" + "a" * 10_000, 414),
        ("/" + "a/" * 1000, 404),
        ("/.versus/manifest.json", 404),
        ("/link-to-secret", 404),
        ("/link-to-outside/secret.txt", 404),
        ("/compare/link-to-secret", 404),
    ],
)
def test_nothing_outside_the_output_folder_is_served(
    live: tuple[int, Path, list[str]], path: str, expected: int, capfd: Any
) -> None:
    port, out, said = live
    (out / "link-to-secret").symlink_to(out.parent / "secret.txt")
    (out / "link-to-outside").symlink_to(out.parent)
    (out / "compare" / "link-to-secret").symlink_to(out.parent / "secret.txt")
    status, body = _get(port, path)
    assert status == expected
    assert b"TOP-SECRET" not in body and b"root:" not in body
    assert _get(port, "/compare/alpha-vs-beta/")[0] == 200  # and it keeps serving
    captured = capfd.readouterr()
    assert "Traceback" not in captured.out + captured.err + "\n".join(said)
