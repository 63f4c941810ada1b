"""Shared fixtures: the small fixture site, built once; helpers to write and build sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import BuildOptions, BuildReport, build
from tests.refresh_helpers import clock, replay  # noqa: F401 (fixtures of the refresh tests)

# Whether a figure is stale depends on the day of the build: pin it (reproducible-builds
# SOURCE_DATE_EPOCH, inherited by the CLI subprocesses too), so the suite means the same
# thing on any day. 2026-12-03 00:00 UTC.
TODAY_EPOCH = "1796256000"
os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"
TEMPLATES = ROOT / "templates"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `versus` as a user would, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove a folder did not change."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture content."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a content folder from {relative path: text}, starting from the fixture."""

    def make(files: dict[str, str]) -> Path:
        dest = tmp_path / "made"
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(FIXTURE, dest)
        for rel, text in files.items():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_text(text, "utf-8")
        return dest

    return make


def build_to(content: Path, out: Path, **kw: object) -> BuildReport:
    kw.setdefault("templates", TEMPLATES)
    return build(BuildOptions(content=content, out=out, **kw))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once for every test that only reads it."""
    out = tmp_path_factory.mktemp("fixture") / "site"
    build_to(FIXTURE, out, workers=1)
    return out


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content of the repository, built once through the CLI."""
    out = tmp_path_factory.mktemp("bundled") / "site"
    result = run_cli("build", "--content", str(ROOT / "content"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out
