"""The pair policy: which pairs get a comparison page, the thin gate, and what the build
report says about the pairs it left out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.load import read_content
from generator.plan import Site, assemble
from generator.validate import validate
from tests.conftest import build_to, run_cli, snapshot, soup

MakeSite = Callable[[dict[str, str]], Path]
FIXTURE_PAIRS = re.compile(r"pairs:\n(?:  .*\n)+")


def with_pairs(make_site: MakeSite, block: str, files: dict[str, str] | None = None) -> Path:
    """The fixture with `block` (YAML lines under `pairs:`) as its pair policy."""
    content = make_site(files or {})
    site_yaml = content / "site.yaml"
    text = FIXTURE_PAIRS.sub("pairs:\n" + block, site_yaml.read_text(), count=1)
    site_yaml.write_text(text)
    return content


def plan(content: Path) -> Site:
    return assemble(validate(read_content(content)))


def built(site: Site) -> set[tuple[str, str]]:
    return {(a, b) for a in site.slugs for b in site.pairs.later[a]}


# alpha, beta: vision; gamma, delta: text; matches.yaml counts alpha+beta and beta+gamma.
@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("  rules: [all]\n", {"ab", "ad", "ag", "bd", "bg", "dg"}),
        ("  rules: [same-category]\n", {"ab", "dg"}),
        ("  rules: [matched]\n", {"ab", "bg"}),
        ("  rules: [same-category, matched]\n", {"ab", "dg", "bg"}),
        # each tool's closest: alpha and beta each other (matched 120 times), gamma beta
        # (matched beats a shared category), delta gamma (its only relation)
        ("  rules: [top-k]\n  top_k: 1\n", {"ab", "bg", "dg"}),
        ("  rules: [same-category]\n  include: [[alpha, delta]]\n", {"ab", "ad", "dg"}),
        ("  rules: [same-category, matched]\n  exclude: [[beta, alpha]]\n", {"dg", "bg"}),
        ("  rules: [all]\n  include: [[beta, gamma]]\n  exclude: [[gamma, beta]]\n",
         {"ab", "ad", "ag", "bd", "dg"}),
    ],
)  # fmt: skip
def test_policies_and_combinations(make_site: MakeSite, block: str, expected: set[str]) -> None:
    site = plan(with_pairs(make_site, block + "  min_words: 0\n"))
    names = {"a": "alpha", "b": "beta", "d": "delta", "g": "gamma"}
    want = {tuple(sorted((names[p[0]], names[p[1]]))) for p in expected}
    assert built(site) == want
    for a in site.slugs:
        for b in site.slugs:
            assert site.has_page(a, b) == (tuple(sorted((a, b))) in want)
    n = len(site.slugs)
    report = site.pairs
    assert report.built + report.not_in_policy + len(report.left_out) == n * (n - 1) // 2


def test_same_category_is_the_default(make_site: MakeSite) -> None:
    content = make_site({})
    site_yaml = content / "site.yaml"
    site_yaml.write_text(FIXTURE_PAIRS.sub("", site_yaml.read_text(), count=1))
    site = plan(content)
    assert built(site) == {("alpha", "beta"), ("delta", "gamma")}


def test_excluded_pair_is_reported_and_not_linked(make_site: MakeSite, tmp_path: Path) -> None:
    content = with_pairs(
        make_site, "  rules: [same-category, matched]\n  exclude: [[alpha, beta]]\n"
    )
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    assert not (out / "compare" / "alpha-vs-beta").exists()
    assert (out / "compare" / "beta-vs-gamma" / "index.html").is_file()
    hrefs = {a["href"] for p in out.rglob("*.html") for a in soup(p)("a", href=True)}
    assert "/compare/alpha-vs-beta/" not in hrefs and "/compare/beta-vs-gamma/" in hrefs
    assert "alpha-vs-beta" not in (out / "sitemaps" / "sitemap-1.xml").read_text()
    redirects = (out / "_redirects").read_text()
    assert "/compare/beta-vs-alpha/" not in redirects
    assert "/compare/gamma-vs-beta/ /compare/beta-vs-gamma/ 301" in redirects.splitlines()
    report = (out / ".versus" / "report.json").read_text()
    assert '"excluded in site.yaml (pairs.exclude)"' in report


def test_unknown_tool_in_include_is_a_located_error(make_site: MakeSite, tmp_path: Path) -> None:
    content = make_site({})
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    before = snapshot(out)
    site_yaml = content / "site.yaml"
    block = "pairs:\n  include:\n    - [alpha, gama]\n  exclude: [[beta, beta]]\n"
    site_yaml.write_text(FIXTURE_PAIRS.sub(block, site_yaml.read_text(), count=1))
    result = run_cli("build", "--content", str(content), "--out", str(out))
    lines = result.stderr.splitlines()
    site_yaml = f"{content}/site.yaml"
    line = content.joinpath("site.yaml").read_text().splitlines().index("    - [alpha, gama]") + 1
    unknown = 'pairs.include[0][1]: unknown tool "gama"; did you mean "gamma"?'
    twice = 'pairs.exclude[0]: a pair needs two different tools; got "beta" twice'
    assert f"{site_yaml}:{line}:15: {unknown}" in lines
    assert f"{site_yaml}:{line + 1}:13: {twice}" in lines
    assert lines[-1] == f"Found 2 problems in 1 file; {out} was not changed."
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_unknown_rule_is_a_located_error(make_site: MakeSite) -> None:
    content = with_pairs(make_site, "  rules: [same-categry]\n")
    result = run_cli("check", "--content", str(content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "pairs.rules[0]: expected one of all, same-category, matched, top-k" in result.stderr


TINY = """name: {name}
type: library
vendor: Tiny Org
website: https://tiny.example.org/
summary: A tiny tool.
categories: [text]
pricing:
  plan: free
  free_tier: true
  url: https://tiny.example.org/
capabilities:
  - id: small
    title: Small {name}
    description: Does little.
    unique: Very small.
    vs_alternatives: Smaller still.{kind}
sources:
  - url: https://tiny.example.org/
    backs: everything
checked: 2026-08-01
"""


def tiny(kind: str = "") -> dict[str, str]:
    extra = f"\n    kind: {kind}" if kind else ""
    return {
        f"tools/{s}.yaml": TINY.format(name=s.title(), kind=extra) for s in ("tiny-a", "tiny-b")
    }


THIN = (
    "thin: no figure on the same metric and setting, no shared capability kind, "
    "18 words of text (fewer than 30)"
)


def test_thin_pair_is_noindexed_kept_out_of_sitemap_and_reported(
    make_site: MakeSite, tmp_path: Path
) -> None:
    content = with_pairs(
        make_site, "  rules: [same-category]\n  thin: noindex\n  min_words: 30\n", tiny()
    )
    site = plan(content)
    assert site.has_page("tiny-a", "tiny-b") and not site.indexed("tiny-a", "tiny-b")
    assert site.indexed("alpha", "beta")  # shares figures with beta
    out = tmp_path / "site"
    result = run_cli("build", "-v", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"  noindex  tiny-a + tiny-b: {THIN}" in result.stdout.splitlines()
    page = soup(out / "compare" / "tiny-a-vs-tiny-b" / "index.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("link", rel="canonical") is not None
    indexed = soup(out / "compare" / "alpha-vs-beta" / "index.html")
    assert indexed.find("meta", attrs={"name": "robots"}) is None
    sitemap = (out / "sitemaps" / "sitemap-1.xml").read_text()
    assert "tiny-a-vs-tiny-b" not in sitemap and "/compare/alpha-vs-beta/" in sitemap
    tool = soup(out / "tools" / "tiny-a" / "index.html")  # built, so still linked
    assert "/compare/tiny-a-vs-tiny-b/" in {a["href"] for a in tool("a", href=True)}


def test_thin_pair_can_be_left_out(make_site: MakeSite, tmp_path: Path) -> None:
    content = with_pairs(
        make_site, "  rules: [same-category]\n  thin: skip\n  min_words: 30\n", tiny()
    )
    site = plan(content)
    assert not site.has_page("tiny-a", "tiny-b")
    assert ("tiny-a", "tiny-b", THIN) in site.pairs.left_out
    out = tmp_path / "site"
    result = run_cli("build", "-v", "--content", str(content), "--out", str(out))
    assert f"  left out tiny-a + tiny-b: {THIN}" in result.stdout.splitlines()
    assert not (out / "compare" / "tiny-a-vs-tiny-b").exists()
    tool = soup(out / "tools" / "tiny-a" / "index.html")
    assert not any("tiny-b" in a["href"] for a in tool("a", href=True) if "/compare/" in a["href"])


def test_a_shared_capability_kind_or_figure_keeps_a_pair_from_being_thin(
    make_site: MakeSite,
) -> None:
    content = with_pairs(
        make_site, "  rules: [same-category]\n  thin: skip\n  min_words: 30\n", tiny("grounding")
    )
    site = plan(content)
    assert site.indexed("tiny-a", "tiny-b")
    # gamma and delta share nothing and have 25 words: thin at 30, not at 25
    assert not site.has_page("delta", "gamma")
    content = with_pairs(make_site, "  rules: [same-category]\n  thin: skip\n  min_words: 25\n")
    assert plan(content).indexed("delta", "gamma")


def test_explicitly_included_pair_is_never_thin(make_site: MakeSite) -> None:
    block = "  rules: [matched]\n  include: [[delta, gamma]]\n  thin: skip\n  min_words: 1000\n"
    site = plan(with_pairs(make_site, block))
    assert site.indexed("delta", "gamma")
    assert not site.has_page("beta", "gamma")  # matched, but thin and not named


def test_build_summary_line(make_site: MakeSite, tmp_path: Path) -> None:
    content = with_pairs(make_site, "  rules: [same-category]\n  min_words: 0\n")
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert (
        "Pairs: 2 of 6 built (0 noindexed), 4 not picked by the pair policy, 0 left out; "
        "largest folder / holds 14 entries"
    ) in result.stdout.splitlines()
