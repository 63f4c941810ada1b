"""Read the content folder into plain Python values, keeping where every key and value sits.

PyYAML's `safe_load` forgets line numbers and silently keeps the last of two duplicate keys,
so we compose the node tree ourselves: it lets every later error point at a line and column,
and it lets us refuse duplicate keys.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.aliases import ALIAS_LIMIT, alias_mark
from generator.folder import not_regular, tool_entries
from generator.problems import Problem

Loc = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based line and column

_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """One YAML file read into Python data, with marks for every path inside it."""

    path: Path
    display: str
    data: Any
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    value_marks: dict[Loc, Mark] = field(default_factory=dict)
    # Values the load stage already reported (an impossible date...): validation does not
    # report them a second time.
    reported: set[Loc] = field(default_factory=set)

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


class _Refused(Exception):
    """The file cannot be turned into data at all: stop building it, report one problem."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc, self.message = loc, message


class _Builder:
    """Turns a composed node tree into Python data, recording marks and duplicate keys.

    Composing shares one node object between an anchor and its aliases, so a few hundred
    bytes of nested aliases ("billion laughs") compose instantly and explode only when
    turned into data. Values built again through an alias are counted, and building stops
    past ALIAS_LIMIT, so memory and time stay bounded whatever the file says. Merge keys
    (`<<: *a`) are resolved here too, through the same count, instead of by PyYAML's
    flatten_mapping, which copies merged pairs before anything could count them.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.constructor = yaml.constructor.SafeConstructor()
        self.problems: list[Problem] = []
        self.seen: set[int] = set()  # nodes built once: meeting one again means an alias
        self.open: set[int] = set()  # collections being built: meeting one is a cycle
        self.aliased = 0  # depth of alias expansions we are inside
        self.alias_at: Loc = ()  # where the outermost alias being expanded stands
        self.expanded = 0  # values built through aliases so far

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.doc.value_marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        key = id(node)
        again = key in self.seen
        if key in self.open:
            raise _Refused(loc, "YAML alias refers to the value that contains it")
        self.seen.add(key)
        if again and not self.aliased:
            self.alias_at = loc
        self.aliased += again
        try:
            self._count()
            if isinstance(node, yaml.MappingNode):
                self.open.add(key)
                return self._mapping(node, loc)
            if isinstance(node, yaml.SequenceNode):
                self.open.add(key)
                return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
            if node.tag == _STR_TAG:  # most scalars: skip the generic constructor
                return node.value
            return self._scalar(node, loc)
        finally:
            self.open.discard(key)
            self.aliased -= again

    def _count(self) -> None:
        if self.aliased:
            self.expanded += 1
            if self.expanded > ALIAS_LIMIT:
                raise _Refused(
                    self.alias_at,
                    f"YAML aliases expand to too many values (over {ALIAS_LIMIT:,}); "
                    "aliases are not needed in content files",
                )

    def _scalar(self, node: yaml.Node, loc: Loc, *, key: bool = False) -> Any:
        """A typed scalar (number, date, boolean...). PyYAML raises plain ValueErrors for
        an impossible date or an integer of thousands of digits: report them here."""
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:
            self.constructor.recursive_objects.pop(node, None)  # left behind by the raise
            if node.tag == _TIMESTAMP_TAG:
                message = f"expected a real date (YYYY-MM-DD); got {node.value}"
            elif node.tag == _INT_TAG:
                digits = sum(c.isdigit() for c in node.value)
                message = (
                    f"expected a number of at most {sys.get_int_max_str_digits()} digits; "
                    f"got {digits} digits"
                )
            else:
                message = f"expected a value YAML can read; got {node.value[:60]}"
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            self.problems.append(Problem(self.doc.display, line, col, dotted(loc), message))
            if not key:
                self.doc.reported.add(loc)
            return node.value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        merges: list[tuple[list[dict[Any, Any]], Mark]] = []
        for key_node, value_node in node.value:
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.tag == _MERGE_TAG:
                self._count()
                merged = self._merge(value_node, (*loc, "<<"), (line, col))
                if merged is not None:
                    merges.append((merged, (line, col)))
                continue
            self._count()
            if key_node.tag == _STR_TAG:
                key = key_node.value
            elif isinstance(key_node, yaml.ScalarNode):
                key = self._scalar(key_node, loc, key=True)
            else:
                key = key_node  # a list or mapping as a key: not built, never a plain key
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
        # Keys written in the mapping win over merged ones; earlier merged mappings win
        # over later ones (YAML's merge-key rules).
        for sources, mark in merges:
            for source in sources:
                for key, value in source.items():
                    if key not in result:
                        result[key] = value
                        self.doc.key_marks.setdefault((*loc, str(key)), mark)
        return result

    def _merge(self, node: yaml.Node, loc: Loc, mark: Mark) -> list[dict[Any, Any]] | None:
        value = self.build(node, loc)
        sources = value if isinstance(value, list) else [value]
        if all(isinstance(s, dict) for s in sources):
            return sources
        self.problems.append(
            Problem(
                self.doc.display,
                *mark,
                dotted(loc),
                "expected a mapping (or a list of mappings) to merge after <<",
            )
        )
        return None


def dotted(loc: Loc) -> str:
    """`('capabilities', 2, 'title')` -> `capabilities[2].title`, as users read paths."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_document(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file. Returns the document (None if unreadable) and its problems."""
    why = not_regular(path)
    if why:
        return None, [Problem(display, 1, 1, "", why)]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")]
    return parse_document(raw, path, display)


def parse_document(raw: bytes, path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """The bytes of one YAML file as data. Returns the document (None if unusable) and its
    problems."""
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
    except _Refused as exc:
        line, col = alias_mark(text, _Loader) or doc.value_marks.get(exc.loc, (1, 1))
        return None, [Problem(display, line, col, dotted(exc.loc), exc.message)]
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
    if site_path.exists() or site_path.is_symlink():
        site = read(site_path)
    else:
        problems.append(
            Problem(display(site_path), 1, 1, "", "missing site file; create site.yaml")
        )
    tools: dict[str, Document] = {}
    tool_dir = root / "tools"
    paths, slugs, found = tool_entries(tool_dir, display)
    problems.extend(found)
    if not slugs:
        problems.append(
            Problem(display(tool_dir), 1, 1, "", "no tool files; add tools/<slug>.yaml")
        )
    for slug, p in paths.items():
        try:
            data = p.read_bytes()
        except OSError as exc:
            problems.append(
                Problem(display(p), 1, 1, "", f"cannot read the file: {exc.strerror or exc}")
            )
            continue
        digests[slug] = file_digest(data)
        if slug in known and known[slug][0] == digests[slug]:
            unchanged[slug] = known[slug]
            continue
        doc, found = parse_document(data, p, display(p))
        problems.extend(found)
        if doc is not None:
            tools[slug] = doc
    matches_path = root / "matches.yaml"
    exists = matches_path.exists() or matches_path.is_symlink()
    matches = read(matches_path) if exists else None
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
