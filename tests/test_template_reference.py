"""docs/templates.md is generated from the code, and the code hands templates exactly what
the reference declares."""

from __future__ import annotations

from pathlib import Path

from generator.build import prepare
from generator.plan import pages
from generator.template_reference import (
    GLOBALS,
    JINJA_GLOBALS,
    PARTS,
    declared,
    reference,
)
from generator.templating import PAGE_TEMPLATES
from tests.conftest import FIXTURE, ROOT, TEMPLATES, run_cli


def test_committed_reference_is_what_the_code_produces() -> None:
    committed = (ROOT / "docs/templates.md").read_text("utf-8")
    assert committed == reference(TEMPLATES), "docs/templates.md is stale; run `versus reference`"


def test_every_page_kind_receives_exactly_the_declared_variables() -> None:
    _, renderer, _, _ = prepare(FIXTURE, TEMPLATES)
    seen = set()
    for page in pages(renderer.site):
        if page.kind in seen:
            continue
        seen.add(page.kind)
        assert set(renderer.context(page)) == declared(page.kind), page.kind
        renderer.render(page)  # and it renders with them
    assert seen == set(PAGE_TEMPLATES)


def test_globals_are_the_declared_ones() -> None:
    _, renderer, _, _ = prepare(FIXTURE, TEMPLATES)
    assert set(renderer.templates.env.globals) - JINJA_GLOBALS == set(GLOBALS)


def test_every_bundled_template_is_described() -> None:
    names = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")}
    assert names == set(PAGE_TEMPLATES.values()) | set(PARTS)
    assert "undocumented" not in reference(TEMPLATES)


def test_reference_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "docs/templates.md"
    result = run_cli("reference", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}\n"
    assert out.read_text("utf-8") == reference(TEMPLATES)
