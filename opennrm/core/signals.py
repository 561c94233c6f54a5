"""Audit of authentication events."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from opennrm.audit.trail import record


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record("auth.login", actor=user, target=user, request=request)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", actor=user, target=user, request=request)


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
        request=request,
        details={"known_account": user is not None},
    )
