"""Background job of the outbox (django-tasks): deliver the e-mails waiting."""

import logging

from django_tasks import task

from opennrm.core.acting import Actor
from opennrm.outbox.delivery import OUTBOX_PROCESS, deliver_due

logger = logging.getLogger(__name__)


@task()
def deliver_outbox() -> dict[str, int]:
    """Send the e-mails due, once each; returns the counts (no address, no content). Run twice,
    or by two workers at once, it sends nothing twice (messages are claimed)."""
    done = deliver_due(Actor.system(OUTBOX_PROCESS))
    if done.sent or done.retrying or done.failed:
        logger.info(
            "Outbox: %s sent, %s to try again, %s failed.", done.sent, done.retrying, done.failed
        )
    return {
        "sent": done.sent,
        "retrying": done.retrying,
        "failed": done.failed,
        "purged": done.purged,
    }
