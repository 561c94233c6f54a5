"""Periodic jobs of formal identification (found by opennrm.core.scheduling.autodiscover)."""

import datetime
from typing import Any

from opennrm.core.scheduling import Daily, PeriodicJob, register
from opennrm.identification.tasks import send_decision_reminders

REMINDER_TIME = datetime.time(7, 0)


def _for_day(day: datetime.date) -> dict[str, Any]:
    return {"today": day.isoformat()}


# Every morning: the decisions due within DUE_SOON_DAYS or overdue, for that day, even if the
# worker runs it late. Run twice the same day, nobody is reminded twice.
DECISION_REMINDERS = register(
    PeriodicJob(
        name="identification.decision_reminders",
        task=send_decision_reminders,
        schedule=Daily(REMINDER_TIME),
        arguments=_for_day,
    )
)
