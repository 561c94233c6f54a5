"""allauth's MFA login stage, skipped when ProConnect's ID token proved a second factor."""

from allauth.mfa.stages import AuthenticateStage
from django.http import HttpRequest

from opennrm.web.proconnect.session import login_proves_mfa


class ProviderAwareAuthenticateStage(AuthenticateStage):
    """Asks for the TOTP code unless this login is a ProConnect one whose `acr`/`amr` the
    jurisdiction profile accepts as multi-factor (opennrm.profiles: `proconnect`)."""

    def _should_handle(self, request: HttpRequest) -> bool:
        if login_proves_mfa(request, self.login):
            return False
        return bool(super()._should_handle(request))
