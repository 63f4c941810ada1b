"""Capability kinds: the vocabulary's validation, and the matrix each comparison page opens
its capability section with (differences first, shared kinds folded, links to the notes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import FIXTURE, ROOT, TEMPLATES, build_to, run_cli, snapshot, soup
from tests.verdict_claims import check, page_from_html

KINDS = "  - id: image-input\n    name: Image input\n"  # added after the fixture's two kinds


def _with_kinds(alpha: dict[str, str], beta: dict[str, str]) -> dict[str, str]:
    """Fixture files with `kind:` lines added to the named capabilities."""
    site = (FIXTURE / "site.yaml").read_text("utf-8")
    last = "  - id: grounding\n    name: Grounding\n"  # the fixture's last kind
    assert last in site
    files = {"site.yaml": site.replace(last, last + KINDS)}
    for slug, kinds in (("alpha", alpha), ("beta", beta)):
        text = (FIXTURE / "tools" / f"{slug}.yaml").read_text("utf-8")
        for cap, kind in kinds.items():
            old = f"  - id: {cap}\n"
            assert old in text
            text = text.replace(old, f"{old}    kind: {kind}\n")
        files[f"tools/{slug}.yaml"] = text
    return files


ALPHA = {"grounding": "grounding", "captions": "image-input"}
BETA = {"text-to-image": "text-to-image", "styles": "image-input"}


@pytest.fixture
def matrix_site(make_site: Callable[[dict[str, str]], Path], tmp_path: Path) -> Path:
    content = make_site(_with_kinds(ALPHA, BETA))
    out = tmp_path / "out"
    build_to(content, out, workers=1)
    return out


def _matrix(page: BeautifulSoup) -> Tag:
    table = page.find("table", id="capability-matrix")
    assert isinstance(table, Tag)
    return table


def _rows(table: Tag) -> list[tuple[str, list[str], list[str]]]:
    """(kind, hrefs of the first tool's cell, of the second's) in document order."""
    out = []
    for tr in table.find_all("tr", attrs={"data-kind": True}):
        a, b = tr.find_all("td")[-2:]
        out.append(
            (
                tr["data-kind"],
                [x["href"] for x in a.find_all("a")],
                [x["href"] for x in b.find_all("a")],
            )
        )
    return out


def test_matrix_shows_differences_first_then_folded_shared_kinds(matrix_site: Path) -> None:
    page = soup(matrix_site / "compare" / "alpha-vs-beta" / "index.html")
    table = _matrix(page)
    heads = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert heads == ["Kind", "Alpha Vision", "Beta Draw"]  # the last two: URL order
    assert _rows(table) == [
        ("text-to-image", [], ["#beta--text-to-image"]),  # only one lists it: vocabulary order
        ("grounding", ["#alpha--grounding"], []),
        ("image-input", ["#alpha--captions"], ["#beta--styles"]),  # both: after, folded
    ]
    differences = table.find("tbody", class_="matrix-differences")
    shared = table.find("tbody", id="matrix-shared")
    assert [tr["data-kind"] for tr in differences.find_all("tr")] == ["text-to-image", "grounding"]
    assert [tr["data-kind"] for tr in shared.find_all("tr")] == ["image-input"]
    fold = table.find("button", attrs={"data-fold": "matrix-shared"})
    assert fold is not None and fold["aria-controls"] == "matrix-shared"
    assert "Both list 1 kind" in table.find("tbody", class_="matrix-fold").get_text(" ")
    # Every cell link lands on a capability's notes on the same page.
    for _, hrefs_a, hrefs_b in _rows(table):
        for href in hrefs_a + hrefs_b:
            target = page.find(id=href[1:])
            assert target is not None and "capability" in target["class"], href
    # The capability without a kind is counted, not dropped silently.
    note = page.find(class_="matrix-note").get_text(" ", strip=True)
    assert "Alpha Vision has 1, Beta Draw 0" in note
    # The section opens the capabilities: before both tools' capability columns.
    text = str(page)
    assert text.index('id="capability-matrix"') < text.index('id="alpha--grounding"')


def test_matrix_in_reversed_pair_keeps_url_order(matrix_site: Path) -> None:
    # beta-vs-gamma: gamma has no kinds, so every beta kind is a difference.
    page = soup(matrix_site / "compare" / "beta-vs-gamma" / "index.html")
    rows = _rows(_matrix(page))
    assert rows == [
        ("text-to-image", ["#beta--text-to-image"], []),
        ("image-input", ["#beta--styles"], []),
    ]
    assert page.find("tbody", id="matrix-shared") is None


def test_no_matrix_when_neither_tool_lists_a_kind(matrix_site: Path) -> None:
    page = soup(matrix_site / "compare" / "delta-vs-gamma" / "index.html")
    assert page.find("table", id="capability-matrix") is None
    assert "capability kinds" not in page.find(id="verdict").get_text()


def test_verdict_states_the_differences_and_the_checker_holds_it_to_the_matrix(
    matrix_site: Path,
) -> None:
    page = soup(matrix_site / "compare" / "alpha-vs-beta" / "index.html")
    verdict = page.find(id="verdict").find("p").get_text(" ", strip=True)
    assert (
        "Of the capability kinds this page lines up, only Alpha Vision lists grounding." in verdict
    )
    assert (
        "Of the capability kinds this page lines up, only Beta Draw lists text to image." in verdict
    )
    assert check(page_from_html(page), verdict) == []
    # The same claim against a matrix where Beta Draw lists grounding too is caught.
    td = _matrix(page).find("tr", attrs={"data-kind": "grounding"}).find_all("td")[-1]
    td.clear()
    td.append(page.new_tag("a", href="#beta--styles"))
    errors = check(page_from_html(page), verdict)
    assert any("alone listing" in e and "only Alpha Vision lists grounding" in e for e in errors)
    # A claim that leaves a difference out is caught as well.
    shorter = verdict.replace(
        " Of the capability kinds this page lines up, only Beta Draw lists text to image.", ""
    )
    fresh = soup(matrix_site / "compare" / "alpha-vs-beta" / "index.html")
    assert check(page_from_html(fresh), shorter) == []  # each sentence stands on its own
    wrong = verdict.replace("only Beta Draw lists text to image", "only Beta Draw lists grounding")
    assert any("alone listing" in e for e in check(page_from_html(fresh), wrong))


def _fails(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """Build the good fixture, then the changed one: the build must fail cleanly."""
    content = tmp_path / "content"
    content.mkdir()
    for src in FIXTURE.rglob("*"):
        if src.is_file():
            dest = content / src.relative_to(FIXTURE)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(src.read_bytes())
    assert run_cli("build", "--templates", str(TEMPLATES), cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "site")
    for rel, text in files.items():
        (content / rel).write_text(text, "utf-8")
    result = run_cli("build", "--templates", str(TEMPLATES), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith("; site was not changed.")
    assert snapshot(tmp_path / "site") == before
    return result.stderr.splitlines()


def test_unknown_kind_is_an_error_at_its_line_with_did_you_mean(tmp_path: Path) -> None:
    files = _with_kinds({"grounding": "grounding", "captions": "groundng"}, {})
    lines = _fails(tmp_path, {k: v for k, v in files.items() if k.startswith("tools/")})
    at = files["tools/alpha.yaml"].splitlines().index("    kind: groundng") + 1
    assert (
        f"content/tools/alpha.yaml:{at}:11: capabilities[1].kind: "
        'unknown capability kind "groundng"; '
        'did you mean "grounding"?'
    ) in lines
    assert lines[-1] == "Found 1 problem in 1 file; site was not changed."


def test_unknown_kind_with_nothing_close_lists_the_vocabulary(tmp_path: Path) -> None:
    files = _with_kinds({}, {"styles": "painting"})
    lines = _fails(tmp_path, {"tools/beta.yaml": files["tools/beta.yaml"]})
    at = files["tools/beta.yaml"].splitlines().index("    kind: painting") + 1
    assert (
        f"content/tools/beta.yaml:{at}:11: capabilities[1].kind: "
        'unknown capability kind "painting"; '
        "expected one of grounding, text-to-image"
    ) in lines


def test_kind_without_a_vocabulary_says_so(tmp_path: Path) -> None:
    site = (FIXTURE / "site.yaml").read_text("utf-8")
    site = site[: site.index("capability_kinds:")]
    files = _with_kinds({"grounding": "grounding"}, {})
    lines = _fails(tmp_path, {"site.yaml": site, "tools/alpha.yaml": files["tools/alpha.yaml"]})
    at = files["tools/alpha.yaml"].splitlines().index("    kind: grounding") + 1
    assert (
        f"content/tools/alpha.yaml:{at}:11: capabilities[0].kind: "
        'unknown capability kind "grounding"; site.yaml declares no capability_kinds'
    ) in lines


def test_duplicate_kind_id_is_an_error(tmp_path: Path) -> None:
    site = (FIXTURE / "site.yaml").read_text("utf-8")
    last = "  - id: grounding\n    name: Grounding\n"
    site = site.replace(last, last + "  - id: grounding\n    name: Again\n")
    lines = _fails(tmp_path, {"site.yaml": site})
    n = site.splitlines().index("    name: Again")  # the line of the repeated id
    first = site.splitlines().index("  - id: grounding") + 1
    assert (
        f"content/site.yaml:{n}:9: capability_kinds[2].id: duplicate capability kind id "
        f'"grounding" (first at line {first})'
    ) in lines


def test_bundled_matrix_kosmos_and_midjourney(bundled_site: Path) -> None:
    page = soup(bundled_site / "compare" / "kosmos-2-patch14-224-vs-midjourney" / "index.html")
    rows = _rows(_matrix(page))
    kinds = [k for k, _, _ in rows]
    assert kinds == ["text-to-image", "image-editing", "captioning", "grounding"]
    assert ("grounding", ["#kosmos-2-patch14-224--grounded-captioning"], []) in rows
    verdict = page.find(id="verdict").find("p").get_text(" ", strip=True)
    assert "only Midjourney lists text-to-image generation and image editing" in verdict
    assert check(page_from_html(page), verdict) == []


def test_every_bundled_capability_kind_is_declared_and_used() -> None:
    import yaml

    site = yaml.safe_load((ROOT / "content" / "site.yaml").read_text())
    declared = [k["id"] for k in site["capability_kinds"]]
    used = set()
    for path in (ROOT / "content" / "tools").glob("*.yaml"):
        for cap in yaml.safe_load(path.read_text())["capabilities"]:
            if cap.get("kind"):
                used.add(cap["kind"])
    assert len(declared) == len(set(declared))
    assert used == set(declared)  # no kind is declared that no capability uses
