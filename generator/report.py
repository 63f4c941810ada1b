"""All console wording in one place, so messages stay consistent and easy to find."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TextIO

from generator.build import BuildReport
from generator.problems import Problem, printable

# Streams are looked up when printing, not when this module is imported, so whoever has
# replaced sys.stdout / sys.stderr since (a test, a wrapper) gets the text.


def problems(found: list[Problem], out_dir: str | None, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for p in found:
        print(str(p), file=stream)  # str() escapes control characters from the content
    files = len({p.file for p in found})
    tail = f"; {out_dir} was not changed." if out_dir else "."
    noun = "problem" if len(found) == 1 else "problems"
    fnoun = "file" if files == 1 else "files"
    print(f"Found {len(found)} {noun} in {files} {fnoun}{tail}", file=stream)


def warnings(found: Sequence[Problem], stream: TextIO | None = None) -> None:
    """Content that builds but deserves a look (stale figures, dates in the future, empty
    categories), in the same `file:line:col: field: warning: ...` shape as problems; they do
    not stop the build."""
    stream = stream or sys.stderr
    for p in found:
        print(str(p), file=stream)


def state_warnings(found: Sequence[str], stream: TextIO | None = None) -> None:
    """Build state that was damaged or unsafe and so was ignored: the build went on."""
    stream = stream or sys.stderr
    for text in found:
        print(f"warning: {printable(text)}", file=stream)


def template_problem(message: str, out_dir: str | None, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    print(printable(message), file=stream)
    tail = f"; {out_dir} was not changed." if out_dir else "."
    print(f"Template error{tail}", file=stream)


def built(report: BuildReport, out_dir: str, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    seconds = report.timings.get("total", 0.0)
    print(
        f"Built {report.pages} pages in {seconds:.2f}s: {report.written} files written, "
        f"{report.unchanged} unchanged, {report.removed} removed -> {out_dir}/",
        file=stream,
    )


def pairs(report: BuildReport, stream: TextIO | None = None, *, verbose: bool = False) -> None:
    """Which pairs got a page: one line, and with `verbose` every pair left out or noindexed
    with its reason (all of them are in site/.versus/report.json too)."""
    stream = stream or sys.stdout
    p = report.pairs
    if not p:
        return
    folder, entries = report.folders[0] if report.folders else ("", 0)
    print(
        f"Pairs: {p['built']:,} of {p['possible']:,} built ({len(p['noindexed']):,} noindexed), "
        f"{p['not_in_policy']:,} not picked by the pair policy, {len(p['left_out']):,} left "
        f"out; largest folder {folder or '/'} holds {entries:,} entries",
        file=stream,
    )
    if verbose:
        for a, b, why in p["noindexed"]:
            print(f"  noindex  {a} + {b}: {why}", file=stream)
        for a, b, why in p["left_out"]:
            print(f"  left out {a} + {b}: {why}", file=stream)


def stage_times(report: BuildReport, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    for stage, seconds in report.timings.items():
        print(f"  {stage:<22} {seconds:8.3f}s", file=stream)


def checked(tools: int, pages: int, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    print(f"OK: {tools} tools, {pages} pages would be built.", file=stream)


class ProgressBar:
    """A one-line progress bar for terminals: pages rendered, total, rate and time left.

    Incremental builds render only what changed, so the bar may finish early; the summary
    line afterwards says how many pages were written and how many were unchanged.
    """

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.perf_counter()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done:,}/{total:,} pages  {rate:,.0f}/s  ~{left:.0f}s left ")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * (self.width + 60) + "\r")
        self.stream.flush()


class PlainProgress:
    """Progress for logs (output not a terminal): a line each time another tenth of the
    pages is done, with the real count and percentage, and a last line when it ends.
    Incremental builds render only what changed, so the total is an upper bound."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.shown_tenth = 0
        self.done = 0

    def _line(self, done: int, total: int) -> None:
        rate = done / max(time.perf_counter() - self.started, 1e-6)
        percent = 100 * done // total if total else 100
        print(
            f"rendered {done:,}/{total:,} pages ({percent}%, {rate:,.0f}/s)",
            file=self.stream,
            flush=True,
        )

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        tenth = 10 * done // total if total else 10
        if tenth > self.shown_tenth:
            self.shown_tenth = tenth
            self._line(done, total)

    def close(self) -> None:
        if self.done and self.shown_tenth < 10:
            print(f"rendered {self.done:,} pages (the rest were unchanged)", file=self.stream)
