"""Who acts in the demo data: the personas, through the same actor as a command gives them."""

from opennrm.core.acting import Actor, Channel
from opennrm.core.models import Membership
from opennrm.demo.personas import PERSONAS

DEMO_PROCESS = "seed_demo"


def public() -> Actor:
    """A member of the public (the public report needs no account)."""
    return Actor.public(channel=Channel.COMMAND)


def membership_of(email: str, role: str | None = None) -> Membership:
    """The persona's active membership with `role` (by default the persona's main role)."""
    if role is None:
        role = next(persona.role for persona in PERSONAS if persona.email == email)
    return Membership.objects.select_related("user", "organisation").get(
        user__email=email, role=role, is_active=True
    )


def as_persona(email: str, role: str | None = None) -> Actor:
    """The persona acting with one of their memberships."""
    return Actor.for_membership(membership_of(email, role), channel=Channel.COMMAND)
