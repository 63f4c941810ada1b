"""The dev server: its request handling directly, then one real browser session."""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from generator.build import BuildOptions
from generator.serve import PREFIX, Site, Watcher, serve
from tests.conftest import FIXTURE, TEMPLATES

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def served(tmp_path: Path) -> Site:
    shutil.copytree(FIXTURE, tmp_path / "content")
    options = BuildOptions(
        content=tmp_path / "content", out=tmp_path / "site", templates=TEMPLATES, workers=1
    )
    site = Site(options, on_built=lambda report: None)
    site.rebuild()
    assert site.state.errors == []
    return site


def test_pages_get_the_reload_script_only_when_served(served: Site) -> None:
    status, ctype, body = served.read("/compare/alpha-vs-beta/")
    assert status == 200 and ctype.startswith("text/html")
    assert f'<script src="{PREFIX}reload.js"></script></body>'.encode() in body
    on_disk = (served.options.out / "compare" / "alpha-vs-beta" / "index.html").read_bytes()
    assert PREFIX.encode() not in on_disk


def test_missing_pages_get_the_404_page_and_paths_stay_inside(served: Site) -> None:
    status, _, body = served.read("/compare/nope-vs-nothing/")
    assert status == 404 and b"Page not found" in body
    status, _, body = served.read("/../../etc/passwd")
    assert status == 404 and b"root:" not in body
    status, ctype, _ = served.read("/robots.txt")
    assert status == 200 and ctype.startswith("text/plain")


def test_errors_are_published_then_cleared(served: Site) -> None:
    tool = served.options.content / "tools" / "beta.yaml"
    good = tool.read_text()
    tool.write_text(good.replace("plan: paid", "plan: premium"))
    served.rebuild()
    assert served.state.errors and "tools/beta.yaml:" in served.state.errors[0]
    assert "pricing.plan" in served.state.errors[0]
    generation = served.state.generation
    tool.write_text(good)
    served.rebuild()
    assert served.state.errors == [] and served.state.generation == generation + 1


def test_deleted_tool_pages_disappear_and_new_ones_appear(served: Site) -> None:
    tools = served.options.content / "tools"
    (tools / "epsilon.yaml").write_text((tools / "delta.yaml").read_text())
    (tools / "delta.yaml").unlink()
    served.rebuild()
    assert served.read("/compare/alpha-vs-delta/")[0] == 404
    assert served.read("/compare/alpha-vs-epsilon/")[0] == 200


def test_between_saves_pages_are_published_first_and_the_index_follows(tmp_path: Path) -> None:
    """serve defers the search index: a save publishes its pages with the old index (kept,
    marked stale), and the index build that follows brings it up to date without
    reloading open tabs."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    options = BuildOptions(
        content=tmp_path / "content", out=tmp_path / "site", templates=TEMPLATES, workers=1,
        defer_search=True, keep_in_memory=True,
    )  # fmt: skip
    site = Site(options, on_built=lambda report: None)
    first = site.rebuild()
    assert first is not None and first.report is not None
    assert first.report.search_written > 0 and not site.index_due  # no index yet: built now
    entry = options.out / "pagefind" / "pagefind-entry.json"
    indexed = entry.read_bytes()
    alpha = options.content / "tools" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("Writes a caption.", "Writes a zanzibar."))
    generation = site.state.generation
    saved = site.rebuild()
    assert saved is not None and saved.report is not None
    assert "zanzibar" in (options.out / "tools" / "alpha" / "index.html").read_text()
    assert saved.report.search_written == 0 and site.index_due
    assert entry.read_bytes() == indexed  # the old index, still whole
    assert site.state.generation == generation + 1  # open tabs reload for the new pages
    index = site.rebuild("index")
    assert index is not None and index.report is not None and not index.errors
    assert index.report.search_written > 0 and not site.index_due
    assert entry.read_bytes() != indexed
    assert index.report.written == 0  # no page changed, only the index
    assert site.state.generation == generation + 1  # so no tab is reloaded for it
    again = site.rebuild()  # nothing changed since: nothing is due
    assert again is not None and again.report is not None and not site.index_due
    assert again.report.search_written == 0


def test_a_burst_of_events_gives_one_rebuild(tmp_path: Path) -> None:
    watcher = Watcher(ignore=[tmp_path / "site"])

    class Event:
        event_type = "modified"

        def __init__(self, path: Path) -> None:
            self.src_path = str(path)

    for i in range(30):
        watcher.on_any_event(Event(tmp_path / "content" / f"f{i}.yaml"))  # type: ignore[arg-type]
    watcher.on_any_event(Event(tmp_path / "site" / "index.html"))  # type: ignore[arg-type]
    stop = threading.Event()
    assert watcher.wait_for_burst(stop) is True
    assert watcher.wait_for_burst(stop, idle=0.3) is None  # quiet: time for a due index
    stop.set()
    assert watcher.wait_for_burst(stop) is False  # nothing more pending


def test_live_reload_in_a_real_browser(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("VERSUS_REQUIRE_BROWSER"):
            pytest.fail("/usr/bin/chromium is missing but CI requires the browser test")
        pytest.skip("needs Debian chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    shutil.copytree(FIXTURE, tmp_path / "content")
    options = BuildOptions(
        content=tmp_path / "content", out=tmp_path / "site", templates=TEMPLATES, workers=1
    )
    ready: list[str] = []
    listening = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(
        target=serve,
        args=(options, 0),
        kwargs={
            "say": lambda text: None,
            "on_built": lambda r: None,
            "ready": lambda url: (ready.append(url), listening.set()),
            "stop": stop,
        },
        daemon=True,
    )
    thread.start()
    assert listening.wait(timeout=120)
    tool = tmp_path / "content" / "tools" / "beta.yaml"
    good = tool.read_text()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(ready[0] + "compare/alpha-vs-beta/")
            page.wait_for_timeout(300)  # let the event stream connect
            latencies = []
            for i in range(3):
                started = time.perf_counter()
                tool.write_text(good.replace("title: Style references", f"title: Style codes {i}"))
                page.wait_for_function(
                    f"document.body.innerText.includes('Style codes {i}')", timeout=5000
                )
                latencies.append(time.perf_counter() - started)
            assert statistics.median(latencies) < 2.0, latencies

            tool.write_text(good.replace("plan: paid", "plan: premium"))
            overlay = page.locator("#versus-overlay")
            overlay.wait_for(timeout=5000)
            assert "content/tools/beta.yaml:" in overlay.inner_text() or "beta.yaml:" in (
                overlay.inner_text()
            )
            assert "pricing.plan" in overlay.inner_text()

            tool.write_text(good)
            page.wait_for_function(
                "document.body.innerText.includes('Style references') && "
                "!document.getElementById('versus-overlay')",
                timeout=5000,
            )
            browser.close()
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_cli_serve_stops_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    shutil.copytree(FIXTURE, tmp_path / "content")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", "0", "--templates", str(TEMPLATES)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    url = ""
    for line in proc.stdout:  # serve prints this once it listens, its signal handlers set
        if line.startswith("Serving "):
            url = line.split()[1]
            break
    assert url.startswith("http://127.0.0.1:"), "serve ended before it was ready"
    with urllib.request.urlopen(url + "tools/alpha/") as response:
        assert response.status == 200
    proc.send_signal(sig)
    rest, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, rest
    assert "Stopped." in rest and "Traceback" not in rest
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
