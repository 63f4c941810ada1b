"""(a, b, head-to-head rows) -> verdict: the decision first, then the reasons.

A verdict may compare two tools only where the page shows a like-for-like comparison: the
head-to-head rows, figures of the same metric in the same context. Sub-scores and ranks
summarise different figures for each tool (MMLU for one, an arena rating for the other), so
they are stated as facts, never as "A leads on quality". Each row's better side is decided
by its metric's direction on the values the row displays, so text and table agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.evidence import ROW_ORDER, Row
from generator.matrix import matrix
from generator.metrics import fmt_number
from generator.models import Plan, Price, Pricing, Tool
from generator.score import Scores
from generator.site_models import CapabilityKind, VerdictSettings


@dataclass(frozen=True)
class Side:
    """What the verdict may know of one tool: its file, as shown, and its scores."""

    name: str
    tool: Tool
    scores: Scores


@dataclass(frozen=True)
class Verdict:
    headline: str
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def amount_label(price: Price) -> str:
    amount = f"{price.amount:.0f}" if price.amount == int(price.amount) else f"{price.amount:.2f}"
    return f"{amount} {price.currency}"


def per_label(price: Price) -> str:
    return {
        "one-time": "one-time",
        "month": "per month",
        "year": "per year",
        "request": "per request",
        "million-tokens": "per million tokens",
        "hour": "per hour",
    }[price.period.value]


def price_label(pricing: Pricing) -> str:
    """The pricing cell of the comparison table."""
    parts = [
        {"free": "Free", "freemium": "Freemium", "paid": "Paid", "open-source": "Open source"}[
            pricing.plan.value
        ],
        "free tier" if pricing.free_tier else "no free tier",
    ]
    if pricing.starting_price is not None:
        p = pricing.starting_price
        parts.append(f"from {amount_label(p)} {per_label(p)}")
    return " · ".join(parts)


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _item(row: Row, side: int, rows: list[Row]) -> str:
    """`MMLU 5-shot (68.4 vs 58.4)`: the named side's value first; the context is added when
    another shared figure has the same metric (`MMLU 5-shot, zero-shot (...)`)."""
    mine, theirs = (row.a, row.b) if side == 0 else (row.b, row.a)
    values = f"{fmt_number(mine.figure.value)} vs {fmt_number(theirs.figure.value)}"
    label = row.metric.label
    if row.context and sum(1 for r in rows if r.metric.id == row.metric.id) > 1:
        label = f"{label}, {row.context}"
    return f"{label} ({values})"


def _scope(n: int, sub: str) -> str:
    """`the one quality figure`, `the two quality figures`, `all 3 quality figures`."""
    if n == 1:
        return f"the one {sub} figure"
    return f"the two {sub} figures" if n == 2 else f"all {n} {sub} figures"


def groups(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """Rows by sub-score, in the order decisions use them: quality, adoption, ecosystem."""
    out = []
    for sub in sorted(ROW_ORDER, key=ROW_ORDER.__getitem__):
        group = [r for r in rows if r.metric.subscore == sub]
        if group:
            out.append((sub, group))
    return out


@dataclass(frozen=True)
class Decision:
    """Who the shared figures favour: on the first sub-score (quality, else adoption, else
    ecosystem) with shared figures, the tool ahead on more of them."""

    winner: int | None  # 0: a, 1: b, None: no winner
    subscore: str  # "" when the tools share no figure
    ahead: int  # rows the winner is ahead on
    total: int  # rows of that sub-score


def decide(rows: list[Row]) -> Decision:
    found = groups(rows)
    if not found:
        return Decision(None, "", 0, 0)
    sub, group = found[0]
    wins = [sum(1 for r in group if r.winner == side) for side in (0, 1)]
    winner = 0 if wins[0] > wins[1] else 1 if wins[1] > wins[0] else None
    return Decision(winner, sub, wins[winner] if winner is not None else 0, len(group))


def headline(a: Side, b: Side, rows: list[Row]) -> str:
    d = decide(rows)
    if d.winner is not None:
        name = (a, b)[d.winner].name
        if d.ahead == d.total:
            return f"{name} is ahead on {_scope(d.total, d.subscore)} both publish"
        return f"{name} is ahead on {d.ahead} of {d.total} {d.subscore} figures both publish"
    if rows:
        return f"{a.name} and {b.name}: the figures both publish do not pick a winner"
    return f"{a.name} and {b.name} publish no figures in common"


def _decision_sentence(a: Side, b: Side, rows: list[Row]) -> str:
    d = decide(rows)
    if d.winner is not None:
        return f"On the figures both publish, choose {(a, b)[d.winner].name}."
    if rows:
        return (
            f"The evidence shared by {a.name} and {b.name} does not pick a winner; "
            "choose by what you need."
        )
    return (
        f"{a.name} and {b.name} publish no figure on the same metric and setting, so the "
        "evidence does not pick a winner; choose by what you need."
    )


def _reason_sentences(a: Side, b: Side, rows: list[Row]) -> list[str]:
    out = []
    names = (a.name, b.name)
    for sub, group in groups(rows):
        n = len(group)
        won = [[r for r in group if r.winner == side] for side in (0, 1)]
        level = [r for r in group if r.winner is None]
        scope = _scope(n, sub)
        for side in (0, 1):
            if len(won[side]) == n:
                items = _join([_item(r, side, rows) for r in group])
                out.append(f"{names[side]} is ahead on {scope} both report: {items}.")
        if len(level) == n:
            items = _join([_item(r, 0, rows) for r in group])
            out.append(f"They are level on {scope} both report: {items}.")
        if max(len(won[0]), len(won[1]), len(level)) < n:
            first = 1 if len(won[1]) > len(won[0]) else 0
            parts = [
                f"{names[side]} is ahead on {_join([_item(r, side, rows) for r in won[side]])}"
                for side in (first, 1 - first)
                if won[side]
            ]
            if level:
                parts.append(f"they are level on {_join([_item(r, 0, rows) for r in level])}")
            out.append(f"On the {n} {sub} figures both report, {'; '.join(parts)}.")
    return out


def _rank_sentence(a: Side, b: Side) -> str:
    """The ranks as facts: each summarises different figures, so no comparison is drawn."""
    ra, rb = a.scores.shown("rank"), b.scores.shown("rank")
    if ra is not None and rb is not None:
        return (
            f"Our method ranks {a.name} {ra}/100 and {b.name} {rb}/100; each rank summarises "
            "different figures, so it is not a like-for-like comparison."
        )
    if ra is None and rb is None:
        return f"Neither {a.name} nor {b.name} has enough evidence for a rank."
    ranked, other = (a, b) if ra is not None else (b, a)
    return (
        f"{ranked.name} ranks {ranked.scores.shown('rank')}/100 by our method; {other.name} is "
        "unranked (not enough evidence)."
    )


def _pricing_sentences(a: Side, b: Side) -> list[str]:
    pa, pb = a.tool.pricing, b.tool.pricing
    out: list[str] = []
    if pa.free_tier and pb.free_tier:
        out.append("Both offer a free tier.")
    elif pa.free_tier or pb.free_tier:
        free, paid = (a, b) if pa.free_tier else (b, a)
        out.append(f"{free.name} offers a free tier; {paid.name} does not.")
    else:
        out.append("Neither offers a free tier.")
    oa, ob = pa.plan is Plan.open_source, pb.plan is Plan.open_source
    if oa and ob:
        out.append("Both are open source.")
    elif oa or ob:
        open_, closed = (a, b) if oa else (b, a)
        out.append(f"{open_.name} is open source; {closed.name} is not.")
    sa, sb = pa.starting_price, pb.starting_price
    if sa and sb:
        if sa.currency == sb.currency and sa.period == sb.period:
            if sa.amount == sb.amount:
                out.append(f"Both start at {amount_label(sa)} {per_label(sa)}.")
            else:
                cheap, dear = (a, b) if sa.amount < sb.amount else (b, a)
                pc, pd = cheap.tool.pricing.starting_price, dear.tool.pricing.starting_price
                assert pc is not None and pd is not None
                diff = Price(amount=pd.amount - pc.amount, currency=pc.currency, period=pc.period)
                out.append(
                    f"{cheap.name} is cheaper to start, at {amount_label(pc)} {per_label(pc)} "
                    f"against {amount_label(pd)} for {dear.name}, {amount_label(diff)} less."
                )
        else:
            out.append(
                f"Their prices are not directly comparable: {a.name} starts at "
                f"{amount_label(sa)} {per_label(sa)}, {b.name} at {amount_label(sb)} "
                f"{per_label(sb)}."
            )
    elif sa or sb:
        seller, other = (a, b) if sa else (b, a)
        p = seller.tool.pricing.starting_price
        assert p is not None
        out.append(
            f"Only {seller.name} lists a paid price, from {amount_label(p)} {per_label(p)}; "
            f"{other.name} lists none."
        )
    return out


def _lower_first(title: str) -> str:
    """Lowercase a title's first letter for mid-sentence use, but keep acronyms (CLIP)."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _choose_sentence(a: Side, b: Side, count: int) -> str:
    def names(side: Side) -> str:
        titles = [_lower_first(c.title) for c in side.tool.capabilities[:count]]
        return _join(titles, "or")

    return f"Choose {a.name} if you need {names(a)}; choose {b.name} if you need {names(b)}."


def _kind_sentences(a: Side, b: Side, kinds: list[CapabilityKind]) -> list[str]:
    """What the capability matrix shows only one tool listing. "Lists", not "offers": the
    page shows what each file lists, not everything a tool can do."""
    found = matrix(a.tool, b.tool, kinds)
    out = []
    for side, who in ((0, a), (1, b)):
        only = [_lower_first(r.name) for r in found.only(side)]
        if only:
            out.append(
                f"Of the capability kinds this page lines up, only {who.name} lists {_join(only)}."
            )
    return out


def verdict(
    a: Side,
    b: Side,
    rows: list[Row],
    settings: VerdictSettings,
    kinds: list[CapabilityKind] | None = None,
) -> Verdict:
    """The verdict for the page `a`-vs-`b` (a first, as in the URL), given its head-to-head
    rows: the decision, the reasons from the shared figures, the ranks as facts, pricing,
    the kinds of capability only one lists (the matrix) and what each tool is for."""
    sentences = [_decision_sentence(a, b, rows)]
    sentences += _reason_sentences(a, b, rows)
    sentences.append(_rank_sentence(a, b))
    sentences += _pricing_sentences(a, b)
    sentences += _kind_sentences(a, b, kinds or [])
    sentences.append(_choose_sentence(a, b, settings.choose_from))
    return Verdict(headline=headline(a, b, rows), sentences=tuple(sentences))
