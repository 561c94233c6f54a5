"""Decision deadlines: the step of each route, the paused clock, due-soon and overdue lists."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from opennrm.core.models import Territory
from opennrm.core.timeframes import add_days, is_working_day
from opennrm.identification.models import Referral, ReferralQuerySet, Route
from opennrm.profiles.loader import active_profile

DUE_SOON_DAYS = 7


def decision_step(route: str) -> str:
    """The profile timeframe that bounds a decision by this route."""
    return "judicial_decision" if route == Route.JUDICIAL else "platform_decision"


def paused_days(
    paused_on: datetime.date, resumed_on: datetime.date, unit: str, territory: Territory | None
) -> int:
    """Days the clock stood still, in the timeframe's unit: calendar days, or the working days
    after the pause up to and including the day it resumed."""
    if resumed_on <= paused_on:
        return 0
    if unit == "calendar":
        return (resumed_on - paused_on).days
    day, count = paused_on, 0
    while day < resumed_on:
        day += datetime.timedelta(days=1)
        if is_working_day(day, territory):
            count += 1
    return count


def extended_due(
    due: datetime.date,
    paused_on: datetime.date,
    resumed_on: datetime.date,
    route: str,
    territory: Territory | None,
) -> tuple[datetime.date, int]:
    """The decision deadline moved by the days the clock was paused, and how many days."""
    timeframe = active_profile().timeframes[decision_step(route)]
    days = paused_days(paused_on, resumed_on, timeframe.unit, territory)
    if days == 0:
        return due, 0
    return add_days(due, days, timeframe.unit, territory), days


@dataclass
class DeadlineLists:
    overdue: list[Referral] = field(default_factory=list)
    due_soon: list[Referral] = field(default_factory=list)
    paused: list[Referral] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.paused)


def deadline_queries(
    referrals: ReferralQuerySet, today: datetime.date | None = None, days: int = DUE_SOON_DAYS
) -> dict[str, ReferralQuerySet]:
    """The three deadline lists of some referrals, most urgent first, not yet read: "overdue",
    "due_soon" and "paused"."""
    today = today or timezone.localdate()
    base = referrals.select_related("case", "case__territory", "target").order_by(
        "decision_due", "pk"
    )
    return {
        "overdue": base.decision_overdue(today),
        "due_soon": base.decision_due_within(days, today),
        "paused": base.pending().filter(paused_since__isnull=False),
    }


def deadline_lists(
    referrals: ReferralQuerySet, today: datetime.date | None = None, days: int = DUE_SOON_DAYS
) -> DeadlineLists:
    """The three lists read whole (for a service's own referrals: a few)."""
    queries = deadline_queries(referrals, today, days)
    return DeadlineLists(
        overdue=list(queries["overdue"]),
        due_soon=list(queries["due_soon"]),
        paused=list(queries["paused"]),
    )
