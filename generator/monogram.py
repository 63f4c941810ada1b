"""A tool's monogram: the badge pages show when the tool gives no logo.

The CSP forbids inline style attributes, so the colour is one of a fixed set of hue classes
in the stylesheet (`mono hue-N`), chosen from the slug: stable across builds and processes,
and different tools mostly get different colours.
"""

from __future__ import annotations

import re
import zlib

HUES = 8  # the stylesheet defines .hue-0 … .hue-7
_WORD = re.compile(r"[^\W_]+")
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # "(kosmos-2-patch14-224)", "[dev]"


def initials(name: str) -> str:
    """At most two characters: the first of the first two words ("Stable Diffusion XL" ->
    "SD", "Kosmos-2 (…)" -> "K2"), or of a single word and its next capital ("ChatGPT" ->
    "CG")."""
    words: list[str] = _WORD.findall(_ASIDE.sub(" ", name)) or _WORD.findall(name)
    if not words:
        return "?"
    if len(words) > 1:
        return (words[0][0] + words[1][0]).upper()
    word = words[0]
    capital = next((ch for ch in word[1:] if ch.isupper()), "") if not word.isupper() else ""
    return (word[0] + capital).upper()


def hue(slug: str) -> int:
    """The monogram's colour class, from the slug (crc32: the same in every process)."""
    return zlib.crc32(slug.encode()) % HUES
