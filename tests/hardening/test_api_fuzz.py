"""schemathesis against the API's OpenAPI schema: no operation ever answers with a server error.

The schema is the one the application publishes at /api/v1/openapi.json (taken from django-ninja
directly, since schemathesis generates the tests at import time, before any database exists; a
test checks that it is the one served). Requests go to the Django application itself (WSGI, no
server) as a signed-in persona: the session cookie and a CSRF token go with every request, so the
fuzzing reaches the operations rather than the login check. Examples are generated from the
schema, valid and invalid, a limited number per operation.
"""

import json
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from opennrm.web.api import api

SCHEMA_PATH = "/api/v1/openapi.json"


class SignedInApplication:
    """The WSGI application as a signed-in browser reaches it: the session and CSRF cookies
    and the CSRF header are added to every request (`sign_in` sets them).

    Like Django's test client, it keeps the request signals from closing the database
    connection, which holds the test's transaction.
    """

    def __init__(self) -> None:
        self.handler = get_wsgi_application()
        self.cookie = ""
        self.csrf_token = ""

    def sign_in(self, user: Any) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        self.csrf_token = get_random_string(32)
        self.cookie = (
            f"{django_settings.SESSION_COOKIE_NAME}={session}; "
            f"{django_settings.CSRF_COOKIE_NAME}={self.csrf_token}"
        )

    def sign_out(self) -> None:
        self.cookie = self.csrf_token = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        cookies = [environ.get("HTTP_COOKIE", ""), self.cookie]
        environ["HTTP_COOKIE"] = "; ".join(cookie for cookie in cookies if cookie)
        if self.csrf_token:
            environ.setdefault("HTTP_X_CSRFTOKEN", self.csrf_token)
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return list(self.handler(environ, start_response))
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


application = SignedInApplication()
RAW_SCHEMA = json.loads(json.dumps(api.get_openapi_schema(), default=str))
schema = schemathesis.openapi.from_dict(RAW_SCHEMA)
schema.app = application


@pytest.fixture
def signed_in(cast):
    """Hugo (field worker, MFA set up), signed in."""
    cache.clear()
    application.sign_in(cast.hugo)
    yield
    application.sign_out()


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_no_server_error_on_any_operation(case, signed_in):
    response = case.call()
    # Signed in: the operation itself answered, not the login or CSRF check.
    assert response.status_code not in (401, 403), response.text[:300]
    case.validate_response(response, checks=[not_a_server_error])


def test_the_fuzzed_schema_is_the_one_served(cast):
    response = cast.client_for(cast.hugo).get(SCHEMA_PATH)
    assert response.status_code == 200
    served = response.json()
    assert served["paths"] == RAW_SCHEMA["paths"]
    operations = [
        (method, path)
        for path, item in served["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) >= 3
    print(f"schemathesis fuzzes {len(operations)} API operations")  # noqa: T201


def test_the_schema_needs_a_session(db):
    response = Client().get(SCHEMA_PATH)
    assert response.status_code == 302


def test_anonymous_calls_get_401_not_a_server_error(db):
    for path in ["/api/v1/indicators/catalogues", "/api/v1/indicators/evaluate"]:
        response = Client().post(path, data="{}", content_type="application/json")
        assert response.status_code in (401, 405), path
