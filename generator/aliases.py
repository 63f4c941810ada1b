"""How far YAML aliases may expand, and where the one that went too far is written.

Composing a YAML file shares one node between an anchor and each of its aliases, so nested
aliases ("billion laughs": nine levels of ten aliases in under 2 KB) cost nothing until the
data is built, and then a billion values. The load stage counts values built through
aliases and stops at ALIAS_LIMIT; content files need aliases rarely, and never that many.
"""

from __future__ import annotations

from typing import Any

import yaml

ALIAS_LIMIT = 10_000  # values that aliases may add to a file


def alias_mark(text: str, loader: type[yaml.SafeLoader]) -> tuple[int, int] | None:
    """Where the alias that broke the limit (or refers to its own container) is written.

    Composed nodes do not know where their aliases stand, so the events are read again,
    with each anchor's size in values, counted the way `load._Builder` counts: only for files
    already refused, so ordinary files never pay for it."""
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # per open collection: [values so far, anchor]
    expanded = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor or "", 0)
            expanded += size
            # past the limit, or an anchor still open (an alias inside its own value)
            if (expanded > ALIAS_LIMIT or not size) and event.start_mark is not None:
                return (event.start_mark.line + 1, event.start_mark.column + 1)
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append([1, event.anchor])
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            size, anchor = stack.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        else:
            continue
        if stack:
            stack[-1][0] += size
    return None
