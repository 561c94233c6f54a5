"""The case file shared by every step: the person, the case, who may see it, consent, events."""

import datetime
import secrets
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.audit.trail import record
from opennrm.cases.enums import (
    CaseClosingReason,
    ConsentMethod,
    ConsentScope,
    DetectionChannel,
    FormerOwnerAccess,
    IdentificationStatus,
    Sex,
    ShareReason,
    TransferKind,
    TransferReason,
    TransferStatus,
)
from opennrm.cases.notifications import notify_consent_withdrawn
from opennrm.core import plausible
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory, User
from opennrm.crypto.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField

# Crockford's base 32 without look-alikes: references are read over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ADULT_AGE = 18


def new_reference(prefix: str) -> str:
    """A random reference that reveals nothing (no date, no sequence, no place)."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def _actor(actor: Actor) -> tuple[User | None, Organisation | None]:
    user = actor.user if actor.is_authenticated else None
    membership = actor.membership
    return user, (membership.organisation if membership is not None else None)


class Person(models.Model):
    """A person who may be a victim. Identity fields are shown only to those who need them.

    Names, aliases, date of birth and gender identity are encrypted at rest; estimated age, sex
    and nationalities stay in clear for statistics (ADR 0008). Every save refreshes the
    person's blind-index tokens (`PersonIndexToken`), used to find duplicates.
    """

    pseudonym = models.CharField(_("pseudonym"), max_length=32, unique=True)
    given_names = EncryptedCharField(_("given names"), max_length=150, blank=True)
    family_name = EncryptedCharField(_("family name"), max_length=150, blank=True)
    aliases = EncryptedCharField(_("aliases"), max_length=300, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"),
        null=True,
        blank=True,
        help_text=_("When the date of birth is not known."),
    )
    may_be_child = models.BooleanField(
        _("may be a child"),
        default=False,
        help_text=_("Age uncertain with reasons to believe the person is under 18."),
    )
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = EncryptedCharField(_("gender identity"), max_length=100, blank=True)
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    IDENTITY_FIELDS: ClassVar[tuple[str, ...]] = (
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

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes: ClassVar = [
            # Search by the beginning of a pseudonym (LIKE 'P-AB%' through an index whatever
            # the database's collation: varchar_pattern_ops on PostgreSQL).
            models.Index(
                fields=["pseudonym"],
                name="cases_person_pseudonym_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    # The fields the blind index is computed from.
    INDEXED_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"given_names", "family_name", "aliases", "date_of_birth"}
    )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.pseudonym:
            self.pseudonym = new_reference("P")
        update_fields = kwargs.get("update_fields")
        with transaction.atomic():
            super().save(*args, **kwargs)
            if update_fields is None or self.INDEXED_FIELDS & set(update_fields):
                from opennrm.cases.duplicates import refresh_index

                refresh_index(self)

    def clean_fields(self, exclude: Any = None) -> None:
        # A new person gets its pseudonym before validation (full_clean runs before save).
        if not self.pseudonym:
            self.pseudonym = new_reference("P")
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        from opennrm.cases.reference_data import invalid_countries, invalid_languages

        errors: dict[str, Any] = {}
        try:
            plausible.date_of_birth(self.date_of_birth)
        except ValidationError as error:
            errors["date_of_birth"] = error.messages
        try:
            plausible.age(self.estimated_age)
        except ValidationError as error:
            errors["estimated_age"] = error.messages
        if bad := invalid_countries(self.nationalities):
            errors["nationalities"] = _("Unknown country codes: %(codes)s") % {
                "codes": ", ".join(bad)
            }
        if bad := invalid_languages(self.languages):
            errors["languages"] = _("Unknown language codes: %(codes)s") % {"codes": ", ".join(bad)}
        if errors:
            raise ValidationError(errors)

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is not None:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        return self.estimated_age


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, organisation: Organisation) -> "CaseQuerySet":
        """Cases the organisation created, or that were shared with it and not revoked.

        A service provider's orientation share does not open the case file: the provider sees
        only what the orientation needs, through the support package's own access functions.
        """
        return self.filter(Q(owner=organisation) | Q(pk__in=self.shared_with(organisation)))

    def shared_with(self, organisation: Organisation) -> "models.QuerySet[CaseShare, Any]":
        """A subquery of the ids of the cases shared with the organisation (not for an
        orientation) and not revoked."""
        return (
            CaseShare.objects.filter(organisation=organisation, revoked_at__isnull=True)
            .exclude(reason=ShareReason.ORIENTATION)
            .values("case_id")
        )

    def in_territories(self, territories: Any) -> "CaseQuerySet":
        return self.filter(territory__in=territories)

    def awaiting_referral_consent(self) -> "CaseQuerySet":
        """Adult presumed victims without a consent to referral in force (a child's referral
        rests on the guardian's consultation, not on a consent)."""
        consent = Consent.objects.filter(
            case_id=OuterRef("pk"), scope=ConsentScope.REFERRAL, withdrawn_at__isnull=True
        )
        return self.filter(status=IdentificationStatus.PRESUMED_VICTIM, child=False).exclude(
            Exists(consent)
        )

    def assessment_overdue(self, today: datetime.date | None = None) -> "CaseQuerySet":
        """Preliminary assessments not concluded by their due date (closed cases wait for
        nothing)."""
        return self.filter(
            status=IdentificationStatus.PRELIMINARY_ASSESSMENT,
            assessment_due__lt=today or timezone.localdate(),
        ).exclude(Exists(CaseClosure.objects.in_force().filter(case_id=OuterRef("pk"))))


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    IdentificationStatus.PRELIMINARY_ASSESSMENT: frozenset(
        {IdentificationStatus.PRESUMED_VICTIM, IdentificationStatus.NOT_PRESUMED}
    ),
    IdentificationStatus.NOT_PRESUMED: frozenset(
        {IdentificationStatus.PRELIMINARY_ASSESSMENT, IdentificationStatus.PRESUMED_VICTIM}
    ),
    IdentificationStatus.PRESUMED_VICTIM: frozenset(
        {IdentificationStatus.IDENTIFIED_VICTIM, IdentificationStatus.NOT_IDENTIFIED}
    ),
    IdentificationStatus.NOT_IDENTIFIED: frozenset({IdentificationStatus.IDENTIFIED_VICTIM}),
    IdentificationStatus.IDENTIFIED_VICTIM: frozenset(),
}


class TransitionError(ValidationError):
    """A state change that the rules do not allow; the message says why, for the user."""


class Case(models.Model):
    """One person's path through the mechanism. The identification status moves only by
    `transition`; support is tracked apart (opennrm.support)."""

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("responsible organisation"),
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="cases", verbose_name=_("département")
    )
    status = models.CharField(
        _("identification status"),
        max_length=32,
        choices=IdentificationStatus.choices,
        default=IdentificationStatus.PRELIMINARY_ASSESSMENT,
    )
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    sector = models.CharField(_("sector of activity"), max_length=100, blank=True)
    places = EncryptedTextField(_("places of exploitation"), blank=True)
    period_start = models.DateField(_("exploitation from"), null=True, blank=True)
    period_end = models.DateField(_("exploitation until"), null=True, blank=True)
    channel = models.CharField(_("how detected"), max_length=32, choices=DetectionChannel.choices)
    detected_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="detected_cases",
        verbose_name=_("detected by"),
    )
    detected_on = models.DateField(_("detected on"))
    age_at_detection = models.PositiveSmallIntegerField(
        _("age at detection"), null=True, blank=True
    )
    child = models.BooleanField(_("child rules apply"), default=False)
    assessment_due = models.DateField(_("preliminary assessment due"), null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering: ClassVar = ["-opened_at"]
        indexes: ClassVar = [
            models.Index(fields=["status", "assessment_due"]),
            # The case list reads an organisation's cases newest first (VisibleCaseList).
            models.Index(fields=["owner", "-opened_at", "-id"], name="cases_case_owner_opened"),
            # Search and the case picker by the beginning of a reference (see Person's).
            models.Index(
                fields=["reference"],
                name="cases_case_reference_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.reference:
            self.reference = new_reference("C")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from opennrm.profiles.loader import active_profile

        unknown = [
            code for code in self.forms if active_profile().form_of_exploitation(code) is None
        ]
        if unknown:
            raise ValidationError(
                {
                    "forms": _("Unknown forms of exploitation: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )
        errors: dict[str, Any] = {}
        for name in ("period_start", "period_end"):
            try:
                plausible.exploitation_date(getattr(self, name))
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end comes before the start.")})

    def refresh_age(self) -> None:
        """Age at detection decides child or adult rules (uncertain age: the child is presumed)."""
        age = self.person.age_on(self.detected_on)
        self.age_at_detection = age
        self.child = (age is not None and age < ADULT_AGE) or (
            age is None and self.person.may_be_child
        )

    @property
    def is_presumed_or_identified(self) -> bool:
        return self.status in {
            IdentificationStatus.PRESUMED_VICTIM,
            IdentificationStatus.IDENTIFIED_VICTIM,
        }

    @property
    def is_closed(self) -> bool:
        """Closed before support opened (CaseClosure in force); support's closure is apart."""
        return CaseClosure.objects.in_force().filter(case_id=self.pk).exists()

    def can_transition(self, target: str) -> bool:
        return target in ALLOWED_TRANSITIONS.get(self.status, frozenset())

    def transition(self, target: str, *, actor: Actor, reason: str = "") -> "CaseEvent":
        """Change the identification status: checked, logged, audited, in one transaction."""
        with transaction.atomic():
            current = Case.objects.select_for_update(of=("self",)).get(pk=self.pk)
            if current.is_closed:
                raise TransitionError(_("This case is closed: reopen it first."))
            if not current.can_transition(target):
                raise TransitionError(
                    _("A case cannot go from “%(source)s” to “%(target)s”.")
                    % {
                        "source": current.get_status_display(),
                        "target": IdentificationStatus(target).label,
                    }
                )
            source = current.status
            Case.objects.filter(pk=self.pk).update(status=target)
            self.status = target
            event = CaseEvent.log(
                self, f"status.{target}", actor=actor, source=source, target=target, note=reason
            )
            record(
                "case.transition",
                target=self,
                actor=actor,
                details={"from": source, "to": target},
            )
        return event

    def active_consent(
        self, scope: str, organisation: Organisation | None = None
    ) -> "Consent | None":
        consents = self.consents.filter(scope=scope, withdrawn_at__isnull=True)
        if organisation is not None:
            consents = consents.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        return consents.order_by("-given_on").first()

    def share_with(
        self,
        organisation: Organisation,
        reason: str,
        *,
        actor: Actor,
        consent: "Consent | None" = None,
        identity: bool = False,
    ) -> "CaseShare":
        """Open the case to another organisation. An adult's data moves only with consent."""
        if not self.child and reason not in {ShareReason.COORDINATION} and consent is None:
            raise TransitionError(
                _("The person has not consented to sharing their data with this organisation.")
            )
        if consent is not None and consent.withdrawn_at is not None:
            raise TransitionError(_("This consent was withdrawn."))
        with transaction.atomic():
            share, _created = CaseShare.objects.update_or_create(
                case=self,
                organisation=organisation,
                reason=reason,
                revoked_at__isnull=True,
                defaults={
                    "consent": consent,
                    "identity": identity,
                    "granted_by": _actor(actor)[0],
                },
            )
            CaseEvent.log(
                self,
                "share.granted",
                actor=actor,
                details={"organisation": organisation.pk, "reason": reason},
            )
            record(
                "case.share",
                target=self,
                actor=actor,
                details={"organisation": organisation.pk, "reason": reason, "identity": identity},
            )
        return share


class CaseShare(models.Model):
    """Another organisation's access to a case, and why. Revoked, it gives nothing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_shares"
    )
    reason = models.CharField(max_length=32, choices=ShareReason.choices)
    identity = models.BooleanField(_("may see the person's identity"), default=False)
    consent = models.ForeignKey(
        "Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="shares"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The case's opening, copied (it never changes): an organisation's shared cases are listed
    # newest first through the index below, a page at a time (VisibleCaseList).
    case_opened_at = models.DateTimeField(editable=False)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["organisation", "revoked_at"]),
            models.Index(
                fields=["organisation", "-case_opened_at", "-case"],
                condition=models.Q(revoked_at__isnull=True),
                name="cases_share_org_opened",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.case_opened_at is None:
            self.case_opened_at = self.case.opened_at
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.case_id} → {self.organisation_id} ({self.reason})"


class Consent(models.Model):
    """The person's informed consent: to be referred, or to have data shared with one body."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("consent to"), max_length=16, choices=ConsentScope.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation named"),
    )
    method = models.CharField(_("how it was given"), max_length=16, choices=ConsentMethod.choices)
    given_on = models.DateTimeField(_("given on"), default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering: ClassVar = ["-given_on"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.case})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def clean(self) -> None:
        if self.scope == ConsentScope.SHARE and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("Name the organisation data may be shared with.")}
            )

    def withdraw(self, *, actor: Actor) -> None:
        """Withdrawal takes effect at once: every share that relied on it is revoked."""
        user, _org = _actor(actor)
        with transaction.atomic():
            now = timezone.now()
            updated = Consent.objects.filter(pk=self.pk, withdrawn_at__isnull=True).update(
                withdrawn_at=now, withdrawn_by=user
            )
            if not updated:
                raise TransitionError(_("This consent was already withdrawn."))
            self.withdrawn_at = now
            live = CaseShare.objects.filter(consent=self, revoked_at__isnull=True)
            losing = set(live.values_list("organisation_id", flat=True))
            revoked = live.update(revoked_at=now)
            CaseEvent.log(
                self.case,
                "consent.withdrawn",
                actor=actor,
                details={"consent": self.pk, "shares_revoked": revoked},
            )
            record(
                "consent.withdraw",
                target=self,
                actor=actor,
                details={"case": self.case_id, "shares_revoked": revoked},
            )
            if self.organisation_id is not None:
                losing.add(self.organisation_id)
            notify_consent_withdrawn(
                reference=self.case.reference,
                owner_id=self.case.owner_id,
                shared_with=losing,
                actor_user_id=user.pk if user is not None else None,
            )


class CaseEvent(models.Model):
    """The case's timeline and transition log: what happened, when, by whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=64)
    source = models.CharField(max_length=32, blank=True)
    target = models.CharField(max_length=32, blank=True)
    note = EncryptedTextField(blank=True)  # reasons given for a transition: a narrative
    details = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["at", "pk"]

    @classmethod
    def log(
        cls,
        case: Case,
        kind: str,
        *,
        actor: Actor,
        source: str = "",
        target: str = "",
        note: str = "",
        details: dict[str, Any] | None = None,
    ) -> "CaseEvent":
        user, organisation = _actor(actor)
        return cls.objects.create(
            case=case,
            kind=kind,
            source=source,
            target=target,
            note=note,
            details=details or {},
            actor=user,
            organisation=organisation,
        )

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class PersonIndexToken(models.Model):
    """One blind-index token of a person: a keyed hash of a normalised name token, full name,
    phonetic key, trigram or date of birth (opennrm.crypto.blind). Equal tokens reveal equal
    values to the database without revealing the values (ADR 0008)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="index_tokens")
    kind = models.CharField(max_length=16)
    token = models.CharField(max_length=32)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["token"], name="cases_person_index_token")]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person", "kind", "token"], name="one_index_token_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"


class PossibleMatch(models.Model):
    """The person of this case may already be known to another organisation.

    Only that organisation is kept and shown: nothing of the other record (no reference, no
    pseudonym, no identity) crosses. The two organisations talk, and data moves only with the
    person's consent.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="possible_matches")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation to contact"),
    )
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        ordering: ClassVar = ["found_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="one_possible_match_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.organisation_id}"


class CaseClosureQuerySet(models.QuerySet["CaseClosure"]):
    def in_force(self) -> "CaseClosureQuerySet":
        return self.filter(reopened_at__isnull=True)


class CaseClosure(models.Model):
    """A case closed before support ever opened (not presumed a victim, withdrawn, contact
    lost…), with a reason; the retention clock starts from `closed_on`. Reopening keeps the
    record. Closing supported cases is support's (opennrm.support.closure)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(_("reason"), max_length=16, choices=CaseClosingReason.choices)
    closed_on = models.DateField(_("closed on"))
    note = EncryptedTextField(_("note"), blank=True, max_length=2000)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)
    reopened_at = models.DateTimeField(_("reopened on"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = EncryptedTextField(_("reason for reopening"), blank=True, max_length=2000)

    objects = CaseClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure of a case")
        verbose_name_plural = _("closures of cases")
        ordering: ClassVar = ["-closed_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(reopened_at__isnull=True),
                name="one_case_closure_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason} {self.closed_on}"

    def clean(self) -> None:
        if self.reason == CaseClosingReason.OTHER and not self.note.strip():
            raise ValidationError({"note": _("Say why the case is closed.")})


class SafeContact(models.Model):
    """How the person can be reached safely: a telephone, an address, or only through an
    organisation; the language, the safe times, and what must never be done (write to the
    address; call or leave messages), with the precautions in the professional's words.

    One per case, recorded by the responsible organisation's field staff
    (opennrm.cases.safe_contact); every contact detail and narrative is encrypted (ADR 0008).
    Read through `opennrm.cases.access.get_safe_contact` (those who may see the identity) and
    `opennrm.support.access.safe_contact_for_provider` (what a provider needs) only.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safe_contact")
    phone = EncryptedCharField(_("telephone"), max_length=60, blank=True)
    address = EncryptedTextField(_("postal address"), max_length=500, blank=True)
    through_organisation = models.BooleanField(
        _("only through an organisation"),
        default=False,
        help_text=_("The person is reached only through the organisation named below."),
    )
    contact_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact organisation"),
    )
    contact_organisation_other = EncryptedCharField(
        _("other contact organisation or person, and how to reach them"),
        max_length=300,
        blank=True,
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    safe_times = EncryptedCharField(_("safe times"), max_length=300, blank=True)
    do_not_write = models.BooleanField(_("do not write to this address"), default=False)
    do_not_call = models.BooleanField(_("do not call, do not leave messages"), default=False)
    precautions = EncryptedTextField(_("precautions"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The fields a form writes, in the order the page shows them.
    FIELDS: ClassVar[tuple[str, ...]] = (
        "phone",
        "address",
        "through_organisation",
        "contact_organisation",
        "contact_organisation_other",
        "preferred_language",
        "safe_times",
        "do_not_write",
        "do_not_call",
        "precautions",
    )
    # Contact details that reach the person directly: for those who may see the identity.
    COORDINATES: ClassVar[frozenset[str]] = frozenset({"phone", "address"})

    class Meta:
        verbose_name = _("safe contact")
        verbose_name_plural = _("safe contacts")

    def __str__(self) -> str:
        return f"{self.case_id}"

    def clean(self) -> None:
        from opennrm.cases.reference_data import invalid_languages

        errors: dict[str, Any] = {}
        if (
            self.through_organisation
            and self.contact_organisation_id is None
            and not self.contact_organisation_other.strip()
        ):
            errors["contact_organisation"] = _(
                "Name the organisation through which the person is reached."
            )
        if self.preferred_language and invalid_languages([self.preferred_language]):
            errors["preferred_language"] = _("Unknown language code.")
        if errors:
            raise ValidationError(errors)


from opennrm.cases.enums import EvidenceKind, FileFormat  # noqa: E402 (appended: issue #12)


class Evidence(models.Model):
    """A document attached to the case: a medical certificate, the receipt of a complaint, a
    copy of an identity document, a photograph, a letter (opennrm.cases.evidence).

    The file is checked by its content, images re-encoded without their metadata (location,
    camera), then encrypted with the field keys before it reaches the evidence storage
    (`STORAGES["evidence"]`) under a random name that says nothing. The original file name,
    the description and the document's date are encrypted here (ADR 0008); the kind and the
    format are codes. Deleting the row deletes the stored file once the transaction commits.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("type of document"), max_length=32, choices=EvidenceKind.choices)
    document_date = EncryptedDateField(_("date of the document"), null=True, blank=True)
    description = EncryptedTextField(_("description"), max_length=1000, blank=True)
    file_name = EncryptedCharField(_("file name"), max_length=100)
    file_format = models.CharField(_("format"), max_length=8, choices=FileFormat.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    # The name in the evidence storage: random, unique, meaningless.
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    uploaded_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        verbose_name = _("piece of evidence")
        verbose_name_plural = _("evidence")
        ordering: ClassVar = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} #{self.pk}"

    def clean(self) -> None:
        if self.document_date and self.document_date > timezone.localdate():
            raise ValidationError({"document_date": _("The date cannot be in the future.")})


def _delete_stored_evidence(sender: type[Evidence], instance: Evidence, **_kwargs: Any) -> None:
    """Whatever deletes the row (removal, anonymisation, a cascade), the file goes too."""
    from opennrm.cases.evidence import delete_stored_file

    delete_stored_file(instance.storage_name)


models.signals.post_delete.connect(
    _delete_stored_evidence, sender=Evidence, dispatch_uid="opennrm.cases.evidence.delete_file"
)


class CaseTransferQuerySet(models.QuerySet["CaseTransfer"]):
    def pending(self) -> "CaseTransferQuerySet":
        return self.filter(status=TransferStatus.PENDING)

    def awaiting(self, organisation: Organisation) -> "CaseTransferQuerySet":
        """Pending transfers this organisation decides on: proposals made to it, and requests
        to take a case it is responsible for."""
        return self.pending().filter(
            Q(kind=TransferKind.PROPOSAL, to_organisation=organisation)
            | Q(kind=TransferKind.REQUEST, from_organisation=organisation)
        )

    def involving(self, organisation: Organisation) -> "CaseTransferQuerySet":
        return self.filter(Q(from_organisation=organisation) | Q(to_organisation=organisation))


class CaseTransfer(models.Model):
    """A case handed from the responsible organisation to another one (another département, a
    national network, a better-placed association), as in Primero's transfer and transfer
    request: proposed by the responsible organisation or asked for by the receiving one, and
    done only once both agreed — the side that did not ask accepts. An adult's consent to the
    transfer (`consent`) and to the former organisation keeping read-only access
    (`former_access_consent`) are `Consent`s of the case; a child's transfer needs the guardian
    consulted instead. Actions: opennrm.cases.transfer; reads: opennrm.cases.access.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("asked by"), max_length=16, choices=TransferKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation before the transfer"),
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving organisation"),
    )
    from_territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("département before")
    )
    to_territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("département after")
    )
    reason = models.CharField(_("reason"), max_length=16, choices=TransferReason.choices)
    explanation = EncryptedTextField(_("explanation"), blank=True, max_length=2000)
    # Set when the responsible organisation agrees: at once for a proposal, on acceptance for
    # a request.
    former_access = models.CharField(
        _("the former organisation's access"),
        max_length=16,
        choices=FormerOwnerAccess.choices,
        blank=True,
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    former_access_consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guardian_consulted = models.BooleanField(_("guardian consulted"), default=False)
    asked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("reasons for declining"), blank=True, max_length=2000)
    former_share = models.ForeignKey(
        CaseShare, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer of a case")
        verbose_name_plural = _("transfers of cases")
        ordering: ClassVar = ["-asked_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["to_organisation", "status"], name="cases_transfer_to_status"),
            models.Index(fields=["from_organisation", "status"], name="cases_transfer_from_status"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_transfer_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_organisation_id} → {self.to_organisation_id}"

    @property
    def deciding_organisation_id(self) -> int:
        """The side that did not ask decides."""
        if self.kind == TransferKind.PROPOSAL:
            return int(self.to_organisation_id)
        return int(self.from_organisation_id)

    @property
    def asking_organisation_id(self) -> int:
        if self.kind == TransferKind.PROPOSAL:
            return int(self.from_organisation_id)
        return int(self.to_organisation_id)

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PENDING

    @property
    def moves_territory(self) -> bool:
        return self.from_territory_id != self.to_territory_id
