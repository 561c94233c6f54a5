"""Template context for the interface shell: navigation by capability, profile, quick exit."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

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
    url: str = ""  # reversed once per request (the header reads it several times)


def _resolved(item: NavItem) -> NavItem | None:
    try:
        return replace(item, url=reverse(item.url_name, args=item.args))
    except NoReverseMatch:
        return None


def navigation(membership: Any) -> list[NavItem]:
    items = [NavItem(_("Dashboard"), "web:dashboard", None, url=reverse("web:dashboard"))]
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
        NavItem(_("Authorised reporters"), "web:recognitions", frozenset({Capability.RECOGNISE})),
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
        NavItem(
            _("Funnel of the mechanism"),
            "web:monitoring_funnel",
            frozenset({Capability.NATIONAL_OVERSIGHT, Capability.TRIAGE}),
        ),
        NavItem(
            _("Directive indicators"),
            "web:monitoring_indicators",
            frozenset({Capability.NATIONAL_OVERSIGHT, Capability.TRIAGE}),
        ),
        NavItem(
            _("Indicator catalogue"),
            "web:indicator_catalogue",
            frozenset({Capability.NATIONAL_OVERSIGHT}),
        ),
        NavItem(_("Protocol"), "web:protocol", None),
        NavItem(
            _("HTCDS exchange"),
            "web:exchange",
            frozenset({Capability.TRIAGE, Capability.NATIONAL_OVERSIGHT}),
        ),
        NavItem(_("Notifications"), "web:notifications", None),
    ]
    for item in candidates:
        if item.url_name == "web:directory_manage":
            allowed = can_manage_directory(membership)  # the body's kind matters too
        elif item.url_name == "web:transfers":
            allowed = is_coordinator(membership)  # an administrator who does case work
        else:
            allowed = item.capabilities is None or bool(item.capabilities & granted)
        if allowed and (resolved := _resolved(item)) is not None:
            items.append(resolved)
    return items


# The header groups the entries by step of the mechanism, so that it never overflows: a group
# of one entry is shown as that entry. Entries not named here are shown on their own.
NAV_GROUPS: tuple[tuple[str, Any, frozenset[str]], ...] = (
    (
        "cases",
        _("Detection and cases"),
        frozenset(
            {
                "web:concerns",
                "web:cases",
                "web:transfers",
                "web:overdue",
                "web:monitoring_funnel",
                "web:monitoring_indicators",
                "web:indicator_catalogue",
                "web:protocol",
                "web:exchange",
            }
        ),
    ),
    (
        "identification",
        _("Identification"),
        frozenset({"web:platform", "web:judicial_referrals", "web:identification_deadlines"}),
    ),
    (
        "support",
        _("Support"),
        frozenset(
            {
                "web:orientations_received",
                "web:services_mine",
                "web:services",
                "web:support_residence_outcomes",
            }
        ),
    ),
    (
        "organisation",
        _("Organisation"),
        frozenset(
            {
                "web:organisation",
                "web:directory_manage",
                "web:directory_coverage",
                "web:recognitions",
            }
        ),
    ),
    (
        "privacy",
        _("Data protection"),
        frozenset({"web:audit", "web:privacy_exceptional_access", "web:privacy_retention"}),
    ),
)
# Reached from the header's tools (with the unread count), not from the menu.
IN_TOOLS = frozenset({"web:notifications"})


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: Any
    items: tuple[NavItem, ...]

    @property
    def single(self) -> NavItem | None:
        return self.items[0] if len(self.items) == 1 else None

    def holds(self, path: str) -> bool:
        return any(item.url == path for item in self.items)


def navigation_groups(items: list[NavItem]) -> list[NavGroup]:
    """The entries of `navigation`, grouped for the header, in the order of their first entry."""
    groups: list[NavGroup] = []
    placed: dict[str, list[NavItem]] = {}
    order: list[tuple[str, Any]] = []
    for item in items:
        if item.url_name in IN_TOOLS:
            continue
        key, label = next(
            ((k, lbl) for k, lbl, names in NAV_GROUPS if item.url_name in names),
            (item.url_name, item.label),
        )
        if key not in placed:
            placed[key] = []
            order.append((key, label))
        placed[key].append(item)
    for key, label in order:
        groups.append(NavGroup(key=key.replace(":", "-"), label=label, items=tuple(placed[key])))
    return groups


def _once(count: Callable[[], int]) -> Callable[[], int]:
    found: list[int] = []

    def call() -> int:
        if not found:
            found.append(count())
        return found[0]

    return call


def unread_notifications(user: Any) -> int:
    from opennrm.core.models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def accessibility_status() -> "StrPromise":
    """The compliance status of the accessibility statement, as the footer shows it."""
    return {
        "non_compliant": _("non-compliant"),
        "partially_compliant": _("partially compliant"),
        "compliant": _("fully compliant"),
    }[settings.OPENNRM_ACCESSIBILITY_STATUS]


def shell(request: HttpRequest) -> dict[str, Any]:
    profile = active_profile()
    membership = getattr(request, "membership", None)
    language = get_language() or profile.default_language
    items = navigation(membership) if request.user.is_authenticated else []
    return {
        "PROFILE_NAME": profile.name.get(language, profile.default_language),
        "EMERGENCY_NOTICE": (
            profile.emergency_notice.get(language, profile.default_language)
            if profile.emergency_notice
            else ""
        ),
        "PUBLIC_WORDING": profile.public_wording.resolved(language, profile.default_language),
        "ACCESSIBILITY_STATUS": accessibility_status(),
        "DEMO_MODE": settings.DEMO_MODE,
        "STATE_BRAND": profile.country == "FR",
        "QUICK_EXIT_URL": settings.OPENNRM_QUICK_EXIT_URL,
        "nav_items": items,
        "nav_groups": navigation_groups(items),
        "current_membership": membership,
        # Counted when the header shows it (signed-in pages), once: templates call callables.
        "unread_notifications": _once(lambda: unread_notifications(request.user))
        if request.user.is_authenticated
        else 0,
    }
