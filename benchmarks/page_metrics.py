"""Page layout figures of the bundled site: how tall each kind of page is, which pages scroll
sideways on a phone, and what a comparison page weighs.

    .venv/bin/python -m benchmarks.page_metrics [--content content] [--json FILE]

Builds the content into a temporary folder, serves it on 127.0.0.1 and loads pages in
headless Chromium (Debian's /usr/bin/chromium through Playwright). For each page kind it
reports the document height at 375 and 1,280 px of one representative page (the largest
page of its folder for comparison, tool and category pages), and, at 375 px, how many pages
of the kind are wider than the viewport (every page, except comparisons: the 10 largest).
For the largest comparison page it adds the bytes transferred by type (HTML, CSS, JS,
images, other) and how often the first tool's name appears in its visible text. It is a
script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WIDTHS = (375, 1280)
# Text a sighted reader sees at once: rendered, not in a closed <details>, not screen-reader-only.
VISIBLE_MENTIONS = """name => {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let text = '';
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (el.closest('.visually-hidden, details:not([open]) > :not(summary)')) continue;
    if (!el.checkVisibility()) continue;
    text += n.textContent;
  }
  return text.split(name).length - 1;
}"""
TYPES = {"document": "html", "stylesheet": "css", "script": "js", "image": "images"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def url_of(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return "/" + rel[: -len("index.html")] if rel.endswith("index.html") else "/" + rel


def by_size(site: Path, folder: str) -> list[str]:
    files = sorted((site / folder).glob("*/index.html"), key=lambda p: (-p.stat().st_size, p))
    return [url_of(site, p) for p in files]


def page_kinds(site: Path) -> dict[str, tuple[str, list[str]]]:
    """Per kind: (the representative page, the pages checked for sideways scrolling)."""
    compare, tools, cats = (
        by_size(site, "compare"),
        by_size(site, "tools"),
        by_size(site, "categories"),
    )
    return {
        "home": ("/", ["/"]),
        "compare-index": ("/compare/", ["/compare/"]),
        "comparison": (compare[0], compare[:10]),
        "tool": (tools[0], tools),
        "category": (cats[0], cats),
        "methodology": ("/methodology/", ["/methodology/"]),
        "search": ("/search/", ["/search/"]),
        "404": ("/no-such-page/", ["/404.html"]),
    }


def measure(site: Path, base: str, comparison: str | None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    kinds = page_kinds(site)
    if comparison:
        kinds["comparison"] = (comparison, kinds["comparison"][1])
    heights: dict[str, dict[str, int]] = {}
    wide: dict[str, dict[str, Any]] = {}
    weight: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 800})
                page = context.new_page()
                for kind, (url, checked) in kinds.items():
                    page.goto(base + url, wait_until="load")
                    h = page.evaluate("() => document.documentElement.scrollHeight")
                    heights.setdefault(kind, {})[str(width)] = int(h)
                    if width != 375:
                        continue
                    widest = []
                    for other in checked:
                        page.goto(base + other, wait_until="load")
                        widest.append(
                            int(page.evaluate("() => document.documentElement.scrollWidth"))
                        )
                    over = [w for w in widest if w > width]
                    wide[kind] = {"pages": len(checked), "wider": len(over), "max": max(widest)}
                context.close()
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            sizes: list[tuple[str, int]] = []

            def on_response(response: Any) -> None:
                with contextlib.suppress(Exception):
                    sizes.append((response.request.resource_type, len(response.body())))

            page.on("response", on_response)
            page.goto(base + kinds["comparison"][0], wait_until="networkidle")
            first = page.locator("#comparison thead th").nth(1).inner_text().strip()
            mentions = page.evaluate(VISIBLE_MENTIONS, first)
            context.close()
            for kind, size in sizes:
                key = TYPES.get(kind, "other")
                weight[key] = weight.get(key, 0) + size
        finally:
            browser.close()
    return {
        "comparison_page": kinds["comparison"][0],
        "heights": heights,
        "wider_than_375": wide,
        "comparison_name_mentions": {"name": first, "visible": mentions},
        "comparison_weight_bytes": {
            k: weight.get(k, 0) for k in ("html", "css", "js", "images", "other")
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates")
    parser.add_argument(
        "--comparison", help="the comparison page to measure (default: the largest)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="versus-metrics-") as tmp:
        site = Path(tmp) / "site"
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build", "-q", "--content", str(args.content)]
            + ["--out", str(site), "--templates", str(args.templates)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
        with serve(site) as base:
            figures = measure(site, base, args.comparison)
    print(f"{'kind':<14} {'375 px':>8} {'1280 px':>8}  wider than 375 px")
    for kind, h in figures["heights"].items():
        w = figures["wider_than_375"][kind]
        print(
            f"{kind:<14} {h['375']:>8} {h['1280']:>8}  {w['wider']} of {w['pages']}"
            f" (widest {w['max']} px)"
        )
    print(f"\nweight of {figures['comparison_page']} (bytes):")
    for kind, size in figures["comparison_weight_bytes"].items():
        print(f"  {kind:<7} {size:>8}")
    names = figures["comparison_name_mentions"]
    print(f"\n{names['name']!r} appears {names['visible']} times in its visible text")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
