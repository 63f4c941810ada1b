"""Import of a large Search Console export: wall time (median of 3) and peak memory.

Generates a Queries.csv of N rows (default 50,000) in the export's format, a fifth of them
comparison queries between tools of the bundled content, the rest other queries, and runs
`versus import search-console` on a copy of the bundled content, each run in a fresh
process; peak memory is that process's maximum resident set size. Prints figures; not a test.

    .venv/bin/python benchmarks/import_search_console.py [--rows 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["free", "pricing", "api", "download", "review", "tutorial", "login", "app", "online"]
CONNECTORS = ["vs", "vs.", "versus", "or", "compared to"]
SUFFIXES = ["", "", " for coding", " reddit", " 2026", " which is better"]


def make_export(path: Path, rows: int, names: list[str]) -> None:
    rng = random.Random(50_000)
    lines = ["Top queries,Clicks,Impressions,CTR,Position"]
    seen: set[str] = set()
    while len(seen) < rows:
        if rng.random() < 0.2:
            a, b = rng.sample(names, 2)
            q = f"{a} {rng.choice(CONNECTORS)} {b}{rng.choice(SUFFIXES)}"
        else:
            q = " ".join(rng.sample(WORDS, 2)) + f" {rng.choice(names)} {rng.randrange(10**6)}"
        q = q.lower()
        if q in seen:
            continue
        seen.add(q)
        impressions = rng.randint(10, 50_000)
        clicks = rng.randint(0, impressions // 10)
        ctr = f"{100 * clicks / impressions:.2f}%"
        lines.append(f'"{q}",{clicks},{impressions},{ctr},{rng.uniform(1, 60):.1f}')
    path.write_text("\n".join(lines) + "\n", "utf-8")


def run_once(export: Path, content: Path) -> tuple[float, int]:
    """Seconds and peak resident kilobytes of one import in a fresh process."""
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "import",
            "search-console",
            str(export),
            "--content",
            str(content),
            "--period",
            "2026-09-01 to 2026-11-30",
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(result.stderr)
    # The largest child so far: every run imports the same file, so it is this one's size.
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from generator.load import read_content
    from generator.validate import validate

    catalog = validate(read_content(ROOT / "content"))
    names = [t.name for t in catalog.tools.values()] + [
        a for t in catalog.tools.values() for a in t.aliases
    ]
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "Queries.csv"
        make_export(export, args.rows, names)
        size = export.stat().st_size
        times, peaks = [], []
        for _ in range(args.runs):
            content = Path(tmp) / "content"
            shutil.rmtree(content, ignore_errors=True)
            shutil.copytree(ROOT / "content", content)
            seconds, peak = run_once(export, content)
            times.append(seconds)
            peaks.append(peak)
        print(f"export: {args.rows:,} rows, {size / 1e6:.1f} MB, {len(names)} tool names")
        print(f"import wall time: median {statistics.median(times):.2f} s "
              f"of {args.runs} runs ({', '.join(f'{t:.2f}' for t in times)})")  # fmt: skip
        print(f"peak memory (max RSS of the import process): {max(peaks) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
