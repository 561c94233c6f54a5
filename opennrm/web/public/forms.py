"""Forms of the public pages (DSFR): the public directory's search."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.core.models import Territory


class DirectorySearchForm(DsfrBaseForm):
    territory = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("All départements"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.local_units().order_by("code")
