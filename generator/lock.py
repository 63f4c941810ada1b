"""One build at a time per output folder.

A `serve` rebuilding on save while `versus build` runs would otherwise interleave two
builds' files under one manifest. The lock is a file beside the output folder (`.site.lock`
for `site/`), not inside it, because a full build swaps the output folder by renaming it.
It is taken with flock(2), which the kernel releases when the holder dies, so a build that
was killed never blocks the next one.

A second build waits for the first, saying so once, for up to `wait` seconds (the CLI's
`--wait`), then gives up with a message; with `wait` 0 it gives up at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from generator.write import OutputError

DEFAULT_WAIT = 600.0  # seconds
_POLL = 0.05  # seconds between attempts while waiting
_HELD: set[int] = set()  # lock files this process holds (see `forget_inherited`)


def lock_path(out: Path) -> Path:
    """`site/` -> `.site.lock` beside it."""
    out = out.resolve()
    return out.with_name(f".{out.name}.lock")


def remove_if_left_by(out: Path, pid: int) -> None:
    """Remove the lock file that process `pid`, now dead, was holding when it was killed.

    The kernel released its flock; only the file is left. It goes only if it still names
    `pid` and nobody holds it now, so a build that started since keeps its lock.
    """
    path = lock_path(out)
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.read(fd, 32).decode("ascii", "replace").strip() == str(pid):
            path.unlink(missing_ok=True)
    except OSError:
        pass  # held by a live build, or gone: either way not ours to remove
    finally:
        os.close(fd)


def forget_inherited() -> None:
    """In a forked worker: drop the inherited lock handles, so that only the build process
    itself holds the lock (a worker outliving a killed build must not keep it)."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


class OutputLock:
    """Held for a whole build, from reading the last build's state to publishing."""

    def __init__(
        self,
        out: Path,
        shown: str,
        *,
        wait: float = DEFAULT_WAIT,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.path = lock_path(out)
        self.shown = shown
        self.wait = wait
        self.say = say or (lambda text: None)
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def acquire(self) -> None:
        deadline: float | None = None
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                holder = self._holder()
                if self.wait <= 0:
                    raise self._busy(f"Another build of {self.shown} is running{holder}") from None
                if deadline is None:
                    self.say(f"Waiting for another build of {self.shown} to finish{holder}…")
                    deadline = time.monotonic() + self.wait
                elif time.monotonic() >= deadline:
                    raise self._busy(
                        f"Another build of {self.shown} is still running{holder} after "
                        f"{self.wait:g}s of waiting"
                    ) from None
                time.sleep(_POLL)
                continue
            if self._current(fd):
                break
            os.close(fd)  # the last holder removed the file as it finished: use the new one
        with contextlib.suppress(OSError):  # who holds it, for the message of a second build
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        _HELD.add(fd)

    def release(self) -> None:
        """Remove the lock file, then unlock: a build waiting on the removed file sees that
        it is gone (`_current`) and locks the path anew."""
        if self.fd is None:
            return
        with contextlib.suppress(OSError):  # a stale file is harmless: the lock is not on the name
            self.path.unlink(missing_ok=True)
        _HELD.discard(self.fd)
        os.close(self.fd)
        self.fd = None

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, flags, 0o644)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise OutputError(
                self.shown,
                f"Could not write the lock file {self.path}: {reason}; "
                f"{self.shown} was not changed.",
            ) from None

    def _current(self, fd: int) -> bool:
        try:
            on_disk = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)

    def _holder(self) -> str:
        try:
            pid = self.path.read_text("ascii").strip()
        except (OSError, ValueError):
            return ""
        return f" (process {pid})" if pid.isdigit() else ""

    def _busy(self, message: str) -> OutputError:
        return OutputError(self.shown, f"{message}; {self.shown} was not changed.")
