"""The build state in site/.versus/ is untrusted: plain data, confined, and rebuilt when
damaged, so that a tampered state never runs code, never touches a file outside the
output folder, and never changes what a build produces."""

from __future__ import annotations

import base64
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nh3
import pytest

from generator import share_cards, state, views
from generator.state import MAX_ENTRY, fingerprint
from tests.conftest import FIXTURE, ROOT, build_to, run_cli, snapshot

Tamper = Callable[[Path], None]


def site_files(out: Path) -> dict[str, bytes]:
    """Every published file, state included; the report's timings differ run to run."""
    files = snapshot(out)
    files.pop(".versus/report.json")
    return files


def _edit_gamma(content: Path) -> None:
    p = content / "tools" / "gamma.yaml"
    p.write_text(p.read_text().replace("title: Chat", "title: Chat and search"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Clean builds of the fixture, as it is and with gamma edited."""
    root = tmp_path_factory.mktemp("reference")
    found = {}
    for name in ("plain", "edited"):
        shutil.copytree(FIXTURE, root / name)
        if name == "edited":
            _edit_gamma(root / name)
        build_to(root / name, root / f"{name}-site", clean=True, workers=1)
        found[name] = site_files(root / f"{name}-site")
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    build_to(FIXTURE, out, workers=1)
    return out


@pytest.fixture
def work(tmp_path: Path, built: Path) -> Path:
    """A copy of the fixture content, and of its site as built by a normal build."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    shutil.copytree(built, tmp_path / "site", symlinks=True)
    return tmp_path


@pytest.fixture
def fresh_fingerprint() -> Iterator[None]:
    fingerprint.cache_clear()
    yield
    fingerprint.cache_clear()


def build(work: Path, **kw: Any) -> list[str]:
    """Build work/content into work/site; the warnings it gave."""
    return build_to(work / "content", work / "site", workers=1, **kw).state_warnings


# -- tampering -----------------------------------------------------------------------------

STATE = Path(".versus")


def _json(rel: str, value: Any) -> Tamper:
    return lambda out: (out / rel).write_text(json.dumps(value))


def _bytes(rel: str, data: bytes) -> Tamper:
    return lambda out: (out / rel).write_bytes(data)


def _edit_json(rel: str, change: Callable[[Any], Any]) -> Tamper:
    def tamper(out: Path) -> None:
        path = out / rel
        path.write_text(json.dumps(change(json.loads(path.read_text()))))

    return tamper


def _drop(*keys: str) -> Callable[[Any], Any]:
    def change(data: Any) -> Any:
        target = data
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
        return data

    return change


def _set(value: Any, *keys: str) -> Callable[[Any], Any]:
    def change(data: Any) -> Any:
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
        return data

    return change


def _every_entry(cache: str, make: Callable[[Any], bytes]) -> Tamper:
    """Replace every entry of a cache folder (those of unchanged tools are read back)."""

    def tamper(out: Path) -> None:
        for path in sorted((out / STATE / cache).glob("*.json")):
            path.write_bytes(make(json.loads(path.read_bytes())))

    return tamper


def _set_names(name: str) -> Callable[[Any], Any]:
    """Every validated tool in content.json renamed: still valid, but not the content."""

    def change(data: Any) -> Any:
        for entry in data["tools"].values():
            entry[1]["name"] = name
        return data

    return change


def _as(value: Any) -> Callable[[Any], bytes]:
    return lambda _: json.dumps(value).encode()


def _changed(change: Callable[[Any], Any]) -> Callable[[Any], bytes]:
    return lambda entry: json.dumps(change(entry)).encode()


def _huge(entry: Any) -> bytes:
    """The same entry, still valid JSON, made bigger than any real entry could be."""
    return json.dumps(entry).encode() + b" " * MAX_ENTRY


def _junk(_: Any) -> bytes:
    return bytes(range(256)) * 4


def _drop_metric(entry: Any) -> bytes:
    del entry["cells"]["rank"]
    return json.dumps(entry).encode()


MANIFEST = ".versus/manifest.json"
CONTENT = ".versus/content.json"

MANIFEST_CASES: dict[str, Tamper] = {
    "invalid-json": _bytes(MANIFEST, b'{"pages": {'),
    "binary-junk": _bytes(MANIFEST, bytes(range(256))),
    "empty": _bytes(MANIFEST, b""),
    "a-list": _json(MANIFEST, []),
    "a-directory": lambda out: ((out / MANIFEST).unlink(), (out / MANIFEST).mkdir()),
    "wrong-version": _edit_json(MANIFEST, _set("0123456789abcdef", "generator")),
    "pages-a-list": _edit_json(MANIFEST, _set([], "pages")),
    "page-fingerprint-a-number": _edit_json(MANIFEST, _set(1, "pages", "index.html")),
    "tools-a-list": _edit_json(MANIFEST, _set(["alpha"], "inputs", "tools")),
    "kinds-numbers": _edit_json(MANIFEST, _set({"compare": 1}, "inputs", "kinds")),
    "base-null": _edit_json(MANIFEST, _set(None, "inputs", "base")),
    "extra-input": _edit_json(MANIFEST, _set({}, "inputs", "extra")),
    "tool-without-its-page": _edit_json(MANIFEST, _set("0" * 16, "inputs", "tools", "zz")),
    **{
        f"missing-{'-'.join(keys)}": _edit_json(MANIFEST, _drop(*keys))
        for keys in [
            ("pages",),
            ("inputs",),
            ("generator",),
            ("inputs", "base"),
            ("inputs", "kinds"),
            ("inputs", "tools"),
            ("inputs", "share"),
            ("inputs", "sitemap"),
        ]
    },
}
ENTRY_CASES: dict[str, Tamper] = {
    f"{cache}-{name}": _every_entry(cache, make)
    for cache in ("fragments", "views", "share")
    for name, make in {
        "empty-object": _as({}),
        "empty-list": _as([]),
        "invalid-json": lambda _: b'["<p>',
        "binary-junk": _junk,
        "huge": _huge,
        "null": _as(None),
    }.items()
}
ENTRY_CASES.update(
    {
        "fragments-numbers": _every_entry("fragments", _as([1, 2])),
        "views-missing-key": _every_entry("views", _changed(_drop("cells"))),
        "views-missing-metric": _every_entry("views", _drop_metric),
        "views-chart-short": _every_entry("views", _changed(_set(["<g/>"], "chart"))),
        "share-bad-base64": _every_entry("share", _as([["!!", 1, 2], ["!!", 1, 2]])),
        "share-negative-size": _every_entry("share", _as([["AA==", 1, -2], ["AA==", 1, -2]])),
        "share-adler-a-string": _every_entry("share", _as([["AA==", "1", 2], ["AA==", "1", 2]])),
        "stray-files": lambda out: (
            (out / STATE / "fragments" / "notes.txt").write_text("x"),
            (out / STATE / "views" / "0123456789abcdef.json").mkdir(),
            (out / STATE / "stray.bin").write_bytes(b"\0"),
        ),
        "cache-folder-is-a-file": lambda out: (
            shutil.rmtree(out / STATE / "views"),
            (out / STATE / "views").write_text("[]"),
        ),
    }
)
CONTENT_CASES: dict[str, Tamper] = {
    "content-invalid-json": _bytes(CONTENT, b'{"tools": '),
    "content-binary-junk": _bytes(CONTENT, bytes(range(256))),
    "content-empty-object": _json(CONTENT, {}),
    "content-a-list": _json(CONTENT, []),
    "content-other-version": _edit_json(CONTENT, _set("0123456789abcdef", "generator")),
    "content-tools-a-list": _edit_json(CONTENT, _set([], "tools")),
    "content-entry-short": _edit_json(CONTENT, _set(["0" * 32], "tools", "alpha")),
    "content-entry-bad-digest": _edit_json(CONTENT, _set(["../x", {}], "tools", "alpha")),
    "content-entry-invalid-tool": _edit_json(
        CONTENT, lambda d: _set({**d["tools"]["alpha"][1], "type": 5}, "tools", "alpha")(d)
    ),
    "content-a-pickle": _bytes(CONTENT, pickle.dumps({"tools": {}})),
    "content-a-directory": lambda out: ((out / CONTENT).unlink(), (out / CONTENT).mkdir()),
}
ALL_CASES = {**MANIFEST_CASES, **ENTRY_CASES, **CONTENT_CASES}


@pytest.mark.parametrize("case", ALL_CASES, ids=list(ALL_CASES))
def test_damaged_state_then_an_edit_builds_as_clean(
    work: Path, case: str, reference: dict[str, dict[str, bytes]]
) -> None:
    """Damaged pieces are discarded, made again and rewritten: byte for byte a clean
    build (the caches of unchanged tools are read back, since a tool was edited)."""
    ALL_CASES[case](work / "site")
    _edit_gamma(work / "content")
    build(work)
    assert site_files(work / "site") == reference["edited"]


# `--clean` reads no state at all; one case of each kind of file shows it.
CLEAN_CASES = [
    "a-directory",
    "missing-inputs-base",
    "fragments-empty-object",
    "views-missing-key",
    "share-binary-junk",
    "content-entry-short",
]


@pytest.mark.parametrize("case", CLEAN_CASES)
def test_damaged_state_then_clean_builds_as_clean(
    work: Path, case: str, reference: dict[str, dict[str, bytes]]
) -> None:
    ALL_CASES[case](work / "site")
    build(work, clean=True)
    assert site_files(work / "site") == reference["plain"]


NO_CHANGE_CASES = {**MANIFEST_CASES, **CONTENT_CASES}


@pytest.mark.parametrize("case", NO_CHANGE_CASES, ids=list(NO_CHANGE_CASES))
def test_damaged_state_then_no_change_builds_as_clean(
    work: Path, case: str, reference: dict[str, dict[str, bytes]]
) -> None:
    """The manifest and the validated tools are read on every build."""
    NO_CHANGE_CASES[case](work / "site")
    build(work)
    assert site_files(work / "site") == reference["plain"]


def test_damaged_manifest_is_a_warning_on_stderr(work: Path) -> None:
    (work / "site" / MANIFEST).write_text("{")
    result = run_cli("build", "--out", "site", "-q", cwd=work)
    assert result.returncode == 0, result.stderr
    assert [x for x in result.stderr.splitlines() if ": warning: stale:" not in x] == [
        "warning: site/.versus/manifest.json is damaged; ignored it and rebuilt every page"
    ]


def test_manifest_from_another_version_is_ignored_quietly(work: Path) -> None:
    _edit_json(MANIFEST, _set("0123456789abcdef", "generator"))(work / "site")
    assert build(work) == []
    report = json.loads((work / "site" / ".versus" / "report.json").read_text())
    assert report["full_build"] is True


# -- 1: plain data, never code; made by this code only ----------------------------------------


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_in_the_state_never_runs(
    work: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    marker = work / "ran"
    blob = pickle.dumps({"version": "0.1.0", "tools": _Payload(marker)})
    for name in ("content.pickle", "content.json", "manifest.json"):
        (work / "site" / ".versus" / name).write_bytes(blob)
    build(work)
    _edit_gamma(work / "content")
    build(work)
    assert not marker.exists()
    assert site_files(work / "site") == reference["edited"]  # content.pickle removed too


def test_the_generator_never_unpickles() -> None:
    for source in (ROOT / "generator").glob("*.py"):
        text = source.read_text()
        for module in ("pickle", "marshal", "shelve", "dill"):
            assert f"import {module}" not in text, source


def test_state_made_by_other_code_is_not_used(
    work: Path, reference: dict[str, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other code (another version, other sanitiser settings): other keys, nothing reused,
    even entries that look right."""
    other = "0123456789abcdef"
    monkeypatch.setattr(state, "fingerprint", lambda: other)
    monkeypatch.setattr(views, "fingerprint", lambda: other)
    monkeypatch.setattr(share_cards, "fingerprint", lambda: other)
    build(work, clean=True)
    _every_entry("fragments", _as(["<p>TAMPERED</p>", "<p>TAMPERED</p>"]))(work / "site")
    monkeypatch.undo()
    build(work)
    assert site_files(work / "site") == reference["plain"]


def test_fingerprint_covers_generator_code_and_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_fingerprint: None
) -> None:
    original = fingerprint()
    copy = tmp_path / "generator"
    shutil.copytree(ROOT / "generator", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(state, "__file__", str(copy / "state.py"))
    fingerprint.cache_clear()
    assert fingerprint() == original  # the same sources
    sanitiser = copy / "markdown_text.py"  # the sanitiser's settings live here
    sanitiser.write_text(sanitiser.read_text().replace('"abbr", "b",', '"abbr", "b", "span",'))
    fingerprint.cache_clear()
    edited = fingerprint()
    assert edited != original
    monkeypatch.setattr(nh3, "__version__", "0.0.1", raising=False)
    fingerprint.cache_clear()
    assert fingerprint() not in (original, edited)


# -- 2: confined to the output folder -------------------------------------------------------


def test_manifest_paths_outside_the_output_are_ignored(
    work: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    victim = work / "victim.html"
    victim.write_text("keep me")
    nested = work / "deep" / "victim.html"
    nested.parent.mkdir()
    nested.write_text("keep me")
    bad = ["../victim.html", str(victim), "tools/../../deep/victim.html", "./index.html", ""]

    def change(data: Any) -> Any:
        for path in bad:
            data["pages"][path] = "0" * 16
        data["inputs"]["tools"]["../../victim"] = "0" * 16
        return data

    _edit_json(MANIFEST, change)(work / "site")
    warnings = build(work)
    assert victim.read_text() == nested.read_text() == "keep me"
    shown = ", ".join(json.dumps(p) for p in bad[:3])
    assert warnings == [
        f"{work / 'site'}/.versus/manifest.json: ignored paths outside the output folder: "
        f"{shown} and 3 more"
    ]
    assert site_files(work / "site") == reference["plain"]


def test_nothing_is_removed_through_a_symbolic_link(work: Path) -> None:
    outside = work / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("keep me")
    (work / "site" / "tools" / "zz").symlink_to(outside)
    _edit_json(MANIFEST, _set("0" * 16, "pages", "tools/zz/index.html"))(work / "site")
    warnings = build(work)
    assert (outside / "index.html").read_text() == "keep me"
    assert warnings == [f"{work / 'site'}/tools/zz is a symbolic link; removed nothing through it"]


def test_nothing_is_written_through_a_symbolic_link(work: Path) -> None:
    outside = work / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("keep me")
    pair = work / "site" / "compare" / "alpha-vs-gamma"
    shutil.rmtree(pair)
    pair.symlink_to(outside)
    _edit_gamma(work / "content")
    warnings = build(work)
    assert (outside / "index.html").read_text() == "keep me"
    assert not pair.is_symlink() and (pair / "index.html").is_file()
    assert warnings == [
        f"{work / 'site'}/compare/alpha-vs-gamma was not a folder; replaced it with the built one"
    ]


def _contents(path: Path) -> dict[str, bytes]:
    return snapshot(path) if path.is_dir() else {"": path.read_bytes()}


@pytest.mark.parametrize("link", [".versus", ".versus/fragments", ".versus/manifest.json", "tools"])
def test_state_and_folders_are_never_used_through_links(
    work: Path, link: str, reference: dict[str, dict[str, bytes]]
) -> None:
    """A link in place of the state folder, one of its parts, or a top-level folder: the
    whole site is built again and swapped in; what the link points at is left alone."""
    target = work / "site" / link
    outside = work / "outside"
    if target.is_dir():
        shutil.copytree(target, outside)
        (outside / "0123456789abcdef.json").write_text('["<p>TAMPERED</p>", ""]')
        if link == ".versus":  # validated tools from outside the output folder: not used
            _edit_json("content.json", _set_names("TAMPERED"))(outside)
        shutil.rmtree(target)
    else:
        shutil.copyfile(target, outside)
        target.unlink()
    before = _contents(outside)
    target.symlink_to(outside)
    warnings = build(work)
    assert _contents(outside) == before
    assert site_files(work / "site") == reference["plain"]  # not a tampered name in it
    assert warnings == [
        f"{work / 'site'}/{link} is not what versus writes there (a symbolic link, or a file "
        "for a folder); rebuilt every page"
    ]


def test_unsafe_manifest_path_is_a_warning_on_stderr(work: Path) -> None:
    _edit_json(MANIFEST, _set("0" * 16, "pages", "../../etc/passwd"))(work / "site")
    result = run_cli("build", "--out", "site", "-q", cwd=work)
    assert result.returncode == 0, result.stderr
    assert [x for x in result.stderr.splitlines() if ": warning: stale:" not in x] == [
        "warning: site/.versus/manifest.json: ignored paths outside the output folder: "
        '"../../etc/passwd"'
    ]


# -- 4: --clean reuses nothing --------------------------------------------------------------


def test_clean_reuses_no_cache_and_no_validated_tool(
    work: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    """Entries of the right shape, under the right keys, but tampered: `--clean` must not
    publish any of them."""
    site = work / "site"
    fake_band = [base64.b64encode(b"TAMPERED").decode(), 1, 8]
    _every_entry("fragments", _as(["<p>TAMPERED</p>", "<p>TAMPERED</p>"]))(site)
    _every_entry("share", _as([fake_band, fake_band]))(site)

    def views(entry: Any) -> Any:
        entry["cells"] = {k: "TAMPERED" for k in entry["cells"]}
        entry["basis"] = "TAMPERED"
        return entry

    _every_entry("views", _changed(views))(site)

    _edit_json(CONTENT, _set_names("TAMPERED"))(site)
    result = run_cli("build", "--out", "site", "--clean", cwd=work)
    assert result.returncode == 0, result.stderr
    files = site_files(site)
    assert files == reference["plain"]
    assert not [name for name, data in files.items() if b"TAMPERED" in data]
