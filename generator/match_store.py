"""Editing `matches.yaml` for `versus import`: replace what an earlier import of the same
source and period wrote, add the new entries, and leave every other byte alone.

An imported entry carries `imported: <date>`; a hand-written one does not, so it is never
removed or rewritten, whatever its source and period. The file is edited with a round-trip
YAML editor, which keeps comments, quoting and folded text, and only once a plain reload of
the untouched file reproduces it exactly: a layout the editor would rewrite is refused
rather than changed. The new text is written beside the file and renamed over it, so a
reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from generator.problems import ContentError, Problem

# (mapping, sequence, offset): "  - tools:" under "matches:", then "- tools:" flush with it.
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0))
NEW_FILE = "matches:\n"


@dataclass(frozen=True)
class Entry:
    """One counted pair to write."""

    a: str
    b: str
    count: int
    what: str
    source: str
    period: str


@dataclass(frozen=True)
class Update:
    """The file before and after, and what changed."""

    old_text: str
    new_text: str
    removed: int  # earlier imported entries of the same sources and periods
    added: int
    kept: int  # every other entry, hand-written or from other imports

    def diff(self, shown: str) -> str:
        lines = difflib.unified_diff(
            self.old_text.splitlines(keepends=True),
            self.new_text.splitlines(keepends=True),
            fromfile=f"{shown} (now)",
            tofile=f"{shown} (after import)",
        )
        return "".join(lines)


def _editor(layout: tuple[int, int, int]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line that was not folded
    yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _load(text: str, shown: str) -> tuple[YAML, Any]:
    """The document and an editor that writes it back byte for byte."""
    for layout in _LAYOUTS:
        yaml = _editor(layout)
        try:
            data = yaml.load(text)
        except YAMLError as exc:  # validation read it; the round-trip reader may differ
            raise ContentError([Problem(shown, 1, 1, "", f"cannot edit the file: {exc}")]) from None
        if data is not None and _dump(yaml, data) == text:
            return yaml, data
    message = (
        "cannot add imported entries without rewriting hand-written ones (an unusual layout); "
        'indent entries as "  - tools: [a, b]" under "matches:" and import again'
    )
    raise ContentError([Problem(shown, 1, 1, "", message)])


def _is_replaced(item: Any, groups: set[tuple[str, str]]) -> bool:
    return (
        isinstance(item, dict)
        and item.get("imported") is not None
        and (str(item.get("source")), str(item.get("period"))) in groups
    )


def _entry(e: Entry, today: dt.date) -> CommentedMap:
    tools = CommentedSeq(sorted((e.a, e.b)))
    tools.fa.set_flow_style()
    item = CommentedMap()
    for k, v in (
        ("tools", tools),
        ("count", e.count),
        ("what", e.what),
        ("source", e.source),
        ("period", e.period),
        ("imported", dt.date.fromordinal(today.toordinal())),  # shared, it gets an anchor
    ):
        item[k] = v
    return item


def update(text: str | None, entries: list[Entry], today: dt.date, shown: str) -> Update:
    """The file with the imported entries of `entries`' sources and periods replaced."""
    groups = {(e.source, e.period) for e in entries}
    old = text or ""
    prefix = ""
    if not old.strip() or _editor(_LAYOUTS[0]).load(old) is None:
        prefix, old = old, NEW_FILE  # no document yet (or only comments): start one
    yaml, data = _load(old, shown)
    if not isinstance(data, dict) or not isinstance(data.get("matches") or [], list):
        raise ContentError([Problem(shown, 1, 1, "matches", "expected a list of matches")])
    if not data.get("matches"):  # absent, null or [] (flow style): a block list
        data["matches"] = CommentedSeq()
    items: CommentedSeq = data["matches"]
    at = [i for i, item in enumerate(items) if _is_replaced(item, groups)]
    for i in reversed(at):
        del items[i]
    where = at[0] if at else len(items)  # where the earlier import stood, else at the end
    for offset, e in enumerate(entries):
        items.insert(where + offset, _entry(e, today))
    new = prefix + _dump(yaml, data)
    return Update(text or "", new, len(at), len(entries), len(items) - len(entries))


def write_atomic(path: Path, text: str) -> None:
    """Write beside `path`, flush to disk, then rename over it (keeping its mode)."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
