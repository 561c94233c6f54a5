"""JSON API (django-ninja; OpenAPI description at /api/v1/openapi.json, docs at /api/v1/docs).

Session authentication: only signed-in staff. Operations answer 401 in JSON to anonymous callers
instead of the login redirect that LoginRequiredMiddleware gives to pages.

One router a part: indicators (opennrm.web.api.indicators), case work (opennrm.web.api.cases).
Every operation names its operation_id: the published ids do not follow the modules around.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.security import django_auth

from opennrm.web.api.bodies import body_refusal
from opennrm.web.api.cases import cases_router
from opennrm.web.api.docs import InstanceSwagger
from opennrm.web.api.indicators import indicators_router

# Views that stay behind the login page: the documentation is for people in a browser.
DOCUMENTATION_VIEWS = frozenset({"openapi-json", "openapi-view", "api-root"})


class OpenNRMAPI(NinjaAPI):
    """NinjaAPI whose operations answer 401 themselves instead of redirecting to the login page,
    and refuse in JSON (4xx) a body that is not JSON or too large, before anything reads it."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and pattern.name not in DOCUMENTATION_VIEWS:
                pattern.callback = self._json_bodies_only(pattern.callback)
                # What django.contrib.auth.decorators.login_not_required sets.
                pattern.callback.login_required = False  # type: ignore[attr-defined]
        return patterns, app_name, namespace

    def _json_bodies_only(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        """The operation's view, behind `body_refusal` (opennrm.web.api.bodies)."""

        @wraps(view)  # keeps ninja's csrf_exempt
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refusal = body_refusal(request)
            if refusal is not None:
                status, detail = refusal
                return self.create_response(request, {"detail": detail}, status=status)
            return view(request, *args, **kwargs)

        return guarded


api = OpenNRMAPI(
    title="OpenNRM API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs=InstanceSwagger(),
    description=(
        "OpenNRM's JSON API. Session authentication: sign in to OpenNRM first. "
        "Indicator results are advice for a trained professional, never a decision."
    ),
)

api.add_router("/indicators", indicators_router)
api.add_router("/cases", cases_router)
