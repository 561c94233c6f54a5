"""What needs the user today: one tile per kind of waiting item, with its count and a link to
the page that lists those items.

Each count is read through the same need-to-know function as the list it links to (never a
wider queryset), and is bounded: at most CAP + 1 rows are read, shown as "99+". The tiles a
role gets depend on its capabilities only, so the page's number of queries never depends on
the data.
"""

import datetime
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opennrm.cases.access import count_visible_cases, transfers_of
from opennrm.cases.enums import IdentificationStatus
from opennrm.cases.transfer import is_coordinator
from opennrm.core.acting import Actor
from opennrm.core.models import Membership
from opennrm.detection.access import concerns_for_triage
from opennrm.identification.access import deadline_scope, judicial_referrals, platform_referrals
from opennrm.identification.deadlines import DUE_SOON_DAYS
from opennrm.profiles.capabilities import Capability
from opennrm.support.access import managed_services, provider_orientations
from opennrm.support.models import OrientationStatus
from opennrm.web.monitoring.views import overdue_queries

CAP = 99  # past this, "99+": the list itself says how many
WEEK_DAYS = 7  # "this week": today and the six days after


@dataclass(frozen=True)
class Tile:
    key: str  # the tile's id in the page: dashboard-<key>
    title: Any
    count: int  # up to CAP + 1
    url: str
    hint: Any = ""  # what the items are, in a few words

    @property
    def shown(self) -> str:
        return f"{CAP}+" if self.count > CAP else str(self.count)

    @property
    def capped(self) -> bool:
        return self.count > CAP


def bounded_count(queryset: QuerySet[Any, Any]) -> int:
    """How many rows, up to CAP + 1: a LIMITed read, whatever the number."""
    return int(queryset.order_by().values("pk")[: CAP + 1].count())


def _cases_url(**filters: Any) -> str:
    return f"{reverse('web:cases')}?{urlencode(filters)}"


def overdue_count(membership: Membership, today: datetime.date) -> int:
    """The lists of the overdue page (web.monitoring.views.overdue_queries), counted."""
    return min(
        sum(bounded_count(queryset) for queryset in overdue_queries(membership, today).values()),
        CAP + 1,
    )


def tiles(actor: Actor, membership: Membership | None, today: datetime.date) -> list[Tile]:
    """The tiles of the acting membership's role, in the order of the day's work."""
    if membership is None:
        return []
    organisation = membership.organisation
    found: list[Tile] = []

    def add(key: str, title: Any, count: Callable[[], int], url: str, hint: Any = "") -> None:
        found.append(Tile(key, title, count(), url, hint))

    if membership.can(Capability.TRIAGE):
        add(
            "triage",
            _("Concerns to triage"),
            lambda: bounded_count(concerns_for_triage(actor).to_triage()),
            reverse("web:concerns"),
            _("Received and not yet triaged"),
        )
    if membership.can(Capability.REPORT):
        preliminary = IdentificationStatus.PRELIMINARY_ASSESSMENT
        add(
            "assess",
            _("Cases to assess"),
            lambda: count_visible_cases(
                actor,
                lambda cases: cases.filter(owner=organisation, status=preliminary),
                cap=CAP,
                owned_only=True,
            ),
            _cases_url(status=preliminary, owner=organisation.pk),
            _("Preliminary assessment in progress"),
        )
        add(
            "consent",
            _("Awaiting consent"),
            lambda: count_visible_cases(
                actor,
                lambda cases: cases.filter(owner=organisation).awaiting_referral_consent(),
                cap=CAP,
                owned_only=True,
            ),
            _cases_url(awaiting_consent="on", owner=organisation.pk),
            _("Presumed victims without a recorded consent to referral"),
        )
        week_end = today + datetime.timedelta(days=WEEK_DAYS - 1)
        add(
            "due-assessments",
            _("Assessments due this week"),
            lambda: count_visible_cases(
                actor,
                lambda cases: cases.filter(
                    owner=organisation,
                    status=preliminary,
                    assessment_due__gte=today,
                    assessment_due__lte=week_end,
                ),
                cap=CAP,
                owned_only=True,
            ),
            _cases_url(
                status=preliminary,
                owner=organisation.pk,
                due_from=today.isoformat(),
                due_until=week_end.isoformat(),
            ),
            _("Preliminary assessments due within seven days"),
        )
    decides = (
        Capability.SIT_ON_PLATFORM,
        Capability.TRIAGE,
        Capability.CHAIR_PLATFORM,
        Capability.JUDICIAL_IDENTIFICATION,
    )
    if any(membership.can(capability) for capability in decides):

        def decisions_due() -> int:
            scope = deadline_scope(actor)
            lists = [scope.platform, scope.coordination, scope.judicial]
            # One referral may be in two lists (a coordinator who sits on the platform): the
            # union, counted once.
            union = reduce(operator.or_, [item for item in lists if item is not None])
            return bounded_count(union.decision_due_within(DUE_SOON_DAYS, today))

        add(
            "due-decisions",
            _("Identification decisions due this week"),
            decisions_due,
            reverse("web:identification_deadlines"),
            _("Referrals whose decision falls due within seven days"),
        )
    add(
        "overdue",
        _("Overdue"),
        lambda: overdue_count(membership, today),
        reverse("web:overdue"),
        _("Past their due date: triage, assessments, decisions, answers to orientations"),
    )
    if membership.can(Capability.PROVIDE_SERVICES):
        add(
            "orientations",
            _("Orientations awaiting your answer"),
            lambda: bounded_count(
                provider_orientations(actor).filter(status=OrientationStatus.SENT)
            ),
            reverse("web:orientations_received"),
            _("Received, not yet accepted or declined"),
        )
    if membership.can(Capability.JUDICIAL_IDENTIFICATION):
        add(
            "judicial",
            _("Referrals awaiting your decision"),
            lambda: bounded_count(judicial_referrals(actor).pending()),
            reverse("web:judicial_referrals"),
            _("Received by your service, not yet decided"),
        )
    if is_coordinator(membership):
        add(
            "transfers",
            _("Transfers awaiting your decision"),
            lambda: bounded_count(transfers_of(actor).awaiting(organisation)),
            reverse("web:transfers"),
            _("Cases proposed to your organisation, or asked of it"),
        )
    if membership.can(Capability.SIT_ON_PLATFORM):
        add(
            "platform",
            _("Your platform's cases"),
            lambda: bounded_count(platform_referrals(actor).pending()),
            reverse("web:platform"),
            _("Referrals pending before your platform"),
        )
    if membership.can(Capability.PROVIDE_SERVICES):
        add(
            "capacity",
            _("Capacity to confirm"),
            lambda: bounded_count(managed_services(actor).capacity_stale(today)),
            reverse("web:services_mine"),
            _("Accommodation whose free places were not confirmed this week"),
        )
    return found
