"""What the match figures count, read from `matches.yaml` for the pages that show them.

"Times matched" is a sum of counts, and the counts may be anything an entry says it
counted: impressions of comparison queries in the site's Search Console, papers comparing
both, benchmark rows. Pages must not claim more than the entries do, so the methodology and
tool pages describe the figures by the entries' own `what`, `period` and `source`, grouped.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.models import SEARCH_CONSOLE, MatchFile


@dataclass(frozen=True)
class Basis:
    """One kind of count: the entries that share what they counted, period and source."""

    what: str
    period: str
    source: str
    total: int
    pairs: int
    imported: bool

    @property
    def url(self) -> str | None:
        """A link for the source; a Search Console property is private, so none."""
        return None if self.source.startswith(SEARCH_CONSOLE) else self.source

    @property
    def source_label(self) -> str:
        if self.source.startswith(SEARCH_CONSOLE):
            prop = self.source.removeprefix(SEARCH_CONSOLE)
            return f"the site's own Search Console (property {prop})"
        return self.source

    @property
    def demand(self) -> bool:
        """Counts of what people searched for, rather than what publications compared."""
        return self.source.startswith(SEARCH_CONSOLE)


_Key = tuple[str, str, str]  # what, period, source


class _Groups:
    def __init__(self) -> None:
        self.counts: dict[_Key, list[int]] = {}
        self.imported: set[_Key] = set()

    def add(self, key: _Key, count: int, imported: bool) -> None:
        self.counts.setdefault(key, []).append(count)
        if imported:
            self.imported.add(key)

    def bases(self) -> tuple[Basis, ...]:
        found = [
            Basis(*key, sum(counts), len(counts), key in self.imported)
            for key, counts in self.counts.items()
        ]
        return tuple(sorted(found, key=lambda b: (-b.total, b.what, b.period, b.source)))


def _key(what: str, period: str, source: str) -> _Key:
    return (" ".join(what.split()), period, source)


def bases(matches: MatchFile) -> tuple[Basis, ...]:
    """The kinds of count in `matches`, largest total first."""
    groups = _Groups()
    for m in matches.matches:
        groups.add(_key(m.what, m.period, m.source), m.count, m.imported is not None)
    return groups.bases()


def bases_by_tool(matches: MatchFile) -> dict[str, tuple[Basis, ...]]:
    """Per tool, the kinds of count in the entries naming it (one pass over the entries)."""
    per_tool: dict[str, _Groups] = {}
    for m in matches.matches:
        key = _key(m.what, m.period, m.source)
        for slug in set(m.tools):
            per_tool.setdefault(slug, _Groups()).add(key, m.count, m.imported is not None)
    return {slug: groups.bases() for slug, groups in per_tool.items()}
