"""The scoring method: fixed reference points, explicit missing data, stable across tools."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.models import MatchFile, SiteConfig, Tool
from generator.plan import assemble
from generator.score import SCALES, display, rank
from generator.validate import Catalog
from tests.test_verdict import make_tool

SITE = SiteConfig.model_validate(
    {
        "title": "T",
        "base_url": "https://x.example/",
        "description": "d",
        "categories": [{"id": "c", "name": "C", "description": "d"}],
    }
)


@pytest.mark.parametrize(
    ("metric", "value", "expected"),
    [
        ("github_stars", 10, 0.0),
        ("github_stars", 100_000, 100.0),
        ("github_stars", 1_000, 50.0),
        ("github_stars", 5, 0.0),  # clamped below
        ("github_stars", 10**9, 100.0),  # clamped above
        ("benchmark_score", 62.5, 62.5),
        ("review_rating", 3, 50.0),
        ("arena_elo", 1250, 50.0),
    ],
)
def test_placement_on_fixed_scales(metric: str, value: float, expected: float) -> None:
    assert SCALES[metric].place(value) == pytest.approx(expected)


def test_display_rounds_half_up() -> None:
    assert [display(x) for x in (0.4, 0.5, 45.5, 99.49, None)] == [0, 1, 46, 99, None]


def test_rank_renormalises_weights_over_subscores_with_data() -> None:
    value, basis = rank(
        {"adoption": 80, "quality": 40, "ecosystem": None, "match_graph": None}, SITE
    )
    w = SITE.weights
    assert value == pytest.approx((80 * w.adoption + 40 * w.quality) / (w.adoption + w.quality))
    assert basis == ("adoption", "quality")


def test_rank_is_none_without_any_data() -> None:
    assert rank(dict.fromkeys(("adoption", "quality", "ecosystem", "match_graph")), SITE) == (
        None,
        (),
    )


def _catalog(tools: dict[str, Tool]) -> Catalog:
    return Catalog(site=SITE, tools=tools, matches=MatchFile(), checked_files=len(tools))


def test_adding_or_editing_a_tool_never_changes_another_tools_scores() -> None:
    a, b = make_tool("A", stars=5000, bench=70), make_tool("B", stars=50, bench=20)
    before = assemble(_catalog({"a": a, "b": b})).entries["a"].scores
    c = make_tool("C", stars=10**7, bench=99)
    after = assemble(_catalog({"a": a, "b": b, "c": c})).entries["a"].scores
    assert after == before
    edited = make_tool("B", stars=10**6, bench=95)
    assert assemble(_catalog({"a": a, "b": edited})).entries["a"].scores == before


def test_missing_evidence_is_none_not_zero() -> None:
    tool = make_tool("Empty", stars=None, bench=None)
    scores = assemble(_catalog({"e": tool})).entries["e"].scores
    assert scores.adoption is None and scores.quality is None and scores.rank is None
    assert scores.missing == ("adoption", "quality", "ecosystem", "match_graph")


def test_dates_are_dates() -> None:
    assert make_tool("A").checked == dt.date(2026, 11, 1)
