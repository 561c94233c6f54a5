"""The one way the web layer reaches cases and persons. Outsiders get 404; reads are audited.

Archived and anonymised cases (opennrm.privacy.retention) leave every organisation's view; the
national coordinator and the data protection officer reach a case only under an exceptional
access in force (opennrm.privacy.breakglass), and each read then says so in the audit trail.
"""

from django.http import Http404, HttpRequest

from opennrm.audit.trail import record
from opennrm.cases.models import Case, CaseQuerySet, Person
from opennrm.core.models import Membership
from opennrm.privacy import breakglass
from opennrm.privacy.retention import retired_case_ids
from opennrm.profiles.capabilities import Capability


def _membership(request: HttpRequest) -> Membership | None:
    membership: Membership | None = getattr(request, "membership", None)
    return membership


def visible_cases(request: HttpRequest) -> CaseQuerySet:
    """Cases the organisation the user acts for may see (created, or shared and not revoked,
    and not retired), and those opened to the user by an exceptional access in force."""
    membership = _membership(request)
    if membership is None:
        return Case.objects.none()
    cases = Case.objects.visible_to(membership.organisation).exclude(pk__in=retired_case_ids())
    granted = breakglass.granted_case_ids(request)
    if granted is None:
        return cases
    return cases | Case.objects.filter(pk__in=granted)


def get_case_for_member(request: HttpRequest, reference: str) -> Case:
    """A case the user may see, or 404. Each read is audited."""
    case = (
        visible_cases(request)
        .select_related("person", "owner", "territory", "detected_by")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404
    details = breakglass.read_details(request, case)  # says when the read is exceptional
    record("case.read", target=case, request=request, details=details)
    return case


def get_case_for_owner(request: HttpRequest, reference: str) -> Case:
    """A case the user's organisation is responsible for (to assess, inform, refer), or 404."""
    case = get_case_for_member(request, reference)
    membership = _membership(request)
    if membership is None or case.owner_id != membership.organisation_id:
        raise Http404
    return case


def can_see_identity(request: HttpRequest, case: Case) -> bool:
    """Identity is for the responsible organisation's field staff and for shares that need it."""
    membership = _membership(request)
    if membership is None:
        return False
    if case.owner_id == membership.organisation_id:
        return membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE)
    if breakglass.allows_identity(request, case):
        return True
    return case.shares.filter(
        organisation_id=membership.organisation_id, revoked_at__isnull=True, identity=True
    ).exists()


def get_identity(request: HttpRequest, case: Case) -> Person:
    """The person's identity fields, for those who need them; audited. 404 for the others."""
    if not can_see_identity(request, case):
        raise Http404
    details = {"case": case.pk, **breakglass.read_details(request, case)}
    record("person.read_identity", target=case.person, request=request, details=details)
    return case.person
