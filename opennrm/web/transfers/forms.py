"""Forms of the transfers area: proposing or asking for a transfer, the person's agreement,
accepting (with a confirmation) and declining. Forms validate; opennrm.cases.transfer acts."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.cases.enums import ConsentMethod, FormerOwnerAccess, TransferReason
from opennrm.cases.models import Case
from opennrm.cases.transfer import Agreement
from opennrm.core.models import Organisation, Territory
from opennrm.web.forms import CHOICES_TEMPLATE, KeyedChoiceField

NOTE_MAX = 2000


class OrganisationField(KeyedChoiceField):
    """An organisation shown with its type and where it works."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.kind_label})"


class TerritoryField(KeyedChoiceField):
    def label_from_instance(self, obj: Territory) -> str:
        return f"{obj.code} — {obj.name}"


class _Reason(DsfrBaseForm):
    """Where the case goes and why (both ways of asking)."""

    to_territory = TerritoryField(
        label=_("Département after the transfer"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("Keep it where the receiving organisation works"),
        help_text=_(
            "Empty: the case keeps its département when the receiving organisation covers it, "
            "otherwise it takes the one département that organisation covers."
        ),
    )
    reason = forms.ChoiceField(
        label=_("Why the case is transferred"),
        choices=TransferReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the case is transferred.")},
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required for another reason. What the other organisation needs to know to decide; "
            "no name or address of the person."
        ),
    )

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_territory"].queryset = territories
        self.fields["reason"].template_name = CHOICES_TEMPLATE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("reason") == TransferReason.OTHER
            and not (data.get("explanation") or "").strip()
        ):
            self.add_error("explanation", _("Say why the case is transferred."))
        return data


class _AgreementFields(DsfrBaseForm):
    """The person's agreement, recorded by the responsible organisation: for an adult, their
    consent and how it was given; for a child, the guardian consulted. And what the
    responsible organisation keeps of the case, as the person agreed."""

    former_access = forms.ChoiceField(
        label=_("The responsible organisation's access after the transfer"),
        choices=FormerOwnerAccess.choices,
        widget=forms.RadioSelect,
        initial=FormerOwnerAccess.END,
        help_text=_(
            "For an adult, read-only access is kept only if the person agreed to it; it can be "
            "ended at any time."
        ),
        error_messages={"required": _("Say whether read-only access is kept.")},
    )
    person_consents = forms.BooleanField(
        label=_("The person consents to the transfer of their case to this organisation"),
        required=False,
    )
    method = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    guardian_consulted = forms.BooleanField(
        label=_("The guardian or ad hoc administrator was consulted on the transfer"),
        required=False,
    )

    def setup_agreement(self, case: Case) -> None:
        self.case = case
        self.fields["former_access"].template_name = CHOICES_TEMPLATE
        self.fields["method"].template_name = CHOICES_TEMPLATE
        if case.child:
            del self.fields["person_consents"]
            del self.fields["method"]
            self.fields["guardian_consulted"].required = True
            self.fields["guardian_consulted"].error_messages["required"] = _(
                "Consult the guardian or ad hoc administrator first."
            )
        else:
            del self.fields["guardian_consulted"]
            self.fields["person_consents"].required = True
            self.fields["person_consents"].error_messages["required"] = _(
                "An adult's case is transferred only with the person's consent."
            )
            self.fields["method"].required = True
            self.fields["method"].error_messages["required"] = _(
                "Say how the person gave their consent."
            )

    def agreement(self) -> Agreement:
        data = self.cleaned_data
        return Agreement(
            former_access=data.get("former_access") or FormerOwnerAccess.END,
            person_consents=bool(data.get("person_consents")),
            method=data.get("method") or "",
            guardian_consulted=bool(data.get("guardian_consulted")),
        )


class ProposeForm(_AgreementFields, _Reason):
    """The responsible organisation's coordinator proposes a transfer."""

    to_organisation = OrganisationField(
        label=_("Receiving organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_(
            "Its coordinator accepts or declines; your organisation stays responsible until then."
        ),
    )
    field_order = (
        "to_organisation",
        "to_territory",
        "reason",
        "explanation",
        "person_consents",
        "method",
        "guardian_consulted",
        "former_access",
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        organisations: QuerySet[Organisation],
        territories: QuerySet[Territory],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, territories=territories, **kwargs)
        self.fields["to_organisation"].queryset = organisations
        self.setup_agreement(case)
        self.order_fields(self.field_order)


class RequestForm(_Reason):
    """The coordinator of a linked organisation asks to take the case."""


class AcceptForm(DsfrBaseForm):
    """The receiving organisation accepts a proposal: a confirmation."""

    confirm = forms.BooleanField(
        label=_("I confirm that my organisation takes responsibility for this case"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class AcceptRequestForm(_AgreementFields):
    """The responsible organisation accepts a request: the person's agreement, then a
    confirmation."""

    confirm = forms.BooleanField(
        label=_("I confirm that the case is handed to the organisation that asked for it"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_agreement(case)


class DeclineForm(DsfrBaseForm):
    note = forms.CharField(
        label=_("Why the transfer is declined"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other organisation reads it. No name or address of the person."),
        error_messages={"required": _("Say why the transfer is declined.")},
    )
