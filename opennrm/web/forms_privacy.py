"""Forms of the data protection area: exceptional access, the audit viewer's filters, the
rectification of a person's identity (DSFR). Forms validate; opennrm.privacy acts."""

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.audit.models import AuditEntry
from opennrm.privacy import breakglass
from opennrm.privacy.models import REASON_MAX_LENGTH, REASON_MIN_LENGTH
from opennrm.privacy.rights import RECTIFICATION_REASON_MIN
from opennrm.web.forms_cases import PersonForm

DATE_WIDGET = {"type": "date"}


class BreakGlassForm(DsfrBaseForm):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=16,
        help_text=_("For example C-1234-ABCD."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        min_length=REASON_MIN_LENGTH,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why you need this case now, and on what basis (a request of the person, a "
            "complaint, a legal claim…). Do not write the person's name. The organisation "
            "responsible for the case will read it."
        ),
    )
    hours = forms.TypedChoiceField(label=_("For how long"), coerce=int, choices=())
    identity = forms.BooleanField(
        label=_("I need the person's identity"),
        required=False,
        help_text=_("Without it you see the case file under the person's pseudonym."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].choices = [
            (hours, _("%(hours)d hours") % {"hours": hours} if hours > 1 else _("1 hour"))
            for hours in breakglass.hour_choices()
        ]
        self.fields["hours"].initial = breakglass.default_hours()

    def clean_reference(self) -> str:
        reference: str = self.cleaned_data["reference"].strip().upper()
        return reference


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


class RectificationForm(PersonForm):
    """The person's identity, corrected at their request, with the reason."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        min_length=RECTIFICATION_REASON_MIN,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the person asked for their family name to be corrected and showed "
            "a document. The reason is kept in the case's timeline."
        ),
    )
