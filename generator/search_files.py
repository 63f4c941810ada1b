"""Pagefind's output made reproducible: the same pages always give the same index files.

Pagefind writes each filter's values, and the list of filters in its metadata file, in the
order of a randomly seeded hash map, so two runs over the same pages differ (and so do the
file names, which are hashes of the content). Everything else it writes is stable. This
module sorts those two lists and renames the files after their new content, so that an
incremental build and a clean build publish the same bytes, and an unchanged index is not
re-uploaded. The files are gzip-compressed CBOR after a 12-byte signature; the few CBOR
types Pagefind writes are read and written here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise ValueError("integer too large")


def encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        return bytes([0xF5 if value is True else 0xF4 if value is False else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode()
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        items = b"".join(encode(k) + encode(v) for k, v in value.items())
        return _head(5, len(value)) + items
    raise ValueError(f"cannot encode {type(value).__name__}")


def decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    first = data[at]
    major, info = first >> 5, first & 31
    at += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise ValueError("indefinite lengths are not written by Pagefind")
    if major == 0:
        return n, at
    if major == 1:
        return -1 - n, at
    if major in (2, 3):
        raw = data[at : at + n]
        return (raw if major == 2 else raw.decode()), at + n
    if major == 4:
        items = []
        for _ in range(n):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(n):
            key, at = decode(data, at)
            mapping[key], at = decode(data, at)
        return mapping, at
    if major == 7:
        return {20: False, 21: True, 22: None}[info], at
    raise ValueError(f"unexpected CBOR major type {major}")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind file")
    return decode(data, len(SIGNATURE))[0]


def _write(folder: Path, stem: str, suffix: str, value: Any, digits: int) -> str:
    """Write `value` as `<stem>_<hash><suffix>` in `folder`; returns `<stem>_<hash>`."""
    data = SIGNATURE + encode(value)
    name = f"{stem}_{hashlib.blake2b(data, digest_size=8).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def canonicalise(index: Path) -> None:
    """Sort filter values and the metadata's filter list in the index folder `index`."""
    entry_path = index / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for lang, info in entry["languages"].items():
        meta_path = index / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        renamed: dict[str, str] = {}
        for path in sorted((index / "filter").glob(f"{lang}_*.pf_filter")):
            name, values = _read(path)
            values = sorted(values, key=lambda v: str(v[0]))
            renamed[path.stem] = _write(path.parent, lang, ".pf_filter", [name, values], 7)
            if renamed[path.stem] != path.stem:
                path.unlink()
        for i, part in enumerate(meta):
            is_filters = (
                isinstance(part, list)
                and part
                and all(isinstance(p, list) and len(p) == 2 and p[1] in renamed for p in part)
            )
            if is_filters:
                meta[i] = sorted([[p[0], renamed[p[1]]] for p in part], key=lambda p: str(p[0]))
        meta_path.unlink()
        new = _write(index, lang, ".pf_meta", meta, 10)
        (index / f"{new}.pf_meta").rename(index / f"pagefind.{new}.pf_meta")
        info["hash"] = new
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
