"""The alternatives page of a tool: its closest alternatives, ranked as related comparisons
are (match evidence, then shared categories, then shared capability kinds), each with its
rank, pricing, what it does that the tool does not, and a link to the comparison."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.models import Capability, Tool

if TYPE_CHECKING:
    from generator.render import Renderer
    from generator.views import ToolView

EXTRA_SHOWN = 3  # capabilities named per alternative


@dataclass(frozen=True)
class Alternative:
    view: ToolView
    why: str
    extra: tuple[Capability, ...]  # what it does that the tool does not
    compare: str | None  # the comparison page, when the pair has one


def extra_capabilities(tool: Tool, other: Tool) -> tuple[Capability, ...]:
    """Capabilities of `other` that `tool` does not list: by kind where the capability has
    one, else by id and title."""
    kinds = {c.kind for c in tool.capabilities if c.kind}
    ids = {c.id for c in tool.capabilities}
    titles = {c.title.casefold() for c in tool.capabilities}
    found = []
    for cap in other.capabilities:
        if cap.kind:
            if cap.kind not in kinds:
                found.append(cap)
        elif cap.id not in ids and cap.title.casefold() not in titles:
            found.append(cap)
    return tuple(found[:EXTRA_SHOWN])


def alternatives(renderer: Renderer, slug: str) -> dict[str, Any]:
    """The template context of `/alternatives/<slug>/`."""
    site = renderer.site
    view = renderer.views[slug]
    items = [
        Alternative(
            view=renderer.views[other],
            why=renderer.pieces.why(rel),
            extra=extra_capabilities(view.tool, site.entries[other].tool),
            compare=site.compare_url(slug, other) if site.has_page(slug, other) else None,
        )
        for other, rel in site.entries[slug].alternatives
    ]
    return {"t": view, "items": items}
