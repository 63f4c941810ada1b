"""Synthetic content folder in Versus's own format, for benchmarks.

    python -m benchmarks.make_catalogue N DIR
    python benchmarks/make_catalogue.py N DIR

Writes `DIR/site.yaml` (4 categories, default weights), `DIR/tools/<slug>.yaml` for N tools
and `DIR/matches.yaml`. Everything is drawn from `random.Random` generators seeded by the
tool's index, so the same N always gives the same bytes. Tool i is the same tool whatever N
is; only `matches.yaml` depends on N.

Each tool has 5-8 capabilities whose description, unique and vs_alternatives texts are 60-118
words each (like the reference corpus in shared/bench-reference), each with a kind from
site.yaml's `capability_kinds` but for one feature (so pages show a capability matrix, with
its note on capabilities without a kind), evidence figures for 1-3 of the sub-scores
adoption/quality/ecosystem, a pricing plan with or without a paid price, 1-3 sources and a
checked date. Files are written with plain string formatting (strings as
JSON, which is valid YAML), so 1,000 tools take about a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

CATEGORIES: list[tuple[str, str, str]] = [
    ("text", "Text and chat", "Models and apps that write *text*: chat, summaries, drafting."),
    ("vision", "Vision", "Tools that look at images and video: captions, detection, OCR."),
    ("code", "Code", "Assistants, agents and libraries that write, review or run **code**."),
    ("audio", "Audio and speech", "Speech recognition, synthesis, music and audio analysis."),
]  # fmt: skip
TYPES = ["model", "application", "api", "library", "framework", "platform", "service"]
CURRENCIES = ["USD", "USD", "USD", "EUR", "GBP"]
PERIODS = ["month", "month", "month", "year", "million-tokens", "request", "hour", "one-time"]
AMOUNTS = [5, 9, 10, 12, 15, 19, 20, 25, 29, 30, 49, 99, 199, 0.5, 1.25, 2.5, 0.02]

SYL_A = ["ac", "bor", "cel", "dar", "ex", "fen", "gal", "hel", "ion", "jun", "kel", "lum",
         "mer", "nov", "or", "pix", "quo", "ras", "sol", "tur", "ul", "ver", "wyn", "xen",
         "yar", "zep"]  # fmt: skip
SYL_B = ["a", "o", "i", "u", "e", "ari", "ora", "ix", "on", "ex"]
SYL_C = ["base", "flow", "stack", "grid", "hub", "ly", "io", "mind", "lab", "ops", "gate",
         "scope", "forge", "lane", "vault", "mesh", "chat", "sense", "voice", "coder"]  # fmt: skip
VENDOR_SUFFIX = ["Labs", "AI", "Inc.", "Systems", "Research", "Technologies", "Collective"]

NOUNS = ["prompt", "context window", "embedding", "fine-tune", "adapter", "agent", "tool call",
         "retrieval index", "vector store", "evaluation suite", "guardrail", "dataset",
         "checkpoint", "tokenizer", "inference server", "batch job", "webhook", "SDK",
         "plugin", "workspace", "transcript", "caption", "bounding box", "code review",
         "pull request", "test suite", "notebook", "pipeline", "dashboard", "audit log",
         "rate limit", "quota", "cache", "stream", "voice clone", "diarization pass"]  # fmt: skip
VERBS = ["indexes", "summarises", "routes", "caches", "streams", "validates", "translates",
         "ranks", "grounds", "batches", "versions", "exports", "redacts", "retries",
         "deduplicates", "scores", "compresses", "schedules", "traces", "annotates"]  # fmt: skip
ADJS = ["multilingual", "incremental", "declarative", "fine-grained", "native", "managed",
        "self-hosted", "serverless", "quantised", "low-latency", "high-throughput",
        "long-context", "multimodal", "open-weight", "typed", "pluggable", "event-driven",
        "deterministic", "cost-aware", "privacy-preserving", "on-device", "grounded"]  # fmt: skip
ADVS = ["automatically", "transparently", "in real time", "without retraining",
        "across regions", "on a single GPU", "at scale", "with citations", "out of the box",
        "per workspace", "behind a single API", "with sub-second latency"]  # fmt: skip
CONNECT = ["Unlike most alternatives,", "In practice,", "For large teams,", "By default,",
           "Compared with older tools,", "Under heavy load,", "For regulated industries,",
           "In published benchmarks,", "When configured well,", "For small projects,"]  # fmt: skip
FEATURES = ["Long-context chat", "Code completion", "Image captioning", "Speech to text",
            "Text to speech", "Retrieval augmentation", "Function calling", "Fine-tuning",
            "Batch inference", "Streaming output", "Structured output", "Agent workflows",
            "Document OCR", "Object detection", "Translation", "Summarisation",
            "Voice cloning", "Code review", "Test generation", "Evaluation dashboards",
            "Prompt management", "Guardrails", "On-device inference", "Usage analytics",
            "Team workspaces", "Plugin marketplace", "Audit logging", "Data redaction"]  # fmt: skip

# The site's vocabulary of capability kinds (the comparison page's capability matrix lines
# tools up by kind) and the kind of each feature: several features share a kind, so a cell
# can hold two capabilities, and "Plugin marketplace" has none (the matrix's note on
# capabilities without a kind).
KINDS: list[tuple[str, str]] = [
    ("chat", "Chat and assistants"), ("code", "Code generation and review"),
    ("vision", "Vision and documents"), ("speech", "Speech and voice"),
    ("retrieval", "Retrieval"), ("tool-use", "Tool use and agents"),
    ("training", "Training and tuning"), ("serving", "Serving and inference"),
    ("language", "Language tasks"), ("analytics", "Evaluation and analytics"),
    ("safety", "Safety and compliance"), ("teamwork", "Teamwork"),
]  # fmt: skip
FEATURE_KIND: dict[str, str | None] = {
    "Long-context chat": "chat", "Code completion": "code", "Image captioning": "vision",
    "Speech to text": "speech", "Text to speech": "speech", "Retrieval augmentation": "retrieval",
    "Function calling": "tool-use", "Fine-tuning": "training", "Batch inference": "serving",
    "Streaming output": "serving", "Structured output": "tool-use", "Agent workflows": "tool-use",
    "Document OCR": "vision", "Object detection": "vision", "Translation": "language",
    "Summarisation": "language", "Voice cloning": "speech", "Code review": "code",
    "Test generation": "code", "Evaluation dashboards": "analytics",
    "Prompt management": "teamwork", "Guardrails": "safety", "On-device inference": "serving",
    "Usage analytics": "analytics", "Team workspaces": "teamwork", "Plugin marketplace": None,
    "Audit logging": "safety", "Data redaction": "safety",
}  # fmt: skip

ADOPTION = [("github_stars", 50, 150_000), ("monthly_downloads", 500, 20_000_000),
            ("monthly_active_users", 2_000, 200_000_000)]  # fmt: skip
ECOSYSTEM = [("integrations", 2, 1_500), ("contributors", 2, 3_000),
             ("derivatives", 2, 20_000), ("community_members", 200, 5_000_000)]  # fmt: skip
QUALITY = [("mmlu_5shot", 30, 90), ("humaneval_pass1", 10, 95), ("gsm8k", 20, 95),
           ("librispeech_test_clean_wer", 1.5, 9), ("lmarena_text_elo", 1050, 1450),
           ("review_rating", 2.5, 4.9)]  # fmt: skip
CONTEXTS = ["", "", "zero-shot", "instruct model"]
PROVENANCE = ["vendor-claimed", "independent", "community"]

WORDS_MIN, WORDS_MAX = 60, 118


@dataclass(frozen=True)
class Ident:
    name: str
    slug: str


def ident(i: int) -> Ident:
    """Name and slug of tool i. Slugs are `<word>-<i>`: unique, valid, never the word "vs"."""
    r = random.Random(7919 * i + 13)
    base = r.choice(SYL_A) + r.choice(SYL_B) + r.choice(SYL_C)
    return Ident(name=f"{base.capitalize()} {i}", slug=f"{base}-{i}")


def _sentence(r: random.Random, peers: list[str]) -> str:
    kind = r.random()
    if kind < 0.3:
        return (
            f"{r.choice(CONNECT)} the {r.choice(ADJS)} {r.choice(NOUNS)} {r.choice(VERBS)} "
            f"every {r.choice(NOUNS)} {r.choice(ADVS)}."
        )
    if kind < 0.55:
        return (
            f"Teams can define a {r.choice(ADJS)} {r.choice(NOUNS)} that {r.choice(VERBS)} "
            f"each {r.choice(NOUNS)} and {r.choice(VERBS)} the {r.choice(NOUNS)} "
            f"{r.choice(ADVS)}."
        )
    if kind < 0.8:
        return (
            f"Where {r.choice(peers)} needs a separate {r.choice(NOUNS)}, this tool "
            f"{r.choice(VERBS)} it {r.choice(ADVS)} and keeps the {r.choice(NOUNS)} "
            f"**{r.choice(ADJS)}**."
        )
    return (
        f"The `{r.choice(NOUNS).replace(' ', '_')}` setting is {r.choice(ADJS)} and "
        f"{r.choice(ADJS)}, so operators spend less time on {r.choice(NOUNS)} upkeep."
    )


def paragraph(r: random.Random, peers: list[str], lo: int = WORDS_MIN, hi: int = WORDS_MAX) -> str:
    """Sentences until at least `lo` words, never more than `hi`."""
    target = r.randint(lo, min(hi, (lo + hi) // 2 + 10))
    out: list[str] = []
    words = 0
    while words < target:
        s = _sentence(r, peers)
        n = len(s.split())
        if words + n > hi:
            if words >= lo:
                break
            continue
        out.append(s)
        words += n
    return " ".join(out)


def _q(value: str) -> str:
    """A YAML scalar for any string: a JSON string is a valid YAML double-quoted scalar."""
    return json.dumps(value, ensure_ascii=False)


def _date(r: random.Random) -> str:
    return f"2026-{r.randint(1, 10):02d}-{r.randint(1, 28):02d}"


def _day(r: random.Random) -> dt.date:
    return dt.date(2026, r.randint(1, 10), r.randint(1, 28))


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def tool_yaml(i: int) -> tuple[str, str]:
    """(slug, YAML text) of tool i."""
    me = ident(i)
    r = random.Random(104729 * i + 1)
    peers = [ident(j).name for j in r.sample(range(1000), 4)]
    site = f"https://{me.slug}.example.com"
    vendor = f"{ident(i * 31 + 7).name.split()[0]} {r.choice(VENDOR_SUFFIX)}"
    lines = [
        f"name: {_q(me.name)}",
        f"type: {r.choice(TYPES)}",
        f"vendor: {_q(vendor)}",
        f"website: {site}/",
        f"summary: {_q(paragraph(r, peers, 15, 30))}",
    ]
    cats = r.sample([c[0] for c in CATEGORIES], r.choice([1, 1, 2]))
    lines.append(f"categories: [{', '.join(cats)}]")

    plan = r.choice(["free", "freemium", "freemium", "paid", "paid", "open-source"])
    free_tier = plan in ("free", "freemium", "open-source") or r.random() < 0.3
    sells = plan in ("freemium", "paid") or (plan == "open-source" and r.random() < 0.4)
    lines += ["pricing:", f"  plan: {plan}", f"  free_tier: {'true' if free_tier else 'false'}"]
    if sells:
        lines += [
            "  starting_price:",
            f"    amount: {_num(r.choice(AMOUNTS))}",
            f"    currency: {r.choice(CURRENCIES)}",
            f"    period: {r.choice(PERIODS)}",
        ]
    else:
        lines.append("  starting_price: null")
    lines.append(f"  url: {site}/pricing")

    lines.append("evidence:")
    for sub in sorted(r.sample(["adoption", "quality", "ecosystem"], r.randint(1, 3))):
        for _ in range(r.randint(1, 2)):
            context = ""
            if sub == "adoption":
                metric, lo, hi = r.choice(ADOPTION)
                value: float = round(lo * (hi / lo) ** r.random())
            elif sub == "ecosystem":
                metric, lo, hi = r.choice(ECOSYSTEM)
                value = round(lo * (hi / lo) ** r.random())
            else:
                metric, lo, hi = r.choice(QUALITY)
                value = round(r.uniform(lo, hi), 0 if metric == "lmarena_text_elo" else 1)
                context = r.choice(CONTEXTS)
            observed = _day(r)
            lines += [
                f"  - metric: {metric}",
                f"    value: {_num(value)}",
                f"    source: {site}/stats/{metric.replace('_', '-')}",
                f"    observed: {observed.isoformat()}",
                f"    retrieved: {(observed + dt.timedelta(days=r.randint(0, 40))).isoformat()}",
                f"    provenance: {r.choice(PROVENANCE)}",
            ]
            if context:
                lines.append(f"    context: {_q(context)}")
            if r.random() < 0.5:
                lines.append(f"    note: {_q(f'{metric} as published by the source')}")
    if lines[-1] == "evidence:":
        lines[-1] = "evidence: []"

    lines.append("capabilities:")
    for title in r.sample(FEATURES, r.randint(5, 8)):
        cap_id = title.lower().replace(" ", "-")
        lines += [
            f"  - id: {cap_id}",
            f"    title: {_q(title)}",
            f"    description: {_q(paragraph(r, peers))}",
            f"    unique: {_q(paragraph(r, peers))}",
            f"    vs_alternatives: {_q(paragraph(r, peers))}",
        ]
        if FEATURE_KIND[title]:
            lines.append(f"    kind: {FEATURE_KIND[title]}")
    lines.append("sources:")
    backs = ["capabilities and pricing", "benchmark figures", "download and star counts"]
    for k in range(r.randint(1, 3)):
        lines += [f"  - url: {site}/docs/{k + 1}", f"    backs: {_q(backs[k])}"]
    lines.append(f"checked: {_date(r)}")
    return me.slug, "\n".join(lines) + "\n"


def site_yaml() -> str:
    lines = [
        'title: "Versus benchmark"',
        "base_url: https://bench.example.org/",
        'description: "Synthetic catalogue of AI tools for measuring build speed."',
        "categories:",
    ]
    for cid, name, desc in CATEGORIES:
        lines += [f"  - id: {cid}", f"    name: {_q(name)}", f"    description: {_q(desc)}"]
    lines.append("capability_kinds:")
    for kid, name in KINDS:
        lines += [f"  - id: {kid}", f"    name: {_q(name)}"]
    return "\n".join(lines) + "\n"


def matches_yaml(slugs: list[str], seed: int = 2026) -> str:
    """About 1.5 entries per tool (each tool named in ~3); ~1 tool in 10 is never matched."""
    r = random.Random(seed + len(slugs))
    n = len(slugs)
    seen: set[tuple[int, int]] = set()
    lines = ["matches:"]
    if n < 2:
        return "matches: []\n"
    for i in range(n):
        if i % 10 == 9:
            continue  # a few tools without match evidence: "no data" on their pages
        for _ in range(r.choice([1, 1, 2, 2, 2])):
            j = r.randrange(n)
            if j == i or j % 10 == 9:
                continue
            pair = (min(i, j), max(i, j))
            if pair in seen:
                continue
            seen.add(pair)
            lines += [
                f"  - tools: [{slugs[pair[0]]}, {slugs[pair[1]]}]",
                f"    count: {int(10 * 5000 ** r.random())}",
                "    what: \"searches for 'A vs B'\"",
                "    source: https://trends.example.org/",
                "    period: 2026-09",
            ]
    if len(lines) == 1:
        return "matches: []\n"
    return "\n".join(lines) + "\n"


def write_catalogue(n: int, root: Path, pairs: str | None = None) -> list[str]:
    """Write the content folder; returns the tool slugs in index order. `pairs`: a pair
    rule for site.yaml (e.g. "all"); by default site.yaml leaves the site's default."""
    tools = root / "tools"
    tools.mkdir(parents=True, exist_ok=True)
    for old in tools.glob("*.yaml"):
        old.unlink()
    slugs = []
    for i in range(n):
        slug, text = tool_yaml(i)
        (tools / f"{slug}.yaml").write_text(text, "utf-8")
        slugs.append(slug)
    site = site_yaml() + (f"pairs: {pairs}\n" if pairs else "")
    (root / "site.yaml").write_text(site, "utf-8")
    (root / "matches.yaml").write_text(matches_yaml(slugs), "utf-8")
    return slugs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of tools")
    ap.add_argument("dir", type=Path, help="content folder to write")
    ap.add_argument("--pairs", help="pair rule for site.yaml, e.g. all (default: none given)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    write_catalogue(args.n, args.dir, args.pairs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
