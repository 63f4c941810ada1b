"""Pages -> HTML: a page's variables (its context) and its template.

Rendering is views in, HTML out: the tool views and their pre-rendered pieces come from
`generator.views`, the Jinja2 environment from `generator.templating`, Markdown from
`generator.markdown_text`, share images from `generator.share_cards`. What a build reuses
from earlier builds is the build state's business (`generator.build_state`); it hands the
renderer a `Pieces` store to take pieces from and put new ones in.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator import __version__, seo
from generator.alternatives import alternatives
from generator.evidence import Row, head_to_head
from generator.markdown_text import MarkdownRenderer
from generator.match_basis import bases, bases_by_tool
from generator.matrix import matrix
from generator.metrics import EVIDENCE_SUBSCORES, fmt_number, plain_number
from generator.plan import Page, Site, digest
from generator.score import LABELS, SUBSCORES, TIMES_MATCHED
from generator.share_cards import ShareCards
from generator.tables import TABLE_ROWS, head_to_head_body, like_for_like_notes, table_body
from generator.templating import PAGE_TEMPLATES, Once, Templates
from generator.theme import ThemeFiles
from generator.verdict import Side, Verdict, verdict
from generator.views import Pieces, ToolPieces, facets


def _long_date(day: dt.date) -> str:
    """`18 Apr 2024`: unambiguous in any locale's reading order."""
    return f"{day.day} {day:%b %Y}"


class Renderer:
    """Renders any `Page` of a `Site`. Built once per build, reused for every page (and
    inherited by the forked workers)."""

    def __init__(
        self,
        site: Site,
        templates: Path,
        assets: dict[str, str],
        theme: ThemeFiles | None = None,
        store: Pieces | None = None,
    ) -> None:
        self.site = site
        self.theme = theme or ThemeFiles()
        self.assets = assets
        self.markdown = MarkdownRenderer()
        self.store = store or Pieces()
        # The parts every chart of 1 or 2 tools shares: (<svg> start tag, body).
        chart_static: dict[int, tuple[Markup, Markup]] = {}
        filters = {
            "fmt": fmt_number,
            "num": plain_number,
            "longdate": _long_date,
            "markdown": self.markdown,
        }
        self.templates = Templates(templates, filters, self._globals(chart_static))
        self.pieces = ToolPieces(
            site, self.templates, self.markdown, self.theme, self.store, chart_static
        )
        self.views = self.pieces.views
        self.cards = ShareCards(site, self.views, self.store)
        self.match_bases = bases_by_tool(site.catalog.matches)  # what each tool's count counts
        self.categories = self.pieces.categories
        self.ranked = frozenset(site.ranked)

    def _globals(self, chart_static: dict[int, tuple[Markup, Markup]]) -> dict[str, Any]:
        """What every template sees (docs/templates.md lists them)."""
        cfg = self.site.catalog.site
        site = self.site
        return dict(
            site=cfg,
            assets=self.assets,
            labels=LABELS,
            subscores=SUBSCORES,
            evidence_subscores=EVIDENCE_SUBSCORES,
            metrics=site.catalog.metrics,
            times_matched_scale=TIMES_MATCHED,
            version=__version__,
            compare_url=site.compare_url,
            has_page=site.has_page,
            indexed=site.indexed,
            rel_url=partial(seo.rel_url, seo.base_path(cfg.base_url)),
            table_rows=TABLE_ROWS,
            table_body=table_body,
            head_to_head_body=head_to_head_body,
            chart_metrics=seo.CHART_METRICS,
            chart=seo.CHART,
            json_ld=seo.json_ld,
            breadcrumb_ld=partial(seo.breadcrumb_list, cfg.base_url),
            tool_list_ld=self._tool_list_ld,
            website_ld=partial(seo.website, cfg),
            software_ld=partial(seo.software_application, cfg.base_url),
            chart_static=chart_static,
            theme_logo=self.theme.site_logo,
            footer_text=self.markdown(cfg.theme.footer_text) if cfg.theme.footer_text else None,
            once=Once(),
            facets=facets,
        )

    def output(self, page: Page) -> bytes:
        """The bytes of any output file: a page's HTML or a share image."""
        if page.kind.endswith("-share"):
            return self.cards.png(page)
        return self.render(page).encode()

    def side(self, slug: str) -> Side:
        e = self.site.entries[slug]
        return Side(name=e.tool.name, tool=e.tool, scores=e.scores)

    def rows(self, a: str, b: str) -> list[Row]:
        return head_to_head(self.site.entries[a].figures, self.site.entries[b].figures)

    def verdict(self, a: str, b: str, rows: list[Row] | None = None) -> Verdict:
        rows = self.rows(a, b) if rows is None else rows
        cfg = self.site.catalog.site
        return verdict(self.side(a), self.side(b), rows, cfg.verdict, cfg.capability_kinds)

    def _tool_list_ld(self, name: str, slugs: list[str]) -> Markup:
        """ItemList JSON-LD of tools, in the order given (listing pages)."""
        items = [(self.views[s].name, self.views[s].url) for s in slugs]
        return seo.item_list(self.site.catalog.site.base_url, name, items)

    # -- pages -------------------------------------------------------------------------

    def context(self, page: Page) -> dict[str, Any]:
        ctx: dict[str, Any] = {
            "page": page,
            "tools": self.views,
            "by_rank": self.site.by_rank,
            "ranked_slugs": self.ranked,
        }
        if page.kind == "compare":
            a, b = page.args
            rows = self.rows(a, b)
            va, vb = self.views[a], self.views[b]
            ctx.update(
                a=va,
                b=vb,
                rows=rows,
                notes=like_for_like_notes(va, vb),
                verdict=self.verdict(a, b, rows),
                pair_matches=self.site.graph.pair(a, b),
                matrix=matrix(va.tool, vb.tool, self.site.catalog.site.capability_kinds),
            )
        elif page.kind == "methodology":
            example = self.site.example
            ctx.update(
                example=self.views[example] if example else None,
                match_bases=bases(self.site.catalog.matches),
            )
        elif page.kind == "tool":
            slug = page.args[0]
            partners = self.site.pairs.partners[slug]
            ctx.update(
                t=self.views[slug],
                others=[s for s in self.site.slugs if s in partners],
                match_bases=self.match_bases.get(slug, ()),
            )
        elif page.kind == "alternatives":
            ctx.update(alternatives(self, page.args[0]))
        elif page.kind == "category":
            cat = self.categories[page.args[0]]
            members = [s for s in self.site.by_rank if cat.id in self.views[s].tool.categories]
            ctx.update(category=cat, members=members)
        return ctx

    def render(self, page: Page) -> str:
        return self.templates.render(self.templates.page(page.kind), self.context(page))

    def compile(self) -> None:
        """Compile every page template now (before a fork, so workers inherit them)."""
        for kind in PAGE_TEMPLATES:
            self.templates.page(kind)

    def warm(self) -> None:
        """Compile every page template and make every tool's view now (before a fork)."""
        self.compile()
        for slug in self.site.slugs:
            self.views[slug].column_html  # noqa: B018 - made now, inherited by workers


def asset_name(name: str, data: bytes) -> str:
    """`style.css` -> `style.<hash>.css`: content-addressed, so it can be cached for ever."""
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{digest(data.hex())[:10]}.{ext}"
