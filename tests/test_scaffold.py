"""`new_tool`: a commented tool file that validates once its placeholders are filled."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.build import check
from generator.load import read_content
from generator.problems import ContentError
from generator.scaffold import BUNDLED_TEMPLATE, new_tool, suggest_slug
from generator.schema import schemas
from generator.validate import validate
from tests.conftest import ROOT, TEMPLATES

TODAY = dt.date(2026, 3, 4)
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/tool.schema.json"
# The placeholders that are deliberately invalid until the author chooses a value.
CHOICES = {
    "type: TODO": "type: library",
    "plan: TODO": "plan: open-source",
    "free_tier: TODO": "free_tier: true",
    "  - TODO\n": "  - vision\n  - text\n",
}


def fill(text: str) -> str:
    """What an author does: choose the values, then replace the TODO text."""
    for placeholder, value in CHOICES.items():
        assert placeholder in text
        text = text.replace(placeholder, value)
    text = re.sub(r"TODO ?", "Real ", text)
    return text.replace("https://example.com/", "https://gizmo.example.org/")


def problems_of(content: Path) -> list[tuple[str, str]]:
    with pytest.raises(ContentError) as caught:
        validate(read_content(content))
    return [(Path(p.file).name, p.field) for p in caught.value.problems]


def schema_paths(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text("utf-8"))
    data["checked"] = data["checked"].isoformat()
    validator = Draft202012Validator(
        schemas()["tool.schema.json"], format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return sorted(e.json_path for e in validator.iter_errors(data))


def test_new_tool_is_written_from_the_template(fixture_copy: Path) -> None:
    path = new_tool(fixture_copy, "gizmo", today=TODAY)
    assert path == fixture_copy / "tools" / "gizmo.yaml"
    text = path.read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == SCHEMA_LINE
    assert BUNDLED_TEMPLATE.read_text("utf-8").splitlines()[0] == SCHEMA_LINE
    assert "checked: 2026-03-04" in lines
    assert "checked: YYYY-MM-DD" not in text and "CATEGORY_IDS" not in text
    # the site's categories, listed above the placeholder as "id  name"
    assert "#   vision  Vision" in lines and "#   text    Text" in lines
    assert text.endswith("\n") and "\r" not in text
    # every field has a comment on the line above it
    for i, line in enumerate(lines):
        if re.match(r"^ *(- )?[a-z_]+:", line):
            assert lines[i - 1].lstrip().startswith("#"), f"no comment above: {line}"


def test_new_tool_defaults_to_today(fixture_copy: Path) -> None:
    path = new_tool(fixture_copy, "gizmo")
    assert f"checked: {dt.date.today().isoformat()}" in path.read_text("utf-8").splitlines()


def test_unfilled_scaffold_fails_on_choices_and_placeholders(fixture_copy: Path) -> None:
    """Type, categories, plan and free tier must be chosen, with messages naming the
    allowed values; TODO text and example.com URLs fit the schema (so the editor stays
    quiet while writing) but `check` refuses to publish them."""
    new_tool(fixture_copy, "gizmo", today=TODAY)
    found = problems_of(fixture_copy)
    for choice in ["type", "categories[0]", "pricing.plan", "pricing.free_tier"]:
        assert ("gizmo.yaml", choice) in found
    assert ("gizmo.yaml", "name") in found and ("gizmo.yaml", "website") in found
    assert len(found) == len(set(found)) + 1  # only categories[0] has two (slug, unknown)
    with pytest.raises(ContentError) as caught:
        validate(read_content(fixture_copy))
    messages = " | ".join(p.message for p in caught.value.problems)
    assert "expected one of model, application" in messages
    assert 'unknown category "TODO"; expected one of text, vision' in messages
    assert "expected one of free, freemium, paid, open-source" in messages
    # the editor (schema) flags the same places and nothing else
    assert schema_paths(fixture_copy / "tools" / "gizmo.yaml") == [
        "$.categories[0]",
        "$.pricing.free_tier",
        "$.pricing.plan",
        "$.type",
    ]


def test_filled_scaffold_passes_the_real_check(fixture_copy: Path) -> None:
    path = new_tool(fixture_copy, "gizmo", today=TODAY)
    path.write_text(fill(path.read_text("utf-8")), "utf-8")
    site, pages = check(fixture_copy, TEMPLATES)
    assert "gizmo" in site.slugs
    assert pages > 0
    catalog = validate(read_content(fixture_copy))
    tool = catalog.tools["gizmo"]
    assert tool.name == "Real tool name"
    assert tool.categories == ["vision", "text"]
    assert tool.checked == TODAY
    assert schema_paths(path) == []


def test_refuses_to_overwrite(fixture_copy: Path) -> None:
    path = fixture_copy / "tools" / "alpha.yaml"
    before = path.read_bytes()
    with pytest.raises(ContentError) as caught:
        new_tool(fixture_copy, "alpha")
    [problem] = caught.value.problems
    assert problem.file.endswith("tools/alpha.yaml")
    assert (problem.line, problem.col, problem.field) == (1, 1, "")
    assert "already exists; not overwritten" in problem.message
    assert path.read_bytes() == before


def test_refuses_a_second_file_for_a_yml_slug(fixture_copy: Path) -> None:
    (fixture_copy / "tools" / "gizmo.yml").write_text("name: x\n", "utf-8")
    with pytest.raises(ContentError, match="content problem") as caught:
        new_tool(fixture_copy, "gizmo")
    assert caught.value.problems[0].file.endswith("tools/gizmo.yml")
    assert not (fixture_copy / "tools" / "gizmo.yaml").exists()


@pytest.mark.parametrize(
    ("slug", "hint"),
    [
        ("My Tool", 'did you mean "my-tool"?'),
        ("gizmo.yaml", 'did you mean "gizmo"?'),
        ("a--b", 'did you mean "a-b"?'),
        ("-gizmo", 'did you mean "gizmo"?'),
        ("../escape", 'did you mean "escape"?'),
        ("Café", 'did you mean "cafe"?'),
        ("", "e.g. my-tool"),
        ("***", "e.g. my-tool"),
        ("gizmo\n", 'did you mean "gizmo"?'),
    ],
)
def test_rejects_an_invalid_slug(fixture_copy: Path, slug: str, hint: str) -> None:
    before = sorted(p.name for p in (fixture_copy / "tools").iterdir())
    with pytest.raises(ContentError) as caught:
        new_tool(fixture_copy, slug)
    [problem] = caught.value.problems
    assert (problem.line, problem.col, problem.field) == (1, 1, "")
    assert problem.message == (
        f'"{slug}" is not a valid slug; expected lowercase letters, digits and single '
        f"hyphens{';' if hint.startswith('did') else ','} {hint}"
    )
    assert sorted(p.name for p in (fixture_copy / "tools").iterdir()) == before
    assert not (fixture_copy.parent / "escape.yaml").exists()


def test_invalid_slug_names_the_file_as_typed(fixture_copy: Path) -> None:
    with pytest.raises(ContentError) as caught:
        new_tool(fixture_copy, "My Tool.yaml")
    assert caught.value.problems[0].file.endswith("tools/My Tool.yaml")


def test_suggest_slug() -> None:
    assert suggest_slug("  Stable Diffusion XL.YML ") == "stable-diffusion-xl"
    assert suggest_slug("GPT-4o") == "gpt-4o"


def test_missing_content_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="content problem") as caught:
        new_tool(tmp_path / "nope", "gizmo")
    assert "content folder not found" in caught.value.problems[0].message
    assert not (tmp_path / "nope").exists()


def test_creates_the_tools_folder(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    path = new_tool(content, "gizmo", today=TODAY)
    assert path.is_file()
    text = path.read_text("utf-8")
    assert "#   (no site.yaml yet: use the ids of its categories)" in text


def test_invalid_site_yaml_still_scaffolds(fixture_copy: Path) -> None:
    (fixture_copy / "site.yaml").write_text("title: [unclosed\n", "utf-8")
    path = new_tool(fixture_copy, "gizmo", today=TODAY)
    assert "#   (site.yaml is not valid yet: use the ids of its categories)" in path.read_text(
        "utf-8"
    )


def test_template_beside_the_content_wins(tmp_path: Path, fixture_copy: Path) -> None:
    own = tmp_path / "templates" / "scaffold" / "tool.yaml"
    own.parent.mkdir(parents=True)
    own.write_text("# mine\n# CATEGORY_IDS\nchecked: YYYY-MM-DD\n", "utf-8")
    path = new_tool(fixture_copy, "gizmo", today=TODAY)
    assert path.read_text("utf-8") == (
        "# mine\n# vision  Vision\n# text    Text\nchecked: 2026-03-04\n"
    )


def test_bundled_template_is_the_repository_one() -> None:
    assert BUNDLED_TEMPLATE == ROOT / "templates" / "scaffold" / "tool.yaml"
