"""Periodic job of monitoring (found by opennrm.core.scheduling.autodiscover)."""

import datetime

from opennrm.core.scheduling import Every, PeriodicJob, register
from opennrm.monitoring.counts import REFRESH_EVERY
from opennrm.monitoring.tasks import refresh_counts

# Every 5 minutes: the national and départemental counts of the overdue and deadlines pages. A
# missed period is not caught up: the next one counts everything again.
REFRESH = register(
    PeriodicJob(
        name="monitoring.refresh_counts",
        task=refresh_counts,
        schedule=Every(REFRESH_EVERY),
        grace=datetime.timedelta(minutes=5),
    )
)
