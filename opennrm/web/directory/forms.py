"""Forms of the directory's management (DSFR): a contact entry of a contact body."""

from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm

from opennrm.core.models import Organisation, Territory
from opennrm.directory.models import ContactEntry
from opennrm.profiles.loader import active_profile
from opennrm.web.formtools import SUBMISSION, SentOnce


class ContactEntryForm(SentOnce, DsfrBaseForm, forms.ModelForm[ContactEntry]):
    class Meta:
        model = ContactEntry
        fields = ("organisation", "territory", "post_title", "remit", "email", "phone", "address")
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = [kind.code for kind in active_profile().contact_bodies]
        queryset = Organisation.objects.filter(kind__in=bodies)
        if organisations is not None:
            queryset = queryset.filter(pk__in=organisations)
        self.fields["organisation"].queryset = queryset
        self.fields["territory"].queryset = Territory.objects.local_units()
        if self.instance.pk is not None:
            del self.fields[SUBMISSION]  # an edit, not a creation
