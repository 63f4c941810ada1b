"""An independent reader of verdicts: checks every claim against the table it sits beside.

It knows nothing of how verdicts are written, only the sentence shapes a reader sees, and
it reads the numbers from table cells as displayed. Used on every bundled comparison page
and by the property test on generated tools.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup

LABEL_ROWS = {
    "adoption": "adoption",
    "quality": "quality",
    "ecosystem": "ecosystem",
    "match graph": "match-graph",
}


@dataclass
class Table:
    """The comparison table as a reader sees it: names and cell texts per metric row."""

    a: str
    b: str
    cells: dict[str, tuple[str, str]]

    def number(self, metric: str, side: int) -> int | None:
        text = self.cells[metric][side]
        if text == "no data":
            return None
        return int(text.split("/")[0])

    def side(self, name: str) -> int:
        if name == self.a:
            return 0
        assert name == self.b, f"verdict names {name!r}, table has {self.a!r} and {self.b!r}"
        return 1


def table_from_html(doc: BeautifulSoup) -> Table:
    table = doc.find("table", id="comparison")
    assert table is not None
    heads = table.find("thead").find_all("th")
    cells = {}
    for row in table.find("tbody").find_all("tr"):
        tds = row.find_all("td")
        cells[row["data-metric"]] = (tds[0].get_text(strip=True), tds[1].get_text(strip=True))
    return Table(heads[-2].get_text(strip=True), heads[-1].get_text(strip=True), cells)


def _items(text: str) -> list[str]:
    parts = re.split(r", | and ", text)
    return [p for p in parts if p]


def check(table: Table, verdict: str, margin: int) -> list[str]:
    """Every claim in `verdict` that the table contradicts, plus leads the verdict omits."""
    errors: list[str] = []
    names = re.escape(table.a) + "|" + re.escape(table.b)
    ra, rb = table.number("rank", 0), table.number("rank", 1)

    # Rank.
    m = re.search(rf"({names}) scores higher at (\d+)/100 vs ({names}) at (\d+)/100\.", verdict)
    if m:
        hi, lo = table.side(m[1]), table.side(m[3])
        if (table.number("rank", hi), table.number("rank", lo)) != (int(m[2]), int(m[4])):
            errors.append(f"rank figures differ from the table: {m[0]}")
        if int(m[2]) <= int(m[4]):
            errors.append(f"'scores higher' with a lower or equal rank: {m[0]}")
    elif m := re.search(rf"({names}) and ({names}) tie at (\d+)/100\.", verdict):
        if not (ra == rb == int(m[3])):
            errors.append(f"tie claimed but table shows {ra} and {rb}")
    elif m := re.search(rf"({names}) has a rank of (\d+)/100; ({names}) has no rank", verdict):
        s = table.side(m[1])
        if table.number("rank", s) != int(m[2]) or table.number("rank", 1 - s) is not None:
            errors.append(f"one-sided rank claim contradicts the table: {m[0]}")
    elif "neither has a rank" in verdict:
        if ra is not None or rb is not None:
            errors.append("'neither has a rank' but the table shows a rank")
    else:
        errors.append("verdict states no rank")

    # Leads, level and missing sub-scores.
    claimed: set[str] = set()
    for m in re.finditer(
        rf"({names}) (?:leads on|is stronger on) (.+?)(?:, while |\.(?: |$))", verdict
    ):
        s = table.side(m[1])
        for item in re.finditer(r"([a-z ]+?) \((\d+) vs (\d+)\)", m[2]):
            metric = LABEL_ROWS[item[1].strip().removeprefix("and ").strip()]
            mine, theirs = table.number(metric, s), table.number(metric, 1 - s)
            claimed.add(metric)
            if (mine, theirs) != (int(item[2]), int(item[3])):
                errors.append(f"lead figures differ from the table: {item[0]}")
            elif mine is None or theirs is None or mine - theirs < margin:
                errors.append(f"lead claimed below the margin: {item[0]}")
    if m := re.search(r"within \d+ points? of each other on (.+?)\.", verdict):
        for label in _items(m[1]):
            metric = LABEL_ROWS[label]
            va, vb = table.number(metric, 0), table.number(metric, 1)
            claimed.add(metric)
            if va is None or vb is None or abs(va - vb) >= margin:
                errors.append(f"'level' claimed on {label}: {va} vs {vb}")
    if m := re.search(r"no data to compare them on (.+?)\.", verdict):
        for label in _items(m[1]):
            metric = LABEL_ROWS[label]
            claimed.add(metric)
            if table.number(metric, 0) is not None and table.number(metric, 1) is not None:
                errors.append(f"'no data' claimed on {label} but both have figures")
    for metric in LABEL_ROWS.values():
        if metric not in claimed:
            errors.append(f"verdict says nothing about {metric}")

    # Pricing.
    pa, pb = table.cells["pricing"]
    free = ["no free tier" not in pa, "no free tier" not in pb]
    if "Both offer a free tier." in verdict and not all(free):
        errors.append("'both offer a free tier' contradicts the pricing row")
    if "Neither offers a free tier." in verdict and any(free):
        errors.append("'neither offers a free tier' contradicts the pricing row")
    if m := re.search(rf"({names}) offers a free tier; ({names}) does not\.", verdict):
        s = table.side(m[1])
        if not free[s] or free[1 - s]:
            errors.append(f"free-tier claim contradicts the pricing row: {m[0]}")
    if m := re.search(rf"({names}) is open source; ({names}) is not\.", verdict):
        s = table.side(m[1])
        cells = (pa, pb)
        if not cells[s].startswith("Open source") or cells[1 - s].startswith("Open source"):
            errors.append(f"open-source claim contradicts the pricing row: {m[0]}")
    shown = [re.search(r"from (\d+(?:\.\d\d)?) ([A-Z]{3})", c) for c in (pa, pb)]
    for m in re.finditer(
        r"(\d+(?:\.\d\d)?) ([A-Z]{3})"
        r"( per (?:month|year|request|million tokens|hour)| one-time)?( less)?",
        verdict,
    ):
        if m[4]:  # a derived difference: must equal the gap between the shown prices
            amounts = [float(x[1]) for x in shown if x]
            if len(amounts) != 2 or abs(abs(amounts[0] - amounts[1]) - float(m[1])) > 0.005:
                errors.append(f"price difference {m[0]} does not match the pricing row")
        elif f"from {m[1]} {m[2]}{m[3] or ''}" not in pa + pb:
            errors.append(f"price {m[0]} is not in the pricing row")

    # Breadth.
    na, nb = (int(x) for x in table.cells["capabilities"])
    if m := re.search(rf"({names}) lists (\d+) capabilities to ({names})'s (\d+)\.", verdict):
        s = table.side(m[1])
        if ((na, nb)[s], (na, nb)[1 - s]) != (int(m[2]), int(m[4])) or int(m[2]) <= int(m[4]):
            errors.append(f"capability counts contradict the table: {m[0]}")
    elif m := re.search(r"Both list (\d+) capabilit", verdict):
        if not (na == nb == int(m[1])):
            errors.append(f"'both list' contradicts the table: {na} vs {nb}")
    else:
        errors.append("verdict states no capability counts")
    return errors
