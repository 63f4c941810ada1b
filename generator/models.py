"""The content format: Pydantic models of `site.yaml`, a tool file and `matches.yaml`.

These models are the reference for the format. Every field carries a docstring because
`versus schema` turns them into JSON Schema descriptions that editors show while typing.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from generator.formats import check_brand, check_local, check_origin

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A comparison page is the folder `<a>-vs-<b>`: two slugs of 64 stay far below the 255
# bytes file systems allow in a name. `check`, `new tool` and the build share this limit.
SLUG_MAX = 64
NAME_MAX = 120  # names shown in headings, tables and share images
TITLE_MAX = 200  # capability titles
_SPACE = re.compile(r"\s")


def _check_url(value: str) -> str:
    """Only absolute http(s) URLs: anything else could smuggle `javascript:` into a page."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or _SPACE.search(value):
        raise ValueError(f'expected an absolute http:// or https:// URL; got "{value}"')
    return value.strip()


def slug_problem(value: str) -> str | None:
    """What is wrong with `value` as a slug (tool file name, category or capability id)."""
    if len(value) > SLUG_MAX:
        return f"expected a slug of at most {SLUG_MAX} characters; got {len(value)}"
    if not SLUG_RE.fullmatch(value):
        return f'expected a slug (lowercase letters, digits and single hyphens); got "{value}"'
    return None


def _check_slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise ValueError(problem)
    return value


LocalFile = Annotated[str, AfterValidator(check_local)]
Origin = Annotated[str, AfterValidator(check_origin), Field(json_schema_extra={"format": "uri"})]
Url = Annotated[str, AfterValidator(_check_url), Field(json_schema_extra={"format": "uri"})]
Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    Field(json_schema_extra={"pattern": SLUG_RE.pattern, "maxLength": SLUG_MAX}),
]
Markdown = Annotated[str, Field(min_length=1)]
Text = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
WEIGHT_MAX = 1000.0  # any scale of weights works (0-1, percentages); their sum stays finite


class _Strict(BaseModel):
    # No .inf or .nan anywhere: a non-finite figure would turn scores into nan.
    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False
    )


# --------------------------------------------------------------------------- site.yaml


class Category(_Strict):
    id: Slug
    """Identifier used in tool files' `categories` and in the URL `/categories/<id>/`."""
    name: Name
    """Display name of the category."""
    description: Markdown
    """What belongs in this category (Markdown)."""


class CapabilityKind(_Strict):
    id: Slug
    """Identifier that tool files give as a capability's `kind`."""
    name: Name
    """Display name of the kind, shown in the capability matrix."""


class Weights(_Strict):
    """How much each sub-score counts in the rank. Adoption, quality and ecosystem make the
    base; the match graph can only lift a rank, never lower it."""

    adoption: float = Field(0.3, ge=0, le=WEIGHT_MAX)
    """Weight of the adoption sub-score in the rank."""
    quality: float = Field(0.35, ge=0, le=WEIGHT_MAX)
    """Weight of the quality sub-score in the rank."""
    ecosystem: float = Field(0.2, ge=0, le=WEIGHT_MAX)
    """Weight of the ecosystem sub-score in the rank."""
    match_graph: float = Field(0.15, ge=0, le=WEIGHT_MAX)
    """Weight of the match graph: a rank below the match-graph score is lifted by this
    weight's share of all four weights times the gap; a rank above it is left as it is.
    Weights are relative (0 to 1000 each); a weight of 0 leaves a sub-score out."""

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if self.adoption + self.quality + self.ecosystem + self.match_graph <= 0:
            raise ValueError("expected at least one weight above 0; got all 0")
        return self


class VerdictSettings(_Strict):
    choose_from: int = Field(2, ge=1, le=5)
    """How many capabilities of each tool the "choose A if ..." sentence names."""


class Ranking(_Strict):
    prior: float = Field(50, ge=0, le=100)
    """The score (0-100) a sub-score is pulled towards when it rests on few figures, and the
    score of a sub-score with no figures at all."""
    prior_weight: float = Field(2, ge=0)
    """How many figures' worth of weight the prior carries: a sub-score is
    (n x mean + prior_weight x prior) / (n + prior_weight) for n figures."""
    min_figures: int = Field(3, ge=1)
    """Current figures a tool needs before it gets a rank; below, it is "unranked"."""
    min_subscores: int = Field(2, ge=1, le=3)
    """Sub-scores (of adoption, quality, ecosystem) that need at least one current figure
    before the tool gets a rank."""
    example: Slug | None = None
    """The tool whose arithmetic the methodology page works through; by default the first
    ranked tool in slug order."""


class MetricSpec(_Strict):
    """A metric added to the registry, or the fields of a built-in one that the site
    changes. A new metric gives label, subscore, better, scale, low, high and
    stale_after_days; a built-in one may override any of them."""

    label: Text | None = None
    """Name shown on pages, e.g. "MMLU 5-shot"."""
    subscore: Literal["adoption", "quality", "ecosystem"] | None = None
    """The sub-score its figures count towards."""
    unit: str | None = None
    """Unit written after values: "%", "Elo", "stars", or "" for plain counts."""
    better: Literal["higher", "lower"] | None = None
    """Which direction is better (lower for error rates)."""
    scale: Literal["log", "linear"] | None = None
    """How values are placed between the reference points: log for counts that span orders
    of magnitude, linear for percentages, ratings and Elo."""
    low: float | None = None
    """The value that scores 0 (for a lower-is-better metric, the larger, bad end)."""
    high: float | None = None
    """The value that scores 100."""
    stale_after_days: int | None = Field(None, ge=1)
    """Days after `observed` when a figure stops counting; null for never (a published
    result of a fixed model)."""
    description: str | None = None
    """What the metric measures, shown on the methodology page."""


class Analytics(_Strict):
    """An analytics script the site owner provides, served as a file of the site (never
    inline), with the origins it talks to added to the Content-Security-Policy."""

    script: LocalFile
    """The script, a .js file inside the content folder, e.g. theme/analytics.js."""
    origins: list[Origin] = []
    """The https origins the script loads from or sends to (script-src and connect-src)."""


class Theme(_Strict):
    """How the bundled theme looks for this site."""

    brand_colour: Annotated[str, AfterValidator(check_brand)] | None = None
    """Accent colour of links and highlights, as #rrggbb; it must keep a 4.5:1 contrast
    with the page backgrounds (WCAG AA)."""
    logo: LocalFile | None = None
    """The site's logo, an image file inside the content folder, shown in the header."""
    footer_text: Markdown | None = None
    """Text for the footer of every page (Markdown; sanitised)."""
    analytics: Analytics | None = None
    """An analytics script file and the origins it uses."""


# --------------------------------------------------------------------------- pair policy

PairRuleName = Literal["all", "same-category", "matched", "top-k"]
PAIR_RULES: tuple[str, ...] = ("all", "same-category", "matched", "top-k")


class PairPolicy(_Strict):
    """Which pairs of tools get a comparison page. Rules are combined: a pair gets a page
    when any rule picks it (or `include` names it) and `exclude` does not name it.

    `pairs: same-category` and `pairs: [same-category, matched]` are short for
    `pairs: {rules: [...]}`."""

    rules: list[PairRuleName] = Field(default=["same-category"], min_length=1)
    """all (every pair), same-category (the two share a category), matched (matches.yaml
    counts the pair) and top-k (each tool's `top_k` closest tools by match evidence, shared
    categories and shared capability kinds)."""
    top_k: int = Field(5, ge=1, le=100)
    """How many closest tools of each tool the top-k rule picks."""
    include: list[Annotated[list[Slug], Field(min_length=2, max_length=2)]] = []
    """Extra pairs that get a page whatever the rules say, e.g. [chatgpt, llava-1-5]."""
    exclude: list[Annotated[list[Slug], Field(min_length=2, max_length=2)]] = []
    """Pairs that never get a page (stronger than the rules and `include`)."""
    thin: Literal["noindex", "skip"] = "noindex"
    """What happens to a thin pair (no shared figure, no shared capability kind and fewer
    than `min_words` words of its own): built with noindex and left out of the sitemap,
    or not built."""
    min_words: int = Field(150, ge=0)
    """Words of text (summaries and capability texts of both tools) below which a pair
    with no shared figure and no shared capability kind is thin."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, str):
            return {"rules": [value]}
        if isinstance(value, list):
            return {"rules": value}
        return value


class Hosting(_Strict):
    """Limits of the static host the site is published to."""

    max_folder_entries: int = Field(54_000, ge=10)
    """The most entries one output folder may hold (Netlify fails a deploy past 54,000
    files in one folder); a build that would exceed it stops with an error."""
    layout: Literal["flat", "nested"] = "flat"
    """flat: comparison pages at /compare/<a>-vs-<b>/; nested: at
    /compare/<a>/<a>-vs-<b>/, so no folder holds more entries than there are tools."""


class SiteConfig(_Strict):
    """`content/site.yaml`: the site as a whole."""

    title: Name
    """Site title, shown in every page header and <title>."""
    base_url: Url
    """Absolute URL the site is deployed at, used for canonical links and the sitemap."""
    description: Text
    """One-sentence description of the site, used on the home page and in meta tags."""
    categories: list[Category] = Field(min_length=1)
    """The category taxonomy; tools refer to these ids."""
    weights: Weights = Weights()
    """Scoring weights of the four sub-scores in the rank."""
    verdict: VerdictSettings = VerdictSettings()
    """How verdicts are worded."""
    ranking: Ranking = Ranking()
    """How ranks are computed from the figures: the prior, its weight and the minimum
    evidence for a rank."""
    metrics: dict[MetricId, MetricSpec] = {}
    """Metrics added to the built-in registry, or built-in metrics with some fields changed
    (e.g. other reference points), by metric id."""
    share_images: bool = True
    """Whether to draw a 1200x630 share image (og:image) for every comparison and tool
    page. They double the number of files; large catalogues may prefer to leave them off."""
    related_links: int = Field(6, ge=0, le=50)
    """How many other comparisons of each tool a comparison page links to."""
    pairs: PairPolicy = PairPolicy()
    """Which pairs of tools get a comparison page (default: tools sharing a category)."""
    hosting: Hosting = Hosting()
    """Limits of the static host: entries per folder, and the layout of comparison pages."""
    empty_categories: Literal["hide", "show"] = "hide"
    """A category no tool belongs to is reported as a warning and gets no page or link
    (hide), or is listed with an empty page (show)."""
    capability_kinds: list[CapabilityKind] = []
    """The shared vocabulary of capability kinds (text-to-image, grounding, on-device, ...)
    that lets two tools' capabilities be lined up in a matrix."""
    disclosure: Markdown | None = None
    """What readers should know about affiliate links (Markdown), shown on every page
    that has one."""
    theme: Theme = Theme()
    """Brand colour, logo, footer text and analytics of the bundled theme."""


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


class Price(_Strict):
    amount: float = Field(gt=0)
    """Lowest paid price, e.g. 10 for $10."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    """ISO 4217 currency code, e.g. USD."""
    period: Period
    """What the price buys: one-time, month, year, request, million-tokens or hour."""


class Pricing(_Strict):
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


METRIC_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MetricId = Annotated[str, Field(pattern=METRIC_ID_RE.pattern)]


class Figure(_Strict):
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


class Capability(_Strict):
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


class Source(_Strict):
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


class Identifiers(_Strict):
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


class Links(_Strict):
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


class Tool(_Strict):
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


class Match(_Strict):
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


class MatchFile(_Strict):
    """`content/matches.yaml`: how often people compare two tools."""

    matches: list[Match] = []
    """One entry per counted pair."""
