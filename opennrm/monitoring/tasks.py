"""Background job of monitoring (django-tasks): keep the counts per département fresh."""

import logging

from django_tasks import task

from opennrm.monitoring.counts import refresh

logger = logging.getLogger(__name__)


@task()
def refresh_counts() -> int:
    """Count what is overdue and due soon in every département; returns the rows kept. Safe to
    run twice: each run replaces every count."""
    kept = refresh()
    logger.info("Monitoring: %s counts kept.", kept)
    return kept
