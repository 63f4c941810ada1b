"""The metric registry: what each figure measures, which way is better, how it maps to 0-100
and how long it stays current.

A number means nothing without its metric: "65" can be an accuracy, a rating or a count.
Every figure names a metric of this registry, so two figures are compared only when they
measure the same thing, and each is placed on 0-100 between the metric's two fixed
reference points. The built-in metrics below can be overridden and extended in site.yaml
(`metrics:`); the reference points stay constants of the site, never corpus percentiles,
so adding or editing one tool never moves another tool's scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal

SubScore = Literal["adoption", "quality", "ecosystem"]
EVIDENCE_SUBSCORES: tuple[SubScore, ...] = ("adoption", "quality", "ecosystem")
# Fields a metric that is not built in must give in site.yaml (unit and description may
# be left out). `stale_after_days` may be given as null: "never stale".
REQUIRED = ("label", "subscore", "better", "scale", "low", "high", "stale_after_days")


LOG_LEVEL_PERCENT = 5.0  # counts within 5% of each other are level


@dataclass(frozen=True)
class Metric:
    """One kind of figure. `low` is the value that scores 0 and `high` the value that scores
    100, so for a lower-is-better metric (an error rate) `low` is the larger number."""

    id: str
    label: str
    subscore: SubScore
    unit: str  # "%", "Elo", "stars"; "" for plain counts
    better: Literal["higher", "lower"]
    scale: Literal["log", "linear"]
    low: float
    high: float
    stale_after_days: int | None  # None: never stale (a published result of a fixed model)
    description: str = ""
    # False for figures shown for reference that are not a score, such as prices: a lower
    # price is not a better tool, so they count in no sub-score, rank or head-to-head row.
    scored: bool = True

    def place(self, value: float) -> float:
        """The figure on 0-100 between the reference points, clamped."""
        if self.scale == "log":
            v = math.log10(max(value, 1e-9))
            lo, hi = math.log10(self.low), math.log10(self.high)
        else:
            v, lo, hi = value, self.low, self.high
        return min(100.0, max(0.0, 100.0 * (v - lo) / (hi - lo)))

    @property
    def level_within(self) -> str:
        """How close two figures must be to count as level rather than one ahead: 1% of the
        reference range on a linear scale (0.75 points of MMLU, 0.1 of a WER, 5 Elo), 5% of
        the smaller figure on a log scale (counts). Differences that small are within what
        re-runs, rounding and counters that move daily change. As pages write it."""
        if self.scale == "log":
            return f"{LOG_LEVEL_PERCENT:g}%"
        return repr(abs(self.high - self.low) / 100)

    def level(self, a: float, b: float) -> bool:
        """True when `a` and `b` are too close for either to be called ahead."""
        if self.scale == "log":
            low, high = min(a, b), max(a, b)
            return high <= low * (1 + LOG_LEVEL_PERCENT / 100)
        return abs(a - b) <= float(self.level_within)

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for reference points that cannot work."""
        out: list[tuple[str, str]] = []
        if self.low == self.high:
            out.append(("high", f"expected high to differ from low; both are {self.low:g}"))
        elif (self.better == "higher") != (self.low < self.high):
            order = "below" if self.better == "higher" else "above"
            out.append(
                (
                    "low",
                    f"low is the value scoring 0, so with better: {self.better} it must be "
                    f"{order} high; got low {self.low:g}, high {self.high:g}",
                )
            )
        if self.scale == "log" and (self.low <= 0 or self.high <= 0):
            out.append(("low", "a log scale needs low and high above 0"))
        return out


def _m(
    id: str,
    label: str,
    subscore: SubScore,
    unit: str,
    scale: Literal["log", "linear"],
    low: float,
    high: float,
    stale: int | None,
    description: str,
    better: Literal["higher", "lower"] = "higher",
) -> Metric:
    return Metric(id, label, subscore, unit, better, scale, low, high, stale, description)


_BENCH = "published result of a fixed model: never stale"
BUILTIN: dict[str, Metric] = {
    m.id: m
    for m in (
        # Adoption: counts that span orders of magnitude, so on a log scale.
        _m("github_stars", "GitHub stars", "adoption", "", "log", 10, 100_000, 365,
           "Stars of the tool's main GitHub repository."),
        _m("monthly_downloads", "Downloads per month", "adoption", "", "log", 100, 10_000_000, 90,
           "Package or model downloads in one month (PyPI, npm, Hugging Face counters)."),
        _m("monthly_active_users", "Monthly active users", "adoption", "", "log", 1_000,
           100_000_000, 365, "People using the tool in a month, as reported."),
        _m("weekly_active_users", "Weekly active users", "adoption", "", "log", 1_000,
           100_000_000, 365, "People using the tool in a week, as reported."),
        _m("huggingface_likes", "Hugging Face likes", "adoption", "", "log", 1, 10_000, 365,
           "Likes of the model's Hugging Face repository."),
        # Quality: named benchmarks (linear, chance level or 0 scores 0) and arenas.
        _m("mmlu_5shot", "MMLU 5-shot", "quality", "%", "linear", 25, 100, None,
           f"Accuracy on MMLU with 5 examples in the prompt (25% is chance); {_BENCH}."),
        _m("humaneval_pass1", "HumanEval pass@1", "quality", "%", "linear", 0, 100, None,
           f"Share of HumanEval problems solved at the first attempt; {_BENCH}."),
        _m("gsm8k", "GSM-8K", "quality", "%", "linear", 0, 100, None,
           f"Accuracy on GSM-8K grade-school maths (shots and CoT in the context); {_BENCH}."),
        _m("math", "MATH", "quality", "%", "linear", 0, 100, None,
           f"Accuracy on the MATH competition problems; {_BENCH}."),
        _m("gpqa_diamond", "GPQA Diamond", "quality", "%", "linear", 25, 100, None,
           f"Accuracy on GPQA Diamond (25% is chance); {_BENCH}."),
        _m("swe_bench_verified", "SWE-bench Verified", "quality", "%", "linear", 0, 100, None,
           f"Share of SWE-bench Verified issues resolved; {_BENCH}."),
        _m("mmmu", "MMMU val", "quality", "%", "linear", 0, 100, None,
           f"Accuracy on the MMMU validation set; {_BENCH}."),
        _m("vqav2_testdev", "VQAv2 test-dev", "quality", "%", "linear", 0, 100, None,
           f"VQA accuracy on VQAv2 test-dev (zero-shot or not: say so in context); {_BENCH}."),
        _m("gqa_testdev", "GQA test-dev", "quality", "%", "linear", 0, 100, None,
           f"Accuracy on GQA test-dev balanced; {_BENCH}."),
        _m("okvqa", "OK-VQA", "quality", "%", "linear", 0, 100, None,
           f"VQA accuracy on OK-VQA (outside-knowledge questions); {_BENCH}."),
        _m("textvqa", "TextVQA", "quality", "%", "linear", 0, 100, None,
           f"Accuracy on TextVQA (reading text in images); {_BENCH}."),
        _m("docvqa", "DocVQA ANLS", "quality", "%", "linear", 0, 100, None,
           f"ANLS on DocVQA document questions; {_BENCH}."),
        _m("imagenet_zeroshot_top1", "ImageNet zero-shot top-1", "quality", "%", "linear", 0, 100,
           None, f"Top-1 accuracy on ImageNet without ImageNet training; {_BENCH}."),
        _m("flickr30k_entities_r1", "Flickr30k Entities R@1", "quality", "%", "linear", 0, 100,
           None, f"Phrase grounding recall at 1 on Flickr30k Entities; {_BENCH}."),
        _m("refcocog_accuracy", "RefCOCOg accuracy", "quality", "%", "linear", 0, 100, None,
           f"Referring expression comprehension on RefCOCOg (IoU > 0.5); {_BENCH}."),
        _m("coco_caption_cider", "COCO caption CIDEr", "quality", "", "linear", 0, 150, None,
           f"CIDEr of captions on the COCO Karpathy test split; {_BENCH}."),
        _m("geneval", "GenEval overall", "quality", "", "linear", 0, 1, None,
           f"GenEval overall score (0-1) for prompt-following image generation; {_BENCH}."),
        _m("mteb_average", "MTEB average", "quality", "", "linear", 0, 100, None,
           f"Average score over the MTEB embedding tasks; {_BENCH}."),
        _m("librispeech_test_clean_wer", "LibriSpeech test-clean WER", "quality", "%", "linear",
           10, 0, None, f"Word error rate on LibriSpeech test-clean; {_BENCH}.", better="lower"),
        _m("librispeech_test_other_wer", "LibriSpeech test-other WER", "quality", "%", "linear",
           20, 0, None, f"Word error rate on LibriSpeech test-other; {_BENCH}.", better="lower"),
        _m("lmarena_text_elo", "LMArena text Elo", "quality", "Elo", "linear", 1000, 1500, 365,
           "Rating on the LMArena (Chatbot Arena) text leaderboard; the snapshot goes in context."),
        _m("lmarena_vision_elo", "LMArena vision Elo", "quality", "Elo", "linear", 1000, 1500,
           365, "Rating on the LMArena vision leaderboard; the snapshot goes in context."),
        _m("image_arena_elo", "Image arena Elo", "quality", "Elo", "linear", 1000, 1500, 365,
           "Rating on a text-to-image arena; the arena and snapshot go in context."),
        _m("review_rating", "Review rating", "quality", "stars", "linear", 1, 5, 365,
           "Average user review rating out of 5 stars."),
        # Ecosystem.
        _m("integrations", "Integrations", "ecosystem", "", "log", 1, 1_000, 365,
           "Integrations, plugins or providers supported, as listed by the source."),
        _m("contributors", "Contributors", "ecosystem", "", "log", 1, 2_000, 365,
           "Contributors to the main repository."),
        _m("derivatives", "Derivatives", "ecosystem", "", "log", 1, 10_000, 365,
           "Fine-tunes, adapters, quantisations or forks built on the tool."),
        _m("community_members", "Community members", "ecosystem", "", "log", 100, 10_000_000, 365,
           "Members of the official community (forum, Discord, subreddit)."),
        # Shown, never scored (`scored=False`): the sub-score only fills the dataclass.
        replace(_m("prompt_price", "Prompt price", "adoption", "USD per million tokens", "log",
                   100, 0.01, 90, "Price of one million input tokens (not scored).",
                   better="lower"), scored=False),
        replace(_m("completion_price", "Completion price", "adoption", "USD per million tokens",
                   "log", 100, 0.01, 90, "Price of one million output tokens (not scored).",
                   better="lower"), scored=False),
    )
}  # fmt: skip

# Old metric ids and what replaced them, for the migration error of old tool files.
RETIRED = {
    "benchmark_score": (
        "benchmark_score was retired: name the benchmark with a registered metric "
        "(e.g. mmlu_5shot, humaneval_pass1, vqav2_testdev)"
    ),
    "arena_elo": (
        "arena_elo was split by leaderboard: use lmarena_text_elo, lmarena_vision_elo or "
        "image_arena_elo and put the snapshot in context"
    ),
}


def merge(overrides: dict[str, Any]) -> tuple[dict[str, Metric], list[tuple[str, str, str]]]:
    """The built-in metrics with site.yaml's `metrics:` applied.

    `overrides` maps a metric id to the fields the site sets (a Pydantic model's
    explicitly set fields). Returns the registry and (metric id, field, message) problems:
    a new metric missing a required field, or reference points that cannot work."""
    registry = dict(BUILTIN)
    problems: list[tuple[str, str, str]] = []
    for metric_id, fields in overrides.items():
        base = registry.get(metric_id)
        if base is None:
            missing = [f for f in REQUIRED if f not in fields]
            if missing:
                problems.append(
                    (
                        metric_id,
                        "",
                        f'new metric "{metric_id}" needs {", ".join(missing)}; a metric that is '
                        f"not built in must give {', '.join(REQUIRED)}",
                    )
                )
                continue
            base = Metric(metric_id, "", "quality", "", "higher", "linear", 0, 1, None)
        metric = replace(base, **fields)
        found = metric.problems()
        problems.extend((metric_id, field, message) for field, message in found)
        if not found:
            registry[metric_id] = metric
    return dict(sorted(registry.items())), problems


def plain_number(value: float) -> str:
    """A figure for machines (`<data value>`): exact, no separators, no trailing .0."""
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def fmt_number(value: float) -> str:
    """A figure as pages and verdicts write it: shortest exact form, thousands separated."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,}"
