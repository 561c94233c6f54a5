"""Background job of recognition (django-tasks): reminders before expiries, and the lapse of
expired recognitions."""

import logging

from django.utils import timezone
from django_tasks import task

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.recognition.actions import lapse_expired
from opennrm.recognition.reminders import send_reminders

logger = logging.getLogger(__name__)
PROCESS = "recognition_expiry"


@task()
def recognition_expiry() -> int:
    """Daily. Safe to run twice: a reminder is sent once, a lapsed recognition is no longer in
    force."""
    today = timezone.localdate()
    actor = Actor.system(PROCESS)
    lapsed = lapse_expired(today, actor)
    sent = send_reminders(today)
    record(
        "recognition.reminders_sent",
        object_type="recognition.recognition",
        actor=actor,
        details={"day": today.isoformat(), "reminders": sent, "lapsed": lapsed},
    )
    logger.info("Recognition: %s reminders sent, %s lapsed.", sent, lapsed)
    return sent
