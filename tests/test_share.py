"""Share images assembled from pre-compressed bands decode to exactly the drawn pixels."""

from __future__ import annotations

import io
import random
import zlib

from PIL import Image

from generator import share
from generator.score import Scores, SubScore


def test_adler_combine_matches_zlib() -> None:
    rng = random.Random(4)
    for _ in range(50):
        a = rng.randbytes(rng.randint(0, 5000))
        b = rng.randbytes(rng.randint(0, 70000))
        combined = share._adler_combine(zlib.adler32(a), zlib.adler32(b), len(b))
        assert combined == zlib.adler32(a + b)


def test_stacked_bands_equal_the_drawn_strips() -> None:
    scores = Scores(
        adoption=SubScore("adoption", 10.4, 0.0, 1),
        quality=SubScore("quality", 50, None, 0),
        ecosystem=SubScore("ecosystem", 99.5, 100.0, 4),
        match_graph=50,
        times_matched=12,
        base=40.5,
        lift=0,
        rank=None,
        figures=5,
        stale=(),
    )
    header = share.text_band(share.HEADER, [("Header", 40, share.INK)])
    tool_a = share.tool_band("Alpha", "model · A", scores, share.BAR_A)
    vs = share.text_band(share.VS, [("vs", 34, share.MUTED)], center=True)
    tool_b = share.tool_band("Beta", "service · B", scores, share.BAR_B)
    footer = share.text_band(share.FOOTER, [("example.org", 18, share.MUTED)])
    data = share.png([header, tool_a, vs, tool_b, footer])
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        assert im.size == (1200, 630) and im.mode == "L"
        rows = im.tobytes()
    # rebuild the expected pixels from each band's own scanlines
    expected = b""
    for band in (header, tool_a, vs, tool_b, footer):
        raw = zlib.decompress(band.data + b"\x03\x00", -15)
        width = 1201
        expected += b"".join(raw[i + 1 : i + width] for i in range(0, len(raw), width))
    assert rows == expected
