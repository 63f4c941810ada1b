"""Catalog -> pages. Which pages exist, at which URL, and what each is made from.

Pages are produced lazily (`pages()` is a generator): 1,000 tools make 499,500 comparison
pages, and nothing downstream needs them all in memory at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator import __version__
from generator.evidence import ToolFigures, analyse
from generator.load import RawContent
from generator.match_basis import bases, bases_by_tool
from generator.matchgraph import MatchGraph, build_graph, related
from generator.models import Tool
from generator.problems import ContentError, Problem
from generator.score import Scores, score_tool
from generator.validate import Catalog

STATIC_KINDS = ("home", "compare-index", "methodology", "search", "404")


@dataclass(frozen=True)
class Entry:
    """A tool with its counted figures, its scores and the other tools its pages suggest."""

    slug: str
    tool: Tool
    figures: ToolFigures
    scores: Scores
    related: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    """Everything pages are made from, after scoring."""

    catalog: Catalog
    entries: dict[str, Entry]  # slug order
    slugs: tuple[str, ...]
    by_rank: tuple[str, ...]  # highest rank first; unranked tools last, in slug order
    graph: MatchGraph
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
        linked. Today every pair of two different tools is built.
        """
        return a != b and a in self.entries and b in self.entries

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
    a, b = sorted((a, b))
    return f"/compare/{a}-vs-{b}/"


def assemble(catalog: Catalog) -> Site:
    """Score every tool and fix the orderings every page shares."""
    graph = build_graph(catalog.matches)
    slugs = sorted(catalog.tools)
    limit = catalog.site.related_links
    entries = {}
    for slug in slugs:
        figures = analyse(catalog.tools[slug], catalog.metrics, catalog.today)
        entries[slug] = Entry(
            slug=slug,
            tool=catalog.tools[slug],
            figures=figures,
            scores=score_tool(figures, graph.times_matched(slug), catalog.site),
            related=tuple(related(slug, slugs, graph, limit)),
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
    slugs = site.slugs
    for i, a in enumerate(slugs):
        for b in slugs[i + 1 :]:
            yield Page("compare", f"/compare/{a}-vs-{b}/", (a, b))


def listing_pages(site: Site) -> Iterator[Page]:
    """Every page that is not a comparison: O(tools), tracked page by page."""
    yield Page("home", "/")
    yield Page("compare-index", "/compare/")
    yield Page("methodology", "/methodology/")
    yield Page("search", "/search/")
    yield Page("404", "/404.html")
    for cat in site.catalog.site.categories:
        yield Page("category", f"/categories/{cat.id}/", (cat.id,))
    for slug in site.slugs:
        yield Page("tool", f"/tools/{slug}/", (slug,))


def pair_pages(a: str, b: str) -> tuple[Page, Page]:
    """A comparison page and its share image."""
    a, b = sorted((a, b))
    url = f"/compare/{a}-vs-{b}/"
    return Page("compare", url, (a, b)), Page("compare-share", url + "share.png", (a, b))


@dataclass(frozen=True)
class PairDelta:
    """Which comparison pages (and images) a build must write or remove.

    Comparison pages are the n(n-1)/2 bulk, so they are not tracked one by one: a pair's
    page is current when the comparison template and both tools' fingerprints are as they
    were, and its image when both tools' share keys are. Comparing O(tools) fingerprints
    tells which pairs to write, so an edit to one tool touches only its n-1 pairs and a
    build with no change looks at no pair at all.
    """

    slugs: tuple[str, ...]
    html_all: bool
    image_all: bool
    html_tools: frozenset[str]
    image_tools: frozenset[str]
    removed_tools: frozenset[str]
    old_slugs: tuple[str, ...]
    images: bool = True
    drop_images: bool = False  # share images were switched off: remove every pair's image

    @classmethod
    def between(cls, old: dict[str, Any] | None, new: dict[str, Any]) -> PairDelta:
        slugs = tuple(sorted(new["tools"]))
        images = bool(new["share"])
        if old is None:
            return cls(slugs, True, images, frozenset(), frozenset(), frozenset(), (), images)
        html_all = old["kinds"].get("compare") != new["kinds"]["compare"]
        image_all = images and old["base"] != new["base"]
        html = frozenset(s for s in slugs if old["tools"].get(s) != new["tools"][s])
        image = frozenset(s for s in slugs if images and old["share"].get(s) != new["share"][s])
        removed = frozenset(old["tools"]) - frozenset(slugs)
        old_slugs = tuple(sorted(old["tools"]))
        drop = bool(old["share"]) and not images
        return cls(slugs, html_all, image_all, html, image, removed, old_slugs, images, drop)

    def to_write(self) -> Iterator[Page]:
        """Pages and images to render, each pair visited once."""
        everything = self.html_all or self.image_all
        touched = self.html_tools | self.image_tools
        for i, a in enumerate(self.slugs):
            if not everything and a not in touched:
                continue
            for b in self.slugs if not everything else self.slugs[i + 1 :]:
                if b == a or (not everything and b in touched and b < a):
                    continue
                page, image = pair_pages(a, b)
                if self.html_all or a in self.html_tools or b in self.html_tools:
                    yield page
                if self.image_all or a in self.image_tools or b in self.image_tools:
                    yield image

    def count(self) -> int:
        """How many comparison pages `to_write` yields (for progress bars)."""
        n = len(self.slugs)
        if self.html_all:
            return n * (n - 1) // 2
        k = len(self.html_tools)
        return k * (n - 1) - k * (k - 1) // 2

    def to_remove(self) -> Iterator[str]:
        """Output paths of pairs whose tool is gone (and of every pair's image, when
        share images were switched off)."""
        if self.drop_images:
            for i, a in enumerate(self.old_slugs):
                for b in self.old_slugs[i + 1 :]:
                    yield pair_pages(a, b)[1].path
        for r in sorted(self.removed_tools):
            for other in self.old_slugs:
                if other == r or (other in self.removed_tools and other < r):
                    continue
                for page in pair_pages(r, other):
                    yield page.path


def page_count(site: Site) -> int:
    n = len(site.slugs)
    return len(STATIC_KINDS) + len(site.catalog.site.categories) + n + n * (n - 1) // 2


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
            self.tool[slug] = digest(
                slug,
                _dump(e.tool.model_dump(mode="json")),
                repr(e.scores),
                repr(e.related),
                repr(per_tool.get(slug, ())),  # the tool page says what its matches count
            )
        self.match_bases = digest(repr(bases(matches)))
        names = {s: e.tool.name for s, e in site.entries.items()}
        self.names = digest(_dump(names))
        self.with_related = {
            slug: digest(self.tool[slug], _dump([names[r] for r in e.related]))
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
            "sitemap": digest(site.catalog.site.base_url, _dump(cats), _dump(dates)),
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
        if page.kind == "methodology":  # works one tool's figures through to its rank
            example = self.site.example
            return digest(kind_fp, self.tool[example] if example else "", self.match_bases)
        if page.kind == "404":
            return kind_fp
        return digest(kind_fp, self.listing)
