"""Any body sent to an API operation that reads one gets a 4xx with a JSON error, never a 5xx.

Issue #16: a multipart body crashed both operations with a 500. A browser's or a partner's client
passes the CSRF check, which reads a multipart or form body as form data (request.POST); ninja
then could not read it as JSON (RawPostDataException). The test client here enforces the CSRF
check as a real client meets it, signed in as the persona allowed to use each operation.
"""

import io
import json

import pytest
from django.conf import settings
from django.test import Client

from opennrm.cases.enums import IdentificationStatus
from opennrm.web.api.bodies import BAD_LENGTH, NOT_JSON, too_large
from tests.cases.conftest import case, draft  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db

CSRF_TOKEN = "x" * 32
EVALUATE = "/api/v1/indicators/evaluate"
VALID_EVALUATION = {"set": "adults_labour", "age_group": "adult", "answers": {}}
VALID_CONCLUSION = {"conclusion": "not_presumed", "reasons": "Fictional."}


@pytest.fixture(params=["evaluate", "conclude"])
def operation(request, cast, draft):  # noqa: F811
    """(client signed in as who may call it, its URL, a valid JSON body)."""
    if request.param == "evaluate":
        user, url, body = cast.hugo, EVALUATE, VALID_EVALUATION
    else:  # the responsible organisation's field worker, authorised reporter
        url = f"/api/v1/cases/assessments/{draft.pk}/conclusion"
        user, body = cast.amina, VALID_CONCLUSION
    client = Client(enforce_csrf_checks=True, HTTP_X_CSRFTOKEN=CSRF_TOKEN)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client, url, body


def _json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert detail
    return detail


def _assert_still_a_draft(draft):  # noqa: F811
    draft.refresh_from_db()
    assert not draft.is_final
    assert draft.case.status == IdentificationStatus.PRELIMINARY_ASSESSMENT


def test_a_multipart_body_gets_415_in_json(operation, draft):  # noqa: F811
    client, url, body = operation
    response = client.post(url, body)  # the test client's default: multipart/form-data
    assert _json_error(response, 415) == NOT_JSON
    _assert_still_a_draft(draft)


def test_a_multipart_file_gets_415_in_json(operation):
    client, url, _ = operation
    upload = io.BytesIO(b"%PDF-1.4 fictional")
    upload.name = "answers.pdf"
    assert _json_error(client.post(url, {"file": upload}), 415) == NOT_JSON


def test_a_malformed_multipart_body_gets_415_in_json(operation):
    client, url, _ = operation
    for content_type in ["multipart/form-data", "multipart/form-data; boundary=zz"]:
        response = client.post(url, "--zz\r\nbroken", content_type=content_type)
        assert _json_error(response, 415) == NOT_JSON


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "text/plain", "application/xml", "application/jsonx"],
)
def test_a_body_of_another_type_gets_415_in_json(operation, content_type):
    client, url, body = operation
    response = client.post(url, json.dumps(body), content_type=content_type)
    assert _json_error(response, 415) == NOT_JSON


@pytest.mark.parametrize(
    "raw",
    [b"not json", b'{"conclusion": ', b"\xff\xfe\x00", b"[" * 100_000 + b"]" * 100_000],
    ids=["text", "truncated", "not-utf8", "deeply-nested"],
)
def test_invalid_json_gets_400_in_json(operation, raw):
    client, url, _ = operation
    _json_error(client.post(url, raw, content_type="application/json"), 400)


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "null", "{}", '{"answers": 3}'])
def test_json_of_the_wrong_shape_gets_422_in_json(operation, raw):
    client, url, _ = operation
    _json_error(client.post(url, raw, content_type="application/json"), 422)


def test_a_body_over_the_upload_limit_gets_413_in_json(operation, draft):  # noqa: F811
    client, url, _ = operation
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    huge = json.dumps({"reasons": "x" * limit})
    response = client.post(url, huge, content_type="application/json")
    assert _json_error(response, 413) == too_large(limit)
    _assert_still_a_draft(draft)


def test_a_malformed_content_length_gets_400_in_json(operation):
    client, url, body = operation
    response = client.post(
        url, json.dumps(body), content_type="application/json", CONTENT_LENGTH="many"
    )
    assert _json_error(response, 400) == BAD_LENGTH


def test_json_still_goes_through_with_or_without_a_charset(operation):
    client, url, body = operation
    for content_type in ["application/json", "application/json; charset=utf-8"]:
        response = client.post(url, json.dumps(body), content_type=content_type)
        assert response.status_code in (200, 409), response.content[:300]  # 409: concluded


def test_an_empty_multipart_post_reaches_the_operation(operation):
    """Nothing to refuse without a body: the operation answers (422, the payload is missing)."""
    client, url, _ = operation
    response = client.post(url, b"", content_type="multipart/form-data; boundary=zz")
    _json_error(response, 422)
