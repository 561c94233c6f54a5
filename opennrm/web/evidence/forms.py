"""Forms of the case's documents (evidence): adding one, confirming a removal (DSFR)."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.cases.enums import EvidenceKind
from opennrm.web.forms import date_widget, not_in_future
from opennrm.web.uploads import CheckedUpload, check_upload

DESCRIPTION_MAX = 1000
ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


def max_size() -> int:
    return int(getattr(settings, "OPENNRM_EVIDENCE_MAX_MB", 10)) * 1024 * 1024


def _file_help() -> str:
    return gettext(
        "PDF, PNG or JPEG, at most %(limit)s MB. The location and other details a photo "
        "carries are removed."
    ) % {"limit": max_size() // (1024 * 1024)}


class EvidenceForm(DsfrBaseForm):
    """A document to attach: the file (PDF, PNG or JPEG, checked by its content), its type,
    its date and what it is."""

    file = forms.FileField(
        label=_("Document"),
        help_text=lazy(_file_help, str)(),
        error_messages={"required": _("Choose the file to attach.")},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "fr-upload"}),
    )
    kind = forms.ChoiceField(
        label=_("Type of document"),
        choices=[("", _("Choose")), *EvidenceKind.choices],
        error_messages={"required": _("Choose the type of document.")},
    )
    document_date = forms.DateField(
        label=_("Date of the document"),
        required=False,
        widget=date_widget(),
        validators=[not_in_future],
        help_text=_("The date written on it, if any (a certificate, a receipt)."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What it is and why it matters, in a few words."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked: CheckedUpload | None = None

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        self.checked = check_upload(upload, max_size=max_size())  # type by content, size
        return upload


class RemoveEvidenceForm(DsfrBaseForm):
    confirm = forms.BooleanField(
        label=_("I confirm that this document is removed from the case"),
        error_messages={"required": _("Tick the box to confirm.")},
    )
