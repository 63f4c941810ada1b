"""A content folder for the import tests: the fixture site plus tools named as in the
realistic Search Console export (tests/fixtures/import/), each made from alpha.yaml."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import FIXTURE

IMPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
EXPORT_ZIP = IMPORT_FIXTURES / "search-console.zip"
QUERIES_CSV = IMPORT_FIXTURES / "search-console" / "Queries.csv"

TOOLS: dict[str, tuple[str, list[str]]] = {
    "chatgpt": ("ChatGPT", []),
    "claude": ("Claude", []),
    "cursor": ("Cursor", []),
    "continue": ("Continue", []),
    "github-copilot": ("GitHub Copilot", []),
    "midjourney": ("Midjourney", []),
    "stable-diffusion-xl": ("Stable Diffusion XL (SDXL 1.0)", ["SDXL"]),
    "stable-diffusion-3": ("Stable Diffusion 3 / 3.5", ["SD3"]),
    "dall-e-3": ("DALL·E 3", []),
    "flux-1-dev": ("FLUX.1 [dev]", ["FLUX dev"]),
    "flux-1-schnell": ("FLUX.1 [schnell]", ["FLUX schnell"]),
}

# Hand-written entries with comments: an import must leave every byte of them alone.
HAND_WRITTEN = """\
# yaml-language-server: $schema=../schemas/matches.schema.json
# Counted by hand; keep.
matches:
  - tools: [alpha, beta]
    count: 120
    what: >-
      papers that evaluate both
      on the same benchmark
    source: https://trends.example.org/  # the survey
    period: 2026-10
  # gamma is rarely compared
  - tools: [beta, gamma]
    count: 30
    what: "fixture searches"
    source: https://trends.example.org/
    period: '2026'
"""


def tool_text(name: str, aliases: list[str]) -> str:
    text = (FIXTURE / "tools" / "alpha.yaml").read_text("utf-8")
    text = re.sub(r"(?m)^name: .*$", f'name: "{name}"', text, count=1)
    shown = ", ".join(f'"{a}"' for a in aliases)
    return re.sub(r"(?m)^aliases: .*$", f"aliases: [{shown}]", text, count=1)


def make_import_content(dest: Path) -> Path:
    """The fixture site with the tools above and HAND_WRITTEN as matches.yaml."""
    shutil.copytree(FIXTURE, dest)
    for slug, (name, aliases) in TOOLS.items():
        (dest / "tools" / f"{slug}.yaml").write_text(tool_text(name, aliases), "utf-8")
    (dest / "matches.yaml").write_text(HAND_WRITTEN, "utf-8")
    return dest
