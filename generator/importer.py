"""`versus import`: match counts from real data into `matches.yaml`.

`import search-console` reads the site's own Search Console performance export and counts
the queries that compare two listed tools; `import matches` takes counted pairs from any
other source as a CSV. Both replace the entries an earlier import of the same source and
period wrote (see `match_store`), check the result as a build would, and write it in one
rename, or print the change with --dry-run. Any problem is one line and leaves the file
as it was.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
from collections.abc import Callable
from pathlib import Path

from generator import clock, names
from generator.command_args import MATCH_COLUMNS
from generator.import_files import read_search_console, read_text, table
from generator.import_files import whole_number as count_of
from generator.load import RawContent, display, parse_document, read_content
from generator.match_store import Entry, Update, update, write_atomic
from generator.models import (
    SEARCH_CONSOLE,
    MatchFile,
    Tool,
    check_match_source,
    search_console_problem,
)
from generator.problems import ContentError, Problem, printable
from generator.query_match import Matcher, QueryMatches
from generator.site_models import SiteConfig
from generator.validate import validate

Say = Callable[[str], None]


def run(args: argparse.Namespace, say: Say | None = None) -> None:
    """Raises ContentError (printed as one line per problem by the CLI)."""
    say = say or (lambda text: print(printable(text)))
    raw = read_content(args.content)
    catalog = validate(raw)
    tools = catalog.tools
    shown = display(args.file)
    if args.kind == "search-console":
        entries = _search_console(args, shown, tools, catalog.site, say)
    else:
        entries = _match_rows(args.file, shown, tools, _hand_written(catalog.matches, raw))
        say(f"Read {len(entries):,} rows from {shown}.")
    path = args.content / "matches.yaml"
    target = display(path)
    old = path.read_text("utf-8") if path.exists() else None
    result = update(old, entries, clock.today(), target)
    doc, found = parse_document(result.new_text.encode(), path, target)
    if found or doc is None:  # never: we wrote it; refuse to write what we cannot read
        raise ContentError(found)
    validate(dataclasses.replace(raw, matches=doc))  # the file as a build will read it
    _report(result, entries, target, say)
    if args.dry_run:
        for line in result.diff(target).splitlines() or ["No change."]:
            say(line)
        say(f"Dry run: {target} was not changed.")
        return
    if result.new_text == (old or ""):
        return
    try:
        write_atomic(path, result.new_text)
    except OSError as exc:
        raise ContentError(
            [Problem(target, 1, 1, "", f"cannot write the file: {exc.strerror or exc}")]
        ) from None


def _report(result: Update, entries: list[Entry], target: str, say: Say) -> None:
    groups = sorted({(e.source, e.period) for e in entries})
    which = "; ".join(f"{s}, {p}" for s, p in groups) or "nothing"
    say(
        f"{target}: {result.added} entr{'y' if result.added == 1 else 'ies'} for {which} "
        f"({result.removed} from the earlier import replaced); "
        f"{result.kept} other entr{'y' if result.kept == 1 else 'ies'} kept."
    )


# --------------------------------------------------------------------------- Search Console


def _property(args: argparse.Namespace, site: SiteConfig, shown: str) -> str:
    prop = args.property or site.base_url.rstrip("/") + "/"
    source = SEARCH_CONSOLE + prop
    problem = search_console_problem(source)
    if problem:
        raise ContentError([Problem(shown, 1, 1, "--property", problem)])
    return source


def _search_console(
    args: argparse.Namespace, shown: str, tools: dict[str, Tool], site: SiteConfig, say: Say
) -> list[Entry]:
    source = _property(args, site, "versus import")
    export = read_search_console(args.file, shown)
    period = args.period or (
        f"{export.first_day} to {export.last_day}" if export.first_day else None
    )
    if not period or not period.strip():
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "--period",
                    "the export does not say its period (no Dates.csv); give it, e.g. "
                    '--period "2026-09-01 to 2026-11-30"',
                )
            ]
        )
    matcher = Matcher(names.index(tools))
    found = QueryMatches()
    clicks = args.count == "clicks"
    for row in export.rows:
        matcher.add(row.query, row.clicks if clicks else row.impressions, found)
    what = (
        f"{args.count} of Google Search queries that compare the two tools (A vs B, A versus B, "
        "A or B and the like) in the site's own Search Console"
    )
    search_type = export.filters.get("Search type")
    if search_type:
        what += f", search type {search_type}"
    entries = [
        Entry(a, b, n, what, source, period.strip())
        for (a, b), n in sorted(found.pairs.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    _summary(found, len(export.rows), shown, args.count, args.top, say)
    return entries


def _summary(found: QueryMatches, rows: int, shown: str, measure: str, top: int, say: Say) -> None:
    say(f"Read {rows:,} queries from {shown}.")
    say(
        f"Matched {found.pair_queries:,} queries naming two listed tools: "
        f"{len(found.pairs):,} pairs, {sum(found.pairs.values()):,} {measure}."
    )
    if found.self_queries:
        n = found.self_queries
        say(f"Ignored {n:,} quer{'y' if n == 1 else 'ies'} naming one tool twice.")
    alt = sorted(found.alternatives.items(), key=lambda kv: (-kv[1], kv[0]))
    if alt:
        listed = ", ".join(f"{slug} {n:,}" for slug, n in alt[:top])
        say(
            f"Alternatives (one tool, not written): {found.alternative_queries:,} queries, "
            f"{measure} by tool: {listed}."
        )
    cands = sorted(found.candidates.items(), key=lambda kv: (-kv[1], kv[0]))
    if cands:
        say(f"Candidates (unknown products compared with a listed tool), top {top} by {measure}:")
        for name, n in cands[:top]:
            say(f"  {name}: {n:,} (with {', '.join(sorted(found.candidate_next_to[name]))})")


# --------------------------------------------------------------------------- plain CSV


def _hand_written(matches: MatchFile, raw: RawContent) -> dict[tuple[str, ...], int]:
    """(a, b, source, period) -> line of each hand-written entry, which no import replaces."""
    found = {}
    for i, m in enumerate(matches.matches):
        if m.imported is None and raw.matches is not None:
            found[(*sorted(m.tools), m.source, m.period)] = raw.matches.mark(("matches", i))[0]
    return found


def _match_rows(
    path: Path, shown: str, tools: dict[str, Tool], hand: dict[tuple[str, ...], int]
) -> list[Entry]:
    index = names.index(tools)
    slugs = sorted(tools)
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, row in table(read_text(path, shown), shown, MATCH_COLUMNS):
        pair: list[str] = []
        for column in ("tool_a", "tool_b"):
            slug = index.get(names.key(row[column])) if row[column] else None
            if slug is None:
                close = difflib.get_close_matches(row[column], slugs, n=1, cutoff=0.6)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                problems.append(
                    Problem(shown, line, 1, column, f'unknown tool "{row[column]}"{hint}')
                )
            pair.append(slug or "")
        count = count_of(row["count"])
        if count is None:
            problems.append(
                Problem(shown, line, 1, "count", f'expected a whole number; got "{row["count"]}"')
            )
        for column in ("what", "period"):
            if not row[column]:
                problems.append(Problem(shown, line, 1, column, "expected some text; got nothing"))
        try:
            check_match_source(row["source"])
        except ValueError as exc:
            problems.append(Problem(shown, line, 1, "source", str(exc)))
        a, b = sorted(pair)
        if a and a == b:
            problems.append(Problem(shown, line, 1, "tool_b", "a tool cannot match itself"))
        key = (a, b, row["source"], row["period"])
        if a and b and key in seen:
            problems.append(
                Problem(
                    shown,
                    line,
                    1,
                    "tool_b",
                    f"duplicate pair {a} / {b} for the same source and period "
                    f"(first at line {seen[key]})",
                )
            )
        seen.setdefault(key, line)
        if key in hand:
            problems.append(
                Problem(
                    shown,
                    line,
                    1,
                    "tool_b",
                    f"{a} / {b} for this source and period is a hand-written entry of "
                    f"matches.yaml (line {hand[key]}), which an import never changes; "
                    "remove one of the two",
                )
            )
        if not problems:
            entries.append(Entry(a, b, count or 0, row["what"], row["source"], row["period"]))
    if problems:
        raise ContentError(problems)
    return entries
