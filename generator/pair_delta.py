"""Which comparison pages (and images) a build must write or remove.

Comparison pages are the bulk of a site, so they are not tracked one by one: a pair's page
is current when the comparison template and both tools' fingerprints are as they were, and
its image when both tools' share keys are. A tool's fingerprint covers which pairs it has
a page in (and which of them are noindexed), so a change that adds or drops a pair changes
the fingerprints of both its tools: comparing O(tools) fingerprints tells which pairs to
write or remove, and a build with no change looks at no pair at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.pairs import PairPlan
from generator.plan import Page, pair_url


def pair_pages(a: str, b: str, nested: bool = False) -> tuple[Page, Page]:
    """A comparison page and its share image."""
    a, b = sorted((a, b))
    url = pair_url(a, b, nested)
    return Page("compare", url, (a, b)), Page("compare-share", url + "share.png", (a, b))


@dataclass(frozen=True)
class PairDelta:
    plan: PairPlan
    slugs: tuple[str, ...]
    html_all: bool
    image_all: bool
    html_tools: frozenset[str]
    image_tools: frozenset[str]
    removed_tools: frozenset[str]
    old_slugs: tuple[str, ...]
    images: bool = True
    drop_images: bool = False  # share images were switched off: remove every pair's image
    rescan: bool = False  # the config changed: any old pair may be gone
    nested: bool = False
    old_nested: bool = False

    @classmethod
    def between(cls, old: dict[str, Any] | None, new: dict[str, Any], plan: PairPlan) -> PairDelta:
        slugs = tuple(sorted(new["tools"]))
        images = bool(new["share"])
        nested = new.get("layout") == "nested"
        if old is None:
            return cls(
                plan, slugs, True, images, frozenset(), frozenset(), frozenset(), (), images,
                nested=nested, old_nested=nested,
            )  # fmt: skip
        old_nested = old.get("layout") == "nested"
        html_all = old["kinds"].get("compare") != new["kinds"]["compare"]
        image_all = images and old["base"] != new["base"]
        html = frozenset(s for s in slugs if old["tools"].get(s) != new["tools"][s])
        image = frozenset(s for s in slugs if images and old["share"].get(s) != new["share"][s])
        removed = frozenset(old["tools"]) - frozenset(slugs)
        old_slugs = tuple(sorted(old["tools"]))
        drop = bool(old["share"]) and not images
        rescan = old["base"] != new["base"] or old_nested != nested
        return cls(
            plan, slugs, html_all, image_all, html, image, removed, old_slugs, images, drop,
            rescan, nested, old_nested,
        )  # fmt: skip

    def to_write(self) -> Iterator[Page]:
        """Pages and images to render, each pair visited once."""
        later, partners = self.plan.later, self.plan.partners
        if self.html_all or self.image_all:
            for a in self.slugs:
                for b in later[a]:
                    yield from self._pair(a, b)
            return
        touched = self.html_tools | self.image_tools
        for a in sorted(touched):
            for b in sorted(partners[a]):
                if b in touched and b < a:
                    continue
                yield from self._pair(a, b)

    def _pair(self, a: str, b: str) -> Iterator[Page]:
        page, image = pair_pages(a, b, self.nested)
        if self.html_all or a in self.html_tools or b in self.html_tools:
            yield page
        if self.images and (self.image_all or a in self.image_tools or b in self.image_tools):
            yield image

    def count(self) -> int:
        """How many comparison pages `to_write` yields (for progress bars)."""
        if self.html_all:
            return self.plan.built
        partners, html = self.plan.partners, self.html_tools
        both = sum(1 for k in html for o in partners[k] if o in html and o > k)
        return sum(len(partners[k]) for k in html) - both

    def to_remove(self, exists: Callable[[str], bool]) -> Iterator[str]:
        """Output paths of the last build's pairs that are gone: a tool removed, a pair the
        policy no longer picks, a page moved by a change of layout (and every pair's image,
        when share images were switched off). Only paths that `exists` are yielded."""
        old = self.old_slugs
        if self.rescan or self.drop_images:
            candidates: Iterator[tuple[str, str]] = (
                (a, b) for i, a in enumerate(old) for b in old[i + 1 :]
            )
        else:
            changed = sorted(self.removed_tools | self.html_tools)
            candidates = (
                (a, b) if a < b else (b, a)
                for a in changed
                for b in old
                if b != a and not (b in changed and b < a)
            )
        moved = self.nested != self.old_nested
        for a, b in candidates:
            kept = self.plan.has(a, b) and not moved
            for page in pair_pages(a, b, self.old_nested):
                if kept and not (self.drop_images and page.kind == "compare-share"):
                    continue
                if exists(page.path):
                    yield page.path
