"""Read the content folder into plain Python values, keeping where every key and value sits.

PyYAML's `safe_load` forgets line numbers and silently keeps the last of two duplicate keys,
so we compose the node tree ourselves: it lets every later error point at a line and column,
and it lets us refuse duplicate keys.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem

Loc = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based line and column

_STR_TAG = "tag:yaml.org,2002:str"
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """One YAML file read into Python data, with marks for every path inside it."""

    path: Path
    display: str
    data: Any
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    value_marks: dict[Loc, Mark] = field(default_factory=dict)

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Best mark for `loc`: the key or value itself, else the nearest enclosing one."""
        table = self.key_marks if key else self.value_marks
        probe = tuple(loc)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.key_marks:
                return self.key_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), (1, 1))


@dataclass
class RawContent:
    """Everything read from a content folder, before validation."""

    root: Path
    site: Document | None
    tools: dict[str, Document]
    tool_slugs: list[str]  # every tool file, readable or not, so references to it resolve
    # Tools whose file is byte for byte as in the last good build: (file digest, model)
    # taken from the build cache instead of being parsed and validated again.
    unchanged: dict[str, tuple[str, Any]]
    digests: dict[str, str]  # slug -> digest of every tool file read
    matches: Document | None
    problems: list[Problem]


class _Builder:
    """Turns a composed node tree into Python data, recording marks and duplicate keys."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.constructor = yaml.constructor.SafeConstructor()
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.doc.value_marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:  # most scalars: skip the generic constructor
            return node.value
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        self.constructor.flatten_mapping(node)
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STR_TAG:
                key = key_node.value
            else:
                key = self.constructor.construct_object(key_node, deep=True)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key, str | int | float | bool) and key is not None:
                self.problems.append(
                    Problem(self.doc.display, line, col, dotted(loc), "expected a plain key")
                )
                continue
            if key in first_seen:
                self.problems.append(
                    Problem(
                        self.doc.display,
                        line,
                        col,
                        dotted(loc),
                        f'duplicate key "{key}" (first at line {first_seen[key]})',
                    )
                )
                continue
            first_seen[key] = line
            child = (*loc, key if isinstance(key, str) else str(key))
            self.doc.key_marks[child] = (line, col)
            result[key] = self.build(value_node, child)
        return result


def dotted(loc: Loc) -> str:
    """`('capabilities', 2, 'title')` -> `capabilities[2].title`, as users read paths."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_document(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file. Returns the document (None if unreadable) and its problems."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                display,
                line,
                col,
                "",
                f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            )
        ]
    doc = Document(path=path, display=display, data=None)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        if exc.context_mark is not None and exc.context_mark is not mark:
            context += f" started at line {exc.context_mark.line + 1}"
        return None, [Problem(display, line, col, "", f"YAML syntax error: {what}{context}")]
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
        return None, [Problem(display, 1, 1, "", f"YAML error: {exc}")]
    if node is None:
        return None, [Problem(display, 1, 1, "", "file is empty; expected a YAML mapping")]
    builder = _Builder(doc)
    try:
        doc.data = builder.build(node, ())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(display, line, col, "", f"YAML error: {exc.problem}")]
    except RecursionError:
        return None, [Problem(display, 1, 1, "", "YAML nesting is too deep")]
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__
        builder.problems.append(
            Problem(display, 1, 1, "", f"expected a YAML mapping of fields; got a {kind}")
        )
        return None, builder.problems
    return doc, builder.problems


def display(p: Path) -> str:
    """How messages name a file: relative to the working folder when inside it."""
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_content(root: Path, known: dict[str, tuple[str, Any]] | None = None) -> RawContent:
    """Read site.yaml, tools/*.yaml and matches.yaml under `root`; collect every problem.

    `known` maps slugs to (file digest, validated model) from the last good build: a tool
    file whose bytes still have that digest is not parsed again."""
    problems: list[Problem] = []
    known = known or {}
    unchanged: dict[str, tuple[str, Any]] = {}
    digests: dict[str, str] = {}

    def read(p: Path) -> Document | None:
        doc, found = read_document(p, display(p))
        problems.extend(found)
        return doc

    site_path = root / "site.yaml"
    site = None
    if site_path.is_file():
        site = read(site_path)
    else:
        problems.append(
            Problem(display(site_path), 1, 1, "", "missing site file; create site.yaml")
        )
    tools: dict[str, Document] = {}
    tool_dir = root / "tools"
    paths = sorted(tool_dir.glob("*.yaml")) + sorted(tool_dir.glob("*.yml"))
    if not paths:
        problems.append(
            Problem(display(tool_dir), 1, 1, "", "no tool files; add tools/<slug>.yaml")
        )
    for p in sorted(paths):
        if p.stem in known:
            digest = file_digest(p.read_bytes())
            digests[p.stem] = digest
            if known[p.stem][0] == digest:
                unchanged[p.stem] = known[p.stem]
                continue
        doc = read(p)
        if doc is not None:
            tools[p.stem] = doc
            digests.setdefault(p.stem, file_digest(p.read_bytes()))
    matches_path = root / "matches.yaml"
    matches = read(matches_path) if matches_path.is_file() else None
    slugs = sorted(p.stem for p in paths)
    return RawContent(
        root=root,
        site=site,
        tools=tools,
        tool_slugs=slugs,
        unchanged=unchanged,
        digests=digests,
        matches=matches,
        problems=problems,
    )
