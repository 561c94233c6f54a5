"""Forms of an organisation's administration (DSFR): invitations and training records. Forms
validate; actions and model methods change state."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.profiles.loader import active_profile


def _role_choices(organisation_type: str | None = None) -> list[tuple[str, str]]:
    """The profile's roles, only those this type of organisation may give."""
    profile = active_profile()
    from django.utils.translation import get_language

    language = get_language() or profile.default_language
    return [
        (role.code, role.label.get(language, profile.default_language))
        for role in profile.roles
        if organisation_type is None or role.allowed_for(organisation_type)
    ]


class InvitationForm(DsfrBaseForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Professional e-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args: Any, organisation_type: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(organisation_type)


class TrainingRecordForm(DsfrBaseForm):
    course = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Training provider"), max_length=200, required=False)
    completed_on = forms.DateField(
        label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if the training does not expire."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        completed, expires = data.get("completed_on"), data.get("expires_on")
        if completed and expires and expires < completed:
            self.add_error("expires_on", _("Expiry must come after completion."))
        return data
