"""Checks of a tool file's evidence figures that need more than its own model: the metric
registry, the day of the build, or knowing the old format.

- An old-format file (evidence grouped under adoption/quality/ecosystem, a `date` key, a
  retired metric) gets one migration error per mistake that says what changed, instead of
  the many field errors the new model would raise.
- A metric id not in the registry is an error with a "did you mean".
- `retrieved` before `observed` is an error.
- Stale figures and future dates are warnings: the build goes on, and pages show stale
  figures as stale without counting them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from generator.evidence import age_days, is_stale
from generator.load import Document, Loc, RawContent, display, dotted, read_document
from generator.metrics import BUILTIN, RETIRED, Metric, merge
from generator.models import Tool
from generator.problems import Problem
from generator.site_models import SiteConfig

SEE = 'see README "Evidence"'
GROUPED = (
    "evidence is now one list of figures, not groups under adoption, quality and ecosystem; "
    "each figure names a registered metric (e.g. mmlu_5shot) and has observed and retrieved "
    f"dates instead of date; {SEE}"
)
DATE_KEY = (
    "date was replaced by observed (the date the figure describes or was published) and "
    f"retrieved (when it was read); {SEE}"
)


def _problem(doc: Document, loc: Loc, message: str, *, key: bool = False) -> Problem:
    line, col = doc.mark(loc, key=key)
    return Problem(doc.display, line, col, dotted(loc), message)


def _figures(doc: Document) -> list[tuple[int, dict[str, Any]]]:
    evidence = doc.data.get("evidence") if isinstance(doc.data, dict) else None
    if not isinstance(evidence, list):
        return []
    return [(i, f) for i, f in enumerate(evidence) if isinstance(f, dict)]


def legacy(doc: Document) -> tuple[list[Problem], set[str]]:
    """Migration errors for the old evidence format, and the field paths whose ordinary
    errors they replace (so one mistake gives one line)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    evidence = data.get("evidence")
    if isinstance(evidence, dict):
        return [_problem(doc, ("evidence",), GROUPED, key=True)], {"evidence"}
    problems: list[Problem] = []
    covered: set[str] = set()
    for i, figure in _figures(doc):
        if "date" in figure:
            problems.append(_problem(doc, ("evidence", i, "date"), DATE_KEY, key=True))
        metric = figure.get("metric")
        if isinstance(metric, str) and metric in RETIRED:
            problems.append(_problem(doc, ("evidence", i, "metric"), f"{RETIRED[metric]}; {SEE}"))
        if "date" in figure or (isinstance(metric, str) and metric in RETIRED):
            covered.add(dotted(("evidence", i)))
    return problems, covered


def is_covered(field: str, covered: set[str]) -> bool:
    return any(field == c or field.startswith((c + ".", c + "[")) for c in covered)


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word.casefold(), choices, n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def problems(
    doc: Document, registry: dict[str, Metric], declared: frozenset[str] | set[str] = frozenset()
) -> list[Problem]:
    """Unknown metrics and retrieval before observation, read from the raw data so they
    are reported even when the file has other errors too. `declared`: ids site.yaml
    declares, known even when their declaration has a mistake of its own."""
    out: list[Problem] = []
    ids = sorted(registry)
    known = set(registry) | set(declared) | set(RETIRED)
    for i, figure in _figures(doc):
        metric = figure.get("metric")
        if isinstance(metric, str) and metric and metric not in known:
            hint = _suggest(metric, ids) or "; see the metrics listed on the methodology page"
            out.append(_problem(doc, ("evidence", i, "metric"), f'unknown metric "{metric}"{hint}'))
        observed, retrieved = _as_date(figure.get("observed")), _as_date(figure.get("retrieved"))
        if observed and retrieved and retrieved < observed:
            out.append(
                _problem(
                    doc,
                    ("evidence", i, "retrieved"),
                    f"retrieved {retrieved.isoformat()} is before observed "
                    f"{observed.isoformat()}; a figure cannot be read before the date it "
                    "describes",
                )
            )
    return out


def warnings(tool: Tool, registry: dict[str, Metric], today: dt.date) -> list[tuple[Loc, str]]:
    """(where, message) for stale figures and dates after the day of the build."""
    out: list[tuple[Loc, str]] = []
    for i, figure in enumerate(tool.evidence):
        metric = registry.get(figure.metric)
        for name in ("observed", "retrieved"):
            when: dt.date = getattr(figure, name)
            if when > today:
                out.append(
                    (
                        ("evidence", i, name),
                        f"warning: {name} {when.isoformat()} is in the future "
                        f"(today is {today.isoformat()})",
                    )
                )
        if metric is not None and is_stale(figure, metric, today):
            out.append(
                (
                    ("evidence", i, "observed"),
                    f"warning: stale: observed {figure.observed.isoformat()}, "
                    f"{age_days(figure, today)} days ago; {metric.id} figures count for "
                    f"{metric.stale_after_days} days, so this one is shown as stale and does "
                    "not count",
                )
            )
    return out


def located(doc: Document, found: list[tuple[Loc, str]]) -> list[Problem]:
    return [_problem(doc, loc, message) for loc, message in found]


# --------------------------------------------------------------------------- site level


def registry(raw: RawContent, site: SiteConfig | None) -> tuple[dict[str, Metric], list[Problem]]:
    """The metric registry: built-ins with site.yaml's `metrics:` applied."""
    if site is None or raw.site is None:
        return dict(BUILTIN), []
    overrides: dict[str, dict[str, Any]] = {}
    for metric_id, spec in site.metrics.items():
        given = {name: getattr(spec, name) for name in spec.model_fields_set}
        # An explicit null means "never" for stale_after_days and "none" for the texts;
        # for any other field it is the same as leaving the field out.
        overrides[metric_id] = {
            name: ("" if value is None and name in ("unit", "description") else value)
            for name, value in given.items()
            if value is not None or name in ("stale_after_days", "unit", "description")
        }
    registry, found = merge(overrides)
    doc = raw.site
    problems = []
    for metric_id, name, message in found:
        loc: Loc = ("metrics", metric_id, name) if name else ("metrics", metric_id)
        line, col = doc.mark(loc, key=not name)
        problems.append(Problem(doc.display, line, col, dotted(loc), message))
    return registry, problems


def ranking_example(raw: RawContent, site: SiteConfig | None) -> list[Problem]:
    example = site.ranking.example if site else None
    if raw.site is None or example is None or example in raw.tool_slugs:
        return []
    line, col = raw.site.mark(("ranking", "example"))
    hint = _suggest(example, list(raw.tool_slugs))
    return [
        Problem(raw.site.display, line, col, "ranking.example", f'unknown tool "{example}"{hint}')
    ]


def declared_metrics(raw: RawContent) -> set[str]:
    """Metric ids site.yaml declares, read from the raw file so they count as known even
    when site.yaml has a mistake of its own (reported once, there)."""
    data = raw.site.data if raw.site is not None and isinstance(raw.site.data, dict) else {}
    metrics = data.get("metrics")
    return {str(k) for k in metrics} if isinstance(metrics, dict) else set()


# Located warnings of cached tools, by (file, file digest, warnings): `serve` rebuilds on
# every save, and re-reading every file with a stale figure each time would undo the cache.
_LOCATED: dict[tuple[str, str, tuple[tuple[Loc, str], ...]], list[Problem]] = {}


def cached_warnings(
    raw: RawContent, slug: str, tool: Tool, registry: dict[str, Metric], today: dt.date
) -> list[Problem]:
    """Warnings for a tool taken from the build cache: its file is read only when there is
    something to point at (and only once per process for the same file and warnings)."""
    found = warnings(tool, registry, today)
    if not found:
        return []
    paths = (raw.root / "tools" / f"{slug}{ext}" for ext in (".yaml", ".yml"))
    path = next((p for p in paths if p.is_file()), None)
    if path is None:
        return []
    key = (display(path), raw.digests.get(slug, ""), tuple(found))
    if key not in _LOCATED:
        doc = read_document(path, display(path))[0]
        _LOCATED[key] = located(doc, found) if doc is not None else []
    return _LOCATED[key]
