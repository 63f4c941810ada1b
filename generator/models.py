"""The content format of a tool file and of `matches.yaml`: Pydantic models.

These models are the reference for the format (site.yaml's are in `generator.site_models`).
Every field carries a docstring because `versus schema` turns them into JSON Schema
descriptions that editors show while typing.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from generator.model_base import (
    LocalFile,
    Markdown,
    Name,
    Slug,
    StrictModel,
    Text,
    Title,
    Url,
    _check_url,
)

# --------------------------------------------------------------------------- tool files


class ToolType(StrEnum):
    model = "model"
    application = "application"
    api = "api"
    library = "library"
    framework = "framework"
    platform = "platform"
    service = "service"


class Plan(StrEnum):
    free = "free"
    freemium = "freemium"
    paid = "paid"
    open_source = "open-source"


class Period(StrEnum):
    one_time = "one-time"
    month = "month"
    year = "year"
    request = "request"
    million_tokens = "million-tokens"
    hour = "hour"


class Price(StrictModel):
    amount: float = Field(gt=0)
    """Lowest paid price, e.g. 10 for $10."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    """ISO 4217 currency code, e.g. USD."""
    period: Period
    """What the price buys: one-time, month, year, request, million-tokens or hour."""


class Pricing(StrictModel):
    plan: Plan
    """free, freemium, paid or open-source."""
    free_tier: bool
    """Whether the tool can be used without paying (a free plan, trial or free weights)."""
    starting_price: Price | None = None
    """Lowest paid price, or null when nothing is sold."""
    url: Url
    """Page where the pricing (or licence) is published."""


class Provenance(StrEnum):
    vendor_claimed = "vendor-claimed"
    independent = "independent"
    community = "community"


class Figure(StrictModel):
    """One published number about the tool, with what it measures and where it comes from."""

    metric: Text
    """A metric id of the registry (built in, or added in site.yaml under `metrics:`), e.g.
    github_stars, monthly_downloads, mmlu_5shot, humaneval_pass1, vqav2_testdev,
    lmarena_text_elo. The metric fixes the sub-score, the unit, which direction is better,
    how the value maps to 0-100 and how soon the figure goes stale."""
    value: float = Field(ge=0)
    """The figure as published by the source, in the metric's unit (68.4 for 68.4%)."""
    source: Url
    """Where the figure was read."""
    observed: dt.date
    """The date the figure describes or was published (YYYY-MM-DD): the leaderboard
    snapshot, the paper or model card, the day a counter was shown. Staleness counts from it."""
    retrieved: dt.date
    """When the figure was read from the source (YYYY-MM-DD); not before `observed`."""
    context: str = ""
    """What must match before two figures of this metric are compared: the leaderboard
    snapshot, the prompt setting, the model variant's training regime (e.g. "zero-shot",
    "instruct model, 8-shot CoT"). Empty when the metric alone says it all."""
    provenance: Provenance
    """Who produced the figure: vendor-claimed (the tool's maker), independent (a third
    party that measured it: researchers, a leaderboard, another vendor's evaluation) or
    community (a count or report whose method is not documented)."""
    note: Text | None = None
    """Anything else a reader should know: which checkpoint was measured, a lower bound."""


class Capability(StrictModel):
    id: Slug
    """Identifier unique within the tool."""
    title: Title
    """Short name of the capability."""
    description: Markdown
    """What it does (Markdown)."""
    unique: Markdown
    """What is unique about how this tool does it (Markdown)."""
    vs_alternatives: Markdown
    """How it stands against alternatives (Markdown)."""
    kind: Slug | None = None
    """One of the site's `capability_kinds`, so that tools covering the same kind line up."""


class Source(StrictModel):
    url: Url
    """The source."""
    backs: Text
    """Which statements of this file the source supports."""


# Identifiers on public services, one pattern each (as the services define names), so
# `versus refresh` only ever puts a well-formed name into an API path.
_GITHUB_RE = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9_.-]{1,100}$"
_HF_PART = r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9])?"
_HF_MODEL_RE = rf"^(?:{_HF_PART}/)?{_HF_PART}$"
_HF_SPACE_RE = rf"^{_HF_PART}/{_HF_PART}$"
_PYPI_RE = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$"
_NPM_RE = r"^(?:@[a-z0-9~-][a-z0-9._~-]{0,100}/)?[a-z0-9~-][a-z0-9._~-]{0,100}$"
_OPENROUTER_RE = r"^[a-z0-9][a-z0-9._-]{0,63}/[a-z0-9][a-z0-9._:-]{0,127}$"


def _identifier(pattern: str, what: str, example: str) -> object:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value) or "/." in value or value.startswith("."):
            raise ValueError(f'expected {what}, e.g. "{example}"; got "{value}"')
        return value

    return Annotated[
        str,
        AfterValidator(check),
        Field(json_schema_extra={"pattern": pattern, "examples": [example]}),
    ]


GithubRepo = _identifier(_GITHUB_RE, "a GitHub repository as owner/name", "openai/whisper")
HfModel = _identifier(_HF_MODEL_RE, "a Hugging Face model id", "openai/whisper-large-v3")
HfSpace = _identifier(_HF_SPACE_RE, "a Hugging Face Space as owner/name", "openai/whisper")
PypiName = _identifier(_PYPI_RE, "a PyPI project name", "openai-whisper")
NpmName = _identifier(_NPM_RE, "an npm package name (optionally @scope/name)", "@openai/codex")
OpenRouterId = _identifier(
    _OPENROUTER_RE, "an OpenRouter model id as vendor/model", "mistralai/mistral-7b-instruct"
)


class Identifiers(StrictModel):
    """Where `versus refresh` reads the tool's public counters and prices. Each is optional;
    give only names you are sure of."""

    github: GithubRepo | None = None  # type: ignore[valid-type]
    """GitHub repository (owner/name): stars and contributors."""
    huggingface: HfModel | None = None  # type: ignore[valid-type]
    """Hugging Face model id: downloads in the last 30 days, likes, derivative models."""
    huggingface_space: HfSpace | None = None  # type: ignore[valid-type]
    """Hugging Face Space (owner/name): likes."""
    pypi: PypiName | None = None  # type: ignore[valid-type]
    """PyPI project: downloads last month (from pypistats.org)."""
    npm: NpmName | None = None  # type: ignore[valid-type]
    """npm package: downloads last month."""
    openrouter: OpenRouterId | None = None  # type: ignore[valid-type]
    """OpenRouter model id: prompt and completion prices per million tokens."""


class Links(StrictModel):
    """Where a reader goes next. Official and pricing default to `website` and
    `pricing.url`."""

    official: Url | None = None
    """The tool's official page."""
    pricing: Url | None = None
    """Its pricing page."""
    docs: Url | None = None
    """Its documentation."""
    affiliate: Url | None = None
    """An affiliate link (marked rel="sponsored" on pages, with the site's disclosure)."""


class Tool(StrictModel):
    """`content/tools/<slug>.yaml`: one tool."""

    name: Name
    """Display name."""
    type: ToolType
    """model, application, api, library, framework, platform or service."""
    vendor: Name
    """Who makes it."""
    website: Url
    """Official page."""
    summary: Markdown
    """What it is, in a short paragraph (Markdown)."""
    categories: list[Slug] = Field(min_length=1)
    """Category ids from site.yaml."""
    pricing: Pricing
    """How it is sold."""
    evidence: list[Figure] = []
    """The figures behind the adoption, quality and ecosystem sub-scores: one list, each
    figure naming its metric."""
    capabilities: list[Capability] = Field(min_length=1)
    """What it can do, one capability at a time."""
    sources: list[Source] = Field(min_length=1)
    """Where the facts in this file come from."""
    checked: dt.date
    """The date the facts were last checked (YYYY-MM-DD)."""
    aliases: list[Name] = []
    """Other names people type for the tool, e.g. "SDXL" or "Copilot": `versus import`
    matches search queries by the name, the slug and these, ignoring case, spaces and
    punctuation. Each must differ from every other tool's name, slug and aliases."""
    identifiers: Identifiers | None = None
    """The tool's names on public services (github, huggingface, huggingface_space, pypi,
    npm, openrouter), from which `versus refresh` updates its figures."""
    # -- How the tool is shown and linked: display name, logo, outbound links.
    short_name: Name | None = None
    """Shorter name used after the first mention on a page, e.g. "Claude" for "Claude 3.5
    Sonnet"; the name when absent."""
    logo: LocalFile | None = None
    """Logo image (PNG, JPEG, WebP or GIF) inside the content folder, e.g. logos/tool.png;
    made into 64 and 128 px PNG and WebP files at build time."""
    links: Links = Links()
    """Outbound links: official, pricing, docs and affiliate."""


# --------------------------------------------------------------------------- matches.yaml


COUNT_MAX = 10**15  # far beyond any real count; keeps figures printable and scores finite


SEARCH_CONSOLE = "search-console:"
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_SC_DOMAIN = re.compile(rf"^sc-domain:{_LABEL}(?:\.{_LABEL})+$")


def search_console_problem(value: str) -> str | None:
    """What is wrong with `value` as a `search-console:` source (None: nothing)."""
    prop = value.removeprefix(SEARCH_CONSOLE)
    if _SC_DOMAIN.fullmatch(prop):
        return None
    try:
        _check_url(prop)
    except ValueError:
        return (
            "expected search-console: followed by a Search Console property "
            f'(sc-domain:example.com or https://example.com/); got "{value}"'
        )
    return None


def check_match_source(value: str) -> str:
    if value.startswith(SEARCH_CONSOLE):
        problem = search_console_problem(value)
        if problem:
            raise ValueError(problem)
        return value
    return _check_url(value)


MatchSource = Annotated[
    str,
    AfterValidator(check_match_source),
    Field(json_schema_extra={"format": "uri"}),
]


class Match(StrictModel):
    tools: Annotated[list[Slug], Field(min_length=2, max_length=2)]
    """The two tool slugs compared."""
    count: int = Field(ge=0, le=COUNT_MAX)
    """How many times the two were compared in the period."""
    what: Text
    """What was counted (e.g. "searches for 'A vs B'", "papers comparing both")."""
    source: MatchSource
    """Where the count comes from: a public http(s) URL; for entries written by `versus
    import search-console`, the site's own Search Console property, as
    search-console:sc-domain:example.com or search-console:https://example.com/."""
    period: Text
    """The period counted, e.g. 2026-10 or 2023-2026."""
    imported: dt.date | None = None
    """The day `versus import` wrote this entry; absent on hand-written entries. A later
    import of the same source and period replaces the entries that carry it, and never
    touches an entry without it."""

    @model_validator(mode="after")
    def _search_console_only_imported(self) -> Match:
        if self.source.startswith(SEARCH_CONSOLE) and self.imported is None:
            raise ValueError(
                "a search-console: source is written by `versus import search-console`; "
                "a hand-written entry needs the public http(s) URL of its source"
            )
        return self


class MatchFile(StrictModel):
    """`content/matches.yaml`: how often people compare two tools."""

    matches: list[Match] = []
    """One entry per counted pair."""
