"""Writing refreshed figures into a tool file: in place, nothing else touched.

ruamel.yaml's round-trip mode keeps comments, key order, quoting and block scalars, so the
file is edited as data and dumped again, with the indentation guessed from the file itself.
As a guard, everything outside the top-level `evidence` block must come out byte for byte
as it was; if the dump would change anything there, the file is left alone and the tool is
reported (edit it by hand), rather than reformatted.

Replace or append: a reading replaces the figure it would supersede anyway (same metric
and context, see generator/evidence.py), so a weekly refresh updates one figure per counter
instead of adding 52 rows a year that all but one are "superseded". The history lives in
version control. Only when no such figure exists is a new one appended.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from generator.evidence import normalise
from generator.refresh_services import Reading

PROVENANCE = "independent"  # counted by the platform itself, a third party to the tool


class EditError(Exception):
    """The file cannot be edited without touching lines outside its evidence."""


@dataclass(frozen=True)
class Change:
    """One reading against the file: `old` is None for a new figure."""

    metric: str
    context: str
    old: float | None
    new: float
    jump: bool  # implausible: held back unless accepted

    @property
    def label(self) -> str:
        return f"{self.metric} [{self.context}]" if self.context else self.metric


JUMP_DOWN = 0.5  # a counter falling below half its last value
JUMP_UP = 10.0  # or growing tenfold between two refreshes is more likely an error


def implausible(old: float, new: float) -> bool:
    """Whether a change looks like an API hiccup (a repository renamed to an empty one, a
    counter reset) rather than the world: such figures are reported, not written."""
    if old <= 0:
        return False
    ratio = new / old
    return ratio < JUMP_DOWN or ratio > JUMP_UP


def _mapping_indent(text: str) -> int:
    """How far the file indents a nested mapping (`pricing:` then `  plan:`); 2 if none."""
    lines = text.splitlines()
    for line, after in zip(lines, lines[1:], strict=False):
        if line.rstrip().endswith(":") and not line.startswith((" ", "-", "#")):
            stripped = after.lstrip(" ")
            if stripped and not stripped.startswith(("-", "#")):
                return len(after) - len(stripped)
    return 2


def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000  # never re-wrap a line
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    y.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return y


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _find(evidence: list[Any], reading: Reading) -> int | None:
    """The figure this reading replaces: same metric and context, else a hand-typed one of
    the same counter (empty context, a source on the service's own site)."""
    figures = [(i, f) for i, f in enumerate(evidence) if isinstance(f, dict)]
    same = [i for i, f in figures if f.get("metric") == reading.metric]
    want = normalise(reading.context)
    for i in same:
        if normalise(str(evidence[i].get("context") or "")) == want:
            return i
    if reading.legacy_host:
        for i in same:
            f = evidence[i]
            if not str(f.get("context") or "").strip() and _host(str(f.get("source"))) in (
                reading.legacy_host,
                f"api.{reading.legacy_host}",
            ):
                return i
    return None


def _plain(reading: Reading) -> float | int:
    """Counts as whole numbers (27112, not 27112.0); prices as decimals."""
    value = float(reading.value)
    if value.is_integer() and not reading.metric.endswith("_price"):
        return int(value)
    return value


def _span(text: str, key: str) -> tuple[int, int] | None:
    """Lines [start, end) of a top-level block, from its key to the next top-level line."""
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t-"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def _outside(text: str, key: str) -> str:
    span = _span(text, key)
    if span is None:
        return text
    lines = text.splitlines(keepends=True)
    return "".join(lines[: span[0]] + lines[span[1] :])


def apply(
    text: str, readings: list[Reading], today: dt.date, accept_jumps: bool
) -> tuple[str, list[Change]]:
    """The file's new text and what changed (held-back jumps included, not applied)."""
    _, seq_indent, offset = load_yaml_guess_indent(text)
    y = _yaml(_mapping_indent(text), seq_indent or 4, offset if offset is not None else 2)
    data = y.load(text)
    if not isinstance(data, CommentedMap):
        raise EditError("the file is not a mapping of fields")
    evidence = data.get("evidence")
    if evidence is None:
        evidence = CommentedSeq()
        position = list(data).index("capabilities") if "capabilities" in data else len(data)
        data.insert(position, "evidence", evidence)
    if not isinstance(evidence, CommentedSeq):
        raise EditError("evidence is not a list")
    changes: list[Change] = []
    for reading in readings:
        at = _find(evidence, reading)
        # Fresh date objects: ruamel would write one object used twice as an anchor/alias.
        observed = dt.date.fromordinal((reading.observed or today).toordinal())
        retrieved = dt.date.fromordinal(today.toordinal())
        old = evidence[at].get("value") if at is not None else None
        old_value = float(old) if isinstance(old, int | float) else None
        jump = old_value is not None and implausible(old_value, reading.value)
        changes.append(Change(reading.metric, reading.context, old_value, reading.value, jump))
        if jump and not accept_jumps:
            continue
        value = _plain(reading)
        if at is None:
            figure = CommentedMap()
            figure["metric"] = reading.metric
            figure["value"] = value
            figure["source"] = reading.source
            figure["observed"] = observed
            figure["retrieved"] = retrieved
            if reading.context:
                figure["context"] = reading.context
            figure["provenance"] = PROVENANCE
            if reading.note:
                figure["note"] = reading.note
            evidence.append(figure)
            continue
        figure = evidence[at]
        same_source = figure.get("source") == reading.source
        figure["value"] = value
        figure["source"] = reading.source
        figure["observed"] = observed
        figure["retrieved"] = retrieved
        if reading.context or "context" in figure:
            figure["context"] = reading.context
        figure["provenance"] = PROVENANCE
        if reading.note:
            figure["note"] = reading.note
        elif not same_source and "note" in figure:
            del figure["note"]  # it described the old source's figure
    out = io.StringIO()
    y.dump(data, out)
    new = out.getvalue()
    if _outside(new, "evidence") != _outside(text, "evidence"):
        raise EditError(
            "cannot write the figures without reformatting lines outside evidence; "
            "edit the file by hand"
        )
    return new, changes


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` by renaming a complete temporary file over it: an interrupted run
    (Ctrl-C, a kill, a full disk) leaves the old file or the new one, never half of one.
    A symbolic link is followed, so the file it points to is the one replaced."""
    target = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
