"""Search: the Pagefind index the build writes (what it covers, when it is rebuilt) and the
search page in Chromium, served with the site's real Content-Security-Policy."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import search
from generator.build import BuildOptions, prepare
from tests.browser_site import chromium, serve, watch
from tests.conftest import FIXTURE, TEMPLATES, build_to, soup


def _fragments(site: Path) -> int:
    return len(os.listdir(site / "pagefind" / "fragment"))


def test_bundled_index_covers_tools_categories_and_every_comparison(bundled_site: Path) -> None:
    assert (bundled_site / "pagefind" / "pagefind.js").is_file()
    tools = len(list((bundled_site / "tools").glob("*/index.html")))
    cats = len(list((bundled_site / "categories").glob("*/index.html")))
    pairs = len(list((bundled_site / "compare").glob("*/index.html")))
    assert tools == 39 and 0 < pairs < 741  # the bundled pair policy builds some pairs
    # One fragment per indexed page: tools, categories, methodology and every comparison.
    assert _fragments(bundled_site) == tools + cats + 1 + pairs
    assert _fragments(bundled_site) < 54_000  # Netlify's limit of files in one folder


def test_indexed_pages_mark_their_body_and_filters(bundled_site: Path) -> None:
    tool = soup(bundled_site / "tools" / "kosmos-2-patch14-224" / "index.html")
    main = tool.find("main")
    assert main.has_attr("data-pagefind-body")
    filters = {s["data-pagefind-filter"] for s in main.select("[data-pagefind-filter]")}
    assert filters == {
        "page:Tool",
        "category:Multimodal understanding",
        "type:model",
        "pricing:Open source",
        "open source:yes",
    }
    assert main.select_one("[data-pagefind-meta]")["data-pagefind-meta"] == "kind:Tool"
    # A comparison indexes its own parts, not the tools' texts (their tool pages do).
    pair = soup(next((bundled_site / "compare").glob("*-vs-*/index.html")))
    assert pair.find("main").has_attr("data-pagefind-body")
    columns = pair.select("#capabilities .columns")
    assert len(columns) == 1 and columns[0].has_attr("data-pagefind-ignore")
    for unindexed in ("index.html", "search/index.html", "compare/index.html", "404.html"):
        assert not soup(bundled_site / unindexed).find("main").has_attr("data-pagefind-body")
    # Every page has the header search box, sending its words to /search/.
    form = tool.find("form", class_="site-search")
    assert form["action"] == "/search/" and form.find("input", type="search")["name"] == "q"
    assert soup(bundled_site / "search" / "index.html").find("input", type="search", id="q")


def test_index_is_rebuilt_only_when_an_indexed_page_changes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    import shutil

    shutil.copytree(FIXTURE, content)
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    entry = out / "pagefind" / "pagefind-entry.json"
    first = {p: p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    assert _fragments(out) == 4 + 2 + 1 + 6  # tools, shown categories, methodology, pairs
    again = build_to(content, out, workers=1)
    assert again.written == 0
    assert {p: p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()} == first
    # An edit to one tool's text changes what is indexed: a new index replaces the old one.
    alpha = content / "tools" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("Writes a caption.", "Writes a zanzibar."))
    before = entry.read_bytes()
    build_to(content, out, workers=1)
    assert entry.read_bytes() != before
    found = [p for p in (out / "pagefind").rglob("*") if p.is_file()]
    assert set(found) != set(first)
    assert not any(p.name.startswith(".") for p in out.iterdir() if p.name != ".versus")
    assert _fragments(out) == 13  # stale fragments removed, not piled up


def test_a_site_without_search_has_no_index_page_box_or_link(tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    assert (out / "pagefind").is_dir() and (out / "search" / "index.html").is_file()
    site_yaml = content / "site.yaml"
    on = site_yaml.read_text()
    assert "search_index: true\n" in on
    site_yaml.write_text(on.replace("search_index: true\n", "search_index: false\n"))
    report = build_to(content, out, workers=1)  # switched off on an incremental build
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert report.search_removed > 0 and report.search_written == 0
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == report.pages
    for page in pages:
        html = soup(page)
        assert html.find("form", class_="site-search") is None, page
        links = [a["href"] for a in html.find_all("a", href=True)]
        assert not [h for h in links if h.rstrip("/").endswith("/search")], page
    assert "/search/" not in (out / "sitemap.xml").read_text() + "".join(
        p.read_text() for p in (out / "sitemaps").glob("*.xml")
    )
    # Switched on again: the page, the box and the index come back.
    site_yaml.write_text(on)
    build_to(content, out, workers=1)
    assert _fragments(out) == 13 and (out / "search" / "index.html").is_file()
    assert soup(out / "index.html").find("form", class_="site-search") is not None


def test_past_the_budget_only_featured_comparisons_are_indexed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, _, _, _ = prepare(FIXTURE, TEMPLATES)
    assert len(search.comparison_pairs(site)) == 6  # all pairs fit
    monkeypatch.setattr(search, "FRAGMENT_BUDGET", 10)  # 7 listing pages leave room for 3
    pairs = search.comparison_pairs(site)
    featured = {tuple(sorted((s, r))) for s in site.slugs for r, _ in site.entries[s].related}
    assert len(pairs) == 3 and set(pairs) <= featured and pairs == sorted(pairs)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def served(bundled_site: Path) -> Iterator[str]:
    with serve(bundled_site) as url:
        yield url


def _results(page: Any) -> list[str]:
    return [a.inner_text() for a in page.query_selector_all("#search-results > li > a")]


def _search(browser: Any, url: str) -> tuple[Any, Any, list[str]]:
    page = browser.new_page()
    problems = watch(page)
    response = page.goto(url)
    page.wait_for_selector("html[data-search-ready]", timeout=20_000)
    return page, response, problems


def test_grounded_finds_kosmos_2_first_under_the_real_csp(browser: Any, served: str) -> None:
    page, response, problems = _search(browser, served + "/search/?q=grounded")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp
    page.wait_for_selector("#search-results > li")
    assert _results(page)[0] == "Kosmos-2 (kosmos-2-patch14-224)"
    assert page.is_hidden("#search-fallback")
    assert page.query_selector("#search-results mark") is not None  # the words, marked
    assert problems == []
    page.close()


@pytest.mark.parametrize(
    ("words", "expected"),
    [("code", "GitHub Copilot"), ("vision", "LLaVA-1.5"), ("speech", "Whisper large-v3")],
)
def test_any_word_of_the_text_finds_tools(
    browser: Any, served: str, words: str, expected: str
) -> None:
    page, _, problems = _search(browser, served + "/search/")
    page.check("input[data-filter='page'][value='Tool']")
    page.fill("#q", words)
    page.wait_for_function(
        "n => [...document.querySelectorAll('#search-results > li > a')]"
        ".slice(0, 8).some(a => a.textContent === n)",
        arg=expected,
        timeout=20_000,
    )
    assert problems == []
    page.close()


def test_filters_narrow_the_results(browser: Any, served: str) -> None:
    page, _, problems = _search(browser, served + "/search/?q=grounded")
    page.wait_for_selector("#search-results > li")
    page.check("input[data-filter='page'][value='Tool']")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results .result-kind')]"
        ".every(s => s.textContent.trim() === 'Tool')"
    )
    tools = _results(page)
    assert tools[0] == "Kosmos-2 (kosmos-2-patch14-224)" and " vs " not in " ".join(tools)
    page.check("input[data-filter='open source'][value='no']")
    page.wait_for_function(
        "() => !document.querySelector('#search-results > li > a')"
        " || ![...document.querySelectorAll('#search-results > li > a')]"
        ".some(a => a.textContent.startsWith('Kosmos-2'))"
    )
    assert "Kosmos-2 (kosmos-2-patch14-224)" not in _results(page)
    assert problems == []
    page.close()


def test_search_works_under_a_subpath(tmp_path: Path, browser: Any) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text()
    start = text.index("base_url:")
    end = text.index("\n", start)
    site_yaml.write_text(text[:start] + "base_url: https://example.org/sub/" + text[end:])
    root = tmp_path / "root"
    build_to(content, root / "sub", workers=1)
    with serve(root) as url:
        page = browser.new_page()
        problems = watch(page)
        page.goto(url + "/sub/search/?q=grounded")
        page.wait_for_selector("#search-results > li > a", timeout=20_000)
        href = page.get_attribute("#search-results > li > a", "href")
        assert href == "/sub/tools/alpha/"
        assert problems == []
        page.close()
    assert BuildOptions  # the options type the helpers build with
