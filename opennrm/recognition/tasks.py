"""Background job of recognition (django-tasks): reminders before expiries, and the lapse of
expired recognitions."""

import datetime
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
def recognition_expiry(today: str | None = None) -> int:
    """Daily, for `today` (ISO; the scheduler gives the period's day). Safe to run twice: a
    reminder is sent once, a lapsed recognition is no longer in force."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    actor = Actor.system(PROCESS)
    lapsed = lapse_expired(day, actor)
    sent = send_reminders(day)
    record(
        "recognition.reminders_sent",
        object_type="recognition.recognition",
        actor=actor,
        details={"day": day.isoformat(), "reminders": sent, "lapsed": lapsed},
    )
    logger.info("Recognition: %s reminders sent, %s lapsed.", sent, lapsed)
    return sent
