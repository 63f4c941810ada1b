"""Verdicts: table-driven cases, and a property test that renders real comparison pages of
generated tools and reads every claim back against the page's head-to-head rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.evidence import analyse, head_to_head
from generator.metrics import BUILTIN
from generator.models import MatchFile, Tool
from generator.plan import Page, assemble
from generator.render import Renderer
from generator.score import score_tool
from generator.site_models import SiteConfig, VerdictSettings
from generator.validate import Catalog
from generator.verdict import Side, verdict
from tests.conftest import TEMPLATES
from tests.verdict_claims import check, markup_errors, page_from_html

TODAY = dt.date(2026, 12, 3)
SETTINGS = VerdictSettings()
SITE = SiteConfig.model_validate(
    {
        "title": "T",
        "base_url": "https://x.example/",
        "description": "d",
        "categories": [{"id": "c", "name": "C", "description": "d"}],
    }
)
ASSETS = {
    name: f"/assets/{name}"
    for name in ("style.css", "pick.js", "favicon.svg", "search.js", "find.js")
}


def fig(
    metric: str,
    value: float,
    context: str = "",
    observed: str = "2026-10-01",
    retrieved: str | None = None,
    provenance: str = "independent",
) -> dict[str, Any]:
    return {
        "metric": metric,
        "value": value,
        "source": f"https://src.example/{metric}",
        "observed": observed,
        "retrieved": retrieved or observed,
        "context": context,
        "provenance": provenance,
    }


def make_tool(
    name: str,
    figures: list[dict[str, Any]] | None = None,
    *,
    caps: int = 2,
    plan: str = "freemium",
    free: bool = True,
    price: dict[str, Any] | None = None,
) -> Tool:
    return Tool.model_validate(
        {
            "name": name,
            "type": "model",
            "vendor": "V",
            "website": "https://v.example/",
            "summary": "s",
            "categories": ["c"],
            "pricing": {
                "plan": plan,
                "free_tier": free,
                "starting_price": price,
                "url": "https://v.example/p",
            },
            "evidence": figures or [],
            "capabilities": [
                {
                    "id": f"cap-{i}",
                    "title": f"Capability {i}",
                    "description": "d",
                    "unique": "u",
                    "vs_alternatives": "v",
                }
                for i in range(caps)
            ],
            "sources": [{"url": "https://v.example/", "backs": "all"}],
            "checked": "2026-11-01",
        }
    )


def side(name: str, tool: Tool) -> tuple[Side, Any]:
    figures = analyse(tool, BUILTIN, TODAY)
    return Side(name, tool, score_tool(figures, None, SITE)), figures


def text_of(a_tool: Tool, b_tool: Tool) -> tuple[str, str]:
    (a, fa), (b, fb) = side(a_tool.name, a_tool), side(b_tool.name, b_tool)
    v = verdict(a, b, head_to_head(fa, fb), SETTINGS)
    return v.text, v.headline


LLAMA = [
    fig("mmlu_5shot", 68.4, "instruct model, Meta's evaluation"),
    fig("humaneval_pass1", 62.2, "instruct model, Meta's evaluation"),
    fig("gsm8k", 79.6, "instruct model, 8-shot CoT, Meta's evaluation"),
    fig("monthly_downloads", 1_440_000),
]
MISTRAL = [
    fig("mmlu_5shot", 58.4, "Instruct model,  Meta's evaluation"),  # case and spacing differ
    fig("humaneval_pass1", 36.6, "instruct model, Meta's evaluation"),
    fig("gsm8k", 39.9, "instruct model, 8-shot CoT, Meta's evaluation"),
    fig("mmlu_5shot", 59.99, "base model, Mistral's evaluation"),  # no counterpart: no row
]


def test_decision_first_then_the_shared_figures_as_reasons() -> None:
    text, headline = text_of(make_tool("Llama", LLAMA), make_tool("Mistral", MISTRAL))
    assert text.startswith("On the figures both publish, choose Llama. ")
    assert (
        "Llama is ahead on all 3 quality figures both report: GSM-8K (79.6 vs 39.9), "
        "HumanEval pass@1 (62.2 vs 36.6) and MMLU 5-shot (68.4 vs 58.4)."
    ) in text
    assert headline == "Llama is ahead on all 3 quality figures both publish"
    assert "leads" not in text and "capabilities" not in text


def test_sub_scores_on_different_metrics_never_become_a_claim() -> None:
    # A's quality rests on one excellent benchmark, B's on an arena rating: both have a
    # quality sub-score, but nothing is like for like, so nobody "leads on quality".
    a = make_tool("A", [fig("mmlu_5shot", 95), fig("github_stars", 50_000), fig("integrations", 9)])
    b = make_tool("B", [fig("lmarena_text_elo", 1100, "snapshot 1"), fig("contributors", 3)])
    text, headline = text_of(a, b)
    assert text.startswith(
        "A and B publish no figure on the same metric and setting, so the evidence does not "
        "pick a winner; choose by what you need."
    )
    assert headline == "A and B publish no figures in common"
    assert "B is unranked (not enough evidence)" in text
    for word in ("leads", "ahead", "stronger", "higher"):
        assert word not in text


def test_lower_is_better_metrics_and_mixed_results() -> None:
    a = make_tool("A", [fig("librispeech_test_clean_wer", 2.1), fig("mmlu_5shot", 70)])
    b = make_tool("B", [fig("librispeech_test_clean_wer", 3.4), fig("mmlu_5shot", 71)])
    text, headline = text_of(a, b)
    assert (
        "On the 2 quality figures both report, A is ahead on LibriSpeech test-clean WER "
        "(2.1 vs 3.4); B is ahead on MMLU 5-shot (71 vs 70)."
    ) in text
    assert text.startswith("The evidence shared by A and B does not pick a winner;")
    assert headline == "A and B: the figures both publish do not pick a winner"


def test_level_rows_and_adoption_when_quality_is_not_shared() -> None:
    a = make_tool("A", [fig("github_stars", 1000), fig("integrations", 12)])
    b = make_tool("B", [fig("github_stars", 900), fig("integrations", 12)])
    text, _ = text_of(a, b)
    assert text.startswith("On the figures both publish, choose A.")
    assert "A is ahead on the one adoption figure both report: GitHub stars (1,000 vs 900)." in text
    assert (
        "They are level on the one ecosystem figure both report: Integrations (12 vs 12)." in text
    )


def test_stale_figures_and_other_contexts_are_not_compared() -> None:
    old = "2024-01-01"  # stars go stale after a year
    a = make_tool(
        "A", [fig("github_stars", 9000, observed=old), fig("vqav2_testdev", 65, "zero-shot")]
    )
    b = make_tool("B", [fig("github_stars", 10), fig("vqav2_testdev", 78.5, "fine-tuned")])
    text, _ = text_of(a, b)
    assert "publish no figure on the same metric and setting" in text


def test_price_difference_in_same_units() -> None:
    month = {"currency": "USD", "period": "month"}
    a = make_tool("A", price={"amount": 10, **month})
    b = make_tool("B", price={"amount": 30, **month})
    text, _ = text_of(a, b)
    assert "A is cheaper to start, at 10 USD per month against 30 USD for B, 20 USD less." in text


# --------------------------------------------------------------------------- property test

METRICS = [
    "mmlu_5shot",
    "humaneval_pass1",
    "librispeech_test_clean_wer",
    "lmarena_text_elo",
    "github_stars",
    "monthly_downloads",
    "integrations",
]
figures = st.builds(
    lambda metric, value, context, observed, lag, provenance: fig(
        metric,
        value,
        context,
        observed.isoformat(),
        (observed + dt.timedelta(days=lag)).isoformat(),
        provenance,
    ),
    st.sampled_from(METRICS),
    st.one_of(
        st.sampled_from([0, 1, 2.5, 50, 68.4, 1000, 1250, 1_000_000]),
        st.integers(0, 3000),
        st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)),
    ),
    st.sampled_from(["", "zero-shot", "Zero-Shot ", "5-shot", "snapshot 2026-04-19"]),
    st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 3)),
    st.integers(0, 400),
    st.sampled_from(["vendor-claimed", "independent", "community"]),
)
price = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "amount": st.sampled_from([5, 9.99, 10, 20, 0.5]),
            "currency": st.sampled_from(["USD", "EUR"]),
            "period": st.sampled_from(["month", "year"]),
        }
    ),
)


@st.composite
def tools(draw: st.DrawFn, name: str) -> Tool:
    return make_tool(
        name,
        draw(st.lists(figures, max_size=8)),
        caps=draw(st.integers(1, 4)),
        plan=draw(st.sampled_from(["free", "freemium", "paid", "open-source"])),
        free=draw(st.booleans()),
        price=draw(price),
    )


def render_pair(a: Tool, b: Tool, times: tuple[int | None, int | None]) -> BeautifulSoup:
    """The real comparison page of `a` and `b`, rendered in memory."""
    matches = []
    if times[0] is not None:
        matches.append({"tools": ["a", "b"], "count": times[0], "what": "x",
                        "source": "https://m.example/", "period": "2026"})  # fmt: skip
    catalog = Catalog(
        site=SITE,
        tools={"a": a, "b": b},
        matches=MatchFile.model_validate({"matches": matches}),
        checked_files=4,
        today=TODAY,
    )
    renderer = Renderer(assemble(catalog), TEMPLATES, ASSETS)
    html = renderer.render(Page("compare", "/compare/a-vs-b/", ("a", "b")))
    return BeautifulSoup(html, "html.parser")


@settings(max_examples=150, deadline=None)
@given(tools("Alpha"), tools("Beta tool"), st.one_of(st.none(), st.integers(0, 500)))
def test_every_comparative_claim_is_backed_by_the_head_to_head_rows(
    a: Tool, b: Tool, times: int | None
) -> None:
    doc = render_pair(a, b, (times, None))
    page = page_from_html(doc)
    text = doc.find("section", id="verdict").get_text(" ", strip=True).removeprefix("Verdict ")
    headline = doc.find(class_="headline").get_text(strip=True)
    assert markup_errors(doc, page) == []
    assert check(page, text, headline) == []


def test_the_checker_catches_a_claim_from_sub_scores() -> None:
    """The reader is not a rubber stamp: a verdict that adds a sub-score lead, or leaves a
    row out, or gets a value wrong, is caught."""
    doc = render_pair(make_tool("Llama", LLAMA), make_tool("Mistral", MISTRAL), (None, None))
    page = page_from_html(doc)
    text = doc.find("section", id="verdict").get_text(" ", strip=True).removeprefix("Verdict ")
    assert check(page, text) == []
    assert check(page, text + " Mistral leads on quality (60 vs 54).")
    assert check(page, text.replace("(62.2 vs 36.6)", "(62.2 vs 35.6)"))
    assert check(page, text.replace("choose Llama", "choose Mistral"))
    reasons = text[text.index(" Llama is ahead on all 3") : text.index(" Llama ranks")]
    assert check(page, text.replace(reasons, "")), "rows left out of the verdict"
