"""Verdicts: table-driven cases and a property test over generated tools."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.models import Tool, VerdictSettings
from generator.score import SUBSCORES, Scores
from generator.verdict import Side, price_label, verdict
from tests.verdict_claims import Table, check

SETTINGS = VerdictSettings(lead_margin=5)


def make_tool(
    name: str,
    *,
    stars: float | None = 1000,
    bench: float | None = 50,
    caps: int = 2,
    plan: str = "freemium",
    free: bool = True,
    price: dict[str, Any] | None = None,
) -> Tool:
    evidence: dict[str, list[dict[str, Any]]] = {"adoption": [], "quality": []}
    common = {"source": "https://e.example/", "date": "2026-11-01"}
    if stars is not None:
        evidence["adoption"].append({"metric": "github_stars", "value": stars, **common})
    if bench is not None:
        evidence["quality"].append({"metric": "benchmark_score", "value": bench, **common})
    return Tool.model_validate(
        {
            "name": name,
            "type": "model",
            "vendor": "V",
            "website": "https://v.example/",
            "summary": "s",
            "categories": ["c"],
            "pricing": {
                "plan": plan,
                "free_tier": free,
                "starting_price": price,
                "url": "https://v.example/p",
            },
            "evidence": evidence,
            "capabilities": [
                {
                    "id": f"cap-{i}",
                    "title": f"Capability {i}",
                    "description": "d",
                    "unique": "u",
                    "vs_alternatives": "v",
                }
                for i in range(caps)
            ],
            "sources": [{"url": "https://v.example/", "backs": "all"}],
            "checked": "2026-11-01",
        }
    )


def table_of(a: Side, b: Side) -> Table:
    """The table exactly as the template shows it, built from the same displayed values."""

    def cell(side: Side, metric: str) -> str:
        v = side.scores.shown(metric)
        if v is None:
            return "no data"
        return f"{v}/100" if metric == "rank" else str(v)

    cells = {m.replace("_", "-"): (cell(a, m), cell(b, m)) for m in (*SUBSCORES, "rank")}
    cells["pricing"] = (price_label(a.tool.pricing), price_label(b.tool.pricing))
    cells["capabilities"] = (str(len(a.tool.capabilities)), str(len(b.tool.capabilities)))
    return Table(a.name, b.name, cells)


def scores(**subs: float | None) -> Scores:
    values = {s: subs.get(s) for s in SUBSCORES}
    basis = tuple(s for s in SUBSCORES if values[s] is not None)
    ranked = sum(values[s] or 0 for s in basis) / len(basis) if basis else None
    return Scores(**values, rank=subs.get("rank", ranked), times_matched=None, basis=basis)


def test_rounding_cannot_make_the_verdict_contradict_the_table() -> None:
    # 45.6 and 45.4 display as 46 and 45; a verdict reasoning on floats would still be
    # right, but one rounding each side differently would not. Shown values decide.
    a = Side("A", make_tool("A"), scores(adoption=45.6, rank=45.6))
    b = Side("B", make_tool("B"), scores(adoption=45.4, rank=45.4))
    v = verdict(a, b, SETTINGS)
    assert "A scores higher at 46/100 vs B at 45/100." in v.text
    assert check(table_of(a, b), v.text, 5) == []


def test_a_tie_is_said_when_displayed_ranks_are_equal() -> None:
    a = Side("A", make_tool("A"), scores(quality=70.2, rank=70.2))
    b = Side("B", make_tool("B"), scores(quality=69.8, rank=69.8))
    v = verdict(a, b, SETTINGS)
    assert "A and B tie at 70/100." in v.text
    assert v.headline == "A and B tie at 70/100"


def test_leads_only_past_the_margin() -> None:
    a = Side("A", make_tool("A"), scores(adoption=80, quality=52, ecosystem=10))
    b = Side("B", make_tool("B"), scores(adoption=60, quality=50, ecosystem=40))
    text = verdict(a, b, SETTINGS).text
    assert "leads on" in text and "adoption (80 vs 60)" in text
    assert "ecosystem (40 vs 10)" in text
    assert "within 5 points of each other on quality" in text
    assert "no data to compare them on match graph" in text


def test_missing_data_on_both_sides_gives_honest_sentences() -> None:
    a = Side("A", make_tool("A", stars=None, bench=None), scores())
    b = Side("B", make_tool("B", stars=None, bench=None), scores())
    v = verdict(a, b, SETTINGS)
    assert "Neither A nor B has scored evidence yet, so neither has a rank." in v.text
    assert check(table_of(a, b), v.text, 5) == []


def test_price_difference_in_same_units() -> None:
    month = {"currency": "USD", "period": "month"}
    a = Side("A", make_tool("A", price={"amount": 10, **month}), scores(quality=50))
    b = Side("B", make_tool("B", price={"amount": 30, **month}), scores(quality=50))
    text = verdict(a, b, SETTINGS).text
    assert "A is cheaper to start, at 10 USD per month against 30 USD for B, 20 USD less." in text
    assert check(table_of(a, b), text, 5) == []


subscore = st.one_of(st.none(), st.floats(min_value=0, max_value=100))
price = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "amount": st.sampled_from([5, 9.99, 10, 20, 0.5]),
            "currency": st.sampled_from(["USD", "EUR"]),
            "period": st.sampled_from(["month", "year"]),
        }
    ),
)


@st.composite
def sides(draw: st.DrawFn, name: str) -> Side:
    subs = {s: draw(subscore) for s in SUBSCORES}
    tool = make_tool(
        name,
        caps=draw(st.integers(1, 9)),
        plan=draw(st.sampled_from(["free", "freemium", "paid", "open-source"])),
        free=draw(st.booleans()),
        price=draw(price),
    )
    return Side(name, tool, scores(**subs))


@settings(max_examples=400, deadline=None)
@given(sides("Alpha"), sides("Beta tool"), st.integers(1, 20))
def test_every_verdict_claim_is_true_of_the_table(a: Side, b: Side, margin: int) -> None:
    text = verdict(a, b, VerdictSettings(lead_margin=margin)).text
    assert check(table_of(a, b), text, margin) == []
