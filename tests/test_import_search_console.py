"""`versus import search-console`: a real-format export in, matches.yaml entries out, with
hand-written entries and comments kept byte for byte and bad files refused in one line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.load import display
from generator.names import index
from generator.query_match import Matcher, QueryMatches
from tests.conftest import TEMPLATES, build_to, run_cli, soup
from tests.import_content import (
    EXPORT_ZIP,
    HAND_WRITTEN,
    IMPORT_FIXTURES,
    QUERIES_CSV,
    make_import_content,
)

SOURCE = "search-console:https://fixture.example.org/"
PERIOD = "2026-09-01 to 2026-11-30"
WHAT = (
    "impressions of Google Search queries that compare the two tools (A vs B, A versus B, "
    "A or B and the like) in the site's own Search Console, search type Web"
)
SUMMARY = [
    "Read 50 queries from {file}.",
    "Matched 20 queries naming two listed tools: 8 pairs, 142,935 impressions.",
    "Ignored 1 query naming one tool twice.",
    "Alternatives (one tool, not written): 4 queries, impressions by tool: midjourney 9,190, "
    "chatgpt 6,730, github-copilot 2,540.",
    "Candidates (unknown products compared with a listed tool), top 10 by impressions:",
    "  gemini: 27,050 (with chatgpt, claude)",
    "  windsurf: 20,890 (with cursor)",
    "  copilot: 17,890 (with chatgpt, cursor)",
    "  flux: 2,900 (with midjourney)",
    "  imagen 3: 1,340 (with dall-e-3)",
]
PAIRS = {
    ("chatgpt", "claude"): 87158,
    ("cursor", "github-copilot"): 26205,
    ("dall-e-3", "midjourney"): 10500,
    ("midjourney", "stable-diffusion-xl"): 9040,
    ("stable-diffusion-3", "stable-diffusion-xl"): 3550,
    ("flux-1-dev", "flux-1-schnell"): 3150,
    ("flux-1-dev", "stable-diffusion-xl"): 1720,
    ("continue", "cursor"): 1612,
}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_import_content(tmp_path / "content")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    code = main(["import", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def imported(content: Path) -> list[dict[str, object]]:
    data = yaml.safe_load((content / "matches.yaml").read_text("utf-8"))
    return [m for m in data["matches"] if "imported" in m]


def test_zip_export_gives_pairs_summary_and_keeps_hand_written_bytes(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "search-console", str(EXPORT_ZIP), "--content", str(content))
    assert (code, err) == (0, [])
    target = f"{content / 'matches.yaml'}"
    assert out == [line.format(file=display(EXPORT_ZIP)) for line in SUMMARY] + [
        f"{target}: 8 entries for {SOURCE}, {PERIOD} (0 from the earlier import replaced); "
        "2 other entries kept."
    ]
    text = (content / "matches.yaml").read_text("utf-8")
    assert text.startswith(HAND_WRITTEN)  # comments, quotes, folding: byte for byte
    entries = imported(content)
    assert {tuple(m["tools"]): m["count"] for m in entries} == PAIRS  # type: ignore[arg-type]
    assert [m["count"] for m in entries] == sorted(PAIRS.values(), reverse=True)
    for m in entries:
        assert (m["what"], m["source"], m["period"]) == (WHAT, SOURCE, PERIOD)
        assert str(m["imported"]) == "2026-12-03"


def test_reimport_replaces_the_same_source_and_period_only(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("search-console", str(EXPORT_ZIP), "--content", str(content))
    run(capsys, *args)
    first = (content / "matches.yaml").read_text("utf-8")
    smaller = tmp_path / "Queries.csv"
    smaller.write_text(
        "Top queries,Clicks,Impressions,CTR,Position\nchatgpt vs claude,3,100,3%,4.0\n", "utf-8"
    )
    code, out, _ = run(capsys, *args[:1], str(smaller), *args[2:], "--period", PERIOD)
    assert code == 0
    assert out[-1].endswith(
        f"1 entry for {SOURCE}, {PERIOD} (8 from the earlier import replaced); "
        "2 other entries kept."
    )
    entries = imported(content)
    assert [(m["tools"], m["count"]) for m in entries] == [(["chatgpt", "claude"], 100)]
    text = (content / "matches.yaml").read_text("utf-8")
    assert text.startswith(HAND_WRITTEN)
    # Another period is another import: it goes beside, and the first stays.
    code, out, _ = run(capsys, *args[:1], str(smaller), *args[2:], "--period", "2026-12")
    assert code == 0 and out[-1].endswith(
        "(0 from the earlier import replaced); 3 other entries kept."
    )
    assert [(m["period"], m["count"]) for m in imported(content)] == [
        (PERIOD, 100),
        ("2026-12", 100),
    ]
    # And the same export again gives the same file as the first import.
    run(capsys, *args)
    run(capsys, *args[:1], str(smaller), *args[2:], "--period", "2026-12")
    assert len(imported(content)) == 9
    assert (content / "matches.yaml").read_text("utf-8").startswith(first.removesuffix("\n"))


def test_dry_run_prints_the_change_and_writes_nothing(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (content / "matches.yaml").read_bytes()
    code, out, _ = run(
        capsys, "search-console", str(EXPORT_ZIP), "--content", str(content), "--dry-run"
    )
    assert code == 0
    assert (content / "matches.yaml").read_bytes() == before
    target = f"{content / 'matches.yaml'}"
    assert f"--- {target} (now)" in out and f"+++ {target} (after import)" in out
    assert "+  - tools: [chatgpt, claude]" in out and "+    count: 87158" in out
    assert not [line for line in out if line.startswith("-  ")]  # nothing removed
    assert out[-1] == f"Dry run: {target} was not changed."


def test_csv_with_clicks_and_a_domain_property(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "search-console",
        str(QUERIES_CSV),
        "--content",
        str(content),
        "--period",
        "2026-Q4",
        "--count",
        "clicks",
        "--property",
        "sc-domain:fixture.example.org",
    )
    assert (code, err) == (0, [])
    assert out[1] == "Matched 20 queries naming two listed tools: 8 pairs, 3,394 clicks."
    first = imported(content)[0]
    assert first["tools"] == ["chatgpt", "claude"] and first["count"] == 2254
    assert first["source"] == "search-console:sc-domain:fixture.example.org"
    assert str(first["what"]).startswith("clicks of Google Search queries")
    assert first["period"] == "2026-Q4"


def test_bom_and_quoted_queries_with_commas(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "Queries.csv"
    csv.write_bytes(
        b"\xef\xbb\xbfTop queries,Clicks,Impressions,CTR,Position\r\n"
        b'"cursor vs github copilot, which is better",1,"1,024",0.1%,3.0\r\n'
    )
    code, _, err = run(
        capsys, "search-console", str(csv), "--content", str(content), "--period", "2026-11"
    )
    assert (code, err) == (0, [])
    assert [(m["tools"], m["count"]) for m in imported(content)] == [
        (["cursor", "github-copilot"], 1024)
    ]


def export_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


BAD_FILES: dict[str, tuple[bytes | dict[str, bytes], list[str]]] = {
    "empty file": (
        b"",
        ["{f}:1:1: the file is empty; expected a CSV with columns Top queries, Clicks, "
         "Impressions"],
    ),
    "Pages table, not Queries": (
        b"Top pages,Clicks,Impressions,CTR,Position\nhttps://a.example/,1,2,50%,1.0\n",
        ["{f}:1:1: missing column Top queries; expected Top queries, Clicks, Impressions; "
         "got Top pages, Clicks, Impressions, CTR, Position"],
    ),
    "missing columns": (
        b"Top queries,CTR\nchatgpt vs claude,3%\n",
        ["{f}:1:1: missing columns Clicks, Impressions; expected Top queries, Clicks, "
         "Impressions; got Top queries, CTR"],
    ),
    "non-numeric counts": (
        b"Top queries,Clicks,Impressions,CTR,Position\nchatgpt vs claude,x,12,1%,1\n"
        b"claude vs cursor,3,-4,1%,1\n",
        ['{f}:2:1: Clicks: expected a whole number from 0 to 1,000,000,000,000,000; got "x"',
         '{f}:3:1: Impressions: expected a whole number from 0 to 1,000,000,000,000,000; '
         'got "-4"'],
    ),
    "short row": (
        b"Top queries,Clicks,Impressions,CTR,Position\nchatgpt vs claude,1\n",
        ["{f}:2:1: expected 5 fields; got 2"],
    ),
    "not UTF-8": (
        b"Top queries,Clicks,Impressions,CTR,Position\nchatgpt vs claude,1,2,1%,1\n"
        b"caf\xe9 vs claude,1,2,1%,1\n",
        ["{f}:3:1: not UTF-8 text (byte 0xe9); save or export the file as UTF-8 CSV"],
    ),
    "ZIP without Queries.csv": (
        {"Pages.csv": b"Top pages,Clicks\n", "Dates.csv": b"Date,Clicks\n"},
        ["{f}:1:1: no Queries.csv in the ZIP; expected a Search Console performance export "
         "(Queries.csv, Pages.csv, Dates.csv, ...); found Dates.csv, Pages.csv"],
    ),
    "ZIP with a bad Queries.csv": (
        {"Queries.csv": b"Top queries,Clicks,Impressions\nchatgpt vs claude,1,1.5\n"},
        ['{f}:Queries.csv:2:1: Impressions: expected a whole number from 0 to '
         '1,000,000,000,000,000; got "1.5"'],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_export_is_one_line_each_and_changes_nothing(
    case: str, content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, expected = BAD_FILES[case]
    if isinstance(data, dict):
        path = export_zip(tmp_path / "export.zip", data)
    else:
        path = tmp_path / "Queries.csv"
        path.write_bytes(data)
    before = (content / "matches.yaml").read_bytes()
    code, out, err = run(
        capsys, "search-console", str(path), "--content", str(content), "--period", "2026-11"
    )
    target = f"{content / 'matches.yaml'}"
    noun = "problem" if len(expected) == 1 else "problems"
    assert code == 1 and out == []
    assert err == [line.format(f=path) for line in expected] + [
        f"Found {len(expected)} {noun} in 1 file; {target} was not changed."
    ]
    assert (content / "matches.yaml").read_bytes() == before


def test_a_csv_without_period_and_a_bad_property_are_refused(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (content / "matches.yaml").read_bytes()
    code, _, err = run(capsys, "search-console", str(QUERIES_CSV), "--content", str(content))
    assert code == 1
    assert err[0] == (
        f"{display(QUERIES_CSV)}:1:1: --period: the export does not say its period (no Dates.csv); "
        'give it, e.g. --period "2026-09-01 to 2026-11-30"'
    )
    code, _, err = run(
        capsys, "search-console", str(EXPORT_ZIP), "--content", str(content), "--property", "x y"
    )
    assert code == 1
    assert err[0] == (
        "versus import:1:1: --property: expected search-console: followed by a Search Console "
        'property (sc-domain:example.com or https://example.com/); got "search-console:x y"'
    )
    assert (content / "matches.yaml").read_bytes() == before


def test_invalid_content_is_reported_before_anything_is_read(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content / "tools" / "claude.yaml").write_text(
        (content / "tools" / "claude.yaml").read_text("utf-8").replace('"Claude"', '"ChatGPT"'),
        "utf-8",
    )
    text = (content / "tools" / "cursor.yaml").read_text("utf-8")
    (content / "tools" / "cursor.yaml").write_text(text.replace("aliases: []", 'aliases: ["…"]'))
    before = (content / "matches.yaml").read_bytes()
    result = run_cli("import", "search-console", str(EXPORT_ZIP), "--content", str(content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith("matches.yaml was not changed.")
    assert (
        f'{content / "tools" / "cursor.yaml"}:2:11: aliases[0]: alias "…" has no letters or digits'
        in result.stderr.splitlines()
    )
    assert (content / "matches.yaml").read_bytes() == before


def test_pages_say_what_the_imported_counts_count(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "search-console", str(EXPORT_ZIP), "--content", str(content))
    out = tmp_path / "site"
    build_to(content, out, templates=TEMPLATES, workers=1)
    items = [
        li.get_text(" ", strip=True)
        for li in soup(out / "methodology" / "index.html").select("#match-evidence li")
    ]
    assert items[0] == (
        f"142,935 {WHAT} (8 pairs; period {PERIOD}; source: the site's own Search Console "
        "(property https://fixture.example.org/); imported): demand, how often people "
        "searched for these comparisons, not how well either tool does."
    )
    assert items[1].startswith(
        "120 papers that evaluate both on the same benchmark (1 pair; period 2026-10"
    )
    claude = soup(out / "tools" / "claude" / "index.html")
    assert [li.get_text(" ", strip=True) for li in claude.select("#match-evidence li")] == [
        f"87,158 {WHAT} (1 pair; period {PERIOD}; source: the site's own Search Console "
        "(property https://fixture.example.org/))."
    ]
    assert claude.select_one('tr[data-metric="times-matched"] td').get_text(strip=True) == "87,158"


MATCHER_CASES = [
    ("gpt 4o vs claude", {("claude", "gpt-4o"): 1}),
    ("GPT-4o vs. Claude", {("claude", "gpt-4o"): 1}),
    ("gpt4o versus claude for coding", {("claude", "gpt-4o"): 1}),
    ("dall e 3 vs dalle 3", {}),  # one tool twice
    ("DALL·E 3 compared to gpt-4o mini", {("dall-e-3", "gpt-4o-mini"): 1}),  # longest first
    ("gpt-4o mini or gpt 4o", {("gpt-4o", "gpt-4o-mini"): 1}),
    ("difference between claude and gpt 4o", {("claude", "gpt-4o"): 1}),
    ("claude alternatives", {}),
    ("is claude free or paid", {}),
    ("claude vs gpt-4o vs dall-e 3", {("claude", "gpt-4o"): 1, ("claude", "dall-e-3"): 1,
                                     ("dall-e-3", "gpt-4o"): 1}),
]  # fmt: skip


@pytest.mark.parametrize(("query", "pairs"), MATCHER_CASES)
def test_queries_are_matched_by_name_ignoring_case_and_punctuation(
    query: str, pairs: dict[tuple[str, str], int]
) -> None:
    class T:
        def __init__(self, name: str) -> None:
            self.name, self.aliases = name, []

    tools = {"gpt-4o": T("GPT-4o"), "gpt-4o-mini": T("GPT-4o mini"), "claude": T("Claude"),
             "dall-e-3": T("DALL·E 3")}  # fmt: skip
    found = QueryMatches()
    Matcher(index(tools)).add(query, 1, found)
    assert dict(found.pairs) == {tuple(sorted(k)): v for k, v in pairs.items()}


def test_alternatives_and_candidates_are_counted_apart() -> None:
    class T:
        def __init__(self, name: str) -> None:
            self.name, self.aliases = name, []

    found = QueryMatches()
    matcher = Matcher(index({"claude": T("Claude")}))
    for query, n in [("claude alternatives", 5), ("alternatives to claude", 3),
                     ("claude vs gemini 2026", 7), ("gemini or claude", 100)]:  # fmt: skip
        matcher.add(query, n, found)
    assert dict(found.alternatives) == {"claude": 8} and found.alternative_queries == 2
    assert dict(found.candidates) == {"gemini": 7}  # "or" suggests no candidate
    assert dict(found.pairs) == {}


def test_the_committed_zip_is_a_search_console_export() -> None:
    with zipfile.ZipFile(io.BytesIO(EXPORT_ZIP.read_bytes())) as z:
        assert sorted(z.namelist()) == sorted(
            [
                "Queries.csv",
                "Pages.csv",
                "Countries.csv",
                "Devices.csv",
                "Search appearance.csv",
                "Dates.csv",
                "Filters.csv",
            ]  # fmt: skip
        )
        assert (
            z.read("Queries.csv")
            == (IMPORT_FIXTURES / "search-console" / "Queries.csv").read_bytes()
        )
