"""Optional error reporting (opennrm.web.error_reporting): off by default; on with SENTRY_DSN,
every event goes through the personal-data scrubber before it leaves.

No network: the SDK's transport is replaced by one that keeps the envelopes it is given (the
SDK's own mechanism for tests, `sentry_sdk.transport.Transport`); everything else — the Django
integration, the logging integration, `before_send` — is the SDK's and ours as in production.
"""

import json
import logging

import pytest
from django.test import Client

sentry_sdk = pytest.importorskip("sentry_sdk")
from sentry_sdk.transport import Transport  # noqa: E402

from opennrm.web import error_reporting  # noqa: E402
from opennrm.web.logfilters import WITHHELD  # noqa: E402

pytestmark = pytest.mark.django_db

NAME = "Dupontel"  # a fictional family name that must never leave


class KeptEnvelopes(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self) -> list[dict]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event"
        ]


@pytest.fixture
def reported():
    transport = KeptEnvelopes()
    assert error_reporting.configure("https://public@errors.invalid/1", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # back to no client: nothing is reported by later tests


def test_off_by_default(settings):
    settings.SENTRY_DSN = ""
    assert error_reporting.configure_from_settings() is False
    assert not sentry_sdk.get_client().is_active()


@pytest.mark.urls("tests.hardening.error_urls")
def test_a_failing_page_is_reported_without_personal_data(reported, cast):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "fictional-session"
    response = client.post(
        f"/failing/?q={NAME}",
        {"family_name": NAME, "born": "1990-02-03", "narrative": f"{NAME}, a fictional farm."},
        HTTP_USER_AGENT=f"Browser of {NAME}",
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    events = reported.events()
    assert len(events) == 1
    event = events[0]
    assert NAME not in json.dumps(event) and "1990-02-03" not in json.dumps(event)
    exception = event["exception"]["values"][-1]
    assert exception["type"] == "ValueError"
    assert exception["value"] == WITHHELD
    frames = exception["stacktrace"]["frames"]
    assert any(frame.get("function") == "failing" for frame in frames)  # where: kept
    assert all("vars" not in frame for frame in frames)
    request = event.get("request", {})
    assert set(request) <= {"method", "url", "headers"}  # no body, query string, cookies
    assert "?" not in request.get("url", "")
    assert set(request.get("headers", {})) <= {"Content-Type", "Content-Length"}
    assert "extra" not in event


def test_an_error_logged_is_reported_as_the_log_shows_it(reported):
    """As in the logs: no query string, no exception message; ids as arguments."""
    try:
        raise ValueError(f"Duplicate key (family_name)=({NAME})")
    except ValueError:
        logging.getLogger("opennrm.tests").exception(
            "Import of row %s failed, see /cases/?name=%s", 12, NAME
        )
    sentry_sdk.flush()
    events = reported.events()
    assert len(events) == 1
    assert NAME not in json.dumps(events[0])
    message = events[0]["logentry"]["message"]
    assert message.startswith("Import of row")
    assert message.endswith("/cases/?[query removed]")


def test_the_scrubber_alone():
    """Fields the integrations may add in a later SDK version are handled too."""
    event = {
        "request": {
            "url": f"https://nrm.example/cases/?q={NAME}",
            "method": "GET",
            "query_string": f"q={NAME}",
            "cookies": {"sessionid": "x"},
            "data": {"family_name": NAME},
            "env": {"REMOTE_ADDR": "192.0.2.1"},
            "headers": {"Referer": f"https://nrm.example/?q={NAME}", "Content-Type": "text/html"},
        },
        "user": {"id": 7, "email": f"{NAME}@example.org", "ip_address": "192.0.2.1"},
        "message": f"Failed for /cases/?q={NAME}",
        "breadcrumbs": {"values": [{"message": f"GET /x?q={NAME}", "data": {"q": NAME}}]},
        "threads": {"values": [{"stacktrace": {"frames": [{"vars": {"name": NAME}}]}}]},
        "extra": {"name": NAME},
    }
    scrubbed = error_reporting.scrub_event(event)
    assert NAME not in json.dumps(scrubbed)
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"] == {
        "method": "GET",
        "url": "https://nrm.example/cases/",
        "headers": {"Content-Type": "text/html"},
    }
