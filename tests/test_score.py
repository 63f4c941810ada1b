"""The rank method: shrinkage towards the prior, the evidence threshold, the match graph
that can only lift, stale figures, and scores that depend on one tool's file alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.evidence import analyse
from generator.metrics import BUILTIN
from generator.models import MatchFile, Tool
from generator.plan import assemble
from generator.score import Scores, display, score_tool, shrink
from generator.site_models import SiteConfig
from generator.validate import Catalog
from tests.test_verdict import SITE, TODAY, fig, make_tool


def scores(tool: Tool, times: int | None = None, site: SiteConfig = SITE) -> Scores:
    return score_tool(analyse(tool, BUILTIN, TODAY), times, site)


def site_with(**ranking: Any) -> SiteConfig:
    return SiteConfig.model_validate({**SITE.model_dump(), "ranking": ranking})


# Placements: github_stars 10 -> 0, 100,000 -> 100 (log); integrations 1 -> 0, 1,000 -> 100.
STARS_100 = fig("github_stars", 100_000)  # places at 100
STARS_50 = fig("github_stars", 1_000)  # places at 50


def test_display_rounds_half_up() -> None:
    assert [display(x) for x in (0.4, 0.5, 45.5, 99.49, None)] == [0, 1, 46, 99, None]


def test_a_sub_score_is_its_mean_shrunk_towards_the_prior() -> None:
    assert shrink([], 50, 2) == 50
    assert shrink([100], 50, 2) == pytest.approx(200 / 3)
    assert shrink([100] * 10, 50, 2) == pytest.approx(1100 / 12)
    assert shrink([80, 20], 50, 0) == 50  # no prior weight: the plain mean
    s = scores(make_tool("A", [STARS_100, fig("mmlu_5shot", 100), fig("humaneval_pass1", 40)]))
    assert s.adoption.value == pytest.approx((100 + 2 * 50) / 3)
    assert s.quality.mean == pytest.approx(70) and s.quality.n == 2
    assert s.quality.value == pytest.approx((140 + 100) / 4)
    assert s.ecosystem.n == 0 and s.ecosystem.value == 50 and s.ecosystem.shown is None
    w = SITE.weights
    base = (w.adoption * s.adoption.value + w.quality * s.quality.value + w.ecosystem * 50) / (
        w.adoption + w.quality + w.ecosystem
    )
    assert s.base == pytest.approx(base) and s.rank == pytest.approx(base)


def test_thin_evidence_cannot_win() -> None:
    one = make_tool("One", [STARS_100])  # a single perfect figure
    ten = make_tool(
        "Ten",  # ten good figures, each placing at about 85
        [fig("mmlu_5shot", 88.75, f"setting {i}") for i in range(5)]
        + [fig("github_stars", 25_119, f"repo {i}") for i in range(3)]
        + [fig("integrations", 355, f"list {i}") for i in range(2)],
    )
    assert scores(one).rank is None  # below the minimum: unranked, not first
    assert scores(ten).rank is not None
    # Three perfect figures lose to ten good ones: the prior weighs on the few.
    three = make_tool("Three", [STARS_100, fig("mmlu_5shot", 100), fig("integrations", 1000)])
    assert scores(three).rank is not None
    assert scores(ten).rank > scores(three).rank  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([STARS_100, STARS_50, fig("mmlu_5shot", 100)]), max_size=2))
def test_below_the_threshold_a_tool_is_unranked(figures: list[dict[str, Any]]) -> None:
    assert scores(make_tool("A", figures)).rank is None


def test_thresholds_are_settings() -> None:
    tool = make_tool("A", [STARS_100, fig("mmlu_5shot", 90)])
    assert scores(tool).rank is None
    loose = site_with(min_figures=2, min_subscores=2)
    assert scores(tool, site=loose).rank is not None
    assert scores(tool, site=site_with(min_figures=2, min_subscores=3)).rank is None


placements = st.sampled_from(
    [
        fig("github_stars", 10),
        STARS_50,
        STARS_100,
        fig("mmlu_5shot", 40),
        fig("mmlu_5shot", 99, "other"),
        fig("integrations", 5),
        fig("integrations", 900, "plugins"),
        fig("lmarena_text_elo", 1350, "old snapshot", observed="2024-01-01"),  # stale
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(placements, max_size=8), st.integers(0, 200_000))
def test_match_data_never_lowers_a_rank(figures: list[dict[str, Any]], times: int) -> None:
    tool = make_tool("A", figures)
    without, with_ = scores(tool), scores(tool, times)
    assert (without.rank is None) == (with_.rank is None)  # ranked or not: evidence only
    if without.rank is not None:
        assert with_.rank is not None and with_.rank >= without.rank
    assert with_.lift >= 0


def test_match_graph_lift_is_its_weight_share_of_the_gap() -> None:
    tool = make_tool("A", [STARS_50, fig("mmlu_5shot", 62.5), fig("integrations", 31.6)])
    s = scores(tool, 100_000)  # times matched at the top of its scale: 100
    w = SITE.weights
    share = w.match_graph / (w.adoption + w.quality + w.ecosystem + w.match_graph)
    assert s.lift == pytest.approx(share * (100 - s.base))
    low = scores(tool, 1)  # match graph 0, below the base: no lift, no harm
    assert low.rank == pytest.approx(s.base)


def test_stale_figures_do_not_count_and_the_latest_figure_per_setting_does() -> None:
    tool = make_tool(
        "A",
        [
            fig("monthly_downloads", 10_000_000, observed="2026-08-01"),  # 124 days > 90: stale
            fig("github_stars", 100, observed="2026-01-01"),
            fig("github_stars", 100_000, observed="2026-06-01"),  # the later one counts
            fig("github_stars", 10, "a fork", observed="2026-06-01"),  # other setting: counts
        ],
    )
    figures = analyse(tool, BUILTIN, TODAY)
    assert figures.stale == (0,)
    assert figures.superseded == (1,)
    assert [c.index for c in figures.counted] == [2, 3]
    earlier = analyse(tool, BUILTIN, dt.date(2026, 9, 1))  # a build on an earlier day
    assert earlier.stale == () and len(earlier.counted) == 3


def _catalog(tools: dict[str, Tool]) -> Catalog:
    return Catalog(site=SITE, tools=tools, matches=MatchFile(), checked_files=3, today=TODAY)


def test_adding_or_editing_a_tool_never_changes_another_tools_scores() -> None:
    a = make_tool("A", [STARS_50, fig("mmlu_5shot", 70), fig("integrations", 20)])
    b = make_tool("B", [fig("github_stars", 50), fig("mmlu_5shot", 20)])
    before = assemble(_catalog({"a": a, "b": b})).entries["a"].scores
    c = make_tool(
        "C", [fig("github_stars", 10**7), fig("mmlu_5shot", 99), fig("integrations", 999)]
    )
    assert assemble(_catalog({"a": a, "b": b, "c": c})).entries["a"].scores == before
    edited = make_tool("B", [fig("github_stars", 10**6), fig("mmlu_5shot", 95)])
    assert assemble(_catalog({"a": a, "b": edited})).entries["a"].scores == before


def test_leaderboard_lists_unranked_tools_apart() -> None:
    ranked = make_tool("R", [STARS_50, fig("mmlu_5shot", 70), fig("integrations", 20)])
    thin = make_tool("T", [STARS_100])
    site = assemble(_catalog({"a-thin": thin, "b-ranked": ranked}))
    assert site.ranked == ("b-ranked",) and site.unranked == ("a-thin",)
    assert site.by_rank == ("b-ranked", "a-thin")
    assert site.example == "b-ranked"  # the first ranked tool works as the methodology example
