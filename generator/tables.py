"""The tables of a page that are joined from per-tool pieces: the comparison table with its
"not like for like" notes, the head-to-head rows, and a tool's evidence list.

Each tool's cells are rendered once per build (render.ToolView); a page only picks and joins
them, so the cost of a comparison page stays a few string operations per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.evidence import ROW_ORDER, Key, Row, ToolFigures
from generator.metrics import EVIDENCE_SUBSCORES, Metric
from generator.models import Tool

if TYPE_CHECKING:
    from generator.views import ToolView

# Rows of the comparison table (data-metric, label), in order.
TABLE_ROWS = (
    ("type", "Type"),
    ("rank", "Rank"),
    ("adoption", "Adoption"),
    ("quality", "Quality"),
    ("ecosystem", "Ecosystem"),
    ("match-graph", "Match graph"),
    ("pricing", "Pricing"),
    ("capabilities", "Capabilities"),
    ("times-matched", "Times matched"),
)


@dataclass(frozen=True)
class EvidenceRow:
    """A figure as the tool page lists it."""

    subscore: str
    metric: str  # label
    metric_id: str
    value: float
    unit: str
    context: str
    provenance: str
    placed: int | None  # None when the figure does not count
    status: str  # "counts", "stale", "superseded" or "not scored"
    source: str
    observed: str
    retrieved: str
    note: str | None


def key_id(key: Key) -> str:
    """A head-to-head key as a string (cache entries are JSON)."""
    return f"{key[0]}|{key[1]}"


def table_body(a: ToolView, b: ToolView, notes: Mapping[str, str] | None = None) -> Markup:
    """The comparison table's rows, joined from each tool's pre-rendered halves; a row's
    note (already HTML) goes under its header."""
    notes = notes or {}
    rows = []
    for m, _ in TABLE_ROWS:
        first = a.row_first[m]
        if m in notes:
            first = first.replace("</th>", notes[m] + "</th>", 1)
        rows.append(first + b.row_second[m])
    return Markup("\n".join(rows))


def like_for_like_notes(a: ToolView, b: ToolView) -> dict[str, str]:
    """Sub-score rows whose figures share no metric and context between the two tools: say
    so, and name what each side rests on."""
    notes: dict[str, str] = {}
    for sub in EVIDENCE_SUBSCORES:
        fa, fb = a.figures.of(sub), b.figures.of(sub)
        if not fa or not fb:
            continue
        keys_a = {k for k, c in a.figures.by_key.items() if c.metric.subscore == sub}
        if any(k in keys_a for k, c in b.figures.by_key.items() if c.metric.subscore == sub):
            continue
        text = (
            f"Not like for like: {a.name}'s {sub} rests on {', '.join(c.label for c in fa)}; "
            f"{b.name}'s on {', '.join(c.label for c in fb)}."
        )
        notes[sub] = str(Markup('<br><span class="note">{}</span>').format(text))
    return notes


def head_to_head_body(a: ToolView, b: ToolView, rows: list[Row]) -> Markup:
    """The head-to-head rows, joined from each tool's pre-rendered cells."""
    out = []
    for row in rows:
        k = key_id(row.key)
        head, plain, better = a.h2h[k]
        other = b.h2h[k]
        cell_a = better if row.winner == 0 else plain
        cell_b = other[2] if row.winner == 1 else other[1]
        out.append(head + cell_a + cell_b + "</tr>")
    return Markup("\n".join(out))


def evidence_rows(
    tool: Tool, figures: ToolFigures, metrics: dict[str, Metric]
) -> list[EvidenceRow]:
    """Every figure of a tool, counted or not, in the order the tool page lists them."""
    counted = {c.index: c for c in figures.counted}
    stale, superseded = set(figures.stale), set(figures.superseded)
    unscored = set(figures.unscored)
    evidence = []
    for i, f in enumerate(tool.evidence):
        metric = metrics[f.metric]
        c = counted.get(i)
        evidence.append(
            EvidenceRow(
                subscore=metric.subscore,
                metric=metric.label,
                metric_id=metric.id,
                value=f.value,
                unit=metric.unit,
                context=f.context.strip(),
                provenance=f.provenance.value,
                placed=None if c is None else round(c.placed),
                status=(
                    "not scored"
                    if i in unscored
                    else "stale"
                    if i in stale
                    else "superseded"
                    if i in superseded
                    else "counts"
                ),
                source=f.source,
                observed=f.observed.isoformat(),
                retrieved=f.retrieved.isoformat(),
                note=f.note,
            )
        )
    evidence.sort(key=lambda e: (ROW_ORDER[e.subscore], e.metric.casefold(), e.observed))
    return evidence
