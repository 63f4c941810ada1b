"""A site whose base_url has a path links every page and asset under that path."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import FIXTURE, build_to, soup


def _site_under(tmp_path: Path, base_url: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    cfg = content / "site.yaml"
    text = cfg.read_text("utf-8")
    cfg.write_text(re.sub(r"(?m)^base_url: .*$", f"base_url: {base_url}", text), "utf-8")
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    return out


def test_every_internal_link_and_asset_is_under_the_subpath(tmp_path: Path) -> None:
    out = _site_under(tmp_path, "https://example.org/compare-site/")
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    seen = 0
    for page in pages:
        doc = soup(page)
        assert doc.html is not None and doc.html.get("data-base") == "/compare-site/"
        for tag, attr in (
            ("a", "href"),
            ("link", "href"),
            ("script", "src"),
            ("img", "src"),
            ("form", "action"),
        ):
            for el in doc.find_all(tag):
                value = el.get(attr)
                if not isinstance(value, str) or value.startswith(("#", "https://", "http://")):
                    continue
                seen += 1
                assert value.startswith("/compare-site/"), (
                    f"{page.relative_to(out)}: <{tag} {attr}={value!r}>"
                )
                target = out / value.removeprefix("/compare-site/").split("#")[0]
                assert target.exists() or (target / "index.html").exists(), value
    assert seen > 100


def test_a_root_site_keeps_root_links(tmp_path: Path) -> None:
    out = _site_under(tmp_path, "https://example.org/")
    doc = soup(out / "index.html")
    assert doc.html is not None and doc.html.get("data-base") == "/"
    hrefs = [a["href"] for a in doc.find_all("a") if str(a.get("href", "")).startswith("/")]
    assert "/methodology/#rank" in hrefs or "/methodology/" in hrefs
