"""Share images (1200x630 PNG) for comparison and tool pages, at the cost of a string join.

A catalogue of n tools has n(n-1)/2 comparison pages, so drawing each image with Pillow
(milliseconds each) would dominate the build. Instead the card is a stack of horizontal
bands: a site header, the first tool, a "vs" strip, the second tool, a footer. Each band is
drawn once per build and compressed on its own as a byte-aligned, independent deflate
segment (Z_FULL_FLUSH). A PNG's pixel data is one zlib stream, and independent segments
concatenate, so a page's image is its bands' segments joined, wrapped with a zlib header,
an Adler-32 combined from the bands' checksums, and the PNG chunk headers.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from generator.score import LABELS, SUBSCORES, Scores

if TYPE_CHECKING:  # Pillow is imported when a band is drawn: most builds draw none
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
HEADER, TOOL, VS, FOOTER = 90, 230, 50, 30
FILLER = HEIGHT - HEADER - TOOL - FOOTER  # tool cards: header, tool, filler, footer
assert HEADER + 2 * TOOL + VS + FOOTER == HEIGHT

INK, MUTED, BAR_A, BAR_B, TRACK, PAPER = 20, 90, 40, 120, 225, 250
_ADLER_BASE = 65521


@dataclass(frozen=True)
class Band:
    """A horizontal strip of the card: its compressed segment and what the checksum needs."""

    data: bytes  # raw deflate, byte-aligned, independent of what precedes it
    adler: int  # Adler-32 of the uncompressed scanlines
    size: int  # length of the uncompressed scanlines


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return _cached_font(size)


@cache
def _cached_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _band(image: Image.Image) -> Band:
    """Compress a grayscale strip as PNG scanlines (filter byte 0 before each row)."""
    width, height = image.size
    pixels = image.tobytes()
    raw = b"".join(b"\x00" + pixels[y * width : (y + 1) * width] for y in range(height))
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = packer.compress(raw) + packer.flush(zlib.Z_FULL_FLUSH)
    return Band(data=data, adler=zlib.adler32(raw), size=len(raw))


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> tuple[str, int]:
    """Shrink, then shorten, a line until it fits `width` pixels.

    The shortening is a binary search over the length kept, so a line costs O(log n)
    measurements of at most n characters, however long the text: cutting one character
    at a time and measuring again was quadratic (minutes for a 20,000-character name)."""
    probe = text[: width + 1]  # if this much overflows, so does all of it
    while size > 22 and draw.textlength(probe, font=_font(size)) > width:
        size -= 4
    font = _font(size)
    if len(text) <= 3 or (text == probe and draw.textlength(text, font=font) <= width):
        return text, size
    # Keeping at most `width` characters (glyphs are at least a pixel wide, but for rare
    # zero-width ones, which can only make the line shorter than it could be) keeps each
    # measurement short too.
    low, high = 1, min(len(text) - 1, width)  # `low` characters always kept
    while low < high:
        mid = (low + high + 1) // 2
        if draw.textlength(text[:mid].rstrip() + "…", font=font) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…", size


def text_band(height: int, lines: list[tuple[str, int, int]], center: bool = False) -> Band:
    """A strip of text lines: (text, font size, grey level)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    y = max(4, (height - sum(s + 8 for _, s, _ in lines)) // 2)
    for text, size, ink in lines:
        text, size = _fit(draw, text, size, WIDTH - 80)
        x = (WIDTH - draw.textlength(text, font=_font(size))) / 2 if center else 40
        draw.text((x, y), text, fill=ink, font=_font(size))
        y += size + 8
    return _band(image)


def tool_band(name: str, subtitle: str, scores: Scores, bar: int) -> Band:
    """A tool's strip: name, rank, and its four sub-scores as bars with their values."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (WIDTH, TOOL), PAPER)
    draw = ImageDraw.Draw(image)
    title, size = _fit(draw, name, 52, 720)
    draw.text((40, 18), title, fill=INK, font=_font(size))
    draw.text((40, 86), subtitle, fill=MUTED, font=_font(26))
    rank = scores.shown("rank")
    draw.text((40, 136), "Rank", fill=MUTED, font=_font(28))
    draw.text((40, 166), "unranked" if rank is None else f"{rank}/100", fill=INK, font=_font(44))
    for i, sub in enumerate(SUBSCORES):
        y = 24 + i * 50
        value = scores.shown(sub)
        draw.text((800, y), LABELS[sub], fill=MUTED, font=_font(22))
        draw.rectangle((800, y + 28, 1100, y + 42), fill=TRACK)
        if value is not None:
            draw.rectangle((800, y + 28, 800 + 3 * value, y + 42), fill=bar)
        label = "no data" if value is None else str(value)
        draw.text((1110, y + 20), label, fill=INK, font=_font(22))
    return _band(image)


def _adler_combine(first: int, second: int, second_len: int) -> int:
    """Adler-32 of A+B from Adler-32 of A and B and the length of B (as zlib does)."""
    rem = second_len % _ADLER_BASE
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (second & 0xFFFF) + _ADLER_BASE - 1
    sum2 += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + _ADLER_BASE - rem
    sum1 %= _ADLER_BASE
    sum2 %= _ADLER_BASE
    return sum1 | (sum2 << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_IHDR = _chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 0, 0, 0, 0))
_IEND = _chunk(b"IEND", b"")
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_FINAL_BLOCK = b"\x03\x00"  # an empty final deflate block


def png(bands: list[Band]) -> bytes:
    """Stack bands (top to bottom) into one 1200x630 grayscale PNG."""
    adler = 1
    for band in bands:
        adler = _adler_combine(adler, band.adler, band.size)
    stream = b"".join([b"\x78\x01", *(b.data for b in bands), _FINAL_BLOCK])
    stream += struct.pack(">I", adler)
    return b"".join([_SIGNATURE, _IHDR, _chunk(b"IDAT", stream), _IEND])
