"""Worker processes of a build.

They are forked, so they inherit the build's compiled templates, tool views and per-tool
pieces (set in `STATE` before the pool starts) instead of receiving them pickled; and they
never outlive the build: a worker left behind by a killed build would keep the output lock
and write into a staging folder that the next build has cleared.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
from typing import Any

from generator.lock import forget_inherited

# Set before a pool forks; workers read it.
STATE: dict[str, Any] = {}
_PARENT = [0]  # the build process, as its workers must know it
_PR_SET_PDEATHSIG = 1


def pool(workers: int) -> multiprocessing.pool.Pool:
    _PARENT[0] = os.getpid()
    return multiprocessing.get_context("fork").Pool(workers, initializer=_start)


def _start() -> None:
    forget_inherited()
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the build dies (elsewhere workers end when the
    build closes the pool, as before)."""
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != _PARENT[0]:  # the build died before the request took effect
        os._exit(1)
