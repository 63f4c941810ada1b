"""The Versus builds of one benchmark size: the command, a timed series of builds, and the
edits between them (one tool's capability title; compare.html in a private copy of
templates/). Used by benchmarks/run.py and benchmarks/large.py.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.measure import BenchError, Sample, log, measure, remove

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"


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
        self,
        label: str,
        prepare: Callable[[int], object],
        *,
        clean: bool = False,
        runs: int | None = None,
    ) -> list[Sample]:
        """`runs` builds (default --runs), each after `prepare(run index)`."""
        samples = []
        for k in range(self.args.runs if runs is None else runs):
            prepare(k)
            s = self.build(clean=clean)
            r = s.report or {}
            phases = ", ".join(f"{name} {t:.1f}s" for name, t in r.get("seconds", {}).items())
            log(
                f"  N={self.n} {label} run {k + 1}: {s.wall:.2f}s wall, {s.cpu:.2f}s cpu, "
                f"{s.rss_kib / 1024:.0f} MiB, written {r.get('written')} of {r.get('pages')} "
                f"pages (full_build={r.get('full_build')}; {phases})"
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

    def tidy(self) -> None:
        """Remove the output (unless --keep) and anything a failed build left beside it."""
        if not self.args.keep:
            remove(self.out)
        for stale in self.root.glob(".site.*"):
            remove(stale)

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
