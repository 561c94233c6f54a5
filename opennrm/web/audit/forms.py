"""Forms of the audit viewer (DSFR): the filters of the trail, shared by the page and its CSV
export."""

import datetime
import unicodedata
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.audit.models import AuditEntry
from opennrm.web.audit.labels import ACTION_LABELS
from opennrm.web.forms import SearchableSelect

DATE_WIDGET = {"type": "date"}


def action_choices() -> list[tuple[str, str]]:
    """Every labelled action, by its label in the active language."""
    labelled = sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=_key)
    return [("", str(_("Every action"))), *labelled]


def object_type_choices() -> list[tuple[str, str]]:
    """Every kind of record of OpenNRM an entry can name (`cases.case`), by its name; the same
    name twice is told apart by its application's name. Read from the models: no query."""
    models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("opennrm.") or model._meta.label == settings.AUTH_USER_MODEL
    ]
    names = [capfirst(str(model._meta.verbose_name)) for model in models]
    labelled = []
    for model, name in zip(models, names, strict=True):
        if names.count(name) > 1:
            name = f"{name} ({model._meta.app_config.verbose_name})"
        labelled.append((model._meta.label_lower, name))
    return [("", str(_("Every type"))), *sorted(labelled, key=_key)]


def _key(choice: tuple[str, str]) -> str:
    """Sorted as people read: case and accents ignored."""
    folded = unicodedata.normalize("NFKD", choice[1].casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


class AuditFilterForm(DsfrBaseForm):
    """The audit viewer's filters (GET). Every field is optional."""

    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=action_choices,
        widget=SearchableSelect,
        error_messages={"invalid_choice": _("Choose an action from the list.")},
    )
    actor = forms.CharField(
        label=_("Who (e-mail address contains)"), required=False, max_length=254
    )
    organisation = forms.CharField(
        label=_("Acting for (name contains)"), required=False, max_length=200
    )
    object_type = forms.ChoiceField(
        label=_("Object type"),
        required=False,
        choices=object_type_choices,
        widget=SearchableSelect,
        error_messages={"invalid_choice": _("Choose an object type from the list.")},
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
        """The entries matching the valid filters (none while a filter is in error: the page
        says which, and shows nothing it was not asked for)."""
        if self.is_bound and not self.is_valid():
            return entries.none()
        if not self.is_bound:
            return entries
        data = self.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["actor"]:
            entries = entries.filter(actor__email__icontains=data["actor"].strip())
        if data["organisation"]:
            entries = entries.filter(organisation__name__icontains=data["organisation"].strip())
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"])
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
