"""The build, top to bottom: load -> validate -> score -> plan -> render -> write.

Everything is gathered and checked before anything is written; pages are rendered in
worker processes that inherit the compiled templates and per-tool pieces; the output folder
changes only when every page has rendered. What is reused from earlier builds, and why, is
`generator.build_state`'s business; this module only runs the stages in order.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import search
from generator.build_state import BuildState
from generator.bundled import bundled_templates, find_template, search_path
from generator.hosting import check_folders, folder_sizes, pair_report
from generator.load import read_content
from generator.lock import DEFAULT_WAIT, OutputLock
from generator.pair_delta import PairDelta
from generator.picker import PICKER_PATH, picker_data
from generator.plan import (
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
    static_pages,
)
from generator.problems import ContentError, Problem, TemplateProblem
from generator.render import Renderer, asset_name
from generator.seo import base_path, redirect_rules
from generator.site_files import generated_files, robots, sitemaps
from generator.state import Manifest
from generator.static_files import check_static, read_static
from generator.templating import PAGE_TEMPLATES
from generator.theme import headers_file, theme_files
from generator.validate import StaleCache, validate
from generator.views import Pieces
from generator.workers import CHUNK, STATE, Progress, chunks, render_all

ASSETS = ("style.css", "pick.js", "favicon.svg", "search.js", "find.js")


@dataclass
class BuildOptions:
    content: Path = Path("content")
    out: Path = Path("site")
    templates: Path | None = None
    clean: bool = False
    workers: int = 0  # 0: one per core
    keep_in_memory: bool = False  # `serve`: keep caches in this process between builds
    defer_search: bool = False  # `serve`: publish pages first; the search index follows
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
    search_pending: bool = False  # the index was left stale (defer_search): rebuild it later
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
    content: Path,
    templates: Path,
    known: dict[str, tuple[str, Any]] | None = None,
    store: Pieces | None = None,
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
    check_static(content, static, site, [*assets, *generated_files(site)])
    return site, Renderer(site, templates, asset_urls, theme, store), assets, static


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
    state = BuildState(options.out, clean=options.clean, keep_in_memory=options.keep_in_memory)
    # load, validate, score, plan; templates compiled; assets and static files read
    site, renderer, assets, static = prepare(options.content, templates, state.known, Pieces())
    report.base_path = base_path(site.catalog.site.base_url)
    report.warnings = site.catalog.warnings
    timer.lap("load+validate+score")
    fps = _fingerprints(site, renderer, assets)
    output = state.open(options.out)
    report.full = output.full
    workers = options.workers or os.cpu_count() or 1
    timer.lap("plan")
    try:
        STATE.update(renderer=renderer, output=output)
        # per-tool pieces: from the caches where their inputs are unchanged, else made
        inputs = fps.inputs()
        state.fill_pieces(renderer, inputs, workers)
        timer.lap("per-tool")
        # render and write what changed: assets, listing pages, comparison pairs, extras
        for path, data in assets.items():
            state.stage(path, data)
        delta = PairDelta.between(state.old.inputs if state.old else None, inputs, site.pairs)
        total = static_pages(site) + len(site.catalog.site.categories) + delta.count()
        total += 2 * len(site.slugs)
        render_all(chunks(_changed(site, state, fps, delta), CHUNK), workers, progress, total)
        sitemaps(site, state, inputs)
        state.stage("robots.txt", robots(site).encode())
        state.stage(PICKER_PATH, picker_data(site))
        redirects = redirect_rules(site, prefix=report.base_path)
        if redirects is not None:  # past the limit, the edge function (or 404 page) redirects
            state.stage("_redirects", redirects)
        if site.catalog.site.theme.analytics:  # its origins widen the policy
            state.stage("_headers", headers_file(site.catalog.site, report.base_path))
        for path, data in static.items():  # the site's own files, as they are
            state.stage(path, data)
        timer.lap("render+stage")
        # the search index, when an indexed page changed
        if site.catalog.site.search_index:
            report.search_written, report.search_pending = search.index_step(
                site, output, inputs, state.new, defer=options.defer_search
            )
        timer.lap("search")
        # publish: swap in the staged files, remove what is gone, save manifest and caches
        removed, removed_pairs = _report(report, site, state, delta)
        manifest = Manifest(pages=state.new, inputs=inputs)
        caches = state.caches_to_write(site, renderer)
        report.state_warnings = output.warnings
        output.publish(removed + removed_pairs, manifest, report.as_dict(), caches, state.on_disk)
        state.remember(site, renderer)
        timer.lap("publish")
        report.timings["total"] = sum(report.timings.values())
    except BaseException:
        output.discard()
        raise
    finally:
        STATE.clear()
    return report


def _changed(site: Site, state: BuildState, fps: Fingerprints, delta: PairDelta) -> Iterator[Page]:
    """The pages (and share images) whose fingerprint differs from the published one."""
    images = site.catalog.site.share_images
    for page in listing_pages(site):
        for out in (page, share_page(page) if images else None):
            if out is not None and state.changed(out.path, fps.of(out)):
                yield out
    for out in delta.to_write():
        state.written += 1
        yield out


def _report(
    report: BuildReport, site: Site, state: BuildState, delta: PairDelta
) -> tuple[list[str], list[str]]:
    """Fill in the report's counts; returns the files and the pair files to remove."""
    output = state.output
    assert output is not None
    report.pages = page_count(site)
    report.written = state.written
    per_pair = 2 if site.catalog.site.share_images else 1  # a page, and maybe an image
    files = sum(1 for p in state.new if not p.startswith(search.INDEX_DIR + "/"))
    report.unchanged = files + per_pair * site.pairs.built - state.written
    removed = [] if output.old is None else sorted(output.old.pages.keys() - state.new.keys())
    removed_pairs = list(delta.to_remove(output.exists)) if output.old else []
    report.search_removed = sum(1 for p in removed if p.startswith(search.INDEX_DIR + "/"))
    report.pairs = pair_report(site)
    report.folders = folder_sizes(site)
    report.removed = len(removed) + len(removed_pairs) - report.search_removed
    return removed, removed_pairs


def _fingerprints(site: Site, renderer: Renderer, assets: dict[str, bytes]) -> Fingerprints:
    assets_fp = digest(*sorted(assets))
    share_keys = {s: renderer.cards.key(s) for s in site.slugs}
    return Fingerprints(site, renderer.templates.fingerprints(), assets_fp, share_keys)


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
