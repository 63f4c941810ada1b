"""Sitemaps, streamed: an index over files of at most 45,000 URLs, under the 50,000 limit."""

from __future__ import annotations

from collections.abc import Callable


def escape(text: str) -> str:
    """XML text: &, < and > escaped (xml.sax.saxutils does the same, but importing it
    pulls in urllib.request, a noticeable share of a small build's start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


PER_FILE = 45_000
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


class SitemapWriter:
    """Collects URLs one at a time and hands finished files to `emit(path, bytes)`."""

    def __init__(self, base_url: str, emit: Callable[[str, bytes], None], per_file: int = PER_FILE):
        self.base = base_url.rstrip("/")
        self.emit = emit
        self.per_file = per_file
        self._lines: list[str] = []
        self._files: list[tuple[str, str]] = []  # (path, newest lastmod)
        self._newest = ""

    def add(self, url: str, lastmod: str) -> None:
        loc = escape(self.base + url)
        self._lines.append(f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>\n")
        self._newest = max(self._newest, lastmod)
        if len(self._lines) >= self.per_file:
            self._flush()

    def _flush(self) -> None:
        if not self._lines:
            return
        path = f"sitemaps/sitemap-{len(self._files) + 1}.xml"
        body = f"{_HEAD}<urlset {_NS}>\n{''.join(self._lines)}</urlset>\n"
        self.emit(path, body.encode())
        self._files.append((path, self._newest))
        self._lines, self._newest = [], ""

    def close(self) -> list[str]:
        """Finish the last file and write the index `sitemap.xml`; returns all paths."""
        self._flush()
        entries = "".join(
            f"<sitemap><loc>{escape(self.base)}/{p}</loc><lastmod>{m}</lastmod></sitemap>\n"
            for p, m in self._files
        )
        self.emit(
            "sitemap.xml", f"{_HEAD}<sitemapindex {_NS}>\n{entries}</sitemapindex>\n".encode()
        )
        return [p for p, _ in self._files] + ["sitemap.xml"]
