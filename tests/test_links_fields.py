"""Tool short names, logos and outbound links; the trust block of comparison pages."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from tests.conftest import FIXTURE, build_to, run_cli, snapshot, soup

MakeSite = Callable[[dict[str, str]], Path]
ALPHA = (FIXTURE / "tools/alpha.yaml").read_text("utf-8")


def _line(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_trust_block_with_dates_sources_and_links(fixture_site: Path) -> None:
    page = soup(fixture_site / "compare/alpha-vs-beta/index.html")
    trust = page.find("section", id="trust")
    assert trust is not None
    alpha = trust.find("div", attrs={"data-tool": "alpha"})
    beta = trust.find("div", attrs={"data-tool": "beta"})
    assert alpha is not None and beta is not None
    assert alpha.find("time")["datetime"] == "2026-10-01"
    assert beta.find("time")["datetime"] == "2026-11-01"
    assert "Facts about Alpha last checked" in alpha.get_text()  # short_name after the name
    links = {a.get_text(): (a["href"], a["rel"]) for a in alpha.select("ul.outbound a")}
    assert links == {
        "Alpha official site": ("https://alpha.example.org/", ["noopener"]),
        "Alpha pricing": ("https://alpha.example.org/pricing", ["noopener"]),
        "Alpha documentation": ("https://alpha.example.org/docs", ["noopener"]),
        "Get Alpha": ("https://partner.example.net/alpha?ref=fixture", ["sponsored", "noopener"]),
    }
    # No links: block: official and pricing are the website and pricing.url; no docs.
    beta_links = [(a.get_text(), a["href"]) for a in beta.select("ul.outbound a")]
    assert beta_links == [
        ("Beta Draw official site", "https://beta.example.org/"),
        ("Beta Draw pricing", "https://beta.example.org/pricing"),
    ]
    sources = [a["href"] for a in beta.select("ul.sources a")]
    assert sources == ["https://beta.example.org/docs"]
    disclosure = trust.find(id="disclosure")
    assert disclosure is not None and "affiliate links" in disclosure.get_text()


def test_no_affiliate_link_no_disclosure(fixture_site: Path) -> None:
    page = soup(fixture_site / "compare/beta-vs-gamma/index.html")
    assert page.find(id="trust") is not None
    assert page.find(id="disclosure") is None
    assert page.find("a", rel="sponsored") is None


def test_logo_is_made_into_the_sizes_pages_need(fixture_site: Path) -> None:
    page = soup(fixture_site / "compare/alpha-vs-beta/index.html")
    img = page.select_one('#trust div[data-tool="alpha"] img.tool-logo')
    assert img is not None and img["width"] == "64" and img["height"] == "64"
    png1 = fixture_site / img["src"].lstrip("/")
    png2 = fixture_site / img["srcset"].split()[0].lstrip("/")
    source = page.select_one('#trust div[data-tool="alpha"] source')
    assert source is not None and source["type"] == "image/webp"
    webp = [fixture_site / part.split()[0].lstrip("/") for part in source["srcset"].split(",")]
    for path, fmt, size in [
        (png1, "PNG", 64),
        (png2, "PNG", 128),
        (webp[0], "WEBP", 64),
        (webp[1], "WEBP", 128),
    ]:
        assert path.parent == fixture_site / "assets/logos"
        with Image.open(path) as im:
            assert (im.format, im.size) == (fmt, (size, size))
    assert page.select_one('#trust div[data-tool="beta"] img') is None


def _broken(tmp_path: Path, make_site: MakeSite, files: dict[str, str]) -> list[str]:
    out = tmp_path / "site"
    content = make_site({})
    build_to(content, out, workers=1)
    before = snapshot(out)
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, "utf-8")
    result = run_cli("build", "--content", "made", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    return result.stderr.splitlines()


def test_a_logo_that_is_not_an_image_is_a_content_error(
    tmp_path: Path, make_site: MakeSite
) -> None:
    alpha = ALPHA.replace("logo: logos/alpha.png", "logo: logos/broken.png")
    line = _line(alpha, "logo:")
    lines = _broken(
        tmp_path, make_site, {"logos/broken.png": "not a picture", "tools/alpha.yaml": alpha}
    )
    assert lines[0].startswith(
        f"made/tools/alpha.yaml:{line}:7: logo: not an image that can be read: "
    )
    assert lines[1:] == ["Found 1 problem in 1 file; site was not changed."]


def test_a_missing_logo(tmp_path: Path, make_site: MakeSite) -> None:
    alpha = ALPHA.replace("logo: logos/alpha.png", "logo: logos/none.png")
    lines = _broken(tmp_path, make_site, {"tools/alpha.yaml": alpha})
    assert lines == [
        f"made/tools/alpha.yaml:{_line(alpha, 'logo:')}:7: logo: file not found: "
        "made/logos/none.png",
        "Found 1 problem in 1 file; site was not changed.",
    ]


def test_a_logo_path_out_of_the_content_folder(tmp_path: Path, make_site: MakeSite) -> None:
    gamma = (FIXTURE / "tools/gamma.yaml").read_text("utf-8") + "logo: ../secret.png\n"
    lines = _broken(tmp_path, make_site, {"tools/gamma.yaml": gamma})
    assert lines == [
        f"made/tools/gamma.yaml:{_line(gamma, 'logo:')}:7: logo: expected a file path inside "
        'the content folder, like logos/tool.png; got "../secret.png"',
        "Found 1 problem in 1 file; site was not changed.",
    ]


def test_an_affiliate_link_needs_the_disclosure(tmp_path: Path, make_site: MakeSite) -> None:
    site = (FIXTURE / "site.yaml").read_text("utf-8")
    start = site.index("disclosure:")
    site = site[:start] + site[site.index("\n", start) + 1 :]
    lines = _broken(tmp_path, make_site, {"site.yaml": site})
    assert lines == [
        f"made/tools/alpha.yaml:{_line(ALPHA, '  affiliate:')}:14: links.affiliate: an "
        "affiliate link needs a disclosure: add `disclosure:` to site.yaml",
        "Found 1 problem in 1 file; site was not changed.",
    ]


def test_a_new_logo_replaces_the_old_files_and_rewrites_pages(
    tmp_path: Path, make_site: MakeSite
) -> None:
    content = make_site({})
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    old = sorted(p.name for p in (out / "assets/logos").iterdir())
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), (200, 30, 30)).save(buffer, "PNG")
    (content / "logos/alpha.png").write_bytes(buffer.getvalue())
    build_to(content, out, workers=1)
    new = sorted(p.name for p in (out / "assets/logos").iterdir())
    assert len(new) == 4 and not set(old) & set(new)
    img = soup(out / "compare/alpha-vs-gamma/index.html").select_one("img.tool-logo")
    assert img is not None and img["src"].split("/")[-1] in new
    assert (img["width"], img["height"]) == ("64", "21")  # aspect ratio kept


def test_tool_files_without_the_new_fields_still_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    alpha = content / "tools/alpha.yaml"
    text = alpha.read_text("utf-8")
    alpha.write_text(text[: text.index("short_name:")], "utf-8")
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    page = soup(out / "compare/alpha-vs-beta/index.html")
    assert page.find("img", class_="tool-logo") is None
    assert page.find(id="disclosure") is None
    official = page.select('#trust div[data-tool="alpha"] ul.outbound a')[0]
    assert official.get_text() == "Alpha Vision official site"
