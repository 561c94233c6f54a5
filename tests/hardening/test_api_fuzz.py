"""schemathesis against the API's OpenAPI schema: no operation ever answers with a server error.

The schema is the one the application publishes at /api/v1/openapi.json (taken from django-ninja
directly, since schemathesis generates the tests at import time, before any database exists; a
test checks that it is the one served, and that every one of its operations is fuzzed). Requests
go to the Django application itself (WSGI, no server, no network) as a signed-in persona allowed
to use every operation: the session cookie and a CSRF token go with every request, so the
fuzzing reaches the operations rather than the login or CSRF check. Where an operation names an
object (an assessment, a catalogue version), the generated value is replaced, for some examples,
by one that exists, so that the operation's own code runs too. Examples are generated from the
schema, valid and invalid (schemathesis's examples, coverage and fuzzing phases; the coverage
phase sends a multipart and a text/plain body), a bounded number per operation, derandomized:
the same requests at every run, in a few seconds.

Every operation that reads a body is also sent hostile bodies by hand (multipart, form, invalid
JSON, too large): a 4xx in JSON each time (issue #16).
"""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from opennrm.detection import actions
from opennrm.detection.models import PreliminaryAssessment
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.web.api import api
from tests.acting import actor_for
from tests.factories import CaseFactory

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


# What ninja answers when its session authentication or CSRF check refuses a request.
REFUSED_BY_THE_CHECKS = {"Unauthorized", "CSRF check Failed"}


def _operations(raw_schema: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in raw_schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


class Targets:
    """Objects that exist, for the operations that name one: a draft assessment of a case of
    Amina's association (a new one once the current one is concluded), the latest catalogue
    version and one of its indicator sets."""

    def __init__(self, cast: Any) -> None:
        self.cast = cast
        self.version = latest_catalogue().version
        self.draft = self._new_draft()

    def _new_draft(self) -> PreliminaryAssessment:
        case = CaseFactory(owner=self.cast.association)
        return actions.start_assessment(
            case, set_code="adults_labour", version=self.version, actor=actor_for(self.cast.amina)
        )

    def assessment_id(self) -> int:
        self.draft.refresh_from_db(fields=["finalised_at"])
        if self.draft.is_final:
            self.draft = self._new_draft()
        return self.draft.pk

    def aim(self, case: Any) -> None:
        """For about half of the examples (decided by the generated value itself, so the run
        stays deterministic), name an object that exists instead of the generated one."""
        parameters = case.path_parameters or {}
        value = parameters.get("assessment_id")
        if isinstance(value, int) and value % 2 == 0:
            parameters["assessment_id"] = self.assessment_id()
        value = parameters.get("version")
        if isinstance(value, str) and len(value) % 2 == 0:
            parameters["version"] = self.version
        body = case.body
        if isinstance(body, dict) and isinstance(body.get("set"), str) and len(body["set"]) % 2:
            body["set"] = "adults_labour"


@pytest.fixture
def targets(cast):
    """Amina (field worker and authorised reporter of Association 93, the owner of the cases,
    MFA set up) signed in: she may use every operation."""
    cache.clear()
    application.sign_in(cast.amina)
    yield Targets(cast)
    application.sign_out()


@schema.parametrize()
@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_no_server_error_on_any_operation(case, targets):
    targets.aim(case)
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    # Signed in: the operation itself answered, not the login or CSRF check.
    assert response.status_code != 401, response.text[:300]
    if response.status_code == 403:
        assert response.json()["detail"] not in REFUSED_BY_THE_CHECKS, response.text[:300]


def test_every_operation_of_the_schema_is_fuzzed():
    fuzzed = {
        (result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()
    }
    assert fuzzed == _operations(RAW_SCHEMA)


def test_the_fuzzed_schema_is_the_one_served(cast):
    response = cast.client_for(cast.hugo).get(SCHEMA_PATH)
    assert response.status_code == 200
    served = response.json()
    assert served["paths"] == RAW_SCHEMA["paths"]
    operations = _operations(served)
    assert len(operations) >= 4
    print(f"schemathesis fuzzes {len(operations)} API operations")  # noqa: T201


def test_the_schema_needs_a_session(db):
    response = Client().get(SCHEMA_PATH)
    assert response.status_code == 302


def test_anonymous_calls_get_401_not_a_server_error(db):
    for path in ["/api/v1/indicators/catalogues", "/api/v1/indicators/evaluate"]:
        response = Client().post(path, data="{}", content_type="application/json")
        assert response.status_code in (401, 405), path


# Hostile bodies, by hand, to every operation that reads one ------------------------------------

BODY_OPERATIONS = sorted(
    (method, path)
    for method, path in _operations(RAW_SCHEMA)
    if "requestBody" in RAW_SCHEMA["paths"][path][method.lower()]
)
FIELDS = {"conclusion": "not_presumed", "set": "adults_labour", "age_group": "adult"}
# kind → (Content-Type, body, expected status)
HOSTILE_BODIES = {
    "multipart": (MULTIPART_CONTENT, encode_multipart(BOUNDARY, FIELDS), 415),
    "form": ("application/x-www-form-urlencoded", urlencode(FIELDS), 415),
    "text": ("text/plain", json.dumps(FIELDS), 415),
    "invalid-json": ("application/json", '{"conclusion": "not_presumed",', 400),
    "too-large": (
        "application/json",
        json.dumps({"reasons": "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE}),
        413,
    ),
}


def test_the_api_has_operations_that_read_a_body():
    assert len(BODY_OPERATIONS) >= 2


@pytest.mark.parametrize("kind", HOSTILE_BODIES)
@pytest.mark.parametrize(
    ("method", "path"),
    BODY_OPERATIONS,
    ids=[f"{method} {path}" for method, path in BODY_OPERATIONS],
)
def test_a_hostile_body_gets_a_4xx_in_json(targets, method, path, kind):
    """Through the CSRF check as a browser or a partner's client meets it (it reads a multipart
    or form body as form data, which then could not be read as JSON: a 500 before #16)."""
    client = Client(enforce_csrf_checks=True, HTTP_X_CSRFTOKEN=application.csrf_token)
    client.force_login(targets.cast.amina)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = application.csrf_token
    url = path.format(assessment_id=targets.assessment_id(), version=targets.version)
    content_type, body, status = HOSTILE_BODIES[kind]
    response = client.generic(method, url, body, content_type=content_type)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
