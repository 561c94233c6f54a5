"""Protection and support, opened at presumed victim: never waiting for identification."""

import datetime
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.cases.models import Case
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, User
from opennrm.crypto.fields import EncryptedTextField


class SupportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SupportRecord(models.Model):
    """The support given to the person, from presumed victim until self-reliance."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="support")
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(
        max_length=16, choices=SupportStatus.choices, default=SupportStatus.OPEN
    )
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class ReflectionPeriodQuerySet(models.QuerySet["ReflectionPeriod"]):
    def ending_within(
        self, days: int, today: datetime.date | None = None
    ) -> "ReflectionPeriodQuerySet":
        today = today or timezone.localdate()
        return self.filter(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=days))


class ReflectionPeriod(models.Model):
    """The recovery and reflection period: protection from removal, time to decide."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reflection_periods")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReflectionPeriodQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-starts_on"]
        # "Reflection periods ending within N days" reads a window of end dates.
        indexes: ClassVar = [models.Index(fields=["ends_on"], name="support_reflection_ends_on")]

    @property
    def days_left(self) -> int:
        return (self.ends_on - timezone.localdate()).days

    def __str__(self) -> str:
        return f"{self.starts_on} → {self.ends_on}"


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (today)")
    URGENT = "urgent", _("Urgent (within 48 hours)")
    ROUTINE = "routine", _("Routine")


class SafetyRisk(models.TextChoices):
    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")
    LOW = "low", _("Low or none known")


class ImmediateNeeds(models.Model):
    """What the person needs at once; answered by orientations (support plan)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="immediate_needs")
    shelter = models.BooleanField(_("shelter"), default=False)
    medical = models.BooleanField(_("medical care"), default=False)
    psychological = models.BooleanField(_("psychological care"), default=False)
    interpreter = models.BooleanField(_("interpreter"), default=False)
    safety_risk = models.CharField(
        _("safety risk"), max_length=16, choices=SafetyRisk.choices, default=SafetyRisk.LOW
    )
    accompanying_children = models.PositiveSmallIntegerField(_("children accompanying"), default=0)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.URGENT
    )
    notes = EncryptedTextField(_("notes"), blank=True, max_length=4000)  # ADR 0008
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.recorded_at:%Y-%m-%d}"


# Comprehensive support (issue 5): service directory, support plan, accommodation, residence,
# non-punishment, compensation, closure. State changes go through the actions of
# support.plans, support.accommodation, support.residence, support.non_punishment,
# support.compensation and support.closure; the rules that must always hold are here.

import decimal  # noqa: E402
from typing import Any  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Exists, F, OuterRef, Q  # noqa: E402

from opennrm.audit.trail import record  # noqa: E402
from opennrm.cases.models import CaseEvent, Consent, TransitionError, _actor  # noqa: E402
from opennrm.core.models import Territory  # noqa: E402
from opennrm.crypto.fields import EncryptedCharField  # noqa: E402

STALE_CAPACITY_DAYS = 7  # capacity not confirmed for this many days is flagged


class ServiceType(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Accommodation")
    HEALTH = "health", _("Health care")
    PSYCHOLOGICAL_CARE = "psychological_care", _("Psychological care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETING = "interpreting", _("Interpreting")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    LANGUAGE_CLASSES = "language_classes", _("Language classes")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EMPLOYMENT = "employment", _("Employment")
    FINANCIAL_AID = "financial_aid", _("Financial aid")
    COMPENSATION_CLAIMS = "compensation_claims", _("Compensation claims")
    LABOUR_RIGHTS = "labour_rights", _("Labour rights and unpaid wages")
    RETURN_ASSISTANCE = "return_assistance", _("Assistance to return")
    ASYLUM_SUPPORT = "asylum_support", _("Asylum support")


class GenderPolicy(models.TextChoices):
    ANY = "any", _("Women and men")
    WOMEN = "women", _("Women only")
    MEN = "men", _("Men only")


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> "ServiceQuerySet":
        return self.filter(active=True)

    def of_type(self, service_type: str) -> "ServiceQuerySet":
        return self.filter(service_type=service_type)

    def serving(self, territory: Territory) -> "ServiceQuerySet":
        """Services of the territory, or of the whole jurisdiction."""
        return self.filter(Q(territories=territory) | Q(national=True)).distinct()

    def with_free_places(self, places: int = 1) -> "ServiceQuerySet":
        return self.filter(places_free__gte=places)

    def capacity_stale(self, today: datetime.date | None = None) -> "ServiceQuerySet":
        """Accommodation whose capacity was not confirmed by the provider for a week or more."""
        today = today or timezone.localdate()
        limit = today - datetime.timedelta(days=STALE_CAPACITY_DAYS)
        return self.filter(service_type=ServiceType.ACCOMMODATION).filter(
            Q(capacity_updated_at__isnull=True) | Q(capacity_updated_at__date__lte=limit)
        )


class Service(models.Model):
    """One service an organisation offers: who it is for, where, and (accommodation) its room.

    Accommodation never takes unaccompanied children together with adults: a facility for
    children takes neither single adults nor families (parents with their own children)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name of the service"), max_length=200)
    service_type = models.CharField(
        _("type of service"), max_length=32, choices=ServiceType.choices
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="+", verbose_name=_("territories served")
    )
    national = models.BooleanField(_("serves the whole jurisdiction"), default=False)
    accepts_adults = models.BooleanField(_("adults"), default=True)
    accepts_children = models.BooleanField(_("unaccompanied children"), default=False)
    accepts_families = models.BooleanField(_("parents with their children"), default=False)
    gender_policy = models.CharField(
        _("women, men"), max_length=8, choices=GenderPolicy.choices, default=GenderPolicy.ANY
    )
    languages = models.CharField(_("languages spoken by the staff"), max_length=200, blank=True)
    specialised = models.BooleanField(
        _("specialised in victims of trafficking"),
        default=False,
        help_text=_("Otherwise a general or multipurpose service."),
    )
    secure = models.BooleanField(
        _("secure"), default=False, help_text=_("Confidential address, protected access.")
    )
    distancing_network = models.BooleanField(
        _("national distancing network"),
        default=False,
        help_text=_("Places the person far from the place of exploitation (e.g. Ac.Sé)."),
    )
    trained_staff = models.BooleanField(_("staff trained on trafficking"), default=False)
    places_total = models.PositiveIntegerField(_("places in total"), null=True, blank=True)
    places_free = models.PositiveIntegerField(_("free places"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(_("capacity updated on"), null=True, blank=True)
    capacity_updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering: ClassVar = ["name", "pk"]
        indexes: ClassVar = [models.Index(fields=["service_type", "active"])]
        constraints: ClassVar = [
            # Never more free places than places: overbooking cannot even be stored.
            models.CheckConstraint(
                condition=Q(places_free__isnull=True)
                | Q(places_total__isnull=False, places_free__lte=F("places_total")),
                name="service_free_places_within_total",
            ),
            # Adults and children are not accommodated together (parents with their children
            # excepted, in facilities for families that take no unaccompanied child).
            models.CheckConstraint(
                condition=~Q(service_type="accommodation")
                | Q(accepts_children=False)
                | Q(accepts_adults=False, accepts_families=False),
                name="service_children_apart_from_adults",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_accommodation(self) -> bool:
        return self.service_type == ServiceType.ACCOMMODATION

    def is_capacity_stale(self, today: datetime.date | None = None) -> bool:
        if not self.is_accommodation:
            return False
        if self.capacity_updated_at is None:
            return True
        today = today or timezone.localdate()
        updated = timezone.localtime(self.capacity_updated_at).date()
        return (today - updated).days >= STALE_CAPACITY_DAYS

    @property
    def audiences(self) -> list[str]:
        labels = []
        if self.accepts_adults:
            labels.append(str(_("adults")))
        if self.accepts_families:
            labels.append(str(_("parents with their children")))
        if self.accepts_children:
            labels.append(str(_("unaccompanied children")))
        return labels

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not (self.accepts_adults or self.accepts_children or self.accepts_families):
            errors["accepts_adults"] = _("Say whom the service accepts.")
        if self.is_accommodation:
            if self.accepts_children and (self.accepts_adults or self.accepts_families):
                errors["accepts_children"] = _(
                    "Adults and children are not accommodated together, except parents with "
                    "their children: a facility for unaccompanied children takes no adult."
                )
            if self.places_total is None:
                errors["places_total"] = _("Give the number of places.")
            elif self.places_free is not None and self.places_free > self.places_total:
                errors["places_free"] = _("There cannot be more free places than places.")
        elif self.places_total is not None or self.places_free is not None:
            errors["places_total"] = _("Only accommodation has places.")
        if self.distancing_network and not self.national:
            errors["distancing_network"] = _(
                "A distancing network serves the whole jurisdiction: tick that box too."
            )
        if errors:
            raise ValidationError(errors)


class Need(models.Model):
    """A need of the person in the support plan, answered by orientations to services."""

    support = models.ForeignKey(SupportRecord, on_delete=models.PROTECT, related_name="needs")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="support_needs")
    service_type = models.CharField(_("need"), max_length=32, choices=ServiceType.choices)
    description = EncryptedCharField(
        _("what is needed"),
        max_length=500,
        blank=True,
        help_text=_("Only what the services need to know to act."),
    )
    from_immediate_needs = models.ForeignKey(
        ImmediateNeeds, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering: ClassVar = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.service_type}"

    def clean(self) -> None:
        if self.support_id is not None and self.case_id != self.support.case_id:
            raise ValidationError(_("The need belongs to the case's support."))


class OrientationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONSENTED = "consented", _("Consented")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


ORIENTATION_TRANSITIONS: dict[str, frozenset[str]] = {
    # proposed → sent only for a child (no consent needed); an adult's goes through consent.
    OrientationStatus.PROPOSED: frozenset(
        {OrientationStatus.CONSENTED, OrientationStatus.SENT, OrientationStatus.CANCELLED}
    ),
    OrientationStatus.CONSENTED: frozenset({OrientationStatus.SENT, OrientationStatus.CANCELLED}),
    OrientationStatus.SENT: frozenset(
        {OrientationStatus.ACCEPTED, OrientationStatus.DECLINED, OrientationStatus.CANCELLED}
    ),
    OrientationStatus.ACCEPTED: frozenset(
        {OrientationStatus.IN_PROGRESS, OrientationStatus.COMPLETED, OrientationStatus.CANCELLED}
    ),
    OrientationStatus.IN_PROGRESS: frozenset(
        {OrientationStatus.COMPLETED, OrientationStatus.CANCELLED}
    ),
    OrientationStatus.DECLINED: frozenset(),
    OrientationStatus.COMPLETED: frozenset(),
    OrientationStatus.CANCELLED: frozenset(),
}
# The provider has it and it still needs the case: the provider keeps access.
LIVE_ORIENTATION = frozenset(
    {OrientationStatus.SENT, OrientationStatus.ACCEPTED, OrientationStatus.IN_PROGRESS}
)
OPEN_ORIENTATION = frozenset(
    {OrientationStatus.PROPOSED, OrientationStatus.CONSENTED} | LIVE_ORIENTATION
)


class OrientationQuerySet(models.QuerySet["Orientation"]):
    def live(self) -> "OrientationQuerySet":
        return self.filter(status__in=LIVE_ORIENTATION)

    def open(self) -> "OrientationQuerySet":
        return self.filter(status__in=OPEN_ORIENTATION)

    def overdue(self, today: datetime.date | None = None) -> "OrientationQuerySet":
        """Sent to a provider that has not answered by the due date."""
        return self.filter(
            status=OrientationStatus.SENT, response_due__lt=today or timezone.localdate()
        )

    def for_organisation(self, organisation: Organisation) -> "OrientationQuerySet":
        """The orientations an organisation must act on: as provider, or as responsible."""
        return self.filter(Q(provider=organisation) | Q(responsible=organisation))

    def in_territories(self, territories: Any) -> "OrientationQuerySet":
        return self.filter(case__territory__in=territories)


class Orientation(models.Model):
    """A need answered by a service: proposed, consented, sent, then the provider's answer.

    The status moves only by `transition` (table ORIENTATION_TRANSITIONS), logged in
    OrientationTransition and the case's timeline, and audited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="orientations")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="orientations")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="orientations", verbose_name=_("service")
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrientationStatus.choices,
        default=OrientationStatus.PROPOSED,
    )
    brief = EncryptedTextField(
        _("what the provider needs to know"),
        blank=True,
        max_length=2000,
        help_text=_("No identity, no story: only what the service needs to act."),
    )
    identity_needed = models.BooleanField(
        _("the provider needs the person's identity"), default=False
    )
    child = models.BooleanField(_("child"), default=False)
    accompanying_children = models.PositiveSmallIntegerField(_("children accompanying"), default=0)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.URGENT
    )
    best_interests = EncryptedTextField(
        _("best interests of the child"),
        blank=True,
        max_length=4000,
        help_text=_("Required for a child's placement or return: why it serves the child."),
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    response_due = models.DateField(_("answer due"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True, max_length=2000)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("ended on"), null=True, blank=True)
    cancel_reason = EncryptedTextField(_("reason for cancelling"), blank=True, max_length=2000)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OrientationQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering: ClassVar = ["proposed_at", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["status", "response_due"]),
            models.Index(fields=["provider", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.provider_id} ({self.status})"

    @property
    def is_accommodation(self) -> bool:
        return self.need.service_type == ServiceType.ACCOMMODATION

    @property
    def places_needed(self) -> int:
        """A parent takes a place for each of their children too."""
        return 1 + self.accompanying_children

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == OrientationStatus.SENT
            and self.response_due is not None
            and self.response_due < timezone.localdate()
        )

    def can_transition(self, target: str) -> bool:
        return target in ORIENTATION_TRANSITIONS.get(self.status, frozenset())

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.need_id is not None and self.service_id is not None:
            if self.service.service_type != self.need.service_type:
                errors["service"] = _("This service does not answer this need.")
            if self.case_id != self.need.case_id:
                errors["need"] = _("The need belongs to another case.")
        if self.service_id is not None and self.provider_id != self.service.organisation_id:
            errors["provider"] = _("The provider is the organisation running the service.")
        major = {ServiceType.ACCOMMODATION, ServiceType.RETURN_ASSISTANCE}
        if (
            self.child
            and self.need_id is not None
            and self.need.service_type in major
            and not self.best_interests.strip()
        ):
            errors["best_interests"] = _(
                "For a child, say why this placement or return serves the child's best interests."
            )
        if errors:
            raise ValidationError(errors)

    def transition(
        self,
        target: str,
        *,
        actor: Actor,
        note: str = "",
        changes: dict[str, Any] | None = None,
    ) -> "OrientationTransition":
        """Move to `target` if the table allows it: logged, on the timeline, audited."""
        with transaction.atomic():
            current = Orientation.objects.select_for_update(of=("self",)).get(pk=self.pk)
            if not current.can_transition(target):
                raise TransitionError(
                    _("An orientation cannot go from “%(source)s” to “%(target)s”.")
                    % {
                        "source": current.get_status_display(),
                        "target": OrientationStatus(target).label,
                    }
                )
            source = current.status
            now = timezone.now()
            values = {"status": target, "updated_at": now, **(changes or {})}
            Orientation.objects.filter(pk=self.pk).update(**values)
            for field, value in values.items():
                setattr(self, field, value)
            user, organisation = _actor(actor)
            log = OrientationTransition.objects.create(
                orientation=self,
                source=source,
                target=target,
                at=now,
                actor=user,
                organisation=organisation,
                note=note,
            )
            CaseEvent.log(
                self.case,
                f"orientation.{target}",
                actor=actor,
                source=source,
                target=target,
                details={"orientation": self.pk, "service_type": self.need.service_type},
            )
            record(
                "orientation.transition",
                target=self,
                actor=actor,
                details={"case": self.case_id, "from": source, "to": target},
            )
        return log


class OrientationTransition(models.Model):
    """The orientation's transition log: from, to, when, by whom, why."""

    orientation = models.ForeignKey(
        Orientation, on_delete=models.CASCADE, related_name="transitions"
    )
    source = models.CharField(max_length=16, choices=OrientationStatus.choices)
    target = models.CharField(max_length=16, choices=OrientationStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.orientation_id} {self.source} → {self.target}"


class PlacementQuerySet(models.QuerySet["Placement"]):
    def current(self) -> "PlacementQuerySet":
        return self.filter(ended_on__isnull=True)


class Placement(models.Model):
    """A stay in an accommodation service: it holds `places` places until it ends."""

    orientation = models.OneToOneField(
        Orientation, on_delete=models.PROTECT, related_name="placement"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="placements")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    places = models.PositiveSmallIntegerField(_("places taken"), default=1)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-started_on", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(places__gte=1), name="placement_takes_a_place")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.service_id}"


# Residence -------------------------------------------------------------------------------

ASYLUM = "asylum"  # a separate path, not a legal basis of the residence pathway


def residence_authority_kinds() -> tuple[str, ...]:
    """Organisation types (profile codes) with which residence applications are lodged: the
    profile's `support.residence_authorities` (France: prefectures)."""
    from opennrm.profiles.loader import active_profile

    return active_profile().support.residence_authorities


def non_punishment_recipient_kinds() -> tuple[str, ...]:
    """Organisation types (profile codes) that receive the note on non-punishment: the
    profile's `support.non_punishment_recipients` (France: prosecutors' offices)."""
    from opennrm.profiles.loader import active_profile

    return active_profile().support.non_punishment_recipients


class ResidenceOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RefusalReason(models.TextChoices):
    EXPLOITATION_ABROAD = "exploitation_abroad", _("The exploitation took place abroad")
    OFFENCE_NOT_CHARACTERISED = (
        "offence_not_characterised",
        _("The offence on the complaint receipt is not characterised as trafficking"),
    )
    NO_COMPLAINT = "no_complaint", _("No complaint or testimony")
    PROCEEDINGS_CLOSED = "proceedings_closed", _("Proceedings closed, or no conviction")
    PUBLIC_ORDER = "public_order", _("Threat to public order")
    INCOMPLETE_FILE = "incomplete_file", _("Incomplete file")
    OTHER = "other", _("Other reason")


def residence_bases() -> list[tuple[str, str]]:
    """The profile's legal bases of the residence pathway, then asylum (a separate path)."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as gettext_now

    from opennrm.profiles.loader import active_profile

    profile = active_profile()
    language = get_language() or profile.default_language
    choices = [
        (basis.code, f"{basis.label.get(language, profile.default_language)} ({basis.reference})")
        for basis in profile.legal_bases
        if basis.code.startswith("residence_") or basis.code == "reflection_period"
    ]
    return [*choices, (ASYLUM, gettext_now("Asylum (international protection): separate path"))]


class ResidenceApplicationQuerySet(models.QuerySet["ResidenceApplication"]):
    def renewal_due(
        self,
        within_days: int,
        today: datetime.date | None = None,
        ended_within_days: int | None = None,
    ) -> "ResidenceApplicationQuerySet":
        """Permits granted that end within `within_days` (or have ended: at most
        `ended_within_days` ago when given) and are not renewed."""
        today = today or timezone.localdate()
        permits = self.filter(
            outcome=ResidenceOutcome.GRANTED,
            valid_until__isnull=False,
            valid_until__lte=today + datetime.timedelta(days=within_days),
        )
        if ended_within_days is not None:
            permits = permits.filter(
                valid_until__gte=today - datetime.timedelta(days=ended_within_days)
            )
        return permits.exclude(
            # Row by row through the renewal_of index, not a join over every application.
            Exists(ResidenceApplication.objects.filter(renewal_of=OuterRef("pk")))
        )

    def for_organisation(self, organisation: Organisation) -> "ResidenceApplicationQuerySet":
        return self.filter(case__owner=organisation)

    def in_territories(self, territories: Any) -> "ResidenceApplicationQuerySet":
        return self.filter(case__territory__in=territories)


class ResidenceApplication(models.Model):
    """An application for a residence document (or asylum), its dates and its outcome."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="residence_applications")
    basis = models.CharField(_("legal basis"), max_length=48)
    prefecture = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("residence authority"),
    )
    authority_name = models.CharField(
        _("other authority"),
        max_length=200,
        blank=True,
        help_text=_("When the authority is not in OpenNRM (e.g. the asylum office)."),
    )
    applied_on = models.DateField(_("applied on"))
    receipt_on = models.DateField(_("receipt issued on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=ResidenceOutcome.choices,
        default=ResidenceOutcome.PENDING,
    )
    refusal_reason = models.CharField(
        _("reason for refusal"), max_length=32, choices=RefusalReason.choices, blank=True
    )
    refusal_details = EncryptedTextField(_("details of the refusal"), blank=True, max_length=4000)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    renewal_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renewal of"),
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ResidenceApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("residence application")
        verbose_name_plural = _("residence applications")
        ordering: ClassVar = ["-applied_on", "-pk"]
        indexes: ClassVar = [models.Index(fields=["outcome", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.basis} {self.outcome}"

    @property
    def basis_label(self) -> str:
        return dict(residence_bases()).get(self.basis, self.basis)

    @property
    def authority(self) -> str:
        return self.prefecture.name if self.prefecture is not None else self.authority_name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.basis not in dict(residence_bases()):
            errors["basis"] = _("Unknown legal basis for this profile.")
        if self.prefecture_id is None and not self.authority_name.strip():
            errors["prefecture"] = _("Choose the authority, or name it if it is not in OpenNRM.")
        if self.prefecture is not None and self.prefecture.kind not in residence_authority_kinds():
            errors["prefecture"] = _(
                "Residence applications are not lodged with this organisation."
            )
        if self.decided_on and self.applied_on and self.decided_on < self.applied_on:
            errors["decided_on"] = _("The decision comes before the application.")
        if self.receipt_on and self.applied_on and self.receipt_on < self.applied_on:
            errors["receipt_on"] = _("The receipt comes before the application.")
        if self.outcome == ResidenceOutcome.REFUSED and not self.refusal_reason:
            errors["refusal_reason"] = _("Record the reason given for the refusal.")
        if self.outcome != ResidenceOutcome.REFUSED and self.refusal_reason:
            errors["refusal_reason"] = _("Only a refusal has a reason for refusal.")
        if self.refusal_reason == RefusalReason.OTHER and not self.refusal_details.strip():
            errors["refusal_details"] = _("Describe the reason given.")
        if self.outcome == ResidenceOutcome.GRANTED and not self.valid_until:
            errors["valid_until"] = _("Give the end of validity: renewal reminders depend on it.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end of validity comes before its start.")
        if self.outcome != ResidenceOutcome.PENDING and not self.decided_on:
            errors["decided_on"] = _("Give the date of the decision.")
        if errors:
            raise ValidationError(errors)


# Non-punishment --------------------------------------------------------------------------


class ConstraintFactor(models.TextChoices):
    ORDERED = "ordered", _("Ordered by the exploiters as part of the exploitation")
    THREATS = "threats", _("Threats or violence against the person or their family")
    DEBT = "debt_bondage", _("Debt bondage")
    DOCUMENTS = "documents_confiscated", _("Identity documents confiscated")
    CONTROL = "control", _("Control of movements and communications")
    DEPENDENCE = "dependence", _("Dependence on the exploiters (housing, money, status)")
    DECEPTION = "deception", _("Deception about the work or the situation")
    CHILD = "child", _("The person was a child at the time")


class NonPunishmentOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    NOT_PROSECUTED = "not_prosecuted", _("No prosecution")
    DISCONTINUED = "discontinued", _("Proceedings discontinued")
    NOT_RESPONSIBLE = "not_responsible", _("Recognised as not criminally responsible")
    CONVICTED = "convicted", _("Convicted")
    OTHER = "other", _("Other")


class NonPunishmentRecord(models.Model):
    """Offences the person was compelled to commit, the constraint, and what became of them."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="non_punishment_records")
    offences = EncryptedTextField(
        _("offences the person was compelled to commit"),
        max_length=4000,
        help_text=_("One per line: the offence, when and where."),
    )
    circumstances = EncryptedTextField(
        _("circumstances of the constraint"),
        max_length=8000,
        help_text=_("How the exploiters compelled the person (modus operandi)."),
    )
    factors = models.JSONField(_("factors of constraint"), default=list, blank=True)
    prosecutor = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prosecutor's office"),
    )
    proceedings_reference = EncryptedCharField(
        _("reference of the proceedings"), max_length=100, blank=True
    )
    asylum_safeguard = models.BooleanField(
        _("asylum safeguard"),
        default=True,
        help_text=_(
            "Offences committed as a consequence of the exploitation must not be held against "
            "the person's claim for international protection."
        ),
    )
    note_sent_on = models.DateField(_("note sent on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=NonPunishmentOutcome.choices,
        default=NonPunishmentOutcome.PENDING,
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    outcome_details = EncryptedTextField(_("details of the outcome"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("non-punishment record")
        verbose_name_plural = _("non-punishment records")
        ordering: ClassVar = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.outcome}"

    @property
    def factor_labels(self) -> list[str]:
        return [
            str(ConstraintFactor(code).label) if code in ConstraintFactor.values else code
            for code in self.factors
        ]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        unknown = [code for code in self.factors if code not in ConstraintFactor.values]
        if unknown:
            errors["factors"] = _("Unknown factors: %(codes)s") % {"codes": ", ".join(unknown)}
        if (
            self.prosecutor is not None
            and self.prosecutor.kind not in non_punishment_recipient_kinds()
        ):
            errors["prosecutor"] = _("The note on non-punishment is not sent to this organisation.")
        if self.outcome != NonPunishmentOutcome.PENDING and not self.outcome_on:
            errors["outcome_on"] = _("Give the date of the outcome.")
        if self.outcome == NonPunishmentOutcome.OTHER and not self.outcome_details.strip():
            errors["outcome_details"] = _("Describe the outcome.")
        if errors:
            raise ValidationError(errors)


# Compensation and labour rights ----------------------------------------------------------


class ClaimKind(models.TextChoices):
    COMPENSATION_COMMISSION = (
        "compensation_commission",
        _("Victims' compensation commission"),
    )
    CIVIL_PARTY = "civil_party", _("Civil party in criminal proceedings")
    LABOUR_COURT = "labour_court", _("Labour court (unpaid wages)")
    OTHER = "other", _("Other claim")


class ClaimOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    AWARDED = "awarded", _("Awarded")
    SETTLED = "settled", _("Settled")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LegalAid(models.TextChoices):
    NOT_REQUESTED = "not_requested", _("Not requested")
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class CompensationClaim(models.Model):
    """A claim for compensation of the harm suffered, including unpaid wages."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="compensation_claims")
    kind = models.CharField(_("type of claim"), max_length=32, choices=ClaimKind.choices)
    body_name = models.CharField(
        _("court or commission"), max_length=200, help_text=_("Its name and place.")
    )
    lodged_on = models.DateField(_("lodged on"), null=True, blank=True)
    amount_claimed = models.DecimalField(
        _("amount claimed"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_awarded = models.DecimalField(
        _("amount awarded"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    legal_aid = models.CharField(
        _("legal aid"), max_length=16, choices=LegalAid.choices, default=LegalAid.NOT_REQUESTED
    )
    lawyer = models.CharField(_("lawyer or legal aid service"), max_length=200, blank=True)
    stay_of_removal_needed = models.BooleanField(
        _("a stay of removal is needed to pursue the claim"), default=False
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ClaimOutcome.choices, default=ClaimOutcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")
        ordering: ClassVar = ["-recorded_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(amount_claimed__isnull=True) | Q(amount_claimed__gte=0))
                & (Q(amount_awarded__isnull=True) | Q(amount_awarded__gte=0)),
                name="claim_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.outcome}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        zero = decimal.Decimal(0)
        for field in ("amount_claimed", "amount_awarded"):
            value = getattr(self, field)
            if value is not None and value < zero:
                errors[field] = _("An amount cannot be negative.")
        if self.amount_awarded is not None and self.outcome not in {
            ClaimOutcome.AWARDED,
            ClaimOutcome.SETTLED,
        }:
            errors["amount_awarded"] = _("An amount is awarded only when the claim succeeds.")
        if self.outcome != ClaimOutcome.PENDING and not self.decided_on:
            errors["decided_on"] = _("Give the date of the decision.")
        if self.decided_on and self.lodged_on and self.decided_on < self.lodged_on:
            errors["decided_on"] = _("The decision comes before the claim.")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            errors["currency"] = _("Give the currency's three-letter code (e.g. EUR).")
        if errors:
            raise ValidationError(errors)


# Closure and follow-up -------------------------------------------------------------------


class ClosureReason(models.TextChoices):
    SELF_RELIANCE = "self_reliance", _("The person is self-reliant")
    CHOSEN_RETURN = "chosen_return", _("Return chosen by the person")
    TRANSFERRED = "transferred", _("Transferred to another organisation or country")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    DECEASED = "deceased", _("The person died")
    WITHDREW = "withdrew", _("The person withdrew from support")


class SupportClosureQuerySet(models.QuerySet["SupportClosure"]):
    def in_force(self) -> "SupportClosureQuerySet":
        return self.filter(reopened_at__isnull=True)

    def follow_up_due(
        self, within_days: int = 0, today: datetime.date | None = None
    ) -> "SupportClosureQuerySet":
        """Closed support whose follow-up date has come (or comes within `within_days`)."""
        today = today or timezone.localdate()
        return self.in_force().filter(
            followed_up_on__isnull=True,
            follow_up_on__isnull=False,
            follow_up_on__lte=today + datetime.timedelta(days=within_days),
        )


class SupportClosure(models.Model):
    """Support closed with a reason and a follow-up date; reopening keeps the record."""

    support = models.ForeignKey(SupportRecord, on_delete=models.PROTECT, related_name="closures")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="support_closures")
    reason = models.CharField(_("reason"), max_length=16, choices=ClosureReason.choices)
    closed_on = models.DateField(_("closed on"))
    follow_up_on = models.DateField(_("follow-up on"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    transferred_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to"),
    )
    note = EncryptedTextField(_("note"), blank=True, max_length=4000)
    best_interests = EncryptedTextField(
        _("best interests of the child"), blank=True, max_length=4000
    )
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)
    reopened_at = models.DateTimeField(_("reopened on"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = EncryptedTextField(_("reason for reopening"), blank=True, max_length=4000)

    objects = SupportClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure of support")
        verbose_name_plural = _("closures of support")
        ordering: ClassVar = ["-closed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason} {self.closed_on}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.reason != ClosureReason.DECEASED and not self.follow_up_on:
            errors["follow_up_on"] = _("Set a date to follow up with the person.")
        if self.reason == ClosureReason.DECEASED and self.follow_up_on:
            errors["follow_up_on"] = _("No follow-up after a death.")
        if self.follow_up_on and self.closed_on and self.follow_up_on < self.closed_on:
            errors["follow_up_on"] = _("The follow-up comes after the closure.")
        if self.case_id is not None and self.case.child and not self.best_interests.strip():
            errors["best_interests"] = _(
                "For a child, say why closing support serves the child's best interests."
            )
        if errors:
            raise ValidationError(errors)
