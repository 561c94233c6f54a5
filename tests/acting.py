"""Who acts in tests that call the domain directly: a persona acting for a membership."""

from opennrm.core.acting import Actor, Channel
from opennrm.core.models import Membership, User


def actor_for(user: User, membership: Membership | None = None) -> Actor:
    """`user` acting for `membership` (by default their only one), as a page would make them act."""
    return Actor.for_membership(membership or user.memberships.get(), channel=Channel.PAGE)
