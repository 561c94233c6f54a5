"""The HTCDS import form: the file and the territory its concerns go to (DSFR)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.core.models import Territory

MAX_SIZE = 5 * 1024 * 1024
ACCEPT = ".json,.xlsx,application/json"


class ImportForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("HTCDS file"),
        help_text=_("JSON, or the standard's Excel template (.xlsx), at most 5 MB."),
        error_messages={"required": _("Choose the file to import.")},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "fr-upload"}),
    )
    territory = forms.ChoiceField(
        label=_("Département of the concerns"),
        error_messages={"required": _("Choose the département of the concerns.")},
    )

    def __init__(self, *args: Any, territories: list[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.territories = {str(t.pk): t for t in territories}
        choices = [(str(t.pk), f"{t.code} – {t.name}") for t in territories]
        field = cast(forms.ChoiceField, self.fields["territory"])
        field.choices = choices if len(choices) == 1 else [("", _("Choose")), *choices]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not (name.endswith(".json") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Send a .json or .xlsx file."))
        if upload.size > MAX_SIZE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def chosen_territory(self) -> Territory:
        return self.territories[self.cleaned_data["territory"]]
