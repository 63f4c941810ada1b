"""Pages -> HTML. The Jinja2 environment, the Markdown filter, and per-tool fragments.

A tool's summary and capability section appear on all n-1 of its comparison pages, so they
are rendered once per build (`ToolView`) and dropped into each page as ready markup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import markdown as md
import nh3
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
)
from markupsafe import Markup

from generator import __version__, seo, share
from generator.alternatives import alternatives
from generator.bundled import find_template, search_path
from generator.evidence import Row, ToolFigures, head_to_head
from generator.match_basis import bases, bases_by_tool
from generator.matrix import matrix
from generator.metrics import EVIDENCE_SUBSCORES, fmt_number, plain_number
from generator.models import Category, Tool
from generator.monogram import hue, initials
from generator.pairs import Relation, reason
from generator.plan import Page, Site, digest
from generator.problems import TemplateProblem
from generator.score import LABELS, SUBSCORES, TIMES_MATCHED, Scores, unranked_reason
from generator.state import fingerprint
from generator.tables import (
    TABLE_ROWS,
    EvidenceRow,
    evidence_rows,
    head_to_head_body,
    key_id,
    like_for_like_notes,
    table_body,
)
from generator.theme import Logo, ThemeFiles
from generator.verdict import Side, Verdict, price_label, verdict

PAGE_TEMPLATES = {
    "home": "home.html",
    "compare-index": "compare_index.html",
    "methodology": "methodology.html",
    "search": "search.html",
    "404": "404.html",
    "category": "category.html",
    "tool": "tool.html",
    "alternatives": "alternatives.html",
    "compare": "compare.html",
}
# Templates rendered per tool (not per page) whose output pages of each kind embed.
_PER_TOOL = ["fragments/capabilities.html", "fragments/parts.html"]
FRAGMENTS = {kind: _PER_TOOL for kind in PAGE_TEMPLATES}

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong",
    "sub", "sup", "ul", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process, checked against each template's
    source checksum by Jinja: `serve` and the tests make many renderers over the same
    templates, and compiling them is most of a small build's cost."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Any) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


class _Template(Template):
    """A template whose `{% from ... import %}` reuses the imported module without first
    comparing the page's globals with the imported template's through a ChainMap key view
    (which costs more than the rest of a small page). The comparison only decides whether
    the importing page has globals the imported template lacks; every template here shares
    one environment's globals, so that is known once per template, and Jinja's own path is
    taken whenever it is not so."""

    def _get_default_module(self, ctx: Any = None) -> Any:
        if ctx is not None:
            own = self.__dict__.get("_own_globals")
            if own is None:
                own = self.__dict__["_own_globals"] = frozenset(self.globals)
            if not ctx.globals_keys <= own:
                return super()._get_default_module(ctx)
        return super()._get_default_module(None)


# Text that Markdown would only wrap in paragraphs: none of the characters that start
# markup, an entity or an escape, and no line that could open a list, a quote, a heading, a
# code block or end in a hard break. Most capability texts are like this, and Markdown takes
# about a millisecond for each; for these the result is the same text in <p> elements.
_MARKUP_CHARS = re.compile(
    r"[\\`*_\[\]<>&#!|~={}\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00a0\u2028\u2029]"
)
_RISKY_LINE = re.compile(r"^(?:[ +\-]|\d+[.)])|[ ]$", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


# Python-Markdown's inline patterns (3.x names), and the characters one of which must be in
# the text for the pattern to match. A pattern not named here is always kept.
_TRIGGERS = {
    "backtick": "`",
    "escape": "\\",
    "reference": "[",
    "link": "[",
    "image_link": "[",
    "image_reference": "[",
    "short_reference": "[",
    "short_image_ref": "[",
    "autolink": "<",
    "automail": "<",
    "html": "<",
    "linebreak": "\n",
    "entity": "&",
    "em_strong": "*_",
}


def _plain_paragraphs(text: str) -> str | None:
    """The HTML of `text` when it is plain paragraphs (see above), else None."""
    text = text.strip("\n")
    if not text or _MARKUP_CHARS.search(text) or _RISKY_LINE.search(text):
        return None
    return "\n".join(f"<p>{para}</p>" for para in _PARAGRAPH_BREAK.split(text))


class MarkdownRenderer:
    """Markdown -> sanitised HTML. Raw HTML and `javascript:` links never survive."""

    def __init__(self) -> None:
        self._md = self._markdown(frozenset())
        self._by_absent: dict[frozenset[str], md.Markdown] = {frozenset(): self._md}

    @staticmethod
    def _markdown(absent: frozenset[str]) -> md.Markdown:
        """A Markdown converter without the inline patterns named in `absent`."""
        converter = md.Markdown(extensions=["sane_lists"], output_format="html")
        for name in absent:
            converter.inlinePatterns.deregister(name, strict=False)
        return converter

    def __call__(self, text: str) -> Markup:
        plain = _plain_paragraphs(text)
        if plain is not None:
            return Markup(plain)
        # Markdown tries each of its inline patterns over every stretch of text; a pattern
        # whose first character is not in the text cannot match, so leaving it out changes
        # nothing but the time (most texts use one or two kinds of markup).
        absent = frozenset(n for n, chars in _TRIGGERS.items() if not any(c in text for c in chars))
        converter = self._by_absent.get(absent)
        if converter is None:
            converter = self._by_absent[absent] = self._markdown(absent)
        converter.reset()
        return self.sanitised(converter.convert(text))

    @staticmethod
    def sanitised(html: str) -> Markup:
        """Only the tags, attributes and URL schemes a text field may use."""
        clean = nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
        return Markup(clean)


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


def _fmt_value(value: float) -> str:
    return fmt_number(value)


def _long_date(day: dt.date) -> str:
    """`18 Apr 2024`: unambiguous in any locale's reading order."""
    return f"{day.day} {day:%b %Y}"


_REFERENCE_TAG = re.compile(
    r"{%-?\s*(?:extends|include|import|from)\s+(.+?)"
    r"(?:\s+(?:import|as|ignore|with|without)\b.*?)?\s*-?%}",
    re.S,
)
_LITERAL = re.compile(r"""(["'])([^"']+)\1""")


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


class Once:
    """`once(macro, *args)` in a template: the macro's output, made the first time it is asked
    for with those arguments and reused for the rest of the build.

    A comparison page shows, for each of its tools, pieces that do not depend on the other
    tool (its card, its sources, its related-links frame); made once per tool instead of once
    per page, they cost O(tools) instead of O(pairs). Only for macros whose output depends on
    their arguments and the site's globals alone: a macro reading the page's own variables
    would be reused on pages it does not fit. Tool views are known by slug, plain values by
    value; other objects by identity (kept alive here, so an identity is never reused)."""

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], Markup] = {}
        self._pinned: list[object] = []

    def __call__(self, macro: Any, *args: Any) -> Markup:
        code = getattr(getattr(macro, "_func", None), "__code__", None) or macro.name
        objects: list[object] = []
        key = (code, *[a.slug if type(a) is ToolView else self._key(a, objects) for a in args])
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = Markup(macro(*args))
            self._pinned += objects
        return made

    def _key(self, arg: Any, objects: list[object]) -> Any:
        if arg is None or isinstance(arg, str | int | float | bool):
            return ("value", arg)
        if isinstance(arg, ToolView):
            return ("tool", arg.slug)
        if isinstance(arg, list | tuple):
            return ("seq", tuple(self._key(a, objects) for a in arg))
        objects.append(arg)
        return ("id", id(arg))


class Renderer:
    """Renders any `Page` of a `Site`. Built once per process, reused for every page."""

    def __init__(
        self, site: Site, templates: Path, assets: dict[str, str], theme: ThemeFiles | None = None
    ) -> None:
        self.site = site
        self.theme = theme or ThemeFiles()
        self.templates = templates
        # The site's folder first, then the bundled theme: an override folder holds only
        # the templates it changes.
        self.folders = search_path(templates)
        self.assets = assets
        self.env = Environment(
            loader=FileSystemLoader([str(f) for f in self.folders]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
            bytecode_cache=_BYTECODE,
        )
        self.env.template_class = _Template
        # The parts every chart of 1 or 2 tools shares: (<svg> start tag, body).
        self.chart_static: dict[int, tuple[Markup, Markup]] = {}
        self.env.filters["fmt"] = _fmt_value
        self.env.filters["num"] = plain_number
        self.env.filters["longdate"] = _long_date
        self.markdown = MarkdownRenderer()
        self.env.filters["markdown"] = self.markdown
        self.env.globals.update(
            site=site.catalog.site,
            assets=assets,
            labels=LABELS,
            subscores=SUBSCORES,
            evidence_subscores=EVIDENCE_SUBSCORES,
            metrics=site.catalog.metrics,
            times_matched_scale=TIMES_MATCHED,
            version=__version__,
            compare_url=site.compare_url,
            has_page=site.has_page,
            indexed=site.indexed,
            rel_url=partial(seo.rel_url, seo.base_path(site.catalog.site.base_url)),
            table_rows=TABLE_ROWS,
            table_body=table_body,
            head_to_head_body=head_to_head_body,
            chart_metrics=seo.CHART_METRICS,
            chart=seo.CHART,
            json_ld=seo.json_ld,
            breadcrumb_ld=partial(seo.breadcrumb_list, site.catalog.site.base_url),
            tool_list_ld=self._tool_list_ld,
            website_ld=partial(seo.website, site.catalog.site),
            software_ld=partial(seo.software_application, site.catalog.site.base_url),
            chart_static=self.chart_static,
            theme_logo=self.theme.site_logo,
            footer_text=self._footer_text(),
            once=Once(),
            facets=facets,
        )
        self.match_bases = bases_by_tool(site.catalog.matches)  # what each tool's count counts
        # Templates are compiled on first use: a build with nothing to render compiles none.
        self._compiled: dict[str, Any] = {}
        self._parts_module: Any = None
        self._capabilities_template: Any = None
        self.fragments: dict[str, tuple[str, str]] = {}  # heavy parts by heavy_key
        self._heavy_keys: dict[str, str] = {}
        self._refs: dict[str, list[str]] = {}
        self.share_bands: dict[str, tuple[share.Band, share.Band]] = {}
        self._static: dict[str, share.Band] = {}
        self._fragment_fp = self._closure_fp(["fragments/capabilities.html"])
        self._parts_fp = self._closure_fp(["fragments/parts.html"])
        # Per-tool pieces show metric labels and units and the ranking thresholds: config.
        self._config_fp = digest(site.catalog.site.model_dump_json())
        self.light: dict[str, dict[str, Any]] = {}  # small per-tool pieces by light_key
        self.light_made = 0
        self.light_loaded = 0
        self.views = Views(site.slugs, self._view)
        self.categories = {c.id: c for c in site.catalog.site.categories}
        self.ranked = frozenset(site.ranked)

    def _footer_text(self) -> Markup | None:
        text = self.site.catalog.site.theme.footer_text
        return self.markdown(text) if text else None

    # -- templates ---------------------------------------------------------------------

    def _load(self, name: str) -> Any:
        try:
            return self.env.get_template(name)
        except TemplateSyntaxError as exc:
            where: object = exc.filename or name
            raise TemplateProblem(f"{where}:{exc.lineno}: template syntax error: {exc}") from None
        except TemplateError as exc:
            where = find_template(self.folders, name)
            raise TemplateProblem(f"{where}: template error: {exc}") from None

    def _closure_fp(self, roots: list[str]) -> str:
        names: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name not in names:
                names.add(name)
                todo.extend(self._references(name))
        h = hashlib.blake2b(digest_size=8)
        for n in sorted(names):
            path = find_template(self.folders, n)
            data = path.read_bytes() if path.is_file() else b"\0missing"
            h.update(n.encode() + b"\0" + data)
        return h.hexdigest()

    def _references(self, name: str) -> list[str]:
        """Templates that `name` extends, includes or imports, read once per build.

        A regular expression over the tags is enough for literal names and much cheaper
        than parsing every template on every build; a name Jinja would compute at render
        time makes the template depend on every template, to stay safe."""
        refs = self._refs.get(name)
        if refs is None:
            path = find_template(self.folders, name)
            # A missing or unreadable template: Jinja reports it, with its name, on load.
            try:
                source = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                source = ""
            refs = []
            for tag in _REFERENCE_TAG.finditer(source):
                literal = _LITERAL.fullmatch(tag.group(1).strip())
                if literal is None:
                    refs = self._all_templates()
                    break
                refs.append(literal.group(2))
            self._refs[name] = refs
        return refs

    def _all_templates(self) -> list[str]:
        """Every template name of the search path (overrides and bundled ones alike)."""
        names = {
            p.relative_to(folder).as_posix()
            for folder in self.folders
            for p in folder.rglob("*.html")
            if p.is_file()
        }
        return sorted(names)

    def fingerprints(self) -> dict[str, str]:
        """Per page kind, a hash of every template file the kind's pages are made with."""
        return {
            kind: self._closure_fp([name, *FRAGMENTS.get(kind, [])])
            for kind, name in PAGE_TEMPLATES.items()
        }

    # -- heavy per-tool fragments ------------------------------------------------------

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
        parts = self.fragments.get(key)
        if parts is None:
            view = self.views[slug]
            summary = str(self.markdown(view.tool.summary))
            if self._capabilities_template is None:
                self._capabilities_template = self._load("fragments/capabilities.html")
            parts = (summary, self._render(self._capabilities_template, {"t": view}))
            self.fragments[key] = parts
        return parts

    def _render(self, template: Any, context: dict[str, Any]) -> str:
        try:
            result: str = template.render(context)
        except TemplateError as exc:
            raise TemplateProblem(self._locate(exc)) from None
        return result

    def _locate(self, exc: Exception) -> str:
        """`file:line: message` for an error raised inside a template."""
        roots = tuple(str(f.resolve()) for f in self.folders) + tuple(str(f) for f in self.folders)
        for frame in reversed(traceback.extract_tb(sys.exc_info()[2])):
            if frame.filename.startswith(roots):
                return f"{frame.filename}:{frame.lineno}: template error: {exc}"
        return f"{self.templates}: template error: {exc}"

    # -- views -------------------------------------------------------------------------

    def _view(self, slug: str) -> ToolView:
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
        light = self.light.get(key)
        if light is None:
            light = self.light[key] = self._light_parts(view)
            self.light_made += 1
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

    # -- share images --------------------------------------------------------------------

    def share_key(self, slug: str) -> str:
        """Identifies a tool's share-image bands: everything they show."""
        entry = self.site.entries[slug]
        shown = [entry.scores.shown(s) for s in ("rank", *SUBSCORES)]
        subtitle = _subtitle(entry.tool)
        return digest(fingerprint(), slug, entry.tool.name, subtitle, repr(shown))

    def bands(self, slug: str) -> tuple[share.Band, share.Band]:
        """A tool's band as first and as second tool of a card, drawn once per build."""
        key = self.share_key(slug)
        found = self.share_bands.get(key)
        if found is None:
            view = self.views[slug]
            # One drawing serves both places: each tool has its own band, named, so the
            # bars need no second shade to tell the tools apart.
            band = share.tool_band(view.name, _subtitle(view.tool), view.scores, share.BAR_A)
            found = (band, band)
            self.share_bands[key] = found
        return found

    def _static_bands(self) -> dict[str, share.Band]:
        if not self._static:
            cfg = self.site.catalog.site
            host = cfg.base_url.split("://", 1)[-1].rstrip("/")
            self._static = {
                "compare-header": share.text_band(
                    share.HEADER, [(f"{cfg.title}: comparison", 40, share.INK)]
                ),
                "tool-header": share.text_band(share.HEADER, [(cfg.title, 40, share.INK)]),
                "vs": share.text_band(share.VS, [("vs", 34, share.MUTED)], center=True),
                "footer": share.text_band(share.FOOTER, [(host, 18, share.MUTED)]),
                "filler": share.text_band(share.FILLER, [(cfg.description, 26, share.MUTED)]),
            }
        return self._static

    def share_png(self, page: Page) -> bytes:
        static = self._static_bands()
        if page.kind == "compare-share":
            a, b = page.args
            return share.png(
                [
                    static["compare-header"],
                    self.bands(a)[0],
                    static["vs"],
                    self.bands(b)[1],
                    static["footer"],
                ]
            )
        slug = page.args[0]
        bands = [static["tool-header"], self.bands(slug)[0], static["filler"], static["footer"]]
        return share.png(bands)

    def output(self, page: Page) -> bytes:
        """The bytes of any output file: a page's HTML or a share image."""
        if page.kind.endswith("-share"):
            return self.share_png(page)
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
        template = self._compiled.get(page.kind)
        if template is None:
            template = self._compiled[page.kind] = self._load(PAGE_TEMPLATES[page.kind])
        return self._render(template, self.context(page))

    def warm(self) -> None:
        """Compile every page template and make every tool's view now (before a fork)."""
        for kind, name in PAGE_TEMPLATES.items():
            if kind not in self._compiled:
                self._compiled[kind] = self._load(name)
        for slug in self.site.slugs:
            self.views[slug].column_html  # noqa: B018 - made now, inherited by workers

    @property
    def _parts(self) -> Any:
        """The per-tool macros (and the charts' shared pieces), loaded on first use."""
        if self._parts_module is None:
            self._parts_module = self._load("fragments/parts.html").module
            for n in (1, 2):
                self.chart_static[n] = (
                    Markup(self._parts_module.chart_open(n)),
                    Markup(self._parts_module.chart_static(n)),
                )
        return self._parts_module


def asset_name(name: str, data: bytes) -> str:
    """`style.css` -> `style.<hash>.css`: content-addressed, so it can be cached for ever."""
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{digest(data.hex())[:10]}.{ext}"
