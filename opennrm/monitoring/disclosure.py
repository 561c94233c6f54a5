"""Disclosure control: counts that may be shown outside the organisation that owns the cases.

Pure functions, no database. A table is a set of named counts and the sums that bind them
(`total = part + part + …`: a row and its total, a column and its total, a stage of the funnel
and what it splits into). `protect` decides which counts are shown:

1. **Primary suppression.** Every count below the profile's threshold `k` is hidden and shown
   as "fewer than k", *zero included*. Zero is treated as a small count on purpose: were zeros
   shown, a hidden count beside them would be told apart from an empty one (the reader learns
   "at least one" where they should learn "fewer than k"), and a line of zeros and one hidden
   count would tell, through its total, the hidden one. Showing "fewer than k" for zero costs
   the reader nothing they need: monitoring reads the large figures.
2. **Secondary suppression.** While some hidden count can be worked out *exactly* from the
   sums and the counts shown — that is, its unit vector lies in the row space of the sums
   restricted to the hidden counts (linear algebra over the rationals) — the smallest shown
   count that shares a sum with it is hidden too. For a two-way table with its margins this is
   the classic rule (two hidden counts at least in every row and column that has one, and no
   hidden count that is a bridge of the hidden pattern), but the test is general: it holds for
   the funnel, whose stages nest. Totals are counts like the others: a total below `k` is hidden,
   and a total that would give a hidden count back is hidden if hiding it is the cheapest.
3. **Rounding.** The counts shown are rounded to the nearest multiple of `rounding` (half up),
   each on its own: a total may differ from the sum of its parts. Rounding is what stands
   against differencing — two overlapping filters (all forms, and all forms but one) or two
   periods that differ by a day give a count back as their difference; rounded, the
   difference is known only to within `rounding` on each side.

Every step is deterministic (ties broken by the order of the counts), so the same query always
hides the same cells: asking again teaches nothing new.

Limits, said plainly: the guarantee is against *exact* recovery from one table. Counts are not
negative, so a hidden count is known to lie in an interval (at most what its line's total leaves
over); a hidden count beside secondary ones may be narrowed by an attacker who knows the
secondary ones are at least `k`. Across many queries (a sliding window of periods, every
combination of filters) rounding leaves intervals, not certainty, but an attacker patient
enough to combine a great many of them may narrow an interval further; the monitoring pages
therefore filter by whole months and by a few fixed criteria, and the audit trail records who
reads them. A full guarantee across arbitrary queries would need a query auditor or noise
(differential privacy), which the pages do not claim.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class Shown(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # below k: "fewer than k"
    SECONDARY = "secondary"  # hidden so that no sum gives back a small count


@dataclass(frozen=True)
class Cell:
    """One count as it may be shown: `value` is the rounded count, None when hidden."""

    value: int | None
    shown: Shown

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Sum(Generic[K]):
    """`total` = the sum of `parts`."""

    total: K
    parts: tuple[K, ...]


def rounded(value: int, base: int) -> int:
    """`value` to the nearest multiple of `base`, half up (1: unchanged)."""
    if base <= 1:
        return value
    return ((value + base // 2) // base) * base


def _rank(rows: list[list[Fraction]]) -> int:
    """The rank of a matrix, by Gaussian elimination over the rationals."""
    matrix = [row[:] for row in rows if any(row)]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        head = matrix[rank][column]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column] != 0:
                factor = matrix[i][column] / head
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def determined(hidden: Sequence[K], sums: Sequence[Sum[K]]) -> list[K]:
    """The hidden counts that the sums and the counts shown give back exactly."""
    if not hidden:
        return []
    index = {key: i for i, key in enumerate(hidden)}
    rows: list[list[Fraction]] = []
    for bound in sums:
        row = [Fraction(0)] * len(hidden)
        if bound.total in index:
            row[index[bound.total]] += 1
        for part in bound.parts:
            if part in index:
                row[index[part]] -= 1
        if any(row):
            rows.append(row)
    if len(rows) <= 1:
        # One equation gives back a hidden count only when it is the equation's only unknown
        # (the general test below costs a rank per hidden count: a second for 700 of them).
        unknowns = [key for key, i in index.items() if rows and rows[0][i]]
        return unknowns if len(unknowns) == 1 else []
    base = _rank(rows)
    found = []
    for key, i in index.items():
        unit = [Fraction(0)] * len(hidden)
        unit[i] = Fraction(1)
        if _rank([*rows, unit]) == base:
            found.append(key)
    return found


def protect(
    values: Mapping[K, int], sums: Iterable[Sum[K]], *, k: int, rounding: int = 1
) -> dict[K, Cell]:
    """Each count as it may be shown outside the organisation that owns the cases: below `k`
    hidden, others hidden until no sum gives a hidden one back, the rest rounded."""
    bounds = list(sums)
    order = {key: i for i, key in enumerate(values)}
    for bound in bounds:
        for key in (bound.total, *bound.parts):
            if key not in order:
                raise KeyError(key)
    small = [key for key, value in values.items() if value < k]
    hidden: set[K] = set(small)
    settled: set[K] = set()  # given back by the sums' shape alone (a total of no parts: 0)
    while True:
        exposed = [
            key
            for key in determined(sorted(hidden, key=order.__getitem__), bounds)
            if key not in settled
        ]
        if not exposed:
            break
        target = exposed[0]
        neighbours = {
            key
            for bound in bounds
            if target in (bound.total, *bound.parts)
            for key in (bound.total, *bound.parts)
            if key not in hidden
        }
        if not neighbours:  # given back by a longer chain of sums: widen to every sum
            neighbours = {
                key
                for bound in bounds
                if hidden & {bound.total, *bound.parts}
                for key in (bound.total, *bound.parts)
                if key not in hidden
            }
        if not neighbours:
            # Every count its sums touch is hidden already: what gives it back is the sums'
            # shape alone (a total of no parts is 0), not a count shown. Nothing to hide more.
            settled.add(target)
            continue
        hidden.add(min(neighbours, key=lambda key: (values[key], order[key])))
    primary = set(small)
    return {
        key: Cell(None, Shown.SMALL if key in primary else Shown.SECONDARY)
        if key in hidden
        else Cell(rounded(value, rounding), Shown.SHOWN)
        for key, value in values.items()
    }


@dataclass(frozen=True)
class Grid:
    """A two-way table protected with its margins: `cells[r][c]`, `row_totals[r]`,
    `column_totals[c]`, `total`."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def grid(counts: Sequence[Sequence[int]], *, k: int, rounding: int = 1) -> Grid:
    """A table of counts (rows of equal length) with its row and column totals and the grand
    total, computed here and protected with the cells."""
    height = len(counts)
    width = len(counts[0]) if height else 0
    values: dict[tuple[int, int], int] = {}
    for r, row in enumerate(counts):
        if len(row) != width:
            raise ValueError("rows of unequal length")
        for c, value in enumerate(row):
            values[(r, c)] = value
    # (r, width): row totals; (height, c): column totals; (height, width): the grand total.
    for r, row in enumerate(counts):
        values[(r, width)] = sum(row)
    for c in range(width):
        values[(height, c)] = sum(row[c] for row in counts)
    values[(height, width)] = sum(sum(row) for row in counts)
    sums = [Sum((r, width), tuple((r, c) for c in range(width))) for r in range(height + 1)]
    sums += [Sum((height, c), tuple((r, c) for r in range(height))) for c in range(width + 1)]
    cells = protect(values, sums, k=k, rounding=rounding)
    return Grid(
        cells=[[cells[(r, c)] for c in range(width)] for r in range(height)],
        row_totals=[cells[(r, width)] for r in range(height)],
        column_totals=[cells[(height, c)] for c in range(width)],
        total=cells[(height, width)],
    )
