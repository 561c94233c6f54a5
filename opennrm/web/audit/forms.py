"""Forms of the audit viewer (DSFR): the filters of the trail, shared by the page and its CSV
export."""

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.audit.models import AuditEntry

DATE_WIDGET = {"type": "date"}


class AuditFilterForm(DsfrBaseForm):
    """The audit viewer's filters (GET). Every field is optional."""

    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=64,
        help_text=_("For example breakglass. or person."),
    )
    actor = forms.CharField(
        label=_("Who (e-mail address contains)"), required=False, max_length=254
    )
    organisation = forms.CharField(
        label=_("Acting for (name contains)"), required=False, max_length=200
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=64,
        help_text=_("For example cases.case"),
    )
    object_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    break_glass = forms.BooleanField(
        label=_("Only what was done under exceptional access"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end comes before the start."))
        return data

    def filter(self, entries: Any) -> Any:
        """The entries matching the valid filters (all of them if the form is not valid)."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["action"]:
            entries = entries.filter(action__startswith=data["action"].strip())
        if data["actor"]:
            entries = entries.filter(actor__email__icontains=data["actor"].strip())
        if data["organisation"]:
            entries = entries.filter(organisation__name__icontains=data["organisation"].strip())
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"].strip().lower())
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"].strip())
        if data["date_from"]:
            entries = entries.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            next_day = data["date_to"] + datetime.timedelta(days=1)
            entries = entries.filter(created_at__lt=_day_start(next_day))
        if data["break_glass"]:
            entries = entries.filter(
                Q(details__has_key="break_glass") | Q(action__startswith="breakglass.")
            )
        return entries

    def summary(self) -> dict[str, Any]:
        """The filters used, for the audit entry: codes and dates; names only as "used"."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        summary: dict[str, Any] = {}
        for name in ("action", "object_type", "object_id"):
            if data[name]:
                summary[name] = data[name].strip()
        for name in ("date_from", "date_to"):
            if data[name]:
                summary[name] = data[name].isoformat()
        for name in ("actor", "organisation", "break_glass"):
            if data[name]:
                summary[name] = True
        return summary


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_entries() -> Any:
    return AuditEntry.objects.select_related("actor", "organisation").order_by("-id")
