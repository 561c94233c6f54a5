"""Periodic job of support (found by opennrm.core.scheduling.autodiscover)."""

import datetime
from typing import Any

from opennrm.core.scheduling import Daily, PeriodicJob, register
from opennrm.support.tasks import send_orientation_reminders

REMINDER_TIME = datetime.time(7, 0)


def _for_day(day: datetime.date) -> dict[str, Any]:
    return {"today": day.isoformat()}


# Every morning: the orientations awaiting an answer due by tomorrow or overdue. Run twice the
# same day, nobody is reminded twice.
ORIENTATION_REMINDERS = register(
    PeriodicJob(
        name="support.orientation_reminders",
        task=send_orientation_reminders,
        schedule=Daily(REMINDER_TIME),
        arguments=_for_day,
    )
)
