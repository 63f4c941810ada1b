"""The bundled content: real tools, every pair built, every verdict true of its table."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import ROOT, soup
from tests.verdict_claims import check, table_from_html

CONTENT = ROOT / "content"
TOOLS = sorted(p.stem for p in (CONTENT / "tools").glob("*.yaml"))


def _tool(slug: str) -> dict:
    return yaml.safe_load((CONTENT / "tools" / f"{slug}.yaml").read_text("utf-8"))


def test_at_least_twelve_tools_in_three_categories() -> None:
    assert len(TOOLS) >= 12
    categories = {c for s in TOOLS for c in _tool(s)["categories"]}
    assert len(categories) >= 3


def test_required_tools_and_their_capabilities() -> None:
    kosmos = _tool("kosmos-2-patch14-224")
    assert len(kosmos["capabilities"]) == 8
    assert "14" in yaml.safe_dump(kosmos["capabilities"])  # the 14x14-pixel patches
    assert len(_tool("midjourney")["capabilities"]) == 5


def test_every_tool_cites_sources() -> None:
    for slug in TOOLS:
        tool = _tool(slug)
        assert tool["sources"], slug
        for group in tool.get("evidence", {}).values():
            for item in group:
                assert item["source"].startswith("https://"), slug


def test_every_pair_has_a_page_and_a_true_verdict(bundled_site: Path) -> None:
    margin = yaml.safe_load((CONTENT / "site.yaml").read_text())["verdict"]["lead_margin"]
    pairs = [(a, b) for i, a in enumerate(TOOLS) for b in TOOLS[i + 1 :]]
    failures = {}
    for a, b in pairs:
        page = bundled_site / "compare" / f"{a}-vs-{b}" / "index.html"
        assert page.is_file(), page
        doc = soup(page)
        text = doc.find("section", id="verdict").get_text(" ", strip=True)
        problems = check(table_from_html(doc), text, margin)
        if problems:
            failures[f"{a}-vs-{b}"] = problems
    assert failures == {}
    built = list((bundled_site / "compare").glob("*-vs-*/index.html"))
    assert len(built) == len(TOOLS) * (len(TOOLS) - 1) // 2


def test_kosmos_vs_midjourney_page(bundled_site: Path) -> None:
    doc = soup(bundled_site / "compare" / "kosmos-2-patch14-224-vs-midjourney" / "index.html")
    table = table_from_html(doc)
    assert table.a.startswith("Kosmos-2") and table.b == "Midjourney"
    assert table.cells["capabilities"] == ("8", "5")
    assert len(doc.find_all("article", class_="capability")) == 13
