"""Documents -> models, with every problem across every file located and explained.

Pydantic knows *what* is wrong and at which `loc`; the load stage knows *where* each loc
sits in the file. This module joins the two and rewrites Pydantic's wording into messages
that say what was expected, what was found and, where we can guess, what was meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from generator import clock, figure_checks, names, notices
from generator.load import Document, Loc, RawContent, dotted
from generator.metrics import BUILTIN, Metric
from generator.models import SLUG_MAX, SLUG_RE, MatchFile, SiteConfig, Tool, slug_problem
from generator.pairs import pair_problems
from generator.problems import ContentError, Problem


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


def _found(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int) and abs(value) >= 10**20:
        return f"a number of {len(str(abs(value))):,} digits"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"'
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that owns the last part of `loc`, to list its fields in hints."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


# Fields that existed once: their own message instead of "unknown field".
RETIRED_FIELDS = {
    ("verdict", "lead_margin"): (
        "lead_margin was removed: verdicts now compare only figures both tools publish on the "
        'same metric and setting, with no margin; delete this line (see README "Verdicts")'
    ),
}


def _message(err: dict[str, Any], model: type[BaseModel]) -> tuple[str, bool]:
    """Our wording for one Pydantic error; the bool says whether to point at the key."""
    kind = err["type"]
    loc = tuple(err["loc"])
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden" and loc in RETIRED_FIELDS:
        return RETIRED_FIELDS[loc], True
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        fields = sorted(owner.model_fields) if owner else []
        hint = _suggest(str(loc[-1]), fields)
        return ("unknown field" + (hint or f"; expected one of {', '.join(fields)}")), True
    if kind == "missing":
        owner = _model_at(model, loc)
        info = owner.model_fields.get(str(loc[-1])) if owner else None
        about = (
            f" ({info.description.splitlines()[0].strip()})" if info and info.description else ""
        )
        return f"missing required field{about}", True
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        options = [o for o in options if o]
        shown = ", ".join(options)
        hint = _suggest(str(value), options) if isinstance(value, str) else ""
        return f"expected one of {shown}; got {_found(value)}{hint}", False
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])), False
    expectations = {
        "string_type": "text",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "float_type": "a number",
        "float_parsing": "a number",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "list_type": "a list",
        "model_type": "a mapping of fields",
        "model_attributes_type": "a mapping of fields",
        "dict_type": "a mapping",
        "date_type": "a date (YYYY-MM-DD)",
        "date_parsing": "a date (YYYY-MM-DD)",
        "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
        "date_from_datetime_inexact": "a date (YYYY-MM-DD) without a time",
    }
    if kind.startswith("date_") and isinstance(value, str) and _DATE_SHAPE.fullmatch(value):
        return f"expected a real date (YYYY-MM-DD); got {value}", False
    if kind == "finite_number" or (kind == "float_type" and isinstance(value, int)):
        return f"expected a finite number; got {_found(value)}", False
    if kind in expectations:
        return f"expected {expectations[kind]}; got {_found(value)}", False
    size = len(value) if isinstance(value, list | dict | str) else 0
    if kind == "too_short":
        if isinstance(value, str):
            return "expected some text; got an empty string", False
        return f"expected at least {ctx.get('min_length', 1)} item(s); got {size}", False
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} item(s); got {size}", False
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters; got {size}", False
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<="}
        op = bound.get(kind, "<")
        limit = next(iter(ctx.values()), "")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        return f"expected a number {op} {limit}; got {_found(value)}", False
    if kind == "string_pattern_mismatch":
        return f"expected text matching {ctx.get('pattern')}; got {_found(value)}", False
    return f"{err['msg']}; got {_found(value)}", False


def model_problems(doc: Document, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    """Translate a ValidationError on `doc` into located problems.

    A misspelt key is one mistake, not two: when an unknown key's "did you mean" names a
    missing field beside it, only the unknown key is reported."""
    problems = []
    errors = exc.errors(include_url=False)
    meant = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            message, _ = _message(dict(err), model)
            if '; did you mean "' in message:
                meant.add((*tuple(err["loc"])[:-1], message.split('"')[-2]))
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc in meant:
            continue
        if any(loc[:i] in doc.reported for i in range(len(loc) + 1)):
            continue  # the load stage said what is wrong there
        # Pydantic appends the enum/literal "tag" for unions; the data path is what matters.
        message, at_key = _message(dict(err), model)
        line, col = doc.mark(loc, key=at_key)
        if err["type"] == "missing":
            parent = loc[:-1]
            line, col = doc.value_marks.get(parent) or doc.mark(parent, key=True)
        problems.append(Problem(doc.display, line, col, dotted(loc), message))
    return problems


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
            hint = _suggest(cat, sorted(categories)) or (
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
        hint = _suggest(kind, sorted(kinds))
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
                        f'unknown tool "{slug}"{_suggest(slug, slugs)}',
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
