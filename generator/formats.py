"""The formats of the fields that name files and colours: a file inside the content folder,
a brand colour that keeps text readable, an https origin for the Content-Security-Policy."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SPACE = re.compile(r"\s")


def check_local(value: str) -> str:
    """A file inside the content folder, named relative to it: never an absolute path, a
    parent folder or a URL, so a build cannot be pointed at files outside the folder."""
    parts = value.split("/")
    if (
        not value
        or value.startswith("/")
        or "\\" in value
        or "://" in value
        or any(p in ("", ".", "..") for p in parts)
        or any(ord(c) < 32 or ord(c) == 127 for c in value)
    ):
        raise ValueError(
            f'expected a file path inside the content folder, like logos/tool.png; got "{value}"'
        )
    return value


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The backgrounds the accent colour is drawn on as text (page, panels, highlighted rows).
BRAND_BACKGROUNDS = ("#ffffff", "#f5f7fa", "#e8f0fe")
BRAND_MIN_CONTRAST = 4.5  # WCAG AA for normal text: what axe checks


def check_brand(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f'expected a colour as #rrggbb, e.g. "#0b57d0"; got "{value}"')
    value = value.lower()
    worst = min(contrast(value, bg) for bg in BRAND_BACKGROUNDS)
    if worst < BRAND_MIN_CONTRAST:
        raise ValueError(
            f"colour {value} has a contrast of {worst:.2f}:1 with the page background; links "
            f"and buttons drawn in it need at least {BRAND_MIN_CONTRAST}:1, so choose a "
            "darker colour"
        )
    return value


def check_origin(value: str) -> str:
    parts = urlsplit(value)
    if (
        parts.scheme != "https"
        or not parts.netloc
        or parts.path not in ("", "/")
        or (parts.query or parts.fragment or _SPACE.search(value) or "*" in value)
    ):
        raise ValueError(
            f'expected an https origin such as https://stats.example.org; got "{value}"'
        )
    return f"https://{parts.netloc}"
