"""Hosting limits, checked before anything is written, and what the build reports about pairs.

Netlify fails a deploy when one folder of the publish directory holds more than 54,000
files, and Cloudflare Pages caps a whole site at 20,000 files on its free plan. The number
of entries each output folder will hold is known from the plan, so a build that would
break a limit stops with a content error naming the folder, the count and the ways out.
"""

from __future__ import annotations

import math
from typing import Any

from generator.load import RawContent
from generator.plan import Site, static_pages
from generator.problems import ContentError, Problem
from generator.sitemap import PER_FILE

# Entries of the output folder itself: the static pages' folders and files, assets/,
# sitemap.xml, sitemaps/, robots.txt, _redirects and the build state.
_ROOT_EXTRA = 9


def folder_sizes(site: Site) -> list[tuple[str, int]]:
    """(folder, entries) for every folder holding more than a handful, largest first."""
    n = len(site.slugs)
    cats = len(site.catalog.site.categories)
    later = site.pairs.later
    sizes: list[tuple[str, int]] = [
        ("", static_pages(site) + _ROOT_EXTRA),
        ("tools/", n),
        ("alternatives/", n),
        ("categories/", cats),
    ]
    # compare/ also holds its index.html and the picker's data (picker.json).
    if site.nested:
        sizes.append(("compare/", 2 + sum(1 for s in site.slugs if later[s])))
        sizes.extend((f"compare/{s}/", len(later[s])) for s in site.slugs if later[s])
    else:
        sizes.append(("compare/", 2 + site.pairs.built))
    urls = 2 * n + cats + static_pages(site) + site.pairs.built
    sizes.append(("sitemaps/", math.ceil(urls / PER_FILE)))
    return sorted(sizes, key=lambda item: (-item[1], item[0]))


def check_folders(site: Site, raw: RawContent | None = None) -> None:
    """A ContentError when any output folder would hold more entries than the host allows."""
    limit = site.catalog.site.hosting.max_folder_entries
    folder, count = folder_sizes(site)[0]
    if count <= limit:
        return
    if folder.startswith("compare/") and not site.nested:
        way_out = (
            "choose fewer pairs in site.yaml (pairs: rules, top_k, or thin: skip) or set "
            "hosting.layout: nested, which gives each tool's comparisons a folder of their own"
        )
    elif folder.startswith("compare/"):
        way_out = "choose fewer pairs in site.yaml (pairs: rules, top_k, or thin: skip)"
    else:
        way_out = "split the catalogue into several sites"
    message = (
        f"the output folder {folder or '/'} would hold {count:,} entries, more than the "
        f"{limit:,} one folder may hold (hosting.max_folder_entries); {way_out}"
    )
    display, line, col, fld = "site.yaml", 1, 1, "hosting.max_folder_entries"
    if raw is not None and raw.site is not None:
        display = raw.site.display
        data = raw.site.data if isinstance(raw.site.data, dict) else {}
        hosting = data.get("hosting")
        if isinstance(hosting, dict) and "max_folder_entries" in hosting:
            line, col = raw.site.mark(("hosting", "max_folder_entries"))
        elif "pairs" in data:
            line, col = raw.site.mark(("pairs",), key=True)
            fld = "pairs"
    raise ContentError([Problem(display, line, col, fld, message)])


def pair_report(site: Site) -> dict[str, Any]:
    """What the build report says about pairs: how many were possible, built, indexed,
    and every pair left out or noindexed with its reason."""
    n = len(site.slugs)
    plan = site.pairs
    return {
        "rules": list(site.catalog.site.pairs.rules),
        "possible": n * (n - 1) // 2,
        "built": plan.built,
        "indexed": plan.built - len(plan.noindex),
        "not_in_policy": plan.not_in_policy,
        "noindexed": [list(p) for p in plan.noindexed],
        "left_out": [list(p) for p in plan.left_out],
    }
