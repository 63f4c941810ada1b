"""Publishing to the output folder: staged, incremental and atomic.

Pages are written into a staging folder beside the output folder (same filesystem, so
moves are renames). Only when every page rendered is anything published:
- a full build swaps the whole staged tree in with two renames;
- an incremental build renames each changed file into place, removes pages that no longer
  exist, and writes the manifest last.
A failure before publishing deletes the staging folder and leaves the output untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import __version__, models
from generator.problems import ContentError, Problem

STATE_DIR = ".versus"
MANIFEST = "manifest.json"
REPORT = "report.json"
FRAGMENTS = "fragments"
SHARE = "share"
VIEWS = "views"
CONTENT = "content.pickle"


def read_known_tools(out: Path) -> dict[str, tuple[str, Any]]:
    """Tools validated by the last good build, by slug: (file digest, model).

    Pickle, because these are our own validated models written by our own last build into
    the output's state folder; a version mismatch or any damage just means "parse again"."""
    try:
        data = pickle.loads((out / STATE_DIR / CONTENT).read_bytes())
        if data["version"] != _models_version():
            return {}
        return dict(data["tools"])
    except Exception:  # noqa: BLE001 - any unreadable cache is simply no cache
        return {}


def known_tools_blob(tools: dict[str, tuple[str, Any]]) -> bytes:
    data = {"version": _models_version(), "tools": tools}
    return pickle.dumps(data, pickle.HIGHEST_PROTOCOL)


def _models_version() -> str:
    """Cached models are only valid for the exact model code that made them."""
    source = Path(models.__file__).read_bytes()
    return __version__ + ":" + hashlib.blake2b(source, digest_size=8).hexdigest()


@dataclass
class Manifest:
    """Fingerprint of every page (by output path) from the last successful build, plus
    the per-tool and per-kind fingerprints they were made from."""

    version: str
    pages: dict[str, str]
    inputs: dict[str, Any]

    @classmethod
    def read(cls, out: Path) -> Manifest | None:
        try:
            data = json.loads((out / STATE_DIR / MANIFEST).read_text("utf-8"))
            inputs = data["inputs"]
            if not all(isinstance(inputs.get(k), dict) for k in ("kinds", "tools", "share")):
                return None
            return cls(version=str(data["version"]), pages=dict(data["pages"]), inputs=inputs)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


def read_cache(out: Path, name: str) -> dict[str, Any]:
    """A cache of per-tool pieces from earlier builds, keyed by what they were made from:
    one small JSON file per entry, so an edit rewrites one entry, not the whole cache.
    Anything unreadable is simply missing: the piece is rendered again."""
    folder = out / STATE_DIR / name
    found: dict[str, Any] = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return found
    for file in names:
        if file.endswith(".json"):
            try:
                found[file[:-5]] = json.loads((folder / file).read_text("utf-8"))
            except (OSError, ValueError):
                continue
    return found


class Output:
    """The output folder and its staging twin for one build."""

    def __init__(self, out: Path, *, clean: bool) -> None:
        self.out = out.resolve()
        self.old = None if clean else Manifest.read(self.out)
        if self.old is not None and self.old.version != __version__:
            self.old = None  # a new generator may render everything differently
        self._refuse_foreign_folder()
        self.full = self.old is None
        self._out_str = str(self.out)
        self.staging = self.out.with_name(f".{self.out.name}.staging-{os.getpid()}")
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        self._dirs: set[str] = set()

    def _refuse_foreign_folder(self) -> None:
        """Never replace a folder we did not make: `--out ~` must not wipe a home folder."""
        if not self.out.exists():
            return
        ours = (self.out / STATE_DIR).is_dir()
        if not ours and (not self.out.is_dir() or any(self.out.iterdir())):
            raise ContentError(
                [
                    Problem(
                        str(self.out),
                        1,
                        1,
                        "",
                        "output folder exists and was not made by versus; remove it or "
                        "choose another --out",
                    )
                ]
            )

    def unchanged(self, path: str, fingerprint: str) -> bool:
        """True when the published page is current (and still on disk)."""
        if self.old is None or self.old.pages.get(path) != fingerprint:
            return False
        return os.path.isfile(os.path.join(self._out_str, path))

    def write(self, path: str, data: bytes) -> None:
        """Stage one file. Called from worker processes too: touches only the staging tree."""
        target = self.staging / path
        parent = os.path.dirname(path)
        if parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def publish(
        self,
        removed: list[str],
        manifest: Manifest,
        report: dict[str, object],
        caches: dict[str, Any] | None,
    ) -> int:
        """Make the staged build live. Returns how many stale pages were removed."""
        state = self.staging / STATE_DIR if self.full else self.out / STATE_DIR
        count = 0
        if self.full:
            self._write_state(state, manifest, report, caches)
            old = self.out.with_name(f".{self.out.name}.old-{os.getpid()}")
            if self.out.exists():
                os.replace(self.out, old)
            os.replace(self.staging, self.out)
            shutil.rmtree(old, ignore_errors=True)
            return count
        staging, out = str(self.staging), self._out_str
        for folder, _, files in os.walk(staging):
            rel = os.path.relpath(folder, staging)
            dest = out if rel == "." else os.path.join(out, rel)
            if files:
                os.makedirs(dest, exist_ok=True)
            for name in files:
                os.replace(os.path.join(folder, name), os.path.join(dest, name))
        for path in removed:
            count += self._remove(path)
        self._write_state(state, manifest, report, caches)
        self.discard()
        return count

    def _remove(self, path: str) -> int:
        target = self.out / path
        try:
            target.unlink()
        except FileNotFoundError:
            return 0
        parent = target.parent
        while parent != self.out:
            try:
                parent.rmdir()  # only succeeds once empty
            except OSError:
                break
            parent = parent.parent
        return 1

    def _write_state(
        self,
        state: Path,
        manifest: Manifest,
        report: dict[str, object],
        caches: dict[str, Any] | None,
    ) -> None:
        state.mkdir(parents=True, exist_ok=True)
        for name, cache in (caches or {}).items():  # absent: nothing changed, old caches hold
            if isinstance(cache, bytes):
                tmp = state / (name + ".tmp")
                tmp.write_bytes(cache)
                os.replace(tmp, state / name)
                continue
            folder = state / name
            folder.mkdir(exist_ok=True)
            present = set(os.listdir(folder))
            for key, value in cache.items():
                if f"{key}.json" not in present:  # entries are keyed by content: never stale
                    text = json.dumps(value, separators=(",", ":"))
                    (folder / f"{key}.json").write_text(text, "utf-8")
            for file in present - {f"{key}.json" for key in cache}:
                (folder / file).unlink(missing_ok=True)
        tmp = state / (MANIFEST + ".tmp")
        data = {"version": __version__, "inputs": manifest.inputs, "pages": manifest.pages}
        tmp.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
        os.replace(tmp, state / MANIFEST)
        (state / REPORT).write_text(json.dumps(report, indent=2) + "\n", "utf-8")
