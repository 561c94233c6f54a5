"""Who may act on a person's rights and see exceptional accesses. Outsiders get 404.

- The subject access export and the rectification: the administrators of the organisation
  responsible for the case, or the data protection officer under an exceptional access that
  includes the identity (an archived case is reached only so).
- The list of exceptional accesses: the administrators of an organisation see those to its
  cases; the holders see their own; the data protection officer sees them all.
"""

from dataclasses import dataclass

from django.http import Http404

from opennrm.audit.trail import record
from opennrm.cases.access import get_case_for_member
from opennrm.cases.models import Case, Person
from opennrm.core.acting import Actor
from opennrm.core.models import Membership
from opennrm.privacy import breakglass
from opennrm.privacy.models import BreakGlassGrant, BreakGlassQuerySet
from opennrm.profiles.capabilities import Capability


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


@dataclass(frozen=True)
class RightsAccess:
    case: Case
    membership: Membership
    grant: BreakGlassGrant | None  # the DPO's exceptional access, None for the owner

    @property
    def details(self) -> dict[str, int]:
        """Audit details that say a read or a change relied on exceptional access."""
        return {} if self.grant is None else {"break_glass": self.grant.pk}


def may_handle_rights(membership: Membership | None) -> bool:
    if membership is None:
        return False
    return membership.can(Capability.ADMINISTER_ORGANISATION) or membership.can(
        Capability.READ_AUDIT
    )


def get_case_for_rights(actor: Actor, reference: str) -> RightsAccess:
    """The case, for a subject access request or a rectification; 404 for anyone else."""
    membership = _membership(actor)
    if membership is None or not may_handle_rights(membership):
        raise Http404
    case = get_case_for_member(actor, reference)  # audited; honours exceptional access
    owner_admin = case.owner_id == membership.organisation_id and membership.can(
        Capability.ADMINISTER_ORGANISATION
    )
    if owner_admin:
        return RightsAccess(case, membership, None)
    if membership.can(Capability.READ_AUDIT):
        grant = breakglass.active_grant(actor, case)
        if grant is not None and grant.identity:
            return RightsAccess(case, membership, grant)
    raise Http404


def read_person(actor: Actor, access: RightsAccess, purpose: str) -> Person:
    """The person's identity, for a rights request; audited like every identity read."""
    person = access.case.person
    record(
        "person.read_identity",
        target=person,
        actor=actor,
        details={"case": access.case.pk, "purpose": purpose, **access.details},
    )
    return person


def exportable_cases(access: RightsAccess) -> list[Case]:
    """The person's cases the requester may copy: the organisation's own (not retired), or
    those the DPO holds an exceptional access to with the identity."""
    from opennrm.privacy.retention import retired_case_ids

    person_cases = access.case.person.cases.select_related("owner", "territory", "detected_by")
    if access.grant is None:
        owned = person_cases.filter(owner_id=access.membership.organisation_id)
        return list(owned.exclude(pk__in=retired_case_ids()).order_by("opened_at", "pk"))
    granted = BreakGlassGrant.objects.active().filter(
        user_id=access.grant.user_id,
        organisation_id=access.grant.organisation_id,
        identity=True,
    )
    return list(person_cases.filter(pk__in=granted.values("case_id")).order_by("opened_at", "pk"))


@dataclass(frozen=True)
class GrantLists:
    own: BreakGlassQuerySet | None  # the holder's (national coordinator, DPO)
    owner: BreakGlassQuerySet | None  # to the organisation's cases (its administrators)
    every: BreakGlassQuerySet | None  # all of them (DPO)
    may_open: bool


def grant_lists(actor: Actor) -> GrantLists:
    """The lists of exceptional accesses the user may see; 404 if none."""
    membership = _membership(actor)
    if membership is None:
        raise Http404
    related = ("case", "case__owner", "user", "organisation", "revoked_by")
    may_open = breakglass.may_break_glass(membership)
    own = breakglass.own_grants(actor).select_related(*related) if may_open else None
    owner = None
    if membership.can(Capability.ADMINISTER_ORGANISATION):
        owner = BreakGlassGrant.objects.of_owner(membership.organisation).select_related(*related)
    every = None
    if membership.can(Capability.READ_AUDIT):
        every = BreakGlassGrant.objects.select_related(*related)
    if own is None and owner is None and every is None:
        raise Http404
    return GrantLists(own=own, owner=owner, every=every, may_open=may_open)


def get_grant_for_revoke(actor: Actor, pk: int) -> BreakGlassGrant:
    grant = BreakGlassGrant.objects.select_related("case").filter(pk=pk).first()
    if grant is None or not breakglass.may_revoke(actor, grant):
        raise Http404
    return grant
