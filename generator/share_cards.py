"""Share images (Open Graph cards) of comparison and tool pages, drawn from per-tool bands.

Every card of a tool shows the same band (its name, type, maker and scores), so each band
is drawn once per build and kept by key in the build's `Pieces`; a card only stacks bands.
"""

from __future__ import annotations

from generator import share
from generator.plan import Page, Site, digest
from generator.score import SUBSCORES
from generator.state import fingerprint
from generator.views import Pieces, Views, subtitle


class ShareCards:
    def __init__(self, site: Site, views: Views, store: Pieces) -> None:
        self.site = site
        self.views = views
        self.store = store
        self._static: dict[str, share.Band] = {}

    def key(self, slug: str) -> str:
        """Identifies a tool's share-image bands: everything they show."""
        entry = self.site.entries[slug]
        shown = [entry.scores.shown(s) for s in ("rank", *SUBSCORES)]
        return digest(fingerprint(), slug, entry.tool.name, subtitle(entry.tool), repr(shown))

    def bands(self, slug: str) -> tuple[share.Band, share.Band]:
        """A tool's band as first and as second tool of a card, drawn once per build."""
        key = self.key(slug)
        found = self.store.share_bands.get(key)
        if found is None:
            view = self.views[slug]
            # One drawing serves both places: each tool has its own band, named, so the
            # bars need no second shade to tell the tools apart.
            band = share.tool_band(view.name, subtitle(view.tool), view.scores, share.BAR_A)
            found = (band, band)
            self.store.share_bands[key] = found
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

    def png(self, page: Page) -> bytes:
        """The share image of a comparison or tool page."""
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
