"""Periodic job of recognition (found by opennrm.core.scheduling.autodiscover)."""

import datetime

from opennrm.core.scheduling import Daily, PeriodicJob, register
from opennrm.recognition.tasks import recognition_expiry

EXPIRY = register(
    PeriodicJob(
        name="recognition.expiry",
        task=recognition_expiry,
        schedule=Daily(datetime.time(6, 30)),
        grace=datetime.timedelta(hours=12),
    )
)
