"""The files a site has besides its pages and assets: sitemaps, robots.txt, and the list of
every such name (which the site's own static files may not replace)."""

from __future__ import annotations

from typing import Any

from generator.build_state import BuildState
from generator.plan import Page, Site, page_count, pages
from generator.seo import base_path
from generator.sitemap import PER_FILE, SitemapWriter


def generated_files(site: Site) -> list[str]:
    """What the build writes besides pages, share images and assets."""
    sitemaps = -(-page_count(site) // PER_FILE)
    return [
        "robots.txt",
        "sitemap.xml",
        "_redirects",
        "_headers",
        *(f"sitemaps/sitemap-{i}.xml" for i in range(1, sitemaps + 1)),
    ]


class Lastmod:
    """Sitemap date: when the content a page shows was last checked, not when it was built."""

    def __init__(self, site: Site) -> None:
        self.checked = {s: e.tool.checked.isoformat() for s, e in site.entries.items()}
        self.newest = max(self.checked.values())

    def __call__(self, page: Page) -> str:
        if page.kind == "compare":
            return max(self.checked[page.args[0]], self.checked[page.args[1]])
        if page.kind in ("tool", "alternatives"):
            return self.checked[page.args[0]]
        return self.newest


def sitemaps(site: Site, state: BuildState, inputs: dict[str, Any]) -> None:
    """Write the sitemaps, unless the URLs and dates they list are as last time."""
    output = state.output
    assert output is not None
    old = output.old
    if old is not None and old.inputs.get("sitemap") == inputs["sitemap"]:
        kept = {p: fp for p, fp in old.pages.items() if p.startswith(("sitemap", "sitemaps/"))}
        if all(output.unchanged(p, fp) for p, fp in kept.items()):
            state.new.update(kept)
            return
    writer = SitemapWriter(site.catalog.site.base_url, state.stage)
    lastmod = Lastmod(site)
    for page in pages(site):
        if page.kind == "compare" and not site.indexed(*page.args):
            continue  # a thin pair: built for visitors, kept out of search
        if page.kind != "404":
            writer.add(page.url, lastmod(page))
    writer.close()


def robots(site: Site) -> str:
    """robots.txt for the site's own path. Crawlers read it only at a domain's root: a site
    under a subpath merges these lines into the domain's robots.txt."""
    base = site.catalog.site.base_url.rstrip("/")
    path = base_path(site.catalog.site.base_url)
    return f"User-agent: *\nAllow: {path}\n\nSitemap: {base}/sitemap.xml\n"
