"""Who acts: the user and the organisation they act for, required by every support action."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from opennrm.cases.models import TransitionError
from opennrm.core.models import Membership, Organisation, User
from opennrm.profiles.capabilities import Capability


def acting(request: HttpRequest) -> tuple[User, Membership]:
    """The signed-in user and their current membership; refused without either."""
    membership: Membership | None = getattr(request, "membership", None)
    user = request.user
    if membership is None or not isinstance(user, User):
        raise TransitionError(_("You act for no organisation."))
    return user, membership


def acting_for(request: HttpRequest, organisation_id: int, *capabilities: Capability) -> User:
    """The user, acting for `organisation_id` with one of `capabilities`; refused otherwise."""
    user, membership = acting(request)
    if membership.organisation_id != organisation_id or not any(
        membership.can(capability) for capability in capabilities
    ):
        raise TransitionError(_("Your organisation cannot do this."))
    return user


def organisation_of(request: HttpRequest) -> Organisation:
    return acting(request)[1].organisation
