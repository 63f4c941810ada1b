"""A site's templates folder holds only the templates it overrides; the bundled theme
gives the rest, and an edit to an override rebuilds exactly the pages that use it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURE, TEMPLATES, build_to, run_cli, snapshot

MARK = "<!-- the site's own comparison template -->"


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """content/ (the fixture) and an empty templates/ beside it."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    overrides = tmp_path / "templates"
    overrides.mkdir()
    return content, overrides


def _override(folder: Path, name: str, old: str, new: str) -> None:
    text = (TEMPLATES / name).read_text("utf-8")
    assert text.count(old) == 1
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text.replace(old, new), "utf-8")


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _pages(paths: set[str]) -> set[str]:
    return {p for p in paths if p.endswith(".html")}


def test_a_folder_with_only_compare_html_overrides_just_that(tmp_path: Path) -> None:
    content, overrides = _project(tmp_path)
    _override(overrides, "compare.html", "{% block main %}", "{% block main %}" + MARK)
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    plain = tmp_path / "plain"
    build_to(content, plain, templates=TEMPLATES, workers=1)
    site = snapshot(tmp_path / "site")
    reference = snapshot(plain)
    compare = {p for p in site if p.startswith("compare/") and "-vs-" in p and p.endswith(".html")}
    assert len(compare) == 6  # four tools, six pairs
    for page in compare:
        assert MARK in site[page].decode()
    assert _pages(_changed(site, reference)) == compare


def test_editing_an_override_rebuilds_only_the_pages_that_use_it(tmp_path: Path) -> None:
    content, overrides = _project(tmp_path)
    out = tmp_path / "site"
    build_to(content, out, templates=overrides, workers=1)
    first = snapshot(out)

    # A new override of a template the bundled theme gave until now: tool pages only.
    _override(overrides, "tool.html", "{% block main %}", "{% block main %}<!-- v1 -->")
    report = build_to(content, out, templates=overrides, workers=1)
    second = snapshot(out)
    assert _pages(_changed(first, second)) == {f"tools/{s}/index.html" for s in _slugs()}
    assert report.written >= 4

    # An edit to it: the same pages again, nothing else.
    _override(overrides, "tool.html", "{% block main %}", "{% block main %}<!-- v2 -->")
    build_to(content, out, templates=overrides, workers=1)
    third = snapshot(out)
    assert _pages(_changed(second, third)) == {f"tools/{s}/index.html" for s in _slugs()}
    assert "<!-- v2 -->" in third["tools/alpha/index.html"].decode()

    # Removing the override goes back to the bundled template.
    (overrides / "tool.html").unlink()
    build_to(content, out, templates=overrides, workers=1)
    assert {p: b for p, b in snapshot(out).items() if p.endswith(".html")} == {
        p: b for p, b in first.items() if p.endswith(".html")
    }


def test_an_override_of_an_included_fragment_reaches_every_page_that_includes_it(
    tmp_path: Path,
) -> None:
    """Per-tool fragments are cached between builds: their cache keys see the override."""
    content, overrides = _project(tmp_path)
    out = tmp_path / "site"
    build_to(content, out, templates=overrides, workers=1)
    _override(
        overrides,
        "fragments/capabilities.html",
        '<article class="capability"',
        '<article data-override="1" class="capability"',
    )
    build_to(content, out, templates=overrides, workers=1)
    pages = [p for p in snapshot(out) if p.startswith(("compare/", "tools/"))]
    with_caps = [p for p in pages if p.endswith("/index.html") and p.count("/") == 2]
    with_caps = [p for p in with_caps if p != "compare/index.html"]
    assert len(with_caps) == 6 + 4
    for page in with_caps:
        assert 'data-override="1"' in (out / page).read_text("utf-8"), page


def test_a_broken_override_names_its_file_and_line(tmp_path: Path) -> None:
    content, overrides = _project(tmp_path)
    out = tmp_path / "site"
    build_to(content, out, templates=overrides, workers=1)
    before = snapshot(out)
    (overrides / "compare.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n', "utf-8"
    )
    result = run_cli("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{overrides / 'compare.html'}:3: template syntax error: ")
    assert lines[-1] == f"Template error; {out} was not changed."
    assert snapshot(out) == before


def test_an_error_raised_while_rendering_an_override_names_its_file_and_line(
    tmp_path: Path,
) -> None:
    content, overrides = _project(tmp_path)
    out = tmp_path / "site"
    _override(overrides, "tool.html", "{% block main %}", "{% block main %}{{ t.no_such }}")
    result = run_cli("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    line = 1 + (TEMPLATES / "tool.html").read_text("utf-8").split("{% block main %}")[0].count("\n")
    assert first.startswith(f"{(overrides / 'tool.html').resolve()}:{line}: template error: ")
    assert "no_such" in first
    assert not out.exists()


def _slugs() -> list[str]:
    return sorted(p.stem for p in (FIXTURE / "tools").glob("*.yaml"))
