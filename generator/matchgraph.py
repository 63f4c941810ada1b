"""How often tools are compared: times matched, and which other comparisons to suggest.

Everything here depends only on `matches.yaml` and the set of slugs, never on another
tool's data, so that editing one tool cannot change another tool's pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.models import MatchFile


@dataclass(frozen=True)
class MatchGraph:
    """Match counts per tool and per pair."""

    totals: dict[str, int]
    pair_counts: dict[tuple[str, str], int]
    partners: dict[str, tuple[str, ...]]  # by count, most compared first

    def times_matched(self, slug: str) -> int | None:
        """Sum of the counts of every entry naming `slug`; None when no entry does."""
        return self.totals.get(slug)

    def pair(self, a: str, b: str) -> int | None:
        return self.pair_counts.get((a, b) if a < b else (b, a))


def build_graph(matches: MatchFile) -> MatchGraph:
    totals: dict[str, int] = defaultdict(int)
    pairs: dict[tuple[str, str], int] = {}
    weighted: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for m in matches.matches:
        a, b = sorted(m.tools)
        pairs[(a, b)] = pairs.get((a, b), 0) + m.count
        totals[a] += m.count
        totals[b] += m.count
    for (a, b), count in pairs.items():
        weighted[a].append((-count, b))
        weighted[b].append((-count, a))
    partners = {s: tuple(p for _, p in sorted(lst)) for s, lst in weighted.items()}
    return MatchGraph(totals=dict(totals), pair_counts=pairs, partners=partners)


def related(slug: str, slugs: list[str], graph: MatchGraph, limit: int) -> list[str]:
    """Other tools to suggest comparing `slug` with: most matched first, then slug order.

    The fill-in walks the sorted slug list from just after `slug`, wrapping around, so each
    tool gets a different, stable set of neighbours.
    """
    chosen = [p for p in graph.partners.get(slug, ()) if p in slugs][:limit]
    if len(chosen) < limit and len(slugs) > 1:
        start = slugs.index(slug)
        for step in range(1, len(slugs)):
            other = slugs[(start + step) % len(slugs)]
            if other not in chosen:
                chosen.append(other)
            if len(chosen) >= limit:
                break
    return chosen
