"""Who acts: the user and the organisation they act for, required by every support action."""

from django.utils.translation import gettext as _

from opennrm.cases.models import TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Membership, Organisation, User
from opennrm.profiles.capabilities import Capability


def acting(actor: Actor) -> tuple[User, Membership]:
    """The signed-in user and their current membership; refused without either."""
    membership: Membership | None = actor.membership
    user = actor.user
    if membership is None or not isinstance(user, User):
        raise TransitionError(_("You act for no organisation."))
    return user, membership


def acting_for(actor: Actor, organisation_id: int, *capabilities: Capability) -> User:
    """The user, acting for `organisation_id` with one of `capabilities`; refused otherwise."""
    user, membership = acting(actor)
    if membership.organisation_id != organisation_id or not any(
        membership.can(capability) for capability in capabilities
    ):
        raise TransitionError(_("Your organisation cannot do this."))
    return user


def organisation_of(actor: Actor) -> Organisation:
    return acting(actor)[1].organisation
