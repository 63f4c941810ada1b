"""Parallel, incremental and atomic builds: each equals a clean serial build."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.problems import ContentError, TemplateProblem
from tests.conftest import FIXTURE, TEMPLATES, build_to, snapshot


def site_files(out: Path) -> dict[str, bytes]:
    """The published files; the build report (timings) naturally differs run to run."""
    files = snapshot(out)
    files.pop(".versus/report.json", None)
    # a cache of validated models; pickles of equal objects need not be equal bytes
    files.pop(".versus/content.pickle", None)
    return files


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def _build(work: Path, out: str, **kw: object) -> dict[str, object]:
    build_to(work / "content", work / out, **kw)
    report: dict[str, object] = json.loads((work / out / ".versus" / "report.json").read_text())
    return report


def test_parallel_output_equals_serial_output(workdir: Path) -> None:
    _build(workdir, "serial", workers=1)
    _build(workdir, "parallel", workers=2)
    assert site_files(workdir / "serial") == site_files(workdir / "parallel")


def test_no_change_rebuild_writes_nothing(workdir: Path) -> None:
    _build(workdir, "site")
    report = _build(workdir, "site")
    assert report["written"] == 0 and report["removed"] == 0
    assert report["full_build"] is False


def _edit_tool(work: Path) -> None:
    p = work / "content" / "tools" / "gamma.yaml"
    p.write_text(p.read_text().replace("title: Chat", "title: Chat and search"))


def _edit_template(work: Path) -> None:
    p = work / "templates" / "compare.html"
    p.write_text(
        p.read_text().replace(
            '<h2 id="verdict-h">Verdict</h2>', '<h2 id="verdict-h">Our verdict</h2>'
        )
    )


def _edit_config(work: Path) -> None:
    p = work / "content" / "site.yaml"
    p.write_text(p.read_text().replace("quality: 0.35", "quality: 0.5"))


def _edit_matches(work: Path) -> None:
    p = work / "content" / "matches.yaml"
    p.write_text(p.read_text().replace("count: 30", "count: 3000"))


def _add_tool(work: Path) -> None:
    src = (work / "content" / "tools" / "delta.yaml").read_text()
    (work / "content" / "tools" / "epsilon.yaml").write_text(src.replace("Delta Code", "Epsilon"))


def _remove_tool(work: Path) -> None:
    (work / "content" / "tools" / "delta.yaml").unlink()
    p = work / "content" / "matches.yaml"
    p.write_text(p.read_text())


def _edit_asset(work: Path) -> None:
    p = work / "templates" / "static" / "style.css"
    p.write_text(p.read_text() + "\n/* edited */\n")


def _images_off(work: Path) -> None:
    p = work / "content" / "site.yaml"
    p.write_text(p.read_text().replace("share_images: true", "share_images: false"))


CHANGES: dict[str, Callable[[Path], None]] = {
    "images-off": _images_off,
    "tool": _edit_tool,
    "template": _edit_template,
    "config": _edit_config,
    "matches": _edit_matches,
    "add-tool": _add_tool,
    "remove-tool": _remove_tool,
    "asset": _edit_asset,
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_incremental_after_each_change_equals_clean_build(workdir: Path, change: str) -> None:
    kw = {"templates": workdir / "templates", "workers": 2}
    build_to(workdir / "content", workdir / "site", **kw)
    CHANGES[change](workdir)
    build_to(workdir / "content", workdir / "site", **kw)
    build_to(workdir / "content", workdir / "clean", clean=True, **kw)
    assert site_files(workdir / "site") == site_files(workdir / "clean")


def test_one_tool_edit_rewrites_only_its_pages(workdir: Path) -> None:
    _build(workdir, "site")
    _edit_tool(workdir)
    report = _build(workdir, "site")
    # gamma's 3 comparison pages, its tool page, the listings that show it (home, compare
    # index, search, and its one category, text) and the alternatives pages that show it:
    # its own, beta's (matched with it) and delta's (same category).
    assert report["written"] == 3 + 1 + 4 + 3


def test_stale_pages_are_removed(workdir: Path) -> None:
    _build(workdir, "site")
    _remove_tool(workdir)
    report = _build(workdir, "site")
    out = workdir / "site"
    assert not (out / "tools" / "delta").exists()
    assert not list((out / "compare").glob("*delta*"))
    # tool page, 3 comparison pages, their images, and its alternatives page
    assert report["removed"] == 2 * (1 + 3) + 1


def test_deleted_output_files_are_restored(workdir: Path) -> None:
    """Listing and tool pages are checked on disk at every build; comparison pages, the
    n(n-1)/2 bulk, are tracked through their tools' fingerprints (a stat per pair would
    cost a million system calls at 1,000 tools), so `--clean` is what restores one."""
    _build(workdir, "site")
    tool = workdir / "site" / "tools" / "alpha" / "index.html"
    pair = workdir / "site" / "compare" / "alpha-vs-beta" / "index.html"
    originals = tool.read_bytes(), pair.read_bytes()
    tool.unlink()
    pair.unlink()
    _build(workdir, "site")
    assert tool.read_bytes() == originals[0]
    _build(workdir, "site", clean=True)
    assert pair.read_bytes() == originals[1]


def test_failure_mid_build_leaves_site_untouched(workdir: Path) -> None:
    templates = workdir / "templates"
    build_to(workdir / "content", workdir / "site", templates=templates, workers=2)
    before = snapshot(workdir / "site")
    _edit_tool(workdir)  # so gamma's pages must be rebuilt...
    p = templates / "compare.html"  # ...and rendering one of them fails half-way through
    p.write_text(
        p.read_text().replace(
            "{% block main %}", "{% block main %}{% if b.slug == 'gamma' %}{{ b.nope }}{% endif %}"
        )
    )
    with pytest.raises(TemplateProblem):
        build_to(workdir / "content", workdir / "site", templates=templates, workers=2)
    assert snapshot(workdir / "site") == before
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".site")] == []


def test_cached_tools_still_get_located_errors(workdir: Path) -> None:
    """Unchanged tool files come from the build cache, but a problem in one (here: its
    category was removed from site.yaml) is still reported at its line."""
    _build(workdir, "site")
    site_yaml = workdir / "content" / "site.yaml"
    text = site_yaml.read_text()
    start = text.index("  - id: text")
    end = text.index("weights:")
    site_yaml.write_text(text[:start] + text[end:])
    with pytest.raises(ContentError) as caught:
        _build(workdir, "site")
    messages = [str(p) for p in caught.value.problems]
    expected = (
        'tools/gamma.yaml:6:14: categories[0]: unknown category "text"; expected one of vision'
    )
    assert any(m.endswith(expected) for m in messages), messages


def test_edited_tool_is_parsed_again(workdir: Path) -> None:
    _build(workdir, "site")
    _edit_tool(workdir)
    _build(workdir, "site")
    page = (workdir / "site" / "tools" / "gamma" / "index.html").read_text()
    assert "Chat and search" in page


@pytest.mark.parametrize("change", ["tool", "template", "remove-tool", "images-off"])
def test_serve_style_rebuilds_from_memory_equal_clean_build(workdir: Path, change: str) -> None:
    """`serve` keeps caches in memory between builds; the output must not differ."""
    kw = {"templates": workdir / "templates", "workers": 2}
    build_to(workdir / "content", workdir / "site", keep_in_memory=True, **kw)
    CHANGES[change](workdir)
    build_to(workdir / "content", workdir / "site", keep_in_memory=True, **kw)
    build_to(workdir / "content", workdir / "clean", clean=True, **kw)
    assert site_files(workdir / "site") == site_files(workdir / "clean")


def test_a_later_build_day_rewrites_exactly_the_pages_a_stale_figure_touches(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing in the content changes, but on a later day alpha's download count (observed
    2026-10-01; downloads count for 90 days) goes stale: alpha's pages, its comparisons and
    the listings that show its scores are rewritten, nothing else, and the result equals a
    clean build on that day."""
    _build(workdir, "site")
    before = site_files(workdir / "site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1799107200")  # 2027-01-05
    report = _build(workdir, "site")
    after = site_files(workdir / "site")
    changed = sorted(
        p
        for p in after.keys() | before.keys()
        if after.get(p) != before.get(p) and ".versus" not in p and not p.startswith("pagefind/")
    )
    pairs = ["alpha-vs-beta", "alpha-vs-delta", "alpha-vs-gamma"]
    assert changed == sorted(
        [
            "index.html",
            "categories/vision/index.html",
            "methodology/index.html",  # alpha is the worked example
            "tools/alpha/index.html",
            "tools/alpha/share.png",
            "alternatives/beta/index.html",  # shows alpha's rank
            *(f"compare/{p}/index.html" for p in pairs),
            *(f"compare/{p}/share.png" for p in pairs),
        ]
    )
    # and, unchanged, the compare index, search and alpha's alternatives page
    assert report["written"] == len(changed) + 3
    # The changed pages are indexed again: the search index is rebuilt (counted apart).
    assert report["search_index"]["written"] > 0
    assert any(
        after.get(p) != before.get(p)
        for p in after.keys() | before.keys()
        if p.startswith("pagefind/")
    )
    _build(workdir, "clean", clean=True)
    assert site_files(workdir / "site") == site_files(workdir / "clean")
