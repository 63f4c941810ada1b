"""content/static/: the site's own files, published as they are, next to the build's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import build_to, run_cli, snapshot

MakeSite = Callable[[dict[str, str]], Path]
FILES = {
    "static/ads.txt": "example.com, pub-0000000000000000, DIRECT\n",
    "static/google0123abcd.html": "google-site-verification: google0123abcd.html\n",
    "static/.well-known/security.txt": "Contact: mailto:security@example.org\n",
    "static/images/team/photo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "static/tools/alpha/extra.txt": "beside a generated page\n",
    "static/images/.DS_Store": "junk",
    "static/images/notes.txt~": "editor backup",
}


def _published(out: Path) -> dict[str, bytes]:
    return {
        rel.removeprefix("static/"): text.encode()
        for rel, text in FILES.items()
        if not rel.endswith(("~", ".DS_Store"))
    }


def test_static_files_are_published_as_they_are(make_site: MakeSite, tmp_path: Path) -> None:
    content = make_site(FILES)
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    for rel, data in _published(out).items():
        assert (out / rel).read_bytes() == data, rel
    assert not (out / "images/.DS_Store").exists()
    assert not (out / "images/notes.txt~").exists()
    assert (out / "tools/alpha/index.html").is_file()


def test_clean_publishes_them_again(make_site: MakeSite, tmp_path: Path) -> None:
    content = make_site(FILES)
    out = tmp_path / "site"
    for args in ([], ["--clean"]):
        result = run_cli("build", "--content", str(content), "--out", str(out), *args)
        assert result.returncode == 0, result.stderr
        for rel, data in _published(out).items():
            assert (out / rel).read_bytes() == data, rel


def test_incremental_builds_write_only_changed_static_files(
    make_site: MakeSite, tmp_path: Path
) -> None:
    content = make_site(FILES)
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    before = snapshot(out)
    report = build_to(content, out, workers=1)
    assert report.written == 0
    (content / "static/ads.txt").write_text("changed\n", "utf-8")
    (content / "static/.well-known/security.txt").unlink()
    report = build_to(content, out, workers=1)
    after = snapshot(out)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert {p for p in changed if not p.startswith(".versus/")} == {
        "ads.txt",
        ".well-known/security.txt",
    }
    assert report.written == 1 and report.removed == 1
    assert after["ads.txt"] == b"changed\n"


@pytest.mark.parametrize(
    ("rel", "clash"),
    [
        ("robots.txt", "robots.txt"),
        ("sitemap.xml", "sitemap.xml"),
        ("_redirects", "_redirects"),
        ("index.html", "page /"),
        ("tools/alpha/index.html", "page /tools/alpha/"),
        ("tools/alpha/share.png", "share image /tools/alpha/share.png"),
        ("compare/alpha-vs-beta/index.html", "page /compare/alpha-vs-beta/"),
        ("compare/alpha-vs-beta/share.png", "share image /compare/alpha-vs-beta/share.png"),
        ("tools", "folder tools/"),
        ("robots.txt/x", "robots.txt"),
    ],
)
def test_a_static_file_in_the_place_of_a_generated_one_is_an_error(
    rel: str, clash: str, make_site: MakeSite, tmp_path: Path
) -> None:
    content = make_site({})
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    before = snapshot(out)
    (content / "static" / rel).parent.mkdir(parents=True, exist_ok=True)
    (content / "static" / rel).write_text("mine\n", "utf-8")
    result = run_cli("build", "--content", "made", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"made/static/{rel}:1:1: static file {rel} would take the place of the generated {clash}",
        "Found 1 problem in 1 file; site was not changed.",
    ]
    assert snapshot(out) == before


def test_the_hashed_stylesheet_name_is_taken_too(make_site: MakeSite, tmp_path: Path) -> None:
    content = make_site({})
    out = tmp_path / "site"
    build_to(content, out, workers=1)
    css = next(p.name for p in (out / "assets").iterdir() if p.name.startswith("style."))
    (content / "static/assets").mkdir(parents=True)
    (content / "static/assets" / css).write_text("body{}", "utf-8")
    (content / "static/assets/mine.css").write_text("body{}", "utf-8")  # no clash
    result = run_cli("build", "--content", "made", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"made/static/assets/{css}:1:1: static file assets/{css} would take the place of "
        f"the generated assets/{css}"
    )


def test_links_and_hostile_names(make_site: MakeSite, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing\n", "utf-8")
    content = make_site({"static/logo.txt": "logo\n"})
    static = content / "static"
    os.symlink(static / "logo.txt", static / "same-logo.txt")  # inside: followed
    os.symlink(secret, static / "leak.txt")
    os.symlink(tmp_path, static / "everything")
    (static / "bell\x07.txt").write_text("x", "utf-8")
    (static / ".versus").mkdir()
    (static / ".versus/manifest.json").write_text("{}", "utf-8")
    os.mkfifo(static / "pipe")
    out = tmp_path / "site"
    result = run_cli("build", "--content", "made", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "made/static/.versus/manifest.json:1:1: .versus/ is where versus keeps its build "
        "state; rename the folder",
        "made/static/bell\\x07.txt:1:1: file name has a control character; rename it",
        "made/static/everything:1:1: a symbolic link to a folder; copy the folder in",
        "made/static/leak.txt:1:1: a symbolic link out of the static folder; copy the file "
        "in instead",
        "made/static/pipe:1:1: not a regular file (a broken link, a pipe or a device)",
        "Found 5 problems in 5 files; site was not changed.",
    ]
    assert not out.exists()
    for name in ("leak.txt", "bell\x07.txt", "pipe", "everything"):
        (static / name).unlink()
    shutil.rmtree(static / ".versus")
    result = run_cli("build", "--content", "made", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "same-logo.txt").read_text("utf-8") == "logo\n"
    assert not (out / "same-logo.txt").is_symlink()
