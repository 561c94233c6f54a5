"""Template context for the interface shell: navigation by capability, profile, quick exit."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opennrm.cases.transfer import is_coordinator
from opennrm.directory.access import can_manage_directory
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    capabilities: frozenset[Capability] | None  # None: every signed-in user
    args: tuple[Any, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


def _resolves(item: NavItem) -> bool:
    try:
        item.url  # noqa: B018
    except NoReverseMatch:
        return False
    return True


def navigation(membership: Any) -> list[NavItem]:
    items = [NavItem(_("Dashboard"), "web:dashboard", None)]
    if membership is None:
        return items
    granted = membership.capabilities
    case_work = frozenset(
        {
            Capability.REPORT,
            Capability.TRIAGE,
            Capability.JUDICIAL_IDENTIFICATION,
            Capability.PROVIDE_SERVICES,
            Capability.LIAISON,
        }
    )
    candidates = [
        NavItem(_("Concerns"), "web:concerns", frozenset({Capability.TRIAGE, Capability.REPORT})),
        NavItem(_("Cases"), "web:cases", case_work),
        NavItem(_("Transfers of cases"), "web:transfers", None),
        NavItem(_("Platform"), "web:platform", frozenset({Capability.SIT_ON_PLATFORM})),
        NavItem(
            _("Judicial referrals"),
            "web:judicial_referrals",
            frozenset({Capability.JUDICIAL_IDENTIFICATION}),
        ),
        NavItem(
            _("Identification deadlines"),
            "web:identification_deadlines",
            frozenset(
                {
                    Capability.SIT_ON_PLATFORM,
                    Capability.TRIAGE,
                    Capability.CHAIR_PLATFORM,
                    Capability.JUDICIAL_IDENTIFICATION,
                    Capability.NATIONAL_OVERSIGHT,
                }
            ),
        ),
        NavItem(
            _("Orientations received"),
            "web:orientations_received",
            frozenset({Capability.PROVIDE_SERVICES}),
        ),
        NavItem(
            _("Our services"),
            "web:services_mine",
            frozenset({Capability.PROVIDE_SERVICES, Capability.ADMINISTER_ORGANISATION}),
        ),
        NavItem(_("Directory of services"), "web:services", None),
        NavItem(
            _("Residence outcomes"),
            "web:support_residence_outcomes",
            frozenset({Capability.NATIONAL_OVERSIGHT, Capability.TRIAGE}),
        ),
        NavItem(_("My organisation"), "web:organisation", None, (membership.organisation_id,)),
        NavItem(_("Directory entries"), "web:directory_manage", None),
        NavItem(
            _("Directory coverage"),
            "web:directory_coverage",
            frozenset({Capability.MANAGE_DIRECTORY, Capability.NATIONAL_OVERSIGHT}),
        ),
        NavItem(_("Audit trail"), "web:audit", frozenset({Capability.READ_AUDIT})),
        NavItem(
            _("Exceptional access"),
            "web:privacy_exceptional_access",
            frozenset(
                {
                    Capability.NATIONAL_OVERSIGHT,
                    Capability.READ_AUDIT,
                    Capability.ADMINISTER_ORGANISATION,
                }
            ),
        ),
        NavItem(_("Retention"), "web:privacy_retention", frozenset({Capability.READ_AUDIT})),
        NavItem(_("Overdue"), "web:overdue", None),
        NavItem(_("Notifications"), "web:notifications", None),
    ]
    for item in candidates:
        if item.url_name == "web:directory_manage":
            allowed = can_manage_directory(membership)  # the body's kind matters too
        elif item.url_name == "web:transfers":
            allowed = is_coordinator(membership)  # an administrator who does case work
        else:
            allowed = item.capabilities is None or bool(item.capabilities & granted)
        if allowed and _resolves(item):
            items.append(item)
    return items


def shell(request: HttpRequest) -> dict[str, Any]:
    profile = active_profile()
    membership = getattr(request, "membership", None)
    language = get_language() or profile.default_language
    return {
        "PROFILE_NAME": profile.name.get(language, profile.default_language),
        "EMERGENCY_NOTICE": (
            profile.emergency_notice.get(language, profile.default_language)
            if profile.emergency_notice
            else ""
        ),
        "DEMO_MODE": settings.DEMO_MODE,
        "QUICK_EXIT_URL": settings.OPENNRM_QUICK_EXIT_URL,
        "nav_items": navigation(membership) if request.user.is_authenticated else [],
        "current_membership": membership,
    }
