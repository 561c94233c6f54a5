"""The one way the web layer reaches concerns. Outsiders get 404, never 403.

Who sees a concern:

- the local coordinator (capability ``triage``) of an organisation covering the concern's
  département: to triage it;
- the organisation that entered it (a concern received by phone or in person), for its members
  who report or triage: read only, to follow what became of it.

Nobody else: not another département's coordinator, not the national view, not the other
members of the entering organisation (a platform member of an association, say).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.cases.models import Case, CaseQuerySet
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Organisation
from opennrm.detection.models import Concern, ConcernQuerySet
from opennrm.profiles.capabilities import Capability


def _membership(actor: Actor) -> Membership | None:
    membership: Membership | None = actor.membership
    return membership


def can_triage(actor: Actor) -> bool:
    membership = _membership(actor)
    return membership is not None and membership.can(Capability.TRIAGE)


def can_enter_concerns(actor: Actor) -> bool:
    """Staff who receive concerns by phone or in person: field staff and coordinators."""
    membership = _membership(actor)
    return membership is not None and (
        membership.can(Capability.REPORT) or membership.can(Capability.TRIAGE)
    )


def _triage_scope(organisation: Organisation) -> Q:
    return Q(territory__in=organisation.territories.all())


def concerns_for_triage(actor: Actor) -> ConcernQuerySet:
    """The concerns of the départements the coordinator's organisation covers, or 404."""
    membership = _membership(actor)
    if membership is None or not membership.can(Capability.TRIAGE):
        raise Http404
    return Concern.objects.filter(_triage_scope(membership.organisation))


def concerns_entered(actor: Actor) -> ConcernQuerySet:
    """The concerns the user's organisation entered (staff entry), or 404."""
    if not can_enter_concerns(actor):
        raise Http404
    membership = _membership(actor)
    assert membership is not None  # noqa: S101 (can_enter_concerns checked it)
    return Concern.objects.filter(created_for=membership.organisation)


def get_concern_for_triage(actor: Actor, reference: str) -> Concern:
    """A concern this coordinator may triage, or 404 (anyone else, any unknown reference)."""
    concern = (
        concerns_for_triage(actor)
        .select_related("territory", "case", "triaged_by", "created_for")
        .filter(reference=reference)
        .first()
    )
    if concern is None:
        raise Http404
    return concern


def may_triage(actor: Actor, concern: Concern) -> bool:
    """Whether the user may triage this concern (they may already read it)."""
    membership = _membership(actor)
    if membership is None or not membership.can(Capability.TRIAGE):
        return False
    return membership.organisation.territories.filter(pk=concern.territory_id).exists()


def get_concern_for_member(actor: Actor, reference: str) -> Concern:
    """A concern the user may read: triage scope, or entered by their organisation; else 404.

    The caller audits the read when it shows the concern.
    """
    membership = _membership(actor)
    if membership is None:
        raise Http404
    scopes = []
    if membership.can(Capability.TRIAGE):
        scopes.append(_triage_scope(membership.organisation))
    if can_enter_concerns(actor):
        scopes.append(Q(created_for=membership.organisation))
    if not scopes:
        raise Http404
    scope = scopes[0]
    for other in scopes[1:]:
        scope |= other
    concern = (
        Concern.objects.filter(scope, reference=reference)
        .select_related("territory", "case", "triaged_by", "created_for")
        .first()
    )
    if concern is None:
        raise Http404
    return concern


def owner_choices(actor: Actor, concern: Concern) -> "QuerySet[Organisation]":
    """Who may be given the case: authorised reporters covering the concern's département,
    and the coordinator's own organisation."""
    membership = _membership(actor)
    if membership is None:
        return Organisation.objects.none()
    reporters = Organisation.objects.filter(
        authorised_reporter=True, territories=concern.territory
    ).values("pk")
    return Organisation.objects.filter(
        Q(pk__in=reporters) | Q(pk=membership.organisation_id)
    ).order_by("name")


def attachable_cases(actor: Actor, concern: Concern) -> CaseQuerySet:
    """Cases of the concern's département that the coordinator's organisation can see."""
    membership = _membership(actor)
    if membership is None:
        return Case.objects.none()
    return Case.objects.visible_to(membership.organisation).filter(territory=concern.territory)
