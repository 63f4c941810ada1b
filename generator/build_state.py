"""Build state: what a build takes over from earlier builds, and what it leaves for the next.

One home for everything a build remembers, and for every decision to reuse something:
- the content cache: tools validated by the last good build, reused when their file's digest
  is unchanged (`known`);
- the manifest of the published site: every output file's fingerprint, and the inputs that
  comparison pages and images derive from; a file whose fingerprint is unchanged is not
  written again (`stage`, `unchanged`);
- per-tool pieces (Markdown fragments, table and chart parts, share-image bands), read from
  the state folder, or for `serve` from this process's memory, only when something they
  depend on may have changed (`fill_pieces`);
- what to publish: the new manifest, the caches that changed, the files to remove.
`--clean` reuses nothing. Nothing read back from disk is trusted to run code or to name a
path outside the output folder (see `generator.state`).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from generator.plan import Site
from generator.render import Renderer
from generator.share import Band
from generator.state import (
    CONTENT,
    FRAGMENTS,
    SHARE,
    VIEWS,
    Manifest,
    known_tools_bytes,
    read_cache,
    read_known_tools,
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

PerTool = tuple[
    tuple[str, tuple[str, str]] | None,  # heavy fragments: (key, (summary, capabilities))
    tuple[str, dict[str, Any]] | None,  # light pieces: (key, cells, rows, chart, ...)
    tuple[str, tuple[Band, Band]] | None,  # share-image bands
]


class BuildState:
    """The state of one build of one output folder, from the first read to the publish."""

    def __init__(self, out: Path, *, clean: bool, keep_in_memory: bool) -> None:
        self.key = str(out.resolve())
        self.clean = clean
        self.keep_in_memory = keep_in_memory
        memory = MEMORY.get(self.key) if keep_in_memory else None
        if clean or not keep_in_memory:
            MEMORY.pop(self.key, None)
            memory = None
        self.memory = memory
        # Validated tools of the last good build, by slug: (file digest, Tool).
        self.known: dict[str, tuple[str, Any]] = {}
        if not clean:
            self.known = (memory or {}).get("known") or read_known_tools(out.resolve())
        self.output: Output | None = None
        self.new: dict[str, str] = {}  # fingerprints of every output but comparison pairs
        self.written = 0
        self.heavy = True  # per-tool caches read (something they depend on may have changed)
        self.caches_changed = False
        self.on_disk: dict[str, set[str]] = {}

    def open(self, out: Path) -> Output:
        """Start the output: staging folder, and the manifest of the published site."""
        self.output = Output(out, clean=self.clean)
        return self.output

    @property
    def old(self) -> Manifest | None:
        assert self.output is not None
        return self.output.old

    # -- per-tool pieces ---------------------------------------------------------------

    def fill_pieces(self, renderer: Renderer, inputs: dict[str, Any], workers: int) -> None:
        """Reuse per-tool pieces when their inputs changed since the last build; else none
        are needed (no page that shows them will be rendered)."""
        old_inputs = self.old.inputs if self.old else None
        self.heavy = old_inputs is None or any(
            old_inputs.get(k) != inputs[k] for k in ("kinds", "tools", "share")
        )
        if self.heavy:
            assert self.output is not None
            self.caches_changed, self.on_disk = fill_pieces(
                renderer, self.output, workers, self.clean, self.memory
            )

    # -- output files ------------------------------------------------------------------

    def stage(self, path: str, data: bytes) -> None:
        """Write `path` unless the published file has these bytes already."""
        fp = hashlib.blake2b(data, digest_size=8).hexdigest()
        self.new[path] = fp
        assert self.output is not None
        if not self.output.unchanged(path, fp):
            self.output.write(path, data)
            self.written += 1

    def changed(self, path: str, fp: str) -> bool:
        """Record a page's fingerprint; whether it must be rendered and written."""
        self.new[path] = fp
        assert self.output is not None
        if self.output.unchanged(path, fp):
            return False
        self.written += 1
        return True

    # -- publishing --------------------------------------------------------------------

    def caches_to_write(self, site: Site, renderer: Renderer) -> dict[str, Any]:
        """The caches this build leaves for the next one (only those that changed)."""
        assert self.output is not None
        store = renderer.store
        views_changed = store.light_made > 0 or store.light_loaded != len(store.light)
        # Caches were read only when something could have changed (`heavy`); only then
        # are they complete enough to write back. A full build starts a new state folder,
        # so it writes them all.
        write = self.heavy and (self.caches_changed or views_changed or self.output.full)
        state: dict[str, Any] = caches(renderer) if write else {}
        tools = self.tools(site)
        known = self.known
        same = len(known) == len(tools) and all(
            known.get(s, ("",))[0] == d for s, (d, _) in tools.items()
        )
        if self.output.full or not same:
            state[CONTENT] = known_tools_bytes(tools)
        return state

    @staticmethod
    def tools(site: Site) -> dict[str, tuple[str, Any]]:
        return {s: (site.digests[s], site.entries[s].tool) for s in site.slugs}

    def remember(self, site: Site, renderer: Renderer) -> None:
        """Keep this build's caches for the next build of this process (`serve`)."""
        if self.keep_in_memory:
            remember(self.key, self.tools(site), renderer, complete=self.heavy)


def _per_tool_chunk(work: list[tuple[str, bool, bool, bool]]) -> list[PerTool]:
    renderer: Renderer = STATE["renderer"]
    pieces, cards, store = renderer.pieces, renderer.cards, renderer.store
    out: list[PerTool] = []
    for s, html, light, image in work:
        if light:
            pieces.views[s]  # noqa: B018 - making the view makes its light pieces
        out.append(
            (
                (pieces.heavy_key(s), pieces.heavy(s)) if html else None,
                (pieces.light_key(s), store.light[pieces.light_key(s)]) if light else None,
                (cards.key(s), cards.bands(s)) if image else None,
            )
        )
    return out


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


def fill_pieces(
    renderer: Renderer,
    output: Output,
    workers: int,
    clean: bool,
    memory: dict[str, Any] | None = None,
) -> tuple[bool, dict[str, set[str]]]:
    """Fill the renderer's per-tool pieces (HTML fragments, share-image bands) before page
    workers fork, so each is made once per build: from the previous build's caches where
    the tool did not change, the rest split across the pool. Returns whether the caches
    differ from what is on disk (so unchanged caches are not written again), and the keys
    of each cache found intact on disk."""
    cached = memory if memory else _read_caches(output, clean)
    html, views, images = cached[FRAGMENTS], cached[VIEWS], cached[SHARE]
    on_disk = {name: set(cached[name]) for name in (FRAGMENTS, VIEWS, SHARE)}
    pieces, cards, store = renderer.pieces, renderer.cards, renderer.store
    for slug in renderer.site.slugs:
        key = pieces.light_key(slug)
        if key in views:
            store.light[key] = views[key]
    store.light_loaded = len(views)
    draw = renderer.site.catalog.site.share_images
    work = []
    for slug in renderer.site.slugs:
        hk, sk = pieces.heavy_key(slug), cards.key(slug)
        if hk in html:
            store.fragments[hk] = (html[hk][0], html[hk][1])
        if sk in images:
            store.share_bands[sk] = (_band(images[sk][0]), _band(images[sk][1]))
        need = (
            hk not in store.fragments,
            pieces.light_key(slug) not in store.light,
            draw and sk not in store.share_bands,
        )
        if any(need):
            work.append((slug, *need))
    wanted_bands = len(store.share_bands) if draw else 0
    stale = len(html) != len(store.fragments) or len(images) != wanted_bands
    if not work:
        return stale, on_disk
    if workers <= 1 or len(work) < 8:
        results = [_per_tool_chunk(work)]
    else:
        size = max(1, len(work) // (workers * 4))
        with pool(workers) as workers_pool:
            pending = workers_pool.map_async(
                _per_tool_chunk, [work[i : i + size] for i in range(0, len(work), size)]
            )
            renderer.compile()  # meanwhile: the page templates, which the pages need next
            results = pending.get()
    for chunk in results:
        for fragment, light, bands in chunk:
            if fragment:
                store.fragments[fragment[0]] = fragment[1]
            if light and light[0] not in store.light:
                store.light[light[0]] = light[1]
                store.light_made += 1
            if bands:
                store.share_bands[bands[0]] = bands[1]
    return True, on_disk


def remember(
    out: str, tools: dict[str, tuple[str, Any]], renderer: Renderer, *, complete: bool
) -> None:
    """Keep this build's caches for the next build of this process (`serve`)."""
    memory = MEMORY.setdefault(out, {"fragments": {}, "share": {}, "views": {}})
    memory["known"] = tools
    if complete:  # the renderer holds every current piece: replace, dropping stale ones
        store = renderer.store
        memory["fragments"] = dict(store.fragments)
        memory["share"] = dict(store.share_bands)
        memory["views"] = dict(store.light)


def caches(renderer: Renderer) -> dict[str, dict[str, Any]]:
    """This build's per-tool pieces, for the next build to reuse."""
    slugs = renderer.site.slugs
    pieces, cards, store = renderer.pieces, renderer.cards, renderer.store
    html_keys = {pieces.heavy_key(s) for s in slugs}
    share_keys = {cards.key(s) for s in slugs}
    if not renderer.site.catalog.site.share_images:
        share_keys = set()

    def enc(band: Band) -> list[Any]:
        return [base64.b64encode(band.data).decode(), band.adler, band.size]

    light_keys = {pieces.light_key(s) for s in slugs}
    return {
        VIEWS: {k: v for k, v in store.light.items() if k in light_keys},
        FRAGMENTS: {k: list(v) for k, v in store.fragments.items() if k in html_keys},
        SHARE: {k: [enc(v[0]), enc(v[1])] for k, v in store.share_bands.items() if k in share_keys},
    }
