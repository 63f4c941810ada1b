"""The content format of `site.yaml`: Pydantic models of the site's settings (categories,
capability kinds, weights, ranking, metrics, theme, pair policy, hosting).

Every field carries a docstring because `versus schema` turns them into JSON Schema
descriptions that editors show while typing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from generator.formats import check_brand
from generator.model_base import (
    WEIGHT_MAX,
    LocalFile,
    Markdown,
    MetricId,
    Name,
    Origin,
    Slug,
    StrictModel,
    Text,
    Url,
)

# --------------------------------------------------------------------------- site.yaml


class Category(StrictModel):
    id: Slug
    """Identifier used in tool files' `categories` and in the URL `/categories/<id>/`."""
    name: Name
    """Display name of the category."""
    description: Markdown
    """What belongs in this category (Markdown)."""


class CapabilityKind(StrictModel):
    id: Slug
    """Identifier that tool files give as a capability's `kind`."""
    name: Name
    """Display name of the kind, shown in the capability matrix."""


class Weights(StrictModel):
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


class VerdictSettings(StrictModel):
    choose_from: int = Field(2, ge=1, le=5)
    """How many capabilities of each tool the "choose A if ..." sentence names."""


class Ranking(StrictModel):
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


class MetricSpec(StrictModel):
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


class Analytics(StrictModel):
    """An analytics script the site owner provides, served as a file of the site (never
    inline), with the origins it talks to added to the Content-Security-Policy."""

    script: LocalFile
    """The script, a .js file inside the content folder, e.g. theme/analytics.js."""
    origins: list[Origin] = []
    """The https origins the script loads from or sends to (script-src and connect-src)."""


class Theme(StrictModel):
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


class PairPolicy(StrictModel):
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


class Hosting(StrictModel):
    """Limits of the static host the site is published to."""

    max_folder_entries: int = Field(54_000, ge=10)
    """The most entries one output folder may hold (Netlify fails a deploy past 54,000
    files in one folder); a build that would exceed it stops with an error."""
    layout: Literal["flat", "nested"] = "flat"
    """flat: comparison pages at /compare/<a>-vs-<b>/; nested: at
    /compare/<a>/<a>-vs-<b>/, so no folder holds more entries than there are tools."""


class SiteConfig(StrictModel):
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
    search_index: bool = True
    """Whether to build the search index (Pagefind), the /search/ page and the search box
    in every header. Off for a site that does without search or uses its own; the index
    takes most of a large catalogue's build time."""
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
