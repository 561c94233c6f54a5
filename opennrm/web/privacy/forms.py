"""Forms of the data protection area: exceptional access, the rectification of a person's
identity (DSFR). Forms validate; opennrm.privacy acts."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.privacy import breakglass
from opennrm.privacy.models import REASON_MAX_LENGTH, REASON_MIN_LENGTH
from opennrm.privacy.rights import RECTIFICATION_REASON_MIN
from opennrm.web.cases.forms import PersonForm


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
