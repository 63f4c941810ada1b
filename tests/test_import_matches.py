"""`versus import matches`: counted pairs from any source as a CSV; and the rules that keep
imported and hand-written entries apart (aliases, search-console: sources)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.import_content import HAND_WRITTEN, make_import_content

HEADER = "tool_a,tool_b,count,what,source,period\n"
TRENDS = "https://trends.example.org/"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_import_content(tmp_path / "content")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def csv_file(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "pairs.csv"
    path.write_text(HEADER + rows, "utf-8")
    return path


def imported(content: Path) -> list[tuple[list[str], int, str]]:
    data = yaml.safe_load((content / "matches.yaml").read_text("utf-8"))
    return [(m["tools"], m["count"], m["period"]) for m in data["matches"] if "imported" in m]


def test_pairs_by_slug_or_name_are_imported_and_reimport_replaces_them(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = csv_file(
        tmp_path,
        f'claude,ChatGPT,"1,200",papers comparing both,{TRENDS},2026\n'
        f"SDXL,midjourney,7,papers comparing both,{TRENDS},2026\n"
        f"alpha,beta,5,papers comparing both,https://other.example.org/,2026-10\n",
    )
    code, out, err = run(capsys, "import", "matches", str(path), "--content", str(content))
    target = content / "matches.yaml"
    assert (code, err) == (0, [])
    assert out == [
        f"Read 3 rows from {path}.",
        f"{target}: 3 entries for https://other.example.org/, 2026-10; {TRENDS}, 2026 "
        "(0 from the earlier import replaced); 2 other entries kept.",
    ]
    assert target.read_text("utf-8").startswith(HAND_WRITTEN)
    assert imported(content) == [
        (["chatgpt", "claude"], 1200, "2026"),
        (["midjourney", "stable-diffusion-xl"], 7, "2026"),
        (["alpha", "beta"], 5, "2026-10"),  # beside the hand-written alpha/beta: other source
    ]
    again = csv_file(tmp_path, f"claude,chatgpt,9,papers comparing both,{TRENDS},2026\n")
    code, out, _ = run(capsys, "import", "matches", str(again), "--content", str(content))
    assert code == 0
    assert out[-1] == (
        f"{target}: 1 entry for {TRENDS}, 2026 (2 from the earlier import replaced); "
        "3 other entries kept."
    )
    assert imported(content) == [
        (["chatgpt", "claude"], 9, "2026"),
        (["alpha", "beta"], 5, "2026-10"),
    ]
    assert target.read_text("utf-8").startswith(HAND_WRITTEN)


BAD_ROWS: dict[str, tuple[str, list[str]]] = {
    "unknown tools": (
        f"claud,gemini,3,x,{TRENDS},2026\n",
        ['{f}:2:1: tool_a: unknown tool "claud"; did you mean "claude"?',
         '{f}:2:1: tool_b: unknown tool "gemini"'],
    ),
    "non-numeric count and empty text": (
        f"claude,chatgpt,many,,{TRENDS},2026\n",
        ['{f}:2:1: count: expected a whole number; got "many"',
         "{f}:2:1: what: expected some text; got nothing"],
    ),
    "a source that is not a URL": (
        "claude,chatgpt,3,x,javascript:alert(1),2026\n",
        ["{f}:2:1: source: expected an absolute http:// or https:// URL; "
         'got "javascript:alert(1)"'],
    ),
    "one tool twice by two names": (
        f"SDXL,stable-diffusion-xl,3,x,{TRENDS},2026\n",
        ["{f}:2:1: tool_b: a tool cannot match itself"],
    ),
    "a pair twice": (
        f"claude,chatgpt,3,x,{TRENDS},2026\nchatgpt,claude,4,x,{TRENDS},2026\n",
        ["{f}:3:1: tool_b: duplicate pair chatgpt / claude for the same source and period "
         "(first at line 2)"],
    ),
    "a hand-written entry of the same pair, source and period": (
        f"alpha,beta,3,x,{TRENDS},2026-10\n",
        ["{f}:2:1: tool_b: alpha / beta for this source and period is a hand-written entry "
         "of matches.yaml (line 4), which an import never changes; remove one of the two"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_rows_are_one_line_each_and_change_nothing(
    case: str, content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows, expected = BAD_ROWS[case]
    path = csv_file(tmp_path, rows)
    target = content / "matches.yaml"
    before = target.read_bytes()
    code, out, err = run(capsys, "import", "matches", str(path), "--content", str(content))
    assert code == 1
    lines = [line.format(f=path, m=target) for line in expected]
    files = len({line.split(":")[0] for line in lines})
    noun = "problem" if len(lines) == 1 else "problems"
    fnoun = "file" if files == 1 else "files"
    assert err == [
        *lines,
        f"Found {len(lines)} {noun} in {files} {fnoun}; {target} was not changed.",
    ]
    assert target.read_bytes() == before


def test_a_csv_with_missing_columns_is_refused(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("tool_a,tool_b,count\nclaude,chatgpt,3\n", "utf-8")
    code, _, err = run(capsys, "import", "matches", str(path), "--content", str(content))
    assert code == 1
    assert err[0] == (
        f"{path}:1:1: missing columns what, source, period; expected tool_a, tool_b, count, "
        "what, source, period; got tool_a, tool_b, count"
    )


ALIAS_CASES = {
    "another tool's name": (
        ("cursor", ["Claude"]),
        'aliases[0]: alias "Claude" is the name or slug of claude (Claude)',
    ),
    "another tool's alias, by key": (
        ("midjourney", ["sd-xl"]),
        'aliases[0]: alias "SDXL" is also an alias of midjourney ("sd-xl"); a query '
        "naming it could mean either tool",
    ),
    "its own name": (
        ("chatgpt", ["Chat GPT"]),
        'aliases[0]: alias "Chat GPT" is already this tool\'s name, slug or an earlier alias',
    ),
}


@pytest.mark.parametrize("case", sorted(ALIAS_CASES))
def test_alias_clashes_are_errors_at_their_line(
    case: str, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (slug, aliases), message = ALIAS_CASES[case]
    path = content / "tools" / f"{slug}.yaml"
    shown = ", ".join(f'"{a}"' for a in aliases)
    path.write_text(path.read_text("utf-8").replace("aliases: []", f"aliases: [{shown}]"), "utf-8")
    code, _, err = run(capsys, "check", "--content", str(content))
    assert code == 1
    if case == "another tool's alias, by key":  # reported at the later tool, in slug order
        path = content / "tools" / "stable-diffusion-xl.yaml"
    assert err == [f"{path}:2:11: {message}", "Found 1 problem in 1 file."]


def test_a_hand_written_entry_cannot_claim_a_search_console_source(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content / "matches.yaml").write_text(
        "matches:\n  - tools: [alpha, beta]\n    count: 3\n    what: searches\n"
        "    source: search-console:sc-domain:fixture.example.org\n    period: '2026'\n",
        "utf-8",
    )
    code, _, err = run(capsys, "check", "--content", str(content))
    assert code == 1
    assert err == [
        f"{content / 'matches.yaml'}:2:5: matches[0]: a search-console: source is written by "
        "`versus import search-console`; a hand-written entry needs the public http(s) URL "
        "of its source",
        "Found 1 problem in 1 file.",
    ]
