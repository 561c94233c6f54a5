"""The monitoring pages' filters (GET): whole months, a few fixed criteria (a finer period
would let two queries give a small count back by their difference)."""

import calendar
import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.core.models import Territory
from opennrm.identification.models import Route
from opennrm.web.cases.forms import form_of_exploitation_choices

MONTHS_OFFERED = 60


def month_choices(today: datetime.date) -> list[tuple[str, Any]]:
    """The last MONTHS_OFFERED months, newest first: ("2026-12", "December 2026")."""
    choices: list[tuple[str, Any]] = [("", _("Any"))]
    year, month = today.year, today.month
    for _index in range(MONTHS_OFFERED):
        first = datetime.date(year, month, 1)
        choices.append((first.strftime("%Y-%m"), date_format(first, "YEAR_MONTH_FORMAT")))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return choices


def _month(value: str) -> datetime.date | None:
    if not value:
        return None
    year, month = (int(part) for part in value.split("-"))
    return datetime.date(year, month, 1)


class FunnelFilterForm(DsfrBaseForm):
    since = forms.ChoiceField(label=_("From (month)"), required=False)
    until = forms.ChoiceField(label=_("Until (month, included)"), required=False)
    territory = forms.TypedChoiceField(
        label=_("Département"), required=False, coerce=int, empty_value=None
    )
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False)
    route = forms.ChoiceField(label=_("Route to formal identification"), required=False)

    def __init__(self, *args: Any, territories: QuerySet[Territory] | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        months = month_choices(timezone.localdate())
        self.fields["since"].choices = months
        self.fields["until"].choices = months
        if territories is None:
            del self.fields["territory"]
        else:
            self.fields["territory"].choices = [
                ("", _("All")),
                *((t.pk, f"{t.code} {t.name}") for t in territories.order_by("code")),
            ]
        self.fields["form"].choices = [("", _("All forms")), *form_of_exploitation_choices()]
        self.fields["route"].choices = [("", _("Both")), *Route.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since = _month(data.get("since") or "")
        until = _month(data.get("until") or "")
        if until is not None:
            until = until.replace(day=calendar.monthrange(until.year, until.month)[1])
        if since is not None and until is not None and since > until:
            self.add_error("until", _("The end of the period comes before its beginning."))
        data["since_date"], data["until_date"] = since, until
        return data
