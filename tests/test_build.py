"""The fixture site built end to end and read back with an HTML parser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import check
from generator.problems import ContentError
from tests.conftest import FIXTURE, TEMPLATES, run_cli, snapshot, soup
from tests.verdict_claims import check as check_claims
from tests.verdict_claims import table_from_html

SLUGS = sorted(p.stem for p in (FIXTURE / "tools").glob("*.yaml"))
PAIRS = [(a, b) for i, a in enumerate(SLUGS) for b in SLUGS[i + 1 :]]
METRICS = [
    "type",
    "rank",
    "adoption",
    "quality",
    "ecosystem",
    "match-graph",
    "pricing",
    "capabilities",
    "times-matched",
]


def test_one_page_per_unordered_pair(fixture_site: Path) -> None:
    pages = sorted(p.parent.name for p in (fixture_site / "compare").glob("*/index.html"))
    assert pages == [f"{a}-vs-{b}" for a, b in PAIRS]
    assert len(pages) == len(SLUGS) * (len(SLUGS) - 1) // 2


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_comparison_page_hooks_and_verdict(fixture_site: Path, a: str, b: str) -> None:
    doc = soup(fixture_site / "compare" / f"{a}-vs-{b}" / "index.html")
    table = doc.find("table", id="comparison")
    assert [tr["data-metric"] for tr in table.find("tbody").find_all("tr")] == METRICS
    names = [th.get_text(strip=True) for th in table.find("thead").find_all("th")][-2:]
    expected = [
        yaml.safe_load((FIXTURE / "tools" / f"{s}.yaml").read_text())["name"] for s in (a, b)
    ]
    assert names == expected
    verdict = doc.find("section", id="verdict")
    assert verdict is not None
    text = verdict.find("p").get_text(" ", strip=True)
    assert check_claims(table_from_html(doc), text, margin=5) == []
    for article in doc.find_all("article", class_="capability"):
        assert article.find(class_="unique") and article.find(class_="vs-alternatives")
    links = {a_["href"] for a_ in doc.find_all("a", href=True)}
    assert f"/tools/{a}/" in links and f"/tools/{b}/" in links


def test_headline_names_the_higher_ranked_tool(fixture_site: Path) -> None:
    doc = soup(fixture_site / "compare" / "alpha-vs-beta" / "index.html")
    table = table_from_html(doc)
    ra, rb = table.number("rank", 0), table.number("rank", 1)
    assert ra is not None and rb is not None and rb > ra
    assert (
        doc.find(class_="headline")
        .get_text(strip=True)
        .startswith(f"Beta Draw ranks higher than Alpha Vision by {rb - ra} point")
    )


def test_missing_data_is_shown_as_no_data(fixture_site: Path) -> None:
    doc = soup(fixture_site / "compare" / "alpha-vs-delta" / "index.html")
    table = table_from_html(doc)
    assert table.cells["rank"][1] == "no data"
    assert table.cells["adoption"][1] == "no data"
    tool = soup(fixture_site / "tools" / "delta" / "index.html")
    assert "Delta Code has no rank" in tool.get_text()


def test_content_markup_is_sanitised(fixture_site: Path) -> None:
    for page in fixture_site.rglob("*.html"):
        doc = soup(page)
        for script in doc.find_all("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.string)  # data, not code: must be valid JSON
                continue
            assert script.get("src", "").startswith("/assets/"), page
        for tag in doc.find_all(href=True):
            assert not tag["href"].strip().lower().startswith("javascript:"), page
    text = (fixture_site / "tools" / "alpha" / "index.html").read_text()
    assert "alert(1)" not in text.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "")


def test_tool_page_shows_evidence_and_all_comparisons(fixture_site: Path) -> None:
    doc = soup(fixture_site / "tools" / "alpha" / "index.html")
    evidence = doc.find("table", class_="evidence").get_text(" ", strip=True)
    assert "100,000" in evidence and "2026-10-01" in evidence
    assert doc.find("a", href="https://alpha.example.org/stats")
    hrefs = {a["href"] for a in doc.find_all("a", href=True)}
    for other in SLUGS:
        if other != "alpha":
            pair = sorted(("alpha", other))
            assert f"/compare/{pair[0]}-vs-{pair[1]}/" in hrefs


def test_methodology_shows_weights_in_use(fixture_site: Path) -> None:
    doc = soup(fixture_site / "methodology" / "index.html")
    weights = {
        tr.find("th").get_text(strip=True): tr.find("td").get_text(strip=True)
        for tr in doc.find("table", id="weights").find("tbody").find_all("tr")
    }
    assert weights == {
        "Adoption": "0.3",
        "Quality": "0.35",
        "Ecosystem": "0.2",
        "Match graph": "0.15",
    }


def test_surrounding_pages_exist(fixture_site: Path) -> None:
    for rel in [
        "index.html",
        "404.html",
        "methodology/index.html",
        "search/index.html",
        "compare/index.html",
        "categories/vision/index.html",
        "categories/text/index.html",
        "sitemap.xml",
        "robots.txt",
    ]:
        assert (fixture_site / rel).is_file(), rel
    board = soup(fixture_site / "index.html").find("table", id="leaderboard")
    first = board.find("tbody").find("tr").find("a").get_text()
    assert first == "Beta Draw"


def test_template_error_leaves_site_untouched(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    ok = run_cli("build", "--templates", str(templates), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    before = snapshot(tmp_path / "site")
    compare = templates / "compare.html"
    compare.write_text(compare.read_text().replace("{{ verdict.text }}", "{{ verdict.nope }}"))
    # the edit must trigger a rebuild of comparison pages, which then fail
    bad = run_cli("build", "--templates", str(templates), cwd=tmp_path)
    assert bad.returncode == 1
    assert "compare.html" in bad.stderr and "Traceback" not in bad.stderr
    assert snapshot(tmp_path / "site") == before
    assert not list(tmp_path.glob(".site.*")), "staging folder left behind"


def test_cli_version_and_help() -> None:
    assert run_cli("--version").stdout.startswith("versus ")
    helped = run_cli("build", "--help").stdout
    assert "--content" in helped and "--out" in helped


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=15,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=300),
        yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
        st.binary(max_size=100).map(lambda b: b.decode("latin-1")),
    )
)
def test_any_yaml_gives_a_build_or_a_clean_error(fixture_copy: Path, text: str) -> None:
    (fixture_copy / "tools" / "beta.yaml").write_text(text, "utf-8")
    try:
        check(fixture_copy, TEMPLATES)
    except ContentError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file.endswith(".yaml") and p.line >= 1 and p.col >= 1 and p.message


def test_progress_bar_and_plain_output(tmp_path: Path) -> None:
    import io

    from generator.report import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(50, 100)
    bar(100, 100)
    assert "100/100 pages" in stream.getvalue() and "[" + "#" * 30 + "]" in stream.getvalue()
    # not a terminal: no bar, just the one-line summary
    shutil.copytree(FIXTURE, tmp_path / "content")
    result = run_cli("build", "--templates", str(TEMPLATES), cwd=tmp_path)
    assert result.returncode == 0 and "#" not in result.stderr
    assert "rendered 17/17 pages (100%" in result.stderr
    assert result.stdout.startswith("Built 17 pages in ")
    quiet = run_cli("build", "--quiet", "--templates", str(TEMPLATES), cwd=tmp_path)
    assert quiet.stdout == "" and quiet.returncode == 0
