"""An installed Versus (a wheel, not the checkout) builds a site from any content folder,
with the templates and the scaffold it carries."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from generator.bundled import bundled_templates
from tests.conftest import FIXTURE, ROOT, TEMPLATES, build_to, snapshot

SOURCES = ("pyproject.toml", "README.md", "generator", "templates")


def test_a_checkout_uses_its_templates_folder() -> None:
    """Editable installs and checkouts: the repository's top-level templates/."""
    assert bundled_templates() == TEMPLATES


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (offline: no build isolation)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__py*"))
        else:
            shutil.copyfile(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip"]
    _run(*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", root / "dist", source, cwd=root)  # fmt: skip
    [built] = (root / "dist").glob("versus-*.whl")
    return built


def test_the_wheel_carries_every_template(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    files = [p.relative_to(TEMPLATES) for p in TEMPLATES.rglob("*") if p.is_file()]
    shipped = {f"generator/templates/{p}" for p in files}
    assert shipped <= names
    assert "generator/templates/scaffold/tool.yaml" in shipped


@pytest.mark.slow
def test_an_installed_wheel_builds_a_site_from_any_folder(tmp_path: Path, wheel: Path) -> None:
    """A fresh environment with its own site-packages: Versus only from the wheel. Its
    dependencies are this environment's, made visible by a path file (which, unlike a
    site folder, does not run the editable install's import hook), so the test needs no
    network."""
    env = tmp_path / "env"
    _run(sys.executable, "-m", "venv", "--without-pip", env, cwd=tmp_path)
    python = env / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site_packages = Path(_run(python, "-c", purelib, cwd=tmp_path).stdout.strip())
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    missing = subprocess.run(
        [python, "-c", "import generator"], cwd=elsewhere, capture_output=True, text=True
    )
    assert "No module named 'generator'" in missing.stderr  # nothing leaks in from here

    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
         "--no-index", wheel, cwd=tmp_path)  # fmt: skip
    where = _run(python, "-c", "import generator.bundled as b; print(b.bundled_templates())",
                 cwd=elsewhere)  # fmt: skip
    assert Path(where.stdout.strip()) == site_packages / "generator" / "templates"

    content = tmp_path / "somewhere" / "content"  # no templates/ beside it
    shutil.copytree(FIXTURE, content)
    versus = env / "bin" / "versus"
    built = _run(versus, "build", "--content", content, "--out", "out", "-q", cwd=elsewhere)
    assert [x for x in built.stderr.splitlines() if ": warning: stale:" not in x] == []
    build_to(FIXTURE, tmp_path / "reference", templates=TEMPLATES, workers=1)
    site, reference = snapshot(elsewhere / "out"), snapshot(tmp_path / "reference")
    site.pop(".versus/report.json")
    reference.pop(".versus/report.json")
    assert site == reference

    made = _run(versus, "new", "tool", "new-tool", "--content", content, cwd=elsewhere)
    assert made.stdout.startswith(f"Created {content}/tools/new-tool.yaml")
    scaffold = (TEMPLATES / "scaffold" / "tool.yaml").read_text()
    first = scaffold.splitlines()[0]
    assert (content / "tools" / "new-tool.yaml").read_text().splitlines()[0] == first
