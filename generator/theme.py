"""The site owner's own look and files: tool and site logos, the brand colour, the
analytics script, and the Content-Security-Policy that follows from them.

Everything here becomes a content-hashed file under `assets/` (so it is cached for ever and
changes name when it changes) and is made before any page is rendered: an image that cannot
be read is a content error at the line that names it, like any other.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.load import RawContent, display
from generator.models import Tool
from generator.plan import digest
from generator.problems import ContentError, Problem
from generator.site_models import SiteConfig

LOGO_SIZES = (64, 128)  # px squares: 64 for pages (1x), 128 for high-density screens
SITE_LOGO_BOXES = ((240, 48), (480, 96))  # header logo, 1x and 2x
MAX_IMAGE_BYTES = 10 * 1024 * 1024
_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
# Content-Security-Policy of every page; a site's analytics adds its declared origins.
CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


@dataclass(frozen=True)
class Logo:
    """One image in the sizes pages need, as site-relative URLs of hashed files."""

    png: tuple[str, ...]  # 1x, 2x
    webp: tuple[str, ...]
    width: int  # of the 1x image, for the <img> size attributes (no layout shift)
    height: int


@dataclass
class ThemeFiles:
    """What the theme adds to a build: asset files, and where templates find them."""

    files: dict[str, bytes] = field(default_factory=dict)  # output path -> bytes
    urls: dict[str, str] = field(default_factory=dict)  # "theme.css", "analytics.js" -> URL
    logos: dict[str, Logo] = field(default_factory=dict)  # tool slug -> its logo
    site_logo: Logo | None = None

    def add(self, name: str, data: bytes) -> str:
        """`assets/<stem>.<hash>.<ext>`: stored, and returned as a site-relative URL."""
        stem, _, ext = name.rpartition(".")
        path = f"assets/{stem}.{digest(data.hex())[:10]}.{ext}"
        self.files[path] = data
        return "/" + path


def theme_files(
    content: Path, raw: RawContent, site: SiteConfig, tools: dict[str, Tool]
) -> ThemeFiles:
    """Process every logo and theme file; all problems reported together."""
    out = ThemeFiles()
    problems: list[Problem] = []
    theme = site.theme
    where_site = _locator(raw, None)
    if theme.brand_colour:
        css = f":root {{ --accent: {theme.brand_colour}; --brand: {theme.brand_colour}; }}\n"
        out.urls["theme.css"] = out.add("theme.css", css.encode())
    if theme.logo:
        data = _read(content, theme.logo, where_site(("theme", "logo")), problems)
        if data is not None:
            out.site_logo = _logo(
                out, "logo", data, SITE_LOGO_BOXES, where_site(("theme", "logo")), problems
            )
    if theme.analytics:
        loc = ("theme", "analytics", "script")
        if not theme.analytics.script.endswith(".js"):
            problems.append(where_site(loc)("expected a .js file"))
        else:
            data = _read(content, theme.analytics.script, where_site(loc), problems)
            if data is not None:
                out.urls["analytics.js"] = out.add("analytics.js", data)
    affiliate: list[str] = []
    for slug, tool in tools.items():
        if tool.links.affiliate:
            affiliate.append(slug)
        if not tool.logo:
            continue
        at = _locator(raw, slug)(("logo",))
        data = _read(content, tool.logo, at, problems)
        if data is not None:
            boxes = tuple((s, s) for s in LOGO_SIZES)
            logo = _logo(out, f"logos/{slug}", data, boxes, at, problems)
            if logo is not None:
                out.logos[slug] = logo
    if affiliate and not site.disclosure:
        for slug in affiliate:
            problems.append(
                _locator(raw, slug)(("links", "affiliate"))(
                    "an affiliate link needs a disclosure: add `disclosure:` to site.yaml"
                )
            )
    if problems:
        raise ContentError(problems)
    return out


def csp(site: SiteConfig) -> str:
    """The Content-Security-Policy for this site's pages: no inline script or style, and
    no other origin than those the analytics script declares."""
    policy = {k: list(v) for k, v in CSP.items()}
    if site.theme.analytics:
        for origin in site.theme.analytics.origins:
            for directive in ("script-src", "connect-src", "img-src"):
                if origin not in policy[directive]:
                    policy[directive].append(origin)
    return "; ".join(f"{k} {' '.join(v)}" for k, v in policy.items())


def headers_file(site: SiteConfig, prefix: str) -> bytes:
    """Netlify `_headers`: the policy for every page under the site's path."""
    return f"{prefix}*\n  Content-Security-Policy: {csp(site)}\n".encode()


Located = Callable[[str], Problem]  # a message -> the Problem at the field's line


def _locator(raw: RawContent, slug: str | None) -> Callable[[tuple[str, ...]], Located]:
    """A function from a field path to a function from a message to a Problem at its line."""
    doc = raw.site if slug is None else raw.tools.get(slug)
    shown = doc.display if doc is not None else display(raw.root / "tools" / f"{slug}.yaml")

    def at(loc: tuple[str, ...]) -> Located:
        line, col = doc.mark(loc) if doc is not None else (1, 1)
        dotted = ".".join(loc)
        return lambda message: Problem(shown, line, col, dotted, message)

    return at


def _read(content: Path, rel: str, problem: Located, problems: list[Problem]) -> bytes | None:
    path = content / rel
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(content.resolve()):
            problems.append(problem(f"{rel} is a symbolic link out of the content folder"))
            return None
        if not path.is_file():
            problems.append(problem(f"file not found: {display(path)}"))
            return None
        if path.stat().st_size > MAX_IMAGE_BYTES:
            problems.append(problem(f"{rel} is larger than {MAX_IMAGE_BYTES // 2**20} MB"))
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.append(problem(f"cannot read {rel}: {exc.strerror or exc}"))
        return None


def _logo(
    out: ThemeFiles,
    name: str,
    data: bytes,
    boxes: tuple[tuple[int, int], ...],
    problem: Located,
    problems: list[Problem],
) -> Logo | None:
    from PIL import Image  # only a site with logos pays for importing it

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in _FORMATS:
            problems.append(problem(f"expected a PNG, JPEG, WebP or GIF image; got {kind}"))
            return None
        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(0)
            image = opened.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        problems.append(problem(f"not an image that can be read: {exc}"))
        return None
    png: list[str] = []
    webp: list[str] = []
    first = (0, 0)
    for box in boxes:
        copy = image.copy()
        copy.thumbnail(box, Image.Resampling.LANCZOS)
        if first == (0, 0):
            first = copy.size
        for fmt, urls in (("PNG", png), ("WEBP", webp)):
            buffer = io.BytesIO()
            copy.save(buffer, fmt, **({"lossless": True} if fmt == "WEBP" else {}))
            ext = fmt.lower()
            urls.append(out.add(f"{name}-{box[1]}.{ext}", buffer.getvalue()))
    return Logo(png=tuple(png), webp=tuple(webp), width=first[0], height=first[1])
