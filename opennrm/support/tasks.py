"""Background job of support (django-tasks): reminders of orientations awaiting a provider's
answer due soon or overdue, a count and a link (no reference: e-mails leave the system)."""

import datetime

from django.utils import timezone
from django_tasks import task

from opennrm.support.notifications import remind_orientations_due


@task()
def send_orientation_reminders(today: str | None = None) -> int:
    """Remind each provider's staff, once a day, of the orientations due by tomorrow or
    overdue. Safe to run twice: who was reminded that day is not reminded again, and the
    e-mail is keyed per person and day. Returns how many people were reminded."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return remind_orientations_due(day)
