"""django-allauth adapters: accounts are created by invitation only."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from opennrm.audit.trail import record
from opennrm.web.acting import actor_from_request
from opennrm.web.proconnect import session as proconnect_session

MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's stages, but the TOTP step knows a ProConnect login that proved MFA."""
        return [
            "opennrm.web.proconnect.stages.ProviderAwareAuthenticateStage"
            if stage == MFA_STAGE
            else stage
            for stage in super().get_login_stages()
        ]

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        """A ProConnect login keeps its ID token (for logout) and whether it proved MFA; any
        other login clears them. Skipping the TOTP step on the provider's word is audited."""
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        details = proconnect_session.on_login(request, sociallogin)
        if details.get("mfa_by_provider"):
            record(
                "auth.mfa_by_provider",
                target=user,
                actor=actor_from_request(request, user=user),
                details={"provider": details["provider"]},
            )
        return super().post_login(request, user, **kwargs)

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """A session opened through ProConnect ends there too: through a page of ours that
        goes on to its end_session_endpoint (a redirect answering the logout form would be
        stopped by the CSP's form-action 'self' at ProConnect or at the agent's provider)."""
        if proconnect_session.end_session_url(request):
            return reverse("proconnect_logout")
        return str(super().get_logout_redirect_url(request))

    def logout(self, request: HttpRequest) -> None:
        kept = proconnect_session.take_logout(request)
        super().logout(request)
        proconnect_session.restore_logout(request, kept)

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
