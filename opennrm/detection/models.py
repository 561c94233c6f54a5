"""Detection and preliminary identification: concerns, assessments, rights information,
children's guardians, anonymous notifications."""

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.cases.enums import DetectionChannel, Sex
from opennrm.cases.models import Case, new_reference
from opennrm.core import plausible
from opennrm.core.models import Organisation, Territory, User
from opennrm.crypto.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)
from opennrm.detection.enums import (
    AgeGroup,
    AssessmentConclusion,
    ChildInvolved,
    ClosingReason,
    ConcernStatus,
    ControlMeans,
    ExploiterRole,
    FactAnswer,
    LastContact,
    PlaceType,
    PublicSign,
    RecruitmentMethod,
    RelationToExploiter,
    ReportedBefore,
    Sector,
    SelfIdentification,
    StillThere,
)
from opennrm.documents.leaflets import leaflet_languages

DESCRIPTION_MAX = 4000
CONTACT_MAX = 200


class ConcernQuerySet(models.QuerySet["Concern"]):
    def to_triage(self) -> "ConcernQuerySet":
        return self.filter(status=ConcernStatus.NEW)

    def overdue(self, today: Any = None) -> "ConcernQuerySet":
        return self.to_triage().filter(triage_due__lt=today or timezone.localdate())

    def closed_without_case(self) -> "ConcernQuerySet":
        """Closed at triage, no case, content not erased yet: the concerns whose content
        retention erases after the profile's `retention.concern_months`."""
        return self.filter(
            status=ConcernStatus.CLOSED,
            case__isnull=True,
            triaged_at__isnull=False,
            content_erased_at__isnull=True,
        )


class Concern(models.Model):
    """A concern that someone may be a victim, from the public or received by staff.

    What was seen, how to reach the reporter and the closing note are encrypted (ADR 0008)."""

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    received_at = models.DateTimeField(_("received on"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=32, choices=DetectionChannel.choices)
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="concerns", verbose_name=_("département")
    )
    commune = models.CharField(_("town"), max_length=120, blank=True)
    place_type = models.CharField(_("type of place"), max_length=32, choices=PlaceType.choices)
    sector = models.CharField(
        _("sector"), max_length=32, choices=Sector.choices, default=Sector.UNKNOWN
    )
    description = EncryptedTextField(_("what was seen"), max_length=DESCRIPTION_MAX)
    signs = models.JSONField(_("signs"), default=list, blank=True)
    child_involved = models.CharField(
        _("a child seems involved"),
        max_length=8,
        choices=ChildInvolved.choices,
        default=ChildInvolved.UNKNOWN,
    )
    contact = EncryptedCharField(
        _("how to contact the reporter"), max_length=CONTACT_MAX, blank=True
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_for = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    triage_due = models.DateField(_("triage due"))
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    closing_reason = models.CharField(
        _("closing reason"), max_length=32, choices=ClosingReason.choices, blank=True
    )
    closing_note = EncryptedTextField(_("note"), blank=True, max_length=2000)
    # Set when retention erased the content of a concern closed at triage without a case
    # (opennrm.privacy.retention); a concern that became part of a case is anonymised with it.
    content_erased_at = models.DateTimeField(
        _("content erased on"), null=True, blank=True, editable=False
    )

    objects = ConcernQuerySet.as_manager()

    # The random key of the form that sent it: a form sent again (after an error page, a
    # refresh) finds the concern already stored instead of storing it twice.
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Set by `submit_concern` on a concern returned for a form sent again (not stored).
    was_resent = False

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering: ClassVar = ["-received_at"]
        indexes: ClassVar = [
            models.Index(fields=["territory", "status", "triage_due"]),
            # Search by the beginning of a reference (varchar_pattern_ops on PostgreSQL).
            models.Index(
                fields=["reference"],
                name="detection_concern_ref_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~models.Q(submission_key=""),
                name="concern_submission_once",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.reference:
            self.reference = new_reference("S")
        super().save(*args, **kwargs)

    @property
    def sign_labels(self) -> list[str]:
        return [str(PublicSign(code).label) for code in self.signs if code in PublicSign.values]

    @property
    def is_overdue(self) -> bool:
        return self.status == ConcernStatus.NEW and self.triage_due < timezone.localdate()


class AssessmentQuerySet(models.QuerySet["PreliminaryAssessment"]):
    def drafts(self) -> "AssessmentQuerySet":
        return self.filter(finalised_at__isnull=True)


class PreliminaryAssessment(models.Model):
    """Indicator answers, the engine's advice, and the professional's reasoned conclusion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    catalogue_version = models.CharField(_("catalogue version"), max_length=16)
    set_code = models.CharField(_("indicator set"), max_length=64)
    # {code: {"answer": ..., "note": ...}}, encrypted as a whole (the notes are narratives).
    answers = EncryptedJSONField(default=dict, blank=True)
    engine_outcome = models.CharField(max_length=16, blank=True)  # snapshot at conclusion
    engine_summary = models.JSONField(default=dict, blank=True)
    conclusion = models.CharField(
        _("your conclusion"), max_length=16, choices=AssessmentConclusion.choices, blank=True
    )
    reasons = EncryptedTextField(_("reasons"), blank=True, max_length=8000)
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("preliminary assessment")
        verbose_name_plural = _("preliminary assessments")
        ordering: ClassVar = ["-created_at"]

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    def answer_map(self) -> dict[str, str]:
        return {code: value.get("answer", "unknown") for code, value in self.answers.items()}

    def __str__(self) -> str:
        return f"{self.case_id} {self.set_code}"


class RightsInformation(models.Model):
    """That the person was informed of their rights: when, in which language, how, by whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rights_information")
    given_on = models.DateField(_("given on"))
    language = models.CharField(_("language"), max_length=8)
    interpreter = models.BooleanField(_("through an interpreter"), default=False)
    interpreter_service = models.CharField(_("interpreting service"), max_length=200, blank=True)
    leaflet_given = models.BooleanField(_("leaflet given"), default=True)
    leaflet_language = models.CharField(_("leaflet language"), max_length=8, blank=True)
    given_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rights information")
        verbose_name_plural = _("rights information")
        ordering: ClassVar = ["-given_on"]

    def clean(self) -> None:
        try:
            plausible.rights_information_date(
                self.given_on, self.case.detected_on if self.case_id else None
            )
        except ValidationError as error:
            raise ValidationError({"given_on": error.messages}) from error
        if self.interpreter and not self.interpreter_service:
            raise ValidationError({"interpreter_service": _("Name the interpreting service.")})
        if self.leaflet_language and self.leaflet_language not in leaflet_languages():
            raise ValidationError(
                {
                    "leaflet_language": _(
                        "There is no leaflet in this language: leaflets exist in %(languages)s."
                    )
                    % {"languages": ", ".join(leaflet_languages())}
                }
            )

    def __str__(self) -> str:
        return f"{self.case_id} {self.given_on}"


class Guardian(models.Model):
    """A child's guardian or ad hoc administrator."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("Parent with parental authority")
        GUARDIAN = "guardian", _("Guardian")
        AD_HOC = "ad_hoc", _("Ad hoc administrator")
        CHILD_PROTECTION = "child_protection", _("Child protection service (provisional)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="guardians")
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    name = EncryptedCharField(_("name"), max_length=200)
    contact = EncryptedCharField(_("how to reach them"), max_length=200, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class ChildProtectionAlert(models.Model):
    """Child protection services alerted about a child (mandatory; no consent needed)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="child_protection_alerts")
    service = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("child protection service"),
    )
    service_name = models.CharField(_("service (if not in OpenNRM)"), max_length=200, blank=True)
    alerted_on = models.DateField(_("alerted on"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def clean(self) -> None:
        if self.service_id is None and not self.service_name:
            raise ValidationError({"service": _("Choose or name the child protection service.")})

    def __str__(self) -> str:
        return f"{self.case_id} {self.alerted_on}"


class AnonymousNotification(models.Model):
    """For an adult who refuses referral: statistics only. It holds nothing that identifies
    the person and no link to the case (a link would make it identifying)."""

    notified_on = models.DateField(_("notified on"))
    forms = models.JSONField(_("forms of exploitation"), default=list)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    notified_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("anonymous notification")
        verbose_name_plural = _("anonymous notifications")

    def __str__(self) -> str:
        return f"#{self.pk} {self.notified_on}"


# The person's account -------------------------------------------------------------------------

ACCOUNT_TEXT_MAX = 15000
EARLIEST_DATE = plausible.EARLIEST_DATE


def _date_errors(
    errors: dict[str, Any],
    name: str,
    value: datetime.date | None,
    today: datetime.date,
    rule: Any = plausible.past_date,
) -> None:
    try:
        rule(value, today=today)
    except ValidationError as error:
        errors[name] = error.messages[0]


class PersonAccount(models.Model):
    """The person's account, recorded once during preliminary identification in the
    professional's own words, and the record of the interview it was given in.

    Each section is optional and saved on its own (`saved_at` says when, per section); every
    narrative is encrypted (ADR 0008). The exploitative situations are `ExploitativeSituation`s.
    Written by the responsible organisation's field staff (opennrm.detection.accounts); read
    through opennrm.detection.access only.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="account")
    background = EncryptedTextField(_("background"), blank=True, max_length=ACCOUNT_TEXT_MAX)
    recruitment = EncryptedTextField(_("how it started"), blank=True, max_length=ACCOUNT_TEXT_MAX)
    journey = EncryptedTextField(_("journey"), blank=True, max_length=ACCOUNT_TEXT_MAX)
    conditions = EncryptedTextField(
        _("living and working conditions"), blank=True, max_length=ACCOUNT_TEXT_MAX
    )
    control_means = models.JSONField(_("means of control"), default=list, blank=True)
    control = EncryptedTextField(_("control"), blank=True, max_length=ACCOUNT_TEXT_MAX)
    still_there = models.CharField(
        _("still in the situation"), max_length=8, choices=StillThere.choices, blank=True
    )
    leaving = EncryptedTextField(
        _("what keeps the person there, or how they left"),
        blank=True,
        max_length=ACCOUNT_TEXT_MAX,
    )
    last_contact = models.CharField(
        _("last contact with the exploiters"),
        max_length=16,
        choices=LastContact.choices,
        blank=True,
    )
    reprisals = EncryptedTextField(
        _("contact and risk of reprisals"), blank=True, max_length=ACCOUNT_TEXT_MAX
    )
    reported_before = models.CharField(
        _("reported before"), max_length=8, choices=ReportedBefore.choices, blank=True
    )
    reported_details = EncryptedTextField(
        _("earlier reports"), blank=True, max_length=ACCOUNT_TEXT_MAX
    )
    # The interview record.
    interview_place = EncryptedCharField(
        _("where the interview took place"), max_length=300, blank=True
    )
    interview_on = EncryptedDateField(_("interview date"), null=True, blank=True)
    interpreter_language = models.CharField(_("interpreter's language"), max_length=8, blank=True)
    present = EncryptedTextField(_("who was present"), blank=True, max_length=ACCOUNT_TEXT_MAX)
    breaks = EncryptedTextField(_("breaks"), blank=True, max_length=ACCOUNT_TEXT_MAX)
    person_state = EncryptedTextField(
        _("the person's state"), blank=True, max_length=ACCOUNT_TEXT_MAX
    )
    insight = EncryptedTextField(_("professional insight"), blank=True, max_length=ACCOUNT_TEXT_MAX)
    credibility = EncryptedTextField(
        _("credibility concerns"), blank=True, max_length=ACCOUNT_TEXT_MAX
    )
    # {section code: ISO date and time of its last save}: no personal data.
    saved_at = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person's account")
        verbose_name_plural = _("persons' accounts")

    def __str__(self) -> str:
        return f"{self.case_id}"

    def clean(self) -> None:
        from opennrm.cases.reference_data import invalid_languages

        errors: dict[str, Any] = {}
        _date_errors(errors, "interview_on", self.interview_on, timezone.localdate())
        unknown = [code for code in self.control_means if code not in ControlMeans.values]
        if unknown:
            errors["control_means"] = _("Unknown means of control: %(codes)s") % {
                "codes": ", ".join(unknown)
            }
        if self.interpreter_language and invalid_languages([self.interpreter_language]):
            errors["interpreter_language"] = _("Unknown language code.")
        if errors:
            raise ValidationError(errors)


class ExploitativeSituation(models.Model):
    """One exploitative situation of the account (there may be several): when, where, in which
    sector, which forms of exploitation, and what happened, in the professional's words."""

    account = models.ForeignKey(PersonAccount, on_delete=models.CASCADE, related_name="situations")
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    timing = EncryptedCharField(_("when, as the person says it"), max_length=300, blank=True)
    abroad = models.BooleanField(_("abroad"), default=False)
    country = models.CharField(_("country"), max_length=2, blank=True)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    commune = EncryptedCharField(_("town"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    description = EncryptedTextField(
        _("what happened there"), blank=True, max_length=ACCOUNT_TEXT_MAX
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exploitative situation")
        verbose_name_plural = _("exploitative situations")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return f"{self.account_id} #{self.pk}"

    def clean(self) -> None:
        from opennrm.cases.reference_data import invalid_countries
        from opennrm.profiles.loader import active_profile

        errors: dict[str, Any] = {}
        today = timezone.localdate()
        _date_errors(errors, "started_on", self.started_on, today, plausible.exploitation_date)
        _date_errors(errors, "ended_on", self.ended_on, today, plausible.exploitation_date)
        if not errors and self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("The end comes before the start.")
        profile = active_profile()
        if self.abroad:
            if not self.country:
                errors["country"] = _("Choose the country, or say that it is not abroad.")
            elif self.country == profile.country:
                errors["country"] = _("This country is not abroad.")
            elif invalid_countries([self.country]):
                errors["country"] = _("Unknown country code.")
            if self.territory_id is not None:
                errors["territory"] = _("A place abroad has no département.")
        elif self.country and self.country != profile.country:
            errors["country"] = _("Tick “abroad” for a place in another country.")
        unknown = [code for code in self.forms if profile.form_of_exploitation(code) is None]
        if unknown:
            errors["forms"] = _("Unknown forms of exploitation: %(codes)s") % {
                "codes": ", ".join(unknown)
            }
        if errors:
            raise ValidationError(errors)


# Facts in standard terms, exploiters and workplaces (issue #12, point 2) -------------------


def _unknown_codes(
    errors: dict[str, Any], name: str, codes: Any, known: "set[str] | frozenset[str]", message: Any
) -> None:
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        errors[name] = _("A list of codes is expected.")
        return
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors[name] = message % {"codes": ", ".join(unknown)}


PLACE_KINDS = ("recruitment", "transit", "exploitation")


class AccountFacts(models.Model):
    """The facts of the account in standard terms (the IOM's HTCDS, mapped in
    opennrm.detection.htcds), for statistics and exchange: codes only, beside the narrative.

    The methods of control are the account's own `control_means` (one list, ticked in the
    account's control section or on the facts page). Countries are ISO 3166 alpha-2 codes,
    départements the territories' codes. Written by the responsible organisation's field staff
    (opennrm.detection.facts); read through opennrm.detection.access only.
    """

    account = models.OneToOneField(PersonAccount, on_delete=models.CASCADE, related_name="facts")
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    recruitment_countries = models.JSONField(
        _("countries of recruitment"), default=list, blank=True
    )
    recruitment_territories = models.JSONField(
        _("départements of recruitment"), default=list, blank=True
    )
    transit_countries = models.JSONField(_("countries of transit"), default=list, blank=True)
    transit_territories = models.JSONField(_("départements of transit"), default=list, blank=True)
    exploitation_countries = models.JSONField(
        _("countries of exploitation"), default=list, blank=True
    )
    exploitation_territories = models.JSONField(
        _("départements of exploitation"), default=list, blank=True
    )
    sectors = models.JSONField(_("sectors of activity"), default=list, blank=True)
    forms = models.JSONField(_("types of exploitation"), default=list, blank=True)
    relation_to_exploiter = models.CharField(
        _("relation to the exploiter"),
        max_length=16,
        choices=RelationToExploiter.choices,
        blank=True,
    )
    minor_during_exploitation = models.CharField(
        _("a minor during the exploitation"), max_length=8, choices=FactAnswer.choices, blank=True
    )
    self_identifies = models.CharField(
        _("sees themselves as a victim"),
        max_length=16,
        choices=SelfIdentification.choices,
        blank=True,
    )
    saved_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    CODE_LISTS: ClassVar[tuple[str, ...]] = (
        "recruitment_methods",
        "recruitment_countries",
        "recruitment_territories",
        "transit_countries",
        "transit_territories",
        "exploitation_countries",
        "exploitation_territories",
        "sectors",
        "forms",
    )

    class Meta:
        verbose_name = _("facts of the account")
        verbose_name_plural = _("facts of the accounts")

    def __str__(self) -> str:
        return f"{self.account_id}"

    def clean(self) -> None:
        from opennrm.cases.reference_data import country_codes
        from opennrm.profiles.loader import active_profile

        errors: dict[str, Any] = {}
        _unknown_codes(
            errors,
            "recruitment_methods",
            self.recruitment_methods,
            set(RecruitmentMethod.values),
            _("Unknown methods of recruitment: %(codes)s"),
        )
        countries = set(country_codes())
        territories = set(Territory.objects.local_units().values_list("code", flat=True))
        for kind in PLACE_KINDS:
            _unknown_codes(
                errors,
                f"{kind}_countries",
                getattr(self, f"{kind}_countries"),
                countries,
                _("Unknown country codes: %(codes)s"),
            )
            _unknown_codes(
                errors,
                f"{kind}_territories",
                getattr(self, f"{kind}_territories"),
                territories,
                _("Unknown départements: %(codes)s"),
            )
        _unknown_codes(
            errors,
            "sectors",
            self.sectors,
            set(Sector.values) - {Sector.UNKNOWN},
            _("Unknown sectors: %(codes)s"),
        )
        profile = active_profile()
        _unknown_codes(
            errors,
            "forms",
            self.forms,
            {form.code for form in profile.forms_of_exploitation},
            _("Unknown forms of exploitation: %(codes)s"),
        )
        if errors:
            raise ValidationError(errors)


EXPLOITER_NAME_MAX = 300
EXPLOITER_NOTES_MAX = 4000


class Exploiter(models.Model):
    """Someone who took part in the person's exploitation, as the person describes them: what
    they did (HTCDS roles in process), nationality, sex, a name or alias and notes (both
    encrypted). A record of the account's, shown only to who may read the account."""

    account = models.ForeignKey(PersonAccount, on_delete=models.CASCADE, related_name="exploiters")
    roles = models.JSONField(_("roles"), default=list, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, blank=True)
    name = EncryptedCharField(_("name or alias"), max_length=EXPLOITER_NAME_MAX, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True, max_length=EXPLOITER_NOTES_MAX)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exploiter")
        verbose_name_plural = _("exploiters")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return f"{self.account_id} #{self.pk}"

    def clean(self) -> None:
        from opennrm.cases.reference_data import invalid_countries

        errors: dict[str, Any] = {}
        _unknown_codes(
            errors,
            "roles",
            self.roles,
            set(ExploiterRole.values),
            _("Unknown roles: %(codes)s"),
        )
        if self.nationality and invalid_countries([self.nationality]):
            errors["nationality"] = _("Unknown country code.")
        if errors:
            raise ValidationError(errors)


SIRET_LENGTH = 14
LA_POSTE_SIREN = "356000000"  # La Poste's establishments: a sum of digits divisible by 5


def siret_digits(value: str) -> str:
    """The SIRET without the spaces, dots or dashes people type in it."""
    return "".join(char for char in value if not char.isspace() and char not in ".-")


def siret_is_valid(value: str) -> bool:
    """Fourteen digits that pass the Luhn check (La Poste's, a sum divisible by 5)."""
    if len(value) != SIRET_LENGTH or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN):
        return sum(int(digit) for digit in value) % 5 == 0
    total = 0
    for position, digit in enumerate(reversed(value)):
        number = int(digit) * (2 if position % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


class Workplace(models.Model):
    """A workplace or employer of the exploitation: its name, address, town, département and
    SIRET are encrypted; its name and SIRET also stand as blind-index tokens
    (`LinkToken`), so that two organisations that record the same employer can be told of each
    other, and of nothing else (opennrm.detection.links)."""

    account = models.ForeignKey(PersonAccount, on_delete=models.CASCADE, related_name="workplaces")
    name = EncryptedCharField(_("name of the workplace or employer"), max_length=300, blank=True)
    address = EncryptedTextField(_("address"), blank=True, max_length=500)
    commune = EncryptedCharField(_("town"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    siret = EncryptedCharField(_("SIRET"), max_length=20, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return f"{self.account_id} #{self.pk}"

    def clean(self) -> None:
        from opennrm.cases.reference_data import invalid_countries
        from opennrm.profiles.loader import active_profile

        errors: dict[str, Any] = {}
        self.siret = siret_digits(self.siret or "")
        if self.siret and not siret_is_valid(self.siret):
            errors["siret"] = _("A SIRET is 14 digits, and these are not a valid one.")
        profile = active_profile()
        if self.country and invalid_countries([self.country]):
            errors["country"] = _("Unknown country code.")
        elif self.country and self.country != profile.country and self.territory_id is not None:
            errors["territory"] = _("A place abroad has no département.")
        if errors:
            raise ValidationError(errors)


class LinkToken(models.Model):
    """One blind-index token of a workplace (its name, its SIRET) or of an exploiter (their
    name): a keyed hash of the normalised value (opennrm.detection.links). Equal tokens on two
    cases tell that two records may name the same employer or person, without either value.
    The case is kept on the token so that retention finds and deletes it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="link_tokens")
    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, null=True, blank=True, related_name="tokens"
    )
    exploiter = models.ForeignKey(
        Exploiter, on_delete=models.CASCADE, null=True, blank=True, related_name="tokens"
    )
    kind = models.CharField(max_length=16)
    token = models.CharField(max_length=32)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["token"], name="detection_link_token")]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(workplace__isnull=False, exploiter__isnull=True)
                | models.Q(workplace__isnull=True, exploiter__isnull=False),
                name="link_token_of_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
