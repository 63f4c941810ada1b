"""Warnings: content that builds, but probably not as its author meant.

A warning is a Problem whose message starts with "warning: ". The CLI prints it like an
error, on stderr, and the build still succeeds: a date in the future may be a typo or a
time zone away, an empty category may be waiting for its first tool.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.load import Document, Loc, dotted
from generator.models import Tool
from generator.problems import Problem
from generator.site_models import SiteConfig

# A date up to a day ahead is someone east of us; beyond that it is a typo (2027 for 2026).
FUTURE_SLACK = dt.timedelta(days=1)


def future_dates(tool: Tool, now: dt.date) -> Iterator[tuple[Loc, dt.date]]:
    """The file's `checked` date when it is more than a day after `now` (figures' dates are
    checked with the rest of the evidence, in `figure_checks`)."""
    if tool.checked > now + FUTURE_SLACK:
        yield ("checked",), tool.checked


def future_date_warnings(doc: Document, tool: Tool, now: dt.date) -> list[Problem]:
    out = []
    for loc, date in future_dates(tool, now):
        line, col = doc.mark(loc)
        out.append(
            Problem(doc.display, line, col, dotted(loc), f"warning: date {date} is in the future")
        )
    return out


def shown_categories(
    site: SiteConfig, tools: dict[str, Tool], doc: Document
) -> tuple[SiteConfig, list[Problem]]:
    """The site with only the categories that get a page, and a warning for each hidden one.

    A category without tools would be an empty page linked from the home page; unless the
    site asks for such pages (`empty_categories: show`), it gets neither page nor link."""
    if site.empty_categories == "show":
        return site, []
    used = {c for tool in tools.values() for c in tool.categories}
    kept = []
    warnings = []
    for i, cat in enumerate(site.categories):
        if cat.id in used:
            kept.append(cat)
            continue
        line, col = doc.mark(("categories", i, "id"))
        warnings.append(
            Problem(
                doc.display,
                line,
                col,
                f"categories[{i}].id",
                f'warning: category "{cat.id}" has no tools; it gets no page or link '
                "(set empty_categories: show in site.yaml to list it anyway)",
            )
        )
    if not warnings:
        return site, []
    return site.model_copy(update={"categories": kept}), warnings
