"""Reading the files `versus import` takes: a Search Console export (CSV or ZIP) and a plain
CSV of counted pairs.

These files come from elsewhere (a download, a spreadsheet), so every way they can be
wrong is a located one-line problem (`file:line:col: column: message`), never a traceback:
a byte that is not UTF-8, a header from another table, a count that is not a number.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.models import COUNT_MAX
from generator.problems import ContentError, Problem

QUERIES = ("Top queries", "Clicks", "Impressions", "CTR", "Position")
MAX_PROBLEMS = 20  # a file wrong on every row would otherwise print 50,000 lines
MAX_BYTES = 512 * 1024 * 1024  # a ZIP member is read whole: refuse a zip bomb


@dataclass(frozen=True)
class QueryRow:
    query: str
    clicks: int
    impressions: int


@dataclass(frozen=True)
class SearchExport:
    """The Queries table of a Search Console performance export, with what the ZIP says
    about it: the first and last day of Dates.csv, and the filters of Filters.csv."""

    rows: list[QueryRow]
    first_day: str | None
    last_day: str | None
    filters: dict[str, str]


def _fail(shown: str, message: str, line: int = 1, column: str = "") -> ContentError:
    return ContentError([Problem(shown, line, 1, column, message)])


def decode(data: bytes, shown: str) -> str:
    """UTF-8 text (a byte order mark dropped), or a problem at the line of the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(
            shown,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save or export the file as UTF-8 CSV",
            line,
        ) from None


def table(text: str, shown: str, expected: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row by column) for each data row; the header must hold the expected columns
    (in any order, with others beside them)."""
    if not text.strip():
        raise _fail(shown, f"the file is empty; expected a CSV with columns {', '.join(expected)}")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
        missing = [c for c in expected if c not in header]
        if missing:
            got = ", ".join(header) if len(", ".join(header)) <= 80 else ", ".join(header)[:77]
            raise _fail(
                shown,
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                f"expected {', '.join(expected)}; got {got}",
            )
        where = {c: header.index(c) for c in expected}
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue  # blank line
            if len(fields) < len(header):
                raise _fail(
                    shown,
                    f"expected {len(header)} fields; got {len(fields)}",
                    reader.line_num,
                )
            yield reader.line_num, {c: fields[i].strip() for c, i in where.items()}
    except csv.Error as exc:
        raise _fail(shown, f"not a readable CSV: {exc}", reader.line_num) from None


def whole_number(value: str) -> int | None:
    """A count as exports write it: "1234", "1,234" or "1 234"; None if it is not one."""
    digits = value.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not digits.isascii() or not digits.isdigit():
        return None
    number = int(digits)
    return number if number <= COUNT_MAX else None


def _count(row: dict[str, str], column: str, line: int, shown: str, problems: list[Problem]) -> int:
    number = whole_number(row[column])
    if number is None:
        shown_value = row[column] if len(row[column]) <= 40 else row[column][:37] + "..."
        problems.append(
            Problem(
                shown,
                line,
                1,
                column,
                f'expected a whole number from 0 to {COUNT_MAX:,}; got "{shown_value}"',
            )
        )
        return 0
    return number


def queries(text: str, shown: str) -> list[QueryRow]:
    rows: list[QueryRow] = []
    problems: list[Problem] = []
    for line, row in table(text, shown, QUERIES[:3]):
        clicks = _count(row, "Clicks", line, shown, problems)
        impressions = _count(row, "Impressions", line, shown, problems)
        if len(problems) >= MAX_PROBLEMS:
            break
        rows.append(QueryRow(row["Top queries"], clicks, impressions))
    if problems:
        raise ContentError(problems)
    return rows


def read_search_console(path: Path, shown: str) -> SearchExport:
    """The Queries table from `path`: Queries.csv itself, or the export ZIP holding it."""
    data = _read(path, shown)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return SearchExport(queries(decode(data, shown), shown), None, None, {})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {Path(n).name: n for n in archive.namelist() if not n.endswith("/")}
            if "Queries.csv" not in members:
                found = ", ".join(sorted(members)) or "nothing"
                raise _fail(
                    shown,
                    "no Queries.csv in the ZIP; expected a Search Console performance export "
                    f"(Queries.csv, Pages.csv, Dates.csv, ...); found {found}",
                )

            def member(name: str) -> str | None:
                if name not in members:
                    return None
                if archive.getinfo(members[name]).file_size > MAX_BYTES:
                    raise _fail(shown, f"{name} in the ZIP is larger than {MAX_BYTES:,} bytes")
                return decode(archive.read(members[name]), f"{shown}:{name}")

            rows = queries(member("Queries.csv") or "", f"{shown}:Queries.csv")
            first, last = _date_range(member("Dates.csv"), f"{shown}:Dates.csv")
            filters = _filters(member("Filters.csv"), f"{shown}:Filters.csv")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise _fail(shown, f"cannot read the ZIP: {exc}") from None
    return SearchExport(rows, first, last, filters)


def _read(path: Path, shown: str) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _fail(shown, f"the file is larger than {MAX_BYTES:,} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise _fail(shown, f"cannot read the file: {exc.strerror or exc}") from None


def _date_range(text: str | None, shown: str) -> tuple[str | None, str | None]:
    """First and last day of Dates.csv (one row per day, YYYY-MM-DD)."""
    if text is None:
        return None, None
    days = sorted(row["Date"] for _, row in table(text, shown, ("Date",)) if row["Date"])
    return (days[0], days[-1]) if days else (None, None)


def _filters(text: str | None, shown: str) -> dict[str, str]:
    """Filters.csv: "Filter,Value" rows such as "Search type,Web"."""
    if text is None:
        return {}
    return {row["Filter"]: row["Value"] for _, row in table(text, shown, ("Filter", "Value"))}


def read_text(path: Path, shown: str) -> str:
    return decode(_read(path, shown), shown)
