"""A built site served the way the host serves it (netlify.toml's headers, its 404 page),
and Debian Chromium through Playwright: shared by the search and picker tests."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.test_validators import CHROMIUM, Handler, need, production_headers


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """`site` over http on 127.0.0.1; yields its address without the final slash."""
    Handler.headers_to_add = production_headers()
    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    need(CHROMIUM.exists(), str(CHROMIUM))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


def watch(page: Any) -> list[str]:
    """Console errors, page errors and CSP reports of `page`, as they happen."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else 0)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems
