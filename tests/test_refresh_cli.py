"""`versus refresh` as a user meets it: what it edits (and does not), --dry-run, the jump
guard, --only and --tool, identifier mistakes, and the bundled catalogue."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.refresh_helpers import FakeClock, files, run, site
from tests.replay import Replay

COMMENTED = """\
# yaml-language-server: $schema=../../schemas/tool.schema.json
# A tool file with comments in odd places.
name: Alpha Vision   # trailing comment
type: model
vendor: 'Alpha Labs'
website: https://alpha.example.org/
summary: >-
  An open vision model, folded
  over two lines.
categories: [vision]
pricing:
  plan: open-source
  free_tier: true
  starting_price: null
  url: "https://alpha.example.org/licence"
evidence:
  # stars, read by hand
  - metric: github_stars
    value: 1000   # keep me
    source: https://github.com/acme/alpha
    observed: 2026-10-01
    retrieved: 2026-10-02
    provenance: community
    note: Read off the repository page.
  - metric: vqav2_testdev
    value: 55
    source: https://alpha.example.org/paper
    observed: 2026-09-01
    retrieved: 2026-10-01
    context: zero-shot
    provenance: vendor-claimed
capabilities:
  - id: grounding
    title: Grounding
    description: Finds things.
    unique: It does.
    vs_alternatives: Others too.
sources:
  - url: https://alpha.example.org/
    backs: everything
checked: 2026-11-01
identifiers:
  github: acme/alpha   # the main repository
"""


def commented_site(tmp_path: Path) -> Path:
    content = site(tmp_path, {})
    (content / "tools" / "alpha.yaml").write_text(COMMENTED, "utf-8")
    return content


def test_edits_only_the_figure_lines_and_keeps_everything_else_byte_for_byte(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = commented_site(tmp_path)
    replay.values[("github", "acme/alpha")] = {"stars": 1200, "contributors": 7}
    result = run(content, clock)
    assert result.code == 0, result.err
    api = f"{replay.url}/repos/acme/alpha"
    expected = COMMENTED.replace(
        """    value: 1000   # keep me
    source: https://github.com/acme/alpha
    observed: 2026-10-01
    retrieved: 2026-10-02
    provenance: community
    note: Read off the repository page.
""",
        f"""    value: 1200   # keep me
    source: {api}
    observed: 2026-12-03
    retrieved: 2026-12-03
    provenance: independent
""",
    ).replace(
        "    provenance: vendor-claimed\n",
        f"""    provenance: vendor-claimed
  - metric: contributors
    value: 7
    source: {api}/contributors?per_page=1&anon=1
    observed: 2026-12-03
    retrieved: 2026-12-03
    provenance: independent
""",
    )
    assert (content / "tools" / "alpha.yaml").read_text("utf-8") == expected
    assert result.lines[1:3] == ["  ~ github_stars: 1,000 -> 1,200", "  + contributors: 7"]
    # a second run replaces, never appends: the file does not grow
    again = run(content, clock)
    assert again.lines[1:3] == ["  = github_stars: 1,200", "  = contributors: 7"]
    assert (content / "tools" / "alpha.yaml").read_text("utf-8") == expected
    assert sorted(p.name for p in (content / "tools").iterdir() if p.name.startswith(".")) == []


def test_dry_run_writes_nothing(tmp_path: Path, replay: Replay, clock: FakeClock) -> None:
    content = commented_site(tmp_path)
    replay.values[("github", "acme/alpha")] = {"stars": 1200, "contributors": 7}
    before = files(content)
    result = run(content, clock, dry_run=True)
    assert result.code == 0
    assert files(content) == before
    assert not (tmp_path / "etags.json").exists()
    assert result.lines[-1].startswith("Would refresh 1 of 1 tools: 1 changed, 1 new,")
    assert result.lines[-1].endswith("; dry run, nothing written")


def test_implausible_jump_is_held_back_unless_accepted(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = commented_site(tmp_path)
    replay.values[("github", "acme/alpha")] = {"stars": 90, "contributors": 7}
    result = run(content, clock)
    assert result.code == 0
    assert result.lines[1] == (
        "  ! github_stars: 1,000 -> 90 (-91%): implausible jump, not written "
        "(--accept-jumps writes it)"
    )
    text = (content / "tools" / "alpha.yaml").read_text("utf-8")
    assert "    value: 1000   # keep me\n" in text
    assert "  - metric: contributors\n    value: 7\n" in text  # the plausible one is written
    accepted = run(content, clock, accept_jumps=True)
    assert accepted.lines[1].endswith("implausible jump, written (--accept-jumps)")
    # the comment keeps its column
    assert "    value: 90     # keep me\n" in (content / "tools" / "alpha.yaml").read_text("utf-8")


def test_only_and_tool_select_what_is_read(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    both = {"github": "acme/a", "pypi": "a"}
    content = site(tmp_path, {"alpha": both, "beta": both})
    result = run(content, clock, only=("pypi",), tools=("beta",))
    assert result.code == 0
    assert replay.paths() == ["/api/packages/a/recent"]
    assert result.lines[0].startswith("beta (")


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "refresh", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_mistakes_are_one_line_each(tmp_path: Path, replay: Replay) -> None:
    content = site(tmp_path, {"alpha": {"github": "acme/alpha"}})
    bad = cli("--content", str(content), "--only", "gitlab", env=replay.env())
    assert (bad.returncode, bad.stderr) == (
        2,
        "versus refresh: --only: unknown service 'gitlab'; expected some of "
        "github,huggingface,pypi,npm,openrouter\n".replace(",", ", "),
    )
    missing = cli("--content", str(content), "--tool", "zeta", env=replay.env())
    assert missing.stderr == "versus refresh: --tool: no tool 'zeta' in the content folder\n"


def test_identifier_mistakes_are_content_errors(tmp_path: Path, replay: Replay) -> None:
    content = site(tmp_path, {"alpha": {"githb": "acme/alpha", "pypi": "no spaces"}})
    path = content / "tools" / "alpha.yaml"
    before = files(content)
    result = cli("--content", str(content), env=replay.env())
    n = len(path.read_text("utf-8").splitlines())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f'{path}:{n - 1}:3: identifiers.githb: unknown field; did you mean "github"?',
        f'{path}:{n}:9: identifiers.pypi: expected a PyPI project name, e.g. "openai-whisper"; '
        'got "no spaces"',
        "Found 2 problems in 1 file.",
    ]
    assert replay.paths() == [] and files(content) == before


def test_bundled_catalogue_dry_run(tmp_path: Path, replay: Replay) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    before = files(content)
    result = cli("--content", str(content), "--dry-run", env=replay.env())
    assert result.returncode == 0, result.stderr
    assert files(content) == before
    last = result.stdout.splitlines()[-1]
    assert last.startswith("Would refresh 26 of 26 tools:")
    assert "Traceback" not in result.stderr
