"""Builds of one output folder, at once or killed half-way, and builds that cannot write:
the published site is always the complete output of one build."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import cli
from generator.lock import OutputLock
from generator.write import Output
from tests.conftest import FIXTURE, ROOT, TEMPLATES, build_to, run_cli, snapshot

ROUNDS = 6


def site_files(out: Path) -> dict[str, bytes]:
    files = snapshot(out)
    files.pop(".versus/report.json")
    return files


def leftovers(out: Path) -> list[str]:
    """What builds left beside the output folder (staging, old copies, the lock)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _edit_gamma(content: Path) -> None:
    p = content / "tools" / "gamma.yaml"
    p.write_text(p.read_text().replace("title: Chat", "title: Chat and search"))


def _versus(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "content")
    build_to(tmp_path / "content", tmp_path / "site", workers=1)
    return tmp_path


# -- 5: one build at a time -------------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_at_once_publish_one_whole_build(tmp_path: Path) -> None:
    """Two CLI builds of different content into one folder, started together, round after
    round: each time the site is exactly one clean build, its manifest matching its files."""
    shutil.copytree(FIXTURE, tmp_path / "a")
    shutil.copytree(FIXTURE, tmp_path / "b")
    _edit_gamma(tmp_path / "b")
    (tmp_path / "b" / "tools" / "delta.yaml").unlink()
    clean = {}
    for name in ("a", "b"):
        build_to(tmp_path / name, tmp_path / f"clean-{name}", clean=True, workers=1)
        clean[name] = site_files(tmp_path / f"clean-{name}")
    assert clean["a"] != clean["b"]
    site = tmp_path / "site"
    for _ in range(ROUNDS):
        builds = [
            _versus("build", "--content", name, "--out", "site", "-q", cwd=tmp_path)
            for name in ("a", "b")
        ]
        for process in builds:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
            said = {line for line in err.splitlines() if ": warning: stale:" not in line}
            assert said <= {
                f"Waiting for another build of site to finish (process {other.pid})…"
                for other in builds
            }, err
        assert site_files(site) in (clean["a"], clean["b"])
        assert leftovers(site) == []


def test_a_second_build_refuses_at_once_with_wait_0(work: Path) -> None:
    before = snapshot(work / "site")
    with OutputLock(work / "site", "site"):
        result = run_cli("build", "--wait", "0", cwd=work)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Another build of site is running (process {os.getpid()}); site was not changed."
    ]
    assert snapshot(work / "site") == before


def test_a_second_build_waits_for_the_first(work: Path) -> None:
    lock = OutputLock(work / "site", "site")
    lock.acquire()
    try:
        _edit_gamma(work / "content")
        process = _versus("build", "-q", cwd=work)
        assert process.stderr is not None
        line = process.stderr.readline()  # blocks until the build says it waits
        assert line == f"Waiting for another build of site to finish (process {os.getpid()})…\n"
        assert process.poll() is None
    finally:
        lock.release()
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "Chat and search" in (work / "site" / "tools" / "gamma" / "index.html").read_text()
    assert leftovers(work / "site") == []


def test_a_second_build_gives_up_after_wait(work: Path) -> None:
    before = snapshot(work / "site")
    with OutputLock(work / "site", "site"):
        result = run_cli("build", "--wait", "0.2", cwd=work)
    me = os.getpid()
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Waiting for another build of site to finish (process {me})…",
        f"Another build of site is still running (process {me}) after 0.2s of waiting; "
        "site was not changed.",
    ]
    assert snapshot(work / "site") == before


def test_the_lock_of_a_killed_build_does_not_block(work: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from generator.lock import OutputLock;"
            "OutputLock(Path('site'), 'site').acquire(); print('locked', flush=True);"
            "time.sleep(600)",
        ],
        cwd=work,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"
    blocked = run_cli("build", "--wait", "0", cwd=work)
    assert blocked.returncode == 1, blocked.stderr
    holder.kill()
    holder.wait()
    assert leftovers(work / "site") == [".site.lock"]  # the file stays; its lock is gone
    result = run_cli("build", "--wait", "0", cwd=work)
    assert result.returncode == 0, result.stderr
    assert leftovers(work / "site") == []


def test_staging_folders_are_unique_and_leftovers_are_cleared(work: Path) -> None:
    """Leftovers of killed builds (their staging and old folders) are cleared by the next
    build, which holds the lock, so none of them can be another running build's; a link
    among them is removed, not followed."""
    site = work / "site"
    outside = work / "outside"
    outside.mkdir()
    (outside / "keep.html").write_text("keep me")
    for name in (f".site.staging-{os.getpid()}", ".site.old-1-abcd", ".site.staging-2-ef01"):
        (work / name / "compare").mkdir(parents=True)
        (work / name / "compare" / "index.html").write_text("half")
    (work / ".site.staging-3-link").symlink_to(outside)
    output = Output(site, clean=False)
    assert re.fullmatch(rf"\.site\.staging-{os.getpid()}-[0-9a-f]{{8}}", output.staging.name)
    assert leftovers(site) == [output.staging.name]
    output.discard()
    assert leftovers(site) == []
    assert (outside / "keep.html").read_text() == "keep me"


# -- 6: killed builds -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue whose build takes a second or two: 30 tools, 435 pairs."""
    root = tmp_path_factory.mktemp("catalogue")
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_catalogue.py"), "30", str(root / "c")],
        check=True,
        capture_output=True,
    )
    return root / "c"


def _kill_mid_render(args: list[str], cwd: Path) -> None:
    """Start a CLI build and SIGKILL it once it has staged some comparison pages."""
    process = _versus(*args, cwd=cwd)
    deadline = time.monotonic() + 300
    staged: list[Path] = []
    while len(staged) < 50:
        assert process.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
        staged = [p for s in cwd.glob(".site.staging-*") for p in s.glob("compare/*/index.html")]
    os.kill(process.pid, signal.SIGKILL)
    _, err = process.communicate()  # its workers inherited the pipes: ends when they are gone
    assert process.returncode == -signal.SIGKILL
    assert "Traceback" not in err  # the workers died with it, not later on a broken pipe


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["full", "incremental"])
def test_killed_build_then_a_build_equals_a_clean_one(
    tmp_path: Path, catalogue: Path, kind: str
) -> None:
    shutil.copytree(catalogue, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    args = ["build", "--templates", "templates", "-q", "--workers", "2"]
    if kind == "incremental":
        assert run_cli(*args, cwd=tmp_path).returncode == 0
        compare = tmp_path / "templates" / "compare.html"  # every pair is rewritten
        compare.write_text(compare.read_text().replace(">Verdict<", ">Our verdict<"))
    _kill_mid_render(args, tmp_path)
    result = run_cli(*args, "--wait", "0", cwd=tmp_path)  # nothing may hold the lock
    assert result.returncode == 0, result.stderr
    assert leftovers(tmp_path / "site") == []
    content, templates = tmp_path / "content", tmp_path / "templates"
    build_to(content, tmp_path / "clean", templates=templates, clean=True, workers=2)
    assert site_files(tmp_path / "site") == site_files(tmp_path / "clean")


def _build_killed_at(call: int, content: Path, site: Path, **kw: Any) -> bool:
    """Build in a forked child that SIGKILLs itself at its `call`-th rename or removal
    (a whole folder removal counting as one); True if it was killed (False: the build has
    fewer such steps and finished)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        count = 0

        def counted(real: Callable[..., Any]) -> Callable[..., Any]:
            def call_(*args: Any, **kwargs: Any) -> Any:
                nonlocal count
                if "dir_fd" not in kwargs:  # not a step inside shutil.rmtree
                    count += 1
                    if count == call:
                        os.kill(os.getpid(), signal.SIGKILL)
                return real(*args, **kwargs)

            return call_

        os.replace = counted(os.replace)  # type: ignore[assignment]
        os.unlink = counted(os.unlink)  # type: ignore[assignment]
        os.rmdir = counted(os.rmdir)  # type: ignore[assignment]
        shutil.rmtree = counted(shutil.rmtree)  # type: ignore[assignment]
        try:
            build_to(content, site, workers=1, **kw)
        except BaseException:
            os._exit(2)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    assert os.WEXITSTATUS(status) == 0
    return False


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["incremental", "full"])
def test_killed_at_every_step_of_publishing_then_a_build_equals_a_clean_one(
    work: Path, kind: str
) -> None:
    """SIGKILL at each rename and removal a publish makes, in turn. The next build, of
    the content as it was before (so that pages the killed build already published are
    not made again just because they changed), always comes out as a clean build."""
    edited = work / "edited"
    shutil.copytree(work / "content", edited)
    _edit_gamma(edited)
    build_to(work / "content", work / "clean", workers=1, clean=True)
    expected = site_files(work / "clean")
    shutil.copytree(work / "site", work / "pristine", symlinks=True)
    call = 0
    while True:
        call += 1
        shutil.rmtree(work / "site")
        for stray in work.glob(".site.*"):
            shutil.rmtree(stray) if stray.is_dir() else stray.unlink()
        shutil.copytree(work / "pristine", work / "site", symlinks=True)
        if not _build_killed_at(call, edited, work / "site", clean=kind == "full"):
            break
        build_to(work / "content", work / "site", workers=1)
        assert site_files(work / "site") == expected, f"killed at step {call}"
        assert leftovers(work / "site") == []
    assert call > 10


# -- 6: disk full, read-only ------------------------------------------------------------------


def _fail(code: int) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


def _main(work: Path, *args: str) -> int:
    content, site = str(work / "content"), str(work / "site")
    return cli.main(["build", "--content", content, "--out", site, "--workers", "1", *args])


def test_disk_full_while_staging_is_one_line_and_leaves_the_site(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(work / "site")
    _edit_gamma(work / "content")
    monkeypatch.setattr(os, "write", _fail(errno.ENOSPC))
    code = _main(work, "-q")
    monkeypatch.undo()
    site = work / "site"
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Could not write {site}/index.html: No space left on device; {site} was not changed."
    ]
    assert snapshot(site) == before
    assert leftovers(site) == []


@pytest.mark.parametrize("clean", [False, True], ids=["incremental", "full"])
def test_read_only_output_is_one_line_and_leaves_the_site(
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clean: bool,
) -> None:
    """Running as root, chmod cannot make a folder read-only: renames fail instead."""
    before = snapshot(work / "site")
    _edit_gamma(work / "content")
    monkeypatch.setattr(os, "replace", _fail(errno.EROFS))
    code = _main(work, "-q", *(["--clean"] if clean else []))
    monkeypatch.undo()
    site = work / "site"
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Could not write {site}: Read-only file system; {site} was not changed."
    ]
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_no_room_beside_the_output_is_one_line(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(work / "site")
    monkeypatch.setattr(os, "mkdir", _fail(errno.ENOSPC))
    code = _main(work, "-q")
    monkeypatch.undo()
    site = work / "site"
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Could not write beside {site}: No space left on device; {site} was not changed."
    ]
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_a_killed_builds_lock_file_is_removed_only_if_it_is_still_its_own(tmp_path: Path) -> None:
    """serve kills a build that will not stop; the lock file it held goes, nothing else."""
    from generator.lock import OutputLock, lock_path, remove_if_left_by

    out = tmp_path / "site"
    path = lock_path(out)
    path.write_text("4242\n", "ascii")
    remove_if_left_by(out, 4343)  # names another process: kept
    assert path.exists()
    remove_if_left_by(out, 4242)  # names the dead build, nobody holds it: removed
    assert not path.exists()
    with OutputLock(out, "site", wait=0) as held:  # a live build holds it
        path.write_text("4242\n", "ascii")
        remove_if_left_by(out, 4242)
        assert path.exists() and held.fd is not None
    remove_if_left_by(tmp_path / "elsewhere", 1)  # no file: nothing to do
