"""Spreadsheet exports without formula injection (CSV now; the same rule for XLSX later).

A spreadsheet treats a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as
a formula: text typed by someone (a concern's description, a name) could then run a formula,
fetch a URL or leak other cells when an export is opened. `safe_cell` prefixes such text with
an apostrophe, which spreadsheets show as text; every export goes through it.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from opennrm.web.uploads import safe_file_name

# The characters that start a formula, and their full-width forms (some spreadsheets fold them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    """The value, with an apostrophe in front when it is text that could start a formula.

    Numbers, dates and other non-text values are returned unchanged: a spreadsheet reads them
    as values, never as formulas.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell("" if value is None else value) for value in row]


class SafeCsvWriter:
    """csv.writer whose every cell goes through `safe_cell`."""

    def __init__(self, stream: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> str:
    stream = io.StringIO()
    writer = SafeCsvWriter(stream)
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue()


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A CSV download (UTF-8 with a byte order mark, which spreadsheets need to read accents)."""
    response = HttpResponse(
        "\ufeff" + csv_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    name = safe_file_name(filename, ".csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
