"""Every kind of page of the bundled site laid out in Chromium at 320, 375, 768 and 1,280 px:
nothing wider than the screen, no console error, a table that must scroll says so and keeps
its first column in view, the comparison page's header stays in view, and axe finds no
violation in dark mode either. Screenshots go to test-artifacts/layout/ for review."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser_site import chromium, serve
from tests.conftest import ROOT
from tests.test_validators import (
    AXE_JS,
    AXE_PAGES,
    NPM_HINT,
    axe_url,
    biggest,
    need,
)

SHOTS = ROOT / "test-artifacts" / "layout"
WIDTHS = [320, 375, 768, 1280]


def page_of(site: Path, kind: str) -> str:
    """The page of a kind with the most content to lay out."""
    return {
        "home": lambda: "/",
        "compare-index": lambda: "/compare/",
        "comparison": lambda: biggest(site, "compare"),
        "tool": lambda: biggest(site, "tools"),
        "category": lambda: biggest(site, "categories"),
        "methodology": lambda: "/methodology/",
        "search": lambda: "/search/",
        "404": lambda: "/no-such-page/",
    }[kind]()


@pytest.fixture(scope="module")
def served(bundled_site: Path) -> Iterator[str]:
    """The bundled site over http on 127.0.0.1, with the host's headers (the CSP among
    them) and its 404 page; yields the base URL without the slash."""
    with serve(bundled_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


KINDS = [
    "home",
    "compare-index",
    "comparison",
    "tool",
    "category",
    "methodology",
    "search",
    "404",
]

# Elements whose right edge is past the viewport, unless a scrolling (or clipping) box holds
# them; and, at the end, the document's own width.
TOO_WIDE = """() => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className
       ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const clipped = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(e))
    .map(e => name(e) + ' right=' + Math.round(e.getBoundingClientRect().right));
  if (document.documentElement.scrollWidth > window.innerWidth) {
    out.push('document ' + document.documentElement.scrollWidth + 'px wide');
  }
  return out.slice(0, 10);
}"""

# Every table frame that scrolls: whether it can take focus, names a visible hint, and keeps
# its first column's cells in place (sticky) when scrolled.
SCROLLERS = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => {
    const hint = document.getElementById(w.getAttribute('aria-describedby') || '');
    const first = w.querySelector('tbody tr > :first-child');
    return {
      table: w.querySelector('table').id,
      focusable: w.tabIndex === 0,
      hint: hint ? hint.textContent.trim() : '',
      hintShown: !!hint && hint.getBoundingClientRect().height > 0,
      sticky: first ? getComputedStyle(first).position : 'none',
    };
  })"""

# Entries of multi-column lists broken across two columns (a split box has several rects).
SPLIT_ENTRIES = """() => [...document.querySelectorAll('ul.multi > li, .members > li')]
  .filter(li => li.getClientRects().length > 1).map(li => li.textContent.trim()).slice(0, 5)"""

# How far above the bottom of the window the footer ends on a page shorter than the window.
FOOTER_GAP = """() => {
  const bottom = document.querySelector('.site-footer').getBoundingClientRect().bottom + scrollY;
  return Math.max(0, Math.round(window.innerHeight - bottom));
}"""


def open_page(
    browser: Any, url: str, width: int, **context_args: Any
) -> tuple[Any, Any, list[str]]:
    """A page at `width` px with every console error, uncaught error and failed request
    recorded (Chromium's own /favicon.ico request aside: the site declares an SVG icon)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, **context_args)
    page = context.new_page()
    problems: list[str] = []

    def on_console(msg: Any) -> None:
        # The 404 page's own status is logged as a failed load: expected, and asserted.
        own = urlsplit(msg.location.get("url", "")).path == url and url == "/no-such-page/"
        if msg.type == "error" and not own:
            problems.append(f"console.{msg.type}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"{r.url}: {r.failure}"))

    def on_response(response: Any) -> None:
        path = urlsplit(response.url).path
        if response.status >= 400 and path not in (url, "/favicon.ico"):
            problems.append(f"{response.url}: HTTP {response.status}")

    page.on("response", on_response)
    return context, page, problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_page_fits_the_screen(
    bundled_site: Path, served: str, browser: Any, kind: str, width: int
) -> None:
    url = page_of(bundled_site, kind)
    context, page, problems = open_page(browser, url, width)
    try:
        response = page.goto(served + url, wait_until="networkidle")
        assert response is not None
        assert response.status == (404 if kind == "404" else 200), url
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{kind}-{width}.png"), full_page=True)
        too_wide = page.evaluate(TOO_WIDE)
        scrollers = page.evaluate(SCROLLERS)
        split = page.evaluate(SPLIT_ENTRIES)
        footer_gap = page.evaluate(FOOTER_GAP)
    finally:
        context.close()
    assert too_wide == [], f"{url} at {width}px"
    assert split == [], f"{url} at {width}px: list entries split across columns"
    assert footer_gap == 0, f"{url} at {width}px: the footer ends {footer_gap}px above the bottom"
    assert problems == [], f"{url} at {width}px"
    for s in scrollers:
        assert s["focusable"], (url, width, s)
        assert "the table scrolls sideways;" in s["hint"] and s["hintShown"], (url, s)
        assert s["sticky"] == "sticky", (url, width, s)


@pytest.mark.parametrize("folder", ["tools", "categories", "compare"])
def test_no_page_of_a_folder_is_wider_than_a_small_phone(
    bundled_site: Path, served: str, browser: Any, folder: str
) -> None:
    """Every tool and category page, and the 20 largest comparison pages, at 320 px."""
    files = sorted(
        (bundled_site / folder).glob("*/index.html"), key=lambda p: (-p.stat().st_size, p)
    )
    urls = [f"/{folder}/{p.parent.name}/" for p in files[: 20 if folder == "compare" else None]]
    assert urls
    context, page, problems = open_page(browser, urls[0], 320)
    wide = {}
    try:
        for url in urls:
            page.goto(served + url, wait_until="load")
            found = page.evaluate(TOO_WIDE)
            if found:
                wide[url] = found
    finally:
        context.close()
    assert wide == {}
    # Moving on to the next page aborts the last one's pending requests: not a page's fault.
    assert [p for p in problems if not p.endswith("net::ERR_ABORTED")] == []


def test_table_of_a_phone_scrolls_and_says_so(
    bundled_site: Path, served: str, browser: Any
) -> None:
    """The leaderboard has more columns than a phone can show: it scrolls inside its frame,
    names a visible hint, and the tool names stay in view."""
    context, page, problems = open_page(browser, "/", 375)
    try:
        page.goto(served + "/", wait_until="load")
        (board,) = [s for s in page.evaluate(SCROLLERS) if s["table"] == "leaderboard"]
        wrap = page.locator("#leaderboard").locator("xpath=..")
        wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
        name = page.locator("#leaderboard tbody th").first.bounding_box()
    finally:
        context.close()
    assert board == {
        "table": "leaderboard",
        "focusable": True,
        "hint": "On a narrow screen the table scrolls sideways; tool names stay in view.",
        "hintShown": True,
        "sticky": "sticky",
    }
    assert name is not None and 0 <= name["x"] < 375 / 2  # still at the left after scrolling
    assert problems == []


def test_comparison_header_stays_in_view(bundled_site: Path, served: str, browser: Any) -> None:
    url = biggest(bundled_site, "compare")
    context, page, problems = open_page(browser, url, 1280)
    try:
        page.goto(served + url, wait_until="load")
        page.locator("#capabilities-h").scroll_into_view_if_needed()
        page.evaluate("() => window.scrollBy(0, 1500)")
        bar = page.locator("nav.pair-bar")
        box = bar.bounding_box()
        text = bar.locator("p").inner_text()
        a, b = [th.inner_text() for th in page.locator("#comparison thead th").all()[-2:]]
    finally:
        context.close()
    assert box is not None and box["y"] == 0
    assert text == f"{a} vs {b}"
    assert problems == []


@pytest.mark.parametrize("which", AXE_PAGES)
def test_axe_finds_no_violations_in_dark_mode(
    bundled_site: Path, served: str, browser: Any, which: str
) -> None:
    need(AXE_JS.exists(), f"{AXE_JS.relative_to(ROOT)}: {NPM_HINT}")
    url = axe_url(bundled_site, which)
    context = browser.new_context(bypass_csp=True, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(served + url, wait_until="load")
        dark = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
        background = page.evaluate(
            "() => getComputedStyle(document.documentElement).backgroundColor"
        )
        page.add_script_tag(content=AXE_JS.read_text("utf-8"))
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
    finally:
        context.close()
    assert dark and background == "rgb(13, 17, 23)"  # the dark theme is the one checked
    assert results["passes"], f"axe checked nothing on {url}"
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -- "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
    ]
    assert violations == [], f"{url}:\n" + "\n".join(violations)


@pytest.mark.parametrize("width", [320, 1024, 1152, 1280])
def test_picker_labels_sit_above_their_selects(
    bundled_site: Path, served: str, browser: Any, width: int
) -> None:
    """Each label of "Compare two tools" is on the line above its own select, at its left."""
    context, page, problems = open_page(browser, "/", width)
    try:
        page.goto(served + "/", wait_until="load")
        boxes = {
            f: (
                page.locator(f"label[for={f}]").bounding_box(),
                page.locator(f"#{f}").bounding_box(),
            )
            for f in ("pick-a", "pick-b")
        }
    finally:
        context.close()
    for field, (label, select) in boxes.items():
        assert label is not None and select is not None
        assert label["y"] + label["height"] <= select["y"] + 0.5, (width, field, label, select)
        assert abs(label["x"] - select["x"]) < 1, (width, field, label, select)
        assert select["y"] - (label["y"] + label["height"]) < 16, (width, field, label, select)
    assert problems == []
