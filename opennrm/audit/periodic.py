"""Periodic job of the audit trail (found by opennrm.core.scheduling.autodiscover)."""

import datetime

from opennrm.audit.sealing import SEAL_EVERY
from opennrm.audit.tasks import seal_audit_trail, verify_audit_trail, write_audit_checkpoint
from opennrm.core.scheduling import Daily, Every, PeriodicJob, register

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

# Every day: the newest seal kept outside the database (checkpoint file, log, e-mail to the
# data protection officers), so that cutting the trail's tail is seen (opennrm.audit.checkpoints).
CHECKPOINT = register(
    PeriodicJob(
        name="audit.checkpoint",
        task=write_audit_checkpoint,
        schedule=Daily(datetime.time(2, 15)),
        arguments=lambda day: {"today": day.isoformat()},
        grace=datetime.timedelta(hours=20),
    )
)

# Every 6 hours: the whole trail verified (minutes at national scale), the result kept for the
# audit viewer (opennrm.audit.models.ChainCheck).
VERIFICATION = register(
    PeriodicJob(
        name="audit.verify",
        task=verify_audit_trail,
        schedule=Every(datetime.timedelta(hours=6)),
        grace=datetime.timedelta(hours=6),  # any period not run yet is run
    )
)
