"""Periodic job of detection (found by opennrm.core.scheduling.autodiscover)."""

import datetime
from typing import Any

from opennrm.core.scheduling import Daily, PeriodicJob, register
from opennrm.detection.tasks import send_triage_reminders

REMINDER_TIME = datetime.time(7, 0)


def _for_day(day: datetime.date) -> dict[str, Any]:
    return {"today": day.isoformat()}


# Every morning: the concerns to triage due by tomorrow or overdue. Run twice the same day,
# nobody is reminded twice.
TRIAGE_REMINDERS = register(
    PeriodicJob(
        name="detection.triage_reminders",
        task=send_triage_reminders,
        schedule=Daily(REMINDER_TIME),
        arguments=_for_day,
    )
)
