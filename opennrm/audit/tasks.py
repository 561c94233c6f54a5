"""Background jobs of the audit trail (django-tasks): seal the entries waiting, every minute;
write a checkpoint outside the database, every day."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from opennrm.audit import checkpoints
from opennrm.audit.models import ChainCheck
from opennrm.audit.sealing import seal_all
from opennrm.audit.trail import verify_chain
from opennrm.core.models import User
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

logger = logging.getLogger(__name__)


@task()
def verify_audit_trail(requested_at: str | None = None) -> dict[str, object]:
    """Walk the whole trail (entries, seals, the latest checkpoint) and keep the result for the
    audit viewer. Safe to run twice: each run adds one result."""
    requested = datetime.datetime.fromisoformat(requested_at) if requested_at else timezone.now()
    checked, broken = verify_chain()
    result = ChainCheck.objects.create(
        requested_at=requested,
        finished_at=timezone.now(),
        entries_checked=checked,
        broken_entry=broken.entry_id if broken else None,
        reason=broken.reason if broken else "",
    )
    if broken:
        logger.error("Audit trail broken at entry %s: %s", broken.entry_id, broken.reason)
    return {"checked": checked, "broken_entry": result.broken_entry}


@task()
def seal_audit_trail() -> int:
    """Seal every entry not sealed yet, in batches chained to the last one. Returns how many
    entries were sealed."""
    sealed = sum(batch.entry_count for batch in seal_all())
    if sealed:
        logger.info("Audit trail: %s entries sealed.", sealed)
    return sealed


def _audit_readers() -> list[str]:
    """E-mail addresses of the active members whose role reads the audit trail (DPOs)."""
    roles = [
        role.code for role in active_profile().roles if Capability.READ_AUDIT in role.capabilities
    ]
    users = User.objects.filter(
        is_active=True, memberships__is_active=True, memberships__role__in=roles
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


@task()
def write_audit_checkpoint(today: str | None = None) -> dict[str, object]:
    """Seal what waits, then keep the newest seal outside the database: the checkpoint file,
    the log, and an e-mail to the data protection officers (through the outbox, which a mail
    server down does not fail). Run again the same day (a retry, a worker that died), it
    appends a newer checkpoint — every line of the file stays true — and queues no second
    e-mail for `today`."""
    day = today or timezone.localdate().isoformat()
    checkpoint = checkpoints.current()
    if checkpoint is None:
        return {"batch_id": None}
    checkpoints.write(checkpoint)
    sent = checkpoints.notify(checkpoint, _audit_readers(), once=day)
    return {"batch_id": checkpoint.batch_id, "entries": checkpoint.entries, "mailed": sent}
