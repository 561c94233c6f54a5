"""Audit of sign-in events: the framework hands these receivers the request."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.core.models import User
from opennrm.web.acting import actor_from_request


def _actor(request: HttpRequest | None, user: Any) -> Actor:
    """Who signs in or out: the user named by the signal, from the request's address."""
    named = user if isinstance(user, User) else None
    if request is None:
        return Actor(user=named)
    return actor_from_request(request, user=named)


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record("auth.login", actor=_actor(request, user), target=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", actor=_actor(request, user), target=user)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The typed identifier is not stored (it may be someone else's address): only whether it
    # names an existing account, so repeated attacks on one account can be seen.
    identifier = str(credentials.get("email") or credentials.get("username") or "").lower()
    user = get_user_model().objects.filter(email=identifier).first() if identifier else None
    record(
        "auth.login_failed",
        target=user,
        actor=_actor(request, None),
        details={"known_account": user is not None},
    )
