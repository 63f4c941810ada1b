"""Which pairs of tools get a comparison page, and how tools relate to one another.

A page for every pair is what search engines call scaled content: at 1,000 tools it is
499,500 pages, most of them between unrelated tools. `site.yaml`'s `pairs:` policy picks the
pairs that genuinely overlap, and a quality gate keeps thin pairs out of the index (or out
of the site). The same relation (match evidence, then shared categories, then shared
capability kinds) ranks "people also compare" links and alternatives pages.

Everything here is a function of the tools' own files and `matches.yaml`, so the
incremental build can tell from per-tool fingerprints which pages a change touches.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.evidence import ToolFigures
from generator.load import RawContent
from generator.matchgraph import MatchGraph
from generator.models import Tool
from generator.problems import Problem
from generator.site_models import PairPolicy, SiteConfig

ALTERNATIVES = 10  # tools an alternatives page lists


@dataclass(frozen=True)
class Relation:
    """Why two tools belong together: how often they were compared, and what they share."""

    matches: int
    categories: tuple[str, ...]
    kinds: tuple[str, ...]


def reason(rel: Relation, categories: Mapping[str, str], kinds: Mapping[str, str]) -> str:
    """The relation in words, strongest first: "compared 120 times; both Vision"."""
    parts = []
    if rel.matches:
        parts.append(f"compared {rel.matches:,} times" if rel.matches != 1 else "compared once")
    if rel.categories:
        parts.append("both " + ", ".join(categories.get(c, c) for c in rel.categories))
    if rel.kinds:
        parts.append("both do " + ", ".join(kinds.get(k, k) for k in rel.kinds))
    return "; ".join(parts)


def kinds_of(tool: Tool) -> frozenset[str]:
    """The capability kinds a tool lists."""
    return frozenset(c.kind for c in tool.capabilities if c.kind)


def words(tool: Tool) -> int:
    """Words of text a tool brings to any page it is on: its summary and capability texts."""
    parts = [tool.summary]
    for c in tool.capabilities:
        parts += [c.description, c.unique, c.vs_alternatives]
    return sum(len(p.split()) for p in parts)


class Relations:
    """Relations between tools, computed only for tools that have something in common
    (a category, a capability kind or match evidence), found through inverted indexes."""

    def __init__(
        self, tools: Mapping[str, Tool], graph: MatchGraph, ranks: Mapping[str, float | None]
    ) -> None:
        self.tools = tools
        self.graph = graph
        self.ranks = ranks
        by_cat: dict[str, set[str]] = defaultdict(set)
        by_kind: dict[str, set[str]] = defaultdict(set)
        for slug, tool in tools.items():
            for c in tool.categories:
                by_cat[c].add(slug)
            for cap in tool.capabilities:
                if cap.kind:
                    by_kind[cap.kind].add(slug)
        self.by_cat = by_cat
        self.by_kind = by_kind
        # Each tool's categories and kinds as sets, made once: a catalogue of n tools asks
        # for O(n^2) relations.
        self.cats = {slug: frozenset(t.categories) for slug, t in tools.items()}
        self.kinds = {slug: kinds_of(t) for slug, t in tools.items()}

    def neighbours(self, slug: str) -> set[str]:
        """Tools sharing a category or kind with `slug`, or matched with it."""
        tool = self.tools[slug]
        found: set[str] = set()
        for c in tool.categories:
            found |= self.by_cat[c]
        for cap in tool.capabilities:
            if cap.kind:
                found |= self.by_kind[cap.kind]
        found.update(p for p in self.graph.partners.get(slug, ()) if p in self.tools)
        found.discard(slug)
        return found

    def of(self, a: str, b: str) -> Relation:
        """How `a` relates to `b` (categories in `a`'s order, kinds sorted)."""
        cats_b, shared = self.cats[b], self.kinds[a] & self.kinds[b]
        return Relation(
            matches=self.graph.pair(a, b) or 0,
            categories=tuple(c for c in self.tools[a].categories if c in cats_b),
            kinds=tuple(sorted(shared)) if shared else (),
        )

    def share_kind(self, a: str, b: str) -> bool:
        return not self.kinds[a].isdisjoint(self.kinds[b])

    def ranked(self, slug: str, among: Iterable[str]) -> list[str]:
        """`among` with a relation to `slug`, closest first: by match evidence, then shared
        categories, then shared kinds, then rank. Ordered by counts alone, so a catalogue of
        n tools makes no O(n^2) Relation objects; `of` gives the relation of those used."""
        cats_a, kinds_a, count = self.tools[slug].categories, self.kinds[slug], self.graph.pair
        keyed = []
        for o in among:
            if o == slug:
                continue
            cats_o = self.cats[o]
            key = (
                -(count(slug, o) or 0),
                -sum(1 for c in cats_a if c in cats_o),
                -len(kinds_a & self.kinds[o]),
            )
            if key != (0, 0, 0):
                rank = self.ranks.get(o)
                keyed.append((*key, -(rank if rank is not None else -1.0), o))
        keyed.sort()
        return [k[-1] for k in keyed]


@dataclass(frozen=True)
class PairPlan:
    """The pairs that get a page, and what the build report says about the others."""

    partners: dict[str, frozenset[str]]  # slug -> tools it has a comparison page with
    later: dict[str, tuple[str, ...]]  # slug -> its partners after it in slug order
    noindex: frozenset[tuple[str, str]]
    noindexed: tuple[tuple[str, str, str], ...]  # (a, b, reason)
    left_out: tuple[tuple[str, str, str], ...]  # pairs the rules picked but not built
    not_in_policy: int  # pairs no rule picked
    built: int
    tool_digest: dict[str, str] = field(default_factory=dict)  # slug -> its partners, hashed

    def has(self, a: str, b: str) -> bool:
        found = self.partners.get(a)
        return found is not None and b in found

    def indexed(self, a: str, b: str) -> bool:
        return self.has(a, b) and ((a, b) if a < b else (b, a)) not in self.noindex


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def chosen(policy: PairPolicy, slugs: list[str], rel: Relations) -> set[tuple[str, str]]:
    """Pairs the rules pick (before `include`, `exclude` and the thin gate)."""
    rules = set(policy.rules)
    if "all" in rules:
        return {(a, b) for i, a in enumerate(slugs) for b in slugs[i + 1 :]}
    picked: set[tuple[str, str]] = set()
    if "same-category" in rules:
        for members in rel.by_cat.values():
            ordered = sorted(members)
            picked.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    if "matched" in rules:
        picked.update(
            p for p, n in rel.graph.pair_counts.items() if n > 0 and set(p) <= rel.tools.keys()
        )
    if "top-k" in rules:
        for slug in slugs:
            for other in rel.ranked(slug, rel.neighbours(slug))[: policy.top_k]:
                picked.add(_pair(slug, other))
    return picked


def thin_reason(
    a: str, b: str, figures: Mapping[str, ToolFigures], rel: Relations, text: Mapping[str, int],
    min_words: int,
) -> str | None:  # fmt: skip
    """Why the pair is thin, or None: thin only when it lacks all three of a figure both
    publish on the same metric and setting, a shared capability kind, and enough text."""
    if not figures[a].by_key.keys().isdisjoint(figures[b].by_key.keys()):
        return None
    if rel.share_kind(a, b):
        return None
    count = text[a] + text[b]
    if count >= min_words:
        return None
    return (
        "thin: no figure on the same metric and setting, no shared capability kind, "
        f"{count} words of text (fewer than {min_words})"
    )


def plan_pairs(
    policy: PairPolicy, figures: Mapping[str, ToolFigures], rel: Relations
) -> PairPlan:  # fmt: skip
    slugs = sorted(rel.tools)
    picked = chosen(policy, slugs, rel)
    total = len(slugs) * (len(slugs) - 1) // 2
    included = {_pair(*p) for p in policy.include if p[0] != p[1]}
    excluded = {_pair(*p) for p in policy.exclude if p[0] != p[1]}
    not_in_policy = total - len(picked | included)
    left_out: list[tuple[str, str, str]] = []
    for a, b in sorted(excluded):
        if (a, b) in picked or (a, b) in included:
            left_out.append((a, b, "excluded in site.yaml (pairs.exclude)"))
    text = {s: words(rel.tools[s]) for s in slugs}
    noindex: set[tuple[str, str]] = set()
    noindexed: list[tuple[str, str, str]] = []
    built: set[tuple[str, str]] = set()
    for pair in sorted((picked | included) - excluded):
        reason = None
        if pair not in included:  # named in site.yaml: built as it is
            reason = thin_reason(*pair, figures, rel, text, policy.min_words)
        if reason and policy.thin == "skip":
            left_out.append((*pair, reason))
            continue
        if reason:
            noindex.add(pair)
            noindexed.append((*pair, reason))
        built.add(pair)
    partners: dict[str, set[str]] = {s: set() for s in slugs}
    for a, b in built:
        partners[a].add(b)
        partners[b].add(a)
    later = {s: tuple(sorted(o for o in partners[s] if o > s)) for s in slugs}
    digests = {}
    for s in slugs:
        h = hashlib.blake2b(digest_size=8)
        for o in sorted(partners[s]):
            h.update(f"{o}{'!' if _pair(s, o) in noindex else ''}|".encode())
        digests[s] = h.hexdigest()
    return PairPlan(
        partners={s: frozenset(p) for s, p in partners.items()},
        later=later,
        noindex=frozenset(noindex),
        noindexed=tuple(noindexed),
        left_out=tuple(sorted(left_out)),
        not_in_policy=not_in_policy,
        built=len(built),
        tool_digest=digests,
    )


def pair_problems(raw: RawContent, site: SiteConfig | None) -> list[Problem]:
    """`pairs.include` and `pairs.exclude` must name existing tools, two different ones."""
    if raw.site is None or site is None:
        return []
    doc, problems = raw.site, []
    for key in ("include", "exclude"):
        for i, pair in enumerate(getattr(site.pairs, key)):
            for j, slug in enumerate(pair):
                if slug not in raw.tool_slugs:
                    line, col = doc.mark(("pairs", key, i, j))
                    close = difflib.get_close_matches(slug, raw.tool_slugs, n=1, cutoff=0.6)
                    hint = f'; did you mean "{close[0]}"?' if close else ""
                    problems.append(
                        Problem(doc.display, line, col, f"pairs.{key}[{i}][{j}]",
                                f'unknown tool "{slug}"{hint}')
                    )  # fmt: skip
            if pair[0] == pair[1]:
                line, col = doc.mark(("pairs", key, i))
                message = f'a pair needs two different tools; got "{pair[0]}" twice'
                problems.append(Problem(doc.display, line, col, f"pairs.{key}[{i}]", message))
    return problems
