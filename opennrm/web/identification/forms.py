"""Forms of formal identification: platform members, conflicts, votes, interview, decisions,
questions, reconsideration, the judicial route. Forms validate; opennrm.identification.actions
changes state."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.core import notification_kinds
from opennrm.core.models import Membership
from opennrm.core.notification_kinds import EmailMode
from opennrm.identification.models import (
    Outcome,
    PlatformMember,
    Profession,
    StatementKind,
    VoteChoice,
)
from opennrm.profiles.loader import active_profile
from opennrm.web.forms import (
    CHOICES_TEMPLATE,
    CheckboxGroup,
    RadioGroup,
    date_widget,
    not_in_future,
)
from opennrm.web.formtools import SentOnce

TEXT_MAX = 8000


class PageForm(DsfrBaseForm):
    """A form that shares its page with others: ids carry the form's own prefix (`auto_id`),
    field names do not change."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _text(label: Any, *, rows: int = 5, help_text: Any = "", required: bool = True) -> Any:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MembershipChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name} — {obj.organisation.name} ({obj.role_label})"


class PlatformMemberChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: PlatformMember) -> str:
        return (
            f"{obj.membership.user.full_name} — {obj.get_profession_display()} "
            f"({obj.membership.organisation.name})"
        )


class PlatformMemberForm(DsfrBaseForm):
    membership = MembershipChoiceField(
        label=_("Person"),
        queryset=Membership.objects.none(),
        help_text=_(
            "Staff with a platform role in an organisation of the département. The organisation's "
            "type decides whether the member counts as an institution or as civil society."
        ),
    )
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)

    def __init__(self, *args: Any, memberships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if memberships is not None:
            self.fields["membership"].queryset = memberships


class VoteForm(PageForm):
    id_prefix = "vote"

    choice = forms.ChoiceField(label=_("Your vote"), choices=VoteChoice.choices, widget=RadioGroup)
    reasons = _text(_("Reasons"), help_text=_("Explain your vote: it joins the file."))


class DesignateInterviewersForm(PageForm):
    id_prefix = "interview"

    members = PlatformMemberChoiceField(
        label=_("Interviewers"),
        queryset=PlatformMember.objects.none(),
        widget=CheckboxGroup,
    )

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wanted = active_profile().platform.interview_members
        field = self.fields["members"]
        field.help_text = _(
            "Choose %(count)s members, for instance a psychologist and a lawyer. Members excluded "
            "from the case cannot be chosen."
        ) % {"count": wanted}
        if members is not None:
            field.queryset = members

    def clean_members(self) -> Any:
        members = self.cleaned_data["members"]
        wanted = active_profile().platform.interview_members
        if len(members) != wanted:
            raise forms.ValidationError(_("Choose exactly %(count)s members.") % {"count": wanted})
        return members


class InterviewReportForm(PageForm):
    id_prefix = "report"

    held_on = forms.DateField(
        label=_("Date of the interview"), widget=date_widget(), validators=[not_in_future]
    )
    report = _text(
        _("Interview report"),
        rows=10,
        help_text=_("What the file needs for the decision; it joins the file."),
    )


PLATFORM_DECISIONS = [
    (Outcome.IDENTIFIED.value, _("Identified as a victim of trafficking in human beings")),
    (Outcome.NOT_IDENTIFIED.value, _("Not identified")),
    ("more_information", _("More information needed (the clock stops)")),
]


class PlatformDecisionForm(PageForm):
    id_prefix = "decision"

    outcome = forms.ChoiceField(
        label=_("Decision of the platform"), choices=PLATFORM_DECISIONS, widget=RadioGroup
    )
    reasons = _text(
        _("Reasons for the decision"),
        required=False,
        help_text=_("Required for a decision. The person receives them if it is negative."),
    )
    question = _text(
        _("Question to the referring organisation"),
        rows=3,
        required=False,
        help_text=_(
            "Required when more information is needed. No name: the case reference is enough."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome == "more_information":
            if not (data.get("question") or "").strip():
                self.add_error("question", _("Write the question to the referring organisation."))
        elif outcome and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Give the reasons for the decision."))
        return data


class AnswerForm(DsfrBaseForm):
    answer = _text(_("Your answer"), rows=8)


class ReconsiderationForm(SentOnce, DsfrBaseForm):
    new_elements = _text(
        _("New elements"),
        rows=8,
        help_text=_(
            "What was not known when the decision was taken: facts, documents, certificates."
        ),
    )


class StatementForm(PageForm):
    id_prefix = "statement"

    kind = forms.ChoiceField(
        label=_("Complaint or testimony"), choices=StatementKind.choices, widget=RadioGroup
    )
    recorded_on = forms.DateField(label=_("Date"), widget=date_widget(), validators=[not_in_future])
    service = forms.CharField(
        label=_("Service that received it"),
        max_length=200,
        help_text=_("For instance the brigade or the unit, and its town."),
    )
    offence = forms.CharField(
        label=_("Offence as qualified on the complaint receipt"),
        max_length=300,
        help_text=_("Copy the qualification: residence permits depend on it."),
    )
    procedure_reference = forms.CharField(
        label=_("Procedure reference"),
        max_length=100,
        help_text=_("Confidential: shown only to your service and to the referring organisation."),
    )


JUDICIAL_DECISIONS = [
    (Outcome.IDENTIFIED.value, _("Identified as a victim of trafficking in human beings")),
    (Outcome.NOT_IDENTIFIED.value, _("Not identified")),
]


class JudicialDecisionForm(PageForm):
    id_prefix = "decision"

    outcome = forms.ChoiceField(
        label=_("Formal identification decision"),
        choices=JUDICIAL_DECISIONS,
        widget=RadioGroup,
    )
    reasons = _text(_("Reasons for the decision"))


class ConfirmForm(PageForm):
    id_prefix = "confirm"

    confirm = forms.BooleanField(label=_("I confirm"), required=True)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["confirm"].label = label


def conflict_form(*args: Any) -> ConfirmForm:
    return ConfirmForm(*args, label=_("I have a conflict of interest in this case"))


def cooperation_form(*args: Any) -> ConfirmForm:
    return ConfirmForm(
        *args, label=_("The person no longer cooperates with the criminal investigation")
    )


def removal_form(*args: Any) -> ConfirmForm:
    return ConfirmForm(*args, label=_("Remove this member from the platform"))


def preference_field_name(code: str) -> str:
    return "kind_" + code.replace(".", "__")


class NotificationPreferencesForm(DsfrBaseForm):
    """For each kind of notification: e-mailed at once, in the daily digest, or not at all."""

    def __init__(self, *args: Any, chosen: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in notification_kinds.KINDS:
            widget = RadioGroup()
            widget.inline = True  # type: ignore[attr-defined]
            field = forms.ChoiceField(
                label=str(kind.label),
                choices=EmailMode.CHOICES,
                initial=chosen.get(kind.code, kind.default_email),
                widget=widget,
                help_text=(
                    _("An urgent one is e-mailed at once, even if you chose the daily digest.")
                    if kind.urgent_capable
                    else ""
                ),
            )
            self.fields[preference_field_name(kind.code)] = field
            self.fields[preference_field_name(kind.code)].template_name = CHOICES_TEMPLATE

    def choices(self) -> dict[str, str]:
        """Kind code → mode, from the cleaned data."""
        return {
            kind.code: self.cleaned_data[preference_field_name(kind.code)]
            for kind in notification_kinds.KINDS
        }
