"""The generated JSON Schemas: valid, committed up to date, and in agreement with the models.

The schemas are what editors check content against while typing; the Pydantic models are
what the build checks. Each test here feeds the same document to both and expects the
same verdict, so an editor never flags content the build accepts (or the reverse, as far as
one file on its own can tell).
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from generator.load import read_content
from generator.models import MatchFile, Tool
from generator.problems import ContentError
from generator.schema import URL_PATTERN, dumps, schemas, write_schemas
from generator.site_models import SiteConfig
from generator.validate import validate
from tests.conftest import FIXTURE, ROOT

SCHEMAS = schemas()
MODELS: dict[str, type[BaseModel]] = {
    "site.schema.json": SiteConfig,
    "tool.schema.json": Tool,
    "matches.schema.json": MatchFile,
}
CONTENT = ROOT / "content"
BUNDLED = [CONTENT / "site.yaml", CONTENT / "matches.yaml", *sorted(CONTENT.glob("tools/*.yaml"))]
FIXTURES = [FIXTURE / "site.yaml", FIXTURE / "matches.yaml", *sorted(FIXTURE.glob("tools/*.yaml"))]
BROKEN = sorted((Path(__file__).parent / "fixtures" / "broken").glob("*.yaml"))


def schema_for(path: Path | str) -> str:
    """The schema file name for a content path."""
    name = Path(path).name
    if name in ("site.yaml", "matches.yaml"):
        return name.replace(".yaml", ".schema.json")
    return "tool.schema.json"


def jsonable(value: Any) -> Any:
    """YAML data as the YAML language server sees it: dates are strings."""
    if isinstance(value, dt.date):  # datetime too: its isoformat is not a date
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def schema_errors(name: str, data: Any) -> list[str]:
    validator = Draft202012Validator(
        SCHEMAS[name], format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{e.json_path}: {e.message}"
        for e in sorted(validator.iter_errors(jsonable(data)), key=str)
    ]


def model_accepts(name: str, data: Any) -> bool:
    try:
        MODELS[name].model_validate(data)
    except ValidationError:
        return False
    return True


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


# --------------------------------------------------------------------------- the schemas


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = SCHEMAS[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:versus:schema:")
    assert schema["title"].startswith("Versus ")
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_object_is_closed_and_every_field_described(name: str) -> None:
    schema = SCHEMAS[name]
    objects = [schema, *(d for d in schema.get("$defs", {}).values() if "properties" in d)]
    for obj in objects:
        assert obj["additionalProperties"] is False, obj.get("title")
        for field, prop in obj["properties"].items():
            assert prop.get("description"), f"{obj.get('title')}.{field} has no description"
            assert "\n" not in prop["description"]
            assert "title" not in prop  # Pydantic's prettified key names are dropped


def test_urls_dates_enums_and_examples_are_there() -> None:
    tool = SCHEMAS["tool.schema.json"]
    website = tool["properties"]["website"]
    assert website["format"] == "uri"
    assert website["pattern"] == URL_PATTERN
    assert tool["properties"]["checked"]["format"] == "date"
    assert tool["$defs"]["Plan"]["enum"] == ["free", "freemium", "paid", "open-source"]
    assert "examples" in tool["$defs"]["Price"]["properties"]["currency"]
    site = SCHEMAS["site.schema.json"]
    assert site["properties"]["base_url"]["pattern"] == URL_PATTERN


def test_committed_schemas_are_up_to_date() -> None:
    """`schemas/` must be regenerated (versus schema) whenever the models change."""
    committed = {p.name for p in (ROOT / "schemas").glob("*.json")}
    assert committed == set(SCHEMAS)
    for name, schema in SCHEMAS.items():
        text = (ROOT / "schemas" / name).read_text("utf-8")
        assert text == dumps(schema), f"schemas/{name} is stale; run `versus schema`"


def test_write_schemas_is_deterministic(tmp_path: Path) -> None:
    first = write_schemas(tmp_path / "a")
    second = write_schemas(tmp_path / "b")
    assert [p.name for p in first] == sorted(SCHEMAS)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
        text = a.read_text("utf-8")
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert text.startswith('{\n  "$defs"')  # sorted keys, indent 2
    assert write_schemas(tmp_path / "a") == first  # rewriting is harmless


# --------------------------------------------------------------------------- content files


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_content_carries_its_schema_line(path: Path) -> None:
    first = path.read_text("utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), f"{path.name} has no schema line"
    target = (path.parent / first.removeprefix(prefix)).resolve()
    assert target == (ROOT / "schemas" / schema_for(path)).resolve()
    assert target.is_file()


@pytest.mark.parametrize(
    "path", BUNDLED + FIXTURES, ids=lambda p: str(p.relative_to(ROOT)).replace("/", ":")
)
def test_content_file_is_valid_against_its_schema(path: Path) -> None:
    data = load(path)
    assert schema_errors(schema_for(path), data) == []
    assert model_accepts(schema_for(path), data)


@pytest.mark.parametrize("case", BROKEN, ids=[p.stem for p in BROKEN])
def test_schema_and_model_agree_on_broken_fixtures(case: Path) -> None:
    """A broken fixture the model rejects on its own, the schema rejects too; one that is
    broken only across files (unknown category, file name) both accept."""
    target = case.read_text("utf-8", errors="replace").splitlines()[0].removeprefix("# target: ")
    try:
        data = load(case)
    except (yaml.YAMLError, UnicodeDecodeError):
        pytest.skip("not YAML: the loader's business, not the schema's")
    if not isinstance(data, dict):
        pytest.skip("not a mapping: the loader's business, not the schema's")
    name = schema_for(target)
    assert (schema_errors(name, data) == []) == model_accepts(name, data)


# --------------------------------------------------------------------------- good and bad


def good_tool() -> dict[str, Any]:
    tool = copy.deepcopy(load(FIXTURE / "tools" / "alpha.yaml"))
    return {**tool, "identifiers": {"github": "example/alpha", "pypi": "alpha"}}


def good_site() -> dict[str, Any]:
    return copy.deepcopy(load(FIXTURE / "site.yaml"))


def edit(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """`edit(doc, "pricing.plan", "x")`; a value of DELETE removes the key."""
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = doc
    for part in parents:
        node = node[part]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return doc


DELETE = object()

BAD: dict[str, tuple[str, dict[str, Any]]] = {
    "unknown key": ("tool.schema.json", edit(good_tool(), "capabilites", [])),
    "unknown nested key": ("tool.schema.json", edit(good_tool(), "pricing.free", True)),
    "wrong enum": ("tool.schema.json", edit(good_tool(), "pricing.plan", "premium")),
    "old grouped evidence": (
        "tool.schema.json",
        edit(good_tool(), "evidence", {"adoption": [], "quality": []}),
    ),
    "figure with the old date key": (
        "tool.schema.json",
        edit(good_tool(), "evidence.0.date", "2026-01-01"),
    ),
    "figure without provenance": (
        "tool.schema.json",
        edit(good_tool(), "evidence.0.provenance", DELETE),
    ),
    "figure with an unknown provenance": (
        "tool.schema.json",
        edit(good_tool(), "evidence.0.provenance", "vendor"),
    ),
    "figure without retrieved": (
        "tool.schema.json",
        edit(good_tool(), "evidence.0.retrieved", DELETE),
    ),
    "site: metric id with capitals": (
        "site.schema.json",
        edit(good_site(), "metrics", {"MMLU": {"label": "MMLU"}}),
    ),
    "site: stale_after_days 0": (
        "site.schema.json",
        edit(good_site(), "metrics.review_rating.stale_after_days", 0),
    ),
    "missing field": ("tool.schema.json", edit(good_tool(), "vendor", DELETE)),
    "missing nested field": (
        "tool.schema.json",
        edit(good_tool(), "capabilities.0.vs_alternatives", DELETE),
    ),
    "wrong type (list)": ("tool.schema.json", edit(good_tool(), "categories", "vision")),
    "wrong type (text)": ("tool.schema.json", edit(good_tool(), "name", 42)),
    "wrong type (boolean)": ("tool.schema.json", edit(good_tool(), "pricing.free_tier", "maybe")),
    "javascript: URL": ("tool.schema.json", edit(good_tool(), "website", "javascript:alert(1)")),
    "ftp: URL": ("tool.schema.json", edit(good_tool(), "sources.0.url", "ftp://a.example/x")),
    "relative URL": ("tool.schema.json", edit(good_tool(), "pricing.url", "beta.example.org")),
    "URL without host": ("tool.schema.json", edit(good_tool(), "website", "https:///path")),
    "URL with a space": ("tool.schema.json", edit(good_tool(), "website", "https://a.org/b c")),
    "empty capabilities": ("tool.schema.json", edit(good_tool(), "capabilities", [])),
    "empty categories": ("tool.schema.json", edit(good_tool(), "categories", [])),
    "bad slug in categories": (
        "tool.schema.json",
        edit(good_tool(), "categories", ["Vision Models"]),
    ),
    "bad capability id": ("tool.schema.json", edit(good_tool(), "capabilities.0.id", "a--b")),
    "bad currency": (
        "tool.schema.json",
        edit(
            good_tool(),
            "pricing.starting_price",
            {"amount": 5, "currency": "usd", "period": "month"},
        ),
    ),
    "zero price": (
        "tool.schema.json",
        edit(
            good_tool(),
            "pricing.starting_price",
            {"amount": 0, "currency": "USD", "period": "month"},
        ),
    ),
    "bad date": ("tool.schema.json", edit(good_tool(), "checked", "last tuesday")),
    "date with a time": (
        "tool.schema.json",
        edit(good_tool(), "checked", dt.datetime(2026, 1, 2, 3)),
    ),
    "negative evidence": ("tool.schema.json", edit(good_tool(), "evidence.1.value", -1)),
    "empty text": ("tool.schema.json", edit(good_tool(), "summary", "")),
    "site: all weights 0": (
        "site.schema.json",
        edit(
            good_site(),
            "weights",
            {"adoption": 0, "quality": 0.0, "ecosystem": 0, "match_graph": 0},
        ),
    ),
    "site: javascript: base_url": (
        "site.schema.json",
        edit(good_site(), "base_url", "javascript:alert(1)//"),
    ),
    "site: lead_margin 0": ("site.schema.json", edit(good_site(), "verdict.lead_margin", 0)),
    "site: no categories": ("site.schema.json", edit(good_site(), "categories", [])),
    "site: bad category id": ("site.schema.json", edit(good_site(), "categories.0.id", "Vision")),
    "matches: one tool": (
        "matches.schema.json",
        {
            "matches": [
                {
                    "tools": ["a"],
                    "count": 1,
                    "what": "x",
                    "source": "https://a.org",
                    "period": "2026",
                }
            ]
        },
    ),
    "matches: negative count": (
        "matches.schema.json",
        {
            "matches": [
                {
                    "tools": ["a", "b"],
                    "count": -1,
                    "what": "x",
                    "source": "https://a.org",
                    "period": "2026",
                }
            ]
        },
    ),
}

GOOD: dict[str, tuple[str, dict[str, Any]]] = {
    "tool with only required fields": (
        "tool.schema.json",
        edit(edit(good_tool(), "evidence", DELETE), "pricing.starting_price", DELETE),
    ),
    "tool with a price and upper-case URL scheme": (
        "tool.schema.json",
        edit(
            edit(
                good_tool(),
                "pricing.starting_price",
                {"amount": 0.5, "currency": "EUR", "period": "million-tokens"},
            ),
            "website",
            "HTTPS://Alpha.example.org:8443/a?b=c#d",
        ),
    ),
    "tool with a quoted date": ("tool.schema.json", edit(good_tool(), "checked", "2026-02-28")),
    "figure without context or note": (
        "tool.schema.json",
        edit(edit(good_tool(), "evidence.1.context", DELETE), "evidence.0.note", DELETE),
    ),
    "site overriding one field of a metric": (
        "site.schema.json",
        edit(good_site(), "metrics", {"github_stars": {"high": 500000}}),
    ),
    "site with only required fields": (
        "site.schema.json",
        {
            k: v
            for k, v in good_site().items()
            if k in ("title", "base_url", "description", "categories")
        },
    ),
    "site with some weights 0": (
        "site.schema.json",
        edit(good_site(), "weights", {"adoption": 0, "quality": 0, "ecosystem": 0}),
    ),
    "empty matches file": ("matches.schema.json", {}),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_document_rejected_by_schema_and_model(case: str) -> None:
    name, data = BAD[case]
    assert schema_errors(name, data), "the schema accepted it"
    assert not model_accepts(name, data), "the model accepted it"


@pytest.mark.parametrize("case", sorted(GOOD))
def test_good_document_accepted_by_schema_and_model(case: str) -> None:
    name, data = GOOD[case]
    assert schema_errors(name, data) == []
    assert model_accepts(name, data)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_required_field_is_required_by_both(name: str) -> None:
    """Dropping any top-level field: both reject it exactly when the model requires it."""
    full = {
        "site.schema.json": good_site(),
        "tool.schema.json": good_tool(),
        "matches.schema.json": load(FIXTURE / "matches.yaml"),
    }[name]
    assert set(full) == set(MODELS[name].model_fields)  # the fixture sets every field
    for field, info in MODELS[name].model_fields.items():
        data = {k: v for k, v in full.items() if k != field}
        assert model_accepts(name, data) is not info.is_required(), field
        assert (schema_errors(name, data) == []) is not info.is_required(), field


def test_self_match_rejected_by_schema_and_by_validation(tmp_path: Path) -> None:
    """Not a model rule but a cross-file one (validate.py); the schema can say it too."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    match = {
        "tools": ["alpha", "alpha"],
        "count": 3,
        "what": "searches",
        "source": "https://a.org/",
        "period": "2026",
    }
    (content / "matches.yaml").write_text(yaml.safe_dump({"matches": [match]}), "utf-8")
    assert schema_errors("matches.schema.json", {"matches": [match]})
    with pytest.raises(ContentError) as caught:
        validate(read_content(content))
    assert [p.message for p in caught.value.problems] == ["a tool cannot match itself"]
