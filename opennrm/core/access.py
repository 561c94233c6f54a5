"""The one way the web layer fetches organisations' private pages and memberships."""

from django.http import Http404

from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Organisation
from opennrm.profiles.capabilities import Capability


def _memberships(actor: Actor) -> list[Membership]:
    return list(actor.memberships)


def get_organisation_for_member(actor: Actor, pk: int) -> Organisation:
    """An organisation's private page: only for its own members; 404 for everyone else."""
    for membership in _memberships(actor):
        if membership.organisation_id == pk:
            return membership.organisation
    raise Http404


def get_organisation_for_admin(actor: Actor, pk: int) -> Organisation:
    """An organisation the user administers; 404 otherwise (members without the right included)."""
    for membership in _memberships(actor):
        if membership.organisation_id == pk and membership.can(Capability.ADMINISTER_ORGANISATION):
            return membership.organisation
    raise Http404


def get_membership_for_admin(actor: Actor, organisation: Organisation, pk: int) -> Membership:
    """A membership of an organisation the user administers; 404 otherwise."""
    get_organisation_for_admin(actor, organisation.pk)
    membership = (
        Membership.objects.filter(organisation=organisation, pk=pk).select_related("user").first()
    )
    if membership is None:
        raise Http404
    return membership
