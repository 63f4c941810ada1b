"""The file-writing floor: the same number of files, same paths, same sizes, no rendering.

    python benchmarks/floor.py REF_DIR OUT_DIR [WORKERS]

Lists REF_DIR (a finished Versus build: every file's path and size), then writes each file
into OUT_DIR with `os.open` / `os.write` / `os.close` from WORKERS forked processes (default
2), taking the bytes from one pre-made buffer. Any generator that writes these files can be
at best this fast on this filesystem; benchmarks/run.py times this whole command.
"""

from __future__ import annotations

import os
import sys

FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC


def listing(ref: str) -> list[tuple[str, int]]:
    """(relative path, size) of every file under `ref`."""
    items: list[tuple[str, int]] = []
    for root, _, names in os.walk(ref):
        rel = os.path.relpath(root, ref)
        for name in names:
            path = name if rel == "." else os.path.join(rel, name)
            items.append((path, os.stat(os.path.join(root, name)).st_size))
    return items


def write_share(out: str, items: list[tuple[str, int]], blob: bytes) -> None:
    view = memoryview(blob)
    made: set[str] = set()
    for path, size in items:
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(os.path.join(out, parent), exist_ok=True)
            made.add(parent)
        fd = os.open(os.path.join(out, path), FLAGS, 0o644)
        try:
            os.write(fd, view[:size])
        finally:
            os.close(fd)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    ref, out = argv[0], argv[1]
    workers = int(argv[2]) if len(argv) == 3 else 2
    items = listing(ref)
    if not items:
        return 0
    blob = b"<p>" + b"x" * max(size for _, size in items)
    os.makedirs(out, exist_ok=True)
    if workers <= 1:
        write_share(out, items, blob)
        return 0
    pids = []
    for k in range(workers):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                write_share(out, items[k::workers], blob)
            except BaseException:
                code = 1
            os._exit(code)
        pids.append(pid)
    failed = 0
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        failed += os.waitstatus_to_exitcode(status) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
