"""How people write a tool's name: the key a name, alias or typed query is compared by.

Search queries are typed fast: "GPT-4o" arrives as "gpt 4o" or "gpt4o", "DALL·E 3" as
"dall e 3" or "dalle 3", "ChatGPT" as "chat gpt". So names are compared by a key that
ignores case, accents, punctuation and spaces; `versus import` matches queries by it, and
validation refuses aliases whose key is already another tool's, since a query naming it
could then mean either tool.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from generator.load import Document
from generator.models import Tool
from generator.problems import Problem

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def words(text: str) -> list[str]:
    """`text` as lowercase ASCII words: accents dropped, every other character a break."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", ascii_only).split()


def key(text: str) -> str:
    """The comparison key: "DALL·E 3", "dall-e 3" and "Dalle3" all give "dalle3"."""
    return "".join(words(text))


def tool_names(slug: str, tool: Tool) -> list[str]:
    """Every way the tool is named: its name, its slug, then its aliases."""
    return [tool.name, slug, *tool.aliases]


def alias_problems(
    tools: dict[str, Tool], docs: dict[str, Document]
) -> tuple[list[Problem], set[str]]:
    """Aliases that are empty of letters, repeat one of the tool's own names, or are
    another tool's name or alias (by key). Returns the problems and the slugs it needed a
    document for but had none (taken from the build cache: read those again)."""
    owners: dict[str, str] = {}  # key -> slug, names first so an alias loses to a name
    for slug, tool in sorted(tools.items()):
        owners.setdefault(key(tool.name), slug)
    for slug in sorted(tools):
        owners.setdefault(key(slug), slug)
    problems: list[Problem] = []
    missing: set[str] = set()
    alias_owner: dict[str, tuple[str, str]] = {}  # key -> (slug, alias as written)
    for slug, tool in sorted(tools.items()):
        own = {key(tool.name), key(slug)}
        for i, alias in enumerate(tool.aliases):
            k = key(alias)
            message = None
            if not k:
                message = f'alias "{alias}" has no letters or digits'
            elif k in own:
                message = f'alias "{alias}" is already this tool\'s name, slug or an earlier alias'
            elif owners.get(k, slug) != slug:
                other = tools[owners[k]].name
                message = f'alias "{alias}" is the name or slug of {owners[k]} ({other})'
            elif k in alias_owner and alias_owner[k][0] != slug:
                first_slug, first = alias_owner[k]
                message = (
                    f'alias "{alias}" is also an alias of {first_slug} ("{first}"); '
                    "a query naming it could mean either tool"
                )
            own.add(k)
            alias_owner.setdefault(k, (slug, alias))
            if message is None:
                continue
            doc = docs.get(slug)
            if doc is None:
                missing.add(slug)
                continue
            line, col = doc.mark(("aliases", i))
            problems.append(Problem(doc.display, line, col, f"aliases[{i}]", message))
    return problems, missing


def index(tools: dict[str, Any]) -> dict[str, str]:
    """Key -> slug for every name, slug and alias. A key two tools share (two names that
    differ only in punctuation) names neither: a query with it is left unmatched."""
    found: dict[str, set[str]] = {}
    for slug, tool in tools.items():
        for name in tool_names(slug, tool):
            k = key(name)
            if k:
                found.setdefault(k, set()).add(slug)
    return {k: next(iter(s)) for k, s in found.items() if len(s) == 1}
