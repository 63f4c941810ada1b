"""A site whose base_url has a path links every page and asset under that path."""

from __future__ import annotations

import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from generator.build import BuildOptions
from generator.serve import serve
from tests.conftest import FIXTURE, TEMPLATES, build_to, soup


def _site_under(tmp_path: Path, base_url: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    cfg = content / "site.yaml"
    text = cfg.read_text("utf-8")
    cfg.write_text(re.sub(r"(?m)^base_url: .*$", f"base_url: {base_url}", text), "utf-8")
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    return out


def test_every_internal_link_and_asset_is_under_the_subpath(tmp_path: Path) -> None:
    out = _site_under(tmp_path, "https://example.org/compare-site/")
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    seen = 0
    for page in pages:
        doc = soup(page)
        assert doc.html is not None and doc.html.get("data-base") == "/compare-site/"
        for tag, attr in (
            ("a", "href"),
            ("link", "href"),
            ("script", "src"),
            ("img", "src"),
            ("form", "action"),
        ):
            for el in doc.find_all(tag):
                value = el.get(attr)
                if not isinstance(value, str) or value.startswith(("#", "https://", "http://")):
                    continue
                seen += 1
                assert value.startswith("/compare-site/"), (
                    f"{page.relative_to(out)}: <{tag} {attr}={value!r}>"
                )
                target = out / value.removeprefix("/compare-site/").split("#")[0]
                assert target.exists() or (target / "index.html").exists(), value
    assert seen > 100


def test_a_root_site_keeps_root_links(tmp_path: Path) -> None:
    out = _site_under(tmp_path, "https://example.org/")
    doc = soup(out / "index.html")
    assert doc.html is not None and doc.html.get("data-base") == "/"
    hrefs = [a["href"] for a in doc.find_all("a") if str(a.get("href", "")).startswith("/")]
    assert "/methodology/#rank" in hrefs or "/methodology/" in hrefs


BASE = "https://example.org/compare-site/"


def test_redirects_sitemaps_robots_and_share_images_are_under_the_subpath(
    tmp_path: Path,
) -> None:
    out = _site_under(tmp_path, BASE)
    rules = (out / "_redirects").read_text("utf-8").splitlines()
    assert len(rules) == 12  # six pairs, with and without the trailing slash
    assert "/compare-site/compare/beta-vs-alpha/ /compare-site/compare/alpha-vs-beta/ 301" in rules
    assert all(line.startswith("/compare-site/compare/") for line in rules)
    assert all(line.split()[1].startswith("/compare-site/compare/") for line in rules)
    assert (out / "robots.txt").read_text("utf-8") == (
        "User-agent: *\nAllow: /compare-site/\n\nSitemap: " + BASE + "sitemap.xml\n"
    )
    index = (out / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{BASE}sitemaps/sitemap-1.xml</loc>" in index
    locs = re.findall(r"<loc>([^<]+)</loc>", (out / "sitemaps/sitemap-1.xml").read_text("utf-8"))
    assert len(locs) > 10 and all(loc.startswith(BASE) for loc in locs)
    assert f"{BASE}compare/alpha-vs-beta/" in locs
    page = soup(out / "compare/alpha-vs-beta/index.html")
    image = page.find("meta", property="og:image")
    assert image is not None and image["content"] == f"{BASE}compare/alpha-vs-beta/share.png"
    assert (out / "compare/alpha-vs-beta/share.png").is_file()
    canonical = page.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == f"{BASE}compare/alpha-vs-beta/"


def _links(url: str, body: str) -> list[str]:
    doc = BeautifulSoup(body, "html.parser")
    found = []
    for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for el in doc.find_all(tag):
            value = el.get(attr)
            if isinstance(value, str):
                found.append(urljoin(url, value).split("#")[0])
    for form in doc.find_all("form"):
        action = form.get("action")
        if isinstance(action, str):
            found.append(urljoin(url, action))
    return found


def _get(url: str) -> tuple[int, str, str]:
    """(status, content type, body as text; empty for images and other binary files)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, ctype, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, ctype, body = exc.code, exc.headers, exc.read()
    kind = ctype.get_content_type()
    return status, kind, body.decode() if kind.startswith("text/") or "xml" in kind else ""


def test_serve_serves_a_subpath_site_at_its_subpath_and_every_link_answers(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    cfg = content / "site.yaml"
    cfg.write_text(
        re.sub(r"(?m)^base_url: .*$", f"base_url: {BASE}", cfg.read_text("utf-8")), "utf-8"
    )
    options = BuildOptions(content=content, out=tmp_path / "site", templates=TEMPLATES, workers=1)
    ready: list[str] = []
    listening = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(
        target=serve,
        args=(options, 0),
        kwargs={
            "say": lambda text: None,
            "on_built": lambda r: None,
            "ready": lambda url: (ready.append(url), listening.set()),
            "stop": stop,
        },
        daemon=True,
    )
    thread.start()
    try:
        assert listening.wait(timeout=120)
        start = ready[0]
        origin = start.removesuffix("/compare-site/")
        assert start == origin + "/compare-site/"
        seen: set[str] = set()
        todo = [start]
        while todo:
            url = todo.pop()
            if url in seen or not url.startswith(origin) or "/__versus/" in url:
                continue
            seen.add(url)
            status, ctype, body = _get(url)
            assert status == 200, url
            if ctype == "text/html":
                todo.extend(_links(url, body))
        pages = {u for u in seen if u.endswith("/")}
        assert f"{origin}/compare-site/compare/alpha-vs-beta/" in pages
        assert f"{origin}/compare-site/tools/delta/" in pages
        assert len(seen) > 15
        # Every URL the sitemap lists, and the share images, answer at the same place.
        status, _, sitemap = _get(origin + "/compare-site/sitemaps/sitemap-1.xml")
        assert status == 200
        listed = [u.replace(BASE, start) for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
        assert set(listed) <= seen and len(listed) == len(pages)
        assert _get(start + "robots.txt")[0] == 200
        with urllib.request.urlopen(start + "compare/alpha-vs-beta/share.png") as r:
            assert r.status == 200 and r.headers.get_content_type() == "image/png"
        assert all(u.startswith(origin + "/compare-site/") for u in seen)
        status, _, body = _get(origin + "/")
        assert status == 404 and 'href="/compare-site/"' in body
        status, _, body = _get(origin + "/compare-site/no/such/page/")
        assert status == 404 and "Page not found" in body
    finally:
        stop.set()
        thread.join(timeout=60)
