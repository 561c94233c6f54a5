"""Periodic jobs of data protection (found by opennrm.core.scheduling.autodiscover)."""

import datetime

from opennrm.core.scheduling import Daily, PeriodicJob, register
from opennrm.privacy.tasks import apply_retention

RETENTION_TIME = datetime.time(1, 30)

# Every night: archive, then anonymise, closed cases past the profile's periods, and erase the
# content of concerns closed at triage without a case past theirs (as of the day the worker
# runs it). A night missed is caught up the next morning, within the grace; a later
# run catches up anyway, since each run applies every period that has passed.
RETENTION = register(
    PeriodicJob(
        name="privacy.retention",
        task=apply_retention,
        schedule=Daily(RETENTION_TIME),
        grace=datetime.timedelta(hours=20),
    )
)
