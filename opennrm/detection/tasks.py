"""Background job of detection (django-tasks): reminders of concerns to triage due soon or
overdue, a count and a link (no reference: e-mails leave the system)."""

import datetime

from django.utils import timezone
from django_tasks import task

from opennrm.detection.notifications import remind_triage_due


@task()
def send_triage_reminders(today: str | None = None) -> int:
    """Remind each local coordinator, once a day, of the concerns due by tomorrow or overdue.
    Safe to run twice: who was reminded that day is not reminded again, and the e-mail is
    keyed per person and day. Returns how many people were reminded."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return remind_triage_due(day)
