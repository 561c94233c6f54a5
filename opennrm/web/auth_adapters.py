"""django-allauth adapters: accounts are created by invitation only."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from opennrm.audit.trail import record
from opennrm.web.acting import actor_from_request


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Too many failed logins (ACCOUNT_RATE_LIMITS["login_failed"]) lock the account, and
        the address, for a while: even the right password is refused. Each refusal is audited,
        without the typed identifier (as for a failed login)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            identifier = str(credentials.get("email") or credentials.get("username") or "")
            user = (
                get_user_model().objects.filter(email__iexact=identifier).first()
                if identifier and "\x00" not in identifier
                else None
            )
            record(
                "auth.login_locked",
                target=user,
                actor=actor_from_request(request),
                details={"known_account": user is not None},
            )
            raise


class StateIdentityProviderAdapter(DefaultSocialAccountAdapter):
    """A State identity provider may log in existing staff; it never creates accounts."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False
