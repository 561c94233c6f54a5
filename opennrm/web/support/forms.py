"""Forms of the support area (DSFR): the service directory, the support plan, accommodation
matching, residence, non-punishment, compensation and closure.

Forms validate; the actions of opennrm.support change state. The accommodation preferences
form has, by design, no field about residence rights, cooperation or identification.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.cases.enums import ConsentMethod
from opennrm.cases.models import Case
from opennrm.core.models import Organisation, Territory
from opennrm.profiles.loader import active_profile
from opennrm.support.accommodation import Location, Setting
from opennrm.support.models import (
    ClaimKind,
    ClaimOutcome,
    ClosureReason,
    ConstraintFactor,
    GenderPolicy,
    LegalAid,
    NonPunishmentOutcome,
    RefusalReason,
    ResidenceOutcome,
    Service,
    ServiceType,
    Urgency,
    non_punishment_recipient_kinds,
    residence_authority_kinds,
    residence_bases,
)
from opennrm.web.forms import (
    CHOICES_TEMPLATE,
    SEARCHABLE_CHOICES_TEMPLATE,
    KeyedChoiceField,
    KeyedMultipleChoiceField,
    date_widget,
    not_in_future,
)
from opennrm.web.formtools import SUBMISSION, SentOnce

TEXT_MAX = 4000


def _date(**kwargs: Any) -> forms.DateField:
    return forms.DateField(widget=date_widget(), **kwargs)


def _text(label: Any, *, required: bool = True, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=kwargs.pop("max_length", TEXT_MAX),
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _radios(form: forms.Form, *names: str) -> None:
    for name in names:
        form.fields[name].template_name = CHOICES_TEMPLATE  # type: ignore[attr-defined]


def kinds_label(kinds: tuple[str, ...], fallback: Any) -> Any:
    """The profile's labels of these organisation types ("Prefecture"), or the fallback."""
    profile = active_profile()
    language = get_language() or profile.default_language
    labels = [
        kind.label.get(language, profile.default_language)
        for kind in profile.organisation_types
        if kind.code in kinds
    ]
    return " / ".join(labels) or fallback


def local_units() -> QuerySet[Territory]:
    return Territory.objects.local_units().order_by("code")


class TerritoryChoiceField(KeyedChoiceField):
    def label_from_instance(self, obj: Territory) -> str:
        return f"{obj.code} — {obj.name}"


class TerritoriesField(KeyedMultipleChoiceField):
    def label_from_instance(self, obj: Territory) -> str:
        return f"{obj.code} — {obj.name}"


# Service directory -----------------------------------------------------------------------


class Audience:
    ADULTS = "adults"
    FAMILIES = "families"
    CHILDREN = "children"
    choices = (
        ("", _("Everyone")),
        (ADULTS, _("Adults")),
        (FAMILIES, _("Parents with their children")),
        (CHILDREN, _("Unaccompanied children")),
    )


class ServiceFilterForm(DsfrBaseForm):
    service_type = forms.ChoiceField(
        label=_("Type of service"),
        required=False,
        choices=[("", _("All types")), *ServiceType.choices],
    )
    territory = TerritoryChoiceField(
        label=_("Département served"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("All départements"),
        to_field_name="code",
    )
    audience = forms.ChoiceField(label=_("For"), required=False, choices=Audience.choices)
    free_places = forms.BooleanField(label=_("Only accommodation with free places"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = local_units()


class ServiceForm(SentOnce, DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation running the service"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=_("Name of the service"), max_length=200)
    service_type = forms.ChoiceField(label=_("Type of service"), choices=ServiceType.choices)
    description = _text(_("Description"), required=False, max_length=2000, rows=3)
    national = forms.BooleanField(label=_("Serves the whole jurisdiction"), required=False)
    territories = TerritoriesField(
        label=_("Départements served"),
        queryset=Territory.objects.none(),
        required=False,
        help_text=_("Several may be chosen."),
        widget=forms.CheckboxSelectMultiple,
        template_name=SEARCHABLE_CHOICES_TEMPLATE,
    )
    accepts_adults = forms.BooleanField(label=_("Adults"), required=False, initial=True)
    accepts_families = forms.BooleanField(label=_("Parents with their children"), required=False)
    accepts_children = forms.BooleanField(
        label=_("Unaccompanied children"),
        required=False,
        help_text=_("Accommodation for children takes no adult."),
    )
    gender_policy = forms.ChoiceField(
        label=_("Women, men"), choices=GenderPolicy.choices, widget=forms.RadioSelect
    )
    languages = forms.CharField(
        label=_("Languages spoken by the staff"), max_length=200, required=False
    )
    specialised = forms.BooleanField(
        label=_("Specialised in victims of trafficking"), required=False
    )
    trained_staff = forms.BooleanField(label=_("Staff trained on trafficking"), required=False)
    secure = forms.BooleanField(
        label=_("Secure (confidential address, protected access)"), required=False
    )
    distancing_network = forms.BooleanField(
        label=_("Part of a national distancing network (e.g. Ac.Sé)"), required=False
    )
    places_total = forms.IntegerField(
        label=_("Places in total"),
        min_value=0,
        max_value=10000,
        required=False,
        help_text=_("Accommodation only. Free places are kept current on your services page."),
    )
    active = forms.BooleanField(label=_("Active (shown in the directory)"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["territories"].queryset = local_units()
        _radios(self, "gender_policy")
        self.fields["gender_policy"].initial = GenderPolicy.ANY
        if editing:
            del self.fields["organisation"]
            del self.fields["places_total"]
            del self.fields[SUBMISSION]  # an edit, not a creation
        else:
            del self.fields["active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("national") and not data.get("territories"):
            self.add_error("territories", _("Say which départements the service serves."))
        if (
            "places_total" in self.fields
            and data.get("service_type") == ServiceType.ACCOMMODATION
            and data.get("places_total") is None
        ):
            self.add_error("places_total", _("Give the number of places."))
        return data


class CapacityForm(DsfrBaseForm):
    places_total = forms.IntegerField(label=_("Places in total"), min_value=0, max_value=10000)
    places_free = forms.IntegerField(label=_("Free places today"), min_value=0, max_value=10000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        total, free = data.get("places_total"), data.get("places_free")
        if total is not None and free is not None and free > total:
            self.add_error("places_free", _("There cannot be more free places than places."))
        return data


# Support plan ----------------------------------------------------------------------------


class NeedForm(SentOnce, DsfrBaseForm):
    service_type = forms.ChoiceField(label=_("Need"), choices=ServiceType.choices)
    description = forms.CharField(
        label=_("What is needed"),
        max_length=500,
        required=False,
        help_text=_("Only what the services need to know to act."),
    )


class OrientationForm(SentOnce, DsfrBaseForm):
    """Propose a service for a need. `services` are the candidates shown on the page."""

    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), widget=forms.RadioSelect
    )
    brief = _text(
        _("What the provider needs to know"),
        required=False,
        max_length=2000,
        help_text=_("No identity, no story: only what the service needs to act."),
    )
    identity_needed = forms.BooleanField(
        label=_("The provider needs the person's identity"),
        required=False,
        help_text=_("For example to register the person. Otherwise it sees a pseudonym only."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, widget=forms.RadioSelect
    )
    best_interests = _text(
        _("Best interests of the child"),
        required=False,
        help_text=_("Why this placement or return serves the child."),
    )

    def __init__(self, *args: Any, services: QuerySet[Service], case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda service: (
            f"{service.name} — {service.organisation.name}"
        )
        self.fields["urgency"].initial = Urgency.URGENT
        _radios(self, "service", "urgency")
        if not case.child:
            del self.fields["best_interests"]


class PreferencesForm(DsfrBaseForm):
    """The person's situation and choices for accommodation (GET). Nothing else is asked."""

    location = forms.ChoiceField(
        label=_("Where the person wants to live"),
        choices=Location.choices,
        widget=forms.RadioSelect,
        initial=Location.EITHER,
    )
    setting = forms.ChoiceField(
        label=_("Kind of accommodation the person prefers"),
        choices=Setting.choices,
        widget=forms.RadioSelect,
        initial=Setting.EITHER,
    )
    secure = forms.BooleanField(label=_("Secure accommodation needed"), required=False)
    accompanying_children = forms.IntegerField(
        label=_("The person's children who come with them"),
        min_value=0,
        max_value=20,
        initial=0,
    )
    area = TerritoryChoiceField(
        label=_("Département of the exploitation"),
        queryset=Territory.objects.none(),
        to_field_name="code",
        help_text=_("To keep away from it, or to stay near it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = local_units()
        _radios(self, "location", "setting")


class ConsentToShareForm(DsfrBaseForm):
    method = forms.ChoiceField(
        label=_("How the person agreed to share their data with this provider"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "method")


class ReasonForm(DsfrBaseForm):
    reason = _text(_("Reason"), max_length=2000, rows=3)


class DateForm(DsfrBaseForm):
    day = _date(label=_("Date"), validators=[not_in_future])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()


# Residence -------------------------------------------------------------------------------


class ResidenceApplicationForm(SentOnce, DsfrBaseForm):
    basis = forms.ChoiceField(label=_("Legal basis"), choices=())
    prefecture = forms.ModelChoiceField(  # the residence authority, named by the profile
        label=_("Residence authority"), queryset=Organisation.objects.none(), required=False
    )
    authority_name = forms.CharField(
        label=_("Or the authority, if it is not in OpenNRM"),
        max_length=200,
        required=False,
        help_text=_("For example the asylum office."),
    )
    applied_on = _date(label=_("Applied on"), validators=[not_in_future])
    receipt_on = _date(label=_("Receipt issued on"), required=False, validators=[not_in_future])

    def __init__(self, *args: Any, prefectures: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = residence_bases()
        self.fields["prefecture"].queryset = prefectures
        self.fields["prefecture"].label = kinds_label(
            residence_authority_kinds(), _("Residence authority")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("prefecture") is None and not data.get("authority_name"):
            self.add_error(
                "prefecture", _("Choose the authority, or name it if it is not in OpenNRM.")
            )
        return data


class ResidenceDecisionForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in ResidenceOutcome.choices if c[0] != ResidenceOutcome.PENDING],
        widget=forms.RadioSelect,
    )
    decided_on = _date(label=_("Decided on"), validators=[not_in_future])
    refusal_reason = forms.ChoiceField(
        label=_("Reason given for a refusal"),
        required=False,
        choices=[("", "---------"), *RefusalReason.choices],
    )
    refusal_details = _text(_("Details of the refusal"), required=False, rows=3)
    valid_from = _date(label=_("Permit valid from"), required=False)
    valid_until = _date(
        label=_("Permit valid until"),
        required=False,
        help_text=_("Renewal reminders depend on it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "outcome")


class ReceiptForm(DsfrBaseForm):
    receipt_on = _date(label=_("Receipt issued on"), validators=[not_in_future])


class RenewalForm(DsfrBaseForm):
    applied_on = _date(label=_("Renewal applied on"), validators=[not_in_future])


# Non-punishment --------------------------------------------------------------------------


class NonPunishmentForm(SentOnce, DsfrBaseForm):
    offences = _text(
        _("Offences the person was compelled to commit"),
        help_text=_("One per line: the offence, when and where."),
    )
    circumstances = _text(
        _("Circumstances of the constraint"),
        max_length=8000,
        rows=6,
        help_text=_("How the exploiters compelled the person (modus operandi)."),
    )
    factors = forms.MultipleChoiceField(
        label=_("Factors of constraint"),
        required=False,
        choices=ConstraintFactor.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    prosecutor = forms.ModelChoiceField(
        label=_("Prosecutor's office"), queryset=Organisation.objects.none(), required=False
    )
    proceedings_reference = forms.CharField(
        label=_("Reference of the proceedings"), max_length=100, required=False
    )
    asylum_safeguard = forms.BooleanField(
        label=_(
            "Flag: these offences must not be held against the person's claim for "
            "international protection"
        ),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, prosecutors: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prosecutor"].queryset = prosecutors
        self.fields["prosecutor"].label = kinds_label(
            non_punishment_recipient_kinds(), _("Prosecutor's office")
        )
        _radios(self, "factors")


class NonPunishmentOutcomeForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in NonPunishmentOutcome.choices if c[0] != NonPunishmentOutcome.PENDING],
        widget=forms.RadioSelect,
    )
    outcome_on = _date(label=_("Date"), validators=[not_in_future])
    outcome_details = _text(_("Details"), required=False, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "outcome")


# Compensation ----------------------------------------------------------------------------


class CompensationForm(SentOnce, DsfrBaseForm):
    kind = forms.ChoiceField(
        label=_("Type of claim"), choices=ClaimKind.choices, widget=forms.RadioSelect
    )
    body_name = forms.CharField(
        label=_("Court or commission"), max_length=200, help_text=_("Its name and place.")
    )
    lodged_on = _date(label=_("Lodged on"), required=False, validators=[not_in_future])
    amount_claimed = forms.DecimalField(
        label=_("Amount claimed"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    legal_aid = forms.ChoiceField(label=_("Legal aid"), choices=LegalAid.choices)
    lawyer = forms.CharField(label=_("Lawyer or legal aid service"), max_length=200, required=False)
    stay_of_removal_needed = forms.BooleanField(
        label=_("A stay of removal is needed to pursue the claim"), required=False
    )
    notes = _text(_("Notes"), required=False, rows=3)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "kind")
        if editing:
            del self.fields["kind"]
            del self.fields["currency"]
            del self.fields[SUBMISSION]  # an edit, not a creation

    def clean_currency(self) -> str:
        return str(self.cleaned_data.get("currency", "")).upper()


class CompensationDecisionForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in ClaimOutcome.choices if c[0] != ClaimOutcome.PENDING],
        widget=forms.RadioSelect,
    )
    decided_on = _date(label=_("Decided on"), validators=[not_in_future])
    amount_awarded = forms.DecimalField(
        label=_("Amount awarded"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "outcome")


# Closure ---------------------------------------------------------------------------------


class ClosureForm(DsfrBaseForm):
    reason = forms.ChoiceField(
        label=_("Why support closes"), choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    closed_on = _date(label=_("Closed on"), validators=[not_in_future])
    follow_up_on = _date(
        label=_("Follow up on"),
        required=False,
        help_text=_("A date to check in with the person (not after a death)."),
    )
    transferred_to = forms.ModelChoiceField(
        label=_("Transferred to"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only when the person is transferred to an organisation in OpenNRM."),
    )
    note = _text(_("Note"), required=False, rows=3)
    best_interests = _text(
        _("Best interests of the child"),
        required=False,
        help_text=_("Why closing support serves the child."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transferred_to"].queryset = Organisation.objects.exclude(
            pk=case.owner_id
        ).order_by("name")
        self.fields["closed_on"].initial = timezone.localdate()
        _radios(self, "reason")
        if not case.child:
            del self.fields["best_interests"]


class FollowUpForm(DsfrBaseForm):
    followed_up_on = _date(label=_("Followed up on"), validators=[not_in_future])
