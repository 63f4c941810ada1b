"""One broken fixture per kind of content mistake: exact message, exit 1, site untouched.

Each file in fixtures/broken/ starts with `# target: <path in content>` (where it is copied
over the good fixture) and `# expect: <the exact error line>`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURE, TEMPLATES, run_cli, snapshot

BROKEN = sorted((Path(__file__).parent / "fixtures" / "broken").glob("*.yaml"))


def _header(path: Path) -> tuple[str, str]:
    lines = path.read_bytes().split(b"\n")
    target = lines[0].decode().removeprefix("# target: ").strip()
    expect = lines[1].decode().removeprefix("# expect: ").strip()
    return target, expect


@pytest.mark.parametrize("case", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixture_gives_its_one_line_error(case: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    built = run_cli("build", "--templates", str(TEMPLATES), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    before = snapshot(tmp_path / "site")

    target, expect = _header(case)
    shutil.copyfile(case, content / target)
    result = run_cli("build", "--templates", str(TEMPLATES), cwd=tmp_path)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"content/{expect}" in lines, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[-1].endswith("; site was not changed.")
    assert snapshot(tmp_path / "site") == before


def test_all_problems_reported_in_one_run(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for case in BROKEN:
        target, _ = _header(case)
        if target != "matches.yaml":
            name = f"{case.stem}.yaml" if target == "tools/beta.yaml" else Path(target).name
            shutil.copyfile(case, content / "tools" / name)
    result = run_cli("check", "--templates", str(TEMPLATES), cwd=tmp_path)
    assert result.returncode == 1
    files = {line.split(":", 1)[0] for line in result.stderr.splitlines()[:-1]}
    assert len(files) == len(BROKEN) - 1, result.stderr
    assert result.stderr.splitlines()[-1].startswith("Found ")


def test_missing_site_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "site.yaml").unlink()
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/site.yaml:1:1: missing site file; create site.yaml" in result.stderr


def test_foreign_output_folder_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = run_cli("build", "--out", str(precious), "--templates", str(TEMPLATES), cwd=tmp_path)
    assert result.returncode == 1
    assert "was not made by versus" in result.stderr
    assert (precious / "notes.txt").read_text() == "keep me"


def test_a_misspelt_key_is_one_problem_not_two(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    beta = content / "tools" / "beta.yaml"
    beta.write_text(beta.read_text().replace("capabilities:", "capabilites:"))
    result = run_cli("check", "--templates", str(TEMPLATES), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:-1] == [
        'content/tools/beta.yaml:39:1: capabilites: unknown field; did you mean "capabilities"?'
    ]
