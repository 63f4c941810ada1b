"""Publishing to the output folder: staged, incremental, atomic, and confined to it.

Pages are written into a staging folder beside the output folder (same filesystem, so
moves are renames). Only when every page rendered is anything published:
- a full build swaps the whole staged tree in with two renames;
- an incremental build sets the manifest aside (so that, if it is killed, the folder is
  not taken as current by the next build), renames each changed file into place, removes
  pages that no longer exist, and writes the new manifest last.
A failure before publishing deletes the staging folder and leaves the output untouched.

The last build's state names files (pages to remove, folders to write into), and it is not
trusted: nothing is ever removed or written outside the output folder or through a
symbolic link (see `generator.state`).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any

from generator.problems import ContentError, Problem
from generator.state import (
    CACHES,
    CONTENT,
    MANIFEST,
    REPORT,
    STATE_DIR,
    Manifest,
    dump,
    real_dir,
    safe_relative,
    write_atomic,
)

_SET_ASIDE = MANIFEST + ".publishing"


class OutputError(ContentError):
    """The output folder cannot be written (disk full, read-only, another build running).
    The user's to fix, like a content problem (so `serve` shows it as one); the CLI prints
    it as its one line."""

    def __init__(self, out: str, message: str) -> None:
        super().__init__([Problem(out, 1, 1, "", message)])
        self.args = (out, message)  # so that it crosses from a worker process intact
        self.message = message

    def __str__(self) -> str:
        return self.message


def cannot_write(shown: str, what: str, exc: OSError, *, changed: bool = False) -> OutputError:
    reason = exc.strerror or str(exc)
    if changed:
        return OutputError(
            shown, f"Could not write {what}: {reason}; {shown} is incomplete: build again."
        )
    return OutputError(shown, f"Could not write {what}: {reason}; {shown} was not changed.")


def leftovers(out: Path, role: str, pid: int) -> list[Path]:
    """The `role` folders ("staging", "old") that the build of process `pid` made beside
    `out` (named by `Output._new_sibling`): what a killed build leaves behind."""
    prefix = f".{out.name}.{role}-{pid}"
    try:
        names = os.listdir(out.parent)
    except OSError:
        return []
    return [out.with_name(n) for n in names if n == prefix or n.startswith(prefix + "-")]


class Output:
    """The output folder and its staging twin for one build. Made under the output lock
    (`generator.lock`): it clears what killed builds left beside the folder."""

    def __init__(self, out: Path, *, clean: bool, shown: str | None = None) -> None:
        self.out = out.resolve()
        self.shown = shown or str(out)
        self.warnings: list[str] = []
        self._refuse_foreign_folder()
        self._sweep_leftovers()
        self.old = None if clean else self._read_manifest()
        self.full = self.old is None
        self._out_str = str(self.out)
        try:
            self.staging = self._new_sibling("staging", make=True)
            self._root = os.open(self.staging, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as exc:
            raise cannot_write(self.shown, f"beside {self.shown}", exc) from None
        self._dirs: set[str] = set()
        self._checked: dict[str, bool] = {}  # output folders found to be real folders

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

    def _new_sibling(self, role: str, *, make: bool) -> Path:
        """`.site.staging-<pid>-<random>`: unique across processes, hosts and restarts."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        while True:
            path = self.out.with_name(
                f".{self.out.name}.{role}-{os.getpid()}-{secrets.token_hex(4)}"
            )
            if not make:
                if not os.path.lexists(path):
                    return path
                continue
            try:
                path.mkdir()
            except FileExistsError:
                continue
            return path

    def _sweep_leftovers(self) -> None:
        """Staging and old folders of builds that were killed. Only ever called under the
        output lock, so no running build owns one."""
        prefixes = (f".{self.out.name}.staging-", f".{self.out.name}.old-")
        try:
            entries = list(os.scandir(self.out.parent))
        except OSError:
            return
        for entry in entries:
            if not entry.name.startswith(prefixes):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:  # not ours, but in our names' way: the link goes, not what it points at
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)

    def _read_manifest(self) -> Manifest | None:
        """The last build's manifest, when the folder it describes can be trusted to be
        updated in place; otherwise None, and the whole site is built and swapped in."""
        if not self.out.is_dir():
            return None
        state = self.out / STATE_DIR
        try:
            odd = [e.name for e in os.scandir(self.out) if e.is_symlink()]
            if real_dir(state):
                odd += [f"{STATE_DIR}/{e.name}" for e in os.scandir(state) if not _fits(e)]
        except OSError:
            return None
        if odd:
            self.warnings.append(
                f"{self.shown}/{odd[0]} is not what versus writes there (a symbolic link, "
                "or a file for a folder); rebuilt every page"
            )
            return None
        if not real_dir(state):
            return None
        return Manifest.read(state, f"{self.shown}/{STATE_DIR}/{MANIFEST}", self.warnings.append)

    def unchanged(self, path: str, fingerprint: str) -> bool:
        """True when the published page is current (and still on disk)."""
        if self.old is None or self.old.pages.get(path) != fingerprint:
            return False
        return os.path.isfile(os.path.join(self._out_str, path))

    def exists(self, path: str) -> bool:
        """Whether the published output has `path` (a page the last build may have made)."""
        return safe_relative(path) and os.path.lexists(self.out / path)

    def write(self, path: str, data: bytes) -> None:
        """Stage one file. Called from worker processes too: touches only the staging tree,
        through a handle on it, so a worker that outlives a killed build cannot make a
        staging folder appear again after the next build cleared it."""
        parent = path.rpartition("/")[0]
        try:
            if parent and parent not in self._dirs:
                self._makedirs(parent)
                self._dirs.add(parent)
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
            fd = os.open(path, flags, 0o644, dir_fd=self._root)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
        except OSError as exc:
            raise cannot_write(self.shown, f"{self.shown}/{path}", exc) from None

    def _makedirs(self, parent: str) -> None:
        parts = parent.split("/")
        for i in range(1, len(parts) + 1):
            with contextlib.suppress(FileExistsError):
                os.mkdir("/".join(parts[:i]), dir_fd=self._root)

    def discard(self) -> None:
        if self._root >= 0:
            os.close(self._root)
            self._root = -1
        shutil.rmtree(self.staging, ignore_errors=True)

    def publish(
        self,
        removed: list[str],
        manifest: Manifest,
        report: dict[str, object],
        caches: dict[str, Any] | None,
        on_disk: dict[str, set[str]] | None = None,
    ) -> int:
        """Make the staged build live. Returns how many stale pages were removed.

        `caches`: per-tool caches to write (absent: the old ones hold); `on_disk`: the keys
        of each that were read back intact, so they need not be written again."""
        if self.full:
            self._publish_full(manifest, report, caches)
            return 0
        state = self.out / STATE_DIR
        try:
            os.replace(state / MANIFEST, state / _SET_ASIDE)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise cannot_write(self.shown, self.shown, exc) from None
        moved = count = 0
        try:
            moved = self._move_staged()
            for path in removed:
                count += self._remove(path)
        except OSError as exc:
            if moved == count == 0 and self._restore_manifest(state):
                raise cannot_write(self.shown, self.shown, exc) from None
            raise cannot_write(self.shown, self.shown, exc, changed=True) from None
        try:
            self._write_state(state, manifest, report, caches, on_disk or {})
            (state / _SET_ASIDE).unlink(missing_ok=True)
        except OSError as exc:
            raise cannot_write(self.shown, self.shown, exc, changed=True) from None
        self.discard()
        return count

    @staticmethod
    def _restore_manifest(state: Path) -> bool:
        try:
            os.replace(state / _SET_ASIDE, state / MANIFEST)
        except OSError:
            return False
        return True

    def _publish_full(
        self, manifest: Manifest, report: dict[str, object], caches: dict[str, Any] | None
    ) -> None:
        try:
            self._write_state(self.staging / STATE_DIR, manifest, report, caches, {})
            old = None
            if os.path.lexists(self.out):
                old = self._new_sibling("old", make=False)
                os.replace(self.out, old)
            try:
                os.replace(self.staging, self.out)
            except OSError:
                if old is not None:
                    os.replace(old, self.out)
                raise
        except OSError as exc:
            raise cannot_write(self.shown, self.shown, exc) from None
        os.close(self._root)
        self._root = -1
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _move_staged(self) -> int:
        """Rename every staged file into the output folder; returns how many."""
        staging, count = str(self.staging), 0
        for folder, _, files in os.walk(staging):
            rel = os.path.relpath(folder, staging)
            rel = "" if rel == "." else rel.replace(os.sep, "/")
            if rel == STATE_DIR or rel.startswith(STATE_DIR + "/"):
                continue
            dest = self._real_folder(rel) if files else None
            for name in files:
                os.replace(os.path.join(folder, name), os.path.join(dest or self._out_str, name))
                count += 1
        return count

    def _real_folder(self, rel: str) -> str:
        """`out/rel`, made a real folder: a symbolic link (or a file) in the way is removed
        rather than written through."""
        path = self.out
        done = ""
        for part in rel.split("/") if rel else []:
            done = f"{done}/{part}" if done else part
            path = path / part
            if self._checked.get(done):
                continue
            if os.path.islink(path) or (path.exists() and not path.is_dir()):
                self.warnings.append(
                    f"{self.shown}/{done} was not a folder; replaced it with the built one"
                )
                path.unlink()
            if not real_dir(path):
                path.mkdir()
            self._checked[done] = True
        return str(path)

    def _remove(self, path: str) -> int:
        """Remove a page the last build made, never outside the output folder."""
        if not safe_relative(path):
            self.warnings.append(f"did not remove {path!r}: not a path inside {self.shown}")
            return 0
        parts = path.split("/")
        folder, done = self.out, ""
        for part in parts[:-1]:
            done = f"{done}/{part}" if done else part
            folder = folder / part
            known = self._checked.get(done)
            if known is None:
                known = self._checked[done] = real_dir(folder)
                if not known and os.path.islink(folder):
                    self.warnings.append(
                        f"{self.shown}/{done} is a symbolic link; removed nothing through it"
                    )
            if not known:
                return 0
        target = folder / parts[-1]
        try:
            target.unlink()
        except (FileNotFoundError, IsADirectoryError):
            return 0
        while folder != self.out:
            try:
                folder.rmdir()  # only succeeds once empty
            except OSError:
                break
            self._checked.pop(str(folder.relative_to(self.out)), None)
            folder = folder.parent
        return 1

    def _write_state(
        self,
        state: Path,
        manifest: Manifest,
        report: dict[str, object],
        caches: dict[str, Any] | None,
        on_disk: dict[str, set[str]],
    ) -> None:
        state.mkdir(exist_ok=True)
        for name, cache in (caches or {}).items():  # absent: nothing changed, old caches hold
            if isinstance(cache, bytes):
                write_atomic(state / name, cache)
                continue
            folder = state / name
            folder.mkdir(exist_ok=True)
            intact = on_disk.get(name, set())
            for key, value in cache.items():
                if key not in intact:  # entries are keyed by content: intact means current
                    write_atomic(folder / f"{key}.json", dump(value))
            _remove_all_but(folder, {f"{key}.json" for key in cache})
        write_atomic(state / MANIFEST, manifest.to_bytes())
        write_atomic(state / REPORT, (json.dumps(report, indent=2) + "\n").encode())
        # Whatever else is here is not ours to trust (or a torn file of a killed build).
        _remove_all_but(state, {MANIFEST, REPORT, CONTENT, _SET_ASIDE, *CACHES})


def _fits(entry: os.DirEntry[str]) -> bool:
    """An entry of the state folder is of the kind we write under its name (anything
    else there is removed at the end of the build)."""
    if entry.name in CACHES:
        return entry.is_dir(follow_symlinks=False)
    if entry.name in (MANIFEST, REPORT, CONTENT, _SET_ASIDE):
        return entry.is_file(follow_symlinks=False)
    return True


def _remove_all_but(folder: Path, keep: set[str]) -> None:
    """Remove the other entries of one of our folders (never following a link)."""
    for name in set(os.listdir(folder)) - keep:
        entry = folder / name
        if real_dir(entry):
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
