"""JSON Schema (draft 2020-12) for the content files, generated from the Pydantic models.

Editors with the YAML language server read the first-line comment
`# yaml-language-server: $schema=../../schemas/tool.schema.json` of a content file and then
describe every field on hover, complete enum values and flag mistakes while typing.

The models stay the reference: `model_json_schema()` gives the structure, the descriptions
(from the field docstrings), enums, formats and `additionalProperties: false`. This module
only adds what Pydantic cannot derive from the types: the http(s)-only rule of URLs as a
`pattern`, the "not every weight 0" rule, the "a tool cannot match itself" rule, examples,
an `$id` and a title. Output is deterministic, so the committed `schemas/*.json` can be
compared with a fresh generation (tests/test_schema.py does).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.metrics import BUILTIN
from generator.models import MatchFile, Tool
from generator.site_models import SiteConfig

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Same rule as models._check_url, in ECMA-262 regex: scheme http or https in any case (urlsplit
# lowercases it), a non-empty host part, and no whitespace anywhere.
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$"
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
MATCH_SOURCE_PATTERN = (
    r"^(?:search-console:(?:sc-domain:" + _LABEL + r"(?:\." + _LABEL + r")+$|"
    r"[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$)|[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$)"
)

_FILES: dict[str, tuple[type[BaseModel], str]] = {
    "site.schema.json": (SiteConfig, "Versus site file (content/site.yaml)"),
    "tool.schema.json": (Tool, "Versus tool file (content/tools/<slug>.yaml)"),
    "matches.schema.json": (MatchFile, "Versus matches file (content/matches.yaml)"),
}

# (definition, property) -> examples. None as the definition means the root object. Every
# entry must name an existing property: a renamed field fails loudly here, not silently.
_EXAMPLES: dict[str, dict[tuple[str | None, str], list[Any]]] = {
    "site.schema.json": {
        (None, "title"): ["Versus AI"],
        (None, "base_url"): ["https://example.com/"],
        (None, "description"): ["Side-by-side comparisons of AI tools, with the evidence."],
        ("Category", "id"): ["language-models", "image-generation"],
        ("Category", "name"): ["Language models"],
        ("Ranking", "example"): ["llama-3-8b-instruct"],
        ("MetricSpec", "label"): ["MMLU 5-shot"],
        ("MetricSpec", "unit"): ["%", "Elo", ""],
        ("MetricSpec", "stale_after_days"): [90, 365, None],
    },
    "tool.schema.json": {
        (None, "name"): ["Stable Diffusion XL"],
        (None, "vendor"): ["Stability AI"],
        (None, "website"): ["https://example.com/"],
        (None, "checked"): ["2026-01-31"],
        ("Pricing", "url"): ["https://example.com/pricing"],
        ("Price", "amount"): [10, 0.5],
        ("Price", "currency"): ["USD", "EUR", "GBP"],
        ("Capability", "id"): ["text-to-image", "code-completion"],
        ("Capability", "title"): ["Text-to-image generation"],
        ("Source", "url"): ["https://example.com/docs"],
        ("Source", "backs"): ["pricing and the free tier"],
        ("Figure", "metric"): sorted(BUILTIN),
        ("Figure", "value"): [68.4, 1440000],
        ("Figure", "source"): ["https://example.com/model-card"],
        ("Figure", "observed"): ["2024-04-18"],
        ("Figure", "retrieved"): ["2026-01-31"],
        ("Figure", "context"): ["zero-shot", "instruct model, 8-shot CoT", "2026-04-19 snapshot"],
    },
    "matches.schema.json": {
        ("Match", "tools"): [["chatgpt", "claude"]],
        ("Match", "count"): [1200],
        ("Match", "what"): ["searches for 'A vs B'", "papers comparing both"],
        ("Match", "source"): ["https://example.com/trends"],
        ("Match", "period"): ["2026-10", "2023-2026"],
    },
}
_ITEM_EXAMPLES: dict[str, dict[tuple[str | None, str], list[Any]]] = {
    "tool.schema.json": {(None, "categories"): ["language-models", "image-generation"]},
}


def _tidy(text: str) -> str:
    """Docstring wrapping -> flowing text; blank lines still separate paragraphs."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def _walk(node: Any, in_properties: bool = False) -> None:
    """Tidy descriptions, drop Pydantic's per-field titles, constrain every URL."""
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    if in_properties:
        for sub in node.values():
            if isinstance(sub, dict):
                sub.pop("title", None)  # "Vs Alternatives": a prettified key, no information
            _walk(sub)
        return
    if isinstance(node.get("description"), str):
        node["description"] = _tidy(node["description"])
    if node.get("format") == "uri":
        node["pattern"] = URL_PATTERN
    for key, value in node.items():
        if key == "properties":
            _walk(value, in_properties=True)
        elif key == "$defs":
            for definition in value.values():
                _walk(definition)
        elif key != "default":
            _walk(value)


def _object(schema: dict[str, Any], definition: str | None) -> dict[str, Any]:
    obj = schema if definition is None else schema["$defs"][definition]
    assert isinstance(obj, dict)
    return obj


def _prop(schema: dict[str, Any], definition: str | None, name: str) -> dict[str, Any]:
    prop = _object(schema, definition)["properties"][name]  # KeyError: stale table above
    assert isinstance(prop, dict)
    return prop


def _build(file: str, model: type[BaseModel], title: str) -> dict[str, Any]:
    generated = model.model_json_schema(mode="validation")
    body = {k: v for k, v in generated.items() if k != "title"}
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"urn:versus:schema:{file.removesuffix('.schema.json')}",
        "title": title,
        **copy.deepcopy(body),
    }
    _walk(schema)
    for (definition, name), examples in _EXAMPLES.get(file, {}).items():
        _prop(schema, definition, name)["examples"] = examples
    for (definition, name), examples in _ITEM_EXAMPLES.get(file, {}).items():
        _prop(schema, definition, name)["items"]["examples"] = examples
    if model is SiteConfig:
        # Weights: each is >= 0 and the model refuses a sum of 0, i.e. all four given as 0
        # (an omitted weight takes its non-zero default).
        weights = _object(schema, "Weights")
        names = sorted(weights["properties"])
        weights["not"] = {
            "required": names,
            "properties": {n: {"const": 0} for n in names},
        }
        weights["description"] = "Scoring weights; at least one must be above 0."
        # Metric ids are keys: only those matching the id pattern.
        _prop(schema, None, "metrics")["additionalProperties"] = False
    if model is MatchFile:
        _prop(schema, "Match", "tools")["uniqueItems"] = True  # a tool cannot match itself
        # An imported entry may name a Search Console property; a hand-written one needs a URL.
        _prop(schema, "Match", "source")["pattern"] = MATCH_SOURCE_PATTERN
        _object(schema, "Match")["if"] = {"not": {"required": ["imported"]}}
        _object(schema, "Match")["then"] = {"properties": {"source": {"pattern": URL_PATTERN}}}
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema for site.yaml, a tool file and matches.yaml."""
    return {file: _build(file, model, title) for file, (model, title) in _FILES.items()}


def dumps(schema: dict[str, Any]) -> str:
    """The exact text written for a schema: sorted keys, indent 2, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(dest: Path) -> list[Path]:
    """Write every schema into `dest` (created if missing); returns the paths, sorted.

    A file whose text is already right is left alone, so its timestamp does not change."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for file, schema in sorted(schemas().items()):
        path = dest / file
        text = dumps(schema)
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8", newline="\n")
        written.append(path)
    return written
