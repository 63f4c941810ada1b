"""The ETag cache of `versus refresh`: response bodies kept with their ETags between runs.

It is plain JSON and not trusted (a CI cache, a copy from elsewhere): it is only ever read
as data, `{"version": 1, "entries": {url: {"etag": str, "body": str, "link": str}}}` (the
`Link` header is kept because a 304 does not repeat it, and counts are read from it); the
file's own path comes from the command line, never from its content, and a URL in it is
only a key that a request must match exactly, so nothing in it can choose where anything
is read or written.
A damaged, oversized or symbolic-link file is ignored (the run just sends no
`If-None-Match`), and it is replaced atomically, so an interrupted run leaves the old one.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

MAX_FILE = 64 * 1024 * 1024
MAX_ENTRIES = 20_000
VERSION = 1


class EtagCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, tuple[str, str, str]] = {}  # url -> etag, body, link
        self.lock = threading.Lock()
        self.changed = False
        self.problem: str | None = None  # why the file on disk was not used
        self._load()

    def _load(self) -> None:
        path = self.path
        if not path.exists() and not path.is_symlink():
            return
        try:
            if path.is_symlink() or not path.is_file():
                raise ValueError("not a regular file")
            if path.stat().st_size > MAX_FILE:
                raise ValueError("too large")
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != VERSION:
                raise ValueError("unknown format")
            entries = data.get("entries")
            if not isinstance(entries, dict):
                raise ValueError("unknown format")
            for url, entry in list(entries.items())[:MAX_ENTRIES]:
                if (
                    isinstance(url, str)
                    and isinstance(entry, dict)
                    and isinstance(entry.get("etag"), str)
                    and isinstance(entry.get("body"), str)
                    and isinstance(entry.get("link", ""), str)
                ):
                    self.entries[url] = (entry["etag"], entry["body"], entry.get("link", ""))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            self.entries = {}
            self.problem = f"ignored the ETag cache {path}: {exc}"

    def get(self, url: str) -> tuple[str, str, str] | None:
        with self.lock:
            return self.entries.get(url)

    def put(self, url: str, etag: str, body: str, link: str = "") -> None:
        with self.lock:
            if self.entries.get(url) != (etag, body, link):
                self.entries[url] = (etag, body, link)
                self.changed = True

    def save(self) -> None:
        """Atomically replace the file (a temporary file beside it, then rename)."""
        if not self.changed:
            return
        with self.lock:
            items = list(self.entries.items())[-MAX_ENTRIES:]
            data = {
                "version": VERSION,
                "entries": {
                    url: {"etag": e, "body": b, "link": link} for url, (e, b, link) in items
                },
            }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.is_symlink():
            self.path.unlink()
        fd, tmp = tempfile.mkstemp(prefix=".etags-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
