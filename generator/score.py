"""Evidence -> sub-scores -> rank. The whole method lives here, with fixed reference points.

Each figure is placed on a 0-100 scale between two fixed reference points (log-scaled for
counts, which span orders of magnitude; linear for ratings and benchmark percentages). A
sub-score is the mean of its figures. Because the reference points are constants and never
corpus percentiles, adding or editing one tool can never move another tool's scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from generator.models import SiteConfig, Tool

SUBSCORES: tuple[str, ...] = ("adoption", "quality", "ecosystem", "match_graph")
LABELS: dict[str, str] = {
    "adoption": "Adoption",
    "quality": "Quality",
    "ecosystem": "Ecosystem",
    "match_graph": "Match graph",
}


@dataclass(frozen=True)
class Scale:
    """How one metric maps onto 0-100: `low` scores 0, `high` scores 100, clamped."""

    label: str
    low: float
    high: float
    log: bool

    def place(self, value: float) -> float:
        if self.log:
            v = math.log10(max(value, 1e-9))
            lo, hi = math.log10(self.low), math.log10(self.high)
        else:
            v, lo, hi = value, self.low, self.high
        return min(100.0, max(0.0, 100.0 * (v - lo) / (hi - lo)))


SCALES: dict[str, Scale] = {
    "github_stars": Scale("GitHub stars", 10, 100_000, True),
    "monthly_downloads": Scale("Downloads per month", 100, 10_000_000, True),
    "monthly_active_users": Scale("Monthly active users", 1_000, 100_000_000, True),
    "benchmark_score": Scale("Benchmark score (%)", 0, 100, False),
    "review_rating": Scale("Review rating (stars of 5)", 1, 5, False),
    "arena_elo": Scale("Arena Elo", 1000, 1500, False),
    "integrations": Scale("Integrations", 1, 1_000, True),
    "contributors": Scale("Contributors", 1, 2_000, True),
    "derivatives": Scale("Derivatives (fine-tunes, adapters, forks)", 1, 10_000, True),
    "community_members": Scale("Community members", 100, 10_000_000, True),
    "times_matched": Scale("Times matched", 1, 100_000, True),
}


def display(value: float | None) -> int | None:
    """The integer shown on pages. Every verdict claim is made from this, never the float."""
    return None if value is None else int(math.floor(value + 0.5))


@dataclass(frozen=True)
class Scores:
    """A tool's scores as floats (None = no data) and the rank with what it was built from."""

    adoption: float | None
    quality: float | None
    ecosystem: float | None
    match_graph: float | None
    rank: float | None
    times_matched: int | None
    basis: tuple[str, ...]  # sub-scores the rank was computed from

    def sub(self, name: str) -> float | None:
        value: float | None = getattr(self, name)
        return value

    def shown(self, name: str) -> int | None:
        """Displayed integer for a sub-score or `rank`."""
        return display(getattr(self, name))

    @property
    def missing(self) -> tuple[str, ...]:
        """Sub-scores the rank leaves out: those without data and those weighted 0."""
        return tuple(s for s in SUBSCORES if s not in self.basis)

    @property
    def no_data(self) -> tuple[str, ...]:
        return tuple(s for s in SUBSCORES if self.sub(s) is None)

    @property
    def unweighted(self) -> tuple[str, ...]:
        """Sub-scores with data that the rank leaves out because their weight is 0."""
        return tuple(s for s in SUBSCORES if self.sub(s) is not None and s not in self.basis)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def evidence_score(tool: Tool, name: str) -> float | None:
    """Mean placement of the figures listed for sub-score `name`; None when none."""
    items = getattr(tool.evidence, name)
    return _mean([SCALES[e.metric].place(e.value) for e in items])


def match_graph_score(times_matched: int | None) -> float | None:
    if times_matched is None:
        return None
    return SCALES["times_matched"].place(times_matched)


def rank(subs: dict[str, float | None], site: SiteConfig) -> tuple[float | None, tuple[str, ...]]:
    """Weighted mean over the sub-scores that have data; weights renormalised over those.

    Missing data is left out rather than counted as zero, and the page says which sub-scores
    the rank rests on, so a reader can discount a rank built on little evidence.
    """
    weights = site.weights.model_dump()
    basis = tuple(s for s in SUBSCORES if subs[s] is not None and weights[s] > 0)
    total = sum(weights[s] for s in basis)
    if not basis or total <= 0:
        return None, ()
    return sum(weights[s] * (subs[s] or 0.0) for s in basis) / total, basis


def score_tool(tool: Tool, times_matched: int | None, site: SiteConfig) -> Scores:
    subs: dict[str, float | None] = {n: evidence_score(tool, n) for n in SUBSCORES[:3]}
    subs["match_graph"] = match_graph_score(times_matched)
    value, basis = rank(subs, site)
    return Scores(
        adoption=subs["adoption"],
        quality=subs["quality"],
        ecosystem=subs["ecosystem"],
        match_graph=subs["match_graph"],
        rank=value,
        times_matched=times_matched,
        basis=basis,
    )
