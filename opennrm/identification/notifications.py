"""In-app notifications of formal identification. No personal data: the case reference only.

Messages are English sources marked with gettext_noop and translated when shown.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from opennrm.cases.models import Case
from opennrm.core.models import Membership, Notification, Organisation, Territory, User
from opennrm.core.notifying import app_path as link
from opennrm.identification.models import PlatformMember, Referral, Route
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile

STATEMENT_RECORDED = gettext_noop(
    "A complaint or testimony was recorded on the judicial route for case %(reference)s."
)
JUDICIAL_DECISION = gettext_noop(
    "A formal identification decision was recorded on the judicial route for case %(reference)s."
)
REFERRED_TO_SERVICE = gettext_noop(
    "Case %(reference)s was referred to your service for formal identification."
)
REFERRED_TO_PLATFORM = gettext_noop(
    "Case %(reference)s was referred to the département platform for formal identification."
)
RECONSIDERATION_TO_PLATFORM = gettext_noop(
    "A reconsideration of the decision on case %(reference)s was requested from the platform."
)
QUESTION_ASKED = gettext_noop(
    "The département platform needs more information on case %(reference)s: answer its question."
)
QUESTION_ANSWERED = gettext_noop(
    "The referring organisation answered the platform's question on case %(reference)s."
)
DECISION_RECORDED = gettext_noop(
    "A formal identification decision was recorded for case %(reference)s."
)
# What changed in a referred file, per part (FileItem code).
FILE_UPDATED = {
    "account": gettext_noop(
        "The referring organisation added to the person's account in the file of case "
        "%(reference)s."
    ),
    "facts": gettext_noop(
        "The referring organisation changed the facts, exploiters or workplaces in the file of "
        "case %(reference)s."
    ),
    "evidence": gettext_noop(
        "The referring organisation attached a document to the file of case %(reference)s."
    ),
    "rights": gettext_noop(
        "The referring organisation recorded rights information in the file of case %(reference)s."
    ),
    "needs": gettext_noop(
        "The referring organisation recorded immediate needs in the file of case %(reference)s."
    ),
}
REMINDER = gettext_noop("Identification decisions due soon or overdue: %(count)s.")


def roles_with(capability: Capability) -> list[str]:
    """Role codes of the profile that grant this capability (roles are data)."""
    return [role.code for role in active_profile().roles if capability in role.capabilities]


def members_with(
    capability: Capability, organisations: "QuerySet[Organisation] | list[Organisation]"
) -> QuerySet[User]:
    """Active users holding the capability in one of these organisations."""
    memberships = Membership.objects.active().filter(
        organisation__in=organisations, role__in=roles_with(capability)
    )
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("pk")


def platform_users(territory: Territory, *, exclude: set[int] | None = None) -> QuerySet[User]:
    seats = PlatformMember.objects.active().filter(platform__territory=territory)
    if exclude:
        seats = seats.exclude(pk__in=exclude)
    return User.objects.filter(pk__in=seats.values("membership__user_id")).order_by("pk")


def _send(users: QuerySet[User], kind: str, message: str, case: Case, path: str = "") -> int:
    return Notification.send(
        list(users), kind=kind, message=message, params={"reference": case.reference}, link=path
    )


def notify_prosecutor(case: Case, kind: str, message: str) -> int:
    """The liaison contacts covering the case's département in the organisation types the
    profile names in `judicial_route.informed` (France: the prosecutor's office)."""
    informed = active_profile().judicial_route.informed
    offices = Organisation.objects.filter(kind__in=informed).filter(
        Q(territories=case.territory) | Q(territories__children=case.territory)
    )
    return _send(members_with(Capability.LIAISON, list(offices.distinct())), kind, message, case)


def notify_new_referral(referral: Referral) -> int:
    case = referral.case
    if referral.route == Route.JUDICIAL:
        users = members_with(Capability.JUDICIAL_IDENTIFICATION, [referral.target])
        path = link("web:judicial_referral", referral.pk)
        return _send(users, "identification.referred", REFERRED_TO_SERVICE, case, path)
    message = RECONSIDERATION_TO_PLATFORM if referral.is_reconsideration else REFERRED_TO_PLATFORM
    coordinators = members_with(Capability.CHAIR_PLATFORM, [referral.target])
    users = platform_users(case.territory) | coordinators
    return _send(
        users.distinct(),
        "identification.referred",
        message,
        case,
        link("web:platform_case", referral.pk),
    )


def notify_referrer(referral: Referral, kind: str, message: str) -> int:
    """Field staff of the referring organisation."""
    users = members_with(Capability.REPORT, [referral.referring_organisation]) | members_with(
        Capability.TRIAGE, [referral.referring_organisation]
    )
    return _send(
        users.distinct(),
        kind,
        message,
        referral.case,
        link("web:identification", referral.case.reference),
    )


def notify_platform(referral: Referral, kind: str, message: str, exclude: set[int]) -> int:
    return _send(
        platform_users(referral.case.territory, exclude=exclude),
        kind,
        message,
        referral.case,
        link("web:platform_case", referral.pk),
    )


def file_readers(referral: Referral) -> QuerySet[User]:
    """Who reads the referred file: the judicial service referred to, or the platform's
    members and the coordination's chairs."""
    if referral.route == Route.JUDICIAL:
        return members_with(Capability.JUDICIAL_IDENTIFICATION, [referral.target])
    coordinators = members_with(Capability.CHAIR_PLATFORM, [referral.target])
    return (platform_users(referral.case.territory) | coordinators).distinct()


def notify_file_updated(referral: Referral, part: str) -> int:
    """One unread notice per reader, case and part: later changes of the same part before it
    is read do not pile up. `part` is a FileItem code with a message above (the timeline is
    not announced: every step already tells its own readers)."""
    message = FILE_UPDATED.get(part)
    if message is None:
        return 0
    case = referral.case
    path = (
        link("web:judicial_referral", referral.pk)
        if referral.route == Route.JUDICIAL
        else link("web:platform_case", referral.pk)
    )
    waiting = set(
        Notification.objects.unread()
        .filter(kind="identification.file_updated", params__reference=case.reference)
        .filter(params__part=part)
        .values_list("recipient_id", flat=True)
    )
    users = [user for user in file_readers(referral) if user.pk not in waiting]
    if not users:
        return 0
    return Notification.send(
        users,
        kind="identification.file_updated",
        message=message,
        params={"reference": case.reference, "part": part},
        link=path,
    )
