"""Which search queries compare two tools, and which name a product the catalogue lacks.

A query is split at its comparison words ("vs", "vs.", "versus", "or", "compared to",
"compared with", "difference between A and B") into sides; each side is matched against
every tool's name, slug and aliases by `names.key`, longest first, allowing extra words
after the name ("claude for coding") or before it ("free chatgpt"). A query whose sides
name two different known tools counts for that pair; "a vs a" counts for nothing.

"A alternative(s)" and "alternatives to A" name one tool, not a pair: they are counted per
tool and reported, never written as a match. A side naming no known tool next to one that
does is a candidate: a product people compare with a listed tool, worth adding. "or" joins
too many things that are not products ("free or paid") to suggest candidates, so only the
other comparison words do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.names import words

_CONNECTORS = {("vs",): True, ("versus",): True, ("or",): False}  # True: suggests candidates
_TWO_WORD = {("compared", "to"), ("compared", "with"), ("vs", "vs")}
_BETWEEN = ("difference", "between")
_ALTERNATIVE = {"alternative", "alternatives"}
# Words around an unknown side that are not part of the product's name.
_NOISE = {
    "a", "an", "the", "best", "free", "is", "which", "what", "for", "in", "on", "with",
    "reddit", "review", "reviews", "comparison", "benchmark", "benchmarks", "pricing",
    "price", "better", "faster", "cheaper", "quality", "speed", "performance", "vs",
}  # fmt: skip
_SLACK = 3  # a name may be typed in more words than it has ("chat gpt")


@dataclass
class QueryMatches:
    """What a set of queries says, counted by one measure (impressions or clicks)."""

    pairs: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    pair_queries: int = 0
    self_queries: int = 0  # "a vs a": two spellings of one tool
    alternatives: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    alternative_queries: int = 0
    candidates: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    candidate_next_to: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


class Matcher:
    """Finds tools in queries, by the key index of `names.index`."""

    def __init__(self, index: dict[str, str]) -> None:
        self.index = index
        longest = max((len(k) for k in index), default=1)
        self.width = longest + _SLACK  # a key of n characters has at most n words

    def side(self, side: list[str]) -> str | None:
        """The tool a side names: longest name first, at its start or end."""
        best: tuple[int, str] | None = None
        n = len(side)
        for k in range(min(n, self.width), 0, -1):
            for start in (0, n - k):  # the name first ("claude for coding"), or last
                slug = self.index.get("".join(side[start : start + k]))
                if slug is not None:
                    best = (k, slug)
                    break
            if best:
                break
        return best[1] if best else None

    def add(self, query: str, count: int, found: QueryMatches) -> None:
        w = words(query)
        sides, suggests = _split(w)
        if len(sides) < 2:
            self._alternative(w, count, found)
            return
        named = [self.side(s) for s in sides]
        known = sorted({s for s in named if s is not None})
        if len(known) >= 2:
            found.pair_queries += 1
            for i, a in enumerate(known):
                for b in known[i + 1 :]:
                    found.pairs[(a, b)] += count
        elif len(known) == 1 and named.count(None) == 0:
            found.self_queries += 1
        if suggests and known:
            for side, slug in zip(sides, named, strict=True):
                if slug is None and (name := _product(side)):
                    found.candidates[name] += count
                    found.candidate_next_to[name].update(known)

    def _alternative(self, w: list[str], count: int, found: QueryMatches) -> None:
        at = next((i for i, x in enumerate(w) if x in _ALTERNATIVE), None)
        if at is None:
            return
        after = w[at + 1 :]
        if after[:1] in (["to"], ["for"]):
            slug = self.side(after[1:])
        else:
            slug = self.side(w[:at]) or (self.side(after) if after else None)
        if slug is not None:
            found.alternative_queries += 1
            found.alternatives[slug] += count


def _split(w: list[str]) -> tuple[list[list[str]], bool]:
    """The sides of a query and whether its comparison words suggest candidates."""
    if tuple(w[:2]) == _BETWEEN and "and" in w:
        at = w.index("and")
        return [w[2:at], w[at + 1 :]], True
    sides: list[list[str]] = [[]]
    suggests = False
    i = 0
    while i < len(w):
        if tuple(w[i : i + 2]) in _TWO_WORD:
            sides.append([])
            suggests = True
            i += 2
            continue
        if (w[i],) in _CONNECTORS:
            suggests = suggests or _CONNECTORS[(w[i],)]
            sides.append([])
        else:
            sides[-1].append(w[i])
        i += 1
    return [s for s in sides if s], suggests


def _product(side: list[str]) -> str:
    """An unknown side without the words around it that are not its name: "gemini" from
    "gemini for coding"."""
    start, end = 0, len(side)
    while start < end and side[start] in _NOISE:
        start += 1
    for i in range(start, end):
        if side[i] in _NOISE or (len(side[i]) == 4 and side[i].startswith("20")):
            end = i
            break
    name = " ".join(side[start:end])
    return "" if name.replace(" ", "").isdigit() else name
