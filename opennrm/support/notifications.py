"""In-app notifications of protection and support (and their e-mails, as each person chose).
No personal data: codes and dates only; an urgent orientation is marked urgent.

Messages are English sources marked with gettext_noop and translated when shown.
"""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext_noop

from opennrm.core.models import Notification, Organisation
from opennrm.core.notifying import app_path, holders, remind_daily
from opennrm.profiles.capabilities import Capability
from opennrm.support.models import Orientation, OrientationStatus, Urgency

ORIENTATION_RECEIVED = gettext_noop(
    "An orientation was sent to your organisation: answer it before %(due)s."
)
URGENT_ORIENTATION_RECEIVED = gettext_noop(
    "An urgent orientation was sent to your organisation: answer it before %(due)s."
)


def is_urgent(orientation: Orientation) -> bool:
    """Immediate (today) and urgent (within 48 hours) orientations are urgent."""
    return orientation.urgency != Urgency.ROUTINE


def notify_orientation_received(orientation: Orientation) -> int:
    """The provider's staff who answer orientations."""
    urgent = is_urgent(orientation)
    due = orientation.response_due
    return Notification.send(
        holders([Capability.PROVIDE_SERVICES], organisations=[orientation.provider]),
        kind="support.orientation_received",
        message=URGENT_ORIENTATION_RECEIVED if urgent else ORIENTATION_RECEIVED,
        params={"due": due.isoformat() if due else ""},
        link=app_path("web:orientation_received", orientation.pk),
        urgent=urgent,
    )


ORIENTATIONS_DUE = gettext_noop(
    "Orientations awaiting your organisation's answer due soon or overdue: %(count)s."
)
ORIENTATIONS_DUE_KIND = "support.orientation_due"
DUE_SOON_DAYS = 1  # due today or tomorrow, or overdue


def orientations_waiting(day: datetime.date) -> dict[int, int]:
    """User id → how many orientations sent to their organisation await its answer and are
    due by tomorrow or overdue (the provider's staff who answer orientations)."""
    due = (
        Orientation.objects.filter(
            status=OrientationStatus.SENT,
            response_due__lte=day + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        .values("provider_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    waiting: dict[int, int] = defaultdict(int)
    for row in due:
        users = holders(
            [Capability.PROVIDE_SERVICES],
            organisations=Organisation.objects.filter(pk=row["provider_id"]),
        )
        for user_id in users.values_list("pk", flat=True):
            waiting[user_id] += row["n"]
    return dict(waiting)


def remind_orientations_due(day: datetime.date) -> int:
    return remind_daily(
        kind=ORIENTATIONS_DUE_KIND,
        message=ORIENTATIONS_DUE,
        waiting=orientations_waiting(day),
        link=app_path("web:orientations_received"),
        day=day,
        process="orientation_reminders",
    )
