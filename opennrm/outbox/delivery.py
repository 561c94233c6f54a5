"""Delivering the outbox (ADR 0015): claim, send, then mark sent.

A sender claims a few messages at a time with a conditional UPDATE (PENDING and due, or
SENDING with an expired claim → SENDING, claimed by it until `CLAIM_FOR` from now): of two
workers, only one gets a given message. It hands each one to the real transport
(`EMAIL_TRANSPORT`, SMTP in production), and marks it SENT only once the server accepted it,
erasing its content in the same UPDATE. A refusal or a server down puts the message back for a
later attempt (`OPENNRM_OUTBOX_RETRY_SECONDS`, doubled each time, at most an hour); after
`OPENNRM_OUTBOX_MAX_ATTEMPTS` it is FAILED, logged and shown in `/health/ready/` and the admin.

A sender killed after the server accepted a message but before it marked it sent leaves a claim
that expires: the message is sent again, with the same Message-ID. That window (one UPDATE) is
the only way a message goes twice; a message is never lost.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.outbox.backend import rebuild
from opennrm.outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

OUTBOX_PROCESS = "outbox"
BATCH = 20  # messages claimed at a time
CLAIM_FOR = datetime.timedelta(minutes=15)  # longer than BATCH sends at EMAIL_TIMEOUT each
LONGEST_WAIT = datetime.timedelta(hours=1)


def retry_delay(attempts: int) -> datetime.timedelta:
    seconds = settings.OPENNRM_OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(datetime.timedelta(seconds=seconds), LONGEST_WAIT)


@dataclass
class Delivery:
    """What one delivery pass did (counts of messages)."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    purged: int = 0
    errors: set[str] = field(default_factory=set)


def claim(token: str, now: datetime.datetime, limit: int = BATCH) -> list[OutgoingEmail]:
    """Claim up to `limit` messages due now; those another sender took first are skipped."""
    candidates = list(
        OutgoingEmail.objects.claimable(now)
        .order_by("next_attempt_at", "queued_at")
        .values_list("pk", flat=True)[:limit]
    )
    claimed = []
    for pk in candidates:
        taken = (
            OutgoingEmail.objects.claimable(now)
            .filter(pk=pk)
            .update(
                status=OutgoingEmail.SENDING,
                claimed_by=token,
                claimed_until=now + CLAIM_FOR,
                attempts=F("attempts") + 1,
            )
        )
        if taken:
            claimed.append(pk)
    return list(
        OutgoingEmail.objects.filter(pk__in=claimed, claimed_by=token).order_by("queued_at")
    )


def _mark_sent(email: OutgoingEmail, token: str, actor: Actor) -> bool:
    with transaction.atomic():
        marked = OutgoingEmail.objects.filter(
            pk=email.pk, claimed_by=token, status=OutgoingEmail.SENDING
        ).update(
            status=OutgoingEmail.SENT,
            sent_at=timezone.now(),
            message=None,
            claimed_by="",
            claimed_until=None,
            last_error="",
        )
        if marked:
            record(
                "outbox.sent",
                object_type="outbox.outgoingemail",
                object_id=str(email.pk),
                actor=actor,
                details={"attempts": email.attempts},
            )
    if not marked:
        logger.warning("E-mail %s sent, but its claim had expired meanwhile.", email.pk)
    return bool(marked)


def _mark_failed_attempt(
    email: OutgoingEmail, token: str, error: str, actor: Actor, now: datetime.datetime
) -> str:
    """Back in the queue for later, or FAILED when out of attempts; returns the new status."""
    out_of_attempts = email.attempts >= settings.OPENNRM_OUTBOX_MAX_ATTEMPTS
    status = OutgoingEmail.FAILED if out_of_attempts else OutgoingEmail.PENDING
    with transaction.atomic():
        marked = OutgoingEmail.objects.filter(
            pk=email.pk, claimed_by=token, status=OutgoingEmail.SENDING
        ).update(
            status=status,
            next_attempt_at=now + retry_delay(email.attempts),
            claimed_by="",
            claimed_until=None,
            last_error=error[:200],
        )
        if marked and out_of_attempts:
            record(
                "outbox.failed",
                object_type="outbox.outgoingemail",
                object_id=str(email.pk),
                actor=actor,
                details={"attempts": email.attempts, "error": error[:200]},
            )
    if out_of_attempts:
        logger.error(
            "E-mail %s not delivered after %s attempts (%s): set aside. Send it again from the "
            "admin (Outbox: outgoing e-mails) once the mail server works.",
            email.pk,
            email.attempts,
            error,
        )
    else:
        logger.warning(
            "E-mail %s not delivered (attempt %s: %s); next attempt in %s.",
            email.pk,
            email.attempts,
            error,
            retry_delay(email.attempts),
        )
    return status


def _count(done: Delivery, status: str) -> None:
    if status == OutgoingEmail.FAILED:
        done.failed += 1
    else:
        done.retrying += 1


def send_claimed(claimed: list[OutgoingEmail], token: str, actor: Actor, done: Delivery) -> None:
    """Hand the claimed messages to the transport over one connection."""
    now = timezone.now()
    try:
        connection = get_connection(settings.EMAIL_TRANSPORT, fail_silently=False)
        connection.open()
    except Exception as error:  # the server is down: every claimed message waits
        done.errors.add(type(error).__name__)
        for email in claimed:
            _count(done, _mark_failed_attempt(email, token, type(error).__name__, actor, now))
        return
    try:
        for email in claimed:
            try:
                accepted = connection.send_messages([rebuild(email.message)])
            except Exception as error:  # refused, or the connection dropped: try again later
                done.errors.add(type(error).__name__)
                _count(done, _mark_failed_attempt(email, token, type(error).__name__, actor, now))
                connection.close()  # a fresh connection for the next message
                continue
            if accepted:
                done.sent += _mark_sent(email, token, actor)
            else:
                _count(done, _mark_failed_attempt(email, token, "NotAccepted", actor, now))
    finally:
        connection.close()


def deliver_due(actor: Actor, now: datetime.datetime | None = None) -> Delivery:
    """Send every message due, BATCH at a time, then purge the old rows."""
    done = Delivery()
    token = uuid.uuid4().hex
    while claimed := claim(token, now or timezone.now()):
        send_claimed(claimed, token, actor, done)
        if done.errors:  # the server is failing: the others wait for their next attempt
            break
    done.purged = purge(actor, now)
    return done


def purge(actor: Actor, now: datetime.datetime | None = None) -> int:
    """Delete the rows sent or failed more than OPENNRM_OUTBOX_KEEP_DAYS days ago (a sent
    message's content is erased when it is sent already)."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.OPENNRM_OUTBOX_KEEP_DAYS)
    with transaction.atomic():
        purged, _by_model = OutgoingEmail.objects.filter(
            status__in=[OutgoingEmail.SENT, OutgoingEmail.FAILED], queued_at__lt=before
        ).delete()
        if purged:
            record(
                "outbox.purged",
                object_type="outbox.outgoingemail",
                actor=actor,
                details={"rows": purged, "before": before.isoformat()},
            )
    return purged


def requeue(actor: Actor, emails: list[OutgoingEmail]) -> int:
    """Put failed messages back in the queue, with all their attempts (the admin's action)."""
    count = 0
    with transaction.atomic():
        for email in emails:
            updated = OutgoingEmail.objects.filter(
                pk=email.pk, status=OutgoingEmail.FAILED, message__isnull=False
            ).update(status=OutgoingEmail.PENDING, attempts=0, next_attempt_at=timezone.now())
            if updated:
                record(
                    "outbox.requeued",
                    object_type="outbox.outgoingemail",
                    object_id=str(email.pk),
                    actor=actor,
                )
                count += 1
    return count


@dataclass(frozen=True)
class Backlog:
    failed: int
    oldest_waiting: datetime.datetime | None


def backlog(now: datetime.datetime | None = None) -> Backlog:
    """What the readiness check reports: messages set aside, and the oldest still waiting."""
    failed = OutgoingEmail.objects.filter(status=OutgoingEmail.FAILED).count()
    waiting = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.PENDING, OutgoingEmail.SENDING]
    ).aggregate(oldest=Min("queued_at"))["oldest"]
    return Backlog(failed=failed, oldest_waiting=waiting)
