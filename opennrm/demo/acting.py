"""Who acts in the demo data: requests as the pages make them, for the domain actions."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import RequestFactory

from opennrm.core.models import Membership, User
from opennrm.demo.personas import PERSONAS


def acting_request(user: User | None, membership: Membership | None = None) -> HttpRequest:
    """A request as the pages make it: the user, the membership they act with, a session.

    Without a user, a member of the public (the public report needs no account)."""
    request = RequestFactory().post("/")
    request.user = user if user is not None else AnonymousUser()
    request.membership = membership  # type: ignore[attr-defined]
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return request


def membership_of(email: str, role: str | None = None) -> Membership:
    """The persona's active membership with `role` (by default the persona's main role)."""
    if role is None:
        role = next(persona.role for persona in PERSONAS if persona.email == email)
    return Membership.objects.select_related("user", "organisation").get(
        user__email=email, role=role, is_active=True
    )


def as_persona(email: str, role: str | None = None) -> HttpRequest:
    """A request of the persona acting with one of their memberships."""
    membership = membership_of(email, role)
    return acting_request(membership.user, membership)
