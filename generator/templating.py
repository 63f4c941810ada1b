"""The Jinja2 side of rendering: the environment over a site's template search path,
loading and error locations, the `once` memo, and what each page kind's templates are made
of (the fingerprints that tell a build which pages a template edit touches).
"""

from __future__ import annotations

import hashlib
import re
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
)
from markupsafe import Markup

from generator.bundled import find_template, search_path
from generator.problems import TemplateProblem

PAGE_TEMPLATES = {
    "home": "home.html",
    "compare-index": "compare_index.html",
    "methodology": "methodology.html",
    "search": "search.html",
    "404": "404.html",
    "category": "category.html",
    "tool": "tool.html",
    "alternatives": "alternatives.html",
    "compare": "compare.html",
}
# Templates rendered per tool (not per page) whose output pages of each kind embed.
_PER_TOOL = ["fragments/capabilities.html", "fragments/parts.html"]
FRAGMENTS = {kind: _PER_TOOL for kind in PAGE_TEMPLATES}


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process, checked against each template's
    source checksum by Jinja: `serve` and the tests make many renderers over the same
    templates, and compiling them is most of a small build's cost."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Any) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


class _Template(Template):
    """A template whose `{% from ... import %}` reuses the imported module without first
    comparing the page's globals with the imported template's through a ChainMap key view
    (which costs more than the rest of a small page). The comparison only decides whether
    the importing page has globals the imported template lacks; every template here shares
    one environment's globals, so that is known once per template, and Jinja's own path is
    taken whenever it is not so."""

    def _get_default_module(self, ctx: Any = None) -> Any:
        if ctx is not None:
            own = self.__dict__.get("_own_globals")
            if own is None:
                own = self.__dict__["_own_globals"] = frozenset(self.globals)
            if not ctx.globals_keys <= own:
                return super()._get_default_module(ctx)
        return super()._get_default_module(None)


_REFERENCE_TAG = re.compile(
    r"{%-?\s*(?:extends|include|import|from)\s+(.+?)"
    r"(?:\s+(?:import|as|ignore|with|without)\b.*?)?\s*-?%}",
    re.S,
)
_LITERAL = re.compile(r"""(["'])([^"']+)\1""")


class Once:
    """`once(macro, *args)` in a template: the macro's output, made the first time it is asked
    for with those arguments and reused for the rest of the build.

    A comparison page shows, for each of its tools, pieces that do not depend on the other
    tool (its card, its sources, its related-links frame); made once per tool instead of once
    per page, they cost O(tools) instead of O(pairs). Only for macros whose output depends on
    their arguments and the site's globals alone: a macro reading the page's own variables
    would be reused on pages it does not fit. Tool views are known by slug, plain values by
    value, objects that give a `once_key` (a tool view: its slug) by that;
    other objects by identity (kept alive here, so an identity is never reused)."""

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], Markup] = {}
        self._pinned: list[object] = []

    def __call__(self, macro: Any, *args: Any) -> Markup:
        code = getattr(getattr(macro, "_func", None), "__code__", None) or macro.name
        objects: list[object] = []
        key = (code, *[self._key(a, objects) for a in args])
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = Markup(macro(*args))
            self._pinned += objects
        return made

    def _key(self, arg: Any, objects: list[object]) -> Any:
        if arg is None or isinstance(arg, str | int | float | bool):
            return ("value", arg)
        # Looked up on the class: asking a Pydantic model for a missing attribute is slow.
        own = getattr(type(arg), "once_key", None)
        if isinstance(own, property):
            return ("own", own.__get__(arg))
        if isinstance(arg, list | tuple):
            return ("seq", tuple(self._key(a, objects) for a in arg))
        objects.append(arg)
        return ("id", id(arg))


class _Environment(Environment):
    """An environment whose templates hold their globals as one plain dict.

    Jinja chains a template's globals onto the environment's (a ChainMap), and every render
    flattens that chain into the page's context in Python: about 40 microseconds a render,
    more than the rest of a small page. Here every global is set before the first template
    is loaded and never changed, so a copy made once per template is the same map."""

    def make_globals(self, d: Mapping[str, Any] | None) -> Any:
        return {**self.globals, **(d or {})}


class Templates:
    """The templates of one site: the site's folder first, then the bundled theme (an
    override folder holds only the templates it changes). Compiled on first use, so a
    build with nothing to render compiles none."""

    def __init__(
        self, templates: Path, filters: Mapping[str, Any], globals: Mapping[str, Any]
    ) -> None:
        self.shown = templates
        self.folders = search_path(templates)
        self.env = _Environment(
            loader=FileSystemLoader([str(f) for f in self.folders]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
            bytecode_cache=_BYTECODE,
        )
        self.env.template_class = _Template
        self.env.filters.update(filters)
        self.env.globals.update(globals)  # all of them, before any template is loaded
        self._pages: dict[str, Any] = {}
        self._refs: dict[str, list[str]] = {}

    def page(self, kind: str) -> Any:
        """The compiled template of a page kind."""
        template = self._pages.get(kind)
        if template is None:
            template = self._pages[kind] = self.load(PAGE_TEMPLATES[kind])
        return template

    def load(self, name: str) -> Any:
        try:
            return self.env.get_template(name)
        except TemplateSyntaxError as exc:
            where: object = exc.filename or name
            raise TemplateProblem(f"{where}:{exc.lineno}: template syntax error: {exc}") from None
        except TemplateError as exc:
            where = find_template(self.folders, name)
            raise TemplateProblem(f"{where}: template error: {exc}") from None

    def closure_fp(self, roots: list[str]) -> str:
        names: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name not in names:
                names.add(name)
                todo.extend(self._references(name))
        h = hashlib.blake2b(digest_size=8)
        for n in sorted(names):
            path = find_template(self.folders, n)
            data = path.read_bytes() if path.is_file() else b"\0missing"
            h.update(n.encode() + b"\0" + data)
        return h.hexdigest()

    def _references(self, name: str) -> list[str]:
        """Templates that `name` extends, includes or imports, read once per build.

        A regular expression over the tags is enough for literal names and much cheaper
        than parsing every template on every build; a name Jinja would compute at render
        time makes the template depend on every template, to stay safe."""
        refs = self._refs.get(name)
        if refs is None:
            path = find_template(self.folders, name)
            # A missing or unreadable template: Jinja reports it, with its name, on load.
            try:
                source = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                source = ""
            refs = []
            for tag in _REFERENCE_TAG.finditer(source):
                literal = _LITERAL.fullmatch(tag.group(1).strip())
                if literal is None:
                    refs = self._all_templates()
                    break
                refs.append(literal.group(2))
            self._refs[name] = refs
        return refs

    def _all_templates(self) -> list[str]:
        """Every template name of the search path (overrides and bundled ones alike)."""
        names = {
            p.relative_to(folder).as_posix()
            for folder in self.folders
            for p in folder.rglob("*.html")
            if p.is_file()
        }
        return sorted(names)

    def fingerprints(self) -> dict[str, str]:
        """Per page kind, a hash of every template file the kind's pages are made with."""
        return {
            kind: self.closure_fp([name, *FRAGMENTS.get(kind, [])])
            for kind, name in PAGE_TEMPLATES.items()
        }

    def render(self, template: Any, context: dict[str, Any]) -> str:
        try:
            result: str = template.render(context)
        except TemplateError as exc:
            raise TemplateProblem(self.locate(exc)) from None
        return result

    def locate(self, exc: Exception) -> str:
        """`file:line: message` for an error raised inside a template."""
        roots = tuple(str(f.resolve()) for f in self.folders) + tuple(str(f) for f in self.folders)
        for frame in reversed(traceback.extract_tb(sys.exc_info()[2])):
            if frame.filename.startswith(roots):
                return f"{frame.filename}:{frame.lineno}: template error: {exc}"
        return f"{self.shown}: template error: {exc}"
