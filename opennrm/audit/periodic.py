"""Periodic job of the audit trail (found by opennrm.core.scheduling.autodiscover)."""

import datetime

from opennrm.audit.sealing import SEAL_EVERY
from opennrm.audit.tasks import seal_audit_trail
from opennrm.core.scheduling import Every, PeriodicJob, register

# Every minute: the entries appended since the last seal are sealed as one batch. A period missed
# (scheduler stopped) is not caught up on its own: the next one seals everything waiting.
SEALING = register(
    PeriodicJob(
        name="audit.seal",
        task=seal_audit_trail,
        schedule=Every(SEAL_EVERY),
        grace=datetime.timedelta(minutes=5),
    )
)
