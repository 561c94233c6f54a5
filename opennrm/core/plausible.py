"""Plausible dates and ages: one set of rules, used by the models' `clean()` and by the forms.

Each rule raises django.core.exceptions.ValidationError with a message that says why, so that
a form shows it under its field and a model's `clean()` can gather it. A form uses a rule of
one value as a validator (`validators=[date_of_birth]`); a rule that needs another value (the
case's detection date) is called from the form's or the model's `clean()`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

EARLIEST_DATE = datetime.date(1900, 1, 1)  # no event OpenNRM records happened before
OLDEST_AGE = 120  # years: a date of birth or an age beyond is a typing error
RIGHTS_MARGIN_DAYS = 90  # rights information may precede the recorded detection by this much


def _shown(day: datetime.date) -> str:
    return str(formats.date_format(day, "DATE_FORMAT"))


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def not_in_future(value: datetime.date | None, *, today: datetime.date | None = None) -> None:
    """Today at the latest: what is recorded has happened."""
    if value and value > _today(today):
        raise ValidationError(
            _("The date cannot be in the future (today is %(today)s).")
            % {"today": _shown(_today(today))},
            code="future",
        )


def not_before_1900(value: datetime.date | None) -> None:
    if value and value < EARLIEST_DATE:
        raise ValidationError(_("The date cannot be before 1900."), code="too_early")


def past_date(value: datetime.date | None, *, today: datetime.date | None = None) -> None:
    """A date of something that happened: from 1900 to today."""
    not_before_1900(value)
    not_in_future(value, today=today)


def date_of_birth(value: datetime.date | None, *, today: datetime.date | None = None) -> None:
    """Not in the future, not more than OLDEST_AGE years ago."""
    if value is None:
        return
    day = _today(today)
    if value > day:
        raise ValidationError(
            _("The date of birth cannot be in the future (today is %(today)s).")
            % {"today": _shown(day)},
            code="future",
        )
    oldest = _years_before(day, OLDEST_AGE)
    if value < oldest:
        raise ValidationError(
            _(
                "The date of birth cannot be before %(day)s: the person would be more than "
                "%(age)d years old. Check the year."
            )
            % {"day": _shown(oldest), "age": OLDEST_AGE},
            code="too_old",
        )


def age(value: int | None) -> None:
    """An age in years, from 0 to OLDEST_AGE."""
    if value is not None and not 0 <= value <= OLDEST_AGE:
        raise ValidationError(
            _("Give an age between 0 and %(oldest)d years.") % {"oldest": OLDEST_AGE},
            code="age",
        )


def exploitation_date(value: datetime.date | None, *, today: datetime.date | None = None) -> None:
    """The start or end of an exploitation: it has happened, from 1900 to today."""
    if value is None:
        return
    not_before_1900(value)
    day = _today(today)
    if value > day:
        raise ValidationError(
            _(
                "An exploitation cannot start or end in the future (today is %(today)s): give "
                "the dates known so far, and leave the end empty if it is still going on."
            )
            % {"today": _shown(day)},
            code="future",
        )


def rights_information_date(
    value: datetime.date | None,
    detected_on: datetime.date | None,
    *,
    today: datetime.date | None = None,
) -> None:
    """Rights are given once the person is met: not in the future, and not more than
    RIGHTS_MARGIN_DAYS before the case's detection (the detection may be recorded a little
    after the first meeting, not months)."""
    if value is None:
        return
    not_in_future(value, today=today)
    if detected_on is not None:
        earliest = detected_on - datetime.timedelta(days=RIGHTS_MARGIN_DAYS)
        if value < earliest:
            raise ValidationError(
                _(
                    "The information cannot have been given before %(earliest)s: the case was "
                    "detected on %(detected)s, and rights are given once the person is met."
                )
                % {"earliest": _shown(earliest), "detected": _shown(detected_on)},
                code="before_detection",
            )
    not_before_1900(value)
