""" "People also compare": related comparisons ranked by match evidence, then shared
categories, then shared capability kinds, each with its reason; never alphabetical fill-in.
And the incremental build keeps them right when another tool changes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from bs4 import Tag

from tests.conftest import FIXTURE, TEMPLATES, build_to, soup
from tests.test_incremental import site_files


def related(page: Path) -> dict[str, list[tuple[str, str]]]:
    """Per column heading, the (link text, reason) of each related comparison."""
    section = soup(page).find("section", id="related")
    assert isinstance(section, Tag)
    found = {}
    for column in section.find_all("div", class_="column"):
        items = []
        for li in column.find_all("li"):
            why = li.find("span", class_="why")
            if why is not None:
                items.append((li.a.get_text(), why.get_text()))
        found[column.h3.get_text()] = items
    return found


def test_related_comparisons_are_ranked_with_their_reason(fixture_site: Path) -> None:
    # alpha + beta: matched 120 times, both Vision; beta + gamma matched 30 times;
    # gamma + delta both Text; alpha shares nothing with gamma or delta.
    page = fixture_site / "compare" / "beta-vs-gamma" / "index.html"
    assert related(page) == {
        "More with Beta Draw": [("Beta Draw vs Alpha Vision", "(compared 120 times; both Vision)")],
        "More with Gamma Chat": [("Gamma Chat vs Delta Code", "(both Text)")],
    }
    # Alpha relates only to beta, this very page: no alphabetical fill-in with gamma, delta.
    page = fixture_site / "compare" / "alpha-vs-beta" / "index.html"
    assert related(page) == {
        "More with Alpha": [],
        "More with Beta Draw": [("Beta Draw vs Gamma Chat", "(compared 30 times)")],
    }
    links = soup(page).find("section", id="related")("a", href=True)
    assert "/alternatives/alpha/" in {a["href"] for a in links}


def test_match_evidence_ranks_before_a_shared_category(fixture_site: Path) -> None:
    page = fixture_site / "compare" / "alpha-vs-gamma" / "index.html"
    assert related(page)["More with Gamma Chat"] == [
        ("Gamma Chat vs Beta Draw", "(compared 30 times)"),
        ("Gamma Chat vs Delta Code", "(both Text)"),
    ]


def test_shared_capability_kind_is_a_reason(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for slug, cap in (("alpha", "  - id: grounding\n"), ("delta", "  - id: complete\n")):
        p = content / "tools" / f"{slug}.yaml"
        text = p.read_text()
        i = text.index(cap) + len(cap)
        j = text.index("\n", text.index("vs_alternatives:", i)) + 1
        p.write_text(text[:j] + "    kind: grounding\n" + text[j:])
    build_to(content, tmp_path / "site", workers=1)
    page = tmp_path / "site" / "compare" / "alpha-vs-gamma" / "index.html"
    assert related(page)["More with Alpha"] == [
        ("Alpha Vision vs Beta Draw", "(compared 120 times; both Vision)"),
        ("Alpha Vision vs Delta Code", "(both do Grounding)"),
    ]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def _inodes(out: Path) -> dict[str, int]:
    return {
        str(p.relative_to(out)): os.stat(p).st_ino
        for p in out.rglob("*")
        if p.is_file() and ".versus" not in p.parts
    }


def test_a_category_change_rebuilds_the_pages_whose_related_lists_it_changes(
    workdir: Path,
) -> None:
    """delta joins Vision: alpha's related list gains delta (both Vision), so alpha's
    comparison pages are rebuilt, not only delta's; beta's list is full (2 links) and stays,
    and beta + gamma, touching neither, is not rewritten."""
    kw = {"templates": workdir / "templates", "workers": 1}
    out = workdir / "site"
    build_to(workdir / "content", out, **kw)
    before = _inodes(out)
    p = workdir / "content" / "tools" / "delta.yaml"
    p.write_text(p.read_text().replace("categories: [text]", "categories: [text, vision]"))
    build_to(workdir / "content", out, **kw)
    after = _inodes(out)
    rewritten = {f for f in after if before.get(f) != after[f]}
    pairs = {f.split("/")[1] for f in rewritten if f.startswith("compare/") and "-vs-" in f}
    assert pairs == {"alpha-vs-beta", "alpha-vs-delta", "alpha-vs-gamma", "beta-vs-delta",
                     "delta-vs-gamma"}  # fmt: skip
    assert "compare/beta-vs-gamma/index.html" not in rewritten
    assert {f for f in rewritten if f.startswith(("tools/", "alternatives/"))} == {
        "tools/alpha/index.html",
        "tools/delta/index.html",
        "alternatives/alpha/index.html",  # delta is now close to alpha
        "alternatives/beta/index.html",  # and to beta
        "alternatives/gamma/index.html",  # lists delta, whose file changed
        "alternatives/delta/index.html",
    }
    assert related(out / "compare" / "alpha-vs-beta" / "index.html")["More with Alpha"] == [
        ("Alpha Vision vs Delta Code", "(both Vision)")
    ]
    report = json.loads((out / ".versus" / "report.json").read_text())
    # The search index's files are counted apart (report["search_index"]).
    assert report["written"] == len({f for f in rewritten if not f.startswith("pagefind/")})
    build_to(workdir / "content", workdir / "clean", clean=True, **kw)
    assert site_files(out) == site_files(workdir / "clean")
