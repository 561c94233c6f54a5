"""Reminders before a recognition or its cooperation agreement expires, to the competent body
and to the organisation's administrators: once per recognition, expiry and delay
(`ExpiryReminder`), so the daily job may run twice."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from opennrm.core.models import Membership, Notification, User
from opennrm.core.notifying import app_path
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile
from opennrm.recognition.models import ExpiryReminder, Recognition

KIND = "recognition.expiry"
MESSAGES = {
    "recognition": gettext_noop("A recognition of an authorised reporter expires soon."),
    "agreement": gettext_noop("A cooperation agreement with an authorised reporter expires soon."),
}


def competent_body_users() -> list[User]:
    roles = [
        role.code for role in active_profile().roles if Capability.RECOGNISE in role.capabilities
    ]
    return list(
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(role__in=roles)
        ).distinct()
    )


def _administrators(organisation_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(
                organisation_id=organisation_id, is_admin=True
            )
        ).distinct()
    )


def due(today: datetime.date) -> list[tuple[Recognition, str, datetime.date, int]]:
    """(recognition, subject, expiry, days before) of every reminder due today or missed: the
    smallest delay reached, not sent yet."""
    delays = sorted(active_profile().recognition.reminder_days)
    if not delays:
        return []
    horizon = today + datetime.timedelta(days=max(delays))
    found = []
    recognitions = Recognition.objects.in_force().filter(
        expires_on__range=(today, horizon)
    ) | Recognition.objects.in_force().filter(agreement_expires_on__range=(today, horizon))
    sent = set(
        ExpiryReminder.objects.filter(recognition__in=recognitions).values_list(
            "recognition_id", "subject", "expires_on", "days_before"
        )
    )
    for recognition in recognitions.distinct().order_by("pk"):
        for subject, expiry in (
            ("recognition", recognition.expires_on),
            ("agreement", recognition.agreement_expires_on),
        ):
            if expiry is None or not today <= expiry <= horizon:
                continue
            left = (expiry - today).days
            reached = [days for days in delays if left <= days]
            if not reached:
                continue
            days = min(reached)
            if (recognition.pk, subject, expiry, days) not in sent:
                found.append((recognition, subject, expiry, days))
    return found


def send_reminders(today: datetime.date) -> int:
    """Send the reminders due; returns how many were sent (one per recognition and delay)."""
    body = competent_body_users()
    sent = 0
    for recognition, subject, expiry, days in due(today):
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(
                    recognition=recognition, subject=subject, expires_on=expiry, days_before=days
                )
                recipients = body + _administrators(recognition.organisation_id)
                Notification.send(
                    recipients,
                    kind=KIND,
                    message=MESSAGES[subject],
                    params={"days": (expiry - today).days},
                    link=app_path("web:recognition_history", recognition.organisation_id),
                    once=f"{KIND}:{recognition.pk}:{subject}:{days}",
                )
        except IntegrityError:  # another run sent it
            continue
        sent += 1
    return sent
