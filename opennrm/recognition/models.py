"""A recognition of an organisation as an authorised reporter, never edited in place.

A renewal is a new record that supersedes the one in force; a withdrawal or an expiry ends it.
Each change is a `RecognitionTransition` (and an audit entry). The organisation's
`authorised_reporter`, `reporter_recognised_on` and `reporter_recognition_ref` fields, which
the rest of the code reads, follow the recognition in force (`actions.py`).
"""

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.core.models import Organisation, Territory, User

EXPIRING_WITHIN = datetime.timedelta(days=60)


class Status(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Renewed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class RecognitionQuerySet(models.QuerySet["Recognition"]):
    def in_force(self) -> "RecognitionQuerySet":
        return self.filter(status=Status.IN_FORCE)


class Recognition(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("organisation"),
    )
    reference = models.CharField(_("recognition reference"), max_length=120)
    recognised_on = models.DateField(_("recognition date"))
    expires_on = models.DateField(_("recognition expiry"), null=True, blank=True)
    forms_of_exploitation = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="recognitions", verbose_name=_("territories")
    )
    agreement_clauses = models.JSONField(_("agreement clauses"), default=list, blank=True)
    agreement_signed_on = models.DateField(
        _("cooperation agreement signed on"), null=True, blank=True
    )
    agreement_expires_on = models.DateField(
        _("cooperation agreement expiry"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_FORCE
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewed_by"
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    migrated = models.BooleanField(default=False)  # made from the organisation's former fields
    created_at = models.DateTimeField(default=timezone.now)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering: ClassVar = ["-recognised_on", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="in_force"),
                name="one_recognition_in_force",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def state(self, today: datetime.date | None = None) -> str:
        """in_force, expiring (within 60 days), expired, withdrawn or superseded."""
        today = today or timezone.localdate()
        if self.status != Status.IN_FORCE:
            return str(self.status)
        ends = self.ends_on
        if ends is not None and ends < today:
            return "expired"
        if ends is not None and ends - today <= EXPIRING_WITHIN:
            return "expiring"
        return "in_force"

    @property
    def ends_on(self) -> datetime.date | None:
        """The earlier of the recognition's and the agreement's expiry (None: unknown)."""
        dates = [d for d in (self.expires_on, self.agreement_expires_on) if d is not None]
        return min(dates) if dates else None


class Transition(models.TextChoices):
    RECOGNISED = "recognised", _("Recognised")
    RENEWED = "renewed", _("Renewed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    MIGRATED = "migrated", _("Taken over from the former record")


class RecognitionTransition(models.Model):
    """One change of a recognition: the history kept."""

    recognition = models.ForeignKey(
        Recognition, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(max_length=16, choices=Transition.choices)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.recognition_id} {self.action}"


class ExpiryReminder(models.Model):
    """A reminder sent once: before which expiry (recognition or agreement), how many days."""

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=16)  # "recognition" or "agreement"
    expires_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["recognition", "subject", "expires_on", "days_before"],
                name="one_expiry_reminder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recognition_id} {self.subject} {self.days_before}"
