"""Forms of the recognition of authorised reporters (DSFR)."""

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.core.models import Territory
from opennrm.profiles.loader import active_profile
from opennrm.web.forms import CheckboxGroup, date_widget, searchable_choices
from opennrm.web.formtools import SentOnce


def agreement_clause_choices() -> list[tuple[str, str]]:
    profile = active_profile()
    language = get_language() or profile.default_language
    return [
        (clause.code, clause.label.get(language, profile.default_language))
        for clause in profile.recognition.agreement_clauses
    ]


class RecognitionForm(SentOnce, DsfrBaseForm):
    """A recognition, or its renewal: a new record every time."""

    reference = forms.CharField(label=_("Recognition reference"), max_length=120)
    recognised_on = forms.DateField(label=_("Recognition date"), widget=date_widget())
    expires_on = forms.DateField(
        label=_("Recognition expiry"),
        required=False,
        widget=date_widget(),
        help_text=_("Leave empty if the recognition has no end date."),
    )
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation covered"), required=False, widget=CheckboxGroup
    )
    territories = searchable_choices(
        _("Territories covered"),
        _("None chosen: the territories the organisation covers."),
    )
    agreement_clauses = forms.MultipleChoiceField(
        label=_("Clauses of the cooperation agreement"), required=False, widget=CheckboxGroup
    )
    agreement_signed_on = forms.DateField(
        label=_("Cooperation agreement signed on"), required=False, widget=date_widget()
    )
    agreement_expires_on = forms.DateField(
        label=_("Cooperation agreement expiry"),
        required=False,
        widget=date_widget(),
        help_text=_("The recognition lapses when its agreement expires."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from opennrm.web.cases.forms import form_of_exploitation_choices

        self.fields["forms_of_exploitation"].choices = form_of_exploitation_choices()
        self.fields["agreement_clauses"].choices = agreement_clause_choices()
        self.units = {
            str(unit.pk): unit for unit in Territory.objects.local_units().order_by("code")
        }
        self.fields["territories"].choices = [
            (pk, f"{unit.code} — {unit.name}") for pk, unit in self.units.items()
        ]

    def clean_territories(self) -> list[Territory]:
        return [self.units[pk] for pk in self.cleaned_data["territories"]]


class WithdrawalForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say why, without naming anyone: the organisation's administrators read it."),
    )
