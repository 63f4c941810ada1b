"""The site's own static files (`content/static/`): a logo, `ads.txt`, a search-engine
verification file, published as they are.

They are read and checked with the content, before anything is written: a file that would
replace a generated page or asset is an error naming both, and so is anything that could
publish a file from outside the folder (a symbolic link leading out of it) or that the
output folder cannot hold safely (control characters in a name, the build's own state
folder). The build stages them like pages, so `--clean` publishes them again and an
incremental build writes only those whose bytes changed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from generator.load import display
from generator.plan import Site, listing_pages, share_page
from generator.problems import ContentError, Problem
from generator.state import STATE_DIR

FOLDER = "static"
MAX_BYTES = 100 * 1024 * 1024  # far beyond a logo or ads.txt; keeps a stray file out of memory
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Files editors and file managers leave behind: never meant to be published.
_JUNK = re.compile(r"^(?:\.DS_Store|Thumbs\.db|\.#.*|.*~|#.*#|\..*\.sw[a-p])$")


def read_static(content: Path) -> dict[str, bytes]:
    """Every file of `content/static/` by its path in the output folder."""
    root = content / FOLDER
    if not os.path.lexists(root):
        return {}
    if root.is_symlink() or not root.is_dir():
        raise ContentError([Problem(display(root), 1, 1, "", "expected a folder of static files")])
    real_root = os.path.realpath(root)
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for folder, dirs, names in os.walk(root):
        rel_folder = os.path.relpath(folder, root)
        for name in sorted(dirs):
            path = Path(folder) / name
            if path.is_symlink():
                dirs.remove(name)
                problems.append(_problem(path, "a symbolic link to a folder; copy the folder in"))
        for name in sorted(names):
            if _JUNK.match(name):
                continue
            path = Path(folder) / name
            rel = name if rel_folder == "." else f"{rel_folder.replace(os.sep, '/')}/{name}"
            why = _unsafe(rel, path, real_root)
            if why:
                problems.append(_problem(path, why))
                continue
            try:
                files[rel] = path.read_bytes()
            except OSError as exc:
                problems.append(_problem(path, f"cannot read the file: {exc.strerror or exc}"))
    if problems:
        raise ContentError(sorted(problems, key=lambda p: p.file))
    return dict(sorted(files.items()))


def _unsafe(rel: str, path: Path, real_root: str) -> str | None:
    """Why `path` cannot be published as `rel`, if it cannot."""
    if _CONTROL.search(rel):
        return "file name has a control character; rename it"
    if rel.split("/")[0] == STATE_DIR:
        return f"{STATE_DIR}/ is where versus keeps its build state; rename the folder"
    real = os.path.realpath(path)
    if os.path.commonpath([real, real_root]) != real_root:
        return "a symbolic link out of the static folder; copy the file in instead"
    if not os.path.isfile(real):
        return "not a regular file (a broken link, a pipe or a device)"
    if os.path.getsize(real) > MAX_BYTES:
        return f"larger than {MAX_BYTES // (1024 * 1024)} MB"
    return None


def _problem(path: Path, message: str) -> Problem:
    return Problem(display(path), 1, 1, "", message)


def check_static(
    content: Path, files: dict[str, bytes], site: Site, generated: Iterable[str]
) -> None:
    """A static file may not take the place of anything the build writes: a page, a share
    image, an asset, a sitemap, robots.txt or `_redirects` (nor a folder they live in)."""
    if not files:
        return
    made: dict[str, str] = {p: p for p in generated}
    for page in listing_pages(site):
        made[page.path] = f"page {page.url}"
        image = share_page(page)
        if image is not None and site.catalog.site.share_images:
            made[image.path] = f"share image {image.url}"
    folders = {p.rpartition("/")[0] for p in made} - {""}
    folders |= {f.rsplit("/", i)[0] for f in folders for i in range(f.count("/") + 1)}
    pairs = _pair_paths(site) if any(p.startswith("compare/") for p in files) else {}
    made.update(pairs)
    folders |= {p.rpartition("/")[0] for p in pairs}
    problems = []
    for rel in files:
        parents = [rel.rsplit("/", i)[0] for i in range(1, rel.count("/") + 1)]
        clash = made.get(rel) or next((made[p] for p in parents if p in made), None)
        if clash is None and rel in folders:
            clash = f"folder {rel}/"
        if clash is not None:
            message = f"static file {rel} would take the place of the generated {clash}"
            problems.append(Problem(display(content / FOLDER / rel), 1, 1, "", message))
    if problems:
        raise ContentError(problems)


def _pair_paths(site: Site) -> dict[str, str]:
    """Comparison pages and their images, asked for only when a static file is under
    `compare/` (there are n(n-1)/2 of them)."""
    made = {}
    slugs = site.slugs
    for i, a in enumerate(slugs):
        for b in slugs[i + 1 :]:
            url = f"/compare/{a}-vs-{b}/"
            made[url[1:] + "index.html"] = f"page {url}"
            if site.catalog.site.share_images:
                made[url[1:] + "share.png"] = f"share image {url}share.png"
    return made
