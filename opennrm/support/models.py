"""Protection and support, opened at presumed victim: never waiting for identification."""

import datetime
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.cases.models import Case
from opennrm.core.models import Organisation, User


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
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.recorded_at:%Y-%m-%d}"
