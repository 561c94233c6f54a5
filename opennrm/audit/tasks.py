"""Background job of the audit trail (django-tasks): seal the entries waiting, every minute."""

import logging

from django_tasks import task

from opennrm.audit.sealing import seal_all

logger = logging.getLogger(__name__)


@task()
def seal_audit_trail() -> int:
    """Seal every entry not sealed yet, in batches chained to the last one. Returns how many
    entries were sealed."""
    sealed = sum(batch.entry_count for batch in seal_all())
    if sealed:
        logger.info("Audit trail: %s entries sealed.", sealed)
    return sealed
