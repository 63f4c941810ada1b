"""An independent reader of comparison pages: checks every claim of a verdict against the
head-to-head table it sits beside.

It knows nothing of how verdicts are written, only the sentence shapes a reader sees. It
reads the numbers from the page as displayed, decides each head-to-head row's better side
itself from the row's `data-better` and the two `<data value>`s, and requires every
comparative claim to be backed by those rows: a sentence it does not recognise is an
error, so a verdict cannot slip in "A leads on quality" from the sub-scores. Used on every
bundled comparison page and by the property test on generated tools.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

SUBS = ("quality", "adoption", "ecosystem")
NUMBER = r"[\d.,]+"
ITEM = rf"[^()]+? \({NUMBER} vs {NUMBER}\)"
ITEMS = rf"{ITEM}(?:(?:, | and ){ITEM})*"
SCOPE = r"(?:the one|the two|all (?:\d+)) (?:quality|adoption|ecosystem) figures?"


@dataclass(eq=False)  # rows are told apart by identity: two may show the same numbers
class H2HRow:
    metric: str
    subscore: str
    better: str
    label: str
    context: str
    values: tuple[float, float]
    shown: tuple[str, str]
    marked: tuple[bool, bool]

    level_within: str = "0"

    @property
    def winner(self) -> int | None:
        a, b = self.values
        if self.level_within.endswith("%"):  # counts: within that share of the smaller one
            share = float(self.level_within[:-1]) / 100
            if max(a, b) <= min(a, b) * (1 + share):
                return None
        elif abs(a - b) <= float(self.level_within):
            return None
        return 0 if (a > b) == (self.better == "higher") else 1


@dataclass
class Page:
    """A comparison page as a reader sees it."""

    a: str
    b: str
    cells: dict[str, tuple[str, str]]  # table#comparison cell texts by data-metric
    rows: list[H2HRow] = field(default_factory=list)
    has_table: bool = False
    note: str | None = None
    capabilities: tuple[list[str], list[str]] = ([], [])  # titles, as each column shows them
    # table#capability-matrix rows: (kind name as shown, whether each tool's cell lists one)
    kinds: list[tuple[str, tuple[bool, bool]]] = field(default_factory=list)

    def side(self, name: str) -> int:
        if name == self.a:
            return 0
        assert name == self.b, f"verdict names {name!r}, the page has {self.a!r} and {self.b!r}"
        return 1

    def rank(self, side: int) -> int | None:
        text = self.cells["rank"][side]
        return None if text.startswith("unranked") else int(text.split("/")[0])


def _context(th: Tag) -> str:
    span = th.find(class_="context")
    return span.get_text(" ", strip=True) if span else ""


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def page_from_html(doc: BeautifulSoup) -> Page:
    table = doc.find("table", id="comparison")
    assert isinstance(table, Tag)
    heads = table.find("thead").find_all("th")
    cells = {}
    for row in table.find("tbody").find_all("tr"):
        tds = row.find_all("td")
        cells[row["data-metric"]] = (
            tds[0].get_text(" ", strip=True),
            tds[1].get_text(" ", strip=True),
        )
    page = Page(heads[-2].get_text(strip=True), heads[-1].get_text(strip=True), cells)
    h2h = doc.find("table", id="head-to-head")
    if isinstance(h2h, Tag):
        page.has_table = True
        for tr in h2h.find("tbody").find_all("tr"):
            tds = tr.find_all("td")[-2:]
            data = [td.find("data") for td in tds]
            page.rows.append(
                H2HRow(
                    metric=tr["data-metric"],
                    subscore=tr["data-subscore"],
                    better=tr["data-better"],
                    level_within=tr["data-level-within"],
                    label=str(tr.find("th").contents[0]).strip(),
                    context=_context(tr.find("th")),
                    values=(float(data[0]["value"]), float(data[1]["value"])),
                    shown=(data[0].get_text(strip=True), data[1].get_text(strip=True)),
                    marked=(tds[0].find("strong") is not None, tds[1].find("strong") is not None),
                )
            )
    note = doc.find(class_="no-h2h")
    page.note = note.get_text(" ", strip=True) if note else None
    columns = doc.select("div.columns > div.column")[:2]
    page.capabilities = tuple(  # type: ignore[assignment]
        [h.get_text(strip=True) for h in col.select("article.capability h3")] for col in columns
    )
    matrix = doc.find("table", id="capability-matrix")
    if isinstance(matrix, Tag):
        for tr in matrix.find_all("tr", attrs={"data-kind": True}):
            tds = tr.find_all("td")[-2:]
            listed = tuple(td.find("a", href=True) is not None for td in tds)
            page.kinds.append((tr.find("th").get_text(" ", strip=True), listed))  # type: ignore[arg-type]
    return page


def markup_errors(doc: BeautifulSoup, page: Page) -> list[str]:
    """The head-to-head interface: each row's cells hold a number, a source link and an
    observed date; the better value is marked; a note instead of an empty table."""
    errors = []
    if page.rows and page.note:
        errors.append("both a head-to-head table and a 'no like-for-like' note")
    if not page.has_table:
        expected = (
            f"{page.a} and {page.b} publish no figure on the same metric and setting, so no "
            "like-for-like comparison is possible."
        )
        if page.note != expected:
            errors.append(f"no head-to-head table and no note; note is {page.note!r}")
        return errors
    if not page.rows:
        errors.append("an empty head-to-head table")
    for tr, row in zip(
        doc.find("table", id="head-to-head").find("tbody").find_all("tr"), page.rows, strict=True
    ):
        for td in tr.find_all("td")[-2:]:
            time = td.find("time")
            if not (
                td.find("a", href=True)
                and time
                and re.fullmatch(r"\d{4}-\d\d-\d\d", time.get("datetime", ""))
            ):
                errors.append(f"{row.metric}: a cell without a source link or an observed date")
        if row.subscore not in SUBS or row.better not in ("higher", "lower"):
            errors.append(f"{row.metric}: bad data-subscore or data-better")
        expected = (row.winner == 0, row.winner == 1)
        if row.marked != expected:
            errors.append(f"{row.metric}: marked {row.marked}, but the better value is {expected}")
    return errors


def _items(text: str) -> list[tuple[str, float, float]]:
    return [
        (m[1], _number(m[2]), _number(m[3]))
        for m in re.finditer(rf"(.+?) \(({NUMBER}) vs ({NUMBER})\)(?:, | and |$)", text)
    ]


def _decision(page: Page) -> tuple[int | None, str, int, int]:
    """(winner, sub-score, rows won, rows) as a reader decides it from the table."""
    for sub in SUBS:
        group = [r for r in page.rows if r.subscore == sub]
        if group:
            wins = [sum(1 for r in group if r.winner == s) for s in (0, 1)]
            winner = 0 if wins[0] > wins[1] else 1 if wins[1] > wins[0] else None
            return winner, sub, wins[winner] if winner is not None else 0, len(group)
    return None, "", 0, 0


class _Reader:
    def __init__(self, page: Page, text: str) -> None:
        self.page = page
        self.text = text
        self.errors: list[str] = []
        self.claimed: list[H2HRow] = []
        self.names = re.escape(page.a) + "|" + re.escape(page.b)

    def take(self, pattern: str) -> list[re.Match[str]]:
        """Every match of a sentence shape, removed from the text left to explain."""
        found = list(re.finditer(pattern, self.text))
        for m in reversed(found):
            self.text = self.text[: m.start()] + " " + self.text[m.end() :]
        return found

    def claim(self, sub: str, items: str, side: int | None, sentence: str) -> list[H2HRow]:
        """Rows backing `items` (each `label (mine vs theirs)` from `side`'s view)."""
        rows = []
        for label, mine, theirs in _items(items):
            first, second = (mine, theirs) if side in (0, None) else (theirs, mine)
            match = [
                r
                for r in self.page.rows
                if r.subscore == sub
                and label in (r.label, f"{r.label}, {r.context}")
                and r.values == (first, second)
                and r not in self.claimed
                and r.winner == side
            ]
            if not match:
                self.errors.append(
                    f"no head-to-head row backs {label} ({mine} vs {theirs}) in: {sentence}"
                )
                continue
            rows.append(match[0])
            self.claimed.append(match[0])
        return rows


def check(page: Page, verdict: str, headline: str | None = None) -> list[str]:
    """Every claim in `verdict` (and `headline`) that the page does not back, every
    head-to-head row the verdict leaves out, and every sentence it cannot read."""
    r = _Reader(page, verdict)
    names = r.names
    winner, sub, ahead, total = _decision(page)

    # The decision.
    decisions = r.take(rf"On the figures both publish, choose ({names})\.")
    none = r.take(
        rf"The evidence shared by (?:{names}) and (?:{names}) does not pick a winner; "
        r"choose by what you need\."
    ) + r.take(
        rf"(?:{names}) and (?:{names}) publish no figure on the same metric and setting, so the "
        r"evidence does not pick a winner; choose by what you need\."
    )
    firsts = decisions + none
    if len(firsts) != 1 or not verdict.startswith(firsts[0][0]):
        r.errors.append("the verdict does not start with exactly one decision")
    if decisions and page.side(decisions[0][1]) != winner:
        r.errors.append(f"'{decisions[0][0]}' but the shared {sub} figures favour {winner}")
    if none and winner is not None:
        r.errors.append(f"'no winner' but the shared {sub} figures favour side {winner}")
    if none and "no figure on the same metric" in none[0][0] and page.rows:
        r.errors.append("'no figure on the same metric' but the page has head-to-head rows")

    # The reasons: each must be backed by rows, and together they must cover every row.
    for m in r.take(rf"({names}) is ahead on ({SCOPE}) both report: ({ITEMS})\."):
        side = page.side(m[1])
        sub_m = re.search(r"(quality|adoption|ecosystem)", m[2])[1]  # type: ignore[index]
        rows = r.claim(sub_m, m[3], side, m[0])
        if len(rows) != sum(1 for x in page.rows if x.subscore == sub_m):
            r.errors.append(f"'{m[2]}' does not cover every {sub_m} row: {m[0]}")
    for m in r.take(rf"They are level on ({SCOPE}) both report: ({ITEMS})\."):
        sub_m = re.search(r"(quality|adoption|ecosystem)", m[1])[1]  # type: ignore[index]
        rows = r.claim(sub_m, m[2], None, m[0])
        if len(rows) != sum(1 for x in page.rows if x.subscore == sub_m):
            r.errors.append(f"'{m[1]}' does not cover every {sub_m} row: {m[0]}")
    mixed = (
        rf"On the (\d+) (quality|adoption|ecosystem) figures both report, "
        rf"(?:({names}) is ahead on ({ITEMS}))(?:; ({names}) is ahead on ({ITEMS}))?"
        rf"(?:; they are level on ({ITEMS}))?\."
    )
    for m in r.take(mixed):
        n, sub_m = int(m[1]), m[2]
        rows = r.claim(sub_m, m[4], page.side(m[3]), m[0])
        if m[5]:
            rows += r.claim(sub_m, m[6], page.side(m[5]), m[0])
        if m[7]:
            rows += r.claim(sub_m, m[7], None, m[0])
        if n != len(rows) or n != sum(1 for x in page.rows if x.subscore == sub_m):
            r.errors.append(f"the count {n} does not match the {sub_m} rows: {m[0]}")
    for row in page.rows:
        if row not in r.claimed:
            r.errors.append(f"the verdict says nothing about head-to-head row {row.metric}")

    # The ranks, as facts.
    ra, rb = page.rank(0), page.rank(1)
    found = False
    for m in r.take(
        rf"Our method ranks ({names}) (\d+)/100 and ({names}) (\d+)/100; each rank summarises "
        r"different figures, so it is not a like-for-like comparison\."
    ):
        found = True
        if (page.rank(page.side(m[1])), page.rank(page.side(m[3]))) != (int(m[2]), int(m[4])):
            r.errors.append(f"ranks differ from the table: {m[0]}")
    for m in r.take(
        rf"({names}) ranks (\d+)/100 by our method; ({names}) is unranked \(not enough evidence\)\."
    ):
        found = True
        if page.rank(page.side(m[1])) != int(m[2]) or page.rank(page.side(m[3])) is not None:
            r.errors.append(f"one-sided rank claim contradicts the table: {m[0]}")
    for _ in r.take(rf"Neither (?:{names}) nor (?:{names}) has enough evidence for a rank\."):
        found = True
        if ra is not None or rb is not None:
            r.errors.append("'neither has enough evidence' but the table shows a rank")
    if not found:
        r.errors.append("the verdict states no rank")

    _check_pricing(r)
    _check_kinds(r)

    # What each tool is for: its own capability titles, no comparison.
    def titles(side: int) -> str:
        found = page.capabilities[side]
        one = "|".join(re.escape(t[0].lower() + t[1:]) + "|" + re.escape(t) for t in found)
        return rf"(?:{one})(?:(?:, | or )(?:{one}))*"

    if page.capabilities[0] and page.capabilities[1]:
        a, b = re.escape(page.a), re.escape(page.b)
        r.take(rf"Choose {a} if you need {titles(0)}; choose {b} if you need {titles(1)}\.")
    # Then nothing may be left.
    if r.text.strip():
        r.errors.append(f"sentences no head-to-head row or table cell backs: {r.text.strip()!r}")

    if headline is not None:
        _check_headline(r, headline, winner, sub, ahead, total)
    return r.errors


def _check_pricing(r: _Reader) -> None:
    page, names = r.page, r.names
    pa, pb = page.cells["pricing"]
    free = ["no free tier" not in pa, "no free tier" not in pb]
    if r.take(r"Both offer a free tier\.") and not all(free):
        r.errors.append("'both offer a free tier' contradicts the pricing row")
    if r.take(r"Neither offers a free tier\.") and any(free):
        r.errors.append("'neither offers a free tier' contradicts the pricing row")
    for m in r.take(rf"({names}) offers a free tier; ({names}) does not\."):
        s = page.side(m[1])
        if not free[s] or free[1 - s]:
            r.errors.append(f"free-tier claim contradicts the pricing row: {m[0]}")
    opened = [c.startswith("Open source") for c in (pa, pb)]
    if r.take(r"Both are open source\.") and not all(opened):
        r.errors.append("'both are open source' contradicts the pricing row")
    for m in r.take(rf"({names}) is open source; ({names}) is not\."):
        s = page.side(m[1])
        if not opened[s] or opened[1 - s]:
            r.errors.append(f"open-source claim contradicts the pricing row: {m[0]}")
    shown = [re.search(r"from (\d+(?:\.\d\d)?) ([A-Z]{3})", c) for c in (pa, pb)]
    per = r"(?: per (?:month|year|request|million tokens|hour)| one-time)"
    price_sentences = r.take(
        rf"(?:({names}) is cheaper to start, at .+? for ({names}), "
        rf"(\d+(?:\.\d\d)?) [A-Z]{{3}} less\."
        rf"|Both start at \d+(?:\.\d\d)? [A-Z]{{3}}{per}\."
        rf"|Their prices are not directly comparable: .+?{per}, .+?{per}\."
        rf"|Only (?:{names}) lists a paid price, from .+?{per}; (?:{names}) lists none\.)"
    )
    for m in price_sentences:
        for p in re.finditer(rf"(\d+(?:\.\d\d)?) ([A-Z]{{3}})({per})?( less)?", m[0]):
            if p[4]:
                amounts = [float(x[1]) for x in shown if x]
                if len(amounts) != 2 or abs(abs(amounts[0] - amounts[1]) - float(p[1])) > 0.005:
                    r.errors.append(f"price difference {p[0]} does not match the pricing row")
            elif f"from {p[1]} {p[2]}{p[3] or ''}" not in pa + pb:
                r.errors.append(f"price {p[0]} is not in the pricing row")
        if m[1]:
            cheap, dear = page.side(m[1]), page.side(m[2])
            if not (shown[cheap] and shown[dear]) or float(shown[cheap][1]) >= float(
                shown[dear][1]
            ):
                r.errors.append(f"'cheaper' contradicts the pricing row: {m[0]}")


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _check_kinds(r: _Reader) -> None:
    """ "Only A lists X and Y": every kind named must be one the matrix shows A listing and
    B not, and every such kind must be named (the sentence claims the whole difference)."""
    page, names = r.page, r.names
    if not page.kinds:
        return
    shown = sorted((_lower(n) for n, _ in page.kinds), key=len, reverse=True)
    one = "|".join(re.escape(n) for n in shown)
    for m in r.take(
        rf"Of the capability kinds this page lines up, only ({names}) lists "
        rf"((?:{one})(?:(?:, | and )(?:{one}))*)\."
    ):
        side = page.side(m[1])
        named = set(re.findall(one, m[2]))
        only = {_lower(n) for n, listed in page.kinds if listed[side] and not listed[1 - side]}
        if named != only:
            r.errors.append(f"the matrix shows {m[1]} alone listing {sorted(only)}: {m[0]}")


def _check_headline(
    r: _Reader, headline: str, winner: int | None, sub: str, ahead: int, total: int
) -> None:
    names = r.names
    if m := re.fullmatch(rf"({names}) is ahead on (.+) both publish\.?", headline):
        expected = {1: f"the one {sub} figure", 2: f"the two {sub} figures"}.get(
            total, f"all {total} {sub} figures"
        )
        if ahead != total:
            expected = f"{ahead} of {total} {sub} figures"
        if r.page.side(m[1]) != winner or m[2] != expected:
            r.errors.append(f"headline {headline!r} does not match the head-to-head rows")
    elif re.fullmatch(
        rf"(?:{names}) and (?:{names}): the figures both publish do not pick a winner\.?", headline
    ):
        if winner is not None or not r.page.rows:
            r.errors.append(f"headline {headline!r} does not match the head-to-head rows")
    elif re.fullmatch(rf"(?:{names}) and (?:{names}) publish no figures in common\.?", headline):
        if r.page.rows:
            r.errors.append(f"headline {headline!r} but the page has head-to-head rows")
    else:
        r.errors.append(f"headline not understood: {headline!r}")
