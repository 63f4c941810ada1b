"""Rebuilds for `versus serve`: what a rebuild tells the user, and the process that runs them.

The build renders pages in a forked process pool. `serve` runs HTTP and file-watching
threads, and a process forked from a multi-threaded one inherits their state without their
threads: signal handlers (a render worker kept serve's SIGTERM handler, so the pool's
terminate() could never end it and the rebuild hung with the site lock held), and any lock
another thread held at that moment. So `serve` forks one build process before it starts a
single thread; every build, and every pool fork, happens there. That process has its own
process group, so Ctrl-C in the terminal reaches only `serve`. To stop, serve asks a build
under way to cancel (SIGINT sets a flag; the build stops at its next chunk of pages,
discarding its staging folder and terminating its pool) and, if it has not ended within
GRACE seconds, kills the whole group and removes what the build left beside the output.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import shutil
import signal
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

from generator.build import BuildOptions, BuildReport, build
from generator.lock import remove_if_left_by
from generator.problems import ContentError, TemplateProblem
from generator.workers import Progress
from generator.write import OutputError, leftovers

BUG = "internal error (this is a bug in Versus, please report it)"
SIGNALS = {signal.SIGINT, signal.SIGTERM}
GRACE = 3.0  # seconds a cancelled build has to end by itself


class Cancelled(BaseException):
    """serve is stopping: not a failure of the build, so no Exception handler catches it."""


@dataclass
class Outcome:
    """One rebuild as the user sees it: the report, or the lines for terminal and overlay."""

    report: BuildReport | None = None
    errors: list[str] = field(default_factory=list)
    detail: str = ""  # for the terminal only (a traceback): never sent to a browser


def run_build(options: BuildOptions, progress: Progress | None = None) -> Outcome:
    """Build once; any failure becomes an Outcome, so a rebuild loop cannot die of one."""
    try:
        return Outcome(report=build(options, progress))
    except OutputError as exc:  # the output folder could not be written: one line says it
        return Outcome(errors=[str(exc)])
    except ContentError as exc:
        return Outcome(errors=[str(p) for p in exc.problems])
    except TemplateProblem as exc:
        return Outcome(errors=[str(exc)])
    except OSError as exc:  # the disk or the permissions, not the content, not our code
        return Outcome(errors=[f"could not build the site: {describe(exc)}"])
    except Exception as exc:  # noqa: BLE001 - reported as our bug, serve keeps running
        return Outcome(
            errors=[f"{BUG}: {type(exc).__name__}: {exc}"], detail=traceback.format_exc()
        )


def describe(exc: OSError) -> str:
    """What failed and where, e.g. 'Permission denied: /srv/site/.versus'."""
    what = exc.strerror or str(exc) or type(exc).__name__
    where = [str(f) for f in (exc.filename, exc.filename2) if f is not None]
    return ": ".join([what, " -> ".join(where)]) if where else what


class BuildProcess:
    """A single-threaded child process that runs one build per request."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self._start()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe()
        self._proc: BaseProcess = ctx.Process(
            target=_child, args=(child, self._conn, self.options), name="versus-build"
        )
        # Blocked across the fork, so that a signal reaches the child only once it has
        # dropped the parent's handlers; the parent takes it as soon as this returns.
        old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            self._proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        child.close()
        pid = self._proc.pid
        if pid:  # the child does this too: whichever runs first, killpg finds the group
            with contextlib.suppress(OSError):
                os.setpgid(pid, pid)
        self.busy = False

    def run(self, stopping: Callable[[], bool], what: str = "build") -> Outcome | None:
        """Build in the child ("build", or "index": a build that also brings a search index
        left stale by an earlier build up to date); None when `stopping()` turns true first
        (the build then goes on until close() cancels it)."""
        try:
            self._conn.send(what)
        except OSError:
            return self._restart()
        self.busy = True
        while not self._conn.poll(0.05):
            if stopping():
                return None
        try:
            outcome: Outcome = self._conn.recv()
        except (EOFError, OSError):
            return self._restart()
        self.busy = False
        return outcome

    def _restart(self) -> Outcome:
        """The child ended under a build (the OOM killer, say): report it, start another."""
        self._proc.join(timeout=5)
        code = self._proc.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
        self._conn.close()
        self._start()
        return Outcome(errors=[f"the build process ended unexpectedly ({how}); started again"])

    def close(self) -> None:
        """End the child: cancel a build under way, else just say goodbye; after GRACE
        seconds kill its whole process group (render workers too) and tidy up after it."""
        proc, pid = self._proc, self._proc.pid
        if pid is not None and proc.is_alive():
            if self.busy:
                _signal(pid, signal.SIGINT, group=False)
            self._conn.close()  # an idle child reads EOF and ends
            proc.join(GRACE)
            if proc.is_alive():
                _signal(pid, signal.SIGKILL, group=True)
                proc.join()
                _tidy(self.options.out, pid)
        else:
            self._conn.close()


def _tidy(out: Path, pid: int) -> None:
    """What a build killed mid-way can leave beside the output folder (see write.Output):
    its staging folder, the old site moved aside just before the new one moved in, and
    its lock file."""
    out = out.resolve()
    remove_if_left_by(out, pid)
    for staging in leftovers(out, "staging", pid):
        shutil.rmtree(staging, ignore_errors=True)
    for old in leftovers(out, "old", pid):
        if not old.is_dir():
            continue
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, out)


def _signal(pid: int, signum: int, *, group: bool) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum) if group else os.kill(pid, signum)


class _Child:
    """The build process's side: a cancel flag set by SIGINT, checked between chunks."""

    def __init__(self) -> None:
        self.cancelled = False

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        self.cancelled = True

    def progress(self, done: int, total: int) -> None:
        if self.cancelled:
            raise Cancelled


def _child(conn: Connection, parent_end: Connection, options: BuildOptions) -> None:
    parent_end.close()  # so that the parent's end closing (or the parent dying) is EOF here
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    child = _Child()
    signal.signal(signal.SIGINT, child.on_sigint)  # serve cancels a build
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # so the pool's terminate() ends workers
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    try:
        index = dataclasses.replace(options, defer_search=False)
        while not child.cancelled:
            what = conn.recv()
            if what not in ("build", "index"):
                break
            conn.send(run_build(index if what == "index" else options, child.progress))
    except (Cancelled, EOFError, OSError):
        pass  # cancelled, or serve is gone: the build discarded its staging folder
    finally:
        # Should anything have left a render worker behind, it would wait for work
        # forever: end the whole group, this process last.
        if os.getpgid(0) == os.getpid():
            os.killpg(0, signal.SIGKILL)
