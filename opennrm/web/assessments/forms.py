"""Forms of the preliminary assessment (DSFR): the indicator set, the answers, the professional's
conclusion.

Forms validate; the actions of opennrm.detection change state.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.detection.enums import AssessmentConclusion
from opennrm.web.cases.forms import NOTE_MAX
from opennrm.web.forms import CHOICES_TEMPLATE


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
