"""Figures -> sub-scores -> rank. The whole method lives here, with its settings from site.yaml.

Each counted figure is placed on 0-100 by its metric's fixed reference points (metrics.py).
A sub-score is the mean of its figures shrunk towards a stated prior by how much evidence it
rests on: (n x mean + k x prior) / (n + k), the way rating sites keep a film with three votes
from topping a chart. So one excellent figure moves a sub-score a little and ten move it a
lot, and a tool with one figure cannot outrank a tool with ten on the strength of that one.
Below a minimum of evidence a tool is "unranked" rather than ranked on scraps. The match
graph can only lift a rank. Everything is a function of one tool's own figures (and its
match count), so editing one tool never moves another tool's numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from generator.evidence import ToolFigures
from generator.metrics import EVIDENCE_SUBSCORES
from generator.site_models import SiteConfig

SUBSCORES: tuple[str, ...] = (*EVIDENCE_SUBSCORES, "match_graph")
LABELS: dict[str, str] = {
    "adoption": "Adoption",
    "quality": "Quality",
    "ecosystem": "Ecosystem",
    "match_graph": "Match graph",
}


@dataclass(frozen=True)
class Scale:
    """How a count maps onto 0-100 (used for the match graph's times matched)."""

    label: str
    low: float
    high: float

    def place(self, value: float) -> float:
        v = math.log10(max(value, 1e-9))
        lo, hi = math.log10(self.low), math.log10(self.high)
        return min(100.0, max(0.0, 100.0 * (v - lo) / (hi - lo)))


TIMES_MATCHED = Scale("Times matched", 1, 100_000)


def display(value: float | None) -> int | None:
    """The integer shown on pages (halves round up)."""
    return None if value is None else int(math.floor(value + 0.5))


@dataclass(frozen=True)
class SubScore:
    """One evidence sub-score: the shrunk value the rank uses, and what it rests on."""

    name: str
    value: float  # (n x mean + k x prior) / (n + k); the prior itself when n is 0
    mean: float | None  # mean placement of the counted figures; None without figures
    n: int  # counted figures

    @property
    def shown(self) -> int | None:
        """What pages show: nothing ("no data") for a sub-score that is only the prior."""
        return display(self.value) if self.n else None


@dataclass(frozen=True)
class Scores:
    """A tool's scores, the rank (None = unranked) and how they were reached."""

    adoption: SubScore
    quality: SubScore
    ecosystem: SubScore
    match_graph: float | None
    times_matched: int | None
    base: float  # weighted mean of the three evidence sub-scores
    lift: float  # what the match graph added (never negative)
    rank: float | None  # base + lift, or None when the evidence is below the minimum
    figures: int  # counted (current) figures
    stale: tuple[int, ...]  # indexes of stale figures in the tool's evidence list

    def sub(self, name: str) -> SubScore:
        value: SubScore = getattr(self, name)
        return value

    def shown(self, name: str) -> int | None:
        """Displayed integer for `rank`, a sub-score or `match_graph`; None: nothing to show."""
        if name == "rank":
            return display(self.rank)
        if name == "match_graph":
            return display(self.match_graph)
        return self.sub(name).shown

    @property
    def with_figures(self) -> tuple[str, ...]:
        return tuple(s for s in EVIDENCE_SUBSCORES if self.sub(s).n)

    @property
    def without_figures(self) -> tuple[str, ...]:
        """Evidence sub-scores that rest on the prior alone."""
        return tuple(s for s in EVIDENCE_SUBSCORES if not self.sub(s).n)


def shrink(placements: list[float], prior: float, weight: float) -> float:
    """(n x mean + k x prior) / (n + k): the mean pulled towards the prior."""
    n = len(placements)
    if n + weight <= 0:
        return prior
    return (sum(placements) + weight * prior) / (n + weight)


def match_graph_score(times_matched: int | None) -> float | None:
    return None if times_matched is None else TIMES_MATCHED.place(times_matched)


def unranked_reason(figures: int, subscores: int, site: SiteConfig) -> str | None:
    """Why a tool with this much evidence gets no rank (None: it gets one)."""
    r = site.ranking
    if figures >= r.min_figures and subscores >= r.min_subscores:
        return None
    return (
        f"{figures} current figure{'s' if figures != 1 else ''} in {subscores} "
        f"sub-score{'s' if subscores != 1 else ''}; a rank needs at least {r.min_figures} "
        f"figures in {r.min_subscores} sub-scores"
    )


def score_tool(figures: ToolFigures, times_matched: int | None, site: SiteConfig) -> Scores:
    r, w = site.ranking, site.weights
    subs = {}
    for name in EVIDENCE_SUBSCORES:
        placed = [c.placed for c in figures.of(name)]
        mean = sum(placed) / len(placed) if placed else None
        subs[name] = SubScore(name, shrink(placed, r.prior, r.prior_weight), mean, len(placed))
    weights = {"adoption": w.adoption, "quality": w.quality, "ecosystem": w.ecosystem}
    total = sum(weights.values())
    if total > 0:
        base = sum(weights[s] * subs[s].value for s in EVIDENCE_SUBSCORES) / total
    else:
        base = r.prior
    graph = match_graph_score(times_matched)
    share = w.match_graph / (total + w.match_graph)
    lift = share * max(0.0, graph - base) if graph is not None else 0.0
    with_figures = sum(1 for s in subs.values() if s.n)
    ranked = unranked_reason(len(figures.counted), with_figures, site) is None
    return Scores(
        adoption=subs["adoption"],
        quality=subs["quality"],
        ecosystem=subs["ecosystem"],
        match_graph=graph,
        times_matched=times_matched,
        base=base,
        lift=lift,
        rank=base + lift if ranked else None,
        figures=len(figures.counted),
        stale=figures.stale,
    )
