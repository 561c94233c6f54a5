"""Queue the reminders of identification decisions due, by hand. The scheduler queues them every
morning (`run_scheduler`, job `identification.decision_reminders`: see periodic.py)."""

from typing import Any

from django.core.management.base import BaseCommand

from opennrm.identification.tasks import send_decision_reminders


class Command(BaseCommand):
    help = "Queue the reminders of formal identification decisions due soon or overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_decision_reminders.enqueue()
        self.stdout.write(f"Queued: {result.id}")
