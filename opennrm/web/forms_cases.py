"""Forms of the cases area: the person, the case, the preliminary assessment (DSFR).

Forms validate; the actions of opennrm.detection change state.
"""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.cases.enums import CaseClosingReason, DetectionChannel, IdentificationStatus
from opennrm.cases.models import Person
from opennrm.cases.reference_data import country_choices, language_choices
from opennrm.core.models import Organisation, Territory
from opennrm.detection.enums import AssessmentConclusion, Sector
from opennrm.profiles.loader import active_profile

DATE_WIDGET = {"type": "date"}
NOTE_MAX = 2000
# Radios and checkboxes in DSFR markup (the DSFR option templates are shadowed by Django's).
CHOICES_TEMPLATE = "web/cases/_choice_field.html"


def form_of_exploitation_choices() -> list[tuple[str, str]]:
    profile = active_profile()
    language = get_language() or profile.default_language
    return [
        (form.code, form.label.get(language, profile.default_language))
        for form in profile.forms_of_exploitation
    ]


class PersonForm(DsfrBaseForm, forms.ModelForm[Person]):
    """The person's identity fields: for direct detection and for the identity edit page."""

    nationalities = forms.MultipleChoiceField(
        label=_("Nationalities"),
        required=False,
        choices=(),
        help_text=_("Several may be chosen (Ctrl or Cmd + click, or Shift + arrows)."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=(),
        help_text=_("Several may be chosen (Ctrl or Cmd + click, or Shift + arrows)."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Person
        fields = (
            "given_names",
            "family_name",
            "aliases",
            "date_of_birth",
            "estimated_age",
            "may_be_child",
            "sex",
            "gender_identity",
            "nationalities",
            "languages",
        )
        labels = {
            "given_names": _("Given names"),
            "family_name": _("Family name"),
            "aliases": _("Aliases"),
            "date_of_birth": _("Date of birth"),
            "estimated_age": _("Estimated age"),
            "may_be_child": _("May be a child"),
            "sex": _("Sex"),
            "gender_identity": _("Gender identity"),
        }
        help_texts = {
            "aliases": _("Other names the person uses or is known by."),
            "estimated_age": _("In years, when the date of birth is not known."),
            "may_be_child": _(
                "Tick when the age is uncertain and there are reasons to believe the person "
                "is under 18: child rules then apply."
            ),
            "gender_identity": _("Only if the person wishes to state it."),
        }
        widgets = {"date_of_birth": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["estimated_age"].widget.attrs.update({"min": 0, "max": 120})


class CaseForm(DsfrBaseForm):
    """The case opened by direct detection."""

    sector = forms.ChoiceField(label=_("Sector of activity"), required=False, choices=())
    places = forms.CharField(
        label=_("Places of exploitation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Towns, types of place; no personal address of the person."),
    )
    period_start = forms.DateField(
        label=_("Exploitation from"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    period_end = forms.DateField(
        label=_("Exploitation until"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        help_text=_("Leave empty if it is still going on."),
    )
    channel = forms.ChoiceField(label=_("How the person was detected"), choices=())
    territory = forms.ModelChoiceField(
        label=_("Département"), queryset=Territory.objects.none(), empty_label=None
    )
    detected_on = forms.DateField(
        label=_("Detected on"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Declared here: a class attribute named "forms" would hide the django.forms module.
        self.fields["forms"] = forms.MultipleChoiceField(
            label=_("Forms of exploitation"),
            choices=form_of_exploitation_choices(),
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Tick every form that may be involved."),
            error_messages={"required": _("Tick at least one form of exploitation.")},
        )
        self.fields["forms"].template_name = CHOICES_TEMPLATE
        self.order_fields(["forms"])
        self.fields["sector"].choices = [
            ("", _("Not known")),
            *(choice for choice in Sector.choices if choice[0] != Sector.UNKNOWN),
        ]
        self.fields["channel"].choices = [
            choice
            for choice in DetectionChannel.choices
            if choice[0] != DetectionChannel.PUBLIC_REPORT
        ]
        territories = Territory.objects.local_units().order_by("code")
        self.fields["territory"].queryset = territories
        if not self.is_bound:
            self.initial.setdefault("channel", DetectionChannel.DIRECT)
            self.initial.setdefault("detected_on", timezone.localdate())
            if organisation is not None:
                own = [t for t in organisation.territories.all() if t in territories]
                if len(own) == 1:
                    self.initial.setdefault("territory", own[0].pk)

    def clean_detected_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["detected_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of detection cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end comes before the start."))
        return data


class CaseDetailsForm(CaseForm):
    """What is known of the exploitation, completed as the assessment goes on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("channel", "territory", "detected_on"):
            del self.fields[name]

    def clean_detected_on(self) -> datetime.date | None:  # type: ignore[override]
        return None  # the field is not on this form


class CaseFilterForm(DsfrBaseForm):
    status = forms.ChoiceField(label=_("Identification status"), required=False, choices=())
    overdue = forms.BooleanField(label=_("Overdue assessments only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All statuses")),
            *IdentificationStatus.choices,
        ]


# Closing a case before support ---------------------------------------------------------------


class CaseClosingForm(DsfrBaseForm):
    """Close a case that never reached support: a reason from the list, a date, a note."""

    reason = forms.ChoiceField(
        label=_("Why the case closes"),
        choices=CaseClosingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the case closes.")},
    )
    closed_on = forms.DateField(
        label=_("Closed on"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        help_text=_("The retention periods count from this date."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for another reason. No details of the person."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this case is closed"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].template_name = CHOICES_TEMPLATE
        if not self.is_bound:
            self.initial.setdefault("closed_on", timezone.localdate())

    def clean_closed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["closed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == CaseClosingReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the case is closed."))
        return data


class CaseReopenForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Why the case is reopened"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the case is reopened.")},
    )


# Preliminary assessment ---------------------------------------------------------------------


class StartAssessmentForm(DsfrBaseForm):
    set_code = forms.ChoiceField(
        label=_("Indicator set"),
        choices=(),
        error_messages={"required": _("Choose an indicator set.")},
    )

    def __init__(self, *args: Any, set_codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["set_code"].choices = set_codes


ANSWER_CHOICES = (
    ("present", _("Present")),
    ("absent", _("Absent")),
    ("unknown", _("Unknown")),
)


class AnswersForm(DsfrBaseForm):
    """One present/absent/unknown answer and one note per indicator of the set."""

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = codes
        for code in codes:
            self.fields[f"answer_{code}"] = forms.ChoiceField(
                label=code, choices=ANSWER_CHOICES, required=False, initial="unknown"
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def initial_from(answers: dict[str, dict[str, str]]) -> dict[str, str]:
        initial: dict[str, str] = {}
        for code, value in answers.items():
            initial[f"answer_{code}"] = value.get("answer", "unknown")
            initial[f"note_{code}"] = value.get("note", "")
        return initial

    def answers(self, previous: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        """The answers in the assessment's shape. A field in error keeps its previous value;
        indicators left unknown without a note are omitted."""
        cleaned = getattr(self, "cleaned_data", {})
        result: dict[str, dict[str, str]] = {}
        for code in self.codes:
            before = previous.get(code, {})
            answer_key, note_key = f"answer_{code}", f"note_{code}"
            if answer_key in cleaned:
                answer = cleaned[answer_key] or "unknown"
            else:
                answer = before.get("answer", "unknown")
            note = (
                (cleaned[note_key] or "").strip() if note_key in cleaned else before.get("note", "")
            )
            if answer != "unknown" or note:
                result[code] = {"answer": answer, "note": note}
        return result


class PartlyDisabledRadioSelect(forms.RadioSelect):
    """Radios of which some values are shown but cannot be chosen."""

    def __init__(self, *args: Any, disabled_values: frozenset[str] = frozenset(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.disabled_values = disabled_values

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if option["value"] in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class ConclusionForm(DsfrBaseForm):
    """The professional's conclusion. Reasons are required when it differs from the advice."""

    conclusion = forms.ChoiceField(
        label=_("Your conclusion"),
        choices=AssessmentConclusion.choices,
        error_messages={"required": _("Choose your conclusion.")},
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Required when your conclusion differs from the indicators' advice, and when you "
            "conclude that the person is not presumed a victim."
        ),
    )

    def __init__(
        self,
        *args: Any,
        engine_conclusion: str,
        refusal: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.engine_conclusion = engine_conclusion
        self.refusal = refusal
        disabled = (
            frozenset({AssessmentConclusion.PRESUMED_VICTIM.value}) if refusal else frozenset()
        )
        self.fields["conclusion"].widget = PartlyDisabledRadioSelect(
            choices=AssessmentConclusion.choices, disabled_values=disabled
        )
        self.fields["conclusion"].template_name = CHOICES_TEMPLATE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        conclusion = data.get("conclusion")
        reasons = (data.get("reasons") or "").strip()
        if not conclusion:
            return data  # the field's own error says so
        if conclusion == AssessmentConclusion.PRESUMED_VICTIM and self.refusal:
            self.add_error("conclusion", self.refusal)
        if conclusion != self.engine_conclusion and not reasons:
            self.add_error(
                "reasons",
                _("Your conclusion differs from the indicators' advice: give your reasons."),
            )
        elif conclusion == AssessmentConclusion.NOT_PRESUMED and not reasons:
            self.add_error("reasons", _("Give the reasons for your conclusion."))
        return data
