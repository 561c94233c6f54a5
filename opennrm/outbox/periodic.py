"""Periodic job of the outbox (found by opennrm.core.scheduling.autodiscover)."""

import datetime

from opennrm.core.scheduling import Every, PeriodicJob, register
from opennrm.outbox.tasks import deliver_outbox

# Every minute: the messages due (a retry after a failure, or any whose immediate delivery
# was not queued), and the purge of old rows. Each transaction that queues an e-mail also
# queues a delivery when it commits, so this one mostly finds nothing to do.
DELIVERY = register(
    PeriodicJob(
        name="outbox.deliver",
        task=deliver_outbox,
        schedule=Every(datetime.timedelta(minutes=1)),
        grace=datetime.timedelta(minutes=5),
    )
)
