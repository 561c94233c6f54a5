"""The one way the web layer reaches cases and persons. Outsiders get 404; reads are audited.

Archived and anonymised cases leave every organisation's view; the national coordinator and the
data protection officer reach a case only under an exceptional access in force, and each read
then says so in the audit trail. Both come from the access policy that data protection registers
(`opennrm.cases.hooks`; opennrm.privacy.retention and opennrm.privacy.breakglass).
"""

from django.http import Http404

from opennrm.audit.trail import record
from opennrm.cases.hooks import access_policy
from opennrm.cases.models import Case, CaseQuerySet, Person
from opennrm.core.acting import Actor
from opennrm.core.models import Membership
from opennrm.profiles.capabilities import Capability


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


def visible_cases(actor: Actor) -> CaseQuerySet:
    """Cases the organisation the user acts for may see (created, or shared and not revoked,
    and not retired), and those opened to the user by an exceptional access in force."""
    membership = _membership(actor)
    if membership is None:
        return Case.objects.none()
    policy = access_policy()
    cases = Case.objects.visible_to(membership.organisation)
    retired = policy.retired_case_ids()
    if retired is not None:
        cases = cases.exclude(pk__in=retired)
    granted = policy.granted_case_ids(actor)
    if granted is None:
        return cases
    return cases | Case.objects.filter(pk__in=granted)


def get_case_for_member(actor: Actor, reference: str) -> Case:
    """A case the user may see, or 404. Each read is audited."""
    case = (
        visible_cases(actor)
        .select_related("person", "owner", "territory", "detected_by")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404
    details = access_policy().read_details(actor, case)  # says when the read is exceptional
    record("case.read", target=case, actor=actor, details=details)
    return case


def get_case_for_owner(actor: Actor, reference: str) -> Case:
    """A case the user's organisation is responsible for (to assess, inform, refer), or 404."""
    case = get_case_for_member(actor, reference)
    membership = _membership(actor)
    if membership is None or case.owner_id != membership.organisation_id:
        raise Http404
    return case


def can_see_identity(actor: Actor, case: Case) -> bool:
    """Identity is for the responsible organisation's field staff and for shares that need it."""
    membership = _membership(actor)
    if membership is None:
        return False
    if case.owner_id == membership.organisation_id:
        return membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE)
    if access_policy().allows_identity(actor, case):
        return True
    return case.shares.filter(
        organisation_id=membership.organisation_id, revoked_at__isnull=True, identity=True
    ).exists()


def get_identity(actor: Actor, case: Case) -> Person:
    """The person's identity fields, for those who need them; audited. 404 for the others."""
    if not can_see_identity(actor, case):
        raise Http404
    details = {"case": case.pk, **access_policy().read_details(actor, case)}
    record("person.read_identity", target=case.person, actor=actor, details=details)
    return case.person
