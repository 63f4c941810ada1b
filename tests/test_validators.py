"""The bundled site checked by real validators: the Nu Html Checker, axe-core in Chromium,
a link check over every page, and Chromium loading a comparison page at phone and desktop
widths.

The validators come from `tests/tools/` (`npm ci --prefix tests/tools --ignore-scripts`, which
`make test` runs when they are missing); Java runs vnu.jar and Debian chromium runs axe. When a
tool is missing the tests skip, or fail when VERSUS_REQUIRE_BROWSER=1 (CI, see `.ci/run`).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
import tomllib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

TOOLS = ROOT / "tests" / "tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
NPM_HINT = "run `npm ci --prefix tests/tools --ignore-scripts` (make test does it)"


def need(present: object, what: str) -> None:
    """Skip when a validator is missing; fail instead when CI requires it."""
    if present:
        return
    if os.environ.get("VERSUS_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"{what} is missing but VERSUS_REQUIRE_BROWSER=1 requires it")
    pytest.skip(f"needs {what} (.ci/run installs it)")


def site_url_of(rel: str) -> str:
    """The URL path of a built file: `compare/a-vs-b/index.html` -> `/compare/a-vs-b/`."""
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def kind_of(rel: str) -> str:
    parts = rel.split("/")
    if rel in {"index.html", "404.html"}:
        return "home" if rel == "index.html" else "404"
    if len(parts) == 2 and parts[1] == "index.html":
        return {"compare": "compare-index"}.get(parts[0], parts[0])
    if len(parts) == 3 and parts[2] == "index.html":
        return {
            "compare": "comparison",
            "tools": "tool",
            "categories": "category",
            "alternatives": "alternatives",
        }.get(parts[0], "other")
    return "other"


def html_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to it."""
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith(".")
    )


# Every kind of page the site has. A new kind must be added here (a test checks it).
KINDS = [
    "home",
    "compare-index",
    "comparison",
    "tool",
    "category",
    "alternatives",
    "methodology",
    "search",
    "404",
]


def test_every_page_has_a_known_kind(bundled_site: Path) -> None:
    kinds = {rel: kind_of(rel) for rel in html_pages(bundled_site)}
    assert [rel for rel, kind in kinds.items() if kind not in KINDS] == []
    assert set(kinds.values()) == set(KINDS)


# --- 1. The Nu Html Checker over every page ------------------------------------------------


@dataclass
class NuReport:
    pages: list[str]
    errors: dict[str, list[str]] = field(default_factory=dict)  # page -> messages


@pytest.fixture(scope="module")
def nu_report(bundled_site: Path) -> NuReport:
    need(shutil.which("java"), "a Java runtime (`java`)")
    need(VNU_JAR.exists(), f"{VNU_JAR.relative_to(ROOT)}: {NPM_HINT}")
    pages = html_pages(bundled_site)
    result = subprocess.run(
        # -Xss: vnu needs a deep stack for the HTML schema (it says so on StackOverflowError).
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        + [str(bundled_site / rel) for rel in pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode in (0, 1) and result.stdout.startswith("{"), result.stderr
    report = NuReport(pages)
    for message in json.loads(result.stdout)["messages"]:
        # Anything but "info" is a problem: "error", and "non-document-error" (I/O, crashes).
        if message["type"] == "info":
            continue
        url = message.get("url", "")
        rel = str(Path(unquote(urlsplit(url).path)).relative_to(bundled_site)) if url else "?"
        where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        text = f"{rel}:{where}: {message['message']}"
        if message.get("extract"):
            text += f"  [{message['extract'].strip()!r}]"
        report.errors.setdefault(rel, []).append(text)
    pages_with_errors = len(report.errors)
    total = sum(len(v) for v in report.errors.values())
    print(f"\nNu Html Checker: {len(pages)} pages, {total} errors in {pages_with_errors} pages")
    return report


@pytest.mark.parametrize("kind", KINDS)
def test_nu_html_checker_finds_no_errors(nu_report: NuReport, kind: str) -> None:
    pages = [rel for rel in nu_report.pages if kind_of(rel) == kind]
    assert pages, kind
    errors = [text for rel in pages for text in nu_report.errors.get(rel, [])]
    assert errors == [], f"{len(errors)} errors in {len(pages)} {kind} pages:\n" + "\n".join(
        errors[:40]
    )


# --- 3. Links, anchors and assets on every page ----------------------------------------------


@dataclass
class Links:
    pages: int = 0
    checked: int = 0
    external: int = 0
    broken: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # javascript: URLs


def target_file(site: Path, path: str) -> Path | None:
    """The file a server would send for a URL path, or None."""
    parts = PurePosixPath(unquote(path)).parts[1:]
    if ".." in parts:
        return None
    file = site.joinpath(*parts)
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file if file.is_file() else None


@pytest.fixture(scope="module")
def links(bundled_site: Path) -> Links:
    site_yaml = (ROOT / "content" / "site.yaml").read_text("utf-8")
    base = next(
        line.split(":", 1)[1].strip().strip("\"'")
        for line in site_yaml.splitlines()
        if line.startswith("base_url:")
    )
    base_host = urlsplit(base).netloc
    soups = {
        rel: BeautifulSoup((bundled_site / rel).read_text("utf-8"), "html.parser")
        for rel in html_pages(bundled_site)
    }
    ids: dict[Path, set[str]] = {}

    def anchors(file: Path) -> set[str]:
        if file not in ids:
            rel = str(file.relative_to(bundled_site))
            page = soups.get(rel) or BeautifulSoup(file.read_text("utf-8"), "html.parser")
            found = {str(tag["id"]) for tag in page.find_all(id=True)}
            found |= {str(tag["name"]) for tag in page.find_all("a", attrs={"name": True})}
            ids[file] = found
        return ids[file]

    result = Links(pages=len(soups))
    for rel, page in soups.items():
        here = site_url_of(rel)
        refs: list[tuple[str, str, bool]] = []  # (what, url, is an asset)
        for tag in page.find_all(["a", "area", "link"], href=True):
            refs.append((f"<{tag.name} href>", str(tag["href"]), tag.name == "link"))
        for tag in page.find_all(["script", "img", "iframe", "source", "audio", "video"], src=True):
            refs.append((f"<{tag.name} src>", str(tag["src"]), True))
        for tag in page.find_all(["img", "source"], srcset=True):
            for candidate in str(tag["srcset"]).split(","):
                refs.append((f"<{tag.name} srcset>", candidate.split()[0], True))
        for tag in page.find_all("form", action=True):
            refs.append(("<form action>", str(tag["action"]), False))
        for tag in page.find_all("meta", attrs={"property": "og:image"}):
            refs.append(("og:image", str(tag.get("content", "")), True))
        for tag in page.find_all(True):
            for name, value in tag.attrs.items():
                if isinstance(value, str) and value.strip().lower().startswith("javascript:"):
                    result.scripts.append(f"{rel}: <{tag.name} {name}={value!r}>")
        for what, url, asset in refs:
            problems = result.assets if asset else result.broken
            url = url.strip()
            parts = urlsplit(urljoin(base if url.startswith(base) else here, url))
            if parts.scheme == "javascript":
                continue  # reported above
            if parts.scheme in {"mailto", "tel", "data"}:
                continue
            if url.startswith(("http://", "https://", "//")) and parts.netloc != base_host:
                result.external += 1
                continue
            result.checked += 1
            file = target_file(bundled_site, parts.path or "/")
            if file is None:
                problems.append(f"{rel}: {what} {url!r}: no such file")
            elif parts.fragment and unquote(parts.fragment) not in anchors(file) | {"top"}:
                problems.append(f"{rel}: {what} {url!r}: no element with id {parts.fragment!r}")
    print(
        f"\nLink check: {result.pages} pages, {result.checked} internal links and assets checked"
        f" ({result.external} external not fetched), {len(result.broken)} broken links,"
        f" {len(result.assets)} missing assets, {len(result.scripts)} javascript: URLs"
    )
    return result


def test_no_broken_internal_links_or_anchors(links: Links) -> None:
    assert links.pages > 0 and links.checked > links.pages
    assert links.broken == [], "\n".join(links.broken[:40])


def test_every_stylesheet_script_image_and_og_image_exists(links: Links) -> None:
    assert links.assets == [], "\n".join(links.assets[:40])


def test_no_javascript_urls(links: Links) -> None:
    assert links.scripts == [], "\n".join(links.scripts[:40])


# --- A local server and Chromium ---------------------------------------------------------------


def production_headers() -> dict[str, str]:
    """The headers netlify.toml sets on every response (the CSP among them)."""
    config = tomllib.loads((ROOT / "netlify.toml").read_text("utf-8"))
    for rule in config.get("headers", []):
        if rule.get("for") == "/*":
            return {str(k): str(v) for k, v in rule.get("values", {}).items()}
    return {}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files like the host serves them: its headers, and /404.html for missing paths."""

    headers_to_add: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.headers_to_add.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(bundled_site: Path) -> Iterator[str]:
    """The bundled site over http on 127.0.0.1; yields its base URL without the slash."""
    handler = functools.partial(Handler, directory=str(bundled_site))
    Handler.headers_to_add = production_headers()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(CHROMIUM.exists(), str(CHROMIUM))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


def biggest(site: Path, folder: str) -> str:
    """The URL of the largest page in a folder: the most content to lay out and check."""
    files = sorted((site / folder).glob("*/index.html"), key=lambda p: (-p.stat().st_size, p))
    assert files, folder
    return site_url_of(str(files[0].relative_to(site)))


def first(site: Path, folder: str) -> str:
    files = sorted((site / folder).glob("*/index.html"))
    assert files, folder
    return site_url_of(str(files[0].relative_to(site)))


# --- 2. axe-core on one page of each kind ------------------------------------------------------

AXE_PAGES = ["home", "tool", "comparison", "category", "methodology", "404"]


def axe_url(site: Path, which: str) -> str:
    return {
        "home": lambda: "/",
        "tool": lambda: first(site, "tools"),
        "comparison": lambda: biggest(site, "compare"),
        "category": lambda: first(site, "categories"),
        "alternatives": lambda: first(site, "alternatives"),
        "methodology": lambda: "/methodology/",
        "404": lambda: "/no-such-page/",
    }[which]()


@pytest.mark.parametrize("which", AXE_PAGES)
def test_axe_finds_no_accessibility_violations(
    bundled_site: Path, served: str, browser: Any, which: str
) -> None:
    need(AXE_JS.exists(), f"{AXE_JS.relative_to(ROOT)}: {NPM_HINT}")
    url = axe_url(bundled_site, which)
    # The production CSP forbids inline scripts, axe's own included: let this context inject it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        response = page.goto(served + url, wait_until="load")
        assert response is not None
        assert response.status == (404 if which == "404" else 200), url
        page.add_script_tag(content=AXE_JS.read_text("utf-8"))
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
    finally:
        context.close()
    assert results["passes"], f"axe checked nothing on {url}"
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -- "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        + (f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else "")
        for v in results["violations"]
    ]
    print(f"\naxe-core {results['testEngine']['version']} on {url}: {len(violations)} violations")
    assert violations == [], f"{url}:\n" + "\n".join(violations)


# --- 4. A comparison page in Chromium at phone and desktop widths -----------------------------

VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 800)}

OVERFLOWING = """() => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className
       ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const all = [...document.querySelectorAll('body *')];
  const past = all.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5);
  // Content wider than its own box (a long word, a wide table) with nothing inside to blame.
  const spill = all.filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
    && getComputedStyle(e).overflowX === 'visible');
  const deepest = spill.filter(e => !spill.some(o => o !== e && e.contains(o)));
  return [...past.map(e => name(e) + ' right=' + Math.round(e.getBoundingClientRect().right)),
          ...deepest.map(e => `${name(e)} content ${e.scrollWidth}px in ${e.clientWidth}px`)]
    .slice(0, 10);
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_comparison_page_loads_cleanly(
    bundled_site: Path, served: str, browser: Any, viewport: str
) -> None:
    width, height = VIEWPORTS[viewport]
    url = biggest(bundled_site, "compare")
    has_favicon = (bundled_site / "favicon.ico").is_file()
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    console: list[str] = []
    failed: list[str] = []
    favicon: list[str] = []
    page.on(
        "console",
        lambda msg: (
            console.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))

    def on_failed(request: Any) -> None:
        failed.append(f"{request.url}: {request.failure}")

    def on_response(response: Any) -> None:
        if response.status >= 400:
            path = urlsplit(response.url).path
            if path == "/favicon.ico" and not has_favicon:
                favicon.append(f"{response.url}: HTTP {response.status}")
            else:
                failed.append(f"{response.url}: HTTP {response.status}")

    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    try:
        response = page.goto(served + url, wait_until="networkidle")
        assert response is not None and response.status == 200
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"{url.strip('/').replace('/', '_')}-{width}x{height}.png"
        page.screenshot(path=str(shot), full_page=True)
        scroll_width, inner_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        overflowing = page.evaluate(OVERFLOWING) if scroll_width > inner_width else []
    finally:
        context.close()
    # Chromium asks for /favicon.ico by itself; the site has none. Not a page error, but say so.
    favicon_note = [f"(ignored: the site has no /favicon.ico: {favicon})"] if favicon else []
    print(f"\n{url} at {width}px: screenshot {shot.relative_to(ROOT)}", *favicon_note)
    if favicon:
        warnings.warn(f"the site has no /favicon.ico; browsers request it: {favicon}", stacklevel=1)
    problems = console + failed
    if viewport == "phone" and scroll_width > inner_width:
        problems.append(
            f"scrolls sideways: scrollWidth {scroll_width} > innerWidth {inner_width};"
            f" elements past the right edge: {overflowing}"
        )
    assert problems == [], f"{url} at {width}x{height}:\n" + "\n".join(problems)
