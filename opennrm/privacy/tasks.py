"""Background job of data protection (django-tasks): retention, once a day."""

import datetime
import logging
from typing import Any

from django_tasks import task

from opennrm.core.acting import Actor
from opennrm.privacy.retention import RETENTION_PROCESS, run_retention

logger = logging.getLogger(__name__)


@task()
def apply_retention(today: str | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Archive and anonymise closed cases, and erase the content of concerns closed at triage
    without a case, past their retention periods. Returns the counts (no personal data)."""
    day = datetime.date.fromisoformat(today) if today else None
    report = run_retention(day, dry_run=dry_run, actor=Actor.system(RETENTION_PROCESS))
    details = report.as_details()
    logger.info("Retention%s: %s", " (dry run)" if dry_run else "", details)
    return details
