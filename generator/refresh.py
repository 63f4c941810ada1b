"""`versus refresh`: read each tool's public counters and prices, write them as figures.

The content is validated first (so identifiers are well formed before any request). Tools
are then refreshed on a small thread pool: each tool's requests run one after another, and
its file is written (atomically) only when every service it names answered; a tool whose
service failed is reported on one line and its file is left exactly as it was. A figure
that moved implausibly since the last refresh is reported and held back unless
`--accept-jumps`. `--dry-run` prints the same summary and writes nothing, not even the
ETag cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from generator import clock
from generator.command_args import DEFAULT_WORKERS, ONLY
from generator.load import read_content
from generator.metrics import fmt_number
from generator.problems import printable
from generator.refresh_cache import EtagCache
from generator.refresh_http import Client, FetchError, Stats
from generator.refresh_services import SERVICES, Reading, Services, base_urls, tokens
from generator.refresh_yaml import Change, EditError, apply, write_atomic
from generator.validate import validate


@dataclass
class Options:
    content: Path = Path("content")
    only: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    dry_run: bool = False
    accept_jumps: bool = False
    workers: int = DEFAULT_WORKERS
    cache: Path | None = None  # default: .versus-cache/refresh-etags.json beside content
    timeout: float = 20.0
    max_wait: float = 120.0


@dataclass
class ToolResult:
    slug: str
    display: str
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # full one-line messages
    written: bool = False


@dataclass
class Outcome:
    results: list[ToolResult]
    stats: Stats
    seconds: float
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.errors)


class RefreshError(Exception):
    """A mistake in the command line itself (unknown service or tool)."""


def _select(options: Options, slugs: list[str]) -> tuple[str, ...]:
    unknown = [s for s in options.only if s not in ONLY]
    if unknown:
        raise RefreshError(
            f"--only: unknown service {unknown[0]!r}; expected some of {', '.join(ONLY)}"
        )
    missing = [t for t in options.tools if t not in slugs]
    if missing:
        raise RefreshError(f"--tool: no tool {missing[0]!r} in the content folder")
    wanted = options.only or ONLY
    return tuple(s for s in SERVICES if s.removesuffix("_space") in wanted)


def _refresh_one(
    slug: str,
    path: Path,
    display: str,
    idents: dict[str, str],
    lines: dict[str, tuple[int, int]],
    services: Services,
    today: dt.date,
    options: Options,
) -> ToolResult:
    result = ToolResult(slug, display)
    readings: list[Reading] = []
    for service, ident in idents.items():
        try:
            readings.extend(services.read(service, ident))
        except FetchError as exc:
            line, col = lines.get(service, (1, 1))
            result.errors.append(f"{display}:{line}:{col}: identifiers.{service}: {ident}: {exc}")
    if result.errors or not readings:
        return result
    try:
        text = path.read_text(encoding="utf-8")
        new, result.changes = apply(text, readings, today, options.accept_jumps)
    except (OSError, UnicodeDecodeError, EditError) as exc:
        result.errors.append(f"{display}: {exc}")
        return result
    if new != text and not options.dry_run:
        try:
            write_atomic(path, new)
        except OSError as exc:
            result.errors.append(f"{display}: could not write: {exc.strerror or exc}")
            return result
        result.written = True
    return result


def refresh(
    options: Options,
    client: Client | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    started = time.perf_counter()
    raw = read_content(options.content)
    catalog = validate(raw)  # ContentError: reported like `versus check`
    wanted = _select(options, list(catalog.tools))
    cache_path = options.cache or options.content.resolve().parent / ".versus-cache" / (
        "refresh-etags.json"
    )
    if client is None:
        client = Client(tokens=tokens(), timeout=options.timeout, max_wait=options.max_wait)
    if client.cache is None:
        client.cache = EtagCache(cache_path)
    services = Services(client, base_urls())
    today = clock.today()
    jobs = []
    for slug, tool in catalog.tools.items():
        if options.tools and slug not in options.tools:
            continue
        ids = tool.identifiers.model_dump(exclude_none=True) if tool.identifiers else {}
        idents = {s: str(ids[s]) for s in wanted if s in ids}
        if not idents:
            continue
        doc = raw.tools[slug]
        lines = {s: doc.mark(("identifiers", s)) for s in idents}
        jobs.append((slug, doc.path, doc.display, idents, lines))
    results: list[ToolResult] = []
    pool = ThreadPoolExecutor(max_workers=max(1, options.workers))
    try:
        futures = [pool.submit(_refresh_one, *job, services, today, options) for job in jobs]
        for done, future in enumerate(as_completed(futures), 1):
            results.append(future.result())
            if progress:
                progress(done, len(jobs))
    finally:
        # Ctrl-C: queued tools are dropped; running ones finish their atomic writes.
        pool.shutdown(wait=True, cancel_futures=True)
    if not options.dry_run and client.cache is not None:
        client.cache.save()
    results.sort(key=lambda r: r.slug)
    warnings = [client.cache.problem] if client.cache and client.cache.problem else []
    return Outcome(results, client.stats, time.perf_counter() - started, warnings)


def _change_line(change: Change, accept: bool) -> str:
    new = fmt_number(change.new)
    if change.old is None:
        return f"  + {change.label}: {new}"
    old = fmt_number(change.old)
    if change.jump:
        pct = 100 * (change.new - change.old) / change.old
        held = "written (--accept-jumps)" if accept else "not written (--accept-jumps writes it)"
        return f"  ! {change.label}: {old} -> {new} ({pct:+.0f}%): implausible jump, {held}"
    if change.old == change.new:
        return f"  = {change.label}: {new}"
    return f"  ~ {change.label}: {old} -> {new}"


def summary(outcome: Outcome, options: Options, out: TextIO, err: TextIO) -> None:
    """Per tool the figures as a diff (+ new, ~ changed, = same value re-dated, ! held
    back), failures on stderr, then one line of totals."""
    changed = added = same = held = 0
    for r in outcome.results:
        for message in r.errors:
            print(printable(message), file=err)
        if r.errors:
            continue
        print(f"{r.slug} ({r.display})", file=out)
        for c in r.changes:
            print(printable(_change_line(c, options.accept_jumps)), file=out)
            if c.jump and not options.accept_jumps:
                held += 1
            elif c.old is None:
                added += 1
            elif c.old == c.new:
                same += 1
            else:
                changed += 1
    s = outcome.stats
    done = len(outcome.results) - outcome.failed
    verb = "Would refresh" if options.dry_run else "Refreshed"
    tail = "; dry run, nothing written" if options.dry_run else ""
    print(
        f"{verb} {done} of {len(outcome.results)} tools: {changed} changed, {added} new, "
        f"{same} unchanged, {held} held back; {s.requests} requests, {s.not_modified} "
        f"answered 304 (not modified), {outcome.seconds:.1f}s{tail}",
        file=out,
    )


class Bar:
    """Tools done, on one line of a terminal; nothing when stderr is not one."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} tools ")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * (self.width + 20) + "\r")
        self.stream.flush()


def main(
    options: Options,
    out: TextIO | None = None,
    err: TextIO | None = None,
    client: Client | None = None,
) -> int:
    """Run and report; exit status 1 when any tool failed. ContentError propagates to the
    CLI, which prints it like every other command."""
    out, err = out or sys.stdout, err or sys.stderr
    bar = Bar(err) if err.isatty() else None
    try:
        outcome = refresh(options, client, progress=bar)
    except RefreshError as exc:
        print(f"versus refresh: {exc}", file=err)
        return 2
    finally:
        if bar is not None:
            bar.close()
    for warning in outcome.warnings:
        print(f"warning: {printable(warning)}", file=err)
    summary(outcome, options, out, err)
    return 1 if outcome.failed else 0


def options_from(args: argparse.Namespace) -> Options:
    get = vars(args)
    return Options(
        content=get["content"],
        only=tuple(get["only"]),
        tools=tuple(get["tool"]),
        dry_run=get["dry_run"],
        accept_jumps=get["accept_jumps"],
        workers=get["workers"],
        cache=get["cache"],
    )
