"""Periodic job of core (found by opennrm.core.scheduling.autodiscover)."""

import datetime

from opennrm.core.scheduling import Daily, PeriodicJob, register
from opennrm.core.tasks import housekeeping

# Every day at 03:45: job results, scheduler records and form keys past their keeping. A missed
# day is not caught up: the next run prunes everything due.
HOUSEKEEPING = register(
    PeriodicJob(
        name="core.housekeeping",
        task=housekeeping,
        schedule=Daily(datetime.time(3, 45)),
        grace=datetime.timedelta(hours=20),
    )
)
