"""In-app notifications of detection (and their e-mails, as each person chose). No personal
data: the concern's reference only.

Messages are English sources marked with gettext_noop and translated when shown.
"""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext_noop

from opennrm.core.models import Notification, Territory
from opennrm.core.notifying import app_path, holders, remind_daily
from opennrm.detection.models import Concern
from opennrm.profiles.capabilities import Capability

CONCERN_TO_TRIAGE = gettext_noop(
    "Concern %(reference)s was received for your département: triage it before %(due)s."
)


def notify_concern_to_triage(concern: Concern) -> int:
    """The local coordinators of the organisations covering the concern's département (who
    may triage it: `detection.access`)."""
    return Notification.send(
        holders([Capability.TRIAGE], covering=concern.territory),
        kind="detection.concern_to_triage",
        message=CONCERN_TO_TRIAGE,
        params={
            "reference": concern.reference,
            "due": concern.triage_due.isoformat() if concern.triage_due else "",
        },
        link=app_path("web:concern", concern.reference),
    )


TRIAGE_DUE = gettext_noop("Concerns to triage due soon or overdue: %(count)s.")
TRIAGE_DUE_KIND = "detection.triage_due"
DUE_SOON_DAYS = 1  # due today or tomorrow, or overdue


def triage_waiting(day: datetime.date) -> dict[int, int]:
    """User id → how many concerns awaiting triage in their scope are due by tomorrow or
    overdue (the local coordinators of the organisations covering each concern's
    département)."""
    due = (
        Concern.objects.to_triage()
        .filter(triage_due__lte=day + datetime.timedelta(days=DUE_SOON_DAYS))
        .values("territory_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_territory = {row["territory_id"]: row["n"] for row in due}
    waiting: dict[int, int] = defaultdict(int)
    for territory_id, count in sorted(per_territory.items()):
        territory = Territory.objects.get(pk=territory_id)
        for user_id in holders([Capability.TRIAGE], covering=territory).values_list(
            "pk", flat=True
        ):
            waiting[user_id] += count
    return dict(waiting)


def remind_triage_due(day: datetime.date) -> int:
    return remind_daily(
        kind=TRIAGE_DUE_KIND,
        message=TRIAGE_DUE,
        waiting=triage_waiting(day),
        link=app_path("web:concerns"),
        day=day,
        process="triage_reminders",
    )
