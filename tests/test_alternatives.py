"""Alternatives pages: /alternatives/<slug>/ for every tool, its closest tools ranked as
related comparisons are, each with rank, pricing, what it does that the tool does not and
a link to the comparison when the pair has one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bs4 import Tag

from tests.conftest import build_to, soup
from tests.test_pairs import with_pairs

MakeSite = Callable[[dict[str, str]], Path]


def alternatives(page: Path) -> list[dict[str, object]]:
    doc = soup(page)
    found = []
    for li in doc.find_all("li", class_="alternative"):
        assert isinstance(li, Tag)
        compare = li.find("a", class_="compare")
        found.append(
            {
                "slug": li["data-slug"],
                "name": li.h2.a.get_text(),
                "why": li.find("p", class_="why").get_text(),
                "rank": li.find("dd", class_="rank").get_text(),
                "pricing": li.find("dd", class_="pricing").get_text(),
                "extra": li.find("dd", class_="extra").get_text(),
                "compare": compare["href"] if compare else None,
            }
        )
    return found


def test_every_tool_has_an_alternatives_page_linked_from_its_tool_page(
    fixture_site: Path,
) -> None:
    for slug in ("alpha", "beta", "gamma", "delta"):
        assert (fixture_site / "alternatives" / slug / "index.html").is_file()
        tool = soup(fixture_site / "tools" / slug / "index.html")
        assert f"/alternatives/{slug}/" in {a["href"] for a in tool("a", href=True)}
    sitemap = (fixture_site / "sitemaps" / "sitemap-1.xml").read_text()
    assert "https://fixture.example.org/alternatives/gamma/" in sitemap


def test_alternatives_are_ranked_with_rank_pricing_and_what_they_add(fixture_site: Path) -> None:
    page = fixture_site / "alternatives" / "gamma" / "index.html"
    assert soup(page).h1.get_text() == "Alternatives to Gamma Chat"
    assert alternatives(page) == [
        {
            "slug": "beta",
            "name": "Beta Draw",
            "why": "Why it is close: compared 30 times.",
            "rank": "58 of 100",
            "pricing": "Paid · no free tier · from 10 USD per month",
            "extra": "Text to image; Style references",
            "compare": "/compare/beta-vs-gamma/",
        },
        {
            "slug": "delta",
            "name": "Delta Code",
            "why": "Why it is close: both Text.",
            "rank": "unranked (not enough evidence)",
            "pricing": "Free · free tier",
            "extra": "CLI completion",
            "compare": "/compare/delta-vs-gamma/",
        },
    ]
    # alpha shares nothing with gamma or delta: only beta, no alphabetical fill-in
    assert [
        a["slug"] for a in alternatives(fixture_site / "alternatives" / "alpha" / "index.html")
    ] == ["beta"]  # noqa: E501


def test_alternative_without_a_comparison_page_says_so(make_site: MakeSite, tmp_path: Path) -> None:
    content = with_pairs(make_site, "  rules: [same-category]\n  min_words: 0\n")
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    found = alternatives(out / "alternatives" / "gamma" / "index.html")
    assert [(a["slug"], a["compare"]) for a in found] == [
        ("beta", None),  # matched, but beta + gamma has no page under same-category
        ("delta", "/compare/delta-vs-gamma/"),
    ]
    li = soup(out / "alternatives" / "gamma" / "index.html").find("li", attrs={"data-slug": "beta"})
    assert (
        li.find(class_="no-compare").get_text()
        == "No comparison page for Gamma Chat and Beta Draw."
    )
    assert not (out / "compare" / "beta-vs-gamma").exists()


def test_what_an_alternative_adds_goes_by_capability_kind(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """Beta's text-to-image capability has a kind alpha lacks; its style references share
    a kind with one of alpha's capabilities (under another title), so they are not new."""
    content = make_site({})
    for slug, cap, kind in (
        ("beta", "  - id: text-to-image\n", "text-to-image"),
        ("beta", "  - id: styles\n", "grounding"),
        ("alpha", "  - id: grounding\n", "grounding"),
    ):
        p = content / "tools" / f"{slug}.yaml"
        text = p.read_text()
        i = text.index(cap) + len(cap)
        j = text.index("\n", text.index("vs_alternatives:", i)) + 1
        p.write_text(text[:j] + f"    kind: {kind}\n" + text[j:])
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    (beta,) = alternatives(out / "alternatives" / "alpha" / "index.html")
    assert beta["extra"] == "Text to image"
    assert beta["why"] == "Why it is close: compared 120 times; both Vision; both do Grounding."
