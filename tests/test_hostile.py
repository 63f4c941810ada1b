"""Hostile and careless content: every case is one clean line `file:line:col: field: ...`,
exit 1, no traceback and the last good site byte for byte as it was, the same in `build`
(a real subprocess), `check` and `serve` (both in this process). Warnings do not fail.

Fixtures in fixtures/hostile/ start with `# target: <path in content>` and
`# expect: <the exact error line>`, as in fixtures/broken/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import cli, share
from generator.build import BuildOptions, check
from generator.load import parse_document
from generator.model_base import SLUG_MAX
from generator.problems import ContentError
from generator.serve import Site as ServedSite
from tests.conftest import FIXTURE, ROOT, TEMPLATES, snapshot

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
TODAY = "2026-12-01"  # every run sees the same "today" (see generator.notices.today)
BETA = (FIXTURE / "tools" / "beta.yaml").read_text("utf-8")
SITE = (FIXTURE / "site.yaml").read_text("utf-8")


def versus(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`versus` in a subprocess, as a user runs it, with today's date fixed."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "VERSUS_TODAY": TODAY, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERSUS_TODAY", TODAY)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content and its site, built once; every test starts from a copy."""
    root = tmp_path_factory.mktemp("good")
    shutil.copytree(FIXTURE, root / "content")
    built = versus(root, "build", "--templates", str(TEMPLATES))
    assert built.returncode == 0, built.stderr
    return root


@pytest.fixture
def project(good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the good project, and the working folder, so paths print as content/..."""
    shutil.copytree(good, tmp_path, dirs_exist_ok=True, symlinks=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {path}"
    path.write_text(text.replace(old, new), "utf-8")


Refused = Callable[[Path, list[str]], None]


@pytest.fixture
def refused(capfd: pytest.CaptureFixture[str]) -> Refused:
    """Assert that `build`, `check` and `serve` all report exactly `lines` and change nothing."""

    def assert_refused(project: Path, lines: list[str]) -> None:
        before = snapshot(project / "site")
        built = versus(project, "build", "--templates", str(TEMPLATES))
        assert built.returncode == 1, built.stdout + built.stderr
        assert "Traceback" not in built.stderr
        out = built.stderr.splitlines()
        assert out[:-1] == lines, built.stderr
        assert out[-1].startswith("Found ") and out[-1].endswith("; site was not changed.")
        assert snapshot(project / "site") == before
        assert not list(project.glob(".site.*")), "staging folder left behind"

        capfd.readouterr()
        assert cli.main(["check", "--templates", str(TEMPLATES)]) == 1
        assert capfd.readouterr().err.splitlines()[:-1] == lines

        served = ServedSite(
            BuildOptions(Path("content"), Path("site"), TEMPLATES, workers=1), lambda r: None
        )
        served.rebuild()
        assert served.state.errors == lines
        assert snapshot(project / "site") == before

    return assert_refused


# --------------------------------------------------------------- 1. numbers that are not finite

NOT_FINITE = {
    "value-inf": (
        "value: 5000000",
        "value: .inf",
        "tools/beta.yaml:14:12: evidence[0].value: expected a finite number; got a number (inf)",
    ),
    "value-minus-inf": (
        "value: 5000000",
        "value: -.inf",
        "tools/beta.yaml:14:12: evidence[0].value: expected a finite number; got a number (-inf)",
    ),
    "value-1e999": (
        "value: 5000000",
        "value: 1e999",
        'tools/beta.yaml:14:12: evidence[0].value: expected a finite number; got "1e999"',
    ),
    "value-nan": (
        "value: 4.5",
        "value: .nan",
        "tools/beta.yaml:20:12: evidence[1].value: expected a finite number; got a number (nan)",
    ),
    "amount-inf": (
        "amount: 10,",
        "amount: .inf,",
        "tools/beta.yaml:10:28: pricing.starting_price.amount: "
        "expected a finite number; got a number (inf)",
    ),
    "amount-overflow": (
        "amount: 10,",
        "amount: 1.0e+999,",
        "tools/beta.yaml:10:28: pricing.starting_price.amount: "
        "expected a finite number; got a number (inf)",
    ),
}


@pytest.mark.parametrize("case", sorted(NOT_FINITE))
def test_non_finite_figure_is_refused(case: str, project: Path, refused: Refused) -> None:
    old, new, expect = NOT_FINITE[case]
    edit(project / "content/tools/beta.yaml", old, new)
    refused(project, [f"content/{expect}"])


NOT_FINITE_WEIGHTS = {
    "nan": (
        ["adoption: .nan"],
        ["site.yaml:12:13: weights.adoption: expected a finite number; got a number (nan)"],
    ),
    "inf": (
        ["quality: .inf"],
        ["site.yaml:13:12: weights.quality: expected a finite number; got a number (inf)"],
    ),
    "sum-overflows": (
        ["adoption: 1.0e+308", "quality: 1.0e+308"],
        [
            "site.yaml:12:13: weights.adoption: expected a number <= 1000; got a number (1e+308)",
            "site.yaml:13:12: weights.quality: expected a number <= 1000; got a number (1e+308)",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(NOT_FINITE_WEIGHTS))
def test_weights_are_finite_and_bounded(case: str, project: Path, refused: Refused) -> None:
    news, expect = NOT_FINITE_WEIGHTS[case]
    for new in news:
        key = new.split(":")[0]
        old = next(line.strip() for line in SITE.splitlines() if line.strip().startswith(key))
        edit(project / "content/site.yaml", old, new)
    refused(project, [f"content/{line}" for line in expect])


# --------------------------------------------------------------- 2. impossible dates, unquoted


@pytest.mark.parametrize("date", ["2026-13-45", "2025-02-30", "0000-01-01"])
def test_impossible_date_is_refused_at_its_line(date: str, project: Path, refused: Refused) -> None:
    edit(project / "content/tools/beta.yaml", "checked: 2026-11-01", f"checked: {date}")
    refused(
        project,
        [f"content/tools/beta.yaml:53:10: checked: expected a real date (YYYY-MM-DD); got {date}"],
    )


def test_impossible_date_behind_an_alias_is_refused_where_written(
    project: Path, refused: Refused
) -> None:
    beta = project / "content/tools/beta.yaml"
    edit(
        beta,
        "    observed: 2026-09-15\n    retrieved: 2026-09-15\n    provenance: vendor",
        "    observed: &d 2025-02-30\n    retrieved: 2026-09-15\n    provenance: vendor",
    )
    edit(
        beta,
        "    observed: 2026-09-15\n    retrieved: 2026-09-15\n    provenance: community",
        "    observed: *d\n    retrieved: 2026-09-15\n    provenance: community",
    )
    refused(
        project,
        [
            "content/tools/beta.yaml:16:15: evidence[0].observed: "
            "expected a real date (YYYY-MM-DD); got 2025-02-30",
            "content/tools/beta.yaml:16:15: evidence[1].observed: "
            "expected a real date (YYYY-MM-DD); got 2025-02-30",
        ],
    )


# --------------------------------------------------------------- 3. dates in the future


def test_future_dates_are_warnings_and_the_build_goes_on(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    beta = project / "content/tools/beta.yaml"
    edit(beta, "checked: 2026-11-01", "checked: 2027-05-01")
    edit(
        beta,
        "    observed: 2026-09-15\n    retrieved: 2026-09-15\n    provenance: vendor",
        "    observed: 2026-09-15\n    retrieved: 2026-12-05\n    provenance: vendor",
    )
    warnings = [
        "content/tools/beta.yaml:17:16: evidence[0].retrieved: "
        "warning: retrieved 2026-12-05 is in the future (today is 2026-12-01)",
        "content/tools/beta.yaml:35:15: evidence[3].observed: warning: stale: observed "
        "2025-01-10, 690 days ago; image_arena_elo figures count for 365 days, so this one "
        "is shown as stale and does not count",
        "content/tools/beta.yaml:53:10: checked: warning: date 2027-05-01 is in the future",
    ]
    for _ in range(2):  # the second build takes beta from the cache: still warned
        built = versus(project, "build", "--templates", str(TEMPLATES))
        assert built.returncode == 0, built.stderr
        assert [line for line in built.stderr.splitlines() if "warning" in line] == warnings
        assert "Traceback" not in built.stderr
        assert "2027-05-01" in (project / "site/tools/beta/index.html").read_text("utf-8")
    assert cli.main(["check", "--templates", str(TEMPLATES)]) == 0
    assert capfd.readouterr().err.splitlines() == warnings
    reports = []
    ServedSite(
        BuildOptions(Path("content"), Path("site"), TEMPLATES, workers=1), reports.append
    ).rebuild()
    assert [str(w) for w in reports[0].warnings] == warnings
    cli._built(reports[0], "site")
    assert capfd.readouterr().err.splitlines() == warnings


# --------------------------------------------------------------- 4. alias bombs

BOMBS = sorted(HOSTILE.glob("*-bomb.yaml"))


def _header(path: Path) -> tuple[str, str]:
    lines = path.read_text("utf-8").splitlines()
    return lines[0].removeprefix("# target: "), lines[1].removeprefix("# expect: ")


@pytest.mark.parametrize("case", BOMBS, ids=[p.stem for p in BOMBS])
def test_alias_bomb_is_refused_naming_the_alias(
    case: Path, project: Path, refused: Refused
) -> None:
    target, expect = _header(case)
    assert case.stat().st_size < 2048
    shutil.copyfile(case, project / "content" / target)
    refused(project, [f"content/{expect}"])


@pytest.mark.parametrize("case", BOMBS, ids=[p.stem for p in BOMBS])
def test_alias_bomb_is_refused_in_bounded_memory(case: Path) -> None:
    tracemalloc.start()
    try:
        doc, problems = parse_document(case.read_bytes(), case, "bomb.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert doc is None and len(problems) == 1
    assert peak < 20_000_000  # ten thousand small values, not a billion


def test_recursive_alias_is_refused(project: Path, refused: Refused) -> None:
    edit(project / "content/tools/beta.yaml", "categories: [vision]", "categories: &c [*c]")
    refused(
        project,
        [
            "content/tools/beta.yaml:6:17: categories[0]: "
            "YAML alias refers to the value that contains it"
        ],
    )


def test_anchors_and_merge_keys_still_work(project: Path) -> None:
    beta = project / "content/tools/beta.yaml"
    edit(beta, "  - id: styles\n    title: Style references", "  - <<: *cap\n    id: styles")
    edit(beta, "  - id: text-to-image", "  - &cap\n    id: text-to-image")
    built = versus(project, "build", "--templates", str(TEMPLATES))
    assert built.returncode == 0, built.stderr
    page = (project / "site/tools/beta/index.html").read_text("utf-8")
    assert page.count("Text to image") == 2 and "Style references" not in page
    assert "Copies a style from an image." in page  # the key written wins over the merged one


def test_merge_of_a_non_mapping_is_a_clean_error(project: Path, refused: Refused) -> None:
    edit(project / "content/tools/beta.yaml", "  plan: paid", "  <<: paid\n  plan: paid")
    refused(
        project,
        [
            "content/tools/beta.yaml:8:3: pricing.<<: "
            "expected a mapping (or a list of mappings) to merge after <<"
        ],
    )


# --------------------------------------------------------------- 5. long display fields

LONG = {
    "name": ("name: Beta Draw", "name: " + "N" * 20000, "1:7: name", 120, 20000),
    "vendor": ("vendor: Beta Inc.", "vendor: " + "V" * 121, "3:9: vendor", 120, 121),
    "title": (
        "title: Text to image",
        "title: " + "T" * 201,
        "41:12: capabilities[0].title",
        200,
        201,
    ),
}


@pytest.mark.parametrize("case", sorted(LONG))
def test_long_display_field_is_refused(case: str, project: Path, refused: Refused) -> None:
    old, new, where, limit, got = LONG[case]
    edit(project / "content/tools/beta.yaml", old, new)
    refused(
        project,
        [f"content/tools/beta.yaml:{where}: expected at most {limit} characters; got {got}"],
    )


def test_share_image_text_fitting_is_not_quadratic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measurements, not seconds: fitting 20,000 characters measures a few short strings."""
    from PIL import Image, ImageDraw

    draw = ImageDraw.Draw(Image.new("L", (share.WIDTH, 100)))
    measured: list[int] = []
    real = draw.textlength

    def counting(text: str, *args: object, **kw: object) -> float:
        measured.append(len(text))
        return real(text, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(draw, "textlength", counting)
    text, size = share._fit(draw, "Wide name " * 2000, 52, 720)
    assert len(measured) <= 30 and max(measured) <= 722
    assert size == 20 and text.endswith("…") and real(text, font=share._font(size)) <= 720
    measured.clear()
    assert share._fit(draw, "Claude", 52, 720) == ("Claude", 52)
    assert len(measured) <= 2


# --------------------------------------------------------------- 6. entries that are not files


def test_editor_lock_and_backup_files_are_ignored(project: Path) -> None:
    tools = project / "content/tools"
    os.symlink("user@host.4242:1764000000", tools / ".#beta.yaml")  # Emacs: dangling
    (tools / "beta.yaml~").write_text("name: [", "utf-8")
    (tools / "#beta.yaml#").write_text("name: [", "utf-8")
    (tools / ".beta.yaml.swp").write_bytes(b"\x00\xff")
    (tools / ".beta.yaml.swx").write_bytes(b"\x00\xff")
    (tools / ".hidden.yaml").write_text("name: [", "utf-8")
    before = snapshot(project / "site")
    built = versus(project, "build", "--templates", str(TEMPLATES))
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    assert snapshot(project / "site").keys() == before.keys()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


NOT_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "folder": (lambda p: p.mkdir(), "not a regular file (a folder); expected a YAML file"),
    "link-to-folder": (
        lambda p: os.symlink(p.parent, p),
        "not a regular file (a symbolic link to a folder); expected a YAML file",
    ),
    "link-loop": (
        lambda p: os.symlink(p.name, p),
        "not a regular file (a symbolic link loop); expected a YAML file",
    ),
    "dangling-link": (
        lambda p: os.symlink("gone.yaml", p),
        "not a regular file (a symbolic link to gone.yaml, which does not exist); "
        "expected a YAML file",
    ),
    "named-pipe": (_fifo, "not a regular file (a named pipe); expected a YAML file"),
}


@pytest.mark.parametrize("case", sorted(NOT_FILES))
def test_tool_entry_that_is_not_a_file(case: str, project: Path, refused: Refused) -> None:
    make, message = NOT_FILES[case]
    make(project / "content/tools/x.yaml")
    refused(project, [f"content/tools/x.yaml:1:1: {message}"])


def test_symlink_to_a_tool_file_is_followed(project: Path) -> None:
    elsewhere = project / "shared" / "epsilon.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(BETA.replace("Beta Draw", "Epsilon"), "utf-8")
    os.symlink(elsewhere, project / "content/tools/epsilon.yaml")
    built = versus(project, "build", "--templates", str(TEMPLATES))
    assert built.returncode == 0, built.stderr
    assert "Epsilon" in (project / "site/tools/epsilon/index.html").read_text("utf-8")


# --------------------------------------------------------------- 7. x.yaml and x.yml


def test_yaml_and_yml_for_one_slug(project: Path, refused: Refused) -> None:
    shutil.copyfile(project / "content/tools/beta.yaml", project / "content/tools/beta.yml")
    refused(
        project,
        [
            'content/tools/beta.yml:1:1: two files for the tool "beta": '
            "content/tools/beta.yaml and content/tools/beta.yml; keep one"
        ],
    )


# --------------------------------------------------------------- 8. categories


def test_duplicate_category_id(project: Path, refused: Refused) -> None:
    site = project / "content/site.yaml"
    edit(
        site,
        "    description: Tools that write text.\n",
        "    description: Tools that write text.\n"
        "  - id: vision\n    name: Vision again\n    description: Again.\n",
    )
    refused(
        project,
        [
            "content/site.yaml:11:9: categories[2].id: "
            'duplicate category id "vision" (first at line 5)'
        ],
    )


def _with_empty_category(project: Path, show: bool) -> subprocess.CompletedProcess[str]:
    site = project / "content/site.yaml"
    edit(
        site,
        "categories:\n",
        "categories:\n  - id: audio\n    name: Audio\n    description: Sound.\n",
    )
    if show:
        edit(site, "empty_categories: hide", "empty_categories: show")
    return versus(project, "build", "--templates", str(TEMPLATES))


def test_empty_category_is_hidden_with_a_warning(project: Path) -> None:
    built = _with_empty_category(project, show=False)
    assert built.returncode == 0, built.stderr
    assert [line for line in built.stderr.splitlines() if "category" in line][-1] == (
        'content/site.yaml:5:9: categories[0].id: warning: category "audio" has no tools; it '
        "gets no page or link (set empty_categories: show in site.yaml to list it anyway)"
    )
    assert not (project / "site/categories/audio").exists()
    assert "/categories/audio/" not in (project / "site/index.html").read_text("utf-8")
    assert "/categories/audio/" not in (project / "site/sitemap.xml").read_text("utf-8")
    assert "unchanged, 0 removed" in built.stdout and "-1" not in built.stdout


def test_empty_category_is_shown_when_the_site_asks(project: Path) -> None:
    built = _with_empty_category(project, show=True)
    assert built.returncode == 0, built.stderr
    assert "has no tools" not in built.stderr
    assert (project / "site/categories/audio/index.html").is_file()
    assert "/categories/audio/" in (project / "site/index.html").read_text("utf-8")


# --------------------------------------------------------------- 9. one slug limit


def test_slug_limit_is_the_same_for_check_new_and_build(project: Path, refused: Refused) -> None:
    longest = ["a" * SLUG_MAX, "b" * SLUG_MAX]
    for slug in longest:
        (project / f"content/tools/{slug}.yaml").write_text(BETA, "utf-8")
    built = versus(project, "build", "--templates", str(TEMPLATES))
    assert built.returncode == 0, built.stderr  # the longest comparison folder is fine
    assert (project / f"site/compare/{longest[0]}-vs-{longest[1]}/index.html").is_file()

    too_long = "c" * (SLUG_MAX + 1)
    made = versus(project, "new", "tool", too_long)
    assert made.returncode == 1 and "Traceback" not in made.stderr
    assert made.stderr.splitlines()[0] == (
        f'content/tools/{too_long}.yaml:1:1: "{"c" * 37}..." is too long for a slug; '
        "expected at most 64 characters; got 65"
    )
    (project / f"content/tools/{too_long}.yaml").write_text(BETA, "utf-8")
    refused(
        project,
        [
            f'content/tools/{too_long}.yaml:1:1: file name "{"c" * 37}..." is too long for a '
            "slug; expected at most 64 characters; got 65"
        ],
    )


# --------------------------------------------------------------- 10. --templates


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_missing_templates_folder(command: str, project: Path) -> None:
    before = snapshot(project / "site")
    result = versus(project, command, "--templates", "nowhere")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    tail = "; site was not changed." if command != "check" else "."
    assert result.stderr.splitlines() == [
        "templates folder not found: nowhere",
        f"Template error{tail}",
    ]
    assert snapshot(project / "site") == before


def test_templates_folder_without_templates_uses_the_bundled_theme(project: Path) -> None:
    """An empty or partial --templates folder only overrides what it holds."""
    (project / "empty").mkdir()
    partial = project / "partial"
    shutil.copytree(TEMPLATES, partial)
    (partial / "compare.html").unlink()
    for folder in ("empty", "partial"):
        result = versus(project, "build", "--templates", folder)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert (project / "site/compare/alpha-vs-beta/index.html").is_file()


# --------------------------------------------------------------- 11. control characters


def test_control_characters_from_content_are_escaped(project: Path, refused: Refused) -> None:
    beta = project / "content/tools/beta.yaml"
    edit(beta, "type: application", 'type: "\\e[2J\\u202e"\n"\\e]0;pwned\\a": 1')
    (project / "content/tools/bad\x1b[31m.yaml").write_text(BETA, "utf-8")
    refused(
        project,
        [
            'content/tools/bad\\x1b[31m.yaml:1:1: file name "bad\\x1b[31m" is not a valid '
            "slug; expected lowercase letters, digits and single hyphens, e.g. my-tool.yaml",
            "content/tools/beta.yaml:2:7: type: expected one of model, application, api, "
            'library, framework, platform, service; got "\\x1b[2J\\u202e"',
            "content/tools/beta.yaml:3:1: \\x1b]0;pwned\\x07: unknown field; expected one of "
            "aliases, capabilities, categories, checked, evidence, identifiers, links, logo, "
            "name, pricing, short_name, sources, summary, type, vendor, website",
        ],
    )


# --------------------------------------------------------------- 12. careless values

CARELESS = {
    "count-huge": (
        "matches.yaml",
        "count: 120",
        "count: 1" + "0" * 400,
        "matches.yaml:3:12: matches[0].count: expected a number <= 1000000000000000; "
        "got a number of 401 digits",
    ),
    "count-negative": (
        "matches.yaml",
        "count: 120",
        "count: -3",
        "matches.yaml:3:12: matches[0].count: expected a number >= 0; got a number (-3)",
    ),
    "count-too-many-digits": (
        "matches.yaml",
        "count: 120",
        "count: " + "9" * 5000,
        "matches.yaml:3:12: matches[0].count: "
        "expected a number of at most 4300 digits; got 5000 digits",
    ),
    "value-huge": (
        "tools/beta.yaml",
        "value: 5000000",
        "value: 1" + "0" * 400,
        "tools/beta.yaml:14:12: evidence[0].value: "
        "expected a finite number; got a number of 401 digits",
    ),
    "value-negative": (
        "tools/beta.yaml",
        "value: 5000000",
        "value: -1",
        "tools/beta.yaml:14:12: evidence[0].value: expected a number >= 0; got a number (-1)",
    ),
    "list-for-text": (
        "tools/beta.yaml",
        "vendor: Beta Inc.",
        "vendor: [Beta, Inc.]",
        "tools/beta.yaml:3:9: vendor: expected text; got a list",
    ),
    "mapping-for-text": (
        "tools/beta.yaml",
        "name: Beta Draw",
        "name: {first: Beta}",
        "tools/beta.yaml:1:7: name: expected text; got a mapping",
    ),
    "text-for-list": (
        "tools/beta.yaml",
        "categories: [vision]",
        "categories: vision",
        'tools/beta.yaml:6:13: categories: expected a list; got "vision"',
    ),
    "date-for-text": (
        "tools/beta.yaml",
        "vendor: Beta Inc.",
        "vendor: 2026-01-01",
        "tools/beta.yaml:3:9: vendor: expected text; got a date (2026-01-01)",
    ),
}


@pytest.mark.parametrize("case", sorted(CARELESS))
def test_careless_value_is_a_clean_error(case: str, project: Path, refused: Refused) -> None:
    target, old, new, expect = CARELESS[case]
    edit(project / "content" / target, old, new)
    refused(project, [f"content/{expect}"])


HOSTILE_TEXT = st.sampled_from(
    [
        ".inf",
        "-.inf",
        ".nan",
        "1e999",
        "1.0e+999",
        "-1",
        "0",
        "1" + "0" * 400,
        "9" * 5000,
        "2025-02-30",
        "0000-01-01",
        "2027-05-01",
        "2026-13-45",
        "2026-01-01 10:00:00",
        "[]",
        "{}",
        "[a, b]",
        "{a: 1}",
        "~",
        "true",
        "''",
        '"\\e[2J"',
        "x" * 300,
        "&a [*a]",
        "*undefined",
        "!!binary AAAA",
        "!!set {a, b}",
        "<<: 1",
    ]
)
PATHS = [
    ("name",),
    ("vendor",),
    ("checked",),
    ("categories",),
    ("categories", 0),
    ("pricing", "starting_price"),
    ("pricing", "starting_price", "amount"),
    ("evidence", 0, "value"),
    ("evidence", 0, "observed"),
    ("capabilities", 0, "title"),
    ("capabilities",),
    ("sources", 0),
]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(PATHS), HOSTILE_TEXT), min_size=1, max_size=3))
def test_hostile_values_anywhere_give_a_build_or_a_clean_error(
    fixture_copy: Path, edits: list[tuple[tuple[str | int, ...], str]]
) -> None:
    data = yaml.safe_load(BETA)
    for path, text in edits:
        parent = data
        for part in path[:-1]:
            parent = parent[part] if isinstance(parent, dict | list) else None
        if isinstance(parent, dict) or (isinstance(parent, list) and path[-1] == 0):
            parent[path[-1]] = f"@@{len(edits)}@@{text}@@"  # type: ignore[index]
    rendered = yaml.safe_dump(data, allow_unicode=True, width=10_000)
    for _, text in edits:  # the raw YAML text in place of the quoted marker
        rendered = rendered.replace(f"'@@{len(edits)}@@{text}@@'", text, 1)
    (fixture_copy / "tools" / "beta.yaml").write_text(rendered, "utf-8")
    try:
        check(fixture_copy, TEMPLATES)
    except ContentError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file.endswith(".yaml") and p.line >= 1 and p.col >= 1 and p.message
            assert "\x1b" not in str(p)


# --------------------------------------------------------------- 13. weight 0


def test_zero_weight_is_described_as_the_table_shows_it(project: Path) -> None:
    edit(project / "content/site.yaml", "match_graph: 0.15", "match_graph: 0")
    built = versus(project, "build", "--templates", str(TEMPLATES))
    assert built.returncode == 0, built.stderr
    page = (project / "site/tools/beta/index.html").read_text("utf-8")
    assert "Beta Draw's rank rests on " in page and "being often compared lifted it" not in page
    assert 'data-metric="match-graph"' in page
    assert "no data for match graph" not in page
    assert "weight 0 is shown on every page but not counted in the rank" in (
        project / "site/methodology/index.html"
    ).read_text("utf-8")
