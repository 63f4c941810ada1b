"""Figures for `versus refresh`, against the local replay server (no network).

    .venv/bin/python -m benchmarks.refresh [--tools 200]

For the bundled catalogue and a generated one of N tools (benchmarks/make_catalogue.py,
each tool given a GitHub repository, a Hugging Face model and a PyPI project), it prints:
wall time and requests of a first run (empty ETag cache), of a second run (the requests
answered 304 are the ones conditional requests saved), and of a run under a simulated
GitHub rate limit (a budget of 10 requests for the bundled catalogue and 50 for the
generated one, reset after 30 s, on a fake clock so the
waits are counted, not slept). It is a script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.make_catalogue import write_catalogue  # noqa: E402
from generator import refresh  # noqa: E402
from generator.refresh_http import Client  # noqa: E402
from tests.replay import ENV_VARS, Limit, Replay  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self) -> None:
        self.t = time.time()
        self.waited = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.waited += seconds
        self.t += seconds


def one_run(content: Path, cache: Path, clock: Clock | None, dry_run: bool) -> tuple[str, str]:
    client = Client()
    if clock is not None:
        client.now, client.sleep = clock.now, clock.sleep
    out, err = io.StringIO(), io.StringIO()
    options = refresh.Options(content=content, cache=cache, dry_run=dry_run, accept_jumps=True)
    started = time.perf_counter()
    code = refresh.main(options, out, err, client)
    wall = time.perf_counter() - started
    s = client.stats
    failed = len([line for line in err.getvalue().splitlines() if "identifiers." in line])
    line = (
        f"{wall:6.2f}s wall  {s.requests:5d} requests  {s.not_modified:5d} answered 304  "
        f"{s.rate_limited:3d} rate-limited  {s.waited:6.1f}s waited  exit {code}  "
        f"{failed} tools failed"
    )
    return line, out.getvalue()


def catalogue(name: str, content: Path, budget: int) -> None:
    cache = content.parent / f"{name}-etags.json"
    clock = Clock()
    replay = Replay(now=clock.now)
    os.environ.update({var: replay.url for var in ENV_VARS})
    try:
        first, _ = one_run(content, cache, clock, dry_run=False)
        second, _ = one_run(content, cache, clock, dry_run=False)
        print(f"{name}: first run      {first}")
        print(f"{name}: second run     {second}")
        cache.unlink()
        replay.limits["github"] = Limit(budget=budget, reset=30, style="github")
        limited, _ = one_run(content, cache, clock, dry_run=True)
        print(f"{name}: rate limited   {limited}")
        replay.limits["github"] = Limit(budget=0, reset=3600, style="github")
        exhausted, _ = one_run(content, cache, clock, dry_run=True)
        print(f"{name}: exhausted      {exhausted}")
    finally:
        replay.close()


def with_identifiers(root: Path, n: int) -> Path:
    content = root / "generated"
    slugs = write_catalogue(n, content)
    for i, slug in enumerate(slugs):
        path = content / "tools" / f"{slug}.yaml"
        extra = f'identifiers:\n  github: "org{i}/{slug}"\n  huggingface: "org{i}/{slug}"\n'
        extra += f'  pypi: "{slug}"\n'
        path.write_text(path.read_text("utf-8") + extra, "utf-8")
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tools", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1796256000")
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        bundled = Path(tmp) / "bundled" / "content"
        shutil.copytree(ROOT / "content", bundled)
        catalogue("bundled (39 tools, 26 with identifiers)", bundled, 10)
        generated = with_identifiers(Path(tmp), args.tools)
        catalogue(f"generated ({args.tools} tools)", generated, 50)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
