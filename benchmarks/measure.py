"""Timing and memory of one command, and the medians a benchmark reports.

`measure` runs a command once as a subprocess: wall clock from fork to exit, cpu and
`ru_maxrss` from wait4, and (TreeSampler) the peak of the summed proportional set sizes of
the process and all its descendants, sampled from /proc. `summarise` turns runs into one
`Row` of medians. Shared by benchmarks/run.py and benchmarks/large.py.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class BenchError(Exception):
    """A measured command failed; the message carries the end of its stderr."""


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    """One timed run of one command."""

    wall: float
    cpu: float
    rss_kib: int
    tree_pss_kib: int | None
    report: dict[str, Any] | None = None


def _ppids() -> dict[int, int]:
    """pid -> parent pid of every process visible in /proc."""
    out: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses: split after its end.
        fields = stat[stat.rfind(b")") + 2 :].split()
        out[int(name)] = int(fields[1])
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeSampler:
    """Samples the summed PSS of a process and its descendants in a background thread."""

    def __init__(self, pid: int, interval: float) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.enabled = interval > 0 and os.path.exists("/proc/self/smaps_rollup")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        if self.enabled:
            self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for pid, ppid in _ppids().items():
            children.setdefault(ppid, []).append(pid)
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        return tree

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_pss_kib(p) for p in self._tree()))
            self._stop.wait(self.interval)

    def stop(self) -> int | None:
        if not self.enabled:
            return None
        self._stop.set()
        self._thread.join()
        return self.peak


def measure(cmd: Sequence[str | Path], *, cwd: Path, sample_interval: float) -> Sample:
    """Run `cmd` once; wall clock around fork..wait4, rusage from wait4."""
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [str(c) for c in cmd], cwd=cwd, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        sampler = TreeSampler(proc.pid, sample_interval)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
        pss = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-3000:]
            shown = " ".join(str(c) for c in cmd)
            raise BenchError(f"exit {proc.returncode}: {shown}\n{tail}")
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_kib=usage.ru_maxrss,
        tree_pss_kib=pss,
    )


# --------------------------------------------------------------------------- results


@dataclass
class Row:
    """Medians of one kind of build at one size."""

    n: int
    build: str
    pages: int
    written: int | None
    wall_s: float
    cpu_s: float
    pages_per_s: float
    peak_rss_mib: float
    tree_pss_mib: float | None
    kb_per_page: float | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)


def summarise(
    n: int, build: str, samples: list[Sample], pages: int, kb_per_page: float | None = None
) -> Row:
    wall = statistics.median(s.wall for s in samples)
    written = [s.report["written"] for s in samples if s.report is not None]
    pss = [s.tree_pss_kib for s in samples if s.tree_pss_kib is not None]
    return Row(
        n=n,
        build=build,
        pages=pages,
        written=int(statistics.median(written)) if written else None,
        wall_s=round(wall, 3),
        cpu_s=round(statistics.median(s.cpu for s in samples), 3),
        pages_per_s=round(pages / wall, 1) if wall > 0 else 0.0,
        peak_rss_mib=round(statistics.median(s.rss_kib for s in samples) / 1024, 1),
        tree_pss_mib=round(statistics.median(pss) / 1024, 1) if pss else None,
        kb_per_page=None if kb_per_page is None else round(kb_per_page, 1),
        runs=[
            {
                "wall_s": round(s.wall, 3),
                "cpu_s": round(s.cpu, 3),
                "peak_rss_mib": round(s.rss_kib / 1024, 1),
                "tree_pss_mib": None if s.tree_pss_kib is None else round(s.tree_pss_kib / 1024, 1),
                "report": s.report,
            }
            for s in samples
        ],
    )


def compare_page_sizes(out: Path, *, nested: bool = False) -> tuple[int, float]:
    """(count, mean KB) of the comparison pages under `out` (/compare/<a>-vs-<b>/, or
    /compare/<a>/<a>-vs-<b>/ in the nested layout)."""
    pattern = "*/*-vs-*/index.html" if nested else "*/index.html"
    sizes = [p.stat().st_size for p in (out / "compare").glob(pattern)]
    return len(sizes), (sum(sizes) / len(sizes) / 1000 if sizes else 0.0)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
