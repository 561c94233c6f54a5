"""Forms of the protection area: rights information, consent, children, protection, referral.

Forms validate; the actions of opennrm.detection, opennrm.support and opennrm.identification
change state.
"""

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.cases.enums import ConsentMethod, ConsentScope, FileItem, all_file_items
from opennrm.cases.models import Case, Evidence
from opennrm.cases.reference_data import language_choices
from opennrm.core import plausible
from opennrm.core.models import Organisation
from opennrm.detection.models import Guardian
from opennrm.documents.leaflets import leaflet_label, leaflet_languages
from opennrm.identification.models import Route
from opennrm.identification.services import eligible_targets
from opennrm.profiles.loader import active_profile
from opennrm.support.models import SafetyRisk, Urgency
from opennrm.web.forms import CheckboxGroup, SearchableSelect, date_widget, not_in_future
from opennrm.web.formtools import SentOnce

NOTES_MAX = 4000


def _with_empty(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "---------"), *choices]


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An organisation shown with its type, e.g. “Shelter 93 (Accommodation provider)”."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.kind_label})"


# Rights information ----------------------------------------------------------------------

NO_LEAFLET = "none"  # no leaflet in a language the person reads
GIVEN_INSTEAD = "given_instead"  # in the leaflet's link: the worker saw the language given


def leaflet_choices() -> list[tuple[str, str]]:
    return [(code, leaflet_label(code)) for code in leaflet_languages()]


class RightsInformationForm(SentOnce, DsfrBaseForm):
    given_on = forms.DateField(
        label=_("Date the information was given"),
        widget=date_widget(),
        validators=[not_in_future],
    )
    language = forms.ChoiceField(label=_("Language used"), choices=(), widget=SearchableSelect)
    interpreter = forms.BooleanField(
        label=_("Through an interpreter"),
        required=False,
        help_text=_("Also when an interpreter explained the leaflet."),
    )
    interpreter_service = forms.CharField(
        label=_("Interpreting service"),
        max_length=200,
        required=False,
        help_text=_("The service or agency, not the interpreter's name."),
    )
    leaflet_given = forms.BooleanField(label=_("Leaflet given"), required=False, initial=True)
    leaflet_language = forms.ChoiceField(
        label=_("Language of the leaflet given"),
        choices=(),
        required=False,
        help_text=_("Only the languages the leaflet exists in."),
    )

    def __init__(self, *args: Any, detected_on: datetime.date | None = None, **kwargs: Any) -> None:
        """`detected_on`: the case's detection date (rights are not given long before)."""
        super().__init__(*args, **kwargs)
        self.detected_on = detected_on
        self.fields["language"].choices = _with_empty(language_choices())
        self.fields["leaflet_language"].choices = [
            ("", "---------"),
            *leaflet_choices(),
            (
                NO_LEAFLET,
                _(
                    "None in a language the person reads: explained orally or through an "
                    "interpreter"
                ),
            ),
        ]
        self.fields["given_on"].initial = timezone.localdate()

    def clean_given_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["given_on"]
        plausible.rights_information_date(day, self.detected_on)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("leaflet_language") == NO_LEAFLET:
            data["leaflet_given"] = False
        if data.get("interpreter") and not data.get("interpreter_service"):
            self.add_error("interpreter_service", _("Name the interpreting service."))
        if not data.get("interpreter"):
            data["interpreter_service"] = ""
        if data.get("leaflet_given") and not data.get("leaflet_language"):
            self.add_error("leaflet_language", _("Say in which language the leaflet was given."))
        if not data.get("leaflet_given"):
            data["leaflet_language"] = ""
        return data


class LeafletForm(DsfrBaseForm):
    """Which leaflet to print (GET): the person's language, and a fallback if none exists."""

    language = forms.ChoiceField(
        label=_("The person's language"), choices=(), widget=SearchableSelect
    )
    fallback = forms.ChoiceField(
        label=_("If the leaflet does not exist in that language, print it in"),
        choices=(),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        self.fields["fallback"].choices = leaflet_choices()
        self.fields["language"].initial = active_profile().default_language
        self.fields["fallback"].initial = "en"


# Consent ---------------------------------------------------------------------------------


def share_candidates(case: Case) -> QuerySet[Organisation]:
    """Organisations data may be shared with: every body of the profile's types but the owner."""
    kinds = [kind.code for kind in active_profile().organisation_types]
    return Organisation.objects.filter(kind__in=kinds).exclude(pk=case.owner_id).order_by("name")


class ConsentForm(SentOnce, DsfrBaseForm):
    scope = forms.ChoiceField(
        label=_("The person consents to"),
        # Consent to a transfer is recorded with the transfer itself (opennrm.cases.transfer).
        choices=[(value, label) for value, label in ConsentScope.choices if value != "transfer"],
        widget=forms.RadioSelect,
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation named"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for sharing data: the organisation the person agreed to."),
    )
    method = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["organisation"].queryset = share_candidates(case)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope, organisation = data.get("scope"), data.get("organisation")
        if scope == ConsentScope.SHARE:
            if organisation is None:
                self.add_error("organisation", _("Name the organisation data may be shared with."))
            elif self.case.consents.filter(
                scope=ConsentScope.SHARE, organisation=organisation, withdrawn_at__isnull=True
            ).exists():
                self.add_error(
                    "organisation",
                    _("Consent to sharing with this organisation is already recorded."),
                )
        elif scope == ConsentScope.REFERRAL:
            if organisation is not None:
                self.add_error(
                    "organisation",
                    _("Name an organisation only for consent to sharing data."),
                )
            elif self.case.active_consent(ConsentScope.REFERRAL) is not None:
                self.add_error("scope", _("The person's consent to referral is already recorded."))
        return data


# Children --------------------------------------------------------------------------------


class GuardianForm(SentOnce, DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Type"), choices=_with_empty(Guardian.Kind.choices))
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("The person, or the service for a provisional placement."),
    )
    contact = forms.CharField(label=_("How to reach them"), max_length=200, required=False)
    appointed_on = forms.DateField(
        label=_("Appointed on"),
        required=False,
        widget=date_widget(),
        validators=[not_in_future],
    )


def child_protection_services(case: Case) -> QuerySet[Organisation]:
    """Child protection services covering the case's département (or the whole jurisdiction)."""
    return (
        Organisation.objects.filter(kind="child_protection")
        .filter(Q(territories=case.territory) | Q(national=True))
        .distinct()
        .order_by("name")
    )


class ChildProtectionAlertForm(SentOnce, DsfrBaseForm):
    service = forms.ModelChoiceField(
        label=_("Child protection service in OpenNRM"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("It will see the case, including the child's identity."),
    )
    service_name = forms.CharField(
        label=_("Or the service's name, if it is not in OpenNRM"),
        max_length=200,
        required=False,
    )
    alerted_on = forms.DateField(
        label=_("Alerted on"), widget=date_widget(), validators=[not_in_future]
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = child_protection_services(case)
        self.fields["alerted_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("service") is None and not data.get("service_name"):
            self.add_error("service", _("Choose or name the child protection service."))
        elif data.get("service") is not None and data.get("service_name"):
            self.add_error("service_name", _("Choose a service or type its name, not both."))
        return data


# Protection ------------------------------------------------------------------------------


class ImmediateNeedsForm(SentOnce, DsfrBaseForm):
    shelter = forms.BooleanField(label=_("Shelter"), required=False)
    medical = forms.BooleanField(label=_("Medical care"), required=False)
    psychological = forms.BooleanField(label=_("Psychological care"), required=False)
    interpreter = forms.BooleanField(label=_("Interpreter"), required=False)
    safety_risk = forms.ChoiceField(
        label=_("Safety risk"),
        choices=SafetyRisk.choices,
        widget=forms.RadioSelect,
        initial=SafetyRisk.LOW,
    )
    accompanying_children = forms.IntegerField(
        label=_("Children accompanying the person"),
        min_value=0,
        max_value=20,
        initial=0,
        help_text=_("They are accommodated with their parent."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.URGENT,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only what the services need to know to act."),
    )

    NEEDS = ("shelter", "medical", "psychological", "interpreter")


# Referral and anonymous notification ------------------------------------------------------


class ReferralForm(SentOnce, DsfrBaseForm):
    route = forms.ChoiceField(
        label=_("Route the person chose"), choices=Route.choices, widget=forms.RadioSelect
    )
    target = forms.TypedChoiceField(
        label=_("Refer to"),
        coerce=int,
        choices=(),
        help_text=_(
            "Judicial route: a police, gendarmerie or labour inspection service of the "
            "département. Platform: the département's coordination."
        ),
    )

    items = forms.MultipleChoiceField(
        label=_("What the person agreed to share, beyond the preliminary assessment"),
        choices=FileItem.choices,
        required=False,
        widget=CheckboxGroup,
        help_text=_(
            "The preliminary assessment always travels: the referral rests on it. Untick what "
            "the person does not want to share; you will check the whole file before it is sent."
        ),
    )

    documents = forms.TypedMultipleChoiceField(
        label=_("The documents the person agreed to share"),
        coerce=int,
        choices=(),
        required=False,
        widget=CheckboxGroup,
        help_text=_("Documents added later travel too, as long as the documents are shared."),
    )

    def __init__(
        self, *args: Any, case: Case, documents: "list[Evidence] | None" = None, **kwargs: Any
    ) -> None:
        documents = documents or []
        kwargs.setdefault(
            "initial", {"items": all_file_items(), "documents": [d.pk for d in documents]}
        )
        super().__init__(*args, **kwargs)
        self.case = case
        self.document_ids = [item.pk for item in documents]
        if documents:
            self.fields["documents"].choices = [
                (
                    item.pk,
                    " — ".join(
                        str(part)
                        for part in (item.get_kind_display(), item.document_date, item.file_name)
                        if part
                    ),
                )
                for item in documents
            ]
        else:
            del self.fields["documents"]
        groups: list[tuple[str, Any]] = [("", "---------")]
        for route in Route:
            options = [(org.pk, org.name) for org in eligible_targets(case, route)]
            if options:
                groups.append((str(route.label), options))
        self.fields["target"].choices = groups

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        route, target = data.get("route"), data.get("target")
        if route and target:
            organisation = eligible_targets(self.case, route).filter(pk=target).first()
            if organisation is None:
                self.add_error(
                    "target",
                    _("This organisation does not receive referrals by the route chosen."),
                )
            data["target"] = organisation
        chosen = set(data.get("documents") or [])
        data["withheld_evidence"] = [pk for pk in self.document_ids if pk not in chosen]
        data.pop("documents", None)
        return data


class AnonymousNotificationForm(SentOnce, DsfrBaseForm):
    refuses = forms.BooleanField(
        label=_(
            "The person was informed of their rights and refuses to be referred to formal "
            "identification."
        ),
        error_messages={"required": _("Confirm that the person refuses referral.")},
    )
