"""Children: child protection alerted (mandatory), a guardian, the accommodation rules
(support.accommodation) and a best-interests note on every major decision (placement,
return: Orientation.clean; closure: SupportClosure.clean)."""

from django.utils.translation import gettext as _

from opennrm.cases.models import Case
from opennrm.support.models import Orientation, OrientationStatus, ServiceType

REFERRED = (
    OrientationStatus.SENT,
    OrientationStatus.ACCEPTED,
    OrientationStatus.IN_PROGRESS,
    OrientationStatus.COMPLETED,
)


def child_protection_referred(case: Case) -> bool:
    """Child protection services were alerted, or the child was oriented to them."""
    return (
        case.child_protection_alerts.exists()
        or Orientation.objects.filter(
            case=case,
            need__service_type=ServiceType.CHILD_PROTECTION,
            status__in=REFERRED,
        ).exists()
    )


def child_warnings(case: Case) -> list[str]:
    """What is missing for a child, shown until it is done."""
    if not case.child:
        return []
    warnings = []
    if not child_protection_referred(case):
        warnings.append(
            _(
                "Child protection services have not been alerted: a child must be referred to "
                "them, without waiting for consent."
            )
        )
    if not case.guardians.exists():
        warnings.append(_("No guardian or ad hoc administrator is recorded for this child."))
    return warnings
