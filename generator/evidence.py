"""Which of a tool's figures count, and which figures two tools share like for like.

Computed once per tool (`analyse`), from that tool's file, the metric registry and the day
of the build: a figure older than its metric allows is stale and does not count, and of
several figures of the same metric and context only the latest counts. A comparison page's
head-to-head rows are then a cheap intersection of two tools' counted figures by
(metric, context): only figures that measure the same thing the same way meet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.metrics import EVIDENCE_SUBSCORES, Metric
from generator.models import Figure, Tool

Key = tuple[str, str]  # (metric id, normalised context)
# Head-to-head rows and figure lists: quality first (what most readers came for).
ROW_ORDER = {"quality": 0, "adoption": 1, "ecosystem": 2}


def normalise(context: str) -> str:
    """Contexts match regardless of case and spacing: "Zero-shot" is "zero-shot "."""
    return " ".join(context.split()).casefold()


def age_days(figure: Figure, today: dt.date) -> int:
    return (today - figure.observed).days


def is_stale(figure: Figure, metric: Metric, today: dt.date) -> bool:
    """Older (by its observed date) than its metric allows."""
    limit = metric.stale_after_days
    return limit is not None and age_days(figure, today) > limit


@dataclass(frozen=True)
class Counted:
    """A figure that counts: its position in the tool's evidence list, metric and placement."""

    index: int
    metric: Metric
    figure: Figure
    placed: float  # 0-100 between the metric's reference points

    @property
    def label(self) -> str:
        """Metric label with the context, as sub-score notes name it."""
        context = self.figure.context.strip()
        return f"{self.metric.label} ({context})" if context else self.metric.label


@dataclass(frozen=True)
class ToolFigures:
    """A tool's evidence as the build day sees it."""

    stale: tuple[int, ...]  # indexes (in tool.evidence) of stale figures
    unscored: tuple[int, ...]  # figures of metrics that are not scores (prices): shown only
    superseded: tuple[int, ...]  # current, but a later figure of the same key counts instead
    counted: tuple[Counted, ...]  # display order: quality, adoption, ecosystem; then label
    by_key: dict[Key, Counted]

    def of(self, subscore: str) -> tuple[Counted, ...]:
        return tuple(c for c in self.counted if c.metric.subscore == subscore)

    @property
    def subscores(self) -> tuple[str, ...]:
        """Sub-scores with at least one counted figure."""
        return tuple(s for s in EVIDENCE_SUBSCORES if self.of(s))


def _order(key: Key, metric: Metric) -> tuple[int, str, str]:
    return (ROW_ORDER[metric.subscore], metric.label.casefold(), key[1])


def analyse(tool: Tool, registry: dict[str, Metric], today: dt.date) -> ToolFigures:
    """Stale figures, and per (metric, context) the latest current figure."""
    stale: list[int] = []
    unscored: list[int] = []
    best: dict[Key, Counted] = {}
    superseded: list[int] = []
    for i, figure in enumerate(tool.evidence):
        metric = registry[figure.metric]
        if not metric.scored:
            unscored.append(i)
            continue
        if is_stale(figure, metric, today):
            stale.append(i)
            continue
        key = (metric.id, normalise(figure.context))
        counted = Counted(i, metric, figure, metric.place(figure.value))
        held = best.get(key)
        if held is None or figure.observed > held.figure.observed:
            if held is not None:
                superseded.append(held.index)
            best[key] = counted
        else:
            superseded.append(i)
    keys = sorted(best, key=lambda k: _order(k, best[k].metric))
    return ToolFigures(
        stale=tuple(stale),
        unscored=tuple(unscored),
        superseded=tuple(sorted(superseded)),
        counted=tuple(best[k] for k in keys),
        by_key={k: best[k] for k in keys},
    )


@dataclass(frozen=True)
class Row:
    """One line of the head-to-head table: the same metric in the same context."""

    key: Key
    metric: Metric
    a: Counted
    b: Counted
    winner: int | None  # 0: a is better, 1: b is better, None: level

    @property
    def context(self) -> str:
        return self.a.figure.context.strip()


def better_of(metric: Metric, a: float, b: float) -> int | None:
    """0 when `a` is better by the metric's direction, 1 when `b` is, None when the two are
    level (within `Metric.level_within` of each other)."""
    if metric.level(a, b):
        return None
    return 0 if (a > b) == (metric.better == "higher") else 1


def head_to_head(a: ToolFigures, b: ToolFigures) -> list[Row]:
    """Rows for every (metric, context) both tools have a counted figure for, in a's order."""
    rows = []
    for key, fa in a.by_key.items():
        fb = b.by_key.get(key)
        if fb is not None:
            winner = better_of(fa.metric, fa.figure.value, fb.figure.value)
            rows.append(Row(key, fa.metric, fa, fb, winner))
    return rows
