"""Formal identification: it starts with the referral sent by preliminary identification."""

import datetime
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.cases.models import Case, Consent
from opennrm.core.models import Organisation, User


class Route(models.TextChoices):
    JUDICIAL = "judicial", _("Judicial route (complaint or testimony)")
    PLATFORM = "platform", _("Département platform (without judicial cooperation)")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def pending(self) -> "ReferralQuerySet":
        return self.filter(status__in=[ReferralStatus.SENT, ReferralStatus.RECEIVED])

    def decision_overdue(self, today: datetime.date | None = None) -> "ReferralQuerySet":
        return self.pending().filter(decision_due__lt=today or timezone.localdate())


class Referral(models.Model):
    """A case referred to formal identification by the route the person chose."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
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

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering: ClassVar = ["-referred_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.route}"
