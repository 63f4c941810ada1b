"""What templates see of a tool (`ToolView`), and the per-tool pieces behind it.

A tool appears on all n-1 of its comparison pages, so everything about it that does not
depend on the other tool is made once per build: its summary and capability section
(`heavy`, Markdown), its table cells, row halves, chart bars and related links (`light`),
each identified by a key of everything it shows, so the build state can keep them between
builds and say why one was made again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.evidence import ToolFigures
from generator.markdown_text import MarkdownRenderer
from generator.models import Tool
from generator.monogram import hue, initials
from generator.pairs import Relation, reason
from generator.plan import Site, digest
from generator.score import Scores, unranked_reason
from generator.site_models import Category
from generator.state import fingerprint
from generator.tables import TABLE_ROWS, EvidenceRow, evidence_rows, key_id
from generator.templating import Templates
from generator.theme import Logo, ThemeFiles
from generator.verdict import price_label


@dataclass
class ToolView:
    """What templates see of a tool. Cheap parts are filled in at once; the Markdown-heavy
    summary and capability section are rendered on first use (or taken from the fragment
    cache), once per build, so a build with nothing to render never pays for them."""

    slug: str
    name: str
    tool: Tool
    scores: Scores
    url: str
    price: str
    categories: list[Category]
    related: list[tuple[str, str, str]]  # (name, compare url, why they are related)
    evidence: list[EvidenceRow]
    figures: ToolFigures
    heavy: Callable[[str], tuple[str, str]] | None = None
    cells: dict[str, Markup] = field(default_factory=dict)  # comparison-table cell contents
    basis: Markup = field(default=Markup(""))  # what the rank rests on
    related_items: list[tuple[str, Markup]] = field(default_factory=list)  # (url, <li>)
    # Score-chart bars as first and second tool of a pair, and alone (tool page); the
    # chart's text alternative. Pages only wrap and join them.
    chart: tuple[Markup, Markup, Markup] = (Markup(""), Markup(""), Markup(""))
    chart_text: Markup = field(default=Markup(""))
    # Head-to-head pieces per key_id: (row start with its header, cell, cell marked better).
    h2h: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    unranked: str | None = None  # why the tool has no rank
    # How the tool is shown and linked (see Tool.short_name, logo, links).
    short_name: str = ""
    logo: Logo | None = None  # None: no logo; the theme draws its own fallback
    links: dict[str, str | None] = field(default_factory=dict)  # official, pricing, docs, affiliate

    # Table row halves: template output kept as plain str so joining them per page is a
    # plain string concatenation (Markup's + would re-check every piece).
    row_first: dict[str, str] = field(default_factory=dict)
    row_second: dict[str, str] = field(default_factory=dict)
    column: Callable[[ToolView], str] | None = None
    _column_html: Markup | None = None

    @property
    def once_key(self) -> str:
        """How `once()` tells tool views apart: by slug."""
        return self.slug

    def shown(self, name: str) -> int | None:
        return self.scores.shown(name)

    @property
    def monogram(self) -> tuple[str, int]:
        """(initials, hue class) of the badge shown in place of a logo."""
        return initials(self.name), hue(self.slug)

    def related_html(self, exclude: str) -> Markup:
        """The "more with this tool" links, less the page being rendered."""
        return Markup("\n".join(item for url, item in self.related_items if url != exclude))

    @property
    def column_html(self) -> Markup:
        """Summary and capability section as a page column, joined once per process."""
        if self._column_html is None:
            assert self.column is not None
            self._column_html = Markup(self.column(self))
        return self._column_html

    @property
    def summary_html(self) -> Markup:
        assert self.heavy is not None
        return Markup(self.heavy(self.slug)[0])

    @property
    def capabilities_html(self) -> Markup:
        assert self.heavy is not None
        return Markup(self.heavy(self.slug)[1])


def facets(*views: ToolView) -> tuple[list[str], list[str], list[str]]:
    """What the search index files a page about these tools under: their category names and
    types (each once, in order, compared without case, as Jinja's `unique` does) and their
    pricing plans (one per tool)."""
    names = _unique(c.name for v in views for c in v.categories)
    types = _unique(v.tool.type.value for v in views)
    return names, types, [v.tool.pricing.plan.value for v in views]


def _unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        if value.lower() not in seen:
            seen.add(value.lower())
            out.append(value)
    return out


def outbound_links(tool: Tool) -> dict[str, str | None]:
    """Where a reader goes next; official and pricing default to `website` and
    `pricing.url`, so older tool files need no change."""
    links = tool.links
    return {
        "official": links.official or tool.website,
        "pricing": links.pricing or tool.pricing.url,
        "docs": links.docs,
        "affiliate": links.affiliate,
    }


def _subtitle(tool: Tool) -> str:
    return f"{tool.type.value} · {tool.vendor}"


def subtitle(tool: Tool) -> str:
    return f"{tool.type.value} · {tool.vendor}"


class Views(Mapping[str, "ToolView"]):
    """Tool views by slug, each made on first use: a build with nothing to render (or
    only a few pages) does not pay for every tool's pre-rendered pieces."""

    def __init__(self, slugs: tuple[str, ...], make: Callable[[str], ToolView]) -> None:
        self._slugs = slugs
        self._known = set(slugs)
        self._make = make
        self._views: dict[str, ToolView] = {}

    def __getitem__(self, slug: str) -> ToolView:
        view = self._views.get(slug)
        if view is None:
            if slug not in self._known:
                raise KeyError(slug)
            view = self._views[slug] = self._make(slug)
        return view

    def __iter__(self) -> Iterator[str]:
        return iter(self._slugs)

    def __len__(self) -> int:
        return len(self._slugs)


@dataclass
class Pieces:
    """Per-tool pieces by key: what this build made or took over from the last one. The
    build state fills it from its caches before rendering and saves it afterwards."""

    fragments: dict[str, tuple[str, str]] = field(default_factory=dict)  # by heavy_key
    light: dict[str, dict[str, Any]] = field(default_factory=dict)  # by light_key
    share_bands: dict[str, Any] = field(default_factory=dict)  # by share_key (share.Band pairs)
    light_made: int = 0  # light pieces made by this build (not taken from a cache)
    light_loaded: int = 0  # light pieces found in the caches


class ToolPieces:
    """Makes tool views and their pieces, each at most once per build (see `Pieces`)."""

    def __init__(
        self,
        site: Site,
        templates: Templates,
        markdown: MarkdownRenderer,
        theme: ThemeFiles,
        store: Pieces,
        chart_static: dict[int, tuple[Markup, Markup]],
    ) -> None:
        self.site = site
        self.templates = templates
        self.markdown = markdown
        self.theme = theme
        self.store = store
        self.chart_static = chart_static  # filled when the per-tool macros are loaded
        self.categories = {c.id: c for c in site.catalog.site.categories}
        self._parts_module: Any = None
        self._capabilities_template: Any = None
        self._heavy_keys: dict[str, str] = {}
        self._fragment_fp = templates.closure_fp(["fragments/capabilities.html"])
        self._parts_fp = templates.closure_fp(["fragments/parts.html"])
        # Per-tool pieces show metric labels and units and the ranking thresholds: config.
        self._config_fp = digest(site.catalog.site.model_dump_json())
        self.views = Views(site.slugs, self.view)

    def heavy_key(self, slug: str) -> str:
        """Identifies a tool's heavy fragments: its data and the templates that draw them."""
        key = self._heavy_keys.get(slug)
        if key is None:
            tool = self.site.entries[slug].tool
            key = digest(fingerprint(), self._fragment_fp, slug, tool.model_dump_json())
            self._heavy_keys[slug] = key
        return key

    def heavy(self, slug: str) -> tuple[str, str]:
        """(summary HTML, capability section HTML), rendered at most once per build."""
        key = self.heavy_key(slug)
        parts = self.store.fragments.get(key)
        if parts is None:
            view = self.views[slug]
            summary = str(self.markdown(view.tool.summary))
            if self._capabilities_template is None:
                self._capabilities_template = self.templates.load("fragments/capabilities.html")
            parts = (summary, self.templates.render(self._capabilities_template, {"t": view}))
            self.store.fragments[key] = parts
        return parts

    def view(self, slug: str) -> ToolView:
        entry = self.site.entries[slug]
        tool = entry.tool
        figures = entry.figures
        evidence = evidence_rows(tool, figures, self.site.catalog.metrics)
        cats = {c.id: c for c in self.site.catalog.site.categories}
        view = ToolView(
            slug=slug,
            name=tool.name,
            tool=tool,
            scores=entry.scores,
            url=f"/tools/{slug}/",
            price=price_label(tool.pricing),
            heavy=self.heavy,
            categories=[cats[c] for c in tool.categories if c in cats],
            related=[
                (self.site.entries[r].tool.name, self.site.compare_url(slug, r), self.why(rel))
                for r, rel in entry.related
            ],
            evidence=evidence,
            figures=figures,
            unranked=unranked_reason(
                entry.scores.figures, len(entry.scores.with_figures), self.site.catalog.site
            )
            if entry.scores.rank is None
            else None,
            short_name=tool.short_name or tool.name,
            logo=self.theme.logos.get(slug),
            links=outbound_links(tool),
        )
        key = self.light_key(slug)
        light = self.store.light.get(key)
        if light is None:
            light = self.store.light[key] = self._light_parts(view)
            self.store.light_made += 1
        view.cells = {m: Markup(v) for m, v in light["cells"].items()}
        view.row_first = dict(light["row_first"])
        view.row_second = dict(light["row_second"])
        view.column = self._column
        view.basis = Markup(light["basis"])
        view.related_items = [(url, Markup(item)) for url, item in light["related"]]
        first, second, alone = light["chart"]
        view.chart = (Markup(first), Markup(second), Markup(alone))
        view.chart_text = Markup(light["chart_text"])
        view.h2h = {k: (v[0], v[1], v[2]) for k, v in light["h2h"].items()}
        return view

    def light_key(self, slug: str) -> str:
        """Identifies a tool's small per-tool pieces: its data, scores, the names of the
        tools it links to, and the macros that draw them."""
        entry = self.site.entries[slug]
        names = [self.site.entries[r].tool.name for r, _ in entry.related]
        return digest(
            self.heavy_key(slug),
            self._parts_fp,
            self._config_fp,
            repr(entry.scores),
            repr(names),
            repr(entry.related),
        )

    def why(self, rel: Relation) -> str:
        """Why two tools are related, in words, with the site's category and kind names."""
        kinds = {k.id: k.name for k in self.site.catalog.site.capability_kinds}
        return reason(rel, {c: self.categories[c].name for c in self.categories}, kinds)

    def _light_parts(self, view: ToolView) -> dict[str, Any]:
        """Table cells and row halves, rank basis, related links and chart bars (as plain
        strings, so they can be cached between builds)."""
        parts = self._parts
        cells = {m: str(parts.cell(view, m)) for m, _ in TABLE_ROWS}
        view.cells = {m: Markup(v) for m, v in cells.items()}  # the row halves embed them
        return {
            "cells": cells,
            "row_first": {m: str(parts.row_first(m, label, view)) for m, label in TABLE_ROWS},
            "row_second": {m: str(parts.row_second(m, view)) for m, _ in TABLE_ROWS},
            "basis": str(parts.basis(view)),
            "related": [
                [url, str(parts.related_item(view, name, url, why))]
                for name, url, why in view.related
            ],
            "chart": [str(parts.chart_bars(view, i, n)) for i, n in ((0, 2), (1, 2), (0, 1))],
            "chart_text": str(parts.chart_text(view)),
            "h2h": {
                key_id(k): [
                    str(parts.h2h_head(c)),
                    str(parts.h2h_cell(view, c, False)),
                    str(parts.h2h_cell(view, c, True)),
                ]
                for k, c in view.figures.by_key.items()
            },
        }

    def _column(self, view: ToolView) -> str:
        return str(self._parts.column(view))

    @property
    def _parts(self) -> Any:
        """The per-tool macros (and the charts' shared pieces), loaded on first use."""
        if self._parts_module is None:
            self._parts_module = self.templates.load("fragments/parts.html").module
            for n in (1, 2):
                self.chart_static[n] = (
                    Markup(self._parts_module.chart_open(n)),
                    Markup(self._parts_module.chart_static(n)),
                )
        return self._parts_module
