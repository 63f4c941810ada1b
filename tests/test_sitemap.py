"""Sitemaps: an index over files of at most 45,000 URLs, dated from the content."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from benchmarks.make_catalogue import write_catalogue
from generator.load import read_content
from generator.plan import assemble, page_count, pages
from generator.site_files import Lastmod
from generator.sitemap import PER_FILE, SitemapWriter
from generator.validate import validate

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_large_catalogue_needs_three_sitemap_files(tmp_path: Path) -> None:
    write_catalogue(430, tmp_path)  # 430 tools: 92,235 comparison pages, every pair built
    with (tmp_path / "site.yaml").open("a") as f:
        f.write("pairs: all\n")
    site = assemble(validate(read_content(tmp_path)))
    files: dict[str, bytes] = {}
    writer = SitemapWriter(site.catalog.site.base_url, files.__setitem__)
    lastmod = Lastmod(site)
    for page in pages(site):
        if page.kind != "404":
            writer.add(page.url, lastmod(page))
    paths = writer.close()

    assert paths == [f"sitemaps/sitemap-{i}.xml" for i in (1, 2, 3)] + ["sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    locs = [e.text for e in index.findall("s:sitemap/s:loc", NS)]
    base = site.catalog.site.base_url.rstrip("/")
    assert locs == [f"{base}/sitemaps/sitemap-{i}.xml" for i in (1, 2, 3)]
    urls = []
    checked = {e.tool.checked.isoformat() for e in site.entries.values()}
    for path in paths[:-1]:
        root = ET.fromstring(files[path])
        entries = root.findall("s:url", NS)
        assert 0 < len(entries) <= PER_FILE
        for entry in entries:
            urls.append(entry.find("s:loc", NS).text)
            assert entry.find("s:lastmod", NS).text in checked  # content dates, not today
    assert len(urls) == len(set(urls)) == page_count(site) - 1  # every page but the 404


def test_bundled_sitemap_lists_every_page(bundled_site: Path) -> None:
    index = ET.fromstring((bundled_site / "sitemap.xml").read_bytes())
    files = [e.text.split("/", 3)[3] for e in index.findall("s:sitemap/s:loc", NS)]
    urls = set()
    for rel in files:
        root = ET.fromstring((bundled_site / rel).read_bytes())
        urls |= {e.text for e in root.findall("s:url/s:loc", NS)}
    pages_on_disk = {
        "/" + str(p.relative_to(bundled_site).parent).replace(".", "").strip("/") + "/"
        for p in bundled_site.rglob("index.html")
    }
    paths = {u.split("/", 3)[3] for u in urls}
    assert {"/" + p for p in paths} == {p.replace("//", "/") for p in pages_on_disk}
    robots = (bundled_site / "robots.txt").read_text()
    assert "Sitemap: https://" in robots and robots.strip().endswith("/sitemap.xml")
