"""Catalog -> pages. Which pages exist, at which URL, and what each is made from.

Pages are produced lazily (`pages()` is a generator): 1,000 tools make 499,500 comparison
pages, and nothing downstream needs them all in memory at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from generator import __version__
from generator.evidence import ToolFigures, analyse
from generator.load import RawContent
from generator.match_basis import bases, bases_by_tool
from generator.matchgraph import MatchGraph, build_graph
from generator.models import Tool
from generator.pairs import ALTERNATIVES, PairPlan, Relation, Relations, plan_pairs
from generator.problems import ContentError, Problem
from generator.score import Scores, score_tool
from generator.validate import Catalog

STATIC_KINDS = ("home", "compare-index", "methodology", "search", "404")

Related = tuple[tuple[str, Relation], ...]


@dataclass(frozen=True)
class Entry:
    """A tool with its counted figures, its scores and the other tools its pages suggest:
    `related`, tools it has a comparison page with, and `alternatives`, any tool it has
    something in common with; both closest first (see `generator.pairs`)."""

    slug: str
    tool: Tool
    figures: ToolFigures
    scores: Scores
    related: Related
    alternatives: Related = ()


@dataclass(frozen=True)
class Site:
    """Everything pages are made from, after scoring."""

    catalog: Catalog
    entries: dict[str, Entry]  # slug order
    slugs: tuple[str, ...]
    by_rank: tuple[str, ...]  # highest rank first; unranked tools last, in slug order
    graph: MatchGraph
    pairs: PairPlan
    digests: dict[str, str] = field(default_factory=dict)  # tool file digests, for the cache

    @property
    def ranked(self) -> tuple[str, ...]:
        return tuple(s for s in self.by_rank if self.entries[s].scores.rank is not None)

    @property
    def unranked(self) -> tuple[str, ...]:
        return tuple(s for s in self.by_rank if self.entries[s].scores.rank is None)

    def has_page(self, a: str, b: str) -> bool:
        """Whether the comparison of `a` and `b` (either order) is built as a page.

        Every link to a comparison asks this first, so a pair the site leaves out is never
        linked, listed in the sitemap or redirected to. A noindexed page is built: it has a
        page (see `indexed`).
        """
        return self.pairs.has(a, b)

    def indexed(self, a: str, b: str) -> bool:
        """Whether the comparison of `a` and `b` is built and open to search engines (in
        the sitemap, no `noindex`): a thin pair may be built but kept out of the index."""
        return self.pairs.indexed(a, b)

    @property
    def nested(self) -> bool:
        return self.catalog.site.hosting.layout == "nested"

    def compare_url(self, a: str, b: str) -> str:
        """The comparison page's URL in this site's layout, tools in slug order."""
        a, b = sorted((a, b))
        return pair_url(a, b, self.nested)

    @property
    def example(self) -> str | None:
        """The tool the methodology page works through: the one site.yaml names, else the
        first ranked tool in slug order, else the first tool."""
        named = self.catalog.site.ranking.example
        if named in self.entries:
            return named
        ranked = [s for s in self.slugs if self.entries[s].scores.rank is not None]
        candidates = ranked or list(self.slugs)
        return candidates[0] if candidates else None


@dataclass(frozen=True)
class Page:
    """One output file: its kind (which template), URL and the slugs/ids it is about."""

    kind: str
    url: str
    args: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """File path under the output folder."""
        if self.url.endswith("/"):
            return self.url.lstrip("/") + "index.html"
        return self.url.lstrip("/")


def share_page(page: Page) -> Page | None:
    """The share image that goes with a comparison or tool page."""
    if page.kind == "tool":
        return Page(f"{page.kind}-share", page.url + "share.png", page.args)
    return None


def compare_url(a: str, b: str) -> str:
    """A comparison page's URL in the flat layout, tools in slug order."""
    a, b = sorted((a, b))
    return f"/compare/{a}-vs-{b}/"


def pair_url(first: str, second: str, nested: bool) -> str:
    """The URL naming `first` and `second` in this order (a reversed URL when out of order):
    /compare/<first>-vs-<second>/, or under /compare/<first>/ in the nested layout."""
    if nested:
        return f"/compare/{first}/{first}-vs-{second}/"
    return f"/compare/{first}-vs-{second}/"


def assemble(catalog: Catalog) -> Site:
    """Score every tool, decide which pairs get a page, and fix the orderings every page
    shares."""
    graph = build_graph(catalog.matches)
    slugs = sorted(catalog.tools)
    limit = catalog.site.related_links
    figures = {s: analyse(catalog.tools[s], catalog.metrics, catalog.today) for s in slugs}
    scores = {s: score_tool(figures[s], graph.times_matched(s), catalog.site) for s in slugs}
    relations = Relations(catalog.tools, graph, {s: scores[s].rank for s in slugs})
    plan = plan_pairs(catalog.site.pairs, figures, relations)
    entries = {}
    for slug in slugs:
        close = relations.ranked(slug, relations.neighbours(slug))
        partners = plan.partners[slug]
        related = list(islice((o for o in close if o in partners), limit))
        entries[slug] = Entry(
            slug=slug,
            tool=catalog.tools[slug],
            figures=figures[slug],
            scores=scores[slug],
            related=tuple((o, relations.of(slug, o)) for o in related),
            alternatives=tuple((o, relations.of(slug, o)) for o in close[:ALTERNATIVES]),
        )

    def rank_key(slug: str) -> tuple[int, float, str]:
        r = entries[slug].scores.rank
        return (r is None, -(r or 0.0), slug)

    return Site(
        catalog=catalog,
        entries=entries,
        slugs=tuple(slugs),
        by_rank=tuple(sorted(slugs, key=rank_key)),
        graph=graph,
        pairs=plan,
    )


def check_urls(site: Site, raw: RawContent | None = None) -> None:
    """Two different pairs must never share a URL.

    `a-vs-b` can only equal `c-vs-d` when a slug has "vs" as one of its words, so only
    pairs touching such slugs are checked: exact, and cheap at any catalogue size.
    """
    risky = [s for s in site.slugs if "vs" in s.split("-")]
    seen: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for r in risky:
        for other in site.slugs:
            if other == r:
                continue
            pair = tuple(sorted((r, other)))
            url = compare_url(*pair)
            if url in seen and seen[url] != pair:
                first = seen[url]
                where = raw.tools[r].display if raw and r in raw.tools else f"tools/{r}.yaml"
                problems.append(
                    Problem(
                        where,
                        1,
                        1,
                        "",
                        f"comparison URL {url} is made by both {first[0]} + {first[1]} and "
                        f"{pair[0]} + {pair[1]}; rename one slug so it does not contain "
                        '"-vs-"',
                    )
                )
            seen.setdefault(url, pair)  # type: ignore[arg-type]
    if problems:
        raise ContentError(problems)


def pages(site: Site) -> Iterator[Page]:
    """Every page of the site, listings first, comparison pages last (the bulk)."""
    yield from listing_pages(site)
    for a in site.slugs:
        for b in site.pairs.later[a]:
            yield Page("compare", pair_url(a, b, site.nested), (a, b))


def listing_pages(site: Site) -> Iterator[Page]:
    """Every page that is not a comparison: O(tools), tracked page by page."""
    yield Page("home", "/")
    yield Page("compare-index", "/compare/")
    yield Page("methodology", "/methodology/")
    if site.catalog.site.search_index:
        yield Page("search", "/search/")
    yield Page("404", "/404.html")
    for cat in site.catalog.site.categories:
        yield Page("category", f"/categories/{cat.id}/", (cat.id,))
    for slug in site.slugs:
        yield Page("tool", f"/tools/{slug}/", (slug,))
    for slug in site.slugs:
        yield Page("alternatives", f"/alternatives/{slug}/", (slug,))


def static_pages(site: Site) -> int:
    """How many of the STATIC_KINDS pages the site has (no search page without search)."""
    return len(STATIC_KINDS) - (0 if site.catalog.site.search_index else 1)


def page_count(site: Site) -> int:
    n = len(site.slugs)
    return static_pages(site) + len(site.catalog.site.categories) + 2 * n + site.pairs.built


def digest(*parts: str) -> str:
    """Short stable hash used for fingerprints and asset names."""
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


class Fingerprints:
    """The fingerprint of each page: a hash of everything the page is made from.

    Tool-level hashes are computed once; a page's fingerprint combines those of the tools it
    shows, the site configuration, the templates it uses and the generator version.
    """

    def __init__(
        self,
        site: Site,
        template_fps: dict[str, str],
        assets_fp: str,
        share_keys: dict[str, str] | None = None,
    ) -> None:
        self.site = site
        # A share image shows less than the page: key it by what it shows, so editing a
        # capability does not redraw images.
        self.share_keys = share_keys or {}
        self.templates = template_fps
        config = site.catalog.site.model_dump(mode="json")
        self.base = digest(__version__, _dump(config), assets_fp)
        self.tool: dict[str, str] = {}
        matches = site.catalog.matches
        per_tool = bases_by_tool(matches)
        for slug, e in site.entries.items():
            # Which pairs a tool has pages in (and which are noindexed) shows on its pages.
            self.tool[slug] = digest(
                slug,
                _dump(e.tool.model_dump(mode="json")),
                repr(e.scores),
                repr(e.related),
                repr(per_tool.get(slug, ())),  # the tool page says what its matches count
                site.pairs.tool_digest[slug],
            )
        self.match_bases = digest(repr(bases(matches)))
        names = {s: e.tool.name for s, e in site.entries.items()}
        self.names = digest(_dump(names))
        self.with_related = {
            slug: digest(self.tool[slug], _dump([names[r] for r, _ in e.related]))
            for slug, e in site.entries.items()
        }
        self.listing = digest(_dump(self.tool))
        self.kinds = {kind: digest(self.base, fp) for kind, fp in template_fps.items()}

    def inputs(self) -> dict[str, Any]:
        """What the manifest keeps instead of one fingerprint per comparison page: the
        per-kind and per-tool fingerprints that comparison pages and images derive from."""
        site = self.site
        dates = [(s, site.entries[s].tool.checked.isoformat()) for s in site.slugs]
        cats = [c.id for c in site.catalog.site.categories]
        return {
            "base": self.base,
            "kinds": dict(self.kinds),
            "tools": dict(self.with_related),
            "share": dict(self.share_keys) if site.catalog.site.share_images else {},
            "sitemap": digest(
                site.catalog.site.base_url,
                site.catalog.site.hosting.layout,
                str(site.catalog.site.search_index),  # lists /search/ or not
                _dump(cats),
                _dump(dates),
                *(site.pairs.tool_digest[s] for s in site.slugs),
            ),
            "layout": site.catalog.site.hosting.layout,
        }

    def of(self, page: Page) -> str:
        if page.kind.endswith("-share"):
            return digest(self.base, "share", *(self.share_keys[s] for s in page.args))
        # Comparison pages are not fingerprinted one by one: PairDelta decides them.
        kind_fp = self.kinds[page.kind]
        if page.kind == "tool":
            return digest(kind_fp, self.tool[page.args[0]], self.names)
        if page.kind == "category":
            cat = page.args[0]
            members = [s for s in self.site.slugs if cat in self.site.entries[s].tool.categories]
            return digest(kind_fp, cat, *(self.tool[s] for s in members))
        if page.kind == "alternatives":  # shows each alternative's rank, price, capabilities
            alternatives = self.site.entries[page.args[0]].alternatives
            return digest(
                kind_fp, self.tool[page.args[0]], repr(alternatives),
                *(self.tool[s] for s, _ in alternatives),
            )  # fmt: skip
        if page.kind == "methodology":  # works one tool's figures through to its rank
            example = self.site.example
            return digest(kind_fp, self.tool[example] if example else "", self.match_bases)
        if page.kind == "404":
            return kind_fp
        return digest(kind_fp, self.listing)
