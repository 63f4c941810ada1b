"""Save-to-reload latency of `versus serve`, measured in headless Chromium.

For each catalogue (the bundled content, and a synthetic one of N tools), serve a copy,
open one comparison page, then ten times: change a capability title in the YAML and time
until the open page shows the new title (no manual reload). Prints the median and range.

    python benchmarks/reload_latency.py [--tools 200] [--saves 10]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.make_catalogue import write_catalogue
from generator.build import BuildOptions
from generator.serve import serve

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def measure(content: Path, saves: int) -> list[float]:
    work = Path(tempfile.mkdtemp(prefix="versus-reload-"))
    try:
        shutil.copytree(content, work / "content")
        options = BuildOptions(
            content=work / "content", out=work / "site", templates=ROOT / "templates"
        )
        ready: list[str] = []
        stop = threading.Event()
        server = threading.Thread(
            target=serve,
            args=(options, 0),
            kwargs={
                "say": lambda t: None,
                "on_built": lambda r: None,
                "ready": ready.append,
                "stop": stop,
            },
            daemon=True,
        )
        server.start()
        while not ready:
            time.sleep(0.05)
        # The first comparison the pair policy built (not every pair has a page).
        pair = min(p.name for p in (work / "site" / "compare").iterdir() if "-vs-" in p.name)
        a = work / "content" / "tools" / f"{pair.split('-vs-')[0]}.yaml"
        original = a.read_text("utf-8")
        first_title = re.search(r"^\s*(?:- )?title: (.+)$", original, re.M)
        assert first_title is not None
        old = first_title.group(0)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(f"{ready[0]}compare/{pair}/")
            page.wait_for_timeout(500)
            for i in range(saves):
                marker = f"Edited title {i}"
                started = time.perf_counter()
                a.write_text(original.replace(old, old.split("title:")[0] + f"title: {marker}"))
                page.wait_for_function(
                    f"document.body.innerText.includes({marker!r})", timeout=60_000
                )
                times.append(time.perf_counter() - started)
                page.wait_for_timeout(300)
            browser.close()
        stop.set()
        server.join(timeout=20)
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tools", type=int, default=200)
    parser.add_argument("--saves", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="versus-cat-") as tmp:
        write_catalogue(args.tools, Path(tmp))
        for label, content in [("bundled", ROOT / "content"), (f"{args.tools} tools", Path(tmp))]:
            times = measure(content, args.saves)
            print(
                f"{label:>10}: median {statistics.median(times):.2f}s over {len(times)} saves "
                f"(min {min(times):.2f}s, max {max(times):.2f}s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
