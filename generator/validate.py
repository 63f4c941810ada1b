"""Documents -> models, with every problem across every file located and explained.

Each file is validated by its model (Pydantic's errors are worded by
`generator.model_errors`), then the rules that span files: slugs against file names,
categories and capability kinds against site.yaml, match entries against the tools.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from generator import clock, figure_checks, names, notices
from generator.load import Document, Loc, RawContent, dotted
from generator.metrics import BUILTIN, Metric
from generator.model_base import SLUG_MAX, SLUG_RE, slug_problem
from generator.model_errors import model_problems, suggest
from generator.models import MatchFile, Tool
from generator.pairs import pair_problems
from generator.problems import ContentError, Problem
from generator.site_models import SiteConfig


@dataclass(frozen=True)
class Catalog:
    """Validated content: the site, its tools by slug (sorted) and the match evidence, the
    metric registry, the day the build judges staleness by, and warnings to print."""

    site: SiteConfig
    tools: dict[str, Tool]
    matches: MatchFile
    checked_files: int
    metrics: dict[str, Metric] = field(default_factory=lambda: dict(BUILTIN))
    today: dt.date = field(default_factory=clock.today)
    warnings: tuple[Problem, ...] = ()  # the build goes on; the CLI prints them


def _validate(doc: Document, model: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(model_problems(doc, model, exc))
        return None


_PLACEHOLDER = re.compile(r"\bTODO\b")
_PLACEHOLDER_HOST = re.compile(r"^https?://(?:www\.)?example\.com(?:[/:?#]|$)", re.I)


def _placeholders(doc: Document, data: Any, loc: Loc = ()) -> Iterator[Problem]:
    """Text left from `versus new tool`: it validates, but must never be published."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _placeholders(doc, value, (*loc, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _placeholders(doc, value, (*loc, i))
    elif isinstance(data, str):
        message = None
        if _PLACEHOLDER.search(data):
            message = 'placeholder "TODO" left from the scaffold; write the real text'
        elif _PLACEHOLDER_HOST.match(data.strip()):
            message = "placeholder example.com address left from the scaffold; give the real URL"
        if message:
            line, col = doc.mark(loc)
            yield Problem(doc.display, line, col, dotted(loc), message)


def _check_slug(slug: str, doc: Document) -> list[Problem]:
    if len(slug) > SLUG_MAX:
        shown = slug if len(slug) <= 40 else slug[:37] + "..."
        return [
            Problem(
                doc.display,
                1,
                1,
                "",
                f'file name "{shown}" is too long for a slug; expected at most {SLUG_MAX} '
                f"characters; got {len(slug)}",
            )
        ]
    if SLUG_RE.fullmatch(slug):
        return []
    return [
        Problem(
            doc.display,
            1,
            1,
            "",
            f'file name "{slug}" is not a valid slug; expected lowercase letters, digits '
            "and single hyphens, e.g. my-tool.yaml",
        )
    ]


def _check_tool(doc: Document, categories: set[str], kinds: set[str]) -> list[Problem]:
    """Cross-file rules, checked on the raw data so they are reported even when the file
    has other errors too."""
    problems: list[Problem] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    cats = data.get("categories")
    for i, cat in enumerate(cats if isinstance(cats, list) else []):
        if isinstance(cat, str) and categories and cat not in categories:
            line, col = doc.mark(("categories", i))
            hint = suggest(cat, sorted(categories)) or (
                f"; expected one of {', '.join(sorted(categories))}"
            )
            problems.append(
                Problem(
                    doc.display, line, col, f"categories[{i}]", f'unknown category "{cat}"{hint}'
                )
            )
    problems.extend(_check_kinds(doc, kinds))
    problems.extend(duplicate_ids(doc, "capabilities", "capability"))
    return problems


def _check_kinds(doc: Document, kinds: set[str]) -> Iterator[Problem]:
    """A capability's `kind` must be one of the site's `capability_kinds`: a misspelt kind
    would silently drop the capability from every matrix."""
    data = doc.data if isinstance(doc.data, dict) else {}
    caps = data.get("capabilities")
    for i, cap in enumerate(caps if isinstance(caps, list) else []):
        kind = cap.get("kind") if isinstance(cap, dict) else None
        if not isinstance(kind, str) or kind in kinds or slug_problem(kind):
            continue  # not text, known, or not a slug (the model says so)
        line, col = doc.mark(("capabilities", i, "kind"))
        hint = suggest(kind, sorted(kinds))
        if not hint:
            hint = (
                f"; expected one of {', '.join(sorted(kinds))}"
                if kinds
                else "; site.yaml declares no capability_kinds"
            )
        message = f'unknown capability kind "{kind}"{hint}'
        yield Problem(doc.display, line, col, f"capabilities[{i}].kind", message)


def _check_matches(doc: Document, matches: MatchFile, slugs: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    pairs: dict[tuple[str, ...], int] = {}  # (a, b, source, period) -> first entry
    for i, match in enumerate(matches.matches):
        for j, slug in enumerate(match.tools):
            if slug not in slugs:
                line, col = doc.mark(("matches", i, "tools", j))
                problems.append(
                    Problem(
                        doc.display,
                        line,
                        col,
                        f"matches[{i}].tools[{j}]",
                        f'unknown tool "{slug}"{suggest(slug, slugs)}',
                    )
                )
        pair = tuple(sorted(match.tools))
        counted = (*pair, match.source, match.period)
        if pair[0] == pair[1]:
            line, col = doc.mark(("matches", i, "tools"))
            problems.append(
                Problem(doc.display, line, col, f"matches[{i}].tools", "a tool cannot match itself")
            )
        elif counted in pairs:
            line, col = doc.mark(("matches", i, "tools"))
            first = doc.mark(("matches", pairs[counted]))[0]
            problems.append(
                Problem(
                    doc.display,
                    line,
                    col,
                    f"matches[{i}].tools",
                    f"duplicate pair {pair[0]} / {pair[1]} for the same source and period "
                    f"(first at line {first}); add the counts into one entry",
                )
            )
        else:
            pairs[counted] = i
    return problems


def duplicate_ids(doc: Document, key: str, noun: str) -> list[Problem]:
    """Entries of the list `key` whose `id` repeats an earlier one: each would claim the same
    anchor or URL (two capabilities, or two category pages at one address)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    items = data.get(key)
    seen: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            line, col = doc.mark((key, i, "id"))
            first_line = doc.mark((key, seen[item_id], "id"))[0]
            message = f'duplicate {noun} id "{item_id}" (first at line {first_line})'
            problems.append(Problem(doc.display, line, col, f"{key}[{i}].id", message))
        else:
            seen[item_id] = i
    return problems


def validate(raw: RawContent, today: dt.date | None = None) -> Catalog:
    """All files to models, plus the rules that span files. Raises ContentError with all."""
    today = today or clock.today()
    problems = list(raw.problems)
    site = _validate(raw.site, SiteConfig, problems) if raw.site else None
    if raw.site:
        problems.extend(duplicate_ids(raw.site, "categories", "category"))
        problems.extend(duplicate_ids(raw.site, "capability_kinds", "capability kind"))
    registry, found = figure_checks.registry(raw, site)
    problems.extend(found)
    problems.extend(figure_checks.ranking_example(raw, site))
    problems.extend(pair_problems(raw, site))
    categories = {c.id for c in site.categories} if site else set()
    kinds = {k.id for k in site.capability_kinds} if site else set()
    declared = figure_checks.declared_metrics(raw)
    tools: dict[str, Tool] = {}
    warnings: list[Problem] = []
    for slug, (_, cached) in raw.unchanged.items():
        if not all(c in categories for c in cached.categories):
            raise StaleCache  # a category it uses is gone: re-read it to point at the line
        if not all(c.kind is None or c.kind in kinds for c in cached.capabilities):
            raise StaleCache  # likewise a capability kind
        if cached.checked > today + notices.FUTURE_SLACK:
            raise StaleCache  # re-read it to point its warning at its line
        if not all(f.metric in registry for f in cached.evidence):
            raise StaleCache  # likewise a metric it uses
        tools[slug] = cached
        warnings.extend(figure_checks.cached_warnings(raw, slug, cached, registry, today))
    for slug, doc in sorted(raw.tools.items()):
        problems.extend(_check_slug(slug, doc))
        before = len(problems)
        migration, covered = figure_checks.legacy(doc)
        found_here: list[Problem] = []
        tool = _validate(doc, Tool, found_here)
        problems.extend(migration)
        problems.extend(p for p in found_here if not figure_checks.is_covered(p.field, covered))
        problems.extend(_check_tool(doc, categories, kinds))
        # A metric declared in site.yaml counts as known here even when its declaration
        # is wrong: that mistake is reported once, at site.yaml.
        problems.extend(figure_checks.problems(doc, registry, declared))
        flagged = {p.field for p in problems[before:]}  # one line per mistake
        problems.extend(p for p in _placeholders(doc, doc.data) if p.field not in flagged)
        if tool is not None:
            tools[slug] = tool
            warnings.extend(notices.future_date_warnings(doc, tool, today))
            warnings.extend(
                figure_checks.located(doc, figure_checks.warnings(tool, registry, today))
            )
    found_aliases, uncached = names.alias_problems(tools, raw.tools)
    if uncached:
        raise StaleCache  # a cached tool's alias clashes: re-read it to point at the line
    problems.extend(found_aliases)
    matches = MatchFile()
    if raw.matches is not None:
        parsed = _validate(raw.matches, MatchFile, problems)
        if parsed is not None:
            matches = parsed
            problems.extend(_check_matches(raw.matches, parsed, raw.tool_slugs))
    if problems or site is None or raw.site is None:
        raise ContentError(problems)
    tools = dict(sorted(tools.items()))
    site, hidden = notices.shown_categories(site, tools, raw.site)
    return Catalog(
        site=site,
        tools=tools,
        matches=matches,
        checked_files=len(raw.tool_slugs) + 2,
        metrics=registry,
        today=today,
        warnings=tuple(sorted(set(warnings + hidden))),
    )


class StaleCache(Exception):
    """A tool taken unchanged from the build cache needs reporting: read everything again."""
