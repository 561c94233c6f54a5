"""English dates spelled out ("1 June 2027") or ISO (2027-06-01), never in the US order
(06/01/2027); French ones unchanged (issue #13, point 7)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation

DAY = datetime.date(2027, 6, 1)
MOMENT = datetime.datetime(2027, 6, 1, 14, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "format_name", "expected"),
    [
        ("en", "DATE_FORMAT", "1 June 2027"),
        ("en", "SHORT_DATE_FORMAT", "2027-06-01"),
        ("fr", "DATE_FORMAT", "1 juin 2027"),
        ("fr", "SHORT_DATE_FORMAT", "01/06/2027"),
    ],
)
def test_dates(language, format_name, expected):
    with translation.override(language):
        assert formats.date_format(DAY, format_name) == expected


@pytest.mark.parametrize(
    ("format_name", "expected"),
    [("SHORT_DATETIME_FORMAT", "2027-06-01 14:30"), ("DATETIME_FORMAT", "1 June 2027, 14:30")],
)
def test_english_date_and_time_on_a_24_hour_clock(format_name, expected):
    with translation.override("en"):
        assert formats.date_format(MOMENT, format_name) == expected


def test_templates_use_them():
    template = Template(
        '{{ day|date:"SHORT_DATE_FORMAT" }} · {{ day|date:"DATE_FORMAT" }} · {{ day }}'
    )
    with translation.override("en"):
        assert template.render(Context({"day": DAY})) == "2027-06-01 · 1 June 2027 · 1 June 2027"


def test_an_english_date_typed_in_the_us_order_is_not_read_as_one():
    from django import forms

    field = forms.DateField()
    with translation.override("en"):
        assert field.clean("2027-06-01") == DAY
        with pytest.raises(forms.ValidationError):
            field.clean("06/01/2027")
