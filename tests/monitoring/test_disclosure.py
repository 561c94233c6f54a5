"""Disclosure control (opennrm.monitoring.disclosure): attackers try to get a small count back.

Each attacker sees only what a page shows (the rounded counts and which cells are hidden) and
knows how the page protects them (k, the rounding). The attackers here enumerate every table of
non-negative integers consistent with what they see, independently of the module's own linear
algebra: a small count is protected when more than one value stays possible.
"""

import itertools

import pytest

from opennrm.monitoring.disclosure import Cell, Grid, Shown, Sum, grid, protect, rounded
from opennrm.profiles.loader import active_profile

K = 11


def shown_grid(table: Grid) -> list[list[Cell]]:
    """The table as the page shows it, margins included: rows then the row of column totals."""
    rows = [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)]
    return [*rows, [*table.column_totals, table.total]]


def consistent(shown: list[list[Cell]], cap: int) -> list[list[list[int]]]:
    """Every table of inner counts (hidden ones 0..cap) that, with its margins computed, shows
    as `shown` (counts shown exactly: the worst case, no rounding): what the attacker can still
    believe. Row by row, the hidden counts of a row whose total is shown add up to what the
    counts shown leave of it."""
    height, width = len(shown) - 1, len(shown[0]) - 1

    def fits(cell: Cell, value: int) -> bool:
        if cell.hidden:
            return cell.shown is not Shown.SMALL or value < K
        return cell.value == value

    def rows(r: int) -> list[list[int]]:
        hidden = [c for c in range(width) if shown[r][c].hidden]
        known = sum(shown[r][c].value or 0 for c in range(width) if not shown[r][c].hidden)
        options = []
        for values in itertools.product(range(cap + 1), repeat=len(hidden)):
            row = [shown[r][c].value or 0 for c in range(width)]
            for c, value in zip(hidden, values, strict=True):
                row[c] = value
            if all(fits(shown[r][c], row[c]) for c in hidden) and fits(
                shown[r][width], known + sum(values)
            ):
                options.append(row)
        return options

    found = []
    for guess in itertools.product(*(rows(r) for r in range(height))):
        columns = [sum(row[c] for row in guess) for c in range(width)]
        if all(fits(shown[height][c], columns[c]) for c in range(width)) and fits(
            shown[height][width], sum(columns)
        ):
            found.append([list(row) for row in guess])
    return found


TABLE = [
    [12, 3, 14],
    [15, 16, 2],
    [13, 12, 18],
]


def test_the_profile_sets_the_threshold_and_the_rounding():
    statistics = active_profile().statistics
    assert statistics.k == 11
    assert statistics.rounding == 5


def test_small_counts_zero_included_are_hidden_never_shown_as_zero():
    table = grid([[0, 30], [12, 40]], k=K)
    assert table.cells[0][0] == Cell(None, Shown.SMALL)
    assert all(cell.value != 0 for row in shown_grid(table) for cell in row)


def test_primary_suppression_alone_would_be_undone_by_the_totals():
    """The attacker's method works: with only the small counts hidden, the row total minus the
    counts shown gives each one back."""
    values = {(r, c): n for r, row in enumerate(TABLE) for c, n in enumerate(row)}
    shown = [
        [Cell(None, Shown.SMALL) if n < K else Cell(n, Shown.SHOWN) for n in row] for row in TABLE
    ]
    shown = [[*row, Cell(sum(TABLE[r]), Shown.SHOWN)] for r, row in enumerate(shown)]
    columns = [sum(row[c] for row in TABLE) for c in range(3)]
    shown.append([*(Cell(n, Shown.SHOWN) for n in columns), Cell(sum(columns), Shown.SHOWN)])
    worlds = consistent(shown, cap=20)
    assert {world[0][1] for world in worlds} == {values[(0, 1)]}
    assert {world[1][2] for world in worlds} == {values[(1, 2)]}


def test_secondary_suppression_keeps_every_small_count_from_the_totals():
    """The attacker reads the whole table with its margins, not rounded (rounding=1, the worst
    case) and solves for the hidden cells: every small one keeps two values at least."""
    table = grid(TABLE, k=K)
    shown = shown_grid(table)
    hidden_rows = [sum(cell.hidden for cell in row) for row in shown]
    hidden_columns = [sum(row[c].hidden for row in shown) for c in range(4)]
    assert all(n != 1 for n in hidden_rows + hidden_columns)  # never one alone in a line
    worlds = consistent(shown, cap=20)
    assert worlds
    for r, c in ((0, 1), (1, 2)):
        assert shown[r][c].shown is Shown.SMALL
        assert len({world[r][c] for world in worlds}) > 1


def test_a_small_total_is_hidden_and_so_are_its_parts():
    table = grid([[3, 4], [30, 40]], k=K)
    assert table.row_totals[0].shown is Shown.SMALL
    assert table.cells[0] == [Cell(None, Shown.SMALL), Cell(None, Shown.SMALL)]
    # …and the column totals would give the first row back from the second: something else
    # goes too.
    worlds = consistent(shown_grid(table), cap=75)
    assert len({world[0][0] for world in worlds}) > 1


def test_sums_that_nest_are_protected_like_a_table():
    """The funnel's stages nest (a stage and what it splits into): a small part is hidden with
    the smallest other count of its sum, and a stage equal to its one part goes with it."""
    values = {"a": 3, "b": 3, "c": 60, "d": 4, "e": 70}
    cells = protect(values, [Sum("a", ("b",)), Sum("c", ("d", "e"))], k=K)
    assert cells["a"].hidden and cells["b"].hidden  # a = b: neither gives the other back
    assert cells["d"].shown is Shown.SMALL
    assert cells["c"].shown is Shown.SECONDARY  # the smaller of c and e
    assert not cells["e"].hidden


def test_the_same_table_always_hides_the_same_cells():
    assert grid(TABLE, k=K, rounding=5) == grid(TABLE, k=K, rounding=5)


def test_counts_shown_are_rounded():
    assert [rounded(n, 5) for n in (11, 12, 13, 17, 18, 20)] == [10, 10, 15, 15, 20, 20]
    table = grid(TABLE, k=K, rounding=5)
    assert all(cell.value % 5 == 0 for row in shown_grid(table) for cell in row if cell.value)


def _interval(cell: Cell, rounding: int) -> range:
    assert cell.value is not None
    half = rounding // 2
    return range(max(0, cell.value - half), cell.value + rounding - half)


def test_two_overlapping_filters_do_not_give_a_small_count_back():
    """The attacker asks the funnel twice: all forms of exploitation (24 cases) and labour
    exploitation only (22). Each figure is shown (≥ k), the rest (2, other forms) is not
    asked; the difference would tell it. Rounded to 5, the attacker is left with an interval
    that holds several values below k."""
    everything, labour = 24, 22
    statistics = active_profile().statistics
    seen_all = protect({"cases": everything}, [], k=K, rounding=statistics.rounding)["cases"]
    seen_labour = protect({"cases": labour}, [], k=K, rounding=statistics.rounding)["cases"]
    possible = {
        a - b
        for a in _interval(seen_all, statistics.rounding)
        for b in _interval(seen_labour, statistics.rounding)
        if a >= b
    }
    assert everything - labour in possible
    assert len(possible & set(range(K))) > 1


def test_two_periods_do_not_give_the_month_between_them_back():
    """The attacker asks January–June (15 cases) and January–July (16): the difference is July
    alone, one case. Rounded, both show 15: July may hold 0 to 4 cases, the attacker cannot
    say which. (A limit, documented in the module: an attacker combining a great many periods
    may narrow the interval; the pages filter by whole months only.)"""
    first, second = 15, 16
    seen_first = protect({"n": first}, [], k=K, rounding=5)["n"]
    seen_second = protect({"n": second}, [], k=K, rounding=5)["n"]
    assert seen_first.value == seen_second.value == 15
    possible = {
        b - a for a in _interval(seen_first, 5) for b in _interval(seen_second, 5) if b >= a
    }
    assert second - first in possible
    assert len(possible) > 1


def test_without_rounding_two_periods_would_give_it_back():
    """Why rounding: unrounded, January–July minus January–June is July exactly."""
    first = protect({"n": 15}, [], k=K, rounding=1)["n"].value
    second = protect({"n": 16}, [], k=K, rounding=1)["n"].value
    assert first is not None and second is not None
    assert second - first == 1


@pytest.mark.parametrize(
    "table",
    [
        [[12, 1], [13, 14]],
        [[0, 12], [13, 14]],
        [[5]],
        [[1, 2, 3], [4, 5, 6]],
        [[13, 2, 14], [12, 15, 1], [16, 17, 3]],
    ],
)
def test_no_small_count_is_ever_given_back_exactly(table):
    protected = grid(table, k=K)
    shown = shown_grid(protected)
    height = len(table)
    width = len(table[0])
    cap = max(max(row) for row in table)
    small = [(r, c) for r in range(height) for c in range(width) if table[r][c] < K]
    worlds = consistent(shown, cap=cap)
    assert worlds
    for r, c in small:
        assert shown[r][c].hidden
        assert len({world[r][c] for world in worlds}) > 1, (r, c)


def test_a_total_of_no_parts_and_tables_of_zeros_do_not_fail():
    """An empty breakdown (no category) makes its total 0 by the sums' shape alone: nothing
    more can be hidden, and nothing small is told (zero people)."""
    assert protect({"total": 0}, [Sum("total", ())], k=K)["total"].shown is Shown.SMALL
    cells = protect({"t": 0, "a": 0, "b": 0}, [Sum("t", ("a", "b"))], k=K)
    assert all(cell.hidden for cell in cells.values())


def test_one_sum_gives_back_a_count_only_when_it_is_its_only_unknown():
    """The shortcut for tables of one sum (a breakdown and its total) agrees with the rank
    test it stands for, on every set of hidden counts of a small table."""
    from fractions import Fraction

    from opennrm.monitoring.disclosure import _rank, determined

    keys = ["total", "a", "b", "c"]
    bound = Sum("total", ("a", "b", "c"))
    for size in range(1, len(keys) + 1):
        for hidden in itertools.combinations(keys, size):
            row = [Fraction(1 if key == "total" else -1) for key in hidden]
            expected = [
                key
                for i, key in enumerate(hidden)
                if _rank([row, [Fraction(int(j == i)) for j in range(len(hidden))]]) == _rank([row])
            ]
            assert determined(list(hidden), [bound]) == expected, hidden
    assert determined(["x"], [bound]) == []  # not in the sum: nothing gives it back
