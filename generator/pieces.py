"""Per-tool pieces: each tool's HTML fragments, small table and chart parts, and
share-image bands, made once per build and kept between builds, in the state folder
(`generator.state`) or, for `serve`, in this process's memory."""

from __future__ import annotations

import base64
from typing import Any

from generator.render import Renderer
from generator.share import Band
from generator.state import (
    FRAGMENTS,
    SHARE,
    VIEWS,
    read_cache,
    valid_fragment,
    valid_share,
    view_check,
)
from generator.tables import TABLE_ROWS
from generator.workers import STATE, pool
from generator.write import Output

# Per output folder, the caches of the last good build of this process (see keep_in_memory):
# a long-running `serve` need not read them back from disk on every save.
MEMORY: dict[str, dict[str, Any]] = {}


PerTool = tuple[tuple[str, tuple[str, str]] | None, tuple[str, tuple[Band, Band]] | None]


def _per_tool_chunk(work: list[tuple[str, bool, bool]]) -> list[PerTool]:
    renderer: Renderer = STATE["renderer"]
    return [
        (
            (renderer.heavy_key(s), renderer.heavy(s)) if html else None,
            (renderer.share_key(s), renderer.bands(s)) if image else None,
        )
        for s, html, image in work
    ]


def _band(data: list[Any] | Band) -> Band:
    if isinstance(data, Band):  # from this process's memory, not from disk
        return data
    return Band(data=base64.b64decode(data[0]), adler=int(data[1]), size=int(data[2]))


def _read_caches(output: Output, clean: bool) -> dict[str, dict[str, Any]]:
    """The per-tool caches on disk; none for `--clean`, which reuses nothing."""
    if clean:
        return {FRAGMENTS: {}, VIEWS: {}, SHARE: {}}
    views = view_check(metric for metric, _ in TABLE_ROWS)
    return {
        FRAGMENTS: read_cache(output.out, FRAGMENTS, valid_fragment),
        VIEWS: read_cache(output.out, VIEWS, views),
        SHARE: read_cache(output.out, SHARE, valid_share),
    }


def prepare_per_tool(
    renderer: Renderer, output: Output, workers: int, clean: bool
) -> tuple[bool, dict[str, set[str]]]:
    """Fill the renderer's per-tool pieces (HTML fragments, share-image bands) before page
    workers fork, so each is made once per build: from the previous build's caches where
    the tool did not change, the rest split across the pool. Returns whether the caches
    differ from what is on disk (so unchanged caches are not written again), and the keys
    of each cache found intact on disk."""
    memory = MEMORY.get(str(output.out))
    cached = memory if memory else _read_caches(output, clean)
    html, views, images = cached[FRAGMENTS], cached[VIEWS], cached[SHARE]
    on_disk = {name: set(cached[name]) for name in (FRAGMENTS, VIEWS, SHARE)}
    for slug in renderer.site.slugs:
        key = renderer.light_key(slug)
        if key in views:
            renderer.light[key] = views[key]
    renderer.light_loaded = len(views)
    work = []
    for slug in renderer.site.slugs:
        hk, sk = renderer.heavy_key(slug), renderer.share_key(slug)
        if hk in html:
            renderer.fragments[hk] = (html[hk][0], html[hk][1])
        if sk in images:
            renderer.share_bands[sk] = (_band(images[sk][0]), _band(images[sk][1]))
        draw = renderer.site.catalog.site.share_images
        need = (hk not in renderer.fragments, draw and sk not in renderer.share_bands)
        if any(need):
            work.append((slug, *need))
    wanted_bands = len(renderer.share_bands) if renderer.site.catalog.site.share_images else 0
    stale = len(html) != len(renderer.fragments) or len(images) != wanted_bands
    if not work:
        return stale, on_disk
    if workers <= 1 or len(work) < 8:
        results = [_per_tool_chunk(work)]
    else:
        size = max(1, len(work) // (workers * 4))
        with pool(workers) as workers_pool:
            results = list(
                workers_pool.imap_unordered(
                    _per_tool_chunk, [work[i : i + size] for i in range(0, len(work), size)]
                )
            )
    for chunk in results:
        for fragment, bands in chunk:
            if fragment:
                renderer.fragments[fragment[0]] = fragment[1]
            if bands:
                renderer.share_bands[bands[0]] = bands[1]
    return True, on_disk


def remember(
    out: str, tools: dict[str, tuple[str, Any]], renderer: Renderer, *, complete: bool
) -> None:
    """Keep this build's caches for the next build of this process (`serve`)."""
    memory = MEMORY.setdefault(out, {"fragments": {}, "share": {}, "views": {}})
    memory["known"] = tools
    if complete:  # the renderer holds every current piece: replace, dropping stale ones
        memory["fragments"] = dict(renderer.fragments)
        memory["share"] = dict(renderer.share_bands)
        memory["views"] = dict(renderer.light)


def caches(renderer: Renderer) -> dict[str, dict[str, Any]]:
    """This build's per-tool pieces, for the next build to reuse."""
    slugs = renderer.site.slugs
    html_keys = {renderer.heavy_key(s) for s in slugs}
    share_keys = {renderer.share_key(s) for s in slugs}
    if not renderer.site.catalog.site.share_images:
        share_keys = set()

    def enc(band: Band) -> list[Any]:
        return [base64.b64encode(band.data).decode(), band.adler, band.size]

    light_keys = {renderer.light_key(s) for s in slugs}
    return {
        VIEWS: {k: v for k, v in renderer.light.items() if k in light_keys},
        FRAGMENTS: {k: list(v) for k, v in renderer.fragments.items() if k in html_keys},
        SHARE: {
            k: [enc(v[0]), enc(v[1])] for k, v in renderer.share_bands.items() if k in share_keys
        },
    }
