"""Publish-ready pages: metadata, JSON-LD, the score chart, `_redirects` and netlify.toml."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from generator import seo
from generator.load import read_content
from generator.plan import Site, assemble
from generator.validate import validate
from tests.conftest import FIXTURE, ROOT, build_to, soup

FIXTURE_BASE = yaml.safe_load((FIXTURE / "site.yaml").read_text())["base_url"].rstrip("/")
BUNDLED_BASE = yaml.safe_load((ROOT / "content" / "site.yaml").read_text())["base_url"].rstrip("/")
SUBSCORE_KEYS = [k for k, _ in seo.CHART_METRICS]


def html_pages(site: Path) -> Iterator[tuple[str, BeautifulSoup]]:
    """(URL path, parsed page) for every HTML page of a built site."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("."):
            continue
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        yield url, soup(path)


def ld_blocks(doc: BeautifulSoup) -> list[dict[str, Any]]:
    return [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]


def ld_of(doc: BeautifulSoup, kind: str) -> dict[str, Any]:
    found = [b for b in ld_blocks(doc) if b["@type"] == kind]
    assert len(found) == 1, (kind, [b["@type"] for b in ld_blocks(doc)])
    return found[0]


def meta(doc: BeautifulSoup, **attrs: str) -> str:
    tag = doc.find("meta", attrs=attrs)
    assert tag is not None, attrs
    content: str = tag["content"]
    return content


def keys_anywhere(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            if isinstance(v, str):
                yield v
            yield from keys_anywhere(v)
    elif isinstance(value, list):
        for v in value:
            yield from keys_anywhere(v)


# --------------------------------------------------------------------------- every page


def test_titles_and_descriptions_unique_across_bundled_site(bundled_site: Path) -> None:
    titles: Counter[str] = Counter()
    descriptions: Counter[str] = Counter()
    for _, doc in html_pages(bundled_site):
        titles[doc.title.get_text(strip=True)] += 1
        descriptions[meta(doc, name="description")] += 1
    assert sum(titles.values()) > 100
    assert [t for t, n in titles.items() if n > 1] == []
    assert [d for d, n in descriptions.items() if n > 1] == []
    assert all(t and d for t, d in zip(titles, descriptions, strict=False))


@pytest.mark.parametrize("which", ["fixture", "bundled"])
def test_every_page_has_canonical_open_graph_and_twitter_tags(
    which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(f"{which}_site")
    base = FIXTURE_BASE if which == "fixture" else BUNDLED_BASE
    for url, doc in html_pages(site):
        canonical = doc.find("link", rel="canonical")["href"]
        assert canonical == base + url, url
        assert canonical.startswith("https://")
        title = doc.title.get_text(strip=True)
        description = meta(doc, name="description")
        assert meta(doc, property="og:title") == title
        assert meta(doc, property="og:description") == description
        assert meta(doc, property="og:url") == canonical
        assert meta(doc, property="og:type") == "website"
        assert meta(doc, property="og:site_name")
        assert meta(doc, name="twitter:title") == title
        is_pair_or_tool = url.startswith(("/compare/", "/tools/")) and url.count("/") == 3
        if is_pair_or_tool:
            image = meta(doc, property="og:image")
            assert image == canonical + "share.png", url
            assert (site / url.lstrip("/") / "share.png").is_file(), url
            assert meta(doc, name="twitter:card") == "summary_large_image"
            assert meta(doc, name="twitter:image") == image
        else:
            assert meta(doc, name="twitter:card") == "summary", url


@pytest.mark.parametrize("which", ["fixture", "bundled"])
def test_share_images_are_1200_by_630_pngs_with_the_pair(
    which: str, request: pytest.FixtureRequest
) -> None:
    from PIL import Image

    site: Path = request.getfixturevalue(f"{which}_site")
    images = sorted(site.glob("compare/*/share.png")) + sorted(site.glob("tools/*/share.png"))
    pages = list(site.glob("compare/*-vs-*/index.html")) + list(site.glob("tools/*/index.html"))
    assert len(images) == len(pages)
    for path in images:
        with Image.open(path) as im:
            im.load()  # decodes every row: checksums and stream must be right
            assert im.size == (1200, 630) and im.format == "PNG"


@pytest.mark.parametrize("which", ["fixture", "bundled"])
def test_no_inline_style_or_script_for_the_csp(which: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(f"{which}_site")
    for url, doc in html_pages(site):
        assert doc.find(style=True) is None, url
        assert doc.find("style") is None, url
        for script in doc.find_all("script"):
            if script.get("type") == "application/ld+json":
                assert not script.get("src")
                continue
            assert script.get("src", "").startswith("/assets/"), url
            assert not script.string, url
        for tag in doc.find_all(True):
            assert not any(a.lower().startswith("on") for a in tag.attrs), (url, tag.name)


# --------------------------------------------------------------------------- JSON-LD


EXPECTED_TYPES = {
    "/": {"WebSite", "ItemList"},
    "/compare/": {"BreadcrumbList"},
    "/methodology/": {"BreadcrumbList"},
    "/search/": set(),
    "/404.html": set(),
}


@pytest.mark.parametrize("which", ["fixture", "bundled"])
def test_json_ld_parses_with_expected_types_and_no_rating(
    which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(f"{which}_site")
    base = FIXTURE_BASE if which == "fixture" else BUNDLED_BASE
    for url, doc in html_pages(site):
        blocks = ld_blocks(doc)
        types = {b["@type"] for b in blocks}
        if url.startswith("/tools/"):
            expected = {"SoftwareApplication", "BreadcrumbList"}
        elif url.startswith("/categories/"):
            expected = {"ItemList", "BreadcrumbList"}
        elif url.startswith("/alternatives/"):
            no_list = doc.find(id="no-alternatives") is not None
            expected = {"BreadcrumbList"} if no_list else {"ItemList", "BreadcrumbList"}
        elif url.startswith("/compare/") and url != "/compare/":
            expected = {"BreadcrumbList"}
        else:
            expected = EXPECTED_TYPES[url]
        assert types == expected, url
        assert len(blocks) == len(types), url
        for block in blocks:
            assert block["@context"] == "https://schema.org"
            words = " ".join(keys_anywhere(block)).lower()
            assert "rating" not in words and "review" not in words, url
        for script in doc.find_all("script", type="application/ld+json"):
            assert "<" not in script.string and ">" not in script.string
        # The visible breadcrumb trail and the BreadcrumbList say the same.
        nav = doc.find("nav", class_="crumbs")
        if "BreadcrumbList" in types:
            items = ld_of(doc, "BreadcrumbList")["itemListElement"]
            shown = [li.get_text(strip=True) for li in nav.find_all("li")]
            assert [i["name"] for i in items] == shown, url
            assert [i["position"] for i in items] == list(range(1, len(items) + 1))
            links = [base + a["href"] for a in nav.find_all("a")]
            assert [i["item"] for i in items[:-1]] == links
            assert items[-1]["item"] == base + url
        else:
            assert nav is None, url
    assert "aggregaterating" not in "".join(
        p.read_text("utf-8").lower() for p in site.rglob("*.html")
    )


def test_software_application_offers_follow_pricing(fixture_site: Path) -> None:
    def offers(slug: str) -> list[dict[str, Any]]:
        app = ld_of(soup(fixture_site / "tools" / slug / "index.html"), "SoftwareApplication")
        assert app["url"] == f"{FIXTURE_BASE}/tools/{slug}/"
        assert app["applicationCategory"] and app["author"]["@type"] == "Organization"
        found = app.get("offers", [])
        return found if isinstance(found, list) else [found]

    # open source, free tier, no price
    assert [(o["price"], o["priceCurrency"]) for o in offers("alpha")] == [(0, "USD")]
    # paid from 10 USD a month, no free tier: no price-0 offer
    (beta,) = offers("beta")
    assert (beta["price"], beta["priceCurrency"]) == (10, "USD")
    assert beta["priceSpecification"]["unitText"] == "per month"
    # freemium: the free tier and the lowest paid price
    assert [o["price"] for o in offers("gamma")] == [0, 20]


def test_listings_are_item_lists_in_page_order(fixture_site: Path) -> None:
    home = soup(fixture_site / "index.html")
    board = [  # ranked tools, then those listed apart as unranked: the page's order
        FIXTURE_BASE + th.find("a")["href"]
        for table in ("leaderboard", "unranked")
        for th in home.find("table", id=table).find("tbody").find_all("th")
    ]
    items = ld_of(home, "ItemList")["itemListElement"]
    assert [i["url"] for i in items] == board
    assert [i["position"] for i in items] == list(range(1, len(board) + 1))
    cat = soup(fixture_site / "categories" / "vision" / "index.html")
    members = [FIXTURE_BASE + li.find("a")["href"] for li in cat.select(".members li")]
    assert [i["url"] for i in ld_of(cat, "ItemList")["itemListElement"]] == members


def test_json_ld_is_escaped_for_script() -> None:
    nasty = 'A </script><script>alert(1)</script> & <!-- "q" \u2028 é'
    out = str(seo.json_ld({"name": nasty}))
    inner = out.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner and "\u2028" not in inner
    assert json.loads(inner) == {"name": nasty}
    crumbs = [("Home", "/"), (nasty, "/tools/x/")]
    fast = str(seo.breadcrumb_list("https://e.org/", crumbs))
    slow = seo.json_ld(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": i, "name": n, "item": "https://e.org" + u}
                for i, (n, u) in enumerate(crumbs, start=1)
            ],
        }
    )
    assert fast == str(slow)


# --------------------------------------------------------------------------- chart


def chart_values(doc: BeautifulSoup) -> tuple[BeautifulSoup, list[str]]:
    svg = doc.find("figure", class_="chart").find("svg")
    return svg, [t.get_text(strip=True) for t in svg.find_all("text")]


def accessible_name(doc: BeautifulSoup, svg: BeautifulSoup) -> str:
    assert svg["role"] == "img"
    ids = svg["aria-labelledby"].split()
    parts = [doc.find(id=i) for i in ids]
    assert all(p is not None for p in parts), ids
    assert parts[0].name == "title" and parts[0].parent is svg
    return " ".join(p.get_text(" ", strip=True) for p in parts)


def shown(cell: BeautifulSoup) -> str:
    """A score cell's number as the chart writes it ("53" of "53 from 1 figure")."""
    text = cell.get_text(" ", strip=True)
    if text.startswith(("no data", "unranked")):
        return text.split(" (")[0]
    return text.split()[0].removesuffix("/100")


def table_numbers(doc: BeautifulSoup, column: int) -> list[str]:
    rows = {
        tr["data-metric"]: shown(tr.find_all("td")[column])
        for tr in doc.find("table", id="comparison").find("tbody").find_all("tr")
    }
    return [rows[k.replace("_", "-")] for k in SUBSCORE_KEYS]


def test_compare_chart_pairs_both_tools_and_writes_no_data(fixture_site: Path) -> None:
    doc = soup(fixture_site / "compare" / "alpha-vs-delta" / "index.html")
    svg, texts = chart_values(doc)
    name = accessible_name(doc, svg)
    assert "Alpha Vision" in name and "Delta Code" in name
    assert "Delta Code: rank unranked" in name and "Alpha Vision: rank 53" in name
    # Delta has no data at all: "unranked" and four "no data" labels, and not a single bar.
    assert texts.count("no data") == 4 and texts.count("unranked") == 1
    delta_bars = svg.find("g", fill="url(#chart-fill-1)")
    assert delta_bars.find_all("rect") == []
    assert [t.get_text() for t in delta_bars.parent.find_all("text")] == ["unranked"] + [
        "no data"
    ] * 4
    alpha_bars = svg.find("g", fill="url(#chart-fill-0)")
    assert len(alpha_bars.find_all("rect")) == 5
    # The legend names both tools next to their fill.
    assert "Alpha Vision (solid bars)" in texts and "Delta Code (hatched bars)" in texts


@pytest.mark.parametrize("pair", ["alpha-vs-gamma", "alpha-vs-beta", "beta-vs-gamma"])
def test_compare_chart_values_match_the_table(fixture_site: Path, pair: str) -> None:
    doc = soup(fixture_site / "compare" / pair / "index.html")
    svg, _ = chart_values(doc)
    for slot in (0, 1):
        group = svg.find("g", fill=f"url(#chart-fill-{slot})").parent
        values = [t.get_text(strip=True) for t in group.find_all("text")]
        table = table_numbers(doc, slot)
        assert values == table, (pair, slot)
        widths = [int(r["width"]) for r in group.find_all("rect")]
        assert widths == [int(v) * seo.CHART.scale for v in table if v.isdigit()]


def test_tool_page_chart(fixture_site: Path) -> None:
    for slug in ("alpha", "gamma", "delta"):
        doc = soup(fixture_site / "tools" / slug / "index.html")
        svg, texts = chart_values(doc)
        assert "out of 100" in accessible_name(doc, svg)
        expected = [
            shown(tr.find("td"))
            for tr in doc.find("table", id="scores").find_all("tr", attrs={"data-metric": True})
            if tr["data-metric"] != "times-matched"
        ]
        group = svg.find("g", fill="url(#chart-fill-0)").parent
        assert [t.get_text(strip=True) for t in group.find_all("text")] == expected
        assert texts.count("no data") == expected.count("no data")
    delta = soup(fixture_site / "tools" / "delta" / "index.html")
    assert chart_values(delta)[1].count("no data") == 4
    assert delta.find("figure", class_="chart").find("svg").find("g", fill=True)("rect") == []


# --------------------------------------------------------------------------- redirects


def test_redirects_send_reversed_pairs_to_canonical(fixture_site: Path) -> None:
    lines = (fixture_site / "_redirects").read_text().splitlines()
    assert "/compare/beta-vs-alpha/ /compare/alpha-vs-beta/ 301" in lines
    assert "/compare/beta-vs-alpha /compare/alpha-vs-beta/ 301" in lines
    canonical = {f"/compare/{p.name}/" for p in (fixture_site / "compare").iterdir() if p.is_dir()}
    sources = [line.split()[0] for line in lines]
    assert not {s for s in sources if s in canonical or s + "/" in canonical}
    assert len(lines) == 2 * len(canonical)
    for line in lines:
        source, target, code = line.split()
        assert target in canonical and code == "301"


def _all_pairs_site(make_site: Callable[[dict[str, str]], Path], slugs: list[str]) -> Site:
    """The fixture's tools under other slugs, every pair built."""
    src = (FIXTURE / "tools" / "alpha.yaml").read_text()
    src = src.replace("aliases: [AlphaVis, Alpha-V]\n", "")  # aliases must be one tool's
    content = make_site({f"tools/{s}.yaml": src for s in slugs})
    for old in ("alpha", "beta", "gamma", "delta"):
        if old not in slugs:
            (content / "tools" / f"{old}.yaml").unlink()
    (content / "matches.yaml").write_text("matches: []\n")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("  example: alpha\n", ""))
    return assemble(validate(read_content(content)))


def test_redirect_rules_limit_and_vs_slugs(make_site: Callable[[dict[str, str]], Path]) -> None:
    three = _all_pairs_site(make_site, ["a", "b", "c"])  # 3 pairs, 6 rules
    assert seo.redirect_rules(three, limit=5) is None
    assert seo.redirect_rules(three, limit=6) is not None
    # "x" + "y-vs-z" reversed is /compare/y-vs-z-vs-x/, the canonical URL of y + z-vs-x.
    rules = seo.redirect_rules(_all_pairs_site(make_site, ["x", "y", "y-vs-z", "z-vs-x"]))
    assert rules is not None
    sources = [line.split()[0] for line in rules.decode().splitlines()]
    assert "/compare/y-vs-z-vs-x/" not in sources and "/compare/y-vs-z-vs-x" not in sources
    assert "/compare/y-vs-x/" in sources


def test_no_redirects_file_past_the_limit(
    tmp_path: Path, fixture_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_to(fixture_copy, out, workers=1)
    assert (out / "_redirects").is_file()
    monkeypatch.setattr(seo, "REDIRECT_LIMIT", 11)  # the fixture has 6 pairs: 12 rules
    build_to(fixture_copy, out, workers=1)
    assert not (out / "_redirects").exists()
    build_to(fixture_copy, tmp_path / "clean", workers=1, clean=True)
    assert not (tmp_path / "clean" / "_redirects").exists()


def test_404_page_is_not_indexed_and_loads_the_fallback(fixture_site: Path) -> None:
    doc = soup(fixture_site / "404.html")
    assert meta(doc, name="robots") == "noindex"
    assert doc.find(id="notfound-status")
    (script,) = [s for s in doc.find_all("script", src=True) if "/pick." in s["src"]]
    js = (fixture_site / script["src"].lstrip("/")).read_text()
    assert 'method: "HEAD"' in js and "window.location.replace(target)" in js


# --------------------------------------------------------------------------- netlify.toml


def test_netlify_toml_build_and_headers(bundled_site: Path) -> None:
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    assert config["build"]["command"] == "make site"
    assert config["build"]["publish"] == "site"
    assert config["build"]["environment"]["PYTHON_VERSION"]
    rules: dict[str, dict[str, str]] = {}
    for h in config["headers"]:
        assert h["for"] not in rules, f"duplicate headers rule {h['for']}"
        rules[h["for"]] = h["values"]
    everything = rules["/*"]
    csp = everything["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
    assert "http:" not in csp and "https:" not in csp and "*" not in csp
    for name in ("default-src", "style-src"):
        assert directives[name] == ["'self'"], name
    # Pagefind's WebAssembly (the search page) needs this one source expression; no more.
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert everything["X-Content-Type-Options"] == "nosniff"
    assert everything["Referrer-Policy"] and everything["Permissions-Policy"]
    # Netlify joins a header set by several matching rules, so Cache-Control is set on
    # disjoint paths: immutable assets, revalidated pages.
    assert "Cache-Control" not in everything
    assert rules["/assets/*"]["Cache-Control"] == "public, max-age=31536000, immutable"
    revalidate = "public, max-age=0, must-revalidate"
    html_rules = {p for p, v in rules.items() if v.get("Cache-Control") == revalidate}
    assert "/" in html_rules
    # Every published page is covered by a revalidation rule.
    for path in bundled_site.rglob("*"):
        rel = path.relative_to(bundled_site).as_posix()
        if not path.is_file() or rel.startswith((".", "assets/")) or rel == "_redirects":
            continue
        top = rel.split("/")[0]
        assert rel == "index.html" or f"/{top}/*" in html_rules or f"/{top}" in html_rules, rel
