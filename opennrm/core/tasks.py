"""Background job of core (django-tasks): daily housekeeping of what the machinery keeps."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from opennrm.core import submissions
from opennrm.core.jobs import prune_results

logger = logging.getLogger(__name__)


@task()
def housekeeping() -> dict[str, int]:
    """Prune the results of finished jobs and the scheduler's records older than
    `OPENNRM_TASK_RESULTS_KEEP_DAYS`, and the create forms' keys older than a day. Safe to run
    twice: what is gone is not counted again. Returns the counts."""
    done = {**prune_results(), "form_submissions": submissions.purge()}
    logger.info(
        "Housekeeping: %(task_results)s job results, %(scheduled_runs)s scheduled runs, "
        "%(form_submissions)s form keys pruned.",
        done,
    )
    return done


@task()
def send_notification_digests(today: str | None = None) -> int:
    """The daily digest of notifications, one e-mail per person (`core.notifying`). Safe to
    run twice: each digest is recorded with its e-mail, once per person and day. Returns how
    many digests were sent."""
    from opennrm.core.notifying import send_digests

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return send_digests(day)
