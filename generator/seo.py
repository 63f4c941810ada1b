"""Search and sharing metadata: JSON-LD blocks, the score chart's geometry, `_redirects`.

Everything here is either per tool (computed once per build) or tiny per page: a
comparison page adds one short BreadcrumbList and two pre-rendered chart fragments.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.models import Tool
from generator.plan import Site, pair_url
from generator.score import LABELS, SUBSCORES
from generator.site_models import SiteConfig

# Netlify advises fewer than 10,000 redirect rules. Two rules per built pair (with and
# without the trailing slash): past the limit the build writes none, and the site's edge
# function (netlify/edge-functions/reverse-compare.js) or the 404 page's script sends a
# reversed comparison URL to the canonical one.
REDIRECT_LIMIT = 10_000

SCHEMA = "https://schema.org"

# What the score chart shows, in order: (key for ToolView.shown, label).
CHART_METRICS: tuple[tuple[str, str], ...] = (
    ("rank", "Rank"),
    *((s, LABELS[s]) for s in SUBSCORES),
)


def _script_safe(text: str) -> str:
    """JSON text that cannot end or confuse a <script> element: `<`, `>` and `&` become
    \\u escapes (still the same JSON). Non-ASCII, U+2028/9 included, is already escaped by
    `ensure_ascii`."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_ld(data: dict[str, Any]) -> Markup:
    """A `<script type="application/ld+json">` element, safe to place in any page."""
    text = _script_safe(json.dumps(data, separators=(",", ":")))
    return Markup(f'<script type="application/ld+json">{text}</script>')


def base_path(base_url: str) -> str:
    """The path part of `base_url`, with a trailing slash: "/" for a site at a domain's root.

    A site deployed under a subpath (https://example.org/compare-site/) must prefix every
    link it writes; the site-relative URLs the build plans with stay the same.
    """
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def rel_url(prefix: str, url: str) -> str:
    """A site-relative URL ("/compare/") as a link from any page: under `prefix`."""
    return prefix + url[1:] if url.startswith("/") else url


def absolute(base_url: str, url: str) -> str:
    return base_url.rstrip("/") + url


def _string(value: str) -> str:
    return _script_safe(json.dumps(value))


def breadcrumb_list(base_url: str, crumbs: Sequence[tuple[str, str]]) -> Markup:
    """BreadcrumbList from the (name, site-relative URL) pairs the page shows. On every
    page, so assembled from JSON strings directly (the same text `json_ld` would give)."""
    base = base_url.rstrip("/")
    items = ",".join(
        f'{{"@type":"ListItem","position":{i},"name":{_string(name)},"item":{_string(base + url)}}}'
        for i, (name, url) in enumerate(crumbs, start=1)
    )
    return Markup(
        '<script type="application/ld+json">{"@context":"https://schema.org",'
        f'"@type":"BreadcrumbList","itemListElement":[{items}]}}</script>'
    )


def item_list(base_url: str, name: str, items: Iterable[tuple[str, str]]) -> Markup:
    """ItemList of (name, site-relative URL) in the order the page lists them."""
    elements = [
        {"@type": "ListItem", "position": i, "name": n, "url": absolute(base_url, url)}
        for i, (n, url) in enumerate(items, start=1)
    ]
    return json_ld(
        {
            "@context": SCHEMA,
            "@type": "ItemList",
            "name": name,
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "numberOfItems": len(elements),
            "itemListElement": elements,
        }
    )


def website(site: SiteConfig) -> Markup:
    return json_ld(
        {
            "@context": SCHEMA,
            "@type": "WebSite",
            "name": site.title,
            "url": absolute(site.base_url, "/"),
            "description": site.description,
        }
    )


_UNIT = {
    "one-time": None,
    "month": "MON",  # UN/CEFACT common codes, as schema.org's unitCode expects
    "year": "ANN",
    "hour": "HUR",
}
_UNIT_TEXT = {
    "request": "per request",
    "million-tokens": "per million tokens",
    "month": "per month",
    "year": "per year",
    "hour": "per hour",
}


_FREE_NAME = {"free": "Free", "open-source": "Open source"}


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def offers(tool: Tool) -> list[dict[str, Any]]:
    """What the pricing fields say, and nothing more: a price-0 offer when the tool can be
    used without paying, and the lowest paid price with its unit when one is listed."""
    pricing = tool.pricing
    result: list[dict[str, Any]] = []
    if pricing.free_tier:
        result.append(
            {
                "@type": "Offer",
                "name": _FREE_NAME.get(pricing.plan.value, "Free tier"),
                "price": 0,
                "priceCurrency": (
                    pricing.starting_price.currency if pricing.starting_price else "USD"
                ),
                "url": pricing.url,
            }
        )
    if pricing.starting_price is not None:
        p = pricing.starting_price
        offer: dict[str, Any] = {
            "@type": "Offer",
            "name": "Lowest paid price",
            "price": _number(p.amount),
            "priceCurrency": p.currency,
            "url": pricing.url,
        }
        if p.period.value != "one-time":
            spec: dict[str, Any] = {
                "@type": "UnitPriceSpecification",
                "price": _number(p.amount),
                "priceCurrency": p.currency,
                "unitText": _UNIT_TEXT[p.period.value],
            }
            code = _UNIT.get(p.period.value)
            if code:
                spec["unitCode"] = code
            offer["priceSpecification"] = spec
        result.append(offer)
    return result


def software_application(base_url: str, slug: str, tool: Tool, categories: Sequence[str]) -> Markup:
    """SoftwareApplication for a tool page. No rating of any kind: a computed rank is not
    a user rating, so AggregateRating/Review would misstate what the site measures."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "SoftwareApplication",
        "name": tool.name,
        "url": absolute(base_url, f"/tools/{slug}/"),
        "sameAs": tool.website,
        "applicationCategory": categories[0] if len(categories) == 1 else list(categories),
        "applicationSubCategory": tool.type.value,
        "author": {"@type": "Organization", "name": tool.vendor},
    }
    found = offers(tool)
    if found:
        data["offers"] = found[0] if len(found) == 1 else found
    return json_ld(data)


# --------------------------------------------------------------------------- chart


@dataclass(frozen=True)
class ChartGeometry:
    """Layout of the paired-bar score chart, in SVG user units (the viewBox)."""

    width: int = 440  # small enough that 14-unit text stays readable on a phone
    x0: int = 100  # where bars start; metric labels sit left of it
    scale: int = 3  # units per point: 100 points = 300 units
    bar: int = 18
    step: int = 22  # bar + gap between the bars of one metric
    gap: int = 14  # between metrics
    legend_row: int = 24
    axis: int = 26  # room under the last metric for the 0/50/100 axis

    def group(self, slots: int) -> int:
        return slots * self.step + self.gap

    def top(self, slots: int) -> int:
        """Where the first metric starts: below the legend (compare charts only)."""
        return (slots * self.legend_row + 8) if slots > 1 else 4

    def bar_y(self, index: int, slot: int, slots: int) -> int:
        return index * self.group(slots) + slot * self.step

    def label_y(self, index: int, slots: int) -> int:
        """Baseline of a metric's label, centred on its bars."""
        return index * self.group(slots) + (slots * self.step - 4) // 2 + 5

    def plot_height(self, slots: int) -> int:
        return len(CHART_METRICS) * self.group(slots) - self.gap

    def height(self, slots: int) -> int:
        return self.top(slots) + self.plot_height(slots) + self.axis

    def x(self, value: float) -> int:
        return self.x0 + round(value * self.scale)


CHART = ChartGeometry()


# --------------------------------------------------------------------------- redirects


def redirect_rules(site: Site, limit: int | None = None, prefix: str = "/") -> bytes | None:
    """Netlify `_redirects`: each built pair's reversed URL, with and without its trailing
    slash, 301 to the canonical one. None when that takes more than `limit` rules (default
    REDIRECT_LIMIT). A pair without a page gets no rule: its reversed URL is a 404 too.
    Paths are as browsers ask for them: under `prefix`, the path of base_url.

    A reversed URL can only coincide with another pair's canonical URL when a slug has
    "vs" as a word; then such reversed URLs are left out so no canonical page is shadowed.
    """
    if 2 * site.pairs.built > (REDIRECT_LIMIT if limit is None else limit):
        return None
    nested = site.nested
    canonical: set[str] = set()
    if any("vs" in s.split("-") for s in site.slugs):
        canonical = {pair_url(a, b, nested) for a in site.slugs for b in site.pairs.later[a]}
    out: list[str] = []
    for a in site.slugs:
        for b in site.pairs.later[a]:
            reverse = pair_url(b, a, nested)
            if reverse in canonical:
                continue
            target = prefix + pair_url(a, b, nested)[1:]
            reverse = prefix + reverse[1:]
            out.append(f"{reverse} {target} 301\n{reverse[:-1]} {target} 301\n")
    return "".join(out).encode()
