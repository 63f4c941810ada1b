"""The build state in `<out>/.versus/`: plain JSON, and never trusted.

The state may come from anywhere the output folder came from (a download, a commit, a
shared drive), so reading it must never run code, never name a file outside the output
folder, and never crash a build. Everything here is read with one rule: whatever is not
exactly what this generator writes is ignored, and the piece it stood for is made again.

Every piece of state is keyed by `fingerprint()`: the generator's own source files and
the versions of the libraries that shape the output (templating, Markdown, the
sanitiser, validation, YAML, image drawing). State written by any other code is
therefore simply not found.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib
import json
import os
import re
import stat
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator import __version__
from generator.model_base import SLUG_RE
from generator.models import Tool

STATE_DIR = ".versus"
MANIFEST = "manifest.json"
REPORT = "report.json"
CONTENT = "content.json"
FRAGMENTS = "fragments"
SHARE = "share"
VIEWS = "views"
CACHES = (FRAGMENTS, SHARE, VIEWS)
# Libraries whose version changes what a page or a cached piece looks like: (module,
# distribution). The module's own version attribute is read first, being much cheaper than
# looking the distribution up.
LIBRARIES = (
    ("jinja2", "jinja2"),
    ("markdown", "markdown"),
    ("nh3", "nh3"),
    ("pydantic", "pydantic"),
    ("pydantic_core", "pydantic-core"),
    ("yaml", "pyyaml"),
    ("PIL", "pillow"),
)
MAX_ENTRY = 8 << 20  # bytes: a per-tool cache entry is a few kB; anything this big is junk
MAX_FILE = 512 << 20  # bytes: manifest and content cache (about 5 kB a tool)
_ENTRY_NAME = re.compile(r"[0-9a-f]{16}\.json")
_FILE_DIGEST = re.compile(r"[0-9a-f]{32}")
_INPUT_MAPS = ("kinds", "tools", "share")


class Damaged(Exception):
    """A state file that is not what this generator writes: ignore it, make it again."""


@cache
def fingerprint() -> str:
    """What made the state: this generator's code and its libraries. Computed once per
    process (forked workers inherit it)."""
    h = hashlib.blake2b(digest_size=8)
    h.update(__version__.encode() + b"\0")
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for module, distribution in LIBRARIES:
        h.update(f"{distribution}={_version(module, distribution)}\0".encode())
    return h.hexdigest()


def _version(module: str, distribution: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        found = getattr(importlib.import_module(module), "__version__", None)
    if isinstance(found, str):
        return found
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def safe_relative(path: object) -> bool:
    """A plain relative path inside a folder: no `..`, no absolute path, no odd bytes."""
    if not isinstance(path, str) or not path or "\\" in path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def real_dir(path: Path) -> bool:
    """A folder, not a symbolic link to one (state is never read or written through one)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def read_json(path: Path, limit: int) -> Any:
    """Parse a state file. Raises Damaged for a link, a non-file, junk or a huge file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise Damaged(str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise Damaged("not a regular file of a sensible size")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # junk, bad UTF-8, absurd nesting
        raise Damaged(str(exc)) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a build killed half-way leaves no torn file, and a
    link planted at the name (or at a temporary name) is replaced, never followed."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # as any other file of the site (mkstemp makes it private)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


# -- the manifest --------------------------------------------------------------------------


@dataclass
class Manifest:
    """Fingerprint of every page (by output path) from the last successful build, plus
    the per-tool and per-kind fingerprints they were made from (see `plan.Fingerprints`)."""

    pages: dict[str, str]
    inputs: dict[str, Any]

    def to_bytes(self) -> bytes:
        data = {
            "version": __version__,
            "generator": fingerprint(),
            "inputs": self.inputs,
            "pages": self.pages,
        }
        return dump(data)

    @classmethod
    def read(cls, state: Path, shown: str, warn: Callable[[str], None]) -> Manifest | None:
        """The last build's manifest, or None (build everything) when it is missing, from
        other code, or damaged. Unsafe page paths and slugs are dropped with a warning.
        `shown`: the manifest's path as the user knows it, for warnings."""
        damaged = f"{shown} is damaged; ignored it and rebuilt every page"
        try:
            data = read_json(state / MANIFEST, MAX_FILE)
        except FileNotFoundError:
            return None
        except Damaged:
            warn(damaged)
            return None
        if not isinstance(data, dict):
            warn(damaged)
            return None
        if data.get("generator") != fingerprint():
            return None  # made by another version or other code: quietly build everything
        try:
            pages = _str_map(data["pages"])
            inputs = _inputs(data["inputs"])
        except (KeyError, Damaged):
            warn(damaged)
            return None
        unsafe = _drop_unsafe(pages, inputs)
        if unsafe:
            first = ", ".join(json.dumps(p) for p in unsafe[:3])
            more = f" and {len(unsafe) - 3} more" if len(unsafe) > 3 else ""
            warn(f"{shown}: ignored paths outside the output folder: {first}{more}")
        if not all(f"tools/{slug}/index.html" in pages for slug in inputs["tools"]):
            # Every tool has its page: removals are O(pairs of the tools listed), so tools
            # the manifest invents are not taken on trust either.
            warn(damaged)
            return None
        return cls(pages=pages, inputs=inputs)


def _drop_unsafe(pages: dict[str, str], inputs: dict[str, Any]) -> list[str]:
    """Remove page paths that would leave the output folder, and slugs that would make
    such paths; return them."""
    unsafe = [p for p in pages if not safe_relative(p)]
    unsafe += [s for s in inputs["tools"] if not SLUG_RE.fullmatch(s)]
    for bad in unsafe:
        pages.pop(bad, None)
        inputs["tools"].pop(bad, None)
        inputs["share"].pop(bad, None)
    return unsafe


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Damaged("expected an object of strings")
    return value


def _inputs(value: Any) -> dict[str, Any]:
    """The shape `Fingerprints.inputs()` writes, exactly."""
    if not isinstance(value, dict) or set(value) - {"search"} != {
        "base",
        "sitemap",
        "layout",
        *_INPUT_MAPS,
    }:
        raise Damaged("inputs")
    if not isinstance(value["base"], str) or not isinstance(value["sitemap"], str):
        raise Damaged("inputs")
    if value["layout"] not in ("flat", "nested"):  # where the last build put comparison pages
        raise Damaged("inputs")
    if not isinstance(value.get("search", ""), str):  # the search index's key (generator.search)
        raise Damaged("inputs")
    for key in _INPUT_MAPS:
        value[key] = _str_map(value[key])
    return value


# -- per-tool caches -----------------------------------------------------------------------


def read_cache(out: Path, name: str, valid: Callable[[Any], bool]) -> dict[str, Any]:
    """A cache of per-tool pieces from earlier builds, keyed by what they were made from:
    one small JSON file per entry, so an edit rewrites one entry, not the whole cache.
    An entry that is not exactly what this generator writes is simply missing: the piece
    is made again (and the entry rewritten)."""
    folder = out / STATE_DIR / name
    found: dict[str, Any] = {}
    if not (real_dir(out / STATE_DIR) and real_dir(folder)):
        return found
    try:
        names = os.listdir(folder)
    except OSError:
        return found
    for file in names:
        if not _ENTRY_NAME.fullmatch(file):
            continue
        try:
            value = read_json(folder / file, MAX_ENTRY)
        except (OSError, Damaged):
            continue
        if valid(value):
            found[file[:-5]] = value
    return found


def _strs(value: Any, count: int) -> bool:
    return (
        isinstance(value, list) and len(value) == count and all(isinstance(v, str) for v in value)
    )


def valid_fragment(value: Any) -> bool:
    """(summary HTML, capability section HTML)."""
    return _strs(value, 2)


def valid_band(value: Any) -> bool:
    """[base64 deflate data, Adler-32, uncompressed size]."""
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)):
        return False
    adler, size = value[1], value[2]
    if not all(type(v) is int for v in (adler, size)) or not (0 <= adler < 1 << 32 and size >= 0):
        return False
    try:
        base64.b64decode(value[0], validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def valid_share(value: Any) -> bool:
    """A tool's band as first and as second tool of a share card."""
    return isinstance(value, list) and len(value) == 2 and all(map(valid_band, value))


def view_check(metrics: Iterable[str]) -> Callable[[Any], bool]:
    """A check for the small per-tool pieces of `Renderer._light_parts`, whose tables have
    one cell per metric."""
    rows = frozenset(metrics)

    def row(value: Any) -> bool:
        return (
            isinstance(value, dict)
            and set(value) == rows
            and all(isinstance(v, str) for v in value.values())
        )

    def valid(value: Any) -> bool:
        if not isinstance(value, dict) or set(value) != {
            "cells", "row_first", "row_second", "basis", "related", "chart", "chart_text",
        }:  # fmt: skip
            return False
        related = value["related"]
        return (
            all(row(value[k]) for k in ("cells", "row_first", "row_second"))
            and isinstance(value["basis"], str)
            and isinstance(value["chart_text"], str)
            and _strs(value["chart"], 3)
            and isinstance(related, list)
            and all(_strs(item, 2) for item in related)
        )

    return valid


# -- validated tools -----------------------------------------------------------------------


def read_known_tools(out: Path) -> dict[str, tuple[str, Any]]:
    """Tools validated by an earlier build, by slug: (file digest, model), reused when
    the tool's file still has that digest, which saves parsing its YAML again.

    Stored as the models' plain data and validated again by the model on reading: as fast
    as unpickling (about 0.1 ms a tool against 1.7 ms to parse and validate its YAML),
    and data, not code. Anything else in the file is ignored."""
    if not real_dir(out / STATE_DIR):
        return {}
    try:
        data = read_json(out / STATE_DIR / CONTENT, MAX_FILE)
    except (OSError, Damaged):
        return {}
    if not isinstance(data, dict) or data.get("generator") != fingerprint():
        return {}
    tools = data.get("tools")
    if not isinstance(tools, dict):
        return {}
    known: dict[str, tuple[str, Any]] = {}
    for slug, entry in tools.items():
        if not (SLUG_RE.fullmatch(slug) and isinstance(entry, list) and len(entry) == 2):
            continue
        file_digest, model = entry
        if not (isinstance(file_digest, str) and _FILE_DIGEST.fullmatch(file_digest)):
            continue
        try:
            known[slug] = (file_digest, Tool.model_validate(model))
        except ValidationError:
            continue
    return known


def known_tools_bytes(tools: dict[str, tuple[str, Any]]) -> bytes:
    data = {
        "version": __version__,
        "generator": fingerprint(),
        "tools": {s: [d, tool.model_dump(mode="json")] for s, (d, tool) in tools.items()},
    }
    return dump(data)
