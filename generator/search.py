"""The search index: Pagefind run over the pages that serve a visitor looking for something.

What is indexed, and why:
- every tool page (its capabilities are sub-results, by their headings' ids), every category
  page and the methodology page: O(tools), always;
- comparison pages: every built one while the total stays within `FRAGMENT_BUDGET`; past it,
  only the comparisons the site itself features (each tool's related comparisons), so the
  index grows with the tools, not with their pairs.
- not the home, compare and search pages or the 404 page: lists of names that would match
  every query and lead nowhere new.

Pagefind writes one fragment file per indexed page into one folder (`pagefind/fragment/`);
Netlify fails a deploy with more than 54,000 files in one folder, so the budget keeps that
folder far below it at any catalogue size.

The index is built by the `pagefind` binary that the `pagefind-bin` package ships (nothing is
downloaded at build time). It reads a folder, but an incremental build has its pages in two
places (new ones staged, unchanged ones published), so the indexed pages are hard-linked into
one scratch folder inside the staging folder first, and the index is written into the staging
folder, to be published with the pages. When no indexed page changed, nothing is run and the
published index is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator import search_files
from generator.pair_delta import pair_pages
from generator.plan import Page, Site, digest, listing_pages
from generator.problems import TemplateProblem
from generator.write import Output

INDEX_DIR = "pagefind"
SCRATCH = ".search-pages"  # inside the staging folder; removed before publishing
FRAGMENT_BUDGET = 10_000
INDEXED_KINDS = ("tool", "category", "methodology")


def pagefind_binary() -> Path:
    """The binary of the `pagefind-bin` package (a dependency): no download, no network."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        raise TemplateProblem(
            "the search index needs the pagefind-bin package; reinstall versus"
        ) from None
    return Path(get_executable())


def pagefind_version() -> str:
    """The version of the index format: part of the index's fingerprint."""
    from importlib.metadata import version

    try:
        return version("pagefind-bin")
    except Exception:  # pragma: no cover - only a broken install
        return "unknown"


def comparison_pairs(site: Site) -> list[tuple[str, str]]:
    """The comparisons the index covers (see the module docstring), in URL order."""
    slugs = site.slugs
    listing = sum(1 for p in listing_pages(site) if p.kind in INDEXED_KINDS)
    room = max(0, FRAGMENT_BUDGET - listing)
    n = len(slugs)
    if n * (n - 1) // 2 <= room:
        pairs = [(a, b) for i, a in enumerate(slugs) for b in slugs[i + 1 :] if site.has_page(a, b)]
        return pairs[:room]
    featured = {
        (min(s, r), max(s, r))
        for s in slugs
        for r, _ in site.entries[s].related
        if site.has_page(s, r)
    }
    return sorted(featured)[:room]


def indexed_pages(site: Site) -> Iterator[Page]:
    for page in listing_pages(site):
        if page.kind in INDEXED_KINDS:
            yield page
    for a, b in comparison_pairs(site):
        yield pair_pages(a, b, site.nested)[0]


def index_key(site: Site, page_fps: dict[str, str], inputs: dict[str, Any]) -> str:
    """Changes whenever an indexed page may have changed: the fingerprints of the indexed
    listing pages, and what comparison pages are made of (their template and every tool)."""
    listing = [
        f"{p.path}={page_fps.get(p.path, '')}"
        for p in listing_pages(site)
        if p.kind in INDEXED_KINDS
    ]
    pairs = [f"{a}+{b}" for a, b in comparison_pairs(site)]
    compare = inputs["kinds"].get("compare", "")
    return digest(
        pagefind_version(),
        str(FRAGMENT_BUDGET),
        *listing,
        str(compare) if pairs else "",
        repr(sorted(inputs["tools"].items())) if pairs else "",
        *pairs,
    )


def build_index(
    site: Site,
    staging: Path,
    published: Path,
    record: Callable[[str, str], None],
) -> int:
    """Index the pages and write `pagefind/` into `staging`; `record(path, fingerprint)` is
    called for every file written. Returns how many pages were indexed.

    Each page is taken from `staging` when this build wrote it, else from `published`."""
    scratch = staging / SCRATCH
    count = 0
    try:
        for page in indexed_pages(site):
            src = staging / page.path
            if not src.is_file():
                src = published / page.path
            dest = scratch / page.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dest)
            except OSError:
                shutil.copyfile(src, dest)
            count += 1
        _run(scratch, staging / INDEX_DIR)
        search_files.canonicalise(staging / INDEX_DIR)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for path in sorted((staging / INDEX_DIR).rglob("*")):
        if path.is_file():
            fp = hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
            record(path.relative_to(staging).as_posix(), fp)
    return count


def _run(pages: Path, out: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(out)
    result = subprocess.run(
        [
            str(pagefind_binary()),
            "--site",
            str(pages),
            "--output-path",
            str(out),
            "--force-language",
            "en",
            "--silent",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise TemplateProblem(
            "the search index could not be built: " + (detail[-1] if detail else "pagefind failed")
        )


def index_step(
    site: Site, output: Output, inputs: dict[str, Any], new: dict[str, str], *, defer: bool
) -> tuple[int, bool]:
    """Rebuild the search index when an indexed page may have changed; else keep the
    published one. Returns how many index files were written, and whether a rebuild is
    still due: with `defer` (serve, between saves), a stale index is kept as it is and
    marked stale, so that the pages are published at once and the index follows later."""
    key = index_key(site, new, inputs)
    inputs["search"] = key
    old = output.old
    kept = {p: fp for p, fp in old.pages.items() if p.startswith(INDEX_DIR + "/")} if old else {}
    intact = all(output.unchanged(p, fp) for p, fp in kept.items())
    if old is not None and old.inputs.get("search") == key and kept and intact:
        new.update(kept)
        return 0, False
    if defer and kept and intact:
        new.update(kept)
        inputs["search"] = old.inputs.get("search", "") if old else ""  # still stale
        return 0, True
    written = 0

    def record(path: str, fp: str) -> None:
        nonlocal written
        new[path] = fp
        if not output.unchanged(path, fp):
            written += 1

    build_index(site, output.staging, output.out, record)
    return written, False
