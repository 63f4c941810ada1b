"""Build time and memory at the 1,000-tool scale, for two pair policies.

    .venv/bin/python benchmarks/large.py [--tools 1000] [--runs 1] [--rebuild-runs 3]
        [--out-root DIR] [--skip-all] [--share-images] [--search-index] [--workers N] [--keep]

For a synthetic catalogue of N tools (benchmarks/make_catalogue.py) it builds the site under
two pair policies:

  default   site.yaml's default pair policy (`same-category`: tools that share a category).
            The catalogue has only 4 categories, so at 1,000 tools each category holds a few
            hundred tools and the flat layout's compare/ folder would hold ~150,000 entries:
            the build refuses it (hosting.max_folder_entries, 54,000). This policy therefore
            also uses `hosting: {layout: nested}` (/compare/<a>/<a>-vs-<b>/).
  all       `pairs: {rules: [all]}` with `hosting: {layout: nested}`: every pair, 499,500
            comparison pages at 1,000 tools (~25 GB of HTML). Takes many minutes; --skip-all
            leaves it out.

and reports, per policy, the medians of:

  full       `versus build --clean` into an emptied output folder (--runs, default 1)
  no change  `versus build` again with nothing edited (--rebuild-runs, default 3)

with wall and cpu seconds, pages/s, peak RSS (`ru_maxrss` from wait4: the largest single
process of the tree) and tree PSS (the peak of the summed proportional set sizes of the
whole process tree, sampled from /proc), as benchmarks/run.py measures them (measure.py).
Share images are off unless --share-images, and the search index unless --search-index (as
in run.py's main series: the images double the files written; the index is Pagefind's work,
and its memory is Pagefind's, a separate process that reads every indexed page).

Output goes to a new folder under --out-root, by default the system temp directory ($TMPDIR,
usually /tmp), which must be on a disk: tmpfs (/dev/shm) is memory and 'all' does not fit in
it. A policy whose pages would not fit in the free space is skipped with a message. The
folder is deleted afterwards unless --keep. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:  # run as a script: benchmarks/ is on sys.path, not the repo
    sys.path.insert(0, str(REPO))

from benchmarks.measure import BenchError, Row, log, remove, summarise  # noqa: E402
from benchmarks.versus_bench import VersusBench  # noqa: E402

EST_BYTES_PER_PAGE = 55_000  # a comparison page of make_catalogue's tools is ~49 KB
POLICIES: dict[str, str] = {
    "default": "hosting:\n  layout: nested\n",
    "all": "pairs:\n  rules: [all]\nhosting:\n  layout: nested\n",
}


def comparison_pages(content: Path) -> int:
    """How many comparison pages the site's pair policy builds (from Versus's own plan)."""
    from generator.load import read_content
    from generator.plan import assemble
    from generator.validate import validate

    return assemble(validate(read_content(content))).pairs.built


def filesystem_type(path: Path) -> str:
    """The type (ext4, tmpfs, ...) of the filesystem holding `path`, '' when unknown."""
    best, kind = "", ""
    try:
        with open("/proc/mounts", encoding="utf-8") as f:
            for line in f:
                fields = line.split()
                if len(fields) < 3 or len(fields[1]) <= len(best):
                    continue
                if path.is_relative_to(fields[1]):
                    best, kind = fields[1], fields[2]
    except OSError:
        pass
    return kind


def bench_policy(policy: str, n: int, root: Path, args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.make_catalogue import write_catalogue

    result: dict[str, Any] = {"policy": policy, "rows": [], "errors": []}
    t0 = time.monotonic()
    write_catalogue(n, root / "content")
    site_file = root / "content" / "site.yaml"
    extra = POLICIES[policy] + ("" if args.share_images else "share_images: false\n")
    extra += "" if args.search_index else "search_index: false\n"
    site_file.write_text(site_file.read_text("utf-8") + extra, "utf-8")
    pairs = comparison_pages(root / "content")
    log(f"{policy}: {n} tools, {pairs:,} comparison pages planned ({time.monotonic() - t0:.1f}s)")
    need = int(pairs * EST_BYTES_PER_PAGE * (2.2 if args.share_images else 1.1)) + (200 << 20)
    free = shutil.disk_usage(root).free
    if free < need:
        result["errors"].append(
            f"{policy}: needs about {need / 1e9:.1f} GB free under {root} ({pairs:,} "
            f"comparison pages); only {free / 1e9:.1f} GB is free. Use --out-root on a "
            "larger filesystem."
        )
        log(f"skipping: {result['errors'][-1]}")
        return result
    v = VersusBench(root, n, args)
    try:
        full = v.series(f"{policy} full", lambda k: remove(v.out), clean=True, runs=args.runs)
        pages = int(full[-1].report["pages"]) if full[-1].report else 0
        result["rows"].append(summarise(n, "full", full, pages))
        same = v.series(f"{policy} no change", lambda k: None, runs=args.rebuild_runs)
        result["rows"].append(summarise(n, "no change", same, pages))
        result["comparison_pages"] = pairs
    except BenchError as exc:
        log(f"Versus failed ({policy}): {exc}")
        result["errors"].append(f"{policy}: {exc}")
    finally:
        v.tidy()
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| N | policy | build | comparison pages | pages | written | wall s | cpu s | pages/s "
        "| peak RSS MiB | tree PSS MiB |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for res in results:
        for row in res["rows"]:
            assert isinstance(row, Row)
            pss = "-" if row.tree_pss_mib is None else f"{row.tree_pss_mib:.0f}"
            written = "-" if row.written is None else f"{row.written:,}"
            lines.append(
                f"| {row.n} | {res['policy']} | {row.build} | {res.get('comparison_pages', 0):,} "
                f"| {row.pages:,} | {written} | {row.wall_s:.2f} | {row.cpu_s:.2f} "
                f"| {row.pages_per_s:,.0f} | {row.peak_rss_mib:.0f} | {pss} |"
            )
        notes += [f"ERROR {e.splitlines()[0]}" for e in res["errors"]]
    return "\n".join(lines + ([""] + notes if notes else []))


def _parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Time full and no-change Versus builds of N synthetic tools under the "
        "default pair policy and under `all` (both with the nested layout)."
    )
    ap.add_argument("--tools", type=int, default=1000, help="number of tools (default 1000)")
    ap.add_argument("--runs", type=int, default=1, help="full builds per policy (default 1)")
    ap.add_argument(
        "--rebuild-runs", type=int, default=3, help="no-change builds per policy (default 3)"
    )
    ap.add_argument(
        "--out-root",
        type=Path,
        default=None,
        help="where to build, on a disk (default: the system temp directory)",
    )
    ap.add_argument("--skip-all", action="store_true", help="only the default pair policy")
    ap.add_argument("--share-images", action="store_true", help="build share images too")
    ap.add_argument("--search-index", action="store_true", help="build the search index too")
    ap.add_argument("--workers", type=int, default=0, help="versus --workers (default: cores)")
    ap.add_argument("--keep", action="store_true", help="keep the generated folders")
    ap.add_argument(
        "--sample-interval",
        type=float,
        default=0.2,
        help="seconds between /proc samples of the tree's PSS (0: off)",
    )
    args = ap.parse_args(argv)
    if args.tools < 2 or args.runs < 1 or args.rebuild_runs < 1:
        ap.error("expected --tools of at least 2 and run counts of at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    base = (args.out_root or Path(tempfile.gettempdir())).resolve()
    base.mkdir(parents=True, exist_ok=True)
    if filesystem_type(base) == "tmpfs":
        log(f"warning: {base} is on tmpfs (memory); 'all' at 1,000 tools needs ~25 GB")
    policies = ["default"] if args.skip_all else ["default", "all"]
    results = []
    for policy in policies:
        root = Path(tempfile.mkdtemp(prefix=f"versus-large-{policy}-", dir=base))
        try:
            results.append(bench_policy(policy, args.tools, root, args))
        finally:
            if args.keep:
                log(f"kept {root}")
            else:
                remove(root)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nMedians of {args.runs} full and {args.rebuild_runs} no-change build(s); "
        f"{os.cpu_count()} cores; load average at the end {load}; share images "
        f"{'on' if args.share_images else 'off'}; search index "
        f"{'on' if args.search_index else 'off'}; nested layout; out: {base}"
    )
    print(table(results))
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
