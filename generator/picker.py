"""The compare picker's data: every tool's name and aliases, and which pairs have a page.

The picker (templates/static/find.js) reads it from one JSON file, since the pages' Content
Security Policy allows no inline script. Which pairs are built is `Site.has_page`; the file
lists whichever is shorter, the pairs without a page or the pairs with one, so it stays
small whether a site builds nearly every pair or few of them.
"""

from __future__ import annotations

import json
from typing import Any

from generator.models import Tool
from generator.plan import Site

PICKER_PATH = "compare/picker.json"


def tool_aliases(tool: Tool) -> list[str]:
    """Other names a visitor may type for the tool (the one place that reads them)."""
    return [str(a) for a in getattr(tool, "aliases", ()) or ()]


def picker_data(site: Site) -> bytes:
    slugs = site.slugs
    built: list[list[str]] = []
    missing: list[list[str]] = []
    for i, a in enumerate(slugs):
        for b in slugs[i + 1 :]:
            (built if site.has_page(a, b) else missing).append([a, b])
    pairs: dict[str, Any] = {"except": missing} if len(missing) <= len(built) else {"only": built}
    tools = [
        {
            "slug": s,
            "name": site.entries[s].tool.name,
            "aliases": tool_aliases(site.entries[s].tool),
        }
        for s in slugs
    ]
    return json.dumps({"tools": tools, "pairs": pairs}, separators=(",", ":")).encode()
