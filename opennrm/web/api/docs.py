"""The API's documentation page, Swagger UI served by the instance itself under the strict CSP.

django-ninja ships Swagger UI's files (ninja/static/ninja/, found by staticfiles because `ninja`
is an installed app): no CDN. Our page has no inline script or style: its Swagger UI settings
travel as JSON in a data attribute, read by opennrm/api-docs.js (ADR 0009).
"""

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class InstanceSwagger(Swagger):
    """ninja's Swagger page, rendered from our template whatever the installed apps."""

    template = "web/api/docs.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would ask swagger.io to validate the schema (an image from elsewhere).
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"api": api, "swagger_settings": json.dumps(settings)}
        return render(request, self.template, context)
