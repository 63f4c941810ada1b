"""site.yaml `theme:` brand colour, logo, footer text and analytics, within the CSP."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import FIXTURE, build_to, run_cli, snapshot, soup

MakeSite = Callable[[dict[str, str]], Path]
SITE = (FIXTURE / "site.yaml").read_text("utf-8")


def _line(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_brand_colour_is_a_hashed_stylesheet_not_inline(fixture_site: Path) -> None:
    for page in fixture_site.rglob("*.html"):
        doc = soup(page)
        assert not doc.find_all(style=True), page
        assert not doc.find_all("style"), page
        sheets = [link["href"] for link in doc.find_all("link", rel="stylesheet")]
        assert len(sheets) == 2 and re.fullmatch(r"/assets/theme\.[0-9a-f]{10}\.css", sheets[1])
    css = next((fixture_site / "assets").glob("theme.*.css")).read_text("utf-8")
    assert css == ":root { --accent: #0b57d0; --brand: #0b57d0; }\n"


def test_analytics_is_an_external_script_and_the_csp_names_its_origin(
    fixture_site: Path,
) -> None:
    for page in fixture_site.rglob("*.html"):
        for script in soup(page).find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", page
    doc = soup(fixture_site / "index.html")
    src = doc.find_all("script", src=True)[-1]["src"]
    assert re.fullmatch(r"/assets/analytics\.[0-9a-f]{10}\.js", src)
    assert (fixture_site / src.lstrip("/")).read_bytes() == (
        FIXTURE / "theme/analytics.js"
    ).read_bytes()
    headers = (fixture_site / "_headers").read_text("utf-8").splitlines()
    assert headers[0] == "/*"
    policy = headers[1].removeprefix("  Content-Security-Policy: ")
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"] == "'self' https://stats.example.org"
    assert directives["connect-src"] == "'self' https://stats.example.org"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_logo_and_footer_text(fixture_site: Path) -> None:
    doc = soup(fixture_site / "methodology/index.html")
    logo = doc.select_one("header .brand img.site-logo")
    assert logo is not None and logo["alt"] == ""
    assert (fixture_site / logo["src"].lstrip("/")).is_file()
    footer = doc.select_one("footer .footer-text")
    assert footer is not None
    link = footer.find("a")
    assert link is not None and link["href"] == "https://fixture.example.org/about"


def test_footer_markdown_is_sanitised(make_site: MakeSite, tmp_path: Path) -> None:
    site = SITE.replace(
        "footer_text: Fixture footer, with a [link](https://fixture.example.org/about).",
        "footer_text: '<script>alert(1)</script> [x](javascript:alert(1)) <b onclick=\"y\">b</b>'",
    )
    content = make_site({"site.yaml": site})
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    footer = soup(out / "index.html").select_one("footer .footer-text")
    assert footer is not None
    assert footer.find("script") is None
    assert "javascript:" not in str(footer) and "onclick" not in str(footer)


def test_no_theme_no_extra_files(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    text = SITE[: SITE.index("theme:")]
    (content / "site.yaml").write_text(text, "utf-8")
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    assets = sorted(p.name.split(".")[0] for p in (out / "assets").iterdir())
    assert assets == ["favicon", "find", "logos", "pick", "search", "style"]  # no theme.css
    assert not (out / "_headers").exists()
    doc = soup(out / "index.html")
    assert doc.select_one(".site-logo") is None and doc.select_one(".footer-text") is None


def _refused(tmp_path: Path, make_site: MakeSite, site: str, files: dict[str, str]) -> list[str]:
    out = tmp_path / "site"
    content = make_site({})
    build_to(content, out, workers=1)
    before = snapshot(out)
    for rel, text in {"site.yaml": site, **files}.items():
        (content / rel).write_text(text, "utf-8")
    result = run_cli("build", "--content", "made", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert snapshot(out) == before
    return result.stderr.splitlines()


def test_a_brand_colour_too_light_to_read_is_refused(tmp_path: Path, make_site: MakeSite) -> None:
    site = SITE.replace('brand_colour: "#0b57d0"', 'brand_colour: "#ffcc00"')
    line = _line(site, "  brand_colour:")
    assert _refused(tmp_path, make_site, site, {}) == [
        f"made/site.yaml:{line}:17: theme.brand_colour: colour #ffcc00 has a contrast of "
        "1.32:1 with the page background; links and buttons drawn in it need at least 4.5:1, "
        "so choose a darker colour",
        "Found 1 problem in 1 file; site was not changed.",
    ]


def test_a_brand_colour_that_is_not_a_colour(tmp_path: Path, make_site: MakeSite) -> None:
    site = SITE.replace('brand_colour: "#0b57d0"', "brand_colour: blue")
    line = _line(site, "  brand_colour:")
    assert _refused(tmp_path, make_site, site, {}) == [
        f"made/site.yaml:{line}:17: theme.brand_colour: expected a colour as #rrggbb, "
        'e.g. "#0b57d0"; got "blue"',
        "Found 1 problem in 1 file; site was not changed.",
    ]


def test_analytics_mistakes(tmp_path: Path, make_site: MakeSite) -> None:
    site = SITE.replace("script: theme/analytics.js", "script: theme/analytics.txt").replace(
        "- https://stats.example.org", "- http://stats.example.org/collect"
    )
    assert _refused(tmp_path, make_site, site, {}) == [
        f"made/site.yaml:{_line(site, '      - http')}:9: theme.analytics.origins[0]: expected "
        'an https origin such as https://stats.example.org; got "http://stats.example.org/collect"',
        "Found 1 problem in 1 file; site was not changed.",
    ]
    site = SITE.replace("script: theme/analytics.js", "script: theme/analytics.txt")
    assert _refused(tmp_path, make_site, site, {}) == [
        f"made/site.yaml:{_line(site, '    script:')}:13: theme.analytics.script: expected a "
        ".js file",
        "Found 1 problem in 1 file; site was not changed.",
    ]
