"""Figures that say what they are: the metric registry and its overrides in site.yaml,
the build day, and the warnings `check` gives about stale figures and future dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import clock
from generator.evidence import better_of
from generator.metrics import BUILTIN, fmt_number, merge, plain_number
from tests.conftest import TEMPLATES, run_cli, soup

FIXTURE_SITE = (Path(__file__).parent / "fixtures" / "site" / "site.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    ("metric", "value", "expected"),
    [
        ("github_stars", 10, 0.0),
        ("github_stars", 1_000, 50.0),
        ("github_stars", 100_000, 100.0),
        ("github_stars", 5, 0.0),  # clamped below
        ("github_stars", 10**9, 100.0),  # clamped above
        ("mmlu_5shot", 62.5, 50.0),  # 25% is chance on MMLU
        ("review_rating", 3, 50.0),
        ("lmarena_text_elo", 1250, 50.0),
        ("librispeech_test_clean_wer", 2.0, 80.0),  # lower is better: 10% scores 0
        ("librispeech_test_clean_wer", 12.0, 0.0),
    ],
)
def test_placement_between_the_metrics_reference_points(
    metric: str, value: float, expected: float
) -> None:
    assert BUILTIN[metric].place(value) == pytest.approx(expected)


def test_every_builtin_metric_has_working_reference_points() -> None:
    for metric in BUILTIN.values():
        assert metric.problems() == [], metric.id
        assert metric.label and metric.description, metric.id


def test_overrides_merge_and_new_metrics_need_every_field() -> None:
    registry, problems = merge({"github_stars": {"high": 1_000_000, "stale_after_days": None}})
    assert problems == []
    assert registry["github_stars"].high == 1_000_000
    assert registry["github_stars"].stale_after_days is None
    assert registry["github_stars"].label == "GitHub stars"  # the rest is built in
    _, problems = merge({"my_score": {"label": "My score", "subscore": "quality"}})
    assert problems == [
        (
            "my_score",
            "",
            'new metric "my_score" needs better, scale, low, high, stale_after_days; a metric '
            "that is not built in must give label, subscore, better, scale, low, high, "
            "stale_after_days",
        )
    ]
    _, problems = merge({"librispeech_test_clean_wer": {"low": 0, "high": 10}})
    assert problems == [
        (
            "librispeech_test_clean_wer",
            "low",
            "low is the value scoring 0, so with better: lower it must be above high; got "
            "low 0, high 10",
        )
    ]


def test_numbers_are_written_exactly() -> None:
    assert [fmt_number(v) for v in (68.4, 1_440_000.0, 61.65, 4.5, 12)] == [
        "68.4",
        "1,440,000",
        "61.65",
        "4.5",
        "12",
    ]
    assert [plain_number(v) for v in (68.4, 1_440_000.0)] == ["68.4", "1440000"]


def test_the_build_day_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796256000")
    assert clock.today() == dt.date(2026, 12, 3)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert clock.today() == dt.date.today()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert clock.today() == dt.date.today()


def test_check_warns_about_stale_figures_and_future_dates(
    make_site: Callable[[dict[str, str]], Path],
) -> None:
    gamma = (Path(__file__).parent / "fixtures" / "site" / "tools" / "gamma.yaml").read_text()
    future = gamma.replace(
        "observed: 2026-10-15\n    retrieved: 2026-10-15",
        "observed: 2026-10-15\n    retrieved: 2027-01-02",
    )
    content = make_site({"tools/gamma.yaml": future})
    result = run_cli("check", "--content", str(content), "--templates", str(TEMPLATES))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line.removeprefix(str(content) + "/") for line in result.stderr.splitlines()]
    assert lines == [
        "tools/beta.yaml:35:15: evidence[3].observed: warning: stale: observed 2025-01-10, 692 "
        "days ago; image_arena_elo figures count for 365 days, so this one is shown as stale "
        "and does not count",
        "tools/gamma.yaml:32:16: evidence[2].retrieved: warning: retrieved 2027-01-02 is in "
        "the future (today is 2026-12-03)",
    ]
    assert result.stdout == "OK: 4 tools, 21 pages would be built.\n"


def test_site_metrics_can_change_reference_points(
    make_site: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    """A site that places Elo on a narrower scale: gamma's 1300 now tops it."""
    site = FIXTURE_SITE.replace(
        "  review_rating:\n",
        "  lmarena_text_elo:\n    low: 1200\n    high: 1300\n  review_rating:\n",
    )
    content = make_site({"site.yaml": site})
    out = tmp_path / "out"
    result = run_cli(
        "build", "--content", str(content), "--out", str(out), "--templates", str(TEMPLATES)
    )
    assert result.returncode == 0, result.stderr
    page = (out / "tools" / "gamma" / "index.html").read_text("utf-8")
    assert "<td>100 of 100</td>" in page
    methodology = (out / "methodology" / "index.html").read_text("utf-8")
    assert (
        "<td><code>lmarena_text_elo</code></td><td>Quality</td><td>higher</td><td>1,200</td><td>1,300</td>"
        in methodology
    )


def test_unknown_ranking_example_is_an_error(make_site: Callable[[dict[str, str]], Path]) -> None:
    content = make_site({"site.yaml": FIXTURE_SITE.replace("example: alpha", "example: alpah")})
    result = run_cli("check", "--content", str(content), "--templates", str(TEMPLATES))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].endswith(
        'site.yaml:23:12: ranking.example: unknown tool "alpah"; did you mean "alpha"?'
    )


def test_an_old_site_file_is_told_that_lead_margin_is_gone(
    make_site: Callable[[dict[str, str]], Path],
) -> None:
    old = FIXTURE_SITE.replace("verdict:\n", "verdict:\n  lead_margin: 5\n")
    content = make_site({"site.yaml": old})
    result = run_cli("check", "--content", str(content), "--templates", str(TEMPLATES))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [line.removeprefix(str(content) + "/") for line in result.stderr.splitlines()] == [
        "site.yaml:17:3: verdict.lead_margin: lead_margin was removed: verdicts now compare "
        "only figures both tools publish on the same metric and setting, with no margin; "
        'delete this line (see README "Verdicts")',
        "Found 1 problem in 1 file.",
    ]


@pytest.mark.parametrize(
    ("metric", "a", "b", "winner"),
    [
        ("librispeech_test_clean_wer", 1.53, 1.54, None),  # 0.01 of a WER: level
        ("librispeech_test_clean_wer", 1.53, 1.69, 0),  # 0.16 apart: lower is better
        ("mmlu_5shot", 68.4, 67.7, None),  # within 0.75 points
        ("mmlu_5shot", 68.4, 58.4, 0),
        ("lmarena_text_elo", 1300, 1304, None),  # within 5 Elo
        ("lmarena_text_elo", 1300, 1306, 1),
        ("monthly_downloads", 1_440_000, 1_410_000, None),  # 2% apart: counters move daily
        ("monthly_downloads", 1_440_000, 1_300_000, 0),  # 11% apart
    ],
)
def test_close_figures_are_level_not_a_lead(
    metric: str, a: float, b: float, winner: int | None
) -> None:
    assert better_of(BUILTIN[metric], a, b) == winner
    assert better_of(BUILTIN[metric], b, a) == (None if winner is None else 1 - winner)


def test_rows_carry_their_tolerance_for_readers(fixture_site: Path) -> None:
    rows = [
        tr
        for page in sorted((fixture_site / "compare").glob("*/index.html"))
        for tr in soup(page).select("table#head-to-head tr[data-metric]")
    ]
    assert rows
    for tr in rows:
        metric = BUILTIN.get(tr["data-metric"])
        if metric is not None:
            assert tr["data-level-within"] == metric.level_within
