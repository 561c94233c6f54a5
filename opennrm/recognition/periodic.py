"""Periodic job of recognition (found by opennrm.core.scheduling.autodiscover)."""

import datetime
from typing import Any

from opennrm.core.scheduling import Daily, PeriodicJob, register
from opennrm.recognition.tasks import recognition_expiry


def _for_day(day: datetime.date) -> dict[str, Any]:
    return {"today": day.isoformat()}


# Every morning: recognitions and agreements expiring in 60 or 14 days (the profile's
# `recognition.reminder_days`) are reminded once; those expired lapse. Run twice, nothing twice.
EXPIRY = register(
    PeriodicJob(
        name="recognition.expiry",
        task=recognition_expiry,
        schedule=Daily(datetime.time(7, 0)),
        arguments=_for_day,
    )
)
