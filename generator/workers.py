"""Worker processes of a build, and the rendering of pages across them.

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
from collections import deque
from collections.abc import Callable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from generator.lock import forget_inherited

if TYPE_CHECKING:
    from generator.plan import Page
    from generator.render import Renderer
    from generator.write import Output

CHUNK = 64
SERIAL_CHUNKS = 4  # this many chunks or fewer to render: not worth forking a pool
Progress = Callable[[int, int], None]

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


def _render_chunk(chunk: list[Page]) -> int:
    renderer: Renderer = STATE["renderer"]
    output: Output = STATE["output"]
    for page in chunk:
        output.write(page.path, renderer.output(page))
    return sum(1 for page in chunk if not page.kind.endswith("-share"))  # pages, for progress


def chunks(items: Iterator[Page], size: int) -> Iterator[list[Page]]:
    while chunk := list(islice(items, size)):
        yield chunk


def render_all(batches: Iterator[list[Page]], workers: int, progress: Progress, total: int) -> None:
    """Render and write batches of pages, in a process pool when it pays; at most a few
    batches in flight, so pages are planned lazily and memory stays flat."""
    done = 0
    first = list(islice(batches, SERIAL_CHUNKS + 1))
    if not first:
        return
    # Compile templates and make every tool's view here, once, so that forked workers
    # inherit them instead of each making its own.
    STATE["renderer"].warm()
    if workers <= 1 or len(first) <= SERIAL_CHUNKS:
        for chunk in chain(first, batches):
            done += _render_chunk(chunk)
            progress(done, total)
        return
    with pool(workers) as workers_pool:
        pending: deque[Any] = deque()
        for chunk in chain(first, batches):
            pending.append(workers_pool.apply_async(_render_chunk, (chunk,)))
            if len(pending) >= workers * 4:
                done += pending.popleft().get()
                progress(done, total)
        while pending:
            done += pending.popleft().get()
            progress(done, total)
