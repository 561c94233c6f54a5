"""Periodic jobs of core (found by opennrm.core.scheduling.autodiscover)."""

import datetime
from typing import Any

from opennrm.core.scheduling import Daily, PeriodicJob, register
from opennrm.core.tasks import housekeeping, send_notification_digests

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

DIGEST_TIME = datetime.time(6, 30)


def _for_day(day: datetime.date) -> dict[str, Any]:
    return {"today": day.isoformat()}


# Every morning: the daily digest of notifications, for that day even if the worker runs it
# late. Run twice the same day, nobody gets two digests.
NOTIFICATION_DIGESTS = register(
    PeriodicJob(
        name="core.notification_digests",
        task=send_notification_digests,
        schedule=Daily(DIGEST_TIME),
        arguments=_for_day,
    )
)
