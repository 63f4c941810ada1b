"""All console wording in one place, so messages stay consistent and easy to find."""

from __future__ import annotations

import sys
from typing import TextIO

from generator.build import BuildReport
from generator.problems import Problem


def problems(found: list[Problem], out_dir: str | None, stream: TextIO = sys.stderr) -> None:
    for p in found:
        print(str(p), file=stream)
    files = len({p.file for p in found})
    tail = f"; {out_dir} was not changed." if out_dir else "."
    noun = "problem" if len(found) == 1 else "problems"
    fnoun = "file" if files == 1 else "files"
    print(f"Found {len(found)} {noun} in {files} {fnoun}{tail}", file=stream)


def template_problem(message: str, out_dir: str | None, stream: TextIO = sys.stderr) -> None:
    print(message, file=stream)
    tail = f"; {out_dir} was not changed." if out_dir else "."
    print(f"Template error{tail}", file=stream)


def built(report: BuildReport, out_dir: str, stream: TextIO = sys.stdout) -> None:
    seconds = report.timings.get("total", 0.0)
    print(
        f"Built {report.pages} pages in {seconds:.2f}s: {report.written} files written, "
        f"{report.unchanged} unchanged, {report.removed} removed -> {out_dir}/",
        file=stream,
    )


def stage_times(report: BuildReport, stream: TextIO = sys.stdout) -> None:
    for stage, seconds in report.timings.items():
        print(f"  {stage:<22} {seconds:8.3f}s", file=stream)


def checked(tools: int, pages: int, stream: TextIO = sys.stdout) -> None:
    print(f"OK: {tools} tools, {pages} pages would be built.", file=stream)
