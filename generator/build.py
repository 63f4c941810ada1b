"""The build, top to bottom: load -> validate -> score -> plan -> render -> write.

Everything is gathered and checked before anything is written, pages are rendered in
worker processes that inherit the compiled templates and per-tool fragments, and the output
folder changes only when every page has rendered.
"""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from generator import __version__
from generator.load import read_content
from generator.plan import (
    STATIC_KINDS,
    Fingerprints,
    Page,
    PairDelta,
    Site,
    assemble,
    check_urls,
    digest,
    listing_pages,
    page_count,
    pages,
    share_page,
)
from generator.problems import ContentError, Problem
from generator.render import Renderer, asset_name
from generator.seo import redirect_rules
from generator.share import Band
from generator.sitemap import SitemapWriter
from generator.validate import StaleCache, validate
from generator.write import (
    CONTENT,
    FRAGMENTS,
    SHARE,
    VIEWS,
    Manifest,
    Output,
    known_tools_blob,
    read_cache,
    read_known_tools,
)

ASSETS = ("style.css", "pick.js", "favicon.svg")
CHUNK = 64
Progress = Callable[[int, int], None]


@dataclass
class BuildOptions:
    content: Path = Path("content")
    out: Path = Path("site")
    templates: Path | None = None
    clean: bool = False
    workers: int = 0  # 0: one per core
    keep_in_memory: bool = False  # `serve`: keep caches in this process between builds


# Per output folder, the caches of the last good build of this process (see keep_in_memory):
# a long-running `serve` need not read them back from disk on every save.
_MEMORY: dict[str, dict[str, Any]] = {}


@dataclass
class BuildReport:
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    full: bool = True
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # printed, not recorded

    def as_dict(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "full_build": self.full,
            "seconds": {k: round(v, 4) for k, v in self.timings.items()},
        }


def default_templates(content: Path) -> Path:
    """`templates/` beside the content folder, else the one shipped beside the package."""
    beside = content.resolve().parent / "templates"
    if (beside / "compare.html").is_file():
        return beside
    return Path(__file__).resolve().parent.parent / "templates"


class _Timer:
    def __init__(self, report: BuildReport) -> None:
        self.report = report
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = now - self.last
        self.last = now


def prepare(
    content: Path, templates: Path, known: dict[str, tuple[str, Any]] | None = None
) -> tuple[Site, Renderer, dict[str, bytes]]:
    """Load, validate, score and plan; compile templates. Raises on any user error.

    `known`: tools validated by the last good build, reused when their file is unchanged."""
    raw = read_content(content, known)
    try:
        catalog = validate(raw)
    except (ContentError, StaleCache):
        if not raw.unchanged:
            raise
        raw = read_content(content)  # report with every file's line numbers
        catalog = validate(raw)
    site = assemble(catalog)
    site.digests.update(raw.digests)
    check_urls(site, raw)
    assets: dict[str, bytes] = {}
    asset_urls: dict[str, str] = {}
    for name in ASSETS:
        data = (templates / "static" / name).read_bytes()
        hashed = f"assets/{asset_name(name, data)}"
        assets[hashed] = data
        asset_urls[name] = "/" + hashed
    return site, Renderer(site, templates, asset_urls), assets


class Lastmod:
    """Sitemap date: when the content a page shows was last checked, not when it was built."""

    def __init__(self, site: Site) -> None:
        self.checked = {s: e.tool.checked.isoformat() for s, e in site.entries.items()}
        self.newest = max(self.checked.values())

    def __call__(self, page: Page) -> str:
        if page.kind == "compare":
            return max(self.checked[page.args[0]], self.checked[page.args[1]])
        if page.kind == "tool":
            return self.checked[page.args[0]]
        return self.newest


# Worker state is set before the pool forks, so workers inherit it without pickling.
_STATE: dict[str, Any] = {}


PerTool = tuple[tuple[str, tuple[str, str]] | None, tuple[str, tuple[Band, Band]] | None]


def _per_tool_chunk(work: list[tuple[str, bool, bool]]) -> list[PerTool]:
    renderer: Renderer = _STATE["renderer"]
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


def _prepare_per_tool(renderer: Renderer, output: Output, workers: int) -> bool:
    """Fill the renderer's per-tool pieces (HTML fragments, share-image bands) before page
    workers fork, so each is made once per build: from the previous build's caches where
    the tool did not change, the rest split across the pool. Returns whether the caches
    differ from what is on disk (so unchanged caches are not written again)."""
    memory = _MEMORY.get(str(output.out))
    html = memory["fragments"] if memory else read_cache(output.out, FRAGMENTS)
    views = memory["views"] if memory else read_cache(output.out, VIEWS)
    for slug in renderer.site.slugs:
        key = renderer.light_key(slug)
        if isinstance(views.get(key), dict):
            renderer.light[key] = views[key]
    renderer.light_loaded = len(views)
    images = memory["share"] if memory else read_cache(output.out, SHARE)
    work = []
    for slug in renderer.site.slugs:
        hk, sk = renderer.heavy_key(slug), renderer.share_key(slug)
        try:
            if hk in html:
                renderer.fragments[hk] = (str(html[hk][0]), str(html[hk][1]))
            if sk in images:
                renderer.share_bands[sk] = (_band(images[sk][0]), _band(images[sk][1]))
        except (TypeError, ValueError, IndexError, KeyError):
            pass  # a damaged cache entry is simply made again
        draw = renderer.site.catalog.site.share_images
        need = (hk not in renderer.fragments, draw and sk not in renderer.share_bands)
        if any(need):
            work.append((slug, *need))
    wanted_bands = len(renderer.share_bands) if renderer.site.catalog.site.share_images else 0
    stale = len(html) != len(renderer.fragments) or len(images) != wanted_bands
    if not work:
        return stale
    if workers <= 1 or len(work) < 8:
        results = [_per_tool_chunk(work)]
    else:
        size = max(1, len(work) // (workers * 4))
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = list(
                pool.imap_unordered(
                    _per_tool_chunk, [work[i : i + size] for i in range(0, len(work), size)]
                )
            )
    for chunk in results:
        for fragment, bands in chunk:
            if fragment:
                renderer.fragments[fragment[0]] = fragment[1]
            if bands:
                renderer.share_bands[bands[0]] = bands[1]
    return True


def _remember(
    out: str, tools: dict[str, tuple[str, Any]], renderer: Renderer, *, complete: bool
) -> None:
    """Keep this build's caches for the next build of this process (`serve`)."""
    memory = _MEMORY.setdefault(out, {"fragments": {}, "share": {}, "views": {}})
    memory["known"] = tools
    if complete:  # the renderer holds every current piece: replace, dropping stale ones
        memory["fragments"] = dict(renderer.fragments)
        memory["share"] = dict(renderer.share_bands)
        memory["views"] = dict(renderer.light)


def _caches(renderer: Renderer) -> dict[str, dict[str, Any]]:
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


def _render_chunk(chunk: list[Page]) -> int:
    renderer: Renderer = _STATE["renderer"]
    output: Output = _STATE["output"]
    for page in chunk:
        output.write(page.path, renderer.output(page))
    return sum(1 for page in chunk if not page.kind.endswith("-share"))  # pages, for progress


def _chunks(items: Iterator[Page], size: int) -> Iterator[list[Page]]:
    while chunk := list(islice(items, size)):
        yield chunk


SERIAL_CHUNKS = 4  # this many chunks or fewer to render: not worth forking a pool


def _run(chunks: Iterator[list[Page]], workers: int, progress: Progress, total: int) -> None:
    """Render chunks, in a process pool when it pays; at most a few chunks in flight."""
    done = 0
    first = list(islice(chunks, SERIAL_CHUNKS + 1))
    if not first:
        return
    # Compile templates and make every tool's view here, once, so that forked workers
    # inherit them instead of each making its own.
    _STATE["renderer"].warm()
    if workers <= 1 or len(first) <= SERIAL_CHUNKS:
        for chunk in chain(first, chunks):
            done += _render_chunk(chunk)
            progress(done, total)
        return
    chunks = chain(first, chunks)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_render_chunk, (chunk,)))
            if len(pending) >= workers * 4:
                done += pending.popleft().get()
                progress(done, total)
        while pending:
            done += pending.popleft().get()
            progress(done, total)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site. Raises ContentError / TemplateProblem; the output is then untouched."""
    report = BuildReport()
    timer = _Timer(report)
    templates = options.templates or default_templates(options.content)
    memory = _MEMORY.get(str(options.out.resolve())) if options.keep_in_memory else None
    if options.clean or not options.keep_in_memory:
        _MEMORY.pop(str(options.out.resolve()), None)
        memory = None
    known = (
        {}
        if options.clean
        else (memory or {}).get("known") or read_known_tools(options.out.resolve())
    )
    site, renderer, assets = prepare(options.content, templates, known)
    report.warnings = list(site.catalog.warnings)
    timer.lap("load+validate+score")
    fps = _fingerprints(site, renderer, assets)
    output = Output(options.out, clean=options.clean)
    report.full = output.full
    workers = options.workers or os.cpu_count() or 1
    timer.lap("plan")
    try:
        _STATE.update(renderer=renderer, output=output)
        inputs = fps.inputs()
        old_inputs = output.old.inputs if output.old else None
        heavy = old_inputs is None or any(
            old_inputs.get(k) != inputs[k] for k in ("kinds", "tools", "share")
        )
        caches_changed = heavy and _prepare_per_tool(renderer, output, workers)
        timer.lap("per-tool")
        new: dict[str, str] = {}  # fingerprints of every output but comparison pairs
        written = 0

        def stage(path: str, data: bytes) -> None:
            nonlocal written
            fp = hashlib.blake2b(data, digest_size=8).hexdigest()
            new[path] = fp
            if not output.unchanged(path, fp):
                output.write(path, data)
                written += 1

        for path, data in assets.items():
            stage(path, data)
        delta = PairDelta.between(output.old.inputs if output.old else None, inputs)

        def changed() -> Iterator[Page]:
            nonlocal written
            images = site.catalog.site.share_images
            for page in listing_pages(site):
                for out in (page, share_page(page) if images else None):
                    if out is None:
                        continue
                    fp = fps.of(out)
                    new[out.path] = fp
                    if not output.unchanged(out.path, fp):
                        written += 1
                        yield out
            for out in delta.to_write():
                written += 1
                yield out

        total = len(STATIC_KINDS) + len(site.catalog.site.categories) + delta.count()
        total += len(site.slugs)
        _run(_chunks(changed(), CHUNK), workers, progress or (lambda d, t: None), total)
        _sitemaps(site, output, inputs, stage, new)
        stage("robots.txt", _robots(site).encode())
        redirects = redirect_rules(site.slugs)
        if redirects is not None:  # past the limit, the 404 page's script redirects
            stage("_redirects", redirects)
        timer.lap("render+stage")
        n = len(site.slugs)
        report.pages = page_count(site)
        report.written = written
        per_pair = 2 if site.catalog.site.share_images else 1  # a page, and maybe an image
        report.unchanged = len(new) + per_pair * (n * (n - 1) // 2) - written
        removed = [] if output.old is None else sorted(output.old.pages.keys() - new.keys())
        removed_pairs = list(delta.to_remove())
        report.removed = len(removed) + len(removed_pairs)
        manifest = Manifest(version=__version__, pages=new, inputs=inputs)
        views_changed = renderer.light_made > 0 or renderer.light_loaded != len(renderer.light)
        # Caches were read only when something could have changed (`heavy`); only then
        # are they complete enough to write back.
        write_caches = heavy and (caches_changed or views_changed)
        caches: dict[str, Any] = _caches(renderer) if write_caches else {}
        tools = {s: (site.digests[s], site.entries[s].tool) for s in site.slugs}
        if any(known.get(s, ("",))[0] != d for s, (d, _) in tools.items()) or len(known) != len(
            tools
        ):
            caches[CONTENT] = known_tools_blob(tools)
        output.publish(removed + removed_pairs, manifest, report.as_dict(), caches)
        if options.keep_in_memory:
            _remember(str(output.out), tools, renderer, complete=heavy)
        timer.lap("publish")
        report.timings["total"] = sum(report.timings.values())
    except BaseException:
        output.discard()
        raise
    finally:
        _STATE.clear()
    return report


def _sitemaps(
    site: Site,
    output: Output,
    inputs: dict[str, Any],
    stage: Callable[[str, bytes], None],
    new: dict[str, str],
) -> None:
    """Write the sitemaps, unless the URLs and dates they list are as last time."""
    old = output.old
    if old is not None and old.inputs.get("sitemap") == inputs["sitemap"]:
        kept = {p: fp for p, fp in old.pages.items() if p.startswith(("sitemap", "sitemaps/"))}
        if all(output.unchanged(p, fp) for p, fp in kept.items()):
            new.update(kept)
            return
    writer = SitemapWriter(site.catalog.site.base_url, stage)
    lastmod = Lastmod(site)
    for page in pages(site):
        if page.kind != "404":
            writer.add(page.url, lastmod(page))
    writer.close()


def _fingerprints(site: Site, renderer: Renderer, assets: dict[str, bytes]) -> Fingerprints:
    assets_fp = digest(*sorted(assets))
    share_keys = {s: renderer.share_key(s) for s in site.slugs}
    return Fingerprints(site, renderer.fingerprints(), assets_fp, share_keys)


def _robots(site: Site) -> str:
    base = site.catalog.site.base_url.rstrip("/")
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"


def check(content: Path, templates: Path | None = None) -> tuple[Site, int]:
    """`build` minus writing: validates everything and renders one page of every kind in
    memory, so template errors surface too. Returns the site and the number of pages."""
    site, renderer, _ = prepare(content, templates or default_templates(content))
    seen: set[str] = set()
    for page in pages(site):
        if page.kind not in seen:
            seen.add(page.kind)
            renderer.render(page)
        if len(seen) == 8:
            break
    return site, page_count(site)
