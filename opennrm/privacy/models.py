"""Exceptional access ("break-glass") grants and the retention stage of each case."""

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.cases.models import Case
from opennrm.core.models import Organisation, User

REASON_MIN_LENGTH = 30
REASON_MAX_LENGTH = 2000


class BreakGlassQuerySet(models.QuerySet["BreakGlassGrant"]):
    def active(self, now: datetime.datetime | None = None) -> "BreakGlassQuerySet":
        """Grants in force: opened, not expired, not revoked."""
        moment = now or timezone.now()
        return self.filter(revoked_at__isnull=True, opened_at__lte=moment, expires_at__gt=moment)

    def of_owner(self, organisation: Organisation) -> "BreakGlassQuerySet":
        return self.filter(case__owner=organisation)


class BreakGlassGrant(models.Model):
    """Exceptional, time-limited access to one case by the national coordinator or the data
    protection officer, with a stated reason. Every read under it is audited; the organisation
    responsible for the case sees it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass_grants")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("acting for")
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    identity = models.BooleanField(_("includes the person's identity"), default=False)
    opened_at = models.DateTimeField(_("opened on"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires on"))
    revoked_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        verbose_name = _("exceptional access")
        verbose_name_plural = _("exceptional accesses")
        ordering: ClassVar = ["-opened_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["user", "organisation", "expires_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("opened_at")),
                name="break_glass_expires_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.opened_at:%Y-%m-%d %H:%M}"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.opened_at <= moment < self.expires_at


class RetentionStage(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Intermediate archive")
    ANONYMISED = "anonymised", _("Anonymised")


class CaseRetention(models.Model):
    """Where a case stands in its retention: active, archived (readable only under exceptional
    access), or anonymised. No row means active."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="retention")
    closed_at = models.DateTimeField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("Used when support does not record the case's closure."),
    )
    stage = models.CharField(
        _("retention stage"),
        max_length=16,
        choices=RetentionStage.choices,
        default=RetentionStage.ACTIVE,
    )
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention of a case")
        verbose_name_plural = _("retention of cases")
        indexes: ClassVar = [models.Index(fields=["stage"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage}"
