"""The search index of a content folder: how many pages it covers, its size and build time.

    python -m benchmarks.search_index CONTENT [--keep DIR]

Renders only the pages the index covers (see generator/search.py), then times the search
step of a build (linking the pages into one folder, running Pagefind, sorting its output)
on them. A catalogue of 1,000 tools makes 499,500 comparison pages, far too many to render
for this, while the index covers only the featured ones: the step is measured on its own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from generator import search
from generator.build import default_templates, prepare


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("content", type=Path)
    ap.add_argument("--keep", type=Path, help="leave the pages and index in this folder")
    args = ap.parse_args(argv)
    site, renderer, _, _ = prepare(args.content, default_templates(args.content))
    work = args.keep or Path(tempfile.mkdtemp(prefix="versus-search-"))
    staging = work / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    start = time.perf_counter()
    pages = list(search.indexed_pages(site))
    for page in pages:
        path = staging / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(renderer.output(page))
    rendered = time.perf_counter() - start
    files: list[str] = []
    start = time.perf_counter()
    search.build_index(site, staging, work / "published", lambda p, fp: files.append(p))
    seconds = time.perf_counter() - start
    index = staging / search.INDEX_DIR
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    biggest = max(len(os.listdir(d)) for d in [index, *index.rglob("*")] if d.is_dir())
    print(f"tools: {len(site.slugs)}; indexed pages: {len(pages)} (rendered in {rendered:.1f} s)")
    print(f"index: {len(files)} files, {size / 1e6:.1f} MB; largest folder: {biggest} entries")
    print(f"search step: {seconds:.1f} s")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
