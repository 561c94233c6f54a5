"""Formal identification: it starts with the referral sent by preliminary identification.

Two routes, one status. The judicial route records a complaint or testimony and the decision of
the police, gendarmerie or labour inspection service. The platform route is examined by the
département's multi-actor platform: conflicts of interest, an optional interview, votes, and the
chair's decision, valid only with quorum and mix. Both end in the same `IdentificationDecision`.
"""

import datetime
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.cases.enums import all_file_items
from opennrm.cases.models import Case, Consent
from opennrm.core.models import Membership, Organisation, Territory, User
from opennrm.crypto.fields import EncryptedCharField, EncryptedTextField
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile


class Route(models.TextChoices):
    JUDICIAL = "judicial", _("Judicial route (complaint or testimony)")
    PLATFORM = "platform", _("Département platform (without judicial cooperation)")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def in_force(self) -> "ReferralQuerySet":
        """Not withdrawn, and the adult's consent it rests on not withdrawn either."""
        return self.exclude(status=ReferralStatus.WITHDRAWN).exclude(
            consent__withdrawn_at__isnull=False
        )

    def pending(self) -> "ReferralQuerySet":
        return self.filter(status__in=[ReferralStatus.SENT, ReferralStatus.RECEIVED])

    def running(self) -> "ReferralQuerySet":
        """Pending, and the clock is not paused by a question to the referring organisation."""
        return self.pending().filter(paused_since__isnull=True)

    def decision_overdue(self, today: datetime.date | None = None) -> "ReferralQuerySet":
        return self.running().filter(decision_due__lt=today or timezone.localdate())

    def decision_due_within(
        self, days: int, today: datetime.date | None = None
    ) -> "ReferralQuerySet":
        """Due today or in the next `days` days, not yet overdue."""
        today = today or timezone.localdate()
        return self.running().filter(
            decision_due__gte=today, decision_due__lte=today + datetime.timedelta(days=days)
        )


class Referral(models.Model):
    """A case referred to formal identification by the route the person chose.

    A reconsideration is a referral too (platform route, `reconsideration_of` the negative
    decision), examined without the members who took that decision.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    # The case's département when it was referred. A case awaiting a decision cannot be
    # transferred (cases.transfer), so for a pending referral this is the case's département:
    # the deadline lists and counts select pending referrals on it without reading the cases.
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    target = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("referred to"),
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    referred_at = models.DateTimeField(auto_now_add=True)
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    referring_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    decision_due = models.DateField(_("decision due"))
    received_at = models.DateTimeField(null=True, blank=True)
    # The clock stops while the referring organisation answers a question of the platform.
    paused_since = models.DateField(_("clock paused since"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days paused"), default=0)
    reconsideration_of = models.OneToOneField(
        "IdentificationDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconsideration",
        verbose_name=_("reconsideration of"),
    )
    new_elements = EncryptedTextField(_("new elements"), blank=True, max_length=8000)
    # What travels beyond the preliminary assessment (FileItem codes): what the person agreed to
    # share, checked by the referring worker before sending.
    file_items = models.JSONField(_("parts of the file shared"), default=all_file_items, blank=True)
    # Documents of the case the person did not want shared with this referral (their ids); the
    # others, and those added later, travel while the documents are a part shared.
    withheld_evidence = models.JSONField(_("documents withheld"), default=list, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering: ClassVar = ["-referred_at"]
        indexes: ClassVar = [
            models.Index(fields=["route", "status", "decision_due"]),
            models.Index(
                fields=["territory", "status", "decision_due"], name="referral_pending_by_unit"
            ),
            # What waits for a coordination (its dashboard's overdue count): without it, a
            # parallel scan of every referral, 150 ms at 1,000,000 cases.
            models.Index(
                fields=["target", "status", "decision_due"], name="referral_pending_by_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.route}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.territory_id is None and self.case_id is not None:
            self.territory_id = Case.objects.values_list("territory_id", flat=True).get(
                pk=self.case_id
            )
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.status in {ReferralStatus.SENT, ReferralStatus.RECEIVED}

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def is_reconsideration(self) -> bool:
        return self.reconsideration_of_id is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (
            self.is_pending
            and not self.is_paused
            and self.decision_due < (today or timezone.localdate())
        )


# Département platforms -------------------------------------------------------------------


class Profession(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PHYSICIAN = "physician", _("Physician")
    ASSOCIATION = "association", _("Association")
    TRADE_UNION = "trade_union", _("Trade union")
    OTHER = "other", _("Other")


class CompositionSector(models.TextChoices):
    """How a member counts in the platform's mix."""

    INSTITUTION = "institution", _("Institution")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


def composition_sector(organisation_kind: str) -> str:
    """Institutions and coordination bodies count as institutions; associations, trade unions
    and services (physicians, psychologists, lawyers) as civil society. Unknown: neither."""
    kind = active_profile().organisation_type(organisation_kind)
    if kind is None:
        return ""
    if kind.sector in {"institution", "coordination"}:
        return CompositionSector.INSTITUTION
    return CompositionSector.CIVIL_SOCIETY


class Platform(models.Model):
    """The multi-actor platform of one local unit (a département), chaired by its coordinator."""

    territory = models.OneToOneField(
        Territory,
        on_delete=models.PROTECT,
        related_name="identification_platform",
        verbose_name=_("département"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("département platform")
        verbose_name_plural = _("département platforms")
        ordering: ClassVar = ["territory__code"]

    def __str__(self) -> str:
        return str(self.territory)


class PlatformMemberQuerySet(models.QuerySet["PlatformMember"]):
    def active(self) -> "PlatformMemberQuerySet":
        return self.filter(
            removed_at__isnull=True,
            membership__is_active=True,
            membership__user__is_active=True,
        )


class PlatformMember(models.Model):
    """A seat on a platform: a user acting for an organisation (one of their memberships).

    The chair is whoever holds the chair capability (the local coordinator). The chair may
    designate deputy chairs among the members (`is_deputy_chair`): a deputy acts as the chair
    only on a case every chair is excluded from (see composition.acting_chair_ids, ADR 0010).
    """

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="members")
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="platform_seats"
    )
    profession = models.CharField(_("profession"), max_length=16, choices=Profession.choices)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_deputy_chair = models.BooleanField(_("deputy chair"), default=False)

    objects = PlatformMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform member")
        verbose_name_plural = _("platform members")
        ordering: ClassVar = ["added_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["platform", "membership"],
                condition=Q(removed_at__isnull=True),
                name="one_active_seat_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform_id} {self.membership_id}"

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation

    @property
    def sector(self) -> str:
        return composition_sector(self.membership.organisation.kind)

    @property
    def sector_label(self) -> str:
        return str(CompositionSector(self.sector).label) if self.sector else "—"

    @property
    def is_chair(self) -> bool:
        return self.membership.can(Capability.CHAIR_PLATFORM)

    @property
    def is_deputy(self) -> bool:
        """Designated deputy chair (a chair's own seat is never a deputy's)."""
        return self.is_deputy_chair and not self.is_chair

    @property
    def is_active(self) -> bool:
        return (
            self.removed_at is None and self.membership.is_active and self.membership.user.is_active
        )


class ConflictDeclaration(models.Model):
    """A member declares a conflict of interest for one case: excluded from it from then on."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="conflicts")
    member = models.ForeignKey(PlatformMember, on_delete=models.PROTECT, related_name="conflicts")
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["referral", "member"], name="one_conflict_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.member_id}"


class Interview(models.Model):
    """The optional interview by designated members; their report joins the file."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="interview")
    interviewers = models.ManyToManyField(PlatformMember, related_name="interviews")
    designated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    designated_at = models.DateTimeField(default=timezone.now)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    report = EncryptedTextField(_("interview report"), blank=True, max_length=12000)
    reported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.referral_id}"


class VoteChoice(models.TextChoices):
    IDENTIFIED = "identified", _("Identified as a victim")
    NOT_IDENTIFIED = "not_identified", _("Not identified")
    MORE_INFORMATION = "more_information", _("More information needed")


class Vote(models.Model):
    """One member's vote on one case, with reasons; it can be changed until the decision."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(PlatformMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=16, choices=VoteChoice.choices)
    reasons = EncryptedTextField(_("reasons"), max_length=8000)
    sector = models.CharField(max_length=16, choices=CompositionSector.choices, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["cast_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["referral", "member"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.member_id} {self.choice}"


class InformationRequest(models.Model):
    """“More information needed”: a question to the referring organisation; the decision clock
    stops until it is answered."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="information_requests"
    )
    question = EncryptedTextField(_("question"), max_length=4000)
    asked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    paused_on = models.DateField()
    answer = EncryptedTextField(_("answer"), blank=True, max_length=8000)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_for = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    resumed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["asked_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(answered_at__isnull=True),
                name="one_open_question_per_referral",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.asked_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


# Judicial route --------------------------------------------------------------------------


class StatementKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    TESTIMONY = "testimony", _("Testimony")


class JudicialRecord(models.Model):
    """The complaint or testimony received by the judicial service.

    The procedure reference is confidential: shown only to the judicial service and to the
    referring organisation (see access.can_see_procedure_reference).
    """

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="judicial_record"
    )
    kind = models.CharField(
        _("complaint or testimony"), max_length=16, choices=StatementKind.choices
    )
    recorded_on = models.DateField(_("date"))
    service = models.CharField(_("service that received it"), max_length=200)
    offence = EncryptedCharField(_("offence as qualified on the complaint receipt"), max_length=300)
    procedure_reference = EncryptedCharField(_("procedure reference"), max_length=100)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    cooperation_ended_on = models.DateField(_("cooperation ended on"), null=True, blank=True)
    cooperation_ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind}"


# The decision: one record for both routes -----------------------------------------------


class Outcome(models.TextChoices):
    IDENTIFIED = "identified", _("Identified as a victim of trafficking in human beings")
    NOT_IDENTIFIED = "not_identified", _("Not identified")


class IdentificationDecision(models.Model):
    """The formal identification decision, whichever the route. One per referral: the
    one-to-one link is the database's guarantee that a decision is taken exactly once."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="identification_decisions"
    )
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    reasons = EncryptedTextField(_("reasons"), max_length=8000)
    decided_on = models.DateField(_("decided on"))
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    chair = models.ForeignKey(
        PlatformMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voters = models.ManyToManyField(PlatformMember, blank=True, related_name="decisions_taken")
    tally = models.JSONField(default=dict, blank=True)
    status_before = models.CharField(max_length=32)
    status_after = models.CharField(max_length=32)
    reconsideration_due = models.DateField(
        _("reconsideration may be requested until"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")
        ordering: ClassVar = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.outcome}"

    @property
    def is_negative(self) -> bool:
        return self.outcome == Outcome.NOT_IDENTIFIED

    def reconsideration_open(self, today: datetime.date | None = None) -> bool:
        """Whether the referring organisation may still ask for a reconsideration."""
        return (
            self.is_negative
            and self.reconsideration_due is not None
            and (today or timezone.localdate()) <= self.reconsideration_due
            and not Referral.objects.filter(reconsideration_of=self).exists()
        )
