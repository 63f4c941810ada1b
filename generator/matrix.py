"""Two tools' capabilities lined up by kind: the capability matrix of a comparison page.

A kind comes from the site's shared vocabulary (`capability_kinds` in site.yaml), so two
tools' capabilities meet on one row however each file titles them. Rows that tell the tools
apart come first (kinds only one of them lists), then the kinds both list. The verdict's
"only A lists ..." sentence is drawn from the same rows, so text and matrix agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.models import Capability, Tool
from generator.site_models import CapabilityKind


@dataclass(frozen=True)
class MatrixRow:
    """One kind, and the capabilities of each tool (a first, as in the URL) of that kind."""

    kind: str
    name: str
    cells: tuple[tuple[Capability, ...], tuple[Capability, ...]]

    @property
    def shared(self) -> bool:
        return bool(self.cells[0]) and bool(self.cells[1])

    @property
    def only(self) -> int | None:
        """0 or 1 when only that tool lists the kind; None when both do."""
        if self.shared:
            return None
        return 0 if self.cells[0] else 1


@dataclass(frozen=True)
class Matrix:
    differences: tuple[MatrixRow, ...]  # kinds only one tool lists, in vocabulary order
    shared: tuple[MatrixRow, ...]  # kinds both list, in vocabulary order
    unkinded: tuple[int, int]  # capabilities of each tool that have no kind

    @property
    def rows(self) -> tuple[MatrixRow, ...]:
        return self.differences + self.shared

    def only(self, side: int) -> list[MatrixRow]:
        return [r for r in self.differences if r.only == side]


def matrix(a: Tool, b: Tool, kinds: list[CapabilityKind]) -> Matrix:
    """The matrix of `a` and `b`: a kind gets a row when at least one of them lists it."""
    rows = []
    for kind in kinds:
        cells = (
            tuple(c for c in a.capabilities if c.kind == kind.id),
            tuple(c for c in b.capabilities if c.kind == kind.id),
        )
        if cells[0] or cells[1]:
            rows.append(MatrixRow(kind.id, kind.name, cells))
    return Matrix(
        differences=tuple(r for r in rows if not r.shared),
        shared=tuple(r for r in rows if r.shared),
        unkinded=(
            sum(1 for c in a.capabilities if c.kind is None),
            sum(1 for c in b.capabilities if c.kind is None),
        ),
    )
