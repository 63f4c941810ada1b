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
from tests.verdict_claims import markup_errors, page_from_html

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
    page = page_from_html(doc)
    headline = doc.find(class_="headline").get_text(strip=True)
    assert markup_errors(doc, page) == []
    assert check_claims(page, text, headline) == []
    for article in doc.find_all("article", class_="capability"):
        assert article.find(class_="unique") and article.find(class_="vs-alternatives")
    links = {a_["href"] for a_ in doc.find_all("a", href=True)}
    assert f"/tools/{a}/" in links and f"/tools/{b}/" in links


def test_head_to_head_compares_only_the_same_metric_and_setting(fixture_site: Path) -> None:
    doc = soup(fixture_site / "compare" / "alpha-vs-beta" / "index.html")
    rows = doc.find("table", id="head-to-head").find("tbody").find_all("tr")
    # Both report VQAv2 zero-shot ("Zero-shot" and "zero-shot" are one setting); alpha's
    # downloads and beta's monthly users are different metrics, beta's arena rating is stale.
    assert [(r["data-metric"], r["data-subscore"], r["data-better"]) for r in rows] == [
        ("vqav2_testdev", "quality", "higher")
    ]
    cells = rows[0].find_all("td")
    assert [c.find("data")["value"] for c in cells] == ["55", "60.25"]
    assert [c.find("time")["datetime"] for c in cells] == ["2026-09-01", "2026-08-20"]
    assert [c.find("a")["href"] for c in cells] == [
        "https://alpha.example.org/paper",
        "https://bench.example.org/vqa",
    ]
    assert cells[0].find("strong") is None and cells[1].find("strong") is not None
    assert doc.find(class_="headline").get_text(strip=True) == (
        "Beta Draw is ahead on the one quality figure both publish."
    )
    verdict = doc.find("section", id="verdict").find("p").get_text(" ", strip=True)
    assert verdict.startswith(
        "On the figures both publish, choose Beta Draw. Beta Draw is ahead on the one quality "
        "figure both report: VQAv2 test-dev (60.25 vs 55)."
    )
    adoption = doc.find("table", id="comparison").find("tr", attrs={"data-metric": "adoption"})
    assert adoption.find("th").get_text(" ", strip=True) == (
        "Adoption Not like for like: Alpha Vision's adoption rests on Downloads per month; "
        "Beta Draw's on Monthly active users."
    )
    assert [td.get_text(" ", strip=True) for td in adoption.find_all("td")] == [
        "53 from 1 figure",
        "58 from 1 figure",
    ]


def test_no_shared_figure_gives_a_note_and_no_table(fixture_site: Path) -> None:
    doc = soup(fixture_site / "compare" / "alpha-vs-gamma" / "index.html")
    assert doc.find("table", id="head-to-head") is None
    assert doc.find(class_="no-h2h").get_text(" ", strip=True) == (
        "Alpha Vision and Gamma Chat publish no figure on the same metric and setting, so no "
        "like-for-like comparison is possible."
    )


def test_thin_evidence_is_unranked_in_words(fixture_site: Path) -> None:
    page = page_from_html(soup(fixture_site / "compare" / "alpha-vs-delta" / "index.html"))
    assert page.cells["rank"][1] == "unranked (not enough evidence)"
    assert page.cells["adoption"][1] == "no data"
    tool = soup(fixture_site / "tools" / "delta" / "index.html").get_text(" ", strip=True)
    assert (
        "Delta Code is unranked: 0 current figures in 0 sub-scores; a rank needs at least 3 "
        "figures in 2 sub-scores." in tool
    )
    home = soup(fixture_site / "index.html")
    ranked = [a.get_text() for a in home.find("table", id="leaderboard").find("tbody")("a")]
    unranked = [a.get_text() for a in home.find("table", id="unranked").find("tbody")("a")]
    assert ranked == ["Beta Draw", "Alpha Vision"]
    assert unranked == ["Delta Code", "Gamma Chat"]
    category = soup(fixture_site / "categories" / "text" / "index.html")
    assert category.find(id="unranked-h") is not None
    assert category.find("ol", class_="members") is None  # no ranked tool in this category


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
    assert "100,000" in evidence and "2026-10-01" in evidence and "2026-10-02" in evidence
    assert "community" in evidence and "vendor-claimed" in evidence
    assert doc.find("a", href="https://alpha.example.org/stats")
    hrefs = {a["href"] for a in doc.find_all("a", href=True)}
    for other in SLUGS:
        if other != "alpha":
            pair = sorted(("alpha", other))
            assert f"/compare/{pair[0]}-vs-{pair[1]}/" in hrefs


def test_stale_and_superseded_figures_are_marked_in_words(fixture_site: Path) -> None:
    beta = soup(fixture_site / "tools" / "beta" / "index.html").find("table", id="evidence")
    stale = beta.find("tr", attrs={"data-status": "stale"})
    assert stale["data-metric"] == "image_arena_elo"
    assert stale.find_all("td")[-1].get_text(" ", strip=True) == (
        "stale : older than 365 days, not counted"
    )
    gamma = soup(fixture_site / "tools" / "gamma" / "index.html").find("table", id="evidence")
    old = gamma.find("tr", attrs={"data-status": "superseded"})
    assert old.find("time")["datetime"] == "2026-06-01"


def test_methodology_states_the_method_and_works_an_example(fixture_site: Path) -> None:
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
    text = doc.get_text(" ", strip=True)
    assert "sub-score = (n × mean + 2 × 50) / (n + 2)" in text
    assert "at least 3 current figures in at least 2 of the three sub-scores" in text
    metrics = {
        tr.find("code").get_text() for tr in doc.find("table", id="scales-table")("tr")[1:-1]
    }
    assert {"mmlu_5shot", "fixture_quiz", "librispeech_test_clean_wer"} <= metrics
    steps = [li.get_text(" ", strip=True) for li in doc.find("ol", class_="steps")("li")]
    assert doc.find(id="example").get_text() == "Worked example: Alpha Vision"
    assert steps[0].startswith(
        "Adoption: 1 figure with mean placement 60.0, so (1 × 60.0 + 2 × 50)"
    )
    assert (
        steps[-2] == "Match graph: matched 120 times, score 41.6, not above the base, so no lift."
    )
    assert steps[-1] == "Rank: 53.0 + 0.0 = 53.0, shown as 53/100."


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
    assert board.find("tbody").find("tr").find_all("td")[2].get_text() == "58/100"


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
    assert "rendered 21/21 pages (100%" in result.stderr
    assert result.stdout.startswith("Built 21 pages in ")
    quiet = run_cli("build", "--quiet", "--templates", str(TEMPLATES), cwd=tmp_path)
    assert quiet.stdout == "" and quiet.returncode == 0
