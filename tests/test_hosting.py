"""Hosting limits: entries per output folder, the nested layout, and reversed-URL
redirects (a `_redirects` file while it stays small, an edge function past that)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import seo
from tests.conftest import ROOT, build_to, run_cli, snapshot, soup
from tests.test_incremental import site_files

MakeSite = Callable[[dict[str, str]], Path]
EDGE = ROOT / "netlify" / "edge-functions" / "reverse-compare.js"


def eight_tools(make_site: MakeSite, hosting: str) -> Path:
    """The fixture plus four copies of delta (8 tools, 28 pairs, every pair built)."""
    delta = (make_site({}) / "tools" / "delta.yaml").read_text()
    files = {f"tools/{s}.yaml": delta.replace("Delta Code", s.title()) for s in "wxyz"}
    content = make_site(files)
    site_yaml = content / "site.yaml"
    text = re.sub(r"hosting:\n(?:  .*\n)+", "hosting:\n" + hosting, site_yaml.read_text())
    site_yaml.write_text(text)
    return content


def test_too_many_entries_in_one_folder_is_an_error_and_nothing_is_written(
    make_site: MakeSite, tmp_path: Path
) -> None:
    content = eight_tools(make_site, "  max_folder_entries: 54000\n")
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    before = snapshot(out)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("54000", "20"))
    line = site_yaml.read_text().splitlines().index("  max_folder_entries: 20") + 1
    result = run_cli("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-2:] == [
        f"{content}/site.yaml:{line}:23: hosting.max_folder_entries: the output folder "
        "compare/ would hold 30 entries, more than the 20 one folder may hold "
        "(hosting.max_folder_entries); choose fewer pairs in site.yaml (pairs: rules, top_k, "
        "or thin: skip) or set hosting.layout: nested, which gives each tool's comparisons "
        "a folder of their own",
        f"Found 1 problem in 1 file; {out} was not changed.",
    ]
    assert snapshot(out) == before


def test_nested_layout_keeps_folders_small_and_links_follow(
    make_site: MakeSite, tmp_path: Path
) -> None:
    content = eight_tools(make_site, "  max_folder_entries: 20\n  layout: nested\n")
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    report = json.loads((out / ".versus" / "report.json").read_text())
    assert report["largest_folders"][0] == ["", 14]
    # index.html, picker.json and 7 tools' folders
    assert ["compare/", 9] in report["largest_folders"]
    assert len(list((out / "compare").iterdir())) == 9
    assert len(list((out / "compare" / "alpha").iterdir())) == 7
    assert (out / "compare" / "alpha" / "alpha-vs-beta" / "index.html").is_file()
    assert not (out / "compare" / "alpha-vs-beta").exists()
    tool = soup(out / "tools" / "beta" / "index.html")
    hrefs = {a["href"] for a in tool("a", href=True)}
    assert "/compare/alpha/alpha-vs-beta/" in hrefs and "/compare/beta/beta-vs-w/" in hrefs
    rules = (out / "_redirects").read_text().splitlines()
    assert "/compare/beta/beta-vs-alpha/ /compare/alpha/alpha-vs-beta/ 301" in rules
    assert soup(out / "404.html").find("html")["data-layout"] == "nested"


def test_switching_layout_moves_pages_like_a_clean_build(
    make_site: MakeSite, tmp_path: Path
) -> None:
    content = eight_tools(make_site, "  layout: flat\n")
    build_to(content, tmp_path / "site", workers=1)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("layout: flat", "layout: nested"))
    build_to(content, tmp_path / "site", workers=1)
    build_to(content, tmp_path / "clean", workers=1, clean=True)
    assert site_files(tmp_path / "site") == site_files(tmp_path / "clean")
    assert not list((tmp_path / "site" / "compare").glob("*-vs-*"))


def test_redirect_rules_stay_under_the_limit(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = eight_tools(make_site, "  layout: flat\n")
    out = tmp_path / "site"
    monkeypatch.setattr(seo, "REDIRECT_LIMIT", 56)  # 28 pairs: 56 rules, just fits
    build_to(content, out, workers=1)
    assert len((out / "_redirects").read_text().splitlines()) == 56
    monkeypatch.setattr(seo, "REDIRECT_LIMIT", 55)
    build_to(content, out, workers=1)
    assert not (out / "_redirects").exists()
    assert seo.REDIRECT_LIMIT == 55 and "10_000" in Path(seo.__file__).read_text()


HARNESS = """
import fn, { candidates, config } from %(module)s;
const existing = new Set(%(existing)s);
const asked = [];
globalThis.fetch = async (url, init) => {
  asked.push(String(url));
  return new Response(null, { status: existing.has(new URL(url).pathname) ? 200 : 404 });
};
const out = { config, candidates: {}, results: {} };
for (const path of %(paths)s) {
  out.candidates[path] = candidates(path);
  asked.length = 0;
  const r = await fn(new Request("https://example.org" + path), {
    next: async () => new Response("passed", { status: 299 }),
  });
  out.results[path] = [r.status, r.headers.get("location"), [...asked]];
}
console.log(JSON.stringify(out));
"""


def run_edge(existing: list[str], paths: list[str], tmp_path: Path) -> dict[str, object]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    module = json.dumps(EDGE.as_uri())
    script = HARNESS % {
        "module": module,
        "existing": json.dumps(existing),
        "paths": json.dumps(paths),
    }
    (tmp_path / "harness.mjs").write_text(script)
    result = subprocess.run(
        ["node", str(tmp_path / "harness.mjs")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_edge_function_sends_reversed_urls_to_existing_canonical_pages(tmp_path: Path) -> None:
    existing = ["/compare/alpha-vs-beta/", "/compare/y-vs-z-vs-x/", "/compare/a/a-vs-b/"]
    paths = [
        "/compare/beta-vs-alpha/",  # reversed, page exists: 301
        "/compare/beta-vs-alpha",  # without the slash too
        "/compare/gamma-vs-alpha/",  # reversed, but the pair has no page: passes on (404)
        "/compare/alpha-vs-beta/",  # canonical: passes on without a lookup
        "/compare/y-vs-z-vs-x/",  # canonical reading wins over a reversed one
        "/compare/b/b-vs-a/",  # nested layout
        "/compare/",
        "/tools/alpha/",
    ]
    out = run_edge(existing, paths, tmp_path)
    assert out["config"] == {"path": "/compare/*"}
    results = out["results"]
    assert isinstance(results, dict)
    canonical = "https://example.org/compare/alpha-vs-beta/"
    assert results["/compare/beta-vs-alpha/"] == [301, canonical, [canonical]]
    assert results["/compare/beta-vs-alpha"] == [301, canonical, [canonical]]
    assert results["/compare/gamma-vs-alpha/"] == [
        299, None, ["https://example.org/compare/alpha-vs-gamma/"]
    ]  # fmt: skip
    for passed in (
        "/compare/alpha-vs-beta/",
        "/compare/y-vs-z-vs-x/",
        "/compare/",
        "/tools/alpha/",
    ):
        assert results[passed] == [299, None, []], passed
    assert results["/compare/b/b-vs-a/"][:2] == [301, "https://example.org/compare/a/a-vs-b/"]
