"""(a, b, scores) -> verdict text.

The page that inspired Versus rounded its figures so far that its verdict contradicted its
own table. Here every claim is computed from the integers the table displays (`Scores.shown`
and `price_label`), so text and table cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.models import Plan, Price, Pricing, Tool, VerdictSettings
from generator.score import LABELS, SUBSCORES, Scores


@dataclass(frozen=True)
class Side:
    """What the verdict may know of one tool: only what its table column shows."""

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


def headline(a: Side, b: Side) -> str:
    ra, rb = a.scores.shown("rank"), b.scores.shown("rank")
    if ra is None and rb is None:
        return f"{a.name} vs {b.name}: neither has enough evidence for a rank"
    if ra is None or rb is None:
        ranked, other = (a, b) if ra is not None else (b, a)
        return (
            f"{ranked.name} has a rank of {ranked.scores.shown('rank')}/100; {other.name} has none"
        )
    if ra == rb:
        return f"{a.name} and {b.name} tie at {ra}/100"
    hi, lo = (a, b) if ra > rb else (b, a)
    gap = abs(ra - rb)
    return f"{hi.name} ranks higher than {lo.name} by {gap} point{'s' if gap != 1 else ''}"


def _rank_sentence(a: Side, b: Side) -> str:
    ra, rb = a.scores.shown("rank"), b.scores.shown("rank")
    if ra is None and rb is None:
        return f"Neither {a.name} nor {b.name} has scored evidence yet, so neither has a rank."
    if ra is None or rb is None:
        ranked, other = (a, b) if ra is not None else (b, a)
        return (
            f"{ranked.name} has a rank of {ranked.scores.shown('rank')}/100; {other.name} has no "
            "rank because it has no scored evidence yet."
        )
    if ra == rb:
        return f"{a.name} and {b.name} tie at {ra}/100."
    hi, lo = (a, b) if ra > rb else (b, a)
    return (
        f"{hi.name} scores higher at {hi.scores.shown('rank')}/100 vs {lo.name} at "
        f"{lo.scores.shown('rank')}/100."
    )


def _lead_sentences(a: Side, b: Side, margin: int) -> list[str]:
    leads: dict[str, list[str]] = {a.name: [], b.name: []}
    level: list[str] = []
    missing: list[str] = []
    for sub in SUBSCORES:
        va, vb = a.scores.shown(sub), b.scores.shown(sub)
        label = LABELS[sub].lower()
        if va is None or vb is None:
            missing.append(label)
        elif va - vb >= margin:
            leads[a.name].append(f"{label} ({va} vs {vb})")
        elif vb - va >= margin:
            leads[b.name].append(f"{label} ({vb} vs {va})")
        else:
            level.append(label)
    out: list[str] = []
    la, lb = leads[a.name], leads[b.name]
    first, second = (b, a) if len(lb) > len(la) else (a, b)
    l1, l2 = leads[first.name], leads[second.name]
    if l1 and l2:
        out.append(
            f"{first.name} leads on {_join(l1)}, while {second.name} is stronger on {_join(l2)}."
        )
    elif l1:
        out.append(f"{first.name} leads on {_join(l1)}.")
    if level:
        out.append(
            f"They are within {margin} point{'s' if margin != 1 else ''} of each other on "
            f"{_join(level)}."
        )
    if missing:
        out.append(f"There is no data to compare them on {_join(missing)}.")
    return out


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


def _breadth_sentence(a: Side, b: Side) -> str:
    na, nb = len(a.tool.capabilities), len(b.tool.capabilities)
    if na == nb:
        return f"Both list {na} capabilit{'y' if na == 1 else 'ies'}."
    more, less = (a, b) if na > nb else (b, a)
    nm, nl = max(na, nb), min(na, nb)
    return f"{more.name} lists {nm} capabilities to {less.name}'s {nl}."


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


def verdict(a: Side, b: Side, settings: VerdictSettings) -> Verdict:
    """The verdict for the page `a`-vs-`b` (a first, as in the URL)."""
    sentences = [_rank_sentence(a, b)]
    sentences += _lead_sentences(a, b, settings.lead_margin)
    sentences += _pricing_sentences(a, b)
    sentences.append(_breadth_sentence(a, b))
    sentences.append(_choose_sentence(a, b, settings.choose_from))
    return Verdict(headline=headline(a, b), sentences=tuple(sentences))
