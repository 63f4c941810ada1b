"""The build, top to bottom: load -> validate -> score -> plan -> render -> write.

Everything is gathered and checked before anything is written, pages are rendered in
worker processes that inherit the compiled templates and per-tool fragments, and the output
folder changes only when every page has rendered.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from generator import search
from generator.bundled import bundled_templates, find_template, search_path
from generator.hosting import check_folders, folder_sizes, pair_report
from generator.load import read_content
from generator.lock import DEFAULT_WAIT, OutputLock
from generator.pair_delta import PairDelta
from generator.picker import PICKER_PATH, picker_data
from generator.pieces import MEMORY, caches, prepare_per_tool, remember
from generator.plan import (
    STATIC_KINDS,
    Fingerprints,
    Page,
    Site,
    assemble,
    check_urls,
    digest,
    listing_pages,
    page_count,
    pages,
    share_page,
)
from generator.problems import ContentError, Problem, TemplateProblem
from generator.render import PAGE_TEMPLATES, Renderer, asset_name
from generator.seo import base_path, redirect_rules
from generator.sitemap import PER_FILE, SitemapWriter
from generator.state import CONTENT, Manifest, known_tools_bytes, read_known_tools
from generator.static_files import check_static, read_static
from generator.theme import headers_file, theme_files
from generator.validate import StaleCache, validate
from generator.workers import STATE, pool
from generator.write import Output

ASSETS = ("style.css", "pick.js", "favicon.svg", "search.js", "find.js")
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
    wait: float = DEFAULT_WAIT  # seconds to wait for another build of the same output
    say: Callable[[str], None] | None = None  # where "waiting for another build" goes


@dataclass
class BuildReport:
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    full: bool = True
    base_path: str = "/"  # the path of base_url: where `serve` serves the site
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()  # content that built but deserves a look
    state_warnings: list[str] = field(default_factory=list)  # damaged or unsafe state ignored
    # The search index's files, counted apart from the pages and files above: one edit
    # rewrites the index, and a count of pages should say which pages changed.
    search_written: int = 0
    search_removed: int = 0
    pairs: dict[str, Any] = field(default_factory=dict)  # see generator.hosting.pair_report
    folders: list[tuple[str, int]] = field(default_factory=list)  # largest first

    def as_dict(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "pairs": self.pairs,
            "largest_folders": [list(f) for f in self.folders[:5]],
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "full_build": self.full,
            "search_index": {"written": self.search_written, "removed": self.search_removed},
            "seconds": {k: round(v, 4) for k, v in self.timings.items()},
        }


def require_templates(folder: Path) -> Path:
    """`folder` if it is a folder; else a TemplateProblem, before anything is read. It may
    hold only the templates (and `static/` files) it overrides: the bundled theme gives
    the rest."""
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "not found"
        raise TemplateProblem(f"templates folder {what}: {folder}")
    return folder


def default_templates(content: Path) -> Path:
    """`templates/` beside the content folder (overrides over the bundled theme), else the
    one shipped beside the package."""
    beside = content.resolve().parent / "templates"
    if beside.is_dir():
        return beside
    return bundled_templates()


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
) -> tuple[Site, Renderer, dict[str, bytes], dict[str, bytes]]:
    """Load, validate, score and plan; compile templates. Raises on any user error.

    `known`: tools validated by the last good build, reused when their file is unchanged.
    Returns the site, its renderer, the generated assets and the site's static files."""
    require_templates(templates)
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
    try:
        theme = theme_files(content, raw, catalog.site, catalog.tools)
    except ContentError:
        if not raw.unchanged:
            raise
        theme = theme_files(content, read_content(content), catalog.site, catalog.tools)
    check_folders(site, raw)
    assets: dict[str, bytes] = {}
    asset_urls: dict[str, str] = {}
    folders = search_path(templates)
    for name in ASSETS:
        data = find_template(folders, f"static/{name}").read_bytes()
        hashed = f"assets/{asset_name(name, data)}"
        assets[hashed] = data
        asset_urls[name] = "/" + hashed
    assets.update(theme.files)
    asset_urls.update(theme.urls)
    static = read_static(content)
    check_static(content, static, site, [*assets, *_generated_files(site)])
    return site, Renderer(site, templates, asset_urls, theme), assets, static


def _generated_files(site: Site) -> list[str]:
    """What the build writes besides pages, share images and assets."""
    sitemaps = -(-page_count(site) // PER_FILE)
    return [
        "robots.txt",
        "sitemap.xml",
        "_redirects",
        "_headers",
        *(f"sitemaps/sitemap-{i}.xml" for i in range(1, sitemaps + 1)),
    ]


class Lastmod:
    """Sitemap date: when the content a page shows was last checked, not when it was built."""

    def __init__(self, site: Site) -> None:
        self.checked = {s: e.tool.checked.isoformat() for s, e in site.entries.items()}
        self.newest = max(self.checked.values())

    def __call__(self, page: Page) -> str:
        if page.kind == "compare":
            return max(self.checked[page.args[0]], self.checked[page.args[1]])
        if page.kind in ("tool", "alternatives"):
            return self.checked[page.args[0]]
        return self.newest


def _render_chunk(chunk: list[Page]) -> int:
    renderer: Renderer = STATE["renderer"]
    output: Output = STATE["output"]
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
    STATE["renderer"].warm()
    if workers <= 1 or len(first) <= SERIAL_CHUNKS:
        for chunk in chain(first, chunks):
            done += _render_chunk(chunk)
            progress(done, total)
        return
    chunks = chain(first, chunks)
    with pool(workers) as workers_pool:
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(workers_pool.apply_async(_render_chunk, (chunk,)))
            if len(pending) >= workers * 4:
                done += pending.popleft().get()
                progress(done, total)
        while pending:
            done += pending.popleft().get()
            progress(done, total)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site. Raises ContentError / TemplateProblem; the output is then untouched.

    Holds the output folder's lock throughout: a second build of the same folder waits
    (or gives up, see `generator.lock`), so the published site is always the complete
    output of one build."""
    shown = str(options.out)
    say = options.say or (lambda text: print(text, file=sys.stderr, flush=True))
    with OutputLock(options.out, shown, wait=options.wait, say=say):
        return _build(options, progress or (lambda d, t: None))


def _build(options: BuildOptions, progress: Progress) -> BuildReport:
    report = BuildReport()
    timer = _Timer(report)
    templates = options.templates or default_templates(options.content)
    out = options.out.resolve()
    memory = MEMORY.get(str(out)) if options.keep_in_memory else None
    if options.clean or not options.keep_in_memory:
        MEMORY.pop(str(out), None)
        memory = None
    known: dict[str, tuple[str, Any]] = {}  # `--clean` reuses nothing from earlier builds
    if not options.clean:
        known = (memory or {}).get("known") or read_known_tools(out)
    site, renderer, assets, static = prepare(options.content, templates, known)
    report.base_path = base_path(site.catalog.site.base_url)
    report.warnings = site.catalog.warnings
    timer.lap("load+validate+score")
    fps = _fingerprints(site, renderer, assets)
    output = Output(options.out, clean=options.clean)
    report.full = output.full
    workers = options.workers or os.cpu_count() or 1
    timer.lap("plan")
    try:
        STATE.update(renderer=renderer, output=output)
        inputs = fps.inputs()
        old_inputs = output.old.inputs if output.old else None
        heavy = old_inputs is None or any(
            old_inputs.get(k) != inputs[k] for k in ("kinds", "tools", "share")
        )
        caches_changed, on_disk = False, dict[str, set[str]]()
        if heavy:
            caches_changed, on_disk = prepare_per_tool(renderer, output, workers, options.clean)
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
        delta = PairDelta.between(old_inputs, inputs, site.pairs)

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
        total += 2 * len(site.slugs)
        _run(_chunks(changed(), CHUNK), workers, progress, total)
        _sitemaps(site, output, inputs, stage, new)
        stage("robots.txt", _robots(site).encode())
        stage(PICKER_PATH, picker_data(site))
        redirects = redirect_rules(site, prefix=report.base_path)
        if redirects is not None:  # past the limit, the edge function (or 404 page) redirects
            stage("_redirects", redirects)
        if site.catalog.site.theme.analytics:  # its origins widen the policy
            stage("_headers", headers_file(site.catalog.site, report.base_path))
        for path, data in static.items():  # the site's own files, as they are
            stage(path, data)
        timer.lap("render+stage")
        report.search_written = _search_index(site, output, inputs, new)
        timer.lap("search")
        report.pages = page_count(site)
        report.written = written
        per_pair = 2 if site.catalog.site.share_images else 1  # a page, and maybe an image
        files = sum(1 for p in new if not p.startswith(search.INDEX_DIR + "/"))
        report.unchanged = files + per_pair * site.pairs.built - written
        removed = [] if output.old is None else sorted(output.old.pages.keys() - new.keys())
        removed_pairs = list(delta.to_remove(output.exists)) if output.old else []
        report.search_removed = sum(1 for p in removed if p.startswith(search.INDEX_DIR + "/"))
        report.pairs = pair_report(site)
        report.folders = folder_sizes(site)
        report.removed = len(removed) + len(removed_pairs) - report.search_removed
        manifest = Manifest(pages=new, inputs=inputs)
        views_changed = renderer.light_made > 0 or renderer.light_loaded != len(renderer.light)
        # Caches were read only when something could have changed (`heavy`); only then
        # are they complete enough to write back. A full build starts a new state folder,
        # so it writes them all.
        write_caches = heavy and (caches_changed or views_changed or output.full)
        state: dict[str, Any] = caches(renderer) if write_caches else {}
        tools = {s: (site.digests[s], site.entries[s].tool) for s in site.slugs}
        same = len(known) == len(tools) and all(
            known.get(s, ("",))[0] == d for s, (d, _) in tools.items()
        )
        if output.full or not same:
            state[CONTENT] = known_tools_bytes(tools)
        report.state_warnings = output.warnings
        output.publish(removed + removed_pairs, manifest, report.as_dict(), state, on_disk)
        if options.keep_in_memory:
            remember(str(output.out), tools, renderer, complete=heavy)
        timer.lap("publish")
        report.timings["total"] = sum(report.timings.values())
    except BaseException:
        output.discard()
        raise
    finally:
        STATE.clear()
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
        if page.kind == "compare" and not site.indexed(*page.args):
            continue  # a thin pair: built for visitors, kept out of search
        if page.kind != "404":
            writer.add(page.url, lastmod(page))
    writer.close()


def _search_index(site: Site, output: Output, inputs: dict[str, Any], new: dict[str, str]) -> int:
    """Rebuild the search index when an indexed page may have changed; else keep the
    published one. Returns how many index files were written."""
    key = search.index_key(site, new, inputs)
    inputs["search"] = key
    old = output.old
    kept = (
        {p: fp for p, fp in old.pages.items() if p.startswith(search.INDEX_DIR + "/")}
        if old
        else {}
    )
    same = old is not None and old.inputs.get("search") == key and bool(kept)
    if same and all(output.unchanged(p, fp) for p, fp in kept.items()):
        new.update(kept)
        return 0
    written = 0

    def record(path: str, fp: str) -> None:
        nonlocal written
        new[path] = fp
        if not output.unchanged(path, fp):
            written += 1

    search.build_index(site, output.staging, output.out, record)
    return written


def _fingerprints(site: Site, renderer: Renderer, assets: dict[str, bytes]) -> Fingerprints:
    assets_fp = digest(*sorted(assets))
    share_keys = {s: renderer.share_key(s) for s in site.slugs}
    return Fingerprints(site, renderer.fingerprints(), assets_fp, share_keys)


def _robots(site: Site) -> str:
    """robots.txt for the site's own path. Crawlers read it only at a domain's root: a site
    under a subpath merges these lines into the domain's robots.txt."""
    base = site.catalog.site.base_url.rstrip("/")
    path = base_path(site.catalog.site.base_url)
    return f"User-agent: *\nAllow: {path}\n\nSitemap: {base}/sitemap.xml\n"


def check(content: Path, templates: Path | None = None) -> tuple[Site, int]:
    """`build` minus writing: validates everything and renders one page of every kind in
    memory, so template errors surface too. Returns the site and the number of pages."""
    site, renderer, _, _ = prepare(content, templates or default_templates(content))
    seen: set[str] = set()
    for page in pages(site):
        if page.kind not in seen:
            seen.add(page.kind)
            renderer.render(page)
        if len(seen) == len(PAGE_TEMPLATES):
            break
    return site, page_count(site)
