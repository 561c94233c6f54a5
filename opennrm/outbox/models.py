"""The outbox: every e-mail the application sends, written in the transaction of what it tells
and delivered by the worker (ADR 0015)."""

import datetime
import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.crypto.fields import EncryptedJSONField


class OutgoingEmailQuerySet(models.QuerySet["OutgoingEmail"]):
    def claimable(self, now: datetime.datetime) -> "OutgoingEmailQuerySet":
        """Waiting and due, or claimed by a sender that did not finish in time (it died)."""
        return self.filter(
            Q(status=OutgoingEmail.PENDING, next_attempt_at__lte=now)
            | Q(status=OutgoingEmail.SENDING, claimed_until__lt=now)
        )


class OutgoingEmail(models.Model):
    """One e-mail to deliver. `message` (sender, recipients, subject, body, alternatives,
    headers) is encrypted like every field about a person (ADR 0008) and erased as soon as the
    mail server accepted it; the row itself is deleted `OPENNRM_OUTBOX_KEEP_DAYS` after it was
    queued. `key`, when the sender gives one, makes queueing idempotent: a second message with
    the same key is not queued (a job run twice sends its e-mail once); it holds codes and ids,
    never an address."""

    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by one sender until `claimed_until`
    SENT = "sent"  # accepted by the mail server
    FAILED = "failed"  # out of attempts: shown to the operator, not tried again on its own
    STATUSES: ClassVar = [
        (PENDING, _("waiting")),
        (SENDING, _("being sent")),
        (SENT, _("sent")),
        (FAILED, _("failed")),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    message = EncryptedJSONField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=STATUSES, default=PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering: ClassVar = ["queued_at"]
        indexes: ClassVar = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.pk} {self.status}"
