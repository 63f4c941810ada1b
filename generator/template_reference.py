"""The reference of every template and the variables it receives (docs/templates.md).

The variables are declared here, next to nothing else, and the test suite renders a page of
every kind and checks that what `Renderer.context` and the Jinja globals hand to templates
is exactly what is declared; the template list, the macros and their arguments, the fields
of a tool view and the blocks of base.html are read from the code and the bundled
templates themselves. So the reference cannot drift: `versus reference` writes it again.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

from jinja2 import Environment, nodes

from generator.bundled import bundled_templates
from generator.templating import FRAGMENTS, PAGE_TEMPLATES
from generator.views import ToolView

# Jinja's own globals, present in every environment.
JINJA_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace"})

GLOBALS: dict[str, str] = {
    "site": "The validated `site.yaml` (SiteConfig): title, base_url, description, categories, "
    "disclosure, theme, ...",
    "assets": 'Site-relative URLs of hashed assets by name: "style.css", "pick.js", '
    '"favicon.svg", and "theme.css" / "analytics.js" when the theme sets them.',
    "rel_url": 'rel_url(url): a site-relative URL ("/compare/") as a link under the base_url\'s '
    "path. Every internal link and asset goes through it.",
    "compare_url": "compare_url(a, b): the site-relative URL of the comparison of two slugs.",
    "has_page": "has_page(a, b): whether that comparison is built as a page; ask before linking.",
    "indexed": "indexed(a, b): whether that comparison page is built to be indexed (not a "
    "thin pair built with noindex).",
    "labels": "Display labels of the sub-scores and rank, by key.",
    "subscores": "The sub-score keys in page order (adoption, quality, ecosystem, match_graph).",
    "evidence_subscores": "The sub-scores that rest on figures (adoption, quality, ecosystem).",
    "metrics": "The metric registry (built-in metrics plus site.yaml additions), by id.",
    "times_matched_scale": "Reference points of the times-matched figure.",
    "version": "The Versus version.",
    "table_rows": "The comparison table's rows: (metric key, label).",
    "table_body": "table_body(a, b, notes): the comparison table's rows as markup.",
    "head_to_head_body": "head_to_head_body(a, b, rows): the head-to-head rows as markup.",
    "chart_metrics": "The score chart's metrics: (key, label).",
    "chart": "The score chart's geometry (ChartGeometry).",
    "chart_static": "Pre-rendered chart pieces shared by every chart of 1 or 2 tools.",
    "json_ld": "json_ld(data): a JSON-LD <script> element, safe in any page.",
    "breadcrumb_ld": "breadcrumb_ld(crumbs): BreadcrumbList JSON-LD of (name, URL) pairs.",
    "tool_list_ld": "tool_list_ld(name, slugs): ItemList JSON-LD of tools.",
    "website_ld": "website_ld(): WebSite JSON-LD of the site.",
    "software_ld": "software_ld(slug, tool, categories): SoftwareApplication JSON-LD.",
    "theme_logo": "The site logo (Logo: png and webp URLs at 1x and 2x, width, height), or None.",
    "footer_text": "The theme's footer text as sanitised HTML, or None.",
    "once": "once(macro, *args): the macro's output, made the first time these arguments are "
    "seen and reused for the rest of the build. For macros whose output depends only on their "
    "arguments and these globals: per-tool parts of comparison pages, the site's header.",
    "facets": "facets(*views): (category names, types, pricing plans) of those tools, for "
    "`facet_spans`.",
}

COMMON: dict[str, str] = {
    "page": "The page being rendered (Page: kind, url, args).",
    "tools": "Every tool's view (ToolView) by slug, made on first use.",
    "by_rank": "Tool slugs, highest rank first; unranked tools last, in slug order.",
    "ranked_slugs": "The slugs of ranked tools (a frozenset).",
}

PER_KIND: dict[str, dict[str, str]] = {
    "home": {},
    "compare-index": {},
    "methodology": {
        "example": "The tool view the method is worked through with, or None.",
        "match_bases": "What the match evidence counts: one MatchBasis (what, period, source, "
        "pairs, total) per kind of entry.",
    },
    "search": {},
    "404": {},
    "category": {
        "category": "The category (Category: id, name, description).",
        "members": "Slugs of its tools, by rank.",
    },
    "tool": {
        "t": "The tool's view.",
        "others": "Every other tool's slug.",
        "match_bases": "What the match evidence naming this tool counts (MatchBasis each).",
    },
    "alternatives": {
        "t": "The tool whose alternatives the page lists (its view).",
        "items": "Its closest alternatives, best first (Alternative: view, why, extra "
        "capabilities, compare URL or None).",
    },
    "compare": {
        "a": "The first tool's view (slug order).",
        "b": "The second tool's view.",
        "rows": "Head-to-head rows: figures both publish on the same metric and context.",
        "notes": "Per sub-score, why the two are not compared like for like (if so).",
        "verdict": "The verdict (headline, text, sentences).",
        "pair_matches": "How often the pair was matched in the match evidence, or None.",
        "matrix": "The capability matrix (Matrix: rows, kinds only one tool lists first, then "
        "the kinds both list).",
    },
}

# Templates that are not pages, and what they receive.
PARTS: dict[str, str] = {
    "base.html": "Every page extends it. Blocks below; pages may set `crumbs` (a list of "
    "(name, site-relative URL)) and `share_image` (a site-relative URL) before extending.",
    "macros.html": "Macros pages import.",
    "picker.html": "The comparison picker, included by listing pages.",
    "fragments/capabilities.html": "Rendered once per tool with `t` (its view): the "
    "capability section every page of the tool embeds.",
    "fragments/parts.html": "Per-tool macros whose output is cached between builds "
    "(table cells, chart bars, related links).",
    "fragments/matrix.html": "Macros of the capability matrix a comparison page opens its "
    "capability section with (`capability_matrix(matrix, a, b)`).",
    "fragments/search_meta.html": "The `filters` macro (and `facet_spans`, the same from plain "
    "values): Pagefind filter and metadata attributes of an indexed page (kind, categories, "
    "type, pricing, open source).",
    "fragments/pair.html": "Macros of a comparison page's parts that show one tool alone (its "
    "card, the frame of its related links), called through `once`.",
    "fragments/trust.html": "Included by compare.html with `a` and `b`: facts-checked dates, "
    'sources, outbound links (affiliate ones rel="sponsored") and the site\'s disclosure.',
}


def declared(kind: str) -> set[str]:
    """The variables a page of `kind` receives besides the globals."""
    return set(COMMON) | set(PER_KIND[kind])


def _type(hint: object) -> str:
    """`list[Category]`, `Logo | None`: a type hint as a reader writes it."""
    if isinstance(hint, type):
        return hint.__name__
    return re.sub(r"\b(?:[a-z_]+\.)+(?=[A-Za-z_])", "", str(hint))


def _macros(env: Environment, folder: Path, name: str) -> list[str]:
    tree = env.parse((folder / name).read_text("utf-8"))
    found = []
    for macro in tree.find_all(nodes.Macro):
        args = ", ".join(a.name for a in macro.args)
        found.append(f"`{macro.name}({args})`")
    return found


def _blocks(env: Environment, folder: Path, name: str) -> list[str]:
    tree = env.parse((folder / name).read_text("utf-8"))
    return [f"`{b.name}`" for b in tree.find_all(nodes.Block)]


def reference(folder: Path | None = None) -> str:
    """The Markdown text of docs/templates.md."""
    folder = folder or bundled_templates()
    env = Environment()
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    out = [
        "# Templates and their variables",
        "",
        "Generated by `versus reference` from the code; do not edit by hand (a test fails when",
        "this file and the code disagree).",
        "",
        "A site overrides a template by putting a file of the same name in its own templates",
        "folder (`templates/` beside the content folder, or `--templates DIR`); every other",
        "template comes from the bundled theme. Templates are Jinja2 with autoescape and",
        "StrictUndefined: a misspelt variable is an error naming the file and line.",
        "",
        "## Every template",
        "",
        "| template | what it is |",
        "|---|---|",
    ]
    kinds = {v: k for k, v in PAGE_TEMPLATES.items()}
    for name in names:
        if name in kinds:
            out.append(f"| `{name}` | the `{kinds[name]}` page |")
        else:
            out.append(f"| `{name}` | {PARTS.get(name, 'undocumented')} |")
    out += ["", "## Globals (every template)", "", "| name | what |", "|---|---|"]
    out += [f"| `{k}` | {v} |" for k, v in sorted(GLOBALS.items())]
    out += ["", "## Page variables", "", "Every page receives:", ""]
    out += [f"- `{k}`: {v}" for k, v in COMMON.items()]
    for kind, template in PAGE_TEMPLATES.items():
        out += ["", f"### `{template}` ({kind} pages)", ""]
        extra = PER_KIND[kind]
        out += [f"- `{k}`: {v}" for k, v in extra.items()] or ["Nothing beyond the above."]
        embeds = [f for f in FRAGMENTS.get(kind, []) if f != template]
        if embeds:
            out.append(f"- embeds the per-tool fragments {', '.join(f'`{e}`' for e in embeds)}")
    out += ["", "## Blocks of base.html", "", ", ".join(_blocks(env, folder, "base.html"))]
    out += ["", "## Macros", ""]
    for name in names:
        macros = _macros(env, folder, name)
        if macros:
            out.append(f"- `{name}`: {', '.join(macros)}")
    out += ["", "## A tool's view (`ToolView`)", "", "| field | type |", "|---|---|"]
    hints = typing.get_type_hints(ToolView)
    for f in dataclasses.fields(ToolView):
        if not f.name.startswith("_"):
            kind = _type(hints[f.name]).replace("|", "\\|")
            out.append(f"| `{f.name}` | `{kind}` |")
    props = [n for n, v in vars(ToolView).items() if isinstance(v, property) and n != "once_key"]
    out.append("")
    out.append("Also: " + ", ".join(f"`{p}`" for p in props) + " (pre-rendered markup), ")
    out.append("`shown(name)` (a score as shown, or None), `related_html(exclude_url)`.")
    return "\n".join(out) + "\n"


def write_reference(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reference(), "utf-8")
    return path
